"""Find a Tender's ``ocdsReleasePackages`` API, fetched in short windows, page by page, and
by ocid where a window missed part of a process.

``GET /api/1.0/ocdsReleasePackages`` takes ``updatedFrom`` / ``updatedTo`` (``YYYY-MM-DDTHH:
MM:SS``, read by the service as **London local time**), ``limit`` (1-100) and ``cursor``; it
answers a release package, newest release first, whose ``links.next`` is the next page's
full URL (no ``links`` on the last page). ``stages`` is never sent: it returns only
2015-regulations notices, dropping every Procurement Act notice, so a source URL carrying it
is refused. ``/ocdsReleasePackages/{ocid}`` gives every release of one process.

- **Windows** of :data:`WINDOW` (6 hours; Kingfisher Collect found longer windows miss
  releases and went down to a quarter of a day) from the end of the last window completed
  (:mod:`loaders.fetch.windows`' ledger; or ``--since``) to now; each starts
  :data:`OVERLAP` earlier than the last ended, so the hour the clocks go back (read twice
  in local time) is never missed; releases read twice are duplicates of one release at
  load. A URL with both ``updatedFrom`` and ``updatedTo`` is one window, fetched as given.
  Pages are ``fts-FROM-TO-pNNN.json``. A window counts once its last page is saved; one
  that fails part-way is fetched again from its start next run, one with more pages than
  the limit is split in halves.
- **By ocid**: a process whose first release in this run's pages updates, awards or ends
  something not seen (tags ``...Update``, ``...Amendment``, ``...Cancellation``,
  ``...Termination``, ``contract``, ``implementation``) and whose ocid no earlier run saw is
  fetched whole (``ocid-<ocid>.json``), at most :data:`BY_OCID_PER_RUN` per run; the rest
  wait for the next run. The ocids seen are kept in ``<name>.ocids.csv`` beside the manifest
  (``ocid,state``: ``seen`` or ``pending``).
- **Rate limit**: 12 requests in 2 minutes (HTTP 429, ``Retry-After: 120``, sometimes
  without the header): requests are :data:`DELAY` seconds apart and a refused request waits
  at least :data:`RETRY_WAIT` seconds before it is tried again.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit
from zoneinfo import ZoneInfo

from loaders.fetch.session import FetchSession
from loaders.fetch.sources import Source
from loaders.fetch.windows import WindowedSearch, fetch_chain, fetch_windowed

FROM, TO, STAGES = "updatedFrom", "updatedTo", "stages"
STAMP = "%Y-%m-%dT%H:%M:%S"
LONDON = ZoneInfo("Europe/London")
WINDOW = dt.timedelta(hours=6)
OVERLAP = dt.timedelta(hours=1)
DELAY = 12.0  # seconds between requests: 12 requests in 2 minutes at most
RETRY_WAIT = 120.0  # seconds before a refused (429, 503) request is tried again
BY_OCID_PER_RUN = 50  # 10 minutes at the API's pace; the rest wait for the next run
OPENING = ("planning", "tender", "award")  # tags a process's first notice can carry


def to_local(moment: dt.datetime) -> dt.datetime:
    """A naive UTC time as naive London local time (as the API reads its parameters)."""
    return moment.replace(tzinfo=dt.UTC).astimezone(LONDON).replace(tzinfo=None)


def to_utc(local: dt.datetime) -> dt.datetime:
    """A naive London local time as naive UTC (the earlier reading in the repeated hour)."""
    return local.replace(tzinfo=LONDON).astimezone(dt.UTC).replace(tzinfo=None)


def window_of(url: str) -> tuple[dt.datetime, dt.datetime] | None:
    """The ``(updatedFrom, updatedTo)`` a URL carries, as naive UTC, or ``None``."""
    query = parse_qs(urlsplit(url).query)
    if FROM not in query or TO not in query:
        return None
    try:
        start, end = (dt.datetime.strptime(query[k][0][:19], STAMP) for k in (FROM, TO))
    except ValueError:
        return None
    return to_utc(start), to_utc(end)


def with_window(url: str, start: dt.datetime, end: dt.datetime) -> str:
    """``url`` with ``updatedFrom`` / ``updatedTo`` set from naive UTC ``start`` / ``end``
    (written in London local time; other parameters kept)."""
    parts = urlsplit(url)
    query = {k: v[-1] for k, v in parse_qs(parts.query).items() if k not in (FROM, TO)}
    query.update({FROM: to_local(start).strftime(STAMP), TO: to_local(end).strftime(STAMP)})
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query, safe=":"), ""))


def page_file(first_page_url: str, number: int) -> str:
    """``fts-FROM-TO-pNNN.json`` (London local stamps) for page ``number`` of a window."""
    query = parse_qs(urlsplit(first_page_url).query)
    stamps = [query.get(k, ["x"])[0].replace("-", "").replace(":", "") for k in (FROM, TO)]
    return f"fts-{stamps[0]}-{stamps[1]}-p{number:03d}.json"


def ocid_url(url: str, ocid: str) -> str:
    """``/ocdsReleasePackages/{ocid}`` of the source URL's endpoint."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"{parts.path.rstrip('/')}/{ocid}", "", ""))


