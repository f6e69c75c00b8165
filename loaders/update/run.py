"""One fetch run: every source's files into ``DIR/<source name>/``, with the manifest.

Each row of the source list (``data/reference/sources.csv``) is fetched by the fetcher of its
kind: the kinds every list can use (:mod:`loaders.fetch.kinds`) and those the registered
data sources bring (:attr:`loaders.sources.base.Source.fetchers`), found through one registry
with no branch on a kind. One bad link never stops the rest (:mod:`loaders.fetch.session`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path

from loaders.fetch import sources as source_list
from loaders.fetch.client import FetchSettings, HttpClient
from loaders.fetch.kinds import LINK_KINDS
from loaders.fetch.session import FetchSession, FetchWindow, utc_now
from loaders.fetch.sources import SOURCES_FILE, Source
from loaders.fetch.summary import FetchSummary
from loaders.sources import base
from loaders.sources.registry import SOURCES

Fetcher = Callable[[Source, FetchSession], None]


def fetch_kinds(sources: Sequence[base.Source] = SOURCES) -> dict[str, Fetcher]:
    """Every kind a source list may use, with its fetcher: the generic ones, then each
    registered data source's own."""
    kinds: dict[str, Fetcher] = dict(LINK_KINDS)
    for source in sources:
        kinds.update(source.fetchers)
    return kinds


def read_sources(path: str | Path = SOURCES_FILE) -> list[Source]:
    """The rows of a source list, checked against the kinds the registered sources fetch
    (:func:`loaders.fetch.sources.read_sources` for the errors raised)."""
    return source_list.read_sources(path, fetch_kinds())


def fetch(
    sources: list[Source],
    into: str | Path,
    *,
    since: dt.datetime | None = None,
    settings: FetchSettings | None = None,
    client: HttpClient | None = None,
    progress: bool = False,
    now: dt.datetime | None = None,
) -> FetchSummary:
    """Download what is new or changed from ``sources`` into ``into`` and its manifest.

    Files go to ``into/<source name>/``; ``into/manifest.csv`` records each URL's file,
    size, SHA-256, fetch time and validators. ``since`` (UTC) is where searches by date
    start instead of the end of the last fetch; ``now`` (UTC) where they end.
    Never raises for a bad link: see :class:`~loaders.fetch.summary.FetchSummary`.
    Raises :class:`~loaders.core.errors.LoaderInputError` if ``into/manifest.csv`` is
    unreadable.
    """
    folder = Path(into)
    folder.mkdir(parents=True, exist_ok=True)
    window = FetchWindow(since, now or utc_now())
    session = FetchSession(folder, client or HttpClient(settings), progress, window)
    kinds = fetch_kinds()
    try:
        for source in sources:
            kinds[source.kind](source, session)
    finally:
        session.manifest.write()
    return session.summary
