"""Supplier concentration: top-N share, Herfindahl–Hirschman index, SME share without the
largest suppliers, suppliers active and new, and one supplier's profile (pure functions).

Shares are of each supplier's net spend (credits netted off); suppliers whose net spend is
negative or nil count as zero in concentration measures.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.queries import UNKNOWN_SECTOR, category_codes, counted
from dashboard.queries import period_codes as period_codes_of


def _by_period_and_supplier(spend: pd.DataFrame, period: str):
    """Net spend and rows per period (rows) and supplier (columns), and the period labels."""
    period_codes, labels = period_codes_of(spend, period)
    codes, suppliers = category_codes(spend["supplier_key"])
    cells = period_codes * len(suppliers) + codes
    size = len(labels) * len(suppliers)
    shape = (len(labels), len(suppliers))
    net = np.bincount(cells, weights=spend["spend_gbp"].to_numpy(), minlength=size)
    rows = np.bincount(cells, minlength=size)
    return net.reshape(shape), rows.reshape(shape), labels


def supplier_totals(spend: pd.DataFrame) -> pd.Series:
    """Net spend per supplier (body key), largest first, negatives as zero."""
    codes, suppliers = category_codes(spend["supplier_key"])
    present = np.bincount(codes, minlength=len(suppliers)) > 0
    net = np.bincount(codes, weights=spend["spend_gbp"].to_numpy(), minlength=len(suppliers))
    totals = pd.Series(net[present], index=np.asarray(suppliers, dtype=object)[present])
    return totals.clip(lower=0).sort_values(ascending=False, kind="stable")


def _top_share(net: np.ndarray, n: int) -> float:
    """Top-``n`` share of one row of net spend per supplier (negatives as zero)."""
    positive = np.clip(net, 0, None)
    whole = positive.sum()
    if whole <= 0:
        return float("nan")
    largest = np.sort(positive)[::-1][:n] if len(positive) <= n else -np.partition(-positive, n)[:n]
    return float(100 * largest.sum() / whole)


def _hhi(net: np.ndarray) -> float:
    positive = np.clip(net, 0, None)
    whole = positive.sum()
    return float(((100 * positive / whole) ** 2).sum()) if whole > 0 else float("nan")


def top_share(spend: pd.DataFrame, n: int = 10) -> float:
    """Percentage of spend that goes to the ``n`` largest suppliers."""
    return _top_share(supplier_totals(spend).to_numpy(), n)


def hhi(spend: pd.DataFrame) -> float:
    """Herfindahl–Hirschman index of supplier shares, 0 to 10,000 (shares in percent)."""
    return _hhi(supplier_totals(spend).to_numpy())


def concentration_by_period(spend: pd.DataFrame, period: str, n: int = 10) -> pd.DataFrame:
    """Per period: suppliers with spend, top-``n`` share and HHI."""
    net, rows, labels = _by_period_and_supplier(spend, period)
    return pd.DataFrame(
        {
            "period": labels,
            "suppliers": (rows > 0).sum(axis=1).astype("int64"),
            f"top_{n}_share_pct": [_top_share(line, n) for line in net],
            "hhi": [_hhi(line) for line in net],
        },
        columns=["period", "suppliers", f"top_{n}_share_pct", "hhi"],
    )


def sme_share_without_top(spend: pd.DataFrame, period: str, n: int = 10) -> pd.DataFrame:
    """SME share of spend per period, with all suppliers and without the ``n`` largest
    (largest over the whole data in view)."""
    largest = set(supplier_totals(spend).head(n).index)
    codes, suppliers = category_codes(spend["supplier_key"])
    kept = ~np.fromiter((s in largest for s in suppliers), bool, len(suppliers))[codes]
    period_codes, labels = period_codes_of(spend, period)
    amount = spend["spend_gbp"].to_numpy()
    sme = (spend["sme_status"].astype(object) == "SME").to_numpy()

    def share(rows: np.ndarray) -> np.ndarray:
        total = np.bincount(period_codes[rows], weights=amount[rows], minlength=len(labels))
        small = np.bincount(
            period_codes[rows & sme], weights=amount[rows & sme], minlength=len(labels)
        )
        present = np.bincount(period_codes[rows], minlength=len(labels)) > 0
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(present & (total != 0), 100 * small / total, np.nan)

    return pd.DataFrame(
        {
            "period": labels,
            "sme_share_pct": share(np.ones(len(codes), bool)),
            f"sme_share_without_top_{n}_pct": share(kept),
        }
    )


def suppliers_active_and_new(spend_all_time: pd.DataFrame) -> pd.DataFrame:
    """Per financial year: suppliers with spend, and those with their first spend then."""
    if spend_all_time.empty:
        return pd.DataFrame(columns=["financial_year", "suppliers", "new_suppliers"])
    _, rows, labels = _by_period_and_supplier(spend_all_time, "fy")
    seen = rows > 0
    first = seen.argmax(axis=0)
    new = np.bincount(first[seen.any(axis=0)], minlength=len(labels))
    table = pd.DataFrame(
        {"suppliers": seen.sum(axis=1).astype("int64"), "new_suppliers": new.astype("int64")},
        index=pd.Index(labels, name="financial_year"),
    )
    return table.reset_index()


def supplier_profile(spend: pd.DataFrame, supplier_key: str) -> dict[str, pd.DataFrame]:
    """One supplier: its buyers, sectors, frameworks and lots, and spend by financial year."""
    rows = counted(spend[spend["supplier_key"].astype(object) == supplier_key])
    sector = rows["sector"].astype(object).fillna(UNKNOWN_SECTOR)

    def by(labels: pd.Series | list[pd.Series], name: list[str]) -> pd.DataFrame:
        table = rows.groupby(labels, observed=True)[["spend_gbp", "transactions"]].sum()
        table.index.names = name
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
