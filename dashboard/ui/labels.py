"""The labels table: what every column that reaches a user is called, and its unit.

``data/reference/labels.csv`` (``column, view, label, unit, description``) is the app's field
dictionary. Views and figures work in snake_case; data tables, CSV and Excel downloads rename
their columns here, at the edge, and format numbers by unit (``gbp``, ``pct``, ``count``,
``number``, ``id``, ``text``; ``month`` ``YYYY-MM`` and ``date`` ``YYYY-MM-DD``, real dates in
Excel downloads); names of bodies (``customer``, ``supplier``, ``department``)
are text that links to the body's page in data tables. A row with a ``view`` id applies to
that view only and wins over the row without one. A ``column`` may hold a placeholder:
``{group}`` (a buyer group's column key, ``non_whitehall``; the label gets the group's
name), ``{fy}`` (a financial year, ``2016-17``) or ``{release}`` (a release). The label
``{period}`` reads ``Month`` or ``Financial year`` as the charts are drawn.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from dashboard.analytics.filters import Filters
from loaders.core.vocabulary import REFERENCE_DIR, load_vocabulary

LABELS_FILE = REFERENCE_DIR / "labels.csv"
UNITS = ("gbp", "pct", "count", "number", "id", "text", "month", "date", "customer", "supplier",
         "department")  # fmt: skip
_PLACEHOLDERS = {
    "{group}": r"(?P<group>[a-z_]+)",
    "{fy}": r"(?P<fy>\d{4}-\d{2})",
    "{release}": r"(?P<release>.+)",
}


@dataclass(frozen=True)
class Label:
    """How one column is shown."""

    text: str
    unit: str


@dataclass(frozen=True)
class _Pattern:
    regex: re.Pattern[str]
    view: str
    label: str
    unit: str


@dataclass(frozen=True)
class Labels:
    """Every label of ``labels.csv``: exact column names, and columns with placeholders."""

    exact: dict[tuple[str, str], Label]  # (column, view or "") -> label
    patterns: tuple[_Pattern, ...]

    def label(self, column: str, view: str = "", filters: Filters | None = None) -> Label:
        """The label and unit of ``column`` in ``view``; the column's own name (as text)
        when the table has none."""
        found = self.exact.get((column, view)) or self.exact.get((column, ""))
        if found is None:
            found = self._from_pattern(column, view)
        if found is None:
            return Label(column, "text")
        if "{period}" in found.text:
            shown_by = (filters or Filters()).shown_by
            period = {"month": "Month", "quarter": "Financial quarter"}.get(
                shown_by, "Financial year"
            )
            unit = "month" if shown_by == "month" else found.unit
            found = Label(found.text.replace("{period}", period), unit)
        return found

    def _from_pattern(self, column: str, view: str) -> Label | None:
        for pattern in sorted(self.patterns, key=lambda p: p.view != view):
            if pattern.view not in ("", view):
                continue
            match = pattern.regex.fullmatch(column)
            if match is None:
                continue
            values = match.groupdict()
            if "group" in values:
                names = {g.column: g.name for g in load_vocabulary().buyer_group_list}
                if values["group"] not in names:
                    continue
                values["group"] = names[values["group"]]
            return Label(pattern.label.format(**values), pattern.unit)
        return None

    def has(self, column: str, view: str = "") -> bool:
        """Whether the table labels ``column`` (exactly or by a placeholder)."""
        known = (column, view) in self.exact or (column, "") in self.exact
        return known or self._from_pattern(column, view) is not None


def _regex(column: str) -> re.Pattern[str]:
    text = re.escape(column)
    for placeholder, group in _PLACEHOLDERS.items():
        text = text.replace(re.escape(placeholder), group)
    return re.compile(text)


@lru_cache(maxsize=2)
def read_labels(path: Path = LABELS_FILE) -> Labels:
    """Read ``labels.csv``; raises ``ValueError`` naming a row with an unknown unit."""
    exact: dict[tuple[str, str], Label] = {}
    patterns: list[_Pattern] = []
    with Path(path).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["unit"] not in UNITS:
                raise ValueError(f"{path}: unknown unit {row['unit']!r} for {row['column']!r}")
            if "{" in row["column"]:
                patterns.append(
                    _Pattern(_regex(row["column"]), row["view"], row["label"], row["unit"])
                )
            else:
                exact[(row["column"], row["view"])] = Label(row["label"], row["unit"])
    return Labels(exact, tuple(patterns))


def labelled(
    table: pd.DataFrame, view: str, filters: Filters | None = None
) -> tuple[pd.DataFrame, list[str]]:
    """``table`` with its columns renamed to their labels, and the unit of each column."""
    if len(table.columns) == 0:
        return table, []
    labels = [read_labels().label(str(c), view, filters) for c in table.columns]
    renamed = table.set_axis([label.text for label in labels], axis=1)
    return renamed, [label.unit for label in labels]
