"""The registered data sources, in the order they load; the first to claim a file reads it.

Adding a source is one folder under :mod:`loaders.sources` (its :class:`~loaders.sources.base.
Source`) and one line here. Sources that read notices resolve buyers with the spend tables,
so they come after ``ccs_spend``; a source that claims files by their content comes before
one that claims the same names generically: the Digital Marketplace's opportunities (a CSV
told by its header) before the spend files, the notice platforms (told by their ocids'
prefix) before Contracts Finder, the generic OCDS source. The procurement links come last:
they combine the notice tables of every platform.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from loaders.catalogue import Catalogue
from loaders.sources import (
    ccs_spend,
    contracts_finder,
    digital_marketplace,
    find_a_tender,
    procurement_links,
    public_contracts_scotland,
    sell2wales,
)
from loaders.sources.base import Source

SOURCES: tuple[Source, ...] = (
    digital_marketplace.SOURCE,
    ccs_spend.SOURCE,
    find_a_tender.SOURCE,
    public_contracts_scotland.SOURCE,
    sell2wales.SOURCE,
    contracts_finder.SOURCE,
    procurement_links.SOURCE,
)


def claimant(path: Path, sources: Sequence[Source] = SOURCES) -> Source | None:
    """The first source that claims ``path`` (``None``: no source reads it)."""
    return next((s for s in sources if s.claims(path)), None)


def catalogue_of(sources: Iterable[Source] = SOURCES) -> Catalogue:
    """Every table the sources write (each declared once)."""
    return sum((s.tables for s in sources), Catalogue())
