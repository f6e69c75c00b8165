"""Buyers: one body's spend through the frameworks, its suppliers, its facts, and its peers;
and the bodies that could buy and have not.

A buyer is a customer body (``customer_key``: ``urn:<URN>`` when resolved to the CCS customer
list). Its peers are the bodies of its group in the customer list: its eligible-body group
(principal councils, NHS trusts, police forces, fire and rescue services:
``data/reference/eligible_body_groups.csv``) when it is in one, else its organisation type
when the list gives a real one, else its sector; within the same region when the list gives
one. Peers that never bought are listed too, with no spend.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from dashboard.analytics import adoption
from dashboard.analytics.counting import (
    category_codes,
    dated,
    first_month_of,
    first_positions,
    month_numbers_of,
)
from dashboard.analytics.filters import Filters, without_time
from dashboard.analytics.selection import one_of
from dashboard.analytics.spend import headline
from dashboard.analytics.store import Store
from dashboard.analytics.suppliers import size_note, supplier_sizes
from loaders.bodies.counting import buyer_keys, count_bodies, known_bodies
from loaders.bodies.departments import NO_DEPARTMENT
from loaders.bodies.lineage import Lineage, lineage_of, read_register, title_keys
from loaders.core import periods

UNINFORMATIVE_TYPES = ("", "tba", "unknown", "other")
REGION_COLUMNS = ("region",)  # where the customer list gives one, peers share it
PLACE_COLUMNS = ("region", "county")  # peers share the first the list gives for the body


@dataclass(frozen=True)
class PeerGroup:
    """Which bodies of the customer list a buyer is compared with, and how to say so."""

    label: str  # "principal councils", "bodies of type University", "Health bodies"
    members: pd.DataFrame  # customer-list rows (urn, name, sector, organisation_type, ...)


def buyer_key(store: Store, text: str | None) -> str | None:
    """The customer body a page's ``name`` names (a name, a spelling it was published under,
    a URN or a body key), else ``None``."""
    return store.body_index.find("customer", text) if text else None


def _of_buyer(filters: Filters, key: str) -> Filters:
    return replace(filters, customer=(key,), supplier=())


def customer_list_keys(store: Store) -> pd.Series:
    """The body key (``urn:<URN>``) of each body of the customer list, in its order."""
    customers = store.customers
    return store.constant(
        "customer-list-keys", lambda: "urn:" + customers["urn"].astype("int64").astype(str)
    )


def _list_row(store: Store, key: str) -> pd.Series | None:
    """The buyer's row of the customer list, when it was resolved to a URN there."""
    if not key.startswith("urn:") or store.customers.empty:
        return None
    position = store.constant(
        "customer-list-position",
        lambda: {k: i for i, k in reversed(list(enumerate(customer_list_keys(store))))},
    ).get(key)
    return None if position is None else store.customers.iloc[position]


def _text(value: object) -> str:
    return "" if value is None or value is pd.NA or pd.isna(value) else str(value)


def _region_column(customers: pd.DataFrame) -> str | None:
    return next((c for c in REGION_COLUMNS if c in customers.columns), None)


def peer_group(store: Store, key: str) -> PeerGroup | None:
    """The buyer's peers in the customer list (``None`` when it is not in the list): its
    eligible group, else its organisation type, else its sector; within its region, or its
    county where the list gives no region for it."""
    own = _list_row(store, key)
    if own is None:
        return None
    customers = store.customers
    groups = adoption.eligible_groups_of(store)
    group = groups.loc[own.name] if own.name in groups.index else None
    kind = _text(own["organisation_type"])
    if group:
        label, members = group.lower(), customers[groups.eq(group).to_numpy()]
    elif kind.lower() not in UNINFORMATIVE_TYPES and not kind.lower().startswith("region"):
        label = f"bodies of type {kind}"
        members = customers[customers["organisation_type"].astype(str).eq(kind)]
    else:
        sector = _text(own["sector"])
        label, members = f"{sector} bodies", customers[customers["sector"].astype(str).eq(sector)]
    place = next((c for c in PLACE_COLUMNS if c in customers.columns and _text(own[c])), None)
    if place:
        members = members[members[place].astype(str).eq(_text(own[place]))]
        label = f"{label} in {_text(own[place])}"
    return PeerGroup(label, members)


def spend_by_body(lines: pd.DataFrame) -> pd.Series:
    """Spend (£) per buyer (known customer body key) in ``lines``."""
    lines = known_bodies(lines)
    if lines.empty:
        return pd.Series(dtype="float64")
    codes, keys = category_codes(lines["customer_key"])  # on codes: no text per line
    spend = np.bincount(codes, weights=lines["spend_gbp"].to_numpy(), minlength=len(keys))
    present = np.bincount(codes, minlength=len(keys)) > 0
    index = pd.Index(np.asarray(keys, dtype=str)[present], name="customer_key")
    return pd.Series(spend[present], index=index, name="spend_gbp")


