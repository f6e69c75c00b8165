"""Typed reading of small CSV tables: each named column converted by its type, and
one-line errors (:class:`SourceError`) naming the file and line.

Text is never stripped: some suffixes start with a space on purpose.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType

import pandas as pd

from loaders.core import periods


class SourceError(ValueError):
    """A sample source table that is missing, lacks a column or has a value of the wrong type."""


def yes_no(text: str) -> bool:
    """``yes`` -> True, ``no`` -> False; anything else is an error."""
    if text not in ("yes", "no"):
        raise ValueError(f"expected yes or no, got {text!r}")
    return text == "yes"


def fy_start(label: str) -> int:
    """The start year of a financial-year label (``2012-13`` -> 2012)."""
    year = periods.fy_start_year(label)
    if year is None:
        raise ValueError(f"not a financial year: {label!r}")
    return year


def one_of(*allowed: str) -> Callable[[str], str]:
    """A converter that accepts only the ``allowed`` texts."""

    def convert(text: str) -> str:
        if text not in allowed:
            raise ValueError(f"expected one of {', '.join(allowed)}, got {text!r}")
        return text

    return convert


def optional_int(text: str) -> int | None:
    """An integer, or None for an empty cell."""
    return int(text) if text else None


def month_label(text: str) -> str:
    """A ``YYYY-MM`` month, checked."""
    if not periods.is_month_label(text):
        raise ValueError(f"not a YYYY-MM month: {text!r}")
    return text


def read_rows(
    directory: Path, filename: str, columns: Mapping[str, Callable[[str], object]]
) -> list[tuple]:
    """Rows of one CSV as tuples of the named columns, each converted by its type."""
    path = existing(directory / filename)
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = sorted(set(columns) - set(reader.fieldnames or ()))
        if missing:
            raise SourceError(f"{path}: missing column(s) {', '.join(missing)}")
        rows = []
        for line, row in enumerate(reader, start=2):
            try:
                rows.append(tuple(typed(row[name], convert) for name, convert in columns.items()))
            except ValueError as error:
                raise SourceError(f"{path}, line {line}: {error}") from None
    return rows


def existing(path: Path) -> Path:
    """``path``, or :class:`SourceError` when there is no such file."""
    if not path.is_file():
        raise SourceError(f"{path}: no such source table")
    return path


def typed(text: str | None, convert: Callable[[str], object]) -> object:
    """One cell converted; ``None`` (a row with too few fields) is an error."""
    if text is None:
        raise ValueError("too few fields")
    return convert(text)


def column(directory: Path, filename: str, name: str) -> tuple[str, ...]:
    """One text column of a CSV, in file order."""
    return tuple(value for (value,) in read_rows(directory, filename, {name: str}))


def mapping(directory: Path, filename: str, columns: Mapping[str, Callable]) -> Mapping:
    """A read-only mapping from the first of two named columns to the second."""
    return MappingProxyType(dict(read_rows(directory, filename, columns)))


def grouped(pairs: list[tuple]) -> dict:
    """(key, value) rows -> key -> values, keys and values in file order."""
    groups: dict[object, list] = {}
    for key, value in pairs:
        groups.setdefault(key, []).append(value)
    return {key: tuple(values) for key, values in groups.items()}


def read_text_frame(directory: Path, filename: str) -> pd.DataFrame:
    """A CSV with every column as text (empty cells as ``""``)."""
    return pd.read_csv(existing(directory / filename), dtype=str, keep_default_na=False)
