"""What each reading rule did to one file, as the facts of its load report entry.

Extraction applies rules that change what a cell means without quarantining anything: a hidden
sheet is not the release, a merged cell's value fills every row it spans, a formula stored
without a value is worked out, ``1,200.00 CR`` is a credit, ``£ -`` is zero, ``2019/20 P01`` is
April 2019, a header over two rows is read as one, a return with no invoices is a nil return.
Each file's report says how often each rule applied (``rules_applied``: one entry per rule
with what it did, how many cells or rows and, where pounds are at stake, how many), so that
a number that changed can be traced to the rule that changed it. Built here once, as plain
data; :func:`rule_lines` tells it in words and the data-quality page shows it as a table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from loaders.core.parsing import MONEY_NOTATIONS
from loaders.sources.ccs_spend.checks import BLANK, FORMULA, NOTE, TOTALS
from loaders.sources.ccs_spend.sheet_rows import EVALUATED, SheetRows
from loaders.sources.ccs_spend.sheets import FileSheets

NIL_NO_INVOICES = "its invoice sheet lists no invoices"
NIL_NO_SHEET = "it has no invoice sheet"


@dataclass
class SheetCounts:
    """Cells of one read sheet that a reading rule changed."""

    merged_cells_filled: int = 0
    notations: dict[str, int] = field(default_factory=dict)  # money notation -> cells
    period_months: int = 0  # months written as financial periods (2019/20 P01)


def _rule(rule: str, what: str, count: int, unit: str, spend: float | None = None) -> dict:
    return {"rule": rule, "what": what, "count": int(count), "unit": unit, "spend_gbp": spend}


def _hidden_rules(sheets: FileSheets) -> list[dict[str, Any]]:
    return [
        _rule(
            "hidden sheet not read",
            f"sheet {h.sheet!r} ({h.state}) is not part of the release",
            h.rows,
            "rows",
            h.spend_gbp,
        )
        for h in sheets.hidden
    ]


def _formula_rules(read: list[SheetRows], quarantine: pd.DataFrame) -> list[dict[str, Any]]:
    out = []
    for rows in read:
        for header, counts in rows.formulas.items():
            if counts.get(EVALUATED):
                out.append(
                    _rule(
                        "formula worked out",
                        f"formulas without a stored value in {header!r} given their result",
                        counts[EVALUATED],
                        "cells",
                    )
                )
    failed = quarantine[quarantine["reason"].eq(FORMULA)]
    if len(failed):
        spend = round(float(failed["spend_gbp"].fillna(0).sum()), 2)
        out.append(
            _rule(
                "formula not worked out",
                "rows quarantined as 'formula without a value'",
                len(failed),
                "rows",
                spend,
            )
        )
    return out


def _cell_rules(counts: list[SheetCounts], read: list[SheetRows]) -> list[dict[str, Any]]:
    out = []
    merged = sum(c.merged_cells_filled for c in counts)
    if merged:
        out.append(
            _rule(
                "merged cells filled",
                "empty cells given the value of the merged cell they belong to",
                merged,
                "cells",
            )
        )
    for notation in MONEY_NOTATIONS:
        n = sum(c.notations.get(notation, 0) for c in counts)
        if n:
            out.append(
                _rule(
                    "accounting amounts",
                    f"amounts written as a {notation} read as such",
                    n,
                    "cells",
                )
            )
    periods = sum(c.period_months for c in counts)
    if periods:
        out.append(
            _rule(
                "financial-period months",
                "months written as financial periods (P1 = April) read as months",
                periods,
                "cells",
            )
        )
    for rows in read:
        if rows.layout.header_rows > 1:
            first = rows.layout.header_row
            out.append(
                _rule(
                    "header over two rows",
                    f"rows {first} and {first + 1} read as one header (group over field)",
                    1,
                    "headers",
                )
            )
    return out


def nil_return(
    sheets: FileSheets, quarantine: pd.DataFrame, loaded: int, supplier_from: str
) -> str | None:
    """Why a supplier's return is a nil return (no invoices this month), or ``None``.

    A return (its supplier named by ``--supplier`` or its file name, not by a column) is
    nil when it has no invoice sheet at all, or when its invoice sheet has no data rows
    (only blanks, notes such as "Nil return" and totals).
    """
    if supplier_from == "column":
        return None
    if sheets.no_invoice_sheet(bool(supplier_from)):
        return NIL_NO_SHEET
    nothing = quarantine["reason"].isin((BLANK, NOTE, TOTALS)).all()
    return NIL_NO_INVOICES if loaded == 0 and nothing else None


def may_load_nothing(notes: dict[str, Any]) -> bool:
    """Whether a file that gives no row is still a good file: a supplier's nil return."""
    return bool(notes.get("nil_return"))


def rules_applied(
    sheets: FileSheets,
    read: list[SheetRows],
    counts: list[SheetCounts],
    quarantine: pd.DataFrame,
    nil: str | None,
) -> list[dict[str, Any]]:
    """One entry per reading rule that changed something in the file (see the module doc)."""
    out = [*_hidden_rules(sheets), *_cell_rules(counts, read), *_formula_rules(read, quarantine)]
    if nil:
        out.append(
            _rule(
                "nil return",
                f"a supplier's return with no invoices ({nil}): nothing to load, nothing refused",
                1,
                "files",
                0.0,
            )
        )
    return out


def rule_lines(report: dict[str, Any]) -> list[str]:
    """The ``rules_applied`` of a file's report in words."""
    lines = []
    for entry in report.get("rules_applied", []):
        amount = entry.get("spend_gbp")
        pounds = "" if amount is None else f", £{amount:,.2f}"
        lines.append(
            f"  {entry['rule']}: {entry['what']} ({entry['count']:,} {entry['unit']}{pounds})"
        )
    return lines
