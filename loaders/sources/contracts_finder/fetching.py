"""The Contracts Finder OCDS search, fetched window by window and page by page.

``GET /Published/Notices/OCDS/Search`` takes ``publishedFrom`` / ``publishedTo`` (ISO 8601),
``stages`` (``planning,tender,award,implementation``), ``limit`` (1-100) and ``cursor``; it
answers an OCDS release package whose ``links.next`` is the URL of the next page, absent on
the last one. Each page is saved as its own release
package, ``ocds-FROM-TO-pNNN.json``.

The windows are walked by :func:`loaders.fetch.windows.fetch_windowed` (no gap: a window
counts once complete, a failed one is fetched again from its start, one of more pages than
the limit is split): a source URL that carries both ``publishedFrom`` and ``publishedTo`` is
one fixed window, fetched as given; without them the windows run from the end of the last
window completed (or ``--since``) to now, ``window_days`` long each.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

from loaders.fetch.session import FetchSession
from loaders.fetch.sources import Source
from loaders.fetch.windows import WindowedSearch, fetch_windowed

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


def page_file(first_page_url: str, number: int) -> str:
    """The file name of page ``number`` of the window that ``first_page_url`` starts."""
    window = window_of(first_page_url)
    if window is None:
        return f"ocds-p{number:03d}.json"
    start, end = (w.strftime("%Y%m%dT%H%M%S") for w in window)
    return f"ocds-{start}-{end}-p{number:03d}.json"


def fetch_windows(source: Source, session: FetchSession) -> None:
    """The ``contracts-finder`` kind of ``sources.csv``: the OCDS search fetched window by
    window, ``window_days`` long, each page by page (:func:`loaders.fetch.windows.
    fetch_windowed`)."""
    days = max(session.client.settings.window_days, 1)
    search = WindowedSearch(
        window_of=window_of,
        with_window=lambda url, w: with_window(url, w.start, w.end),
        page_file=page_file,
        step=dt.timedelta(days=days),
    )
    fetch_windowed(source, session, search)
