"""The results of formulas a workbook stores without a value, worked out with ``formulas``.

A workbook written by a script (openpyxl, for one) may hold ``=K2*L2`` in a cell and no cached
result: Excel computes it when the file is opened, a reader sees an empty cell. Each such
formula is parsed and compiled by the `formulas <https://pypi.org/project/formulas/>`_ library
(a well-kept Excel formula engine) and fed the values of the cells it refers to, read from the
same workbook: cells of its own sheet, of another sheet (``Prices!B2``) and ranges
(``SUM(K2:K9)``); a referenced cell that is itself a formula without a value is worked out
first. A formula that cannot be worked out (a defined name, a function the engine lacks, a
reference to a missing sheet, a circular reference) gives :class:`Unevaluated`, which carries
the formula so that the row can be quarantined naming it. Excel error results (``#DIV/0!``)
come back as their error text, like error cells.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import schedula
from formulas import Parser
from formulas.errors import FormulaError
from formulas.tokens.operand import XlError

from loaders.core.workbook_xml import cell_position

Position = tuple[int, int]
Rows = list[list[object]]
_RANGE = re.compile(
    r"^(?:(?P<sheet>.+)!)?(?P<first>\$?[A-Z]{1,3}\$?\d+)(?::(?P<last>\$?[A-Z]{1,3}\$?\d+))?$"
)


@contextmanager
def _quiet_engine() -> Iterator[None]:
    """Keep the engine's own log of a failed formula (a traceback) off the console: the
    failure is reported as an unevaluated formula instead."""
    logger = logging.getLogger("schedula")
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        logger.setLevel(level)


class Unevaluated(str):
    """A formula that could not be worked out: the text of the formula (``=FOO(K2)``)."""

    __slots__ = ()


class _CannotEvaluate(Exception):
    """Raised inside evaluation; the formula becomes :class:`Unevaluated`."""


@lru_cache(maxsize=4096)
def _compiled(formula: str):
    """The compiled function of a formula (inputs by reference), cached by its text."""
    try:
        return Parser().ast(formula)[1].compile()
    except (FormulaError, ValueError, TypeError, KeyError, AttributeError) as exc:
        raise _CannotEvaluate(formula) from exc


def _cell_value(value: object) -> object:
    """A cell as the engine takes it: empty cells as its empty value, dates as serials."""
    if value is None or value == "":
        return schedula.EMPTY
    if isinstance(value, dt.datetime):
        return (value - dt.datetime(1899, 12, 30)).total_seconds() / 86400
    if isinstance(value, dt.date):
        return float((value - dt.date(1899, 12, 30)).days)
    return value


def _result(value: object) -> object:
    """The engine's result as a cell value: a number, text, bool or error text."""
    array = np.asarray(value, dtype=object)
    item = array.item() if array.size == 1 else array.flat[0]
    if isinstance(item, XlError):
        return str(item)
    if item is schedula.EMPTY:
        return 0.0
    if isinstance(item, (np.floating, np.integer)):
        item = item.item()
    if isinstance(item, float) and not math.isfinite(item):
        return "#NUM!"
    return item


@dataclass
class FormulaCells:
    """The formulas without a value of one sheet, worked out on demand.

    ``rows`` are the sheet's cells as read (0-based like ``formulas``' keys); ``other_sheet``
    gives another sheet's rows by name, or ``None``.
    """

    rows: Rows
    formulas: dict[Position, str]
    other_sheet: Callable[[str], Rows | None] | None = None
    _done: dict[Position, object] = field(default_factory=dict)
    _busy: set[Position] = field(default_factory=set)

    def value(self, position: Position) -> object:
        """The value of the formula at ``position``, or :class:`Unevaluated`."""
        if position not in self._done:
            try:
                self._done[position] = self._evaluate(position)
            except _CannotEvaluate:
                self._done[position] = Unevaluated(self.formulas[position])
        return self._done[position]

    def _evaluate(self, position: Position) -> object:
        if position in self._busy:
            raise _CannotEvaluate("circular reference")
        self._busy.add(position)
        try:
            function = _compiled(self.formulas[position])
            inputs = [self._input(name) for name in function.inputs]
            try:
                return _result(function(*inputs))
            except Exception as exc:  # the engine raises many types for what it cannot do
                raise _CannotEvaluate(self.formulas[position]) from exc
        finally:
            self._busy.discard(position)

    def _own(self, position: Position) -> object:
        """A cell of this sheet, worked out first if it is a formula without a value."""
        if position in self.formulas:
            value = self.value(position)
            if isinstance(value, Unevaluated):
                raise _CannotEvaluate(value)
            return value
        row, column = position
        if row < len(self.rows) and column < len(self.rows[row]):
            return self.rows[row][column]
        return ""

    def _cell(self, sheet: Rows | None, position: Position) -> object:
        if sheet is None:
            return _cell_value(self._own(position))
        row, column = position
        inside = row < len(sheet) and column < len(sheet[row])
        return _cell_value(sheet[row][column] if inside else "")

    def _input(self, name: str) -> object:
        match = _RANGE.match(name)
        if not match:
            raise _CannotEvaluate(name)  # a defined name, or something else
        sheet = None
        if match["sheet"]:
            if self.other_sheet is None:
                raise _CannotEvaluate(name)
            sheet = self.other_sheet(match["sheet"].strip("'"))
            if sheet is None:
                raise _CannotEvaluate(name)
        first = cell_position(match["first"])
        last = cell_position(match["last"]) if match["last"] else None
        if first is None:
            raise _CannotEvaluate(name)
        if last is None:
            return self._cell(sheet, first)
        return np.array(
            [
                [self._cell(sheet, (row, column)) for column in range(first[1], last[1] + 1)]
                for row in range(first[0], last[0] + 1)
            ],
            dtype=object,
        )


def formula_results(
    rows: Rows,
    formulas: dict[Position, str],
    wanted: Callable[[Position], bool],
    other_sheet: Callable[[str], Rows | None] | None = None,
) -> dict[Position, object]:
    """The value of each formula without a value whose position is ``wanted``: a number,
    text, bool, an error text (``#DIV/0!``) or :class:`Unevaluated` (the formula)."""
    cells = FormulaCells(rows, formulas, other_sheet)
    with _quiet_engine():
        return {position: cells.value(position) for position in formulas if wanted(position)}