def peers(store: Store, filters: Filters, key: str) -> pd.DataFrame:
    """The buyer's peers ranked by spend in view, those that never bought at the end:
    rank, customer, organisation type, sector, spend (£), buying (yes/no), and ``this_body``
    marking the buyer. Empty when the buyer is not in the customer list."""
    group = peer_group(store, key)
    columns = ["rank", "customer", "organisation_type", "sector", "spend_gbp", "buying",
               "this_body"]  # fmt: skip
    if group is None:
        return pd.DataFrame(columns=columns)
    spend = spend_by_body(store.filtered(replace(filters, customer=()), "customer"))
    members = group.members
    keys = customer_list_keys(store).loc[members.index].to_numpy(dtype=object)
    table = pd.DataFrame(
        {
            "customer": members["name"].astype(str).to_numpy(),
            "organisation_type": members["organisation_type"].astype(object).to_numpy(),
            "sector": members["sector"].astype(object).to_numpy(),
            "spend_gbp": spend.reindex(keys).to_numpy(dtype="float64"),
            "key": keys,
        }
    )
    table["buying"] = np.where(table["spend_gbp"].notna(), "Yes", "Not yet")
    table = table.sort_values(["spend_gbp", "customer"], ascending=[False, True],
                              na_position="last", ignore_index=True)  # fmt: skip
    table.insert(0, "rank", np.arange(1, len(table) + 1))
    table["this_body"] = np.where(table["key"].eq(key), "Yes", "")
    return table[columns]


def peers_figure(store: Store, filters: Filters, key: str) -> dict[str, object]:
    """``N of M``: peers buying in view of all peers in the list, the group's label, and the
    buyer's rank among them by spend (``None`` when it did not buy in view)."""
    group = peer_group(store, key)
    if group is None:
        return {"buying": None, "eligible": None, "label": None, "rank": None}
    table = peers(store, filters, key)
    own = table[table["this_body"].eq("Yes") & table["buying"].eq("Yes")]
    return {
        "buying": int(table["buying"].eq("Yes").sum()),
        "eligible": int(len(table)),
        "label": group.label,
        "rank": int(own["rank"].iloc[0]) if len(own) else None,
    }


def buyer_headline(store: Store, filters: Filters, key: str) -> dict[str, object]:
    """Spend (£) in view, first purchase through the frameworks in view (``YYYY-MM``, any
    period), distinct suppliers, SME share by value (%), and peers ``N of M``."""

    def compute() -> dict[str, object]:
        own = _of_buyer(filters, key)
        lines = store.filtered(own, "pair")
        every = store.filtered(without_time(own), "customer", months=True)
        figures = headline(lines)
        return {
            "spend_gbp": figures["total_spend"],
            "first_purchase": None if every.empty
            else periods.month_label(first_month_of(every)),
            "suppliers": count_bodies(lines["supplier_key"]),
            "sme_share_value": figures["sme_share_value"],
            **{f"peers_{k}": v for k, v in peers_figure(store, filters, key).items()},
        }  # fmt: skip

    return store.memoised(f"buyer-headline:{key}", filters, compute)


def lineage(store: Store, key: str, name: str) -> Lineage | None:
    """What the GOV.UK register says of a closed buyer (now part of which bodies, since when,
    or its later name), looked up by its display name and every name it was published
    under; ``None`` for a live body or one the register lacks."""
    published = published_names(store, key)["published_name"].astype(str).tolist()
    register = read_register()
    by_key = store.constant("register-title-keys", lambda: title_keys(register, store.vocab))
    return lineage_of([name, *published], store.vocab, register, by_key)


def buyer_facts(store: Store, key: str) -> dict[str, str]:
    """What is known of the buyer: name, sector, buyer group, organisation type, region,
    county, department (central bodies: the department it is part of), URN, and for a body
    GOV.UK records as closed, the bodies it is now part of (``now_part_of``, titles joined by
    ``; ``) and when it closed (``closed``). Memoised per body (the tab's title and the
    page both ask); a new dict each call."""
    return dict(store.memoised("buyer-facts", key, lambda: _buyer_facts(store, key)))


