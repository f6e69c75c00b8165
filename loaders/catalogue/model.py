"""Tables and fields as data: what each stored table holds, typed, with units and meaning.

A :class:`Table` declares one stored table: its name, the file it is stored in (relative to
the store folder), what one row is, and its :class:`Field` s in order (name, dtype, unit,
meaning). A :class:`Catalogue` is an immutable set of tables; catalogues add up (``a + b``)
as long as a table declared twice is declared the same way. Whoever produces a table
declares it beside its code, in two CSV files read by :func:`read_declarations`:

- ``tables.csv``: ``table,file,meaning`` (``file`` blank: ``<table>.parquet``);
- ``fields.csv``: ``table,field,dtype,unit,values,meaning``, the fields of each table in
  order; ``values`` lists the codes a ``code`` field takes, ``|``-separated, where no
  reference table of ``data/reference`` already defines them.

Units: ``gbp`` (pounds, ex VAT unless said), ``count``, ``month`` (a month as its first
day), ``date`` (a date and time), ``days``, ``flag`` (true/false), ``text``, ``key`` (an
identifier or body key), ``code`` (a value of a short list), ``rank``.

The same declarations type a frame (:meth:`Table.typed`), give an empty table
(:meth:`Table.empty`) and travel with the store as ``catalogue.json``
(:meth:`Catalogue.to_json`), so a store can be read without knowing who wrote it.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from loaders.core.errors import LoaderInputError

UNITS = frozenset({"gbp", "count", "month", "date", "days", "flag", "text", "key", "code", "rank"})
DTYPES = frozenset(
    {
        "string", "category", "float64", "int64", "Int64", "bool", "boolean",
        "datetime64[ns]", "datetime64[us]",
    }
)  # fmt: skip


def _categorical(column: pd.Series) -> pd.Series:
    """``column`` as a categorical of the values it uses, sorted (pandas' default category
    dtype). A categorical column that already is one is returned as it is, so that large
    aggregate tables are not hashed again."""
    dtype = column.dtype
    if isinstance(dtype, pd.CategoricalDtype) and dtype.categories.is_monotonic_increasing:
        codes = column.cat.codes.to_numpy()
        used = np.bincount(codes[codes >= 0], minlength=len(dtype.categories))
        if used.all():
            return column
        if used.any() and not dtype.ordered:  # the same values, without unused categories
            return column.cat.remove_unused_categories()
    return column.astype(object).astype("category")


@dataclass(frozen=True)
class Field:
    """One column of a table: its name, pandas dtype, unit (:data:`UNITS`), meaning and,
    for a code, the values it takes (in their order)."""

    name: str
    dtype: str
    unit: str
    meaning: str
    values: tuple[str, ...] = ()

    def cast(self, column: pd.Series) -> pd.Series:
        """``column`` as this field's dtype (see :func:`_categorical`; nullable flags are
        built from Python objects, so that ``None`` reads as null)."""
        if self.dtype == "category":
            return _categorical(column)
        if self.dtype == "boolean":
            return column.astype(object).astype("boolean")
        return column.astype(self.dtype)


@dataclass(frozen=True)
class Table:
    """One stored table: ``name``, ``file`` (in the store folder), ``meaning`` (what a row
    is) and its fields in order."""

    name: str
    file: str
    meaning: str
    fields: tuple[Field, ...]

    @property
    def columns(self) -> list[str]:
        """The column names, in order."""
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        """The field called ``name`` (``KeyError`` if the table has none)."""
        for found in self.fields:
            if found.name == name:
                return found
        raise KeyError(f"table {self.name!r} has no field {name!r}")

    def typed(self, frame: pd.DataFrame, *, strict: bool = True) -> pd.DataFrame:
        """``frame`` with exactly this table's columns, in order, each of its dtype, on a
        fresh index. ``strict``: a missing column is a ``KeyError``; else it is null."""
        missing = [c for c in self.columns if c not in frame.columns]
        if missing and strict:
            raise KeyError(f"table {self.name!r}: missing column(s) {', '.join(missing)}")
        out = frame.reindex(columns=self.columns).copy()
        for spec in self.fields:
            out[spec.name] = spec.cast(out[spec.name])
        return out.reset_index(drop=True)

    def empty(self) -> pd.DataFrame:
        """The table with no rows (a fresh frame each call; typed once per table)."""
        return _empty(self).copy()

    def to_json(self) -> dict[str, Any]:
        """The declaration as plain data (for ``catalogue.json``)."""
        return {
            "file": self.file,
            "meaning": self.meaning,
            "fields": [[f.name, f.dtype, f.unit, f.meaning, list(f.values)] for f in self.fields],
        }

    @classmethod
    def from_json(cls, name: str, data: Mapping[str, Any]) -> Table:
        """The declaration :meth:`to_json` wrote."""
        fields = tuple(Field(*spec[:4], tuple(spec[4])) for spec in data["fields"])
        return cls(name, data["file"], data["meaning"], fields)


def conforms(table: Table, frame: pd.DataFrame) -> bool:
    """Whether ``frame`` already is typed as ``table`` says (:meth:`Table.typed` would give
    an equal frame): exactly its columns in order, each of its dtype, categories sorted and
    all used, on a fresh index."""
    if list(frame.columns) != table.columns or not isinstance(frame.index, pd.RangeIndex):
        return False
    if frame.index.start != 0 or frame.index.step != 1:
        return False
    for spec in table.fields:
        column = frame[spec.name]
        if str(column.dtype) != spec.dtype:
            return False
        if spec.dtype == "category" and _categorical(column) is not column:
            return False
    return True


@lru_cache(maxsize=512)
def _empty(table: Table) -> pd.DataFrame:
    """The typed frame without rows of ``table`` (kept: a load asks for the same empty
    tables many times, one source and one platform after another). Never handed out
    itself: :meth:`Table.empty` copies it."""
    return table.typed(pd.DataFrame(), strict=False)


class Catalogue(Mapping[str, Table]):
    """An immutable set of declared tables, by name (see the module docstring)."""

    def __init__(self, tables: Iterable[Table] = ()) -> None:
        self._tables: dict[str, Table] = {}
        for table in tables:
            known = self._tables.get(table.name)
            if known is not None and known != table:
                raise ValueError(f"table {table.name!r} is declared twice, differently")
            self._tables[table.name] = table

    def __getitem__(self, name: str) -> Table:
        return self._tables[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._tables)

    def __len__(self) -> int:
        return len(self._tables)

    def __add__(self, other: Catalogue) -> Catalogue:
        return Catalogue([*self.values(), *other.values()])

    def __repr__(self) -> str:
        return f"Catalogue({', '.join(self)})"

    def to_json(self) -> dict[str, Any]:
        """Every declaration as plain data, by table name."""
        return {name: table.to_json() for name, table in self.items()}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Catalogue:
        """The catalogue :meth:`to_json` wrote."""
        return cls(Table.from_json(name, spec) for name, spec in data.items())


def _rows(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = set(columns) - set(reader.fieldnames or [])
            if missing:
                raise LoaderInputError(path, f"missing column(s) {', '.join(sorted(missing))}")
            return [
                (number, {k: (v or "").strip() for k, v in row.items() if k})
                for number, row in enumerate(reader, start=2)
            ]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise LoaderInputError(path, f"cannot read the declarations: {exc}") from exc


def _field(path: Path, number: int, row: dict[str, str]) -> Field:
    if row["dtype"] not in DTYPES:
        raise LoaderInputError(path, f"unknown dtype {row['dtype']!r}", row=number, column="dtype")
    if row["unit"] not in UNITS:
        raise LoaderInputError(path, f"unknown unit {row['unit']!r}", row=number, column="unit")
    values = tuple(v.strip() for v in row.get("values", "").split("|") if v.strip())
    return Field(row["field"], row["dtype"], row["unit"], row["meaning"], values)


def read_declarations(folder: str | Path) -> Catalogue:
    """The tables declared by ``folder/tables.csv`` and ``folder/fields.csv``.

    Raises :class:`~loaders.core.errors.LoaderInputError` naming the file, row and column of
    an unknown dtype or unit, a field of an undeclared table, or a table without fields.
    """
    folder = Path(folder)
    tables_file, fields_file = folder / "tables.csv", folder / "fields.csv"
    fields: dict[str, list[Field]] = {}
    for number, row in _rows(fields_file, ("table", "field", "dtype", "unit", "meaning")):
        fields.setdefault(row["table"], []).append(_field(fields_file, number, row))
    tables = []
    for number, row in _rows(tables_file, ("table", "file", "meaning")):
        name = row["table"]
        if name not in fields:
            raise LoaderInputError(tables_file, f"table {name!r} has no fields", row=number)
        file = row["file"] or f"{name}.parquet"
        tables.append(Table(name, file, row["meaning"], tuple(fields.pop(name))))
    if fields:
        raise LoaderInputError(fields_file, f"fields of undeclared tables: {', '.join(fields)}")
    return Catalogue(tables)
