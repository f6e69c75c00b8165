"""The load report: where every row and every pound of every file went.

For each file: layout, rows read, loaded, superseded by a newer release and quarantined by
reason, months covered, and the reconciliation *spend read = loaded + superseded +
quarantined* to the penny. What is not read is accounted for beside it: sheets the workbook
hides (their rows and pounds) and nil returns (supplier returns with no invoices). What each
reading rule did in the file is listed too (``rules_applied``: :mod:`~.rules`). Built as plain
data (saved as ``load_report.json``) and told in words by :func:`describe`.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from loaders.bodies.resolution import method_counts
from loaders.sources.ccs_spend.checks import COMBINING_REASONS, TOTALS
from loaders.sources.ccs_spend.extract import FileExtract
from loaders.sources.ccs_spend.ledger import (
    SpendFigures,
    by_value,
    headline_of,
    months_of,
)
from loaders.sources.ccs_spend.rules import rule_lines

PENNY = 0.005
# Rows and pounds of a file by outcome: read = loaded + superseded + quarantined.
OUTCOME_KEYS = (
    "rows_read",
    "rows_loaded",
    "rows_superseded",
    "rows_quarantined",
    "spend_read_gbp",
    "spend_loaded_gbp",
    "spend_superseded_gbp",
    "spend_quarantined_gbp",
)


# Rows and pounds of a file accounted for apart from what it read: set aside as an ambiguous
# overlap, and held in sheets the workbook hides (never read).
ACCOUNTED_APART = (
    "rows_set_aside",
    "spend_set_aside_gbp",
    "rows_in_hidden_sheets",
    "spend_in_hidden_sheets_gbp",
)


def pounds(values: pd.Series | list[float]) -> float:
    """Exactly rounded sum of amounts (missing ones skipped), to the penny."""
    array = np.asarray(values, dtype="float64")
    return round(math.fsum(array[~np.isnan(array)].tolist()), 2)


def _by(frame: pd.DataFrame, column: str) -> dict[str, dict[str, float | int]]:
    out: dict[str, dict[str, float | int]] = {}
    for value, group in frame.groupby(column, observed=True, sort=True):
        out[str(value)] = {"rows": int(len(group)), "spend_gbp": pounds(group["spend_gbp"])}
    return out


# The columns of a file's parsed rows its report reads (``kept``: not superseded).
FILE_ROW_COLUMNS = ["kept", "spend_gbp", "framework", "month", "sector_method", "sme_source"]
FILE_QUARANTINE_COLUMNS = ["spend_gbp", "spend_raw", "reason"]  # and of its quarantined rows


@dataclass
class FileRows:
    """One file's rows after combining: its parsed rows (with ``kept``) and quarantine."""

    extract: FileExtract
    release: str
    parsed: pd.DataFrame  # the file's parsed rows, inference applied: FILE_ROW_COLUMNS
    quarantine: pd.DataFrame  # rows rejected while reading: FILE_QUARANTINE_COLUMNS


def _reconciliation(rows: FileRows) -> dict[str, Any]:
    parsed, rejected = rows.parsed, rows.quarantine
    kept = parsed[parsed["kept"]]
    dropped = parsed[~parsed["kept"]]
    read = pounds(list(parsed["spend_gbp"]) + list(rejected["spend_gbp"]))
    loaded, superseded = pounds(kept["spend_gbp"]), pounds(dropped["spend_gbp"])
    quarantined = pounds(rejected["spend_gbp"])
    difference = round(read - (loaded + superseded + quarantined), 2)
    data_rows = read
    declared = rows.extract.declared_total_gbp
    return {
        "rows_read": int(len(parsed) + len(rejected)),
        "rows_loaded": int(len(kept)),
        "rows_superseded": int(len(dropped)),
        "rows_quarantined": int(len(rejected)),
        "spend_read_gbp": read,
        "spend_loaded_gbp": loaded,
        "spend_superseded_gbp": superseded,
        "spend_quarantined_gbp": quarantined,
        "rows_with_unreadable_spend": int(
            (
                rejected["spend_gbp"].isna()
                & rejected["spend_raw"].fillna("").ne("")
                & rejected["reason"].ne(TOTALS)
            ).sum()
        ),
        "difference_gbp": difference,
        "reconciles": abs(difference) < PENNY,
        "declared_total_gbp": None if declared is None else round(declared, 2),
        "data_rows_total_gbp": data_rows,
        "declared_total_agrees": None
        if declared is None
        else abs(round(declared, 2) - data_rows) < PENNY,
    }


