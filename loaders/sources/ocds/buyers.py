"""Resolve notice buyers and award suppliers to bodies, exactly as spend customers are.

Buyers go through :func:`loaders.bodies.resolution.resolve_customers` together with the
(published name, URN) pairs of the spend loaded beside them, so a buyer spelt as a spend
customer that a release published with one URN resolves to that URN (``urn_name``), and a
body reads the same in both tables. Sector follows :func:`loaders.bodies.enrich.infer_sectors`
in the same order of trust: Contracts Finder publishes no CCS URN, so step 1 never applies
and the sector the spend releases give the same body (``other_release``) comes before the
customer list's sector (``customer_list_name``) and the name rules (``name_rule``). Buyer
group and department as for spend (:func:`loaders.bodies.enrich.buyer_groups`; the department
of the body's display name, :func:`loaders.bodies.departments.departments_of_customers`, as the
spend aggregates find it).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from loaders.bodies.customer_list import CustomerList
from loaders.bodies.departments import NO_DEPARTMENT, departments_of_customers
from loaders.bodies.enrich import buyer_groups, dominant_value, infer_sectors
from loaders.bodies.resolution import CUSTOMER_ALIASES, SUPPLIER_ALIASES, resolve_customers
from loaders.bodies.resolution import resolve_suppliers as _resolve_suppliers
from loaders.core.vocabulary import Vocabulary

BUYER_COLUMNS = [
    "customer",
    "customer_key",
    "customer_match",
    "customer_urn",
    "sector",
    "sector_method",
    "buyer_group",
    "department",
]
_BELOW_OTHER_RELEASE = ("customer_list_name", "name_rule", "none")


def _spend_names(matches: pd.DataFrame | None) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Spend's published names with a URN on the row, their URNs, and body display names."""
    if matches is None or matches.empty:
        empty = pd.Series([], dtype=object)
        return empty, pd.Series([], dtype="Int64"), pd.Series([], dtype=object)
    customers = matches[matches["kind"].eq("customer")]
    with_urn = customers[customers["method"].eq("urn")]
    shown = customers.dropna(subset=["body_key"]).drop_duplicates("body_key")
    display = pd.Series(shown["body_name"].to_numpy(), index=shown["body_key"].to_numpy())
    return (
        with_urn["published_name"].astype(object),
        with_urn["urn"].astype("Int64"),
        display,
    )


def _spend_sectors(spend: pd.DataFrame | None) -> pd.Series:
    """Sector the spend releases themselves give each customer key (where most rows agree)."""
    if spend is None or spend.empty:
        return pd.Series(dtype=object)
    given = spend["sector_method"].astype(object).eq("release")
    return dominant_value(
        spend.loc[given, "customer_key"].astype(object), spend.loc[given, "sector"].astype(object)
    )


def resolve_buyers(
    names: pd.Series,
    vocab: Vocabulary,
    customers: CustomerList | None = None,
    aliases: Path | None = CUSTOMER_ALIASES,
    *,
    spend: pd.DataFrame | None = None,
    matches: pd.DataFrame | None = None,
    departments: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Each published buyer name resolved to a body, with sector, buyer group and department.

    ``spend`` and ``matches`` are the canonical spend frame and match report loaded beside
    the notices (optional). Returns a frame aligned with ``names`` with
    :data:`BUYER_COLUMNS`; ``customer_urn`` is the URN of the body, where resolved to one.
    """
    spend_names, spend_urns, display = _spend_names(matches)
    all_names = pd.concat([spend_names, names.astype(object)], ignore_index=True)
    all_urns = pd.concat(
        [spend_urns, pd.Series(pd.NA, index=range(len(names)), dtype="Int64")],
        ignore_index=True,
    )
    resolved = resolve_customers(all_names, all_urns, vocab, customers, aliases)
    resolved = resolved.iloc[len(spend_names) :].set_axis(names.index)
    shown = resolved["body_key"].astype(object).map(display).astype(object)
    body_name = shown.where(shown.notna(), resolved["body_name"].astype(object))
    frame = pd.DataFrame(
        {
            "sector": pd.Series(None, index=names.index, dtype=object),
            "customer": body_name.astype(object),
            "customer_key": resolved["body_key"].astype(object),
            "customer_urn": pd.Series(pd.NA, index=names.index, dtype="Int64"),
        }
    )
    frame = infer_sectors(frame, vocab, customers)
    known = frame["customer_key"].map(_spend_sectors(spend))
    use = known.notna() & frame["sector_method"].isin(_BELOW_OTHER_RELEASE)
    frame.loc[use, "sector"] = known[use]
    frame.loc[use, "sector_method"] = "other_release"
    # the departments table is read there, not imported here: ``python -m
    # loaders.bodies.departments`` must not find that module imported already
    department = departments_of_customers(frame["customer"].astype(object), vocab, departments)
    return pd.DataFrame(
        {
            "customer": frame["customer"],
            "customer_key": frame["customer_key"],
            "customer_match": resolved["method"].astype(object),
            "customer_urn": resolved["urn"].astype("Int64"),
            "sector": frame["sector"],
            "sector_method": frame["sector_method"],
            "buyer_group": buyer_groups(frame["sector"], vocab),
            "department": department.where(department.ne(NO_DEPARTMENT), None),
        },
        index=names.index,
    )


def supplier_keys(
    names: pd.Series, vocab: Vocabulary, aliases: Path | None = SUPPLIER_ALIASES
) -> pd.Series:
    """Each supplier name's body key, as spend's ``supplier_key``
    (:func:`loaders.bodies.resolution.resolve_suppliers`)."""
    return _resolve_suppliers(names.astype(object), vocab, aliases)["body_key"].astype(object)
