"""Adoption: how many bodies buy through the frameworks, who is new, who comes back, and
how many of the bodies that could buy do.

A body is a resolved customer (``customer_key``). Its buyer group and sector are those of
most of its rows. "New" means first purchase through the frameworks in view (the filters
other than the period apply), so a council new to DOS but long on G-Cloud is new to DOS.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.analytics.counting import (
    category_codes,
    codes_of,
    counted,
    distinct_with_slots,
    filled,
    first_positions,
    frame_of,
    group_sums,
    month_numbers_of,
    nulls_as_nan,
    period_codes,
)
from dashboard.analytics.filters import Filters, without_time
from dashboard.analytics.spend import UNKNOWN_SECTOR
from dashboard.analytics.store import Store
from loaders.bodies.counting import known_bodies
from loaders.core import periods
from loaders.core.vocabulary import REFERENCE_DIR, load_vocabulary

GROUPS_FILE = REFERENCE_DIR / "eligible_body_groups.csv"


def non_whitehall() -> str:
    """The name of the non-Whitehall buyer group (``buyer_groups.csv``, code
    ``non-whitehall``)."""
    return load_vocabulary().buyer_group("non-whitehall").name


def _modal(codes: np.ndarray, n_bodies: int, labels: pd.Series, weights: np.ndarray):
    """The label of most transactions per body (ties: the first label alphabetically)."""
    label_codes, names = codes_of(labels)  # null labels last
    counts = np.bincount(
        codes * len(names) + label_codes, weights=weights, minlength=n_bodies * len(names)
    ).reshape(n_bodies, len(names))
    return names[counts.argmax(axis=1)]


def _empty_profiles() -> pd.DataFrame:
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


def body_profiles(spend: pd.DataFrame) -> pd.DataFrame:
    """One row per body: name, buyer group and sector (those of most of its transactions),
    first month, spend; sorted by body key. Computed with array counts, not grouping."""
    spend = known_bodies(counted(spend))
    if spend.empty:
        return _empty_profiles()
    codes, keys = category_codes(spend["customer_key"])
    n = len(keys)
    present = np.bincount(codes, minlength=n) > 0
    first_row = first_positions(codes, n)
    months = month_numbers_of(spend) - 1970 * 12  # months since 1970-01
    first_month = np.full(n, np.iinfo("int64").max)
    np.minimum.at(first_month, codes, months)
    weights = spend["transactions"].to_numpy().astype("float64")
    sectors = filled(spend["sector"], UNKNOWN_SECTOR)
    names = spend["customer"].iloc[np.minimum(first_row, len(codes) - 1)]
    profile = frame_of({  # text as Python objects: every query of the page compares it
        "customer_key": np.asarray(keys, dtype=object),
        "customer": nulls_as_nan(names.astype(object).to_numpy()),
        "buyer_group": nulls_as_nan(_modal(codes, n, spend["buyer_group"], weights)),
        "sector": nulls_as_nan(_modal(codes, n, sectors, weights)),
        "first_month": first_month.astype("datetime64[M]").astype("datetime64[ns]"),
        "spend_gbp": np.bincount(codes, weights=spend["spend_gbp"].to_numpy(), minlength=n),
    })[present]  # fmt: skip
    return profile.sort_values("customer_key", ignore_index=True)


def _presence(spend: pd.DataFrame, period: str) -> tuple[np.ndarray, list[str], pd.Index]:
    """Which bodies bought in which period: a periods x bodies boolean matrix."""
    spend = known_bodies(spend)
    period_index, labels = period_codes(spend, period)
    codes, keys = category_codes(spend["customer_key"])
    seen = np.zeros((len(labels), len(keys)), bool)
    seen[period_index, codes] = True
    return seen, labels, keys


def buyers_by_period(
    spend: pd.DataFrame, period: str, profile: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Distinct buyers per period, in all (``buyers``) and by buyer group of the body
    (``buyers_<group>``, in the order of ``buyer_groups.csv``).

    ``profile`` is ``body_profiles(spend)`` when the caller has it already (the same holds
    for the other functions taking one)."""
    seen, labels, keys = _presence(spend, period)
    profile = body_profiles(spend) if profile is None else profile
    groups = profile.set_index("customer_key")["buyer_group"]
    group_of = np.asarray(groups.reindex(np.asarray(keys, dtype=object)), dtype=object)
    table = pd.DataFrame({"period": labels, "buyers": seen.sum(axis=1)})
    for group in load_vocabulary().buyer_group_list:
        table[f"buyers_{group.column}"] = seen[:, group_of == group.name].sum(axis=1)
    return table.sort_values("period", ignore_index=True)