def _opens(tags: object) -> bool:
    tags = tags if isinstance(tags, list) else [tags]
    return any(tag in OPENING for tag in tags)


def incomplete_ocids(pages: Iterable[Path]) -> list[str]:
    """Ocids whose first release in ``pages`` opens nothing (an update, amendment,
    cancellation, termination, contract or implementation notice): earlier notices of the
    process are not in them."""
    first: dict[str, tuple[str, bool]] = {}
    for page in pages:
        try:
            package = json.loads(page.read_bytes())
        except (OSError, ValueError):
            continue
        releases = package.get("releases") if isinstance(package, dict) else None
        for release in releases if isinstance(releases, list) else []:
            if not isinstance(release, dict) or not isinstance(release.get("ocid"), str):
                continue
            key = (str(release.get("date", "")), _opens(release.get("tag")))
            ocid = release["ocid"]
            if ocid not in first or key[0] < first[ocid][0]:
                first[ocid] = key
    return sorted(ocid for ocid, (_, opens) in first.items() if not opens)


def _read_seen(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["ocid"]: row["state"] for row in csv.DictReader(handle)}


def _write_seen(path: Path, seen: dict[str, str]) -> None:
    part = path.with_name(path.name + ".part")
    with part.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["ocid", "state"])
        writer.writerows(sorted(seen.items()))
    part.replace(path)


def _ocids_in(pages: Iterable[Path]) -> set[str]:
    found: set[str] = set()
    for page in pages:
        try:
            releases = json.loads(page.read_bytes()).get("releases") or []
        except (OSError, ValueError, AttributeError):
            continue
        found.update(r["ocid"] for r in releases if isinstance(r, dict) and "ocid" in r)
    return found


def _by_ocid(source: Source, session: FetchSession, pages: list[Path]) -> None:
    """Fetch whole the processes the run's pages show incomplete (see the module doc)."""
    index = session.folder / f"{source.name}.ocids.csv"
    seen = _read_seen(index)
    wanted = [o for o in incomplete_ocids(pages) if o not in seen]
    seen.update({ocid: "seen" for ocid in _ocids_in(pages) if ocid not in seen})
    seen.update(dict.fromkeys(wanted, "pending"))
    pending = sorted(o for o, state in seen.items() if state == "pending")
    for ocid in session.bar(pending[:BY_OCID_PER_RUN], source.name, "process"):
        url = ocid_url(source.url, ocid)
        if fetch_chain(source, session, url, lambda n, o=ocid: f"ocid-{o}-p{n:03d}.json"):
            seen[ocid] = "seen"
    _write_seen(index, seen)


def search() -> WindowedSearch:
    """Find a Tender's search cut into windows (see the module docstring)."""
    return WindowedSearch(
        window_of=window_of,
        with_window=lambda url, window: with_window(url, window.start, window.end),
        page_file=page_file,
        step=WINDOW,
        overlap=OVERLAP,
    )


def fetch_find_a_tender(source: Source, session: FetchSession) -> None:
    """The ``find-a-tender`` kind of ``sources.csv`` (see the module docstring): every
    window from the end of the last one completed to now, page by page
    (:func:`loaders.fetch.windows.fetch_windowed`: no gap, overfull windows split), then the
    processes they show incomplete, by ocid; a window that fails part-way stops the windows
    of this run."""
    if STAGES in parse_qs(urlsplit(source.url).query):
        session.refuse(source, source.url, "'stages' returns 2015-regulations notices only: "
                       "remove it")  # fmt: skip
        return
    before = {r.file for r in session.summary.new + session.summary.changed}
    with session.client.paced(DELAY, RETRY_WAIT):
        fetch_windowed(source, session, search())
        written = [session.folder / r.file for r in session.summary.new + session.summary.changed
                   if r.source == source.name and r.file not in before]  # fmt: skip
        _by_ocid(source, session, written)
