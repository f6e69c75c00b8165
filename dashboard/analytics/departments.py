"""Departments: a department with its agencies and arm's-length bodies (and former bodies
whose work it took over), against the rest of government.

Which body belongs to which department is ``data/reference/departments.csv``, applied at
ingest (the aggregate tables carry a ``department`` column); see :mod:`loaders.bodies.departments`.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
from rapidfuzz import fuzz, process

from dashboard.analytics.filters import Filters
from dashboard.analytics.spend import headline as spend_headline
from dashboard.analytics.store import Store
from loaders.bodies import departments
from loaders.bodies.counting import count_bodies
from loaders.bodies.departments import NO_DEPARTMENT
from loaders.bodies.resolution import match_key
from loaders.bodies.resolution.keys import agrees_allowing_typos


def department_table(store: Store) -> pd.DataFrame:
    """The body -> department reference table (read once per store)."""
    return store.constant("departments-table", departments.read_departments)


def chosen_department(store: Store, filters: Filters) -> str | None:
    """The department the ``name`` parameter names (title, spelling or GOV.UK slug), if any."""
    if not filters.name:
        return None
    wanted = Filters(name=filters.name)
    return store.memoised(
        "department-named",
        wanted,
        lambda: departments.find_department(filters.name, department_table(store), store.vocab),
    )


def department_rows(
    store: Store, filters: Filters, grain: str = "spend", months: bool = False
) -> pd.DataFrame:
    """Lines of the ``grain`` table of the chosen department and its bodies, filtered
    (``months``: from a monthly table); none when no department is chosen."""
    name = chosen_department(store, filters)
    if not name:
        return store.table(grain).iloc[0:0]
    return store.filtered(filters, grain, department=name, months=months)


def central_rows(store: Store, filters: Filters) -> pd.DataFrame:
    """Central government's lines in view (none when the filters leave it out)."""
    central = store.vocab.buyer_group("central").name
    if filters.buyer_group and central not in filters.buyer_group:
        return store.table("spend").iloc[0:0]
    return store.filtered(replace(filters, buyer_group=(central,)), "spend")


def ranking(store: Store, filters: Filters) -> pd.DataFrame:
    """Every department's spend (£) and transactions in view, largest first, with its rank."""
    spend = store.filtered(filters, "spend")
    spend = spend[spend["department"].astype(object).ne(NO_DEPARTMENT)]
    by_department = (
        spend.groupby(spend["department"].astype(object))[["spend_gbp", "transactions"]]
        .sum()
        .sort_values("spend_gbp", ascending=False)
    )
    table = by_department.reset_index()
    table.columns = ["department", "spend_gbp", "transactions"]
    table.insert(0, "rank", range(1, len(table) + 1))
    return table


def department_headline(store: Store, filters: Filters) -> dict[str, float | int | None]:
    """Total spend (£), SME share by value (%) against the central government average,
    bodies with spend, and rank among departments with spend."""

    def compute() -> dict[str, float | int | None]:
        rows = department_rows(store, filters)
        table = ranking(store, filters)
        position = table.loc[table["department"] == chosen_department(store, filters), "rank"]
        return {
            "total": float(rows["spend_gbp"].sum()),
            "sme_share_value": spend_headline(rows)["sme_share_value"],
            "government_sme_share_value": spend_headline(central_rows(store, filters))[
                "sme_share_value"
            ],
            "bodies": count_bodies(department_rows(store, filters, "customer")["customer_key"]),
            "rank": int(position.iloc[0]) if len(position) else None,
            "departments": int(len(table)),
        }

    return store.memoised("department-headline", filters, compute)


def suggest_departments(store: Store, text: str, limit: int = 5) -> list[str]:
    """The departments closest to a name that matched none (rapidfuzz over their titles and
    slugs, words agreeing with typos allowed), best first."""
    table = department_table(store)
    titles = sorted(set(table.loc[table["body_type"].isin(departments.DEPARTMENT_TYPES),
                                  "department"]))  # fmt: skip
    wanted = match_key(text.replace("-", " "), store.vocab)
    keys = [match_key(title, store.vocab) for title in titles]
    found = process.extract(wanted, keys, scorer=fuzz.WRatio, score_cutoff=60, limit=limit * 4)
    chosen = [titles[i] for key, _, i in found if agrees_allowing_typos(wanted, key)]
    return list(dict.fromkeys(chosen))[:limit]
