"""Find the header row of a sheet and map its headers to canonical fields.

The header row is the first of the top rows in which most non-empty cells are known header
aliases (``data/reference/column_aliases.csv``); title and note rows above it are skipped.
A header may stand over two rows: a group row (``Customer`` over ``URN | Name | Sector``,
often merged across its columns) over the field row. Each field is then read with its group
(``Customer Name``) where that is a known header, else alone; the group's text runs right
until the next group cell. Line breaks inside a header cell count as spaces. A header that no
alias matches stops the load with a message naming it (and both rows, for a header over two
rows) and the alias file.

Some known headers are never loaded (:data:`NOT_LOADED_FIELDS`): identifiers and quantities
of supplier returns (``ignore``), VAT amounts (``vat``), VAT-inclusive amounts
(``spend_inc_vat``) and contract values and dates (``contract_value``, ``contract_detail``),
so that none of them can be taken for spend (ex VAT). A workbook sheet whose header has no
spend and no date column (orders, contracts, guidance) is skipped and named in the report.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from loaders.core.errors import LoaderInputError
from loaders.core.spreadsheets import Sheet
from loaders.core.vocabulary import Vocabulary, simplify

HEADER_SCAN_ROWS = 30
MIN_KNOWN_HEADERS = 3
REQUIRED_FIELDS = ("customer", "supplier", "spend")
MONTH_FIELDS = ("month", "invoice_date")
IGNORED_FIELD = "ignore"
NOT_LOADED_FIELDS = frozenset(
    {IGNORED_FIELD, "vat", "spend_inc_vat", "contract_value", "contract_detail"}
)


@dataclass(frozen=True)
class MappedLayout:
    """Where the header is and which column holds which canonical field."""

    layout: str
    header_row: int  # 0-based index into the sheet rows
    columns: dict[str, int]  # canonical field -> column index
    headers: dict[str, str]  # canonical field -> header as published
    unnamed_columns: tuple[int, ...]  # columns with no header (ignored; counted in report)
    sheet: str | None
    header_rows: int = 1  # 2: a group row over the field row, read as one header


def _known_count(row: list[object], vocab: Vocabulary) -> tuple[int, int]:
    cells = [simplify(c) for c in row if isinstance(c, str) and c.strip()]
    return sum(c in vocab.header_aliases for c in cells), len(cells)


def _text(cell: object) -> str:
    return " ".join(str(cell).split()) if cell is not None else ""


def _grouped(group: str, field: str, vocab: Vocabulary) -> str:
    """A field read with its group, where that is a known header (else the field alone)."""
    if not group or not field or simplify(group) == simplify(field):
        return field or group
    both = f"{group} {field}"
    return both if simplify(both) in vocab.header_aliases else field


def two_row_header(above: list[object], row: list[object], vocab: Vocabulary) -> list[str]:
    """The header of a field row read with the group row above it (see the module doc)."""
    width = max(len(above), len(row))
    cells, group = [], ""
    for index in range(width):
        field = _text(row[index]) if index < len(row) else ""
        top = _text(above[index]) if index < len(above) else ""
        group = top or group
        cells.append(_grouped(group, field, vocab))
    return cells


def _fields(cells: list[object], vocab: Vocabulary) -> list[str | None]:
    return [vocab.header_aliases.get(simplify(c)) for c in cells if _text(c)]


def _score(cells: list[object], vocab: Vocabulary) -> int:
    """Known headers of a row, less two for each loaded field held twice (fields never
    loaded, such as the identifiers of a return, may repeat)."""
    fields = [f for f in _fields(cells, vocab) if f is not None]
    loaded = [f for f in fields if f not in NOT_LOADED_FIELDS]
    return len(fields) - 2 * (len(loaded) - len(set(loaded)))


def header_cells(rows: list[list[object]], index: int, vocab: Vocabulary) -> tuple[list, int]:
    """The header at row ``index``: the row itself, or the row read with the group row above
    it when that maps more columns; and how many rows it stands over (1 or 2)."""
    row = rows[index]
    if index == 0 or sum(bool(_text(c)) for c in rows[index - 1]) < 2:  # a title, not groups
        return row, 1
    combined = two_row_header(rows[index - 1], row, vocab)
    if _score(combined, vocab) > _score(row, vocab):
        return combined, 2
    return row, 1


def _qualifies(cells: list[object], vocab: Vocabulary) -> bool:
    known, filled = _known_count(cells, vocab)
    return known >= MIN_KNOWN_HEADERS and known * 2 >= filled


def find_header_row(rows: list[list[object]], vocab: Vocabulary) -> int | None:
    """Index of the header row among the first rows (the field row of a header over two
    rows), or ``None`` if there is none."""
    for index in range(min(HEADER_SCAN_ROWS, len(rows))):
        if not _qualifies(header_cells(rows, index, vocab)[0], vocab):
            continue
        below = index + 1
        if below < len(rows) and header_cells(rows, below, vocab)[1] == 2:
            combined = header_cells(rows, below, vocab)[0]
            if _qualifies(combined, vocab) and _score(combined, vocab) > _score(rows[index], vocab):
                return below  # this row is the group row over the field row below
        return index
    return None


def _likely_header(rows: list[list[object]]) -> list[str]:
    """The first row with several text cells: what the user most likely meant as a header."""
    for row in rows[:HEADER_SCAN_ROWS]:
        texts = [str(c).strip() for c in row if isinstance(c, str) and any(map(str.isalpha, c))]
        if len(texts) >= MIN_KNOWN_HEADERS:
            return texts
    return []


def _alias_file(vocab: Vocabulary) -> Path:
    return vocab.source_dir / "column_aliases.csv"


def unknown_layout_error(path: Path, rows: list[list[object]], vocab: Vocabulary) -> Exception:
    """The error for a sheet with no recognisable header row."""
    headers = _likely_header(rows)
    if not headers:
        return LoaderInputError(path, "has no header row (no row of column names in the top rows)")
    unknown = [h for h in headers if simplify(h) not in vocab.header_aliases]
    return LoaderInputError(
        path,
        f"unknown layout: cannot map header(s) {', '.join(map(repr, unknown))}; "
        f"add each as an alias in {_alias_file(vocab)}",
    )


@dataclass(frozen=True)
class _Columns:
    columns: dict[str, int]  # canonical field -> column index (loaded fields)
    published: dict[str, str]  # canonical field -> header as published
    unnamed: tuple[int, ...]
    unknown: tuple[str, ...]
    not_loaded: dict[str, str]  # header -> field, for fields never loaded (VAT, contract)


def _map_columns(path: Path, header: list[object], vocab: Vocabulary, row: int) -> _Columns:
    columns: dict[str, int] = {}
    published: dict[str, str] = {}
    unknown: list[str] = []
    unnamed: list[int] = []
    not_loaded: dict[str, str] = {}
    for index, cell in enumerate(header):
        text = _text(cell)
        if not text:
            unnamed.append(index)
            continue
        field = vocab.header_aliases.get(simplify(text))
        if field is None:
            unknown.append(text)
        elif field in NOT_LOADED_FIELDS:
            not_loaded[text] = field
        elif field in columns:
            raise LoaderInputError(
                path,
                f"columns {published[field]!r} and {text!r} both hold {field}; "
                "remove one or change its alias",
                row=row,
            )
        else:
            columns[field] = index
            published[field] = text
    return _Columns(columns, published, tuple(unnamed), tuple(unknown), not_loaded)


def _unknown_headers_error(
    path: Path, found: _Columns, vocab: Vocabulary, row: int, rows: str = ""
):
    where = f" in {rows}" if rows else ""
    return LoaderInputError(
        path,
        f"unknown layout: cannot map header(s) {', '.join(map(repr, found.unknown))}{where}; "
        f"add each as an alias in {_alias_file(vocab)}",
        row=row,
    )


def _named(found: _Columns, field: str) -> str:
    return ", ".join(repr(h) for h, f in found.not_loaded.items() if f == field)


def _missing_spend(found: _Columns) -> str:
    if "spend_inc_vat" in found.not_loaded.values():
        return (
            f"spend (ex VAT): {_named(found, 'spend_inc_vat')} includes VAT and is never "
            "taken as spend"
        )
    if "contract_value" in found.not_loaded.values():
        return f"spend: {_named(found, 'contract_value')} is a contract value, not spend"
    return "spend"


def _check_required(path: Path, found: _Columns, row: int, supplier_given: bool) -> None:
    columns = found.columns
    missing = [
        _missing_spend(found) if f == "spend" else f
        for f in REQUIRED_FIELDS
        if f not in columns and not (f == "supplier" and supplier_given)
    ]
    if not any(f in columns for f in MONTH_FIELDS):
        missing.append("month (or invoice date)")
    if missing:
        problem = f"the header has no column for {', '.join(missing)}"
        if "supplier" in missing:
            problem += " (a supplier's own return: name the supplier with --supplier NAME)"
        raise LoaderInputError(path, problem, row=row)


def layout_name(published_headers: list[str], vocab: Vocabulary) -> str:
    """Name of the known layout with exactly these headers, or a description if none."""
    keys = frozenset(simplify(h) for h in published_headers)
    for layout in vocab.layouts:
        if layout.header_keys == keys:
            return layout.name
    return "unlisted combination of known headers"


def is_spend_header(header: list[object], vocab: Vocabulary) -> bool:
    """Whether a header row has a spend or a date column (an invoices sheet, not an orders,
    contracts or guidance sheet)."""
    fields = {vocab.header_aliases.get(simplify(c)) for c in header if str(c or "").strip()}
    return bool(fields & {"spend", *MONTH_FIELDS})


def map_layout(
    path: Path, sheet: Sheet, vocab: Vocabulary, supplier_given: bool = False
) -> MappedLayout | None:
    """Map the header of ``sheet``; ``None`` if the sheet has no header row at all.

    ``supplier_given``: a supplier is known without a supplier column (``--supplier`` or the
    file name), so the header need not have one. Raises :class:`LoaderInputError` for
    unknown headers, a field held twice and required fields missing.
    """
    index = find_header_row(sheet.rows, vocab)
    if index is None:
        return None
    header, header_rows = header_cells(sheet.rows, index, vocab)
    found = _map_columns(path, header, vocab, row=index + 1)
    if found.unknown:
        raise _unknown_headers_error(path, found, vocab, row=index + 1, rows=_over(sheet, index))
    _check_required(path, found, index + 1, supplier_given)
    all_published = [_text(c) for c in header if _text(c)]
    return MappedLayout(
        layout=layout_name(all_published, vocab),
        header_row=index,
        columns=found.columns,
        headers=found.published,
        unnamed_columns=found.unnamed,
        sheet=sheet.name,
        header_rows=header_rows,
    )


def _over(sheet: Sheet, index: int) -> str:
    """How a refused header is named: its row, or both rows when a row of groups (two or
    more cells) stands over it."""
    above = sheet.rows[index - 1] if index > 0 else []
    if sum(bool(_text(c)) for c in above) >= 2:
        return f"the header over rows {index} and {index + 1} (a group row over the field row)"
    return ""


def skip_reason(sheet: Sheet, vocab: Vocabulary) -> str:
    """Why a sheet without spend is not read: no header row, or what its header holds."""
    index = find_header_row(sheet.rows, vocab)
    if index is None:
        return "no header row of spend columns"
    fields = {vocab.header_aliases.get(simplify(c)) for c in sheet.rows[index] if c}
    if "contract_value" in fields:
        return "orders or contracts (contract values are not spend)"
    return "no spend or date column"