def buyers_by_sector(spend: pd.DataFrame, profile: pd.DataFrame | None = None) -> pd.DataFrame:
    """Distinct buyers and their spend per sector and buyer group (of the body), most
    buyers first, then by sector (bodies of no sector or group left out). Summed on codes:
    a pandas group-by of a few hundred bodies cost more than the rest of the view."""
    profile = body_profiles(spend) if profile is None else profile
    profile = profile[profile["sector"].notna() & profile["buyer_group"].notna()]
    table = group_sums(
        {"sector": profile["sector"], "buyer_group": profile["buyer_group"]},
        {"buyers": np.ones(len(profile)), "spend_gbp": profile["spend_gbp"].to_numpy()},
    )
    table["buyers"] = table["buyers"].astype("int64")
    return table.sort_values(["buyers", "sector"], ascending=[False, True], ignore_index=True)


def new_buyers_by_period(
    spend_all_time: pd.DataFrame, period: str, profile: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Bodies buying for the first time in each period, and the running total of buyers."""
    profile = body_profiles(spend_all_time) if profile is None else profile
    codes, labels = period_codes(pd.DataFrame({"month": profile["first_month"]}), period)
    non_whitehall_body = profile["buyer_group"].eq(non_whitehall()).to_numpy(dtype=bool)
    new = np.bincount(codes, minlength=len(labels)).astype("int64")
    return frame_of({  # periods in order: their labels sort as they run
        "period": np.asarray(labels, dtype=object),
        "new_buyers": new,
        "new_non_whitehall": np.bincount(codes[non_whitehall_body], minlength=len(labels)),
        "cumulative_buyers": np.cumsum(new),
    })  # fmt: skip


def returning_buyers(spend_all_time: pd.DataFrame) -> pd.DataFrame:
    """Per financial year: buyers, those who also bought the year before, and new ones."""
    columns = ["financial_year", "buyers", "returning", "new"]
    spend_all_time = known_bodies(spend_all_time)  # lines of no known buyer are nobody's
    if spend_all_time.empty:
        return pd.DataFrame(columns=columns)
    seen, labels, keys = _presence(spend_all_time, "fy")
    first_year = seen.argmax(axis=0)  # every body bought in some year
    row_of = {label: i for i, label in enumerate(labels)}
    rows = []
    for i, year in enumerate(labels):
        before = row_of.get(periods.previous_fy(year))
        returning = int((seen[i] & seen[before]).sum()) if before is not None else 0
        rows.append(
            {
                "financial_year": year,
                "buyers": int(seen[i].sum()),
                "returning": returning,
                "new": int((seen[i] & (first_year == i)).sum()),
            }
        )
    return pd.DataFrame(rows, columns=columns)


def first_time_buyers(
    spend_all_time: pd.DataFrame,
    in_view: pd.Series | pd.DataFrame,
    group: str | None = "non-whitehall",
    profile: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Bodies whose first purchase falls in the months in view, of one buyer group (its
    code in ``buyer_groups.csv``; ``None``: every group): name, sector, buyer group, first
    month, spend in view (£).
    ``in_view`` is a mask over ``spend_all_time`` or the rows in view themselves."""
    profile = body_profiles(spend_all_time) if profile is None else profile
    viewed = in_view if isinstance(in_view, pd.DataFrame) else spend_all_time[np.asarray(in_view)]
    codes, keys = category_codes(viewed["customer_key"])  # on codes: no copy of the lines
    known = codes >= 0
    months = distinct_with_slots(month_numbers_of(viewed)[known])[0]
    chosen = np.isin(periods.month_numbers(profile["first_month"]), months)
    if group:
        chosen &= profile["buyer_group"].eq(load_vocabulary().buyer_group(group).name).to_numpy()
    chosen = profile[chosen]
    spent = np.bincount(codes[known], weights=viewed["spend_gbp"].to_numpy()[known],
                        minlength=len(keys))  # fmt: skip
    where = pd.Index(np.asarray(keys, dtype=object)).get_indexer(
        chosen["customer_key"].astype(object).to_numpy()
    )
    spend = np.where(where >= 0, spent[np.maximum(where, 0)], 0.0)
    names = chosen["customer"].astype(object).to_numpy()
    by_name = pd.factorize(names, sort=True)[0]
    by_name[by_name < 0] = len(by_name)  # no name: last, as pandas sorts
    order = np.lexsort((by_name, periods.month_numbers(chosen["first_month"])))
    return frame_of({
        "customer": names[order],
        "sector": chosen["sector"].astype(object).to_numpy()[order],
        "buyer_group": chosen["buyer_group"].astype(object).to_numpy()[order],
        "first_month": chosen["first_month"].to_numpy()[order],
        "spend_in_view_gbp": spend[order],
    })  # fmt: skip


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
    spend: pd.DataFrame,
    customers: pd.DataFrame,
    rules: tuple[GroupRule, ...],
    groups: pd.Series | None = None,
    organisation_types: tuple[str, ...] = (),
) -> pd.DataFrame:
    """Bodies buying / bodies that could, per group and per sector of the customer list
    (and per chosen organisation type): buying, not yet buying, in the list, share buying.

    Only buyers resolved to a customer-list URN (``customer_key`` ``urn:<URN>``) count in
    the numerator; the denominator is every body of the list in the group, so buying + not
    yet buying = in the list. ``groups`` is ``eligible_groups(customers, rules)`` when the
    caller has it already.
    """
    columns = ["group", "buying", "not_yet_buying", "eligible", "share_pct"]
    if customers.empty:
        return pd.DataFrame(columns=columns)
    groups = eligible_groups(customers, rules) if groups is None else groups
    codes, keys = category_codes(known_bodies(spend)["customer_key"])
    present = np.asarray(keys, dtype=object)[np.bincount(codes, minlength=len(keys)) > 0]
    buying_urns = [int(str(k)[4:]) for k in present if str(k).startswith("urn:")]
    buying = customers["urn"].isin(buying_urns).to_numpy(dtype=bool, na_value=False)
    by_group = _buying_and_size(groups, buying)
    by_sector = _buying_and_size(customers["sector"], buying)
    by_type = _buying_and_size(customers["organisation_type"], buying)
    rows = []
    for label, counts, name in [
        *((g, by_group, g) for g in dict.fromkeys(r.group for r in rules)),
        *((f"Organisation type: {t}", by_type, t) for t in organisation_types),
        *((f"All {s} bodies in the list", by_sector, s)
          for s in sorted(customers["sector"].dropna().unique())),
    ]:  # fmt: skip
        buying_count, eligible = counts.get(name, (0, 0))
        share = 100 * buying_count / eligible if eligible else float("nan")
        rows.append({"group": label, "buying": buying_count,
                     "not_yet_buying": eligible - buying_count, "eligible": eligible,
                     "share_pct": share})  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def _buying_and_size(labels: pd.Series, buying: np.ndarray) -> dict[str, tuple[int, int]]:
    """Per label of the list's bodies (nulls left out): bodies buying, bodies."""
    codes, uniques = pd.factorize(labels, use_na_sentinel=True)
    known = codes >= 0
    sizes = np.bincount(codes[known], minlength=len(uniques))
    buying_counts = np.bincount(codes[known & buying], minlength=len(uniques))
    return {str(label): (int(b), int(n))
            for label, b, n in zip(uniques, buying_counts, sizes, strict=True)}  # fmt: skip


