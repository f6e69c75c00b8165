"""The order people expect: iterations by number (G-Cloud 2 ... G-Cloud 14, not 10 before 2),
lots in the order of ``data/reference/lots.csv`` (the frameworks' own lot numbers), anything
else with its numbers read as numbers."""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from loaders.core.vocabulary import load_vocabulary

_NUMBER = re.compile(r"(\d+)")


def natural_key(text: object) -> tuple:
    """Sort key reading the numbers in ``text`` as numbers: ``G-Cloud 9`` < ``G-Cloud 10``."""
    parts = _NUMBER.split(str(text).lower())
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in parts)


def lot_rank() -> dict[str, int]:
    """Position of each canonical lot in ``lots.csv`` (its first row)."""
    rank: dict[str, int] = {}
    for rule in load_vocabulary().lots:
        rank.setdefault(rule.lot, len(rank))
    return rank


def sort_key(column: str):
    """The sort key of the values of one column (``lot``: the lots' own order; others
    natural), for ``sorted`` or ``pandas.Series.map``."""
    if column == "lot":
        ranks = lot_rank()
        return lambda value: (ranks.get(str(value), len(ranks)), natural_key(value))
    return natural_key


def ordered(values: Iterable[object], column: str) -> list[object]:
    """``values`` in the order people expect for ``column``."""
    return sorted(values, key=sort_key(column))


def sort_frame(table: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """``table`` sorted by ``columns`` (each in its expected order), stably."""
    if table.empty:
        return table
    keys = {c: table[c].map(sort_key(c)) for c in columns}
    order = sorted(range(len(table)), key=lambda i: tuple(keys[c].iloc[i] for c in columns))
    return table.iloc[order].reset_index(drop=True)
