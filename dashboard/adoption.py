"""Adoption: how many bodies buy through the frameworks, who is new, who comes back, and
how many of the bodies that could buy do (pure functions, no Dash).

A body is a resolved customer (``customer_key``). Its buyer group and sector are those of
most of its rows. "New" means first purchase through the frameworks in view (the filters
other than the period apply), so a council new to DOS but long on G-Cloud is new to DOS.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from dashboard.queries import BUYER_GROUPS, UNKNOWN_SECTOR, period_labels
from loaders.reference import REFERENCE_DIR

GROUPS_FILE = REFERENCE_DIR / "eligible_body_groups.csv"
NON_WHITEHALL = "Non-Whitehall"


def body_profiles(spend: pd.DataFrame) -> pd.DataFrame:
    """One row per body: name, buyer group and sector (most common), first month, spend."""
    if spend.empty:
        return pd.DataFrame(
            {
                "customer_key": pd.Series(dtype=object),
                "customer": pd.Series(dtype=object),
                "buyer_group": pd.Series(dtype=object),
                "sector": pd.Series(dtype=object),
                "first_month": pd.Series(dtype="datetime64[ns]"),
                "spend_gbp": pd.Series(dtype="float64"),
            }
        )
    rows = spend.assign(
        buyer_group=spend["buyer_group"].astype(object),
        sector=spend["sector"].astype(object).fillna(UNKNOWN_SECTOR),
    )
    grouped = rows.groupby("customer_key", observed=True)
    profile = grouped.agg(
        customer=("customer", "first"),
        first_month=("month", "min"),
        spend_gbp=("spend_gbp", "sum"),
    )
    for column in ("buyer_group", "sector"):
        counts = rows.groupby(["customer_key", column], observed=True).size().rename("n")
        best = counts.reset_index().sort_values(["customer_key", "n", column],
                                                ascending=[True, False, True])  # fmt: skip
        profile[column] = best.drop_duplicates("customer_key").set_index("customer_key")[column]
    return profile.reset_index()


def buyers_by_period(spend: pd.DataFrame, period: str) -> pd.DataFrame:
    """Distinct buyers per period, in all and by buyer group (of the body)."""
    groups = body_profiles(spend).set_index("customer_key")["buyer_group"]
    frame = spend[["customer_key"]].assign(
        period=period_labels(spend, period), group=spend["customer_key"].map(groups)
    )
    table = frame.pivot_table(
        index="period", columns="group", values="customer_key", aggfunc="nunique", fill_value=0
    ).reindex(columns=BUYER_GROUPS, fill_value=0)
    table.columns = list(table.columns)
    table.insert(0, "Buyers", frame.groupby("period")["customer_key"].nunique())
    return table.sort_index().reset_index()


def buyers_by_sector(spend: pd.DataFrame) -> pd.DataFrame:
    """Distinct buyers and their spend per sector (of the body), largest first."""
    profile = body_profiles(spend)
    table = profile.groupby(["sector", "buyer_group"]).agg(
        buyers=("customer_key", "size"), spend_gbp=("spend_gbp", "sum")
    )
    return table.reset_index().sort_values(["buyers", "sector"], ascending=[False, True],
                                           ignore_index=True)  # fmt: skip


def _first_period(profile: pd.DataFrame, period: str) -> pd.Series:
    frame = pd.DataFrame({"month": profile["first_month"]})
    frame["financial_year"] = [
        f"{m.year - (m.month < 4)}-{(m.year - (m.month < 4) + 1) % 100:02d}" for m in frame["month"]
    ]
    return period_labels(frame, period)


def new_buyers_by_period(spend_all_time: pd.DataFrame, period: str) -> pd.DataFrame:
    """Bodies buying for the first time in each period, and the running total of buyers."""
    profile = body_profiles(spend_all_time)
    profile["period"] = _first_period(profile, period)
    profile["non_whitehall"] = profile["buyer_group"].eq(NON_WHITEHALL)
    table = profile.groupby("period").agg(
        new_buyers=("customer_key", "size"), new_non_whitehall=("non_whitehall", "sum")
    )
    table["cumulative_buyers"] = table["new_buyers"].cumsum()
    return table.sort_index().reset_index()


def _fy_sets(spend: pd.DataFrame) -> dict[str, set[str]]:
    years = spend.groupby("financial_year", observed=True)["customer_key"].unique()
    return {str(year): set(keys) for year, keys in years.items()}


def previous_fy(label: str) -> str:
    """``2013-14`` -> ``2012-13``."""
    start = int(label[:4]) - 1
    return f"{start}-{(start + 1) % 100:02d}"


def returning_buyers(spend_all_time: pd.DataFrame) -> pd.DataFrame:
    """Per financial year: buyers, those who also bought the year before, and new ones."""
    sets = _fy_sets(spend_all_time)
    first = body_profiles(spend_all_time)
    first_fy = dict(zip(first["customer_key"], _first_period(first, "fy"), strict=True))
    rows = []
    for year in sorted(sets):
        buyers = sets[year]
        rows.append(
            {
                "financial_year": year,
                "buyers": len(buyers),
                "returning": len(buyers & sets.get(previous_fy(year), set())),
                "new": sum(first_fy.get(k) == year for k in buyers),
            }
        )
    return pd.DataFrame(rows, columns=["financial_year", "buyers", "returning", "new"])


def first_time_buyers(
    spend_all_time: pd.DataFrame, in_view: pd.Series, group: str | None = NON_WHITEHALL
) -> pd.DataFrame:
    """Bodies whose first purchase falls in the months in view (``in_view`` is a mask over
    ``spend_all_time``), optionally of one buyer group: name, sector, first month, spend."""
    profile = body_profiles(spend_all_time)
    months = set(spend_all_time.loc[in_view, "month"].unique())
    chosen = profile[profile["first_month"].isin(months)]
    if group:
        chosen = chosen[chosen["buyer_group"].eq(group)]
    viewed = spend_all_time[in_view].groupby("customer_key", observed=True)["spend_gbp"].sum()
    chosen = chosen.assign(spend_in_view_gbp=chosen["customer_key"].map(viewed).fillna(0.0))
    chosen = chosen.sort_values(["first_month", "customer"], ignore_index=True)
    return chosen[["customer", "sector", "buyer_group", "first_month", "spend_in_view_gbp"]]


@dataclass(frozen=True)
class GroupRule:
    """How a body of the customer list joins an eligible-body group."""

    group: str
    sector: str
    organisation_type: str  # "*" = any type, the name pattern decides
    name_pattern: re.Pattern[str] | None


def read_group_rules(path: Path = GROUPS_FILE) -> tuple[GroupRule, ...]:
    """Rules from ``data/reference/eligible_body_groups.csv``."""
    with Path(path).open(encoding="utf-8", newline="") as handle:
        return tuple(
            GroupRule(
                group=r["group"],
                sector=r["sector"],
                organisation_type=r["organisation_type"],
                name_pattern=re.compile(r["name_pattern"], re.IGNORECASE)
                if r["name_pattern"]
                else None,
            )
            for r in csv.DictReader(handle)
        )


def _group_of(sector: str, kind: str, name: str, rules: tuple[GroupRule, ...]) -> str | None:
    for rule in rules:
        if rule.sector != sector:
            continue
        if rule.organisation_type != "*" and rule.organisation_type.lower() == kind.lower():
            return rule.group
        if rule.organisation_type == "*" and rule.name_pattern and rule.name_pattern.search(name):
            return rule.group
    return None


def _text(value: object) -> str:
    return "" if value is None or pd.isna(value) else str(value)


def eligible_groups(customers: pd.DataFrame, rules: tuple[GroupRule, ...]) -> pd.Series:
    """The eligible-body group of each body of the customer list (null if none)."""
    return pd.Series(
        [
            _group_of(_text(s), _text(t), _text(n), rules)
            for s, t, n in zip(customers["sector"], customers["organisation_type"],
                               customers["name"], strict=True)
        ],
        index=customers.index,
        dtype=object,
    )  # fmt: skip


def penetration(
    spend: pd.DataFrame, customers: pd.DataFrame, rules: tuple[GroupRule, ...]
) -> pd.DataFrame:
    """Bodies buying / bodies that could, per group and per sector of the customer list.

    Only buyers resolved to a customer-list URN (``customer_key`` ``urn:<URN>``) count in
    the numerator; the denominator is every body of the list in the group.
    """
    columns = ["group", "buying", "eligible", "share_pct"]
    if customers.empty:
        return pd.DataFrame(columns=columns)
    bodies = customers.assign(group=eligible_groups(customers, rules))
    buying_urns = {
        int(k[4:]) for k in spend["customer_key"].dropna().unique() if str(k).startswith("urn:")
    }
    bodies["buying"] = bodies["urn"].isin(buying_urns)
    rows = []
    for label, frame in [
        *((g, bodies[bodies["group"] == g]) for g in dict.fromkeys(r.group for r in rules)),
        *((f"All {s} bodies in the list", bodies[bodies["sector"] == s])
          for s in sorted(bodies["sector"].dropna().unique())),
    ]:  # fmt: skip
        eligible = len(frame)
        buying = int(frame["buying"].sum())
        share = 100 * buying / eligible if eligible else float("nan")
        rows.append({"group": label, "buying": buying, "eligible": eligible, "share_pct": share})
    return pd.DataFrame(rows, columns=columns)


def adoption_headline(in_view: pd.DataFrame, first_time: pd.DataFrame) -> dict[str, int]:
    """Buyers and new buyers in view, in all and non-Whitehall."""
    profile = body_profiles(in_view)
    return {
        "buyers": int(len(profile)),
        "non_whitehall_buyers": int(profile["buyer_group"].eq(NON_WHITEHALL).sum()),
        "new_buyers": int(len(first_time)),
        "new_non_whitehall": int(first_time["buyer_group"].eq(NON_WHITEHALL).sum()),
    }