def file_report(rows: FileRows, rank: int, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """Report of one file: layout, rows and pounds by outcome, inference, unmapped values;
    ``extra`` adds facts found elsewhere (its status among versions, the extract's notes)."""
    e = rows.extract
    kept = rows.parsed[rows.parsed["kept"]]
    first = e.layouts[0] if e.layouts else None  # none: a nil return without invoice sheet
    return {
        "file": e.path.name,
        "path": str(e.path),
        "sha256": e.sha256,
        "encoding": e.encoding,
        "layout": "; ".join(sorted({layout.layout for layout in e.layouts})),
        "sheets": [layout.sheet for layout in e.layouts if layout.sheet],
        "skipped_sheets": e.skipped_sheets,
        "header_row": first.header_row + 1 if first else None,
        "columns": first.headers if first else {},
        "release": rows.release,
        "file_date": e.file_date.isoformat() if e.file_date else None,
        "rank": rank,
        "frameworks": sorted(rows.parsed["framework"].dropna().astype(str).unique()),
        "months": months_of(rows.parsed),
        "months_loaded": months_of(kept),
        **_reconciliation(rows),
        "quarantined_by_reason": _by(rows.quarantine, "reason"),
        "sector_method": _by(kept, "sector_method"),
        "sme_source": _by(kept, "sme_source"),
        "unmapped_values": e.unmapped_values,
        **(extra or {}),
    }


def build_report(
    files: list[dict[str, Any]],
    spend: SpendFigures,
    quarantine: pd.DataFrame,
    revisions: pd.DataFrame,
    duplicates: list[dict[str, str]],
    customers: str | None,
    matches: pd.DataFrame | None = None,
) -> dict[str, Any]:
    """The whole load report as plain data, the spend rows given by their figures
    (:func:`~loaders.sources.ccs_spend.ledger.figures_of`); ``matches`` adds name
    resolution by method."""
    rejected = quarantine[~quarantine["reason"].isin(COMBINING_REASONS)]
    totals = {
        key: (
            pounds([f.get(key, 0.0) for f in files])
            if key.endswith("_gbp")
            else sum(f.get(key, 0) for f in files)
        )
        for key in (*OUTCOME_KEYS, *ACCOUNTED_APART)
    }
    totals["reconciles"] = all(f["reconciles"] for f in files)
    totals["nil_returns"] = [f["file"] for f in files if f.get("nil_return")]
    matching = {}
    if matches is not None:
        matching = {
            "customer_matching": method_counts(matches, "customer"),
            "supplier_matching": method_counts(matches, "supplier"),
        }
    return {
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "customer_list": customers,
        "files": files,
        "duplicates_skipped": duplicates,
        "totals": totals,
        "quarantined_by_reason": _by(rejected, "reason"),
        "sector_method": by_value(spend.ledger, "sector_method"),
        "sme_source": by_value(spend.ledger, "sme_source"),
        "revised_framework_months": int(len(revisions)),
        "headline": headline_of(spend),
        **matching,
        "spend_ledger": spend.ledger,
    }


def _money(value: float | None) -> str:
    if value is None:
        return "n/a"
    sign = "-" if value < 0 else ""
    return f"{sign}£{abs(value):,.2f}"


def _file_lines(f: dict[str, Any]) -> list[str]:
    months = f["months"]
    lines = [
        f"{f['file']}",
        f"  layout {f['layout'] or 'none (no invoice sheet)'}; encoding "
        f"{f['encoding'] or 'n/a (workbook)'}; header on row {f['header_row']}; "
        f"release {f['release']}",
        f"  months {months['first']} to {months['last']} ({months['count']})",
        f"  read        {f['rows_read']:>9,} rows  {_money(f['spend_read_gbp'])}",
        f"  loaded      {f['rows_loaded']:>9,} rows  {_money(f['spend_loaded_gbp'])}",
        f"  superseded  {f['rows_superseded']:>9,} rows  {_money(f['spend_superseded_gbp'])}",
        f"  quarantined {f['rows_quarantined']:>9,} rows  {_money(f['spend_quarantined_gbp'])}",
    ]
    for reason, seen in f["quarantined_by_reason"].items():
        lines.append(f"    {reason}: {seen['rows']:,} rows, {_money(seen['spend_gbp'])}")
    if f["rows_with_unreadable_spend"]:
        lines.append(f"    ({f['rows_with_unreadable_spend']:,} rows had no readable amount)")
    verdict = (
        "reconciles to the penny" if f["reconciles"] else f"OFF BY {_money(f['difference_gbp'])}"
    )
    lines.append(f"  read = loaded + superseded + quarantined: {verdict}")
    if f["declared_total_gbp"] is not None:
        agree = "agrees" if f["declared_total_agrees"] else "DISAGREES"
        lines.append(
            f"  the file's own total row {_money(f['declared_total_gbp'])} {agree} with its rows "
            f"({_money(f['data_rows_total_gbp'])})"
        )
    for field, values in f["unmapped_values"].items():
        lines.append(f"  unrecognised {field} values kept as published: {', '.join(values[:8])}")
    return lines + _note_lines(f)


def _sheet_lines(f: dict[str, Any]) -> list[str]:
    """The sheets not read, and why; a hidden sheet with the rows and pounds it holds."""
    hidden = {h["sheet"]: h for h in f.get("hidden_sheets", [])}
    lines = []
    for sheet, why in f.get("skipped_sheet_reasons", {}).items():
        held = hidden.get(sheet)
        also = f" ({held['rows']:,} rows, {_money(held['spend_gbp'])})" if held else ""
        lines.append(f"  sheet {sheet!r} not read: {why}{also}")
    return lines


def _note_lines(f: dict[str, Any]) -> list[str]:
    """The file's notes in words: versions, sheets skipped, dates, $ amounts, Excel errors."""
    lines = []
    if f.get("version_status"):
        lines.append(f"  among files of its release: {f['version_status']}")
    if f.get("rows_set_aside"):
        lines.append(
            f"  set aside as an ambiguous overlap: {f['rows_set_aside']:,} rows, "
            f"{_money(f['spend_set_aside_gbp'])}"
        )
    lines += _sheet_lines(f)
    for column in f.get("date_columns", []):
        if column["decided_by"] != "values" or column["order"] != "day-first":
            lines.append(
                f"  dates in {column['column']!r} read {column['order']}, by the "
                f"{column['decided_by']} ({column['day_first_rows']:,} only day-first, "
                f"{column['month_first_rows']:,} only month-first, {column['ambiguous_rows']:,} "
                "ambiguous)"
            )
    if f.get("date_system") == "1904":
        lines.append("  workbook on the 1904 date system: serial numbers read from 1904")
    if f.get("dollar_amounts"):
        lines.append(f"  {f['dollar_amounts']:,} amounts written with $ read as pounds")
    for header, values in f.get("excel_errors", {}).items():
        found = ", ".join(f"{value} {n:,}" for value, n in values.items())
        lines.append(f"  Excel errors in {header!r}: {found}")
    if f.get("supplier_from") not in (None, "column"):
        lines.append(f"  supplier {f['supplier']!r} taken from the {f['supplier_from']}")
    if f.get("nil_return"):
        lines.append(f"  NIL RETURN: {f['nil_return']}; nothing loaded, nothing refused")
    return lines + rule_lines(f)


def _release_lines(report: dict[str, Any]) -> list[str]:
    """Decisions on versions and parts, and identifiers not trusted, in words."""
    lines = [f"Files of one release: {d['reason']}." for d in report.get("release_versions", [])]
    for item in report.get("untrusted_identifiers", []):
        names = "; ".join(item["names"][:5]) + ("; ..." if len(item["names"]) > 5 else "")
        lines.append(
            f"{item['identifier']} {item['value']} not trusted ({item['reason']}): "
            f"{item['rows']:,} rows, {_money(item['spend_gbp'])}, resolved by name: {names}."
        )
    return lines


def _share_text(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}%"


def _matching_line(matching: dict[str, dict[str, Any]]) -> str:
    return "Customer names resolved to bodies by: " + "; ".join(
        f"{method} {seen['names']:,} names ({seen['rows']:,} rows, {_money(seen['spend_gbp'])})"
        for method, seen in matching.items()
    )


def describe(report: dict[str, Any]) -> str:
    """The load report in words, for the command line and notebooks."""
    if not report["files"]:
        return f"Load report ({report['generated_at']}): no spend files."
    t, h = report["totals"], report["headline"]
    lines = [
        f"Load report ({report['generated_at']}): {len(report['files'])} file(s).",
        f"Loaded {t['rows_loaded']:,} rows, {_money(t['spend_loaded_gbp'])}, "
        f"months {h['months']['first']} to {h['months']['last']}.",
        f"Superseded by newer releases: {t['rows_superseded']:,} rows; quarantined: "
        f"{t['rows_quarantined']:,} rows. "
        f"Every file reconciles: {'yes' if t['reconciles'] else 'NO'}.",
        f"Not read: {t.get('rows_in_hidden_sheets', 0):,} rows "
        f"({_money(t.get('spend_in_hidden_sheets_gbp', 0.0))}) in hidden sheets; nil returns: "
        f"{len(t.get('nil_returns', [])):,}.",
        f"Central government {_share_text(h['central_government_share_pct'])} of spend; "
        f"SME {_share_text(h['sme_share_value_pct'])} by value, "
        f"{_share_text(h['sme_share_volume_pct'])} by volume.",
        f"{h['distinct_customers']:,} customers, {h['distinct_suppliers']:,} suppliers (distinct "
        f"bodies after name resolution).",
        "Spend by financial year: "
        + "; ".join(f"{k} {_money(v)}" for k, v in h["by_financial_year_gbp"].items()),
        "Sector found by: "
        + "; ".join(
            f"{k} {v['rows']:,} rows ({_money(v['spend_gbp'])})"
            for k, v in report["sector_method"].items()
        ),
        f"Revised framework-months: {report['revised_framework_months']:,}.",
    ]
    if report.get("customer_matching"):
        lines.insert(-1, _matching_line(report["customer_matching"]))
    for dup in report["duplicates_skipped"]:
        lines.append(f"Skipped {dup['file']}: same content as {dup['same_as']}.")
    for served in report.get("manifests_ignored", []):
        lines.append(f"Not taken as a manifest: {served} (served by a publisher; name an "
                     "analyst's manifest with --manifest).")  # fmt: skip
    lines.extend(_release_lines(report))
    lines.append("")
    for f in report["files"]:
        lines.extend(_file_lines(f))
    return "\n".join(lines)


def summary_line(report: dict[str, Any]) -> str | None:
    """One line for the command line after an ingest (``None`` without spend files)."""
    if not report["files"]:
        return None
    totals, months = report["totals"], report["headline"]["months"]
    return (
        f"Loaded {totals['rows_loaded']:,} rows (£{totals['spend_loaded_gbp']:,.2f}, "
        f"{months['first']} to {months['last']}) from {len(report['files'])} file(s); "
        f"{totals['rows_superseded']:,} superseded, {totals['rows_quarantined']:,} quarantined; "
        f"reconciles: {'yes' if totals['reconciles'] else 'NO'}."
    )
