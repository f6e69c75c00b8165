"""The kinds of thing the header's search finds (:mod:`dashboard.analytics.search`):
buyers and suppliers with spend (their display names, every spelling they were published
under, the customer list's former names, the analysts' abbreviations, a buyer's URN),
departments (titles, GOV.UK slugs, the names of former departments and their
abbreviations) and areas (regions and combined authorities, by name or code, shown on
``/places``). Importing this module registers them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import pandas as pd

from dashboard.analytics import registers
from dashboard.analytics.departments import department_table, ranking
from dashboard.analytics.filters import Filters
from dashboard.analytics.search import Entry, SearchKind, register_kind
from loaders.bodies.departments import DEPARTMENT_TYPES
from loaders.core.vocabulary import REFERENCE_DIR

if TYPE_CHECKING:
    from dashboard.analytics.store import Store

ALIAS_FILES = {"customer": ("customer_aliases.csv", "body"),
               "supplier": ("supplier_aliases.csv", "supplier")}  # fmt: skip


def _analysts_aliases(store: Store, kind: str) -> pd.DataFrame:
    """The abbreviations and spellings the analysts mapped to a body (``key``, ``name``)."""
    file, column = ALIAS_FILES[kind]
    table = pd.read_csv(REFERENCE_DIR / file, dtype=str, keep_default_na=False)
    keys = [store.body_index.find(kind, body) for body in table[column]]
    return pd.DataFrame({"key": keys, "name": table["alias"]}).dropna(subset=["key"])


def _codes(key: str) -> tuple[str, ...]:
    if key.startswith("urn:"):
        return key, key.removeprefix("urn:")
    return ()


def body_entries(kind: str):
    """The entries of the bodies of ``kind`` (``customer`` or ``supplier``) with spend."""

    def entries(store: Store) -> Iterable[Entry]:
        index = store.body_index
        bodies = store.bodies[store.bodies["kind"] == kind]
        others = pd.concat([index.other_names(kind)[["key", "name"]],
                            _analysts_aliases(store, kind)], ignore_index=True)  # fmt: skip
        aliases = others.groupby("key")["name"].agg(tuple).to_dict()
        shown = index.display_names(kind)
        for key, spend in zip(bodies["key"].astype(str), bodies["spend_gbp"], strict=True):
            name = shown.get(key, key)
            yield Entry(key, name, aliases.get(key, ()), _codes(key) if kind == "customer"
                        else (), float(spend))  # fmt: skip

    return entries


def department_entries(store: Store) -> Iterable[Entry]:
    """Every department: its title, GOV.UK slug and the names of former departments now
    part of it (``Department for Business, Innovation & Skills``, ``BIS``)."""
    table = department_table(store)
    spend = ranking(store, Filters()).set_index("department")["spend_gbp"]
    departments = table[table["body_type"].isin(DEPARTMENT_TYPES)]
    for title, rows in departments.groupby("department"):
        names = tuple(n for n in rows["body"] if n != title)
        slugs = tuple(s for s in rows["department_slug"].unique() if s)
        yield Entry(str(title), str(title), names + slugs, (), float(spend.get(title, 0.0)))


def area_entries(by: str):
    """The regions (``by="region"``) or combined authorities (their names and codes) of the
    registers' bodies, weighted by the spend of their bodies (the places page shows one)."""

    def entries(store: Store) -> Iterable[Entry]:
        table = registers.areas(store, Filters(), by)
        for row in table.to_dict("records"):
            name = str(row.get("name") or row["area"])
            codes = (str(row["area"]),) if by == "combined_authority" else ()
            yield Entry(str(row["area"]), name, (), codes, float(row.get("spend_gbp") or 0))

    return entries


BUYERS = register_kind(SearchKind("buyer", "Buyer", body_entries("customer"), "/buyer"))
SUPPLIERS = register_kind(
    SearchKind("supplier", "Supplier", body_entries("supplier"), "/suppliers", "supplier")
)
DEPARTMENTS = register_kind(SearchKind("department", "Department", department_entries,
                                       "/department"))  # fmt: skip
REGIONS = register_kind(SearchKind("region", "Region", area_entries("region"), "/places",
                                   "region"))  # fmt: skip
AUTHORITIES = register_kind(SearchKind("combined_authority", "Combined authority",
                                       area_entries("combined_authority"), "/places",
                                       "combined_authority", "Combined authorities"))  # fmt: skip
