"""One fetch run: every source's files into ``DIR/<source name>/``, with the manifest.

A file is *new* when nothing was saved under its name before, *changed* when its bytes
differ from the last copy, *unchanged* on ``304 Not Modified`` or identical bytes. One bad
link never stops the rest: it is recorded as refused with its reason, and the run goes on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path, PurePosixPath
from urllib.parse import urljoin

from tqdm import tqdm

from loaders.fetch.client import FetchSettings, HttpClient, Refused
from loaders.fetch.discovery import DISCOVER, Link
from loaders.fetch.manifest import Entry, Manifest
from loaders.fetch.sources import Source
from loaders.fetch.summary import Fetched, FetchSummary, RefusedLink
from loaders.sources.contracts_finder import fetching as cf

_UNSAFE = re.compile(r"[^A-Za-z0-9._() -]+")


def safe_name(filename: str) -> str:
    """A file name safe on any file system (no folders, no leading dot)."""
    name = _UNSAFE.sub("_", PurePosixPath(filename.replace("\\", "/")).name).strip(" .")
    return name or "download"


def utc_now() -> dt.datetime:
    """Now, UTC, to the second, without a time zone (as Contracts Finder's parameters)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


class _Run:
    def __init__(self, folder: Path, client: HttpClient, progress: bool) -> None:
        self.folder = folder
        self.client = client
        self.progress = progress
        self.manifest = Manifest.read(folder)
        self.summary = FetchSummary()
        self.taken: set[str] = set()

    def refuse(self, source: Source, url: str, reason: str) -> None:
        self.summary.refused.append(RefusedLink(source.name, url, reason))

    def target(self, source: Source, link: Link) -> str:
        known = self.manifest.entries.get(link.url)
        file = known.file if known else f"{source.name}/{safe_name(link.filename)}"
        if file in self.taken:  # two links of one run with one name: keep both
            path = PurePosixPath(file)
            tag = hashlib.sha1(link.url.encode()).hexdigest()[:8]
            file = str(path.with_name(f"{path.stem}-{tag}{path.suffix}"))
        self.taken.add(file)
        return file

    def save(self, source: Source, url: str, file: str) -> bool:
        """Download ``url`` as ``file``; whether a good copy is now on disk."""
        previous = self.manifest.previous(url, file)
        same_url = previous is not None and previous.url == url
        validators = (previous.etag, previous.last_modified) if same_url else ("", "")
        try:
            result = self.client.download(url, self.folder / file, validators)
        except Refused as exc:
            self.refuse(source, url, exc.reason)
            return False
        record = Fetched(source.name, url, file)
        if result.not_modified:
            self.summary.unchanged.append(record)
            return True
        if previous is None:
            self.summary.new.append(record)
        elif previous.sha256 == result.sha256:
            self.summary.unchanged.append(record)
        else:
            self.summary.changed.append(record)
        fetched_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        self.manifest.put(
            Entry(
                source.name,
                url,
                file,
                result.bytes,
                result.sha256,
                fetched_at,
                result.etag,
                result.last_modified,
                result.content_type,
            )  # fmt: skip
        )
        return True

    def files(self, source: Source) -> None:
        try:
            links = DISCOVER[source.kind](source, self.client)
        except Refused as exc:
            self.refuse(source, exc.url, exc.reason)
            return
        if not links:
            self.refuse(source, source.url, "no file matching the pattern was found")
        bar = tqdm(links, desc=source.name, unit="file", disable=None if self.progress else True)
        for link in bar:
            self.save(source, link.url, self.target(source, link))

    def discard(self, records: list[Fetched]) -> None:
        """Forget files of an incomplete window, so the next run fetches it again."""
        for record in records:
            (self.folder / record.file).unlink(missing_ok=True)
            self.manifest.remove(record.url)
            for group in (self.summary.new, self.summary.changed):
                if record in group:
                    group.remove(record)

    def window(self, source: Source, first: str) -> bool:
        """Fetch every page of one window; whether the chain reached its last page."""
        url: str | None = first
        seen: set[str] = set()
        written: list[Fetched] = []
        for number in range(1, cf.MAX_PAGES + 1):
            seen.add(url)
            file = f"{source.name}/{cf.page_file(first, number)}"
            before = len(self.summary.new) + len(self.summary.changed)
            if not self.save(source, url, file):
                break
            if len(self.summary.new) + len(self.summary.changed) > before:
                written.append(Fetched(source.name, url, file))
            try:
                following = cf.next_page(json.loads((self.folder / file).read_bytes()))
            except ValueError as exc:
                self.refuse(source, url, f"not valid JSON: {exc}")
                written.append(Fetched(source.name, url, file))
                break
            if following is None:
                return True
            url = urljoin(url, following)
            if url in seen:
                self.refuse(source, url, "links.next points back to a page already read")
                break
        self.discard(written)
        return False

    def contracts_finder(self, source: Source, since: dt.datetime | None, now: dt.datetime):
        fetched = [e.url for e in self.manifest.of_source(source.name)]
        days = self.client.settings.window_days
        try:
            firsts = cf.window_urls(source.url, fetched, since, now, days)
        except Refused as exc:
            self.refuse(source, exc.url, exc.reason)
            return
        bar = tqdm(firsts, desc=source.name, unit="window", disable=None if self.progress else True)
        for first in bar:
            if not self.window(source, first):
                return  # later windows wait: the next run starts at this one again


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
    size, SHA-256, fetch time and validators. ``since`` (UTC) is where Contracts Finder
    windows start instead of the end of the last fetch; ``now`` (UTC) where they end.
    Never raises for a bad link: see :class:`~loaders.fetch.summary.FetchSummary`.
    Raises :class:`~loaders.core.errors.LoaderInputError` if ``into/manifest.csv`` is unreadable.
    """
    folder = Path(into)
    folder.mkdir(parents=True, exist_ok=True)
    run = _Run(folder, client or HttpClient(settings), progress)
    try:
        for source in sources:
            if source.kind == "contracts-finder":
                run.contracts_finder(source, since, now or utc_now())
            else:
                run.files(source)
    finally:
        run.manifest.write()
    return run.summary
