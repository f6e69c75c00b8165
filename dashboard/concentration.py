"""Supplier concentration: top-N share, Herfindahl–Hirschman index, SME share without the
largest suppliers, suppliers active and new, and one supplier's profile (pure functions).

Shares are of each supplier's net spend (credits netted off); suppliers whose net spend is
negative or nil count as zero in concentration measures.
"""

from __future__ import annotations

import pandas as pd

from dashboard.queries import UNKNOWN_SECTOR, period_labels


def supplier_totals(spend: pd.DataFrame) -> pd.Series:
    """Net spend per supplier (body key), largest first, negatives as zero."""
    totals = spend.groupby("supplier_key", observed=True)["spend_gbp"].sum().clip(lower=0)
    return totals.sort_values(ascending=False)


def top_share(spend: pd.DataFrame, n: int = 10) -> float:
    """Percentage of spend that goes to the ``n`` largest suppliers."""
    totals = supplier_totals(spend)
    whole = totals.sum()
    return float(100 * totals.head(n).sum() / whole) if whole > 0 else float("nan")


def hhi(spend: pd.DataFrame) -> float:
    """Herfindahl–Hirschman index of supplier shares, 0 to 10,000 (shares in percent)."""
    totals = supplier_totals(spend)
    whole = totals.sum()
    if whole <= 0:
        return float("nan")
    return float(((100 * totals / whole) ** 2).sum())


def concentration_by_period(spend: pd.DataFrame, period: str, n: int = 10) -> pd.DataFrame:
    """Per period: suppliers with spend, top-``n`` share and HHI."""
    rows = []
    for label, frame in spend.groupby(period_labels(spend, period), sort=True):
        rows.append(
            {
                "period": label,
                "suppliers": int(frame["supplier_key"].nunique()),
                f"top_{n}_share_pct": top_share(frame, n),
                "hhi": hhi(frame),
            }
        )
    return pd.DataFrame(rows, columns=["period", "suppliers", f"top_{n}_share_pct", "hhi"])


def sme_share_without_top(spend: pd.DataFrame, period: str, n: int = 10) -> pd.DataFrame:
    """SME share of spend per period, with all suppliers and without the ``n`` largest
    (largest over the whole data in view)."""
    largest = set(supplier_totals(spend).head(n).index)
    rest = spend[~spend["supplier_key"].isin(largest)]
    rows = []
    labels = period_labels(spend, period)
    rest_labels = labels[rest.index]
    for label in sorted(labels.unique()):
        every = spend[labels == label]
        without = rest[rest_labels == label]
        rows.append(
            {
                "period": label,
                "sme_share_pct": _sme_share(every),
                f"sme_share_without_top_{n}_pct": _sme_share(without),
            }
        )
    return pd.DataFrame(rows)


def _sme_share(spend: pd.DataFrame) -> float:
    total = spend["spend_gbp"].sum()
    sme = spend.loc[spend["sme_status"].astype(object).eq("SME"), "spend_gbp"].sum()
    return float(100 * sme / total) if total else float("nan")


def suppliers_active_and_new(spend_all_time: pd.DataFrame) -> pd.DataFrame:
    """Per financial year: suppliers with spend, and those with their first spend then."""
    years = spend_all_time["financial_year"].astype(str)
    first = years.groupby(spend_all_time["supplier_key"]).min()
    active = spend_all_time.groupby(years)["supplier_key"].nunique()
    new = first.value_counts().reindex(active.index, fill_value=0)
    table = pd.DataFrame({"suppliers": active, "new_suppliers": new})
    table.index.name = "financial_year"
    return table.reset_index()


def supplier_profile(spend: pd.DataFrame, supplier_key: str) -> dict[str, pd.DataFrame]:
    """One supplier: its buyers, sectors, frameworks and lots, and spend by financial year."""
    rows = spend[spend["supplier_key"] == supplier_key]
    sector = rows["sector"].astype(object).fillna(UNKNOWN_SECTOR)

    def by(labels: pd.Series | list[pd.Series], name: list[str]) -> pd.DataFrame:
        table = rows.groupby(labels, observed=True)["spend_gbp"].agg(["sum", "size"])
        table.index.names = name
        table = table.rename(columns={"sum": "spend_gbp", "size": "transactions"})
        return table.reset_index().sort_values("spend_gbp", ascending=False, ignore_index=True)

    return {
        "buyers": by(rows["customer"].astype(str), ["customer"]),
        "sectors": by(sector, ["sector"]),
        "lots": by(
            [rows["framework"].astype(str), rows["lot"].astype(str)], ["framework", "lot"]
        ),  # fmt: skip
        "trend": by(rows["financial_year"].astype(str), ["financial_year"]).sort_values(
            "financial_year", ignore_index=True
        ),
    }
