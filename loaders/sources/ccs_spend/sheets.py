"""Which sheets of a published file are the release, and what the others held.

* A sheet the workbook does not show (``hidden`` or ``veryHidden``) is not the release: a stale
  copy of the data, a lookup, a working sheet. It is never read as spend; it is named in the
  load report with the rows and pounds it holds (:class:`HiddenSheet`), so that nothing in the
  file goes unaccounted for.
* A shown sheet whose header has no spend and no date column (orders, contracts, guidance) is
  skipped and named with the reason.
* A shown sheet with a spend or date column whose header cannot be mapped stops the load.

A supplier's return with no invoice sheet at all (only its contracts, guidance and lookup
sheets) is a nil return: see :meth:`FileSheets.no_invoice_sheet`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from loaders.core.errors import LoaderInputError
from loaders.core.parsing import money_of
from loaders.core.spreadsheets import Sheet, iter_sheets
from loaders.core.vocabulary import Vocabulary
from loaders.sources.ccs_spend.checks import total_marker
from loaders.sources.ccs_spend.layout import (
    MappedLayout,
    find_header_row,
    is_spend_header,
    map_layout,
    skip_reason,
    unknown_layout_error,
)
from loaders.sources.ccs_spend.sheet_rows import NOTE_ROW_MAX_CELLS, sheet_rows

HIDDEN_REASON = "hidden in the workbook (not part of the release)"


@dataclass(frozen=True)
class HiddenSheet:
    """A sheet the workbook does not show: its state, and the data rows and pounds it holds
    (rows that are not blank, notes or totals; pounds of their readable amounts, £ ex VAT).
    ``rows`` counts its non-empty rows below the top when no spend header is found."""

    sheet: str
    state: str
    rows: int
    spend_gbp: float
    header_found: bool

    def as_report(self) -> dict[str, object]:
        """Plain data for the load report."""
        return {
            "sheet": self.sheet,
            "state": self.state,
            "rows": self.rows,
            "spend_gbp": self.spend_gbp,
            "header_found": self.header_found,
        }


def _hidden_sheet(path: Path, sheet: Sheet, vocab: Vocabulary, supplier: str | None):
    """What a hidden sheet holds, read as it would be if it were shown (never loaded)."""
    try:
        layout = map_layout(path, sheet, vocab, bool(supplier))
    except LoaderInputError:
        layout = None
    if layout is None:
        rows = sum(1 for row in sheet.rows if any(str(c).strip() for c in row if c is not None))
        return HiddenSheet(sheet.name or "", sheet.state, rows, 0.0, header_found=False)
    rows = sheet_rows(sheet, layout, supplier)
    data = ~rows.blank & (rows.filled_cells > NOTE_ROW_MAX_CELLS) & ~total_marker(rows)
    amounts = money_of(rows.raw["spend"])[data]
    spend = round(float(np.nansum(amounts)), 2) if len(amounts) else 0.0
    return HiddenSheet(sheet.name or "", sheet.state, int(data.sum()), spend, header_found=True)


@dataclass
class FileSheets:
    """The sheets of one file: those read as spend, those skipped (sheet -> reason), the
    hidden ones, and why none could be read (``problem``, raised if no sheet is read and the
    file is not a nil return)."""

    mapped: list[tuple[Sheet, MappedLayout]]
    skipped: dict[str, str]
    hidden: list[HiddenSheet]
    problem: Exception | None = None
    return_sheets: int = 0  # shown sheets with a known header but no spend (contracts...)
    read: int = 0  # sheets read as spend (``mapped`` may be emptied once they are coded)

    def no_invoice_sheet(self, supplier_named: bool) -> bool:
        """Whether this is a supplier's return with no invoice sheet at all (a nil return):
        its supplier is named (by ``--supplier`` or its file name), no shown sheet holds
        spend and a shown sheet has a known header (its contracts or orders)."""
        return supplier_named and not self.read and self.return_sheets > 0


def _no_spend_problem(path: Path, hidden: list[HiddenSheet]) -> Exception | None:
    named = [h for h in hidden if h.header_found]
    if not named:
        return None
    sheets = ", ".join(f"{h.sheet!r} ({h.rows:,} rows, £{h.spend_gbp:,.2f})" for h in named)
    return LoaderInputError(
        path, f"no sheet the workbook shows holds spend; hidden sheet(s) {sheets} are not read"
    )


def file_sheets(path: Path, data: bytes, vocab: Vocabulary, supplier: str | None) -> FileSheets:
    """Sort the sheets of ``path`` (bytes ``data``) into read, skipped and hidden.

    ``supplier`` is the supplier named for a return without a supplier column (its header
    then need not have one). Raises :class:`LoaderInputError` for a shown sheet with an
    unmappable spend header.
    """
    out = FileSheets(mapped=[], skipped={}, hidden=[])
    first_rows: list[list[object]] | None = None
    for sheet in iter_sheets(path, data):
        if not sheet.shown:
            out.hidden.append(_hidden_sheet(path, sheet, vocab, supplier))
            out.skipped[sheet.name or ""] = HIDDEN_REASON
            continue
        first_rows = sheet.rows if first_rows is None else first_rows
        try:
            layout = map_layout(path, sheet, vocab, bool(supplier))
        except LoaderInputError as error:
            index = find_header_row(sheet.rows, vocab)
            if index is not None and is_spend_header(sheet.rows[index], vocab):
                raise
            out.problem = out.problem or error
            layout = None
        if layout is not None:
            out.mapped.append((sheet, layout))
            continue
        out.skipped[sheet.name or ""] = skip_reason(sheet, vocab)
        out.return_sheets += find_header_row(sheet.rows, vocab) is not None
    out.read = len(out.mapped)
    if not out.mapped:
        out.problem = (
            _no_spend_problem(path, out.hidden)
            or out.problem
            or unknown_layout_error(path, first_rows or [], vocab)
        )
    return out
