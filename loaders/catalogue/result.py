"""What a load gives: its tables by catalogue name, its report, and their declarations.

:class:`LoadResult` is a read-only mapping of table name to frame (``result["spend"]``),
with a typed accessor for each canonical table (``result.spend``, ``result.notices``...).
A table may be given as a frame or as a function that reads it, called on first use, so a
store opened with :func:`loaders.read_store` reads only the tables asked for, or as stored
parts with rows after them (:class:`~loaders.catalogue.parts.Appended`), which a store write
links rather than writes again. A frame a result gives is not to be changed in place: an
appended table is written from its parts and added rows, not from the frame.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pandas as pd

from loaders.catalogue.model import Catalogue
from loaders.catalogue.parts import Appended

Frame = pd.DataFrame | Callable[[], pd.DataFrame]


def _table(name: str) -> property:
    def get(self: LoadResult) -> pd.DataFrame:
        return self[name]

    get.__doc__ = f"The ``{name}`` table (see :data:`loaders.catalogue.CATALOGUE`)."
    return property(get)


class LoadResult(Mapping[str, pd.DataFrame]):
    """Tables of a load by catalogue name, with the load ``report`` and the ``catalogue``
    declaring them. ``describer`` tells the report in words (:meth:`describe`)."""

    def __init__(
        self,
        tables: Mapping[str, Frame],
        report: dict[str, Any],
        catalogue: Catalogue,
        describer: Callable[[dict[str, Any]], str] | None = None,
    ) -> None:
        unknown = [name for name in tables if name not in catalogue]
        if unknown:
            raise KeyError(f"tables not in the catalogue: {', '.join(unknown)}")
        self._tables: dict[str, Frame] = dict(tables)
        self.report = report
        self.catalogue = catalogue
        self._describer = describer

    def __getitem__(self, name: str) -> pd.DataFrame:
        table = self._tables[name]
        if isinstance(table, Appended):  # kept as parts, so the store links them
            return table()
        if callable(table):
            table = self._tables[name] = table()
        return table

    def held_as(self, name: str) -> Frame:
        """How the table ``name`` is held: a frame, a function reading it (not called yet)
        or an :class:`~loaders.catalogue.parts.Appended` (stored parts and rows after
        them), for a writer that can keep stored parts as they are."""
        return self._tables[name]

    def __contains__(self, name: object) -> bool:
        return name in self._tables  # without reading the table

    def __iter__(self) -> Iterator[str]:
        return iter(self._tables)

    def __len__(self) -> int:
        return len(self._tables)

    def __repr__(self) -> str:
        return f"LoadResult({', '.join(self._tables)})"

    def with_tables(self, tables: Mapping[str, Frame], catalogue: Catalogue) -> LoadResult:
        """This result with ``tables`` added (or replaced), declared by ``catalogue``."""
        merged = {**self._tables, **tables}
        return LoadResult(merged, self.report, self.catalogue + catalogue, self._describer)

    def describe(self) -> str:
        """The load report in words."""
        if self._describer is None:
            raise ValueError("this result has no describer: open it with loaders.read_store")
        return self._describer(self.report)

    def files(self) -> pd.DataFrame:
        """One row per spend file of the report: layout, rows and pounds by outcome."""
        keep = [
            "file", "layout", "release", "rows_read", "rows_loaded", "rows_superseded",
            "rows_quarantined", "spend_read_gbp", "spend_loaded_gbp", "spend_superseded_gbp",
            "spend_quarantined_gbp", "reconciles",
        ]  # fmt: skip
        return pd.DataFrame(self.report["files"])[keep]

    spend = _table("spend")
    quarantine = _table("quarantine")
    revisions = _table("revisions")
    release_months = _table("release_months")
    version_changes = _table("version_changes")
    matches = _table("matches")
    customers = _table("customers")
    customer_names = _table("customer_names")
    notices = _table("notices")
    awards = _table("awards")
    award_suppliers = _table("award_suppliers")
    ocds_releases = _table("ocds_releases")
    bids = _table("bids")
    pipeline = _table("pipeline")
    notice_links = _table("notice_links")
    dos_opportunities = _table("dos_opportunities")