def _buyer_facts(store: Store, key: str) -> dict[str, str]:
    index = store.body_index
    lines = store.table("customer_fy")
    own = lines[one_of(lines["customer_key"], frozenset([key]))]
    listed = _list_row(store, key)
    region = _region_column(store.customers)

    def most(column: str) -> str:
        values = own[column].astype(object).dropna()
        values = values[values.ne(NO_DEPARTMENT)] if column == "department" else values
        return str(values.mode().iloc[0]) if len(values) else ""

    return {
        "name": index.display_names("customer").get(key, key),
        "sector": most("sector") or (_text(listed["sector"]) if listed is not None else ""),
        "buyer_group": most("buyer_group"),
        "organisation_type": _text(listed["organisation_type"]) if listed is not None else "",
        "region": _text(listed[region]) if listed is not None and region else "",
        "county": _text(listed["county"])
        if listed is not None and "county" in listed.index
        else "",
        "department": most("department"),
        "urn": key[4:] if key.startswith("urn:") else "",
        **_lineage_facts(lineage(store, key, index.display_names("customer").get(key, key))),
    }


def _lineage_facts(found: Lineage | None) -> dict[str, str]:
    if found is None:
        return {"now_part_of": "", "closed": ""}
    after = "; ".join(found.now_part_of) or found.renamed_to
    return {"now_part_of": after, "closed": found.closed_at}


def buyer_suppliers(store: Store, filters: Filters, key: str) -> pd.DataFrame:
    """The buyer's suppliers in view: SME status now, spend (£), first and last month."""
    lines = store.filtered(_of_buyer(filters, key), "pair", months=True)
    lines = dated(lines)  # a line of no month has no first or last month
    columns = ["supplier", "sme_status", "spend_gbp", "first_month", "last_month"]
    if lines.empty:
        return pd.DataFrame(columns=columns)
    codes, keys = category_codes(lines["supplier_key"])  # on codes: no group-by per request
    known = codes >= 0
    if not known.any():  # lines of no known supplier are nobody's sales
        return pd.DataFrame(columns=columns)
    codes, n = codes[known], len(keys)
    present = np.bincount(codes, minlength=n) > 0
    months = month_numbers_of(lines)[known]
    first, last = np.full(n, np.iinfo("int64").max), np.full(n, np.iinfo("int64").min)
    np.minimum.at(first, codes, months)
    np.maximum.at(last, codes, months)
    names = lines["supplier"].to_numpy(dtype=object)[known]
    named = ~pd.isna(names)  # each supplier's first name given, as a group-by's "first"
    first_named = first_positions(codes[named], n)  # len(...) for a supplier of no name
    table = pd.DataFrame({
        "supplier": np.append(names[named], np.nan)[first_named][present],
        "spend_gbp": np.bincount(codes, weights=lines["spend_gbp"].to_numpy()[known],
                                 minlength=n)[present],
        "first_month": [periods.label_of_month_number(m) for m in first[present]],
        "last_month": [periods.label_of_month_number(m) for m in last[present]],
    }, index=pd.Index(np.asarray(keys, dtype=str)[present]))  # fmt: skip
    sizes = supplier_sizes(store).reindex(table.index)
    table["sme_status"] = [size_note(*row) for row in sizes.itertuples(index=False)]
    table["supplier"] = table["supplier"].astype(str)
    return table.sort_values("spend_gbp", ascending=False)[columns].reset_index(drop=True)


def published_names(store: Store, key: str) -> pd.DataFrame:
    """The names the buyer was published under, how each was resolved, rows and spend (£)."""
    matches = store.matches
    own = matches[matches["kind"].eq("customer") & matches["body_key"].eq(key)]
    table = own[["published_name", "method", "rows", "spend_gbp"]]
    return table.sort_values("spend_gbp", ascending=False, ignore_index=True)


def not_yet_buying(
    store: Store, filters: Filters, organisation_type: str | None = None
) -> pd.DataFrame:
    """Eligible bodies of the customer list (the groups of ``eligible_body_groups.csv``, and
    every body of ``organisation_type`` if given) with no spend through the frameworks in
    view: name, group, organisation type, sector, region (where the list gives one)."""
    customers = store.customers
    columns = ["customer", "group", "organisation_type", "sector", "region"]
    if customers.empty:
        return pd.DataFrame(columns=columns)
    groups = adoption.eligible_groups_of(store).astype(object)
    if organisation_type:
        chosen = customers["organisation_type"].astype(str).eq(organisation_type).to_numpy()
        groups = groups.where(groups.notna() | ~chosen, organisation_type)
    buying = buyer_keys(adoption.profiles_in_view(store, filters))
    keys = customer_list_keys(store)
    chosen = groups.notna().to_numpy() & ~keys.isin(buying).to_numpy()
    region = _region_column(customers)
    rows = customers[chosen]
    table = pd.DataFrame(
        {
            "customer": rows["name"].astype(str).to_numpy(),
            "group": groups[chosen].to_numpy(),
            "organisation_type": rows["organisation_type"].astype(object).to_numpy(),
            "sector": rows["sector"].astype(object).to_numpy(),
            "region": rows[region].astype(object).to_numpy() if region else None,
        }
    )
    return table.sort_values(["group", "customer"], ignore_index=True)[columns]
