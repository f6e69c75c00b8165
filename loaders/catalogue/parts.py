"""Tables kept in parts, so that an append writes only the rows it adds.

A table of a store version is one Parquet file (its declaration's ``file``) or, once rows
have been appended to it, several: the parts listed under the table's name in the version's
``parts.json``, in row order. A part is a file, or only the first rows of one (``[file,
rows]``: a table sorted by month whose latest financial year an append summed again keeps
the lines before it). The first part is the declaration's file; part ``n`` is
``<stem>.<n>.parquet`` beside it (:func:`part_file`). A part is never written into once
made: a new version links the parts of the previous version it keeps (hard links) and writes
its new rows as a part of their own, so every earlier version stays whole.

Reading a table stacks its parts (:func:`loaders.core.frames.stacked`, categories united
and sorted as the catalogue types them), so a reader gets the table a single write gives.

In a :class:`~loaders.catalogue.result.LoadResult`, a table read from a store is a
:class:`StoredTable` (read on first use) and a table that is a stored one with rows after it
is an :class:`Appended`: :func:`loaders.catalogue.store.write_store` links the one's parts
and writes only the other's rows, unless the table would then have more than
:data:`MAX_PARTS` parts or its declaration changed; then the whole table is written as one
part again.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from loaders.catalogue.model import Table, conforms
from loaders.core.frames import stacked, united

PARTS_FILE = "parts.json"
MAX_PARTS = 8  # beyond it an append writes the table whole again (reads stay quick)
COLUMNS_AT_ONCE = 2  # columns of a table of several parts stacked at a time

Reader = Callable[[Path, list[str] | None], pd.DataFrame]


@dataclass(frozen=True)
class Part:
    """One part of a stored table: a Parquet ``path`` and, when only its first rows belong
    to the table, how many (``rows``)."""

    path: Path
    rows: int | None = None
    names: dict[str, dict[str, str]] | None = None  # column -> name written -> name shown

    def to_json(self, folder: Path) -> str | list | dict:
        """As ``parts.json`` lists it (relative to the version ``folder``)."""
        file = self.path.relative_to(folder).as_posix()
        if self.names:
            return {"file": file, "rows": self.rows, "names": self.names}
        return file if self.rows is None else [file, self.rows]

    @classmethod
    def from_json(cls, folder: Path, listed: str | list | dict) -> Part:
        """The part :meth:`to_json` listed."""
        if isinstance(listed, str):
            return cls(folder / listed)
        if isinstance(listed, list):
            return cls(folder / listed[0], int(listed[1]))
        rows = listed.get("rows")
        return cls(folder / listed["file"], None if rows is None else int(rows),
                   listed.get("names") or None)  # fmt: skip

    def renamed(self, names: dict[str, dict[str, str]]) -> Part:
        """This part with the names ``names`` changes (column -> name shown -> new name)
        shown instead (added to the changes it has already)."""
        now = dict(self.names or {})
        for column, changes in names.items():
            before = now.get(column, {})
            written = set(before) | set(changes)
            shown = {w: changes.get(before.get(w, w), before.get(w, w)) for w in written}
            now[column] = {w: name for w, name in sorted(shown.items()) if name != w}
        return Part(self.path, self.rows, {c: m for c, m in now.items() if m} or None)

    def row_count(self) -> int:
        """The rows of the table this part holds (from the file's footer)."""
        rows = pq.read_metadata(self.path).num_rows
        return rows if self.rows is None else min(rows, self.rows)


def part_file(file: str, number: int) -> str:
    """The file of part ``number`` of a table declared in ``file`` (part 0 is ``file``):
    ``spend.parquet`` -> ``spend.1.parquet``, ``spend.2.parquet``..."""
    if number == 0:
        return file
    stem, _, extension = file.rpartition(".")
    return f"{stem}.{number}.{extension}"


def read_parts(folder: Path) -> dict[str, list[Part]]:
    """The tables of the store version ``folder`` kept in more than one part, or in part of
    a file (table name -> parts in row order); ``{}`` when every table is one whole file."""
    path = folder / PARTS_FILE
    if not path.is_file():
        return {}
    listed = json.loads(path.read_text("utf-8"))
    return {str(name): [Part.from_json(folder, f) for f in parts] for name, parts in listed.items()}


def write_parts(folder: Path, parts: dict[str, list[Part]]) -> None:
    """Record the tables of ``folder`` not kept as one whole file (none: no ``parts.json``)."""
    listed = {
        name: [part.to_json(folder) for part in found]
        for name, found in parts.items()
        if len(found) > 1 or found[0].rows is not None or found[0].names
    }
    if listed:
        (folder / PARTS_FILE).write_text(json.dumps(listed, indent=1), encoding="utf-8")


def parts_of(table: Table, folder: Path, parts: dict[str, list[Part]]) -> list[Part]:
    """The parts of ``table`` in the version ``folder`` whose :func:`read_parts` is ``parts``."""
    return parts.get(table.name, [Part(folder / table.file)])


def stack_parts(frames: list[pd.DataFrame], table: Table) -> pd.DataFrame:
    """The parts of one table (each typed by ``table``, or by its ``columns`` when fewer)
    as one frame typed as a single write of it reads."""
    whole = frames[0] if len(frames) == 1 else stacked(frames)
    return whole if conforms(table, whole) else table.typed(whole)


def shown(column: pd.Series, names: dict[str, str]) -> pd.Series:
    """A categorical ``column`` with the names of ``names`` (name -> name shown) shown
    instead, categories sorted (two names shown alike become one)."""
    categories = [names.get(c, c) for c in column.cat.categories.astype(object)]
    positions, uniques = pd.factorize(np.asarray(categories, dtype=object))
    codes = np.append(positions, -1)[column.cat.codes.to_numpy()]
    values = pd.Categorical.from_codes(codes, pd.Index(uniques), validate=False)
    return pd.Series(united([values]), index=column.index, name=column.name)


def _with_names(frame: pd.DataFrame, part: Part) -> pd.DataFrame:
    changes = {c: m for c, m in (part.names or {}).items() if c in frame.columns}
    return frame.assign(**{c: shown(frame[c], m) for c, m in changes.items()}) if changes else frame


def _rows_of(part: Part, reader: Reader, columns: list[str] | None) -> pd.DataFrame:
    frame = reader(part.path, columns)
    return _with_names(frame if part.rows is None else frame.iloc[: part.rows], part)


def _row_groups_from(part: Part, start: int, columns: list[str] | None) -> pd.DataFrame:
    """The rows of ``part`` from ``start`` on, reading only the row groups that hold them."""
    with pq.ParquetFile(part.path) as parquet:
        sizes = [parquet.metadata.row_group(i).num_rows for i in range(parquet.num_row_groups)]
        ends = np.cumsum(sizes)
        first = int(np.searchsorted(ends, start, side="right"))
        groups = list(range(first, len(sizes)))
        if not groups:
            return parquet.schema_arrow.empty_table().to_pandas()[columns or slice(None)]
        frame = parquet.read_row_groups(groups, columns=columns).to_pandas()
    skip = start - (int(ends[first - 1]) if first else 0)
    stop = None if part.rows is None else part.rows - start + skip
    return _with_names(frame.iloc[skip:stop].reset_index(drop=True), part)


@dataclass
class StoredTable:
    """A table of a store version, read on first use: ``table`` (its declaration there),
    its ``parts`` (in row order) and ``reader`` (one Parquet file, only the columns given,
    as the store reads it)."""

    table: Table
    parts: tuple[Part, ...]
    reader: Reader

    def __call__(self) -> pd.DataFrame:
        """The whole table, typed by its declaration."""
        return self.read()

    def read(self, columns: list[str] | None = None) -> pd.DataFrame:
        """The table (only ``columns`` when given), typed by its declaration. A table of
        several parts is stacked :data:`COLUMNS_AT_ONCE` columns at a time, each cast as
        declared, so that its parts and the whole never all exist at once (at 10M spend rows
        the monthly pair table is 0.4 GB)."""
        table = self._columns(columns)
        if len(self.parts) == 1:
            return stack_parts([_rows_of(self.parts[0], self.reader, columns)], table)
        # every part was written typed: united, its categories are sorted and all used,
        # unless a part cut short leaves some unused (then they are dropped)
        cut = any(part.rows is not None or part.names for part in self.parts)
        pieces: dict[str, pd.Series] = {}
        for start in range(0, len(table.columns), COLUMNS_AT_ONCE):
            group = table.columns[start : start + COLUMNS_AT_ONCE]
            frames = [_rows_of(part, self.reader, group) for part in self.parts]
            for name, column in stacked(frames).items():
                spec = table.field(name)
                pieces[name] = spec.cast(column) if cut or spec.dtype != "category" else column
            del frames
        whole = pd.DataFrame(pieces, copy=False)
        dtypes = [str(whole[name].dtype) for name in table.columns]
        return whole if dtypes == [f.dtype for f in table.fields] else table.typed(whole)

    def _columns(self, columns: list[str] | None) -> Table:
        if columns is None:
            return self.table
        fields = tuple(map(self.table.field, columns))
        return Table(self.table.name, self.table.file, self.table.meaning, fields)

    def renamed(self, names: dict[str, dict[str, str]]) -> StoredTable:
        """This table with the names ``names`` changes (column -> name shown -> new name)
        shown instead in every part (columns it does not have are left out)."""
        columns = set(self.table.columns)
        changes = {c: m for c, m in names.items() if c in columns and m}
        if not changes:
            return self
        return StoredTable(self.table, tuple(p.renamed(changes) for p in self.parts), self.reader)

    def head(self, rows: int) -> StoredTable:
        """Its first ``rows`` rows, as parts (the last one cut short where they end)."""
        kept, seen = [], 0
        for part in self.parts:
            if seen >= rows:
                break
            count = part.row_count()
            cut = Part(part.path, rows - seen, part.names)
            kept.append(part if seen + count <= rows else cut)
            seen += min(count, rows - seen)
        return StoredTable(self.table, tuple(kept), self.reader)

    def rows_from(self, start: int) -> pd.DataFrame:
        """Its rows from ``start`` on (all columns, typed), reading only the row groups of
        the parts that hold them."""
        frames, seen = [], 0
        for part in self.parts:
            count = part.row_count()
            if seen + count > start:
                frames.append(_row_groups_from(part, max(0, start - seen), None))
            seen += count
        if not frames:
            return self.table.empty()
        return stack_parts([self.table.typed(f) for f in frames], self.table)


@dataclass
class Appended:
    """A stored table's ``kept`` parts (a :class:`StoredTable`, or its first rows:
    :meth:`StoredTable.head`) with the rows ``added`` after them (typed by
    ``kept.table``). Called, gives the whole table once and keeps it (an append may read it
    more than once)."""

    kept: StoredTable
    added: pd.DataFrame
    names: dict[str, dict[str, str]] = field(default_factory=dict)  # renamed in kept's rows
    _whole: pd.DataFrame | None = field(default=None, repr=False)

    def __call__(self) -> pd.DataFrame:
        """The kept rows then the added ones, typed as the table (kept once read)."""
        if self._whole is None:
            frames = [_rows_of(part, self.kept.reader, None) for part in self.kept.parts]
            self._whole = stack_parts([*frames, self.added], self.kept.table)
        return self._whole

    def parts_after_write(self) -> int:
        """How many parts the table has once written this way."""
        return len(self.kept.parts) + (1 if len(self.added) else 0)


def appended(
    kept: object, added: pd.DataFrame, table: Table, names: dict | None = None
) -> Appended | pd.DataFrame:
    """``added`` after the rows of ``kept``: an :class:`Appended` when ``kept`` is a table
    of the store still unread as parts (:class:`StoredTable`, declared as ``table``; its
    rows showing the names ``names`` changes, column -> old name -> new), else the two
    stacked as one frame (``kept`` a frame or a function giving one, names changed in it
    already)."""
    rows = added if conforms(table, added) else table.typed(added)
    if isinstance(kept, StoredTable) and kept.table == table:
        return Appended(kept.renamed(names or {}), rows, dict(names or {}))
    before = kept() if callable(kept) else kept
    before = before if conforms(table, before) else table.typed(before)
    return stack_parts([before, rows], table)


def whole(table: pd.DataFrame | Appended) -> pd.DataFrame:
    """``table`` as one frame (an :class:`Appended` is read and stacked, once)."""
    return table() if isinstance(table, Appended) else table


class WholeTables(Mapping[str, pd.DataFrame]):
    """Tables by name, each given whole (:func:`whole`) when asked for: what a source that
    reads the tables of the sources before it sees of an append's."""

    def __init__(self, tables: Mapping[str, pd.DataFrame | Appended]) -> None:
        self._tables = dict(tables)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return whole(self._tables[name])

    def __iter__(self) -> Iterator[str]:
        return iter(self._tables)

    def __len__(self) -> int:
        return len(self._tables)
