"""What an append carries over from the store it adds to, when that is sure to be what a
full load gives: the aggregate tables of every month and financial year without new rows
(:func:`loaders.aggregates.carry_aggregates`).

The stored aggregates were built from the stored spend rows; they are kept only when those
rows come first in the new spend table, unchanged in every column the aggregates read but
the display names of bodies the new rows renamed (their lines are shown by the new name),
and no renamed customer changes department. Otherwise every aggregate is built again when
the store is written (:func:`loaders.aggregates.aggregate_result`).

When the spend rows are the store's parts with the new rows after them (no rename:
:class:`~loaders.catalogue.parts.Appended`) and every new month is later than the stored ones,
the tables are carried as parts too (:func:`loaders.aggregates.carry_in_parts`): the stored
lines are neither read nor written again, only the new months' lines and the latest financial
year's lines summed again.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from loaders.aggregate_bodies import appended_bodies
from loaders.aggregates import ROW_COLUMNS, carry_aggregates, carry_in_parts
from loaders.bodies.departments import departments_of_customers
from loaders.catalogue.aggregate_tables import (
    BODIES,
    GRAINS,
    YEARLY,
    aggregate_tables,
    table_name,
)
from loaders.catalogue.parts import Appended, StoredTable
from loaders.catalogue.result import LoadResult
from loaders.core.vocabulary import Vocabulary

AGGREGATED = (*ROW_COLUMNS, "spend_gbp")
CARRIED = (*GRAINS, *(f"{g}_fy" for g in YEARLY))


def _both_categorical(before: pd.Series, after: pd.Series) -> bool:
    return isinstance(before.dtype, pd.CategoricalDtype) and isinstance(
        after.dtype, pd.CategoricalDtype
    )


def _recoded(before: pd.Series, after: pd.Series) -> np.ndarray:
    """The codes of ``before`` (categorical) among the categories of ``after``: -1 for a
    null, -2 for a value ``after`` has no category for (so it equals no code of ``after``)."""
    where = after.cat.categories.get_indexer(before.cat.categories)
    where[where < 0] = -2
    return np.append(where, -1)[before.cat.codes.to_numpy()]  # code -1 (null) reads the -1


def _same_values(before: pd.Series, after: pd.Series) -> bool:
    """Whether two columns of the same length hold the same values (categories compared by
    value, whatever their codes)."""
    if _both_categorical(before, after):
        return np.array_equal(_recoded(before, after), after.cat.codes.to_numpy())
    if before.dtype != after.dtype:
        return False
    return before.reset_index(drop=True).equals(after.reset_index(drop=True))


def _differs(before: pd.Series, after: pd.Series) -> np.ndarray:
    """Per row, whether two columns of the same length hold different values (two nulls
    are the same; categories compared by value, whatever their codes)."""
    if _both_categorical(before, after):
        return _recoded(before, after) != after.cat.codes.to_numpy()
    nulls = (before.isna() & after.isna()).to_numpy(dtype=bool)
    return before.ne(after).fillna(True).to_numpy(dtype=bool) & ~nulls


def renamed_bodies(
    before: pd.DataFrame, after: pd.DataFrame, vocab: Vocabulary
) -> dict[str, dict[str, str]] | None:
    """The bodies the first rows of ``after`` show by another name than the rows of
    ``before`` (``customer`` or ``supplier`` -> body key -> new name), when those rows are
    otherwise the same in every column the aggregates read (:data:`AGGREGATED`) and no
    customer's new name puts it in another department; else ``None`` (nothing carried)."""
    n = len(before)
    if len(after) < n or any(c not in before or c not in after for c in AGGREGATED):
        return None
    head = after.iloc[:n]
    names = {"customer": "customer_key", "supplier": "supplier_key"}
    if not all(_same_values(before[c], head[c]) for c in AGGREGATED if c not in names):
        return None
    renamed: dict[str, dict[str, str]] = {}
    for name, key in names.items():
        old, new = before[name].reset_index(drop=True), head[name].reset_index(drop=True)
        differs = _differs(old, new)
        if not differs.any():
            continue
        pairs = pd.DataFrame({"key": head[key][differs].to_numpy(), "old": old[differs],
                              "new": new[differs]}).drop_duplicates()  # fmt: skip
        if pairs[["key", "new"]].isna().any(axis=None) or pairs["key"].duplicated().any():
            return None  # a body without a key, a name or with two: not a rename
        if name == "customer" and not np.array_equal(
            departments_of_customers(pairs["old"], vocab).to_numpy(),
            departments_of_customers(pairs["new"], vocab).to_numpy(),
        ):
            return None
        renamed[name] = dict(zip(pairs["key"], pairs["new"], strict=True))
    return renamed


def _renamed(held: object, names: dict[str, dict[str, str]]) -> object:
    return held.renamed(names) if isinstance(held, StoredTable) else held


def _same_departments(names: dict[str, dict[str, str]], vocab: Vocabulary) -> bool:
    """Whether no customer a release renames (old name -> new) changes department by it
    (the stored lines' department would change too: they are summed again instead)."""
    changes = names.get("customer", {})
    if not changes:
        return True
    old, new = pd.Series(list(changes), dtype=object), pd.Series(list(changes.values()))
    before = departments_of_customers(old, vocab).to_numpy()
    return np.array_equal(before, departments_of_customers(new.astype(object), vocab).to_numpy())


def renamed_bodies_table(bodies: pd.DataFrame, names: dict[str, dict[str, str]]) -> pd.DataFrame:
    """The stored ``bodies`` table with the bodies of ``names`` (``customer`` or
    ``supplier`` -> old name -> new) shown by their new names."""
    if not any(names.values()):
        return bodies
    out = bodies.copy()
    for kind, changes in names.items():
        rows = out["kind"].eq(kind).to_numpy(dtype=bool) & out["name"].isin(list(changes)).to_numpy(
            dtype=bool
        )
        out.loc[rows, "name"] = out.loc[rows, "name"].map(changes)
    return out


def with_aggregates(result: LoadResult, stored: LoadResult, vocab: Vocabulary) -> LoadResult:
    """``result`` (an append to ``stored``) with its aggregate tables carried from the
    store's (module docstring), or as it is when they cannot be."""
    names = [table_name(n) for n in (*CARRIED, BODIES)]
    if any(n not in stored.catalogue for n in names):
        return result
    catalogue = aggregate_tables(result.catalogue["spend"])
    spend = result.held_as("spend")
    if isinstance(spend, Appended) and _same_departments(spend.names, vocab):
        # the stored rows as they are (bodies renamed as they are read), new rows after them
        held = {n: _renamed(stored.held_as(table_name(n)), spend.names) for n in CARRIED}
        parts = carry_in_parts(held, spend.added, vocab)
        if parts is not None:
            added = {grain: parts[grain].added for grain in ("customer", "supplier")}
            bodies = renamed_bodies_table(stored[table_name(BODIES)], spend.names)
            parts[BODIES] = appended_bodies(bodies, added["customer"], added["supplier"])
            return result.with_tables({table_name(n): t for n, t in parts.items()}, catalogue)
    renamed = renamed_bodies(stored["spend"], result.spend, vocab)
    if renamed is None:
        return result
    carried = {n: stored[table_name(n)] for n in CARRIED}
    first_new = len(stored["spend"])
    aggregates = carry_aggregates(carried, result.spend, first_new, vocab, renamed)
    return result.with_tables(aggregates.named(), catalogue)
