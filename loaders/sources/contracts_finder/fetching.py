"""The Contracts Finder OCDS search, fetched window by window and page by page.

``GET /Published/Notices/OCDS/Search`` takes ``publishedFrom`` / ``publishedTo`` (ISO 8601),
``stages`` (``planning,tender,award,implementation``), ``limit`` (1-100) and ``cursor``; it
answers an OCDS release package whose ``links.next`` is the URL of the next page, absent on
the last one (:mod:`loaders.sources.ocds.paging`). Each page is saved as its own release
package, ``ocds-FROM-TO-pNNN.json``.

A source URL that carries both ``publishedFrom`` and ``publishedTo`` is one fixed window,
fetched as given. Without them the windows run from the end of the last window recorded in
the manifest (or ``--since``) to now, ``window_days`` long each.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

from loaders.fetch.client import Refused
from loaders.fetch.session import FetchSession
from loaders.fetch.sources import Source
from loaders.sources.ocds.paging import fetch_chain

FROM, TO = "publishedFrom", "publishedTo"
STAMP = "%Y-%m-%dT%H:%M:%S"


def _parse(stamp: str) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.astimezone(dt.UTC).replace(tzinfo=None) if moment.tzinfo else moment


def window_of(url: str) -> tuple[dt.datetime, dt.datetime] | None:
    """The ``(publishedFrom, publishedTo)`` a URL carries (UTC), or ``None``."""
    query = parse_qs(urlsplit(url).query)
    if FROM not in query or TO not in query:
        return None
    start, end = _parse(query[FROM][0]), _parse(query[TO][0])
    return (start, end) if start and end else None


def with_window(url: str, start: dt.datetime, end: dt.datetime) -> str:
    """``url`` with ``publishedFrom`` / ``publishedTo`` set (other parameters kept)."""
    parts = urlsplit(url)
    query = {k: v[-1] for k, v in parse_qs(parts.query).items() if k not in (FROM, TO)}
    query.update({FROM: start.strftime(STAMP), TO: end.strftime(STAMP)})
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query, safe=",:"), ""))


def last_window_end(urls: Iterable[str]) -> dt.datetime | None:
    """The latest ``publishedTo`` among URLs fetched before (``None`` if there are none)."""
    ends = [w[1] for w in map(window_of, urls) if w]
    return max(ends) if ends else None


def window_urls(
    url: str,
    fetched: Iterable[str],
    since: dt.datetime | None,
    now: dt.datetime,
    days: int,
) -> list[str]:
    """The first-page URLs to fetch for a source URL, oldest window first.

    ``fetched`` are the URLs of the source already in the manifest; ``since`` (from
    ``--since``) overrides where the windows start. Raises :class:`Refused` when there is
    neither a previous fetch nor ``since``.
    """
    if window_of(url):
        return [url]
    start = since or last_window_end(fetched)
    if start is None:
        raise Refused(url, "no previous fetch in the manifest: give --since DATE")
    urls = []
    step = dt.timedelta(days=max(days, 1))
    while start < now:
        end = min(start + step, now)
        urls.append(with_window(url, start, end))
        start = end
    return urls


def page_file(first_page_url: str, number: int) -> str:
    """The file name of page ``number`` of the window that ``first_page_url`` starts."""
    window = window_of(first_page_url)
    if window is None:
        return f"ocds-p{number:03d}.json"
    start, end = (w.strftime("%Y%m%dT%H%M%S") for w in window)
    return f"ocds-{start}-{end}-p{number:03d}.json"


def fetch_windows(source: Source, session: FetchSession) -> None:
    """The ``contracts-finder`` kind of ``sources.csv``: the OCDS search fetched window by
    window from the end of the last window in the manifest (or ``--since``) to now, each
    window page by page; a window that fails part-way stops the run for this source."""
    fetched = [e.url for e in session.manifest.of_source(source.name)]
    days = session.client.settings.window_days
    try:
        firsts = window_urls(source.url, fetched, session.window.since, session.window.now, days)
    except Refused as exc:
        session.refuse(source, exc.url, exc.reason)
        return
    for first in session.bar(firsts, source.name, "window"):
        if not fetch_chain(source, session, first, lambda n, first=first: page_file(first, n)):
            return  # later windows wait: the next run starts at this one again
