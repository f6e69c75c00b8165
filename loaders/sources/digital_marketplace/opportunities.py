"""The Digital Marketplace's export of Digital Outcomes and Specialists opportunities, read into
the ``dos_opportunities`` table: one row per opportunity, with the applications from SMEs and
from large organisations and, once awarded, the winner's size and the contract amount.

Its columns are named in ``data/reference/dos_opportunity_columns.csv`` (headers matched
ignoring case, spaces and punctuation); a file is this export when its header holds every one
of them (:func:`is_opportunities_file`), so it is told from spend CSVs by its header alone.
Reading rules, each from the real export of July 2018:

- counts are written as decimals (``6.0``); a blank SME or large count is 0 where the total
  is given (306 rows leave the large count blank, 20 the SME count), all three blank stay
  unknown;
- ``Framework`` is a slug (``digital-outcomes-and-specialists-2``) read with
  ``dos_frameworks.csv``; ``Category`` a lot (``digital-specialists``) read with ``lots.csv``;
- ``Size of supplier`` micro, small or medium is an SME (``sme_status.csv``), large is
  large, blank is unknown;
- ``Contract amount`` is pounds as decimal text; dates are ``YYYY-M-D``.

Every row is an opportunity and is loaded; a cell that cannot be read (a count or an amount
that is no number, a date that is no date) stops the load with a one-line error naming the
file, row and column. Buyers are resolved to bodies as spend customers are.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

import pandas as pd

from loaders.core.errors import LoaderInputError
from loaders.core.normalise import canonical_lot, canonical_sme
from loaders.core.vocabulary import REFERENCE_DIR, Vocabulary, simplify

COLUMNS_FILE = REFERENCE_DIR / "dos_opportunity_columns.csv"
FRAMEWORKS_FILE = REFERENCE_DIR / "dos_frameworks.csv"
COUNTS = ("applications_sme", "applications_large", "applications_total")
DATES = ("published", "contract_start")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


@lru_cache(maxsize=2)
def columns(path: Path = COLUMNS_FILE) -> Mapping[str, str]:
    """Simplified published header -> column of the table."""
    return {simplify(r["header"]): r["column"] for r in _rows(path)}


@lru_cache(maxsize=2)
def frameworks(path: Path = FRAMEWORKS_FILE) -> Mapping[str, tuple[str, str]]:
    """Framework slug -> (framework, iteration)."""
    return {r["slug"]: (r["framework"], r["iteration"]) for r in _rows(path)}


def header_of(path: Path) -> list[str]:
    """The cells of the file's first line (``[]`` if it cannot be read as UTF-8 CSV)."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return next(csv.reader(handle), [])
    except (OSError, UnicodeDecodeError, csv.Error):
        return []


def is_opportunities_file(path: Path) -> bool:
    """Whether ``path`` is a CSV whose header holds every column of the export."""
    if path.suffix.lower() != ".csv":
        return False
    return set(columns()) <= {simplify(cell) for cell in header_of(path)}


def _number(frame: pd.DataFrame, column: str, path: Path, header: str) -> pd.Series:
    text = frame[column].str.strip()
    numbers = pd.to_numeric(text.where(text.ne("")), errors="coerce")
    bad = numbers.isna() & text.ne("")
    if bad.any():
        row = int(bad.idxmax()) + 2
        raise LoaderInputError(path, f"{text[bad].iloc[0]!r} is not a number", row=row,
                               column=header)  # fmt: skip
    return numbers


def _counts(frame: pd.DataFrame, path: Path, headers: dict[str, str]) -> pd.DataFrame:
    out = {c: _number(frame, c, path, headers[c]) for c in COUNTS}
    total = out["applications_total"]
    for column in COUNTS[:2]:
        out[column] = out[column].where(out[column].notna() | total.isna(), 0.0)
    for column, values in out.items():
        bad = values.notna() & ((values % 1).ne(0) | values.lt(0))
        if bad.any():
            raise LoaderInputError(path, "a count must be a whole number", row=int(
                bad.idxmax()) + 2, column=headers[column])  # fmt: skip
    return pd.DataFrame({c: v.astype("Int64") for c, v in out.items()})


def _dates(frame: pd.DataFrame, column: str, path: Path, header: str) -> pd.Series:
    text = frame[column].str.strip()
    dates = pd.to_datetime(text.where(text.ne("")), format="%Y-%m-%d", errors="coerce")
    bad = dates.isna() & text.ne("")
    if bad.any():
        raise LoaderInputError(path, f"{text[bad].iloc[0]!r} is not a date (YYYY-MM-DD)",
                               row=int(bad.idxmax()) + 2, column=header)  # fmt: skip
    return dates.astype("datetime64[us]")


def read_opportunities(path: Path, vocab: Vocabulary) -> pd.DataFrame:
    """The opportunities of one export file (columns of ``dos_opportunities`` but the
    buyer's resolved body), with ``source_file`` and ``source_row``.

    Raises :class:`~loaders.core.errors.LoaderInputError` naming the file, row and column
    of a cell that cannot be read, or the columns the header lacks.
    """
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    named = {c: columns().get(simplify(c)) for c in raw.columns}
    missing = sorted(set(columns().values()) - set(named.values()))
    if missing:
        raise LoaderInputError(path, f"lacks the column(s) {', '.join(missing)}")
    headers = {column: header for header, column in named.items() if column}
    frame = raw.rename(columns=named)[list(headers)]
    known = frame["framework_slug"].map(lambda s: frameworks().get(s.strip()))
    unknown = known.isna() & frame["framework_slug"].str.strip().ne("")
    if unknown.any():
        slug = frame["framework_slug"][unknown].iloc[0]
        raise LoaderInputError(
            path, f"unknown framework {slug!r} (add it to data/reference/dos_frameworks.csv)",
            row=int(unknown.idxmax()) + 2, column=headers["framework_slug"],
        )  # fmt: skip
    frame["framework"] = known.map(lambda k: k[0] if k else None)
    frame["framework_iteration"] = known.map(lambda k: k[1] if k else None)
    frame["lot"] = [
        canonical_lot(lot, f, i, vocab) if f else None
        for lot, f, i in zip(frame["lot"], frame["framework"], frame["framework_iteration"],
                             strict=True)
    ]  # fmt: skip
    frame[list(COUNTS)] = _counts(frame, path, headers)
    amount = _number(frame, "contract_value_gbp", path, headers["contract_value_gbp"])
    frame["contract_value_gbp"] = amount.astype("float64")
    for column in DATES:
        frame[column] = _dates(frame, column, path, headers[column])
    frame["opportunity_id"] = _number(frame, "opportunity_id", path, headers["opportunity_id"])
    awarded = frame["status"].str.strip().str.lower().eq("awarded")
    size = frame["supplier_size"].map(lambda s: canonical_sme(s, vocab) or "Unknown")
    frame["size_status"] = size.where(awarded, None)
    frame["source_file"] = str(path)
    frame["source_row"] = range(2, len(frame) + 2)
    return frame.replace({"": None})
