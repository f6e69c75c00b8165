"""Searches fetched window by window, page by page, with no gap: the piece every windowed
source uses (Contracts Finder's ``publishedFrom`` / ``publishedTo``, Find a Tender's
``updatedFrom`` / ``updatedTo``...).

A source describes its search as a :class:`WindowedSearch` (how a window is written into its
URL and read back, how its pages are named and chained); :func:`fetch_windowed` does the rest:

- **Windows** of ``step`` run from where the last run completed (or ``--since``) to now, each
  starting ``overlap`` earlier; a source URL that carries a window is that window alone.
- **Pages**: each window is walked page by page (``links.next`` by default) and saved as
  ``<source>/<page_file(first page URL, n)>``.
- **A window counts only when complete**: it is recorded in the ledger ``DIR/.windows.csv``
  (``source,start,end,pages,completed_at``, rewritten whole through a temporary file) only
  after its last page is saved; the next run starts at the end of the last window recorded
  (the first run of a source records where it started, an empty window, so that a first
  window that fails is fetched again without ``--since``).
  A window that fails part-way (a page refused, a bad page, the run killed) is never
  recorded: its pages are forgotten and it is fetched again from its start next run; the
  windows after it wait.
- **No window is cut short**: one that has more pages than ``max_pages`` is split in two
  halves, each fetched whole (recursively); one that cannot be split further (shorter than
  ``smallest``) is refused, so the run exits 2, never silently.

A download folder of earlier releases has no ledger: runs then start at the latest window end
found in the manifest's URLs, as they did.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from loaders.core import json_limits
from loaders.fetch.session import FetchSession
from loaders.fetch.sources import Source
from loaders.fetch.summary import Fetched

LEDGER_FILE = ".windows.csv"
LEDGER_COLUMNS = ("source", "start", "end", "pages", "completed_at")
STAMP = "%Y-%m-%dT%H:%M:%S"


@dataclass(frozen=True)
class Window:
    """A span of time, UTC, without a time zone: ``start`` <= t < ``end``."""

    start: dt.datetime
    end: dt.datetime

    def halves(self, smallest: dt.timedelta) -> tuple[Window, Window] | None:
        """The window cut in two at its middle second (``None`` when a half would be shorter
        than ``smallest``)."""
        middle = self.start + (self.end - self.start) / 2
        middle = middle.replace(microsecond=0)
        if middle - self.start < smallest or self.end - middle < smallest:
            return None
        return Window(self.start, middle), Window(middle, self.end)

    def __str__(self) -> str:
        return f"{self.start:{STAMP}} to {self.end:{STAMP}}"


def links_next(package: object) -> str | None:
    """The ``links.next`` URL of a page (an OCDS release package), ``None`` on the last."""
    links = package.get("links") if isinstance(package, dict) else None
    url = links.get("next") if isinstance(links, dict) else None
    return url if isinstance(url, str) and url else None


@dataclass(frozen=True)
class WindowedSearch:
    """How a source's search is cut into windows and walked.

    ``window_of(url)`` reads the window a URL carries (``None``: none); ``with_window(url,
    window)`` writes one into the source URL (the first page of that window);
    ``page_file(first_page_url, n)`` names page ``n`` of the window; ``next_page(page)`` gives
    the next page's URL from a page's JSON (``None`` on the last).
    """

    window_of: Callable[[str], tuple[dt.datetime, dt.datetime] | None]
    with_window: Callable[[str, Window], str]
    page_file: Callable[[str, int], str]
    step: dt.timedelta = dt.timedelta(days=1)
    overlap: dt.timedelta = dt.timedelta(0)
    smallest: dt.timedelta = dt.timedelta(seconds=1)
    next_page: Callable[[object], str | None] = links_next


class Ledger:
    """The windows completed in a download folder, by source (``DIR/.windows.csv``)."""

    def __init__(self, folder: Path) -> None:
        self.path = Path(folder) / LEDGER_FILE
        self.rows: list[dict[str, str]] = []
        if self.path.is_file():
            with self.path.open(encoding="utf-8", newline="") as handle:
                self.rows = list(csv.DictReader(handle))

    def done_until(self, source: str) -> dt.datetime | None:
        """The end of the latest window of ``source`` completed (``None``: none recorded)."""
        ends = [dt.datetime.strptime(r["end"], STAMP) for r in self.rows if r["source"] == source]
        return max(ends) if ends else None

    def record(self, source: str, window: Window, pages: int) -> None:
        """Record a completed window and write the ledger."""
        completed = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        self.rows.append({"source": source, "start": f"{window.start:{STAMP}}",
                          "end": f"{window.end:{STAMP}}", "pages": str(pages),
                          "completed_at": completed})  # fmt: skip
        handle, name = tempfile.mkstemp(prefix=".windows-", suffix=".part", dir=self.path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
                writer = csv.DictWriter(out, fieldnames=LEDGER_COLUMNS, lineterminator="\n")
                writer.writeheader()
                writer.writerows(self.rows)
            os.replace(name, self.path)
        except BaseException:
            Path(name).unlink(missing_ok=True)
            raise


def windows_between(start: dt.datetime, end: dt.datetime, step: dt.timedelta) -> list[Window]:
    """``start`` to ``end`` cut into windows of ``step`` (the last one shorter)."""
    windows = []
    while start < end:
        windows.append(Window(start, min(start + step, end)))
        start = windows[-1].end
    return windows


_COMPLETE, _FAILED, _OVERFULL = "complete", "failed", "overfull"


def walk_pages(
    source: Source,
    session: FetchSession,
    first: str,
    page_file: Callable[[int], str],
    next_page: Callable[[object], str | None] = links_next,
) -> tuple[str, list[Fetched], int]:
    """Walk the chain of pages from ``first``, page ``n`` saved as ``<source>/<page_file(n)>``:
    its outcome (``"complete"``, ``"failed"`` or ``"overfull"``: more than the
    ``max_pages`` setting), the files written (new or changed) and the pages read. A refused
    page, a page that is not JSON (or nested too deep) and a ``links.next`` back to a page
    already read are refused in the session."""
    url, seen, written = first, set(), []
    summary = session.summary
    for number in range(1, session.client.settings.max_pages + 1):
        seen.add(url)
        file = f"{source.name}/{page_file(number)}"
        before = len(summary.new) + len(summary.changed)
        if not session.save(source, url, file):
            return _FAILED, written, number
        if len(summary.new) + len(summary.changed) > before:
            written.append(Fetched(source.name, url, file))
        try:
            following = next_page(json_limits.loads((session.folder / file).read_bytes()))
        except ValueError as exc:
            reason = str(exc) if isinstance(exc, json_limits.TooDeep) else f"not valid JSON: {exc}"
            session.refuse(source, url, reason)
            written.append(Fetched(source.name, url, file))
            return _FAILED, written, number
        if following is None:
            return _COMPLETE, written, number
        url = urljoin(url, following)
        if url in seen:
            session.refuse(source, url, "links.next points back to a page already read")
            return _FAILED, written, number
    return _OVERFULL, written, session.client.settings.max_pages


def fetch_chain(
    source: Source, session: FetchSession, first: str, page_file: Callable[[int], str]
) -> bool:
    """Fetch a chain of pages (e.g. every release of one ocid) whole or not at all: whether
    it reached its last page; otherwise the pages it saved are forgotten (the next run fetches
    it again from its first page) and a chain longer than ``max_pages`` is refused."""
    outcome, written, pages = walk_pages(source, session, first, page_file)
    if outcome == _COMPLETE:
        return True
    session.discard(written)
    if outcome == _OVERFULL:
        session.refuse(source, first, f"more than {pages:,} pages")
    return False


class _Walk:
    """One source's windowed fetch in one run."""

    def __init__(self, source: Source, session: FetchSession, search: WindowedSearch) -> None:
        self.source, self.session, self.search = source, session, search
        self.ledger = Ledger(session.folder)
        self.max_pages = session.client.settings.max_pages

    def pages(self, first: str) -> tuple[str, list[Fetched], int]:
        """Walk the chain of pages of the window whose first page is ``first``."""
        page_file = self.search.page_file
        return walk_pages(self.source, self.session, first, lambda n: page_file(first, n),
                          self.search.next_page)  # fmt: skip

    def window(self, window: Window, first: str | None = None) -> bool:
        """Fetch one window whole (split when it has too many pages); whether it completed."""
        first = first or self.search.with_window(self.source.url, window)
        outcome, written, pages = self.pages(first)
        if outcome == _COMPLETE:
            self.session.manifest.write()  # its pages are recorded before the window is
            self.ledger.record(self.source.name, window, pages)
            return True
        self.session.discard(written)
        if outcome == _FAILED:
            return False
        halves = window.halves(self.search.smallest)
        if halves is None:
            self.session.refuse(self.source, first, f"more than {self.max_pages:,} pages in the "
                                f"window {window}, which cannot be split further")  # fmt: skip
            return False
        return all(self.window(half) for half in halves)


def fetch_windowed(source: Source, session: FetchSession, search: WindowedSearch) -> None:
    """Fetch ``source``'s search window by window (see the module docstring); a window that
    fails stops this source's windows for this run (the next run starts at it again)."""
    walk = _Walk(source, session, search)
    fixed = search.window_of(source.url)
    if fixed is not None:
        walk.window(Window(*fixed), source.url)
        return
    fetched = [search.window_of(e.url) for e in session.manifest.of_source(source.name)]
    earlier = max((w[1] for w in fetched if w), default=None)  # folders without a ledger
    done = walk.ledger.done_until(source.name)
    start = session.window.since or done or earlier
    if start is None:
        session.refuse(source, source.url, "no previous fetch in the manifest: give --since DATE")
        return
    if done is None:  # where the next run starts if this one's first window fails
        walk.ledger.record(source.name, Window(start, start), 0)
    for window in session.bar(windows_between(start, session.window.now, search.step),
                              source.name, "window"):  # fmt: skip
        overlapped = Window(window.start - search.overlap, window.end)
        if not walk.window(overlapped):
            return  # later windows wait: the next run starts at this one again
