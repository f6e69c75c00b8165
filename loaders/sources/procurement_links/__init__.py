"""One procurement counted once across notice platforms: a step over the notice tables every
notice source loaded (:mod:`loaders.sources.ocds.links`), registered after them. It reads no
file; it gives the notice tables back with each process's procurement and the copies
counted elsewhere, the ``notice_links`` table, and the ``"links"`` report section."""

from __future__ import annotations

from pathlib import Path

from loaders.catalogue import CANONICAL, Catalogue
from loaders.sources.base import LoadContext, Source, SourceLoad
from loaders.sources.ocds.links import describe_links, link_procurements

NEEDS = ("ocds_releases", "notices", "awards", "award_suppliers", "bids", "pipeline")


def _never(path: Path) -> bool:
    return False


def load(files: list[Path], context: LoadContext) -> SourceLoad:
    """Link the processes of the notice tables loaded before (none: nothing to do)."""
    tables = context.tables
    if "notices" not in tables or tables["notices"].empty:
        return SourceLoad({}, {})
    given = {name: tables.get(name, CANONICAL[name].empty()) for name in NEEDS}
    linked, report = link_procurements(given)
    return SourceLoad(linked, report)


def _summary(section: dict) -> str | None:
    if not section:
        return None
    return (f"{section['processes']:,} notice processes are {section['procurements']:,} "
            f"procurements ({len(section['links']):,} links across platforms).")  # fmt: skip


SOURCE = Source(
    name="procurement_links",
    claims=_never,
    load=load,
    tables=Catalogue([CANONICAL["notice_links"]]),
    report_key="links",
    describe=describe_links,
    summary=_summary,
    combines=True,
)
