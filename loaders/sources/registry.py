"""The registered data sources, in the order they load; the first to claim a file reads it.

Adding a source is one folder under :mod:`loaders.sources` (its :class:`~loaders.sources.base.
Source`) and one line here. Sources that read notices resolve buyers with the spend tables,
so they come after ``ccs_spend``; a source that claims files by their content comes before
one that claims the same names generically.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from loaders.catalogue import Catalogue
from loaders.sources import ccs_spend, contracts_finder
from loaders.sources.base import Source

SOURCES: tuple[Source, ...] = (
    ccs_spend.SOURCE,
    contracts_finder.SOURCE,
)


def claimant(path: Path, sources: Sequence[Source] = SOURCES) -> Source | None:
    """The first source that claims ``path`` (``None``: no source reads it)."""
    return next((s for s in sources if s.claims(path)), None)


def catalogue_of(sources: Iterable[Source] = SOURCES) -> Catalogue:
    """Every table the sources write (each declared once)."""
    return sum((s.tables for s in sources), Catalogue())