def adoption_headline(
    in_view: pd.DataFrame, first_time: pd.DataFrame, profile: pd.DataFrame | None = None
) -> dict[str, int]:
    """Buyers and new buyers in view, in all and non-Whitehall."""
    profile = body_profiles(in_view) if profile is None else profile
    return {
        "buyers": int(len(profile)),
        "non_whitehall_buyers": int(profile["buyer_group"].eq(non_whitehall()).sum()),
        "new_buyers": int(len(first_time)),
        "new_non_whitehall": int(first_time["buyer_group"].eq(non_whitehall()).sum()),
    }


# --- queries of the store -------------------------------------------------------------------


def profiles_in_view(store: Store, filters: Filters, all_time: bool = False) -> pd.DataFrame:
    """Each body buying in view (or at any time, for first purchases), memoised."""
    chosen = without_time(filters) if all_time else filters
    return store.memoised(
        "body-profiles", chosen, lambda: body_profiles(store.filtered(chosen, "customer"))
    )


def first_time_in_view(store: Store, filters: Filters, group: str | None) -> pd.DataFrame:
    """Bodies buying for the first time in the period in view, of one buyer group (code) if
    given (memoised)."""
    return store.memoised(
        f"first-time:{group}",
        filters,
        lambda: first_time_buyers(
            store.filtered_all_time(filters, "customer"),
            store.filtered(filters, "customer"),
            group,
            profiles_in_view(store, filters, all_time=True),
        ),
    )


def adoption_headline_in_view(store: Store, filters: Filters) -> dict[str, int]:
    """The adoption page's headline figures: buyers and new buyers, in all and
    non-Whitehall."""
    return store.memoised(
        "adoption-headline",
        filters,
        lambda: adoption_headline(
            store.filtered(filters, "customer"),
            first_time_in_view(store, filters, None),
            profiles_in_view(store, filters),
        ),
    )


def group_rules_of(store: Store) -> tuple[GroupRule, ...]:
    """The eligible-body group rules (``eligible_body_groups.csv``), read once per store."""
    return store.constant("group-rules", read_group_rules)


def eligible_groups_of(store: Store) -> pd.Series:
    """:func:`eligible_groups` of the store's customer list, computed once per store."""
    return store.constant(
        "eligible-groups", lambda: eligible_groups(store.customers, group_rules_of(store))
    )


def penetration_in_view(store: Store, filters: Filters) -> pd.DataFrame:
    """Bodies buying of those in the customer list, per eligible group and sector."""
    rules = group_rules_of(store)
    groups = eligible_groups_of(store)
    return penetration(
        profiles_in_view(store, filters), store.customers, rules, groups,
        filters.organisation_type,
    )  # fmt: skip
