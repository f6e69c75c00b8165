"""Register matches of a store with rows added, from the stored matches and the buyers whose
inputs changed: what :func:`~loaders.bodies.registers.matching.register_tables` gives for
all the rows, without matching every buyer again (an append,
:mod:`loaders.sources.ccs_spend.append`).

A buyer's register match depends only on its body key, its display name and the spellings it
was published under (the match report), with the customer list's matches and the register
table (:func:`~loaders.bodies.registers.matching.match_buyers` matches each buyer on its
own). So when the customer list's bodies and names are those the stored matches were made
from (the register table and the loaders are the same: an append checks their fingerprints
first), a buyer whose key, display name and spellings are unchanged keeps its stored match or
its absence of one, and only the new or changed buyers are matched. Otherwise everything is
matched again.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from loaders.bodies.registers.matching import (
    BODY_MATCH_COLUMNS,
    match_buyers,
    not_public_urns,
    register_tables,
)
from loaders.bodies.registers.names import name_index
from loaders.catalogue.aggregate_tables import BODIES, table_name
from loaders.catalogue.parts import Appended, whole
from loaders.core.vocabulary import Vocabulary

SEPARATOR = "\x1f"  # between the spellings of one buyer (no published name holds it)


def buyer_inputs(spend: pd.DataFrame, matches: pd.DataFrame) -> pd.DataFrame:
    """What each buyer is matched from, by ``customer_key``: ``customer`` (its display name,
    from its first spend row, as :func:`~loaders.bodies.registers.matching.match_loaded`
    takes it) and ``spellings`` (its published names in the match report, sorted, joined)."""
    buyers = spend[["customer_key", "customer"]].dropna(subset=["customer_key"])
    buyers = buyers.drop_duplicates("customer_key").astype(object).set_index("customer_key")
    of_customers = matches[matches["kind"].eq("customer").fillna(False).to_numpy(dtype=bool)]
    spelt = of_customers[["body_key", "published_name"]].dropna().astype(object)
    joined = spelt.groupby("body_key")["published_name"].agg(
        lambda names: SEPARATOR.join(sorted(set(names)))
    )
    buyers["spellings"] = joined.reindex(buyers.index).fillna("").to_numpy()
    return buyers


def _plain(frame: pd.DataFrame) -> list[list]:
    return frame.astype(object).where(frame.notna(), None).to_numpy().tolist()


def _same(one: pd.DataFrame, other: pd.DataFrame) -> bool:
    """Whether two small tables hold the same values (dtypes aside, nulls alike)."""
    return list(one.columns) == list(other.columns) and _plain(one) == _plain(other)


def changed_buyers(before: pd.DataFrame, now: pd.DataFrame) -> pd.Index:
    """The buyers of ``now`` (:func:`buyer_inputs`) new or changed since ``before``."""
    common = now.index.intersection(before.index)
    columns = ["customer", "spellings"]
    was = before.loc[common, columns].fillna(SEPARATOR).to_numpy()
    same = (was == now.loc[common, columns].fillna(SEPARATOR).to_numpy()).all(axis=1)
    return now.index.difference(common).append(common[~same])


def _buyers(stored: Mapping[str, pd.DataFrame], spend: object) -> tuple[pd.DataFrame, ...]:
    """Each buyer's ``customer_key`` and display name (``customer``) in the store and in
    the store with the new rows: from the store's ``bodies`` table and the new rows when
    ``spend`` is the stored rows with new ones after them (each body has one display name
    in every row), else from the rows."""
    bodies = table_name(BODIES)
    if not isinstance(spend, Appended) or bodies not in stored:
        return stored["spend"], whole(spend)
    table = stored[bodies]
    customers = table[table["kind"].eq("customer").to_numpy(dtype=bool)]
    before = pd.DataFrame({"customer_key": customers["key"].astype(object).to_numpy(),
                           "customer": customers["name"].astype(object).to_numpy()})  # fmt: skip
    new = spend.added[["customer_key", "customer"]].dropna(subset=["customer_key"]).astype(object)
    names = spend.names.get("customer", {})  # buyers the new rows rename
    renamed = before.assign(customer=[names.get(n, n) for n in before["customer"]])
    return before, pd.concat([renamed, new], ignore_index=True)


def carried_register_tables(
    stored: Mapping[str, pd.DataFrame],
    spend: pd.DataFrame,
    matches: pd.DataFrame,
    customers: pd.DataFrame,
    customer_names: pd.DataFrame,
    vocab: Vocabulary,
) -> dict[str, pd.DataFrame]:
    """``register_matches`` and ``customer_register_matches`` of ``spend`` (all the rows:
    the stored and the new; as a frame or as the stored parts and new rows), carried from
    ``stored`` (a store's tables: its ``spend`` or ``aggregates.bodies``, ``matches``,
    ``customers``, ``customer_names`` and both register tables) where the
    module docstring says they cannot differ; the same tables as
    :func:`~loaders.bodies.registers.matching.register_tables` gives."""
    from loaders.bodies.registers import REGISTER_TABLES
    from loaders.bodies.registers.table import read_register_bodies

    listed = stored["customers"], stored["customer_names"]
    if not (_same(listed[0], customers) and _same(listed[1], customer_names)):
        return register_tables(whole(spend), matches, customers, customer_names, vocab)
    before, after = _buyers(stored, spend)
    now = buyer_inputs(after, matches)
    changed = changed_buyers(buyer_inputs(before, stored["matches"]), now)
    kept = stored["register_matches"]
    kept = kept[kept["customer_key"].isin(now.index.difference(changed)).to_numpy(dtype=bool)]
    parts = [kept]
    if len(changed):
        buyers = now.loc[changed, ["customer"]].reset_index()
        spellings = [(key, name) for key, joined in now.loc[changed, "spellings"].items()
                     for name in joined.split(SEPARATOR) if name]  # fmt: skip
        parts.append(match_buyers(
            buyers, stored["customer_register_matches"],
            name_index(read_register_bodies(), vocab), vocab,
            pd.DataFrame(spellings, columns=["customer_key", "published_name"]),
            not_public_urns(customers),
        ))  # fmt: skip
    found = [p for p in parts if not p.empty]
    table = REGISTER_TABLES["register_matches"]
    buyer_matches = (
        pd.concat(
            [table.typed(p[BODY_MATCH_COLUMNS]) for p in found], ignore_index=True
        ).sort_values("customer_key", ignore_index=True)
        if found
        else table.empty()
    )
    return {
        "register_matches": table.typed(buyer_matches),
        "customer_register_matches": REGISTER_TABLES["customer_register_matches"].typed(
            stored["customer_register_matches"]
        ),
    }
