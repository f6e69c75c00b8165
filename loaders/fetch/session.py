"""One fetch run's state: the download folder, its manifest, the client and the summary.

A :class:`FetchSession` saves files (:meth:`FetchSession.save`), records refused links and
forgets files of an unfinished window (:meth:`FetchSession.discard`); what a source kind
does with it (find links on a page, walk a search window by window) is the kind's fetcher
(:mod:`loaders.fetch.kinds`, and each source's own in :mod:`loaders.sources`).

A file is *new* when nothing was saved under its name before, *changed* when its bytes
differ from the last copy, *unchanged* on ``304 Not Modified`` or identical bytes. A changed
file's earlier version is kept (``<source>/.earlier/<sha256 prefix>/<name>``, a hard link to
the old bytes made before the download replaces them) and recorded in the manifest, so the
figures it gave can be rebuilt. Every URL is fetched as its source's
:class:`~loaders.fetch.policy.LinkPolicy` allows. One bad link never stops the rest: it is
recorded as refused with its reason.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from tqdm import tqdm

from loaders.fetch.client import HttpClient, Refused
from loaders.fetch.discovery import Link
from loaders.fetch.manifest import Entry, Manifest, earlier_file
from loaders.fetch.sources import Source
from loaders.fetch.summary import Fetched, FetchSummary, RefusedLink

_UNSAFE = re.compile(r"[^A-Za-z0-9._() -]+")


def safe_name(filename: str) -> str:
    """A file name safe on any file system (no folders, no leading dot)."""
    name = _UNSAFE.sub("_", PurePosixPath(filename.replace("\\", "/")).name).strip(" .")
    return name or "download"


def utc_now() -> dt.datetime:
    """Now, UTC, to the second, without a time zone (as Contracts Finder's parameters)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


@dataclass(frozen=True)
class FetchWindow:
    """Where searches by publication date start (``since``, from ``--since``, UTC; ``None``:
    at the end of the last window fetched) and end (``now``, UTC)."""

    since: dt.datetime | None
    now: dt.datetime


class FetchSession:
    """The state of one fetch run into ``folder`` (see the module docstring)."""

    def __init__(
        self, folder: Path, client: HttpClient, progress: bool, window: FetchWindow
    ) -> None:
        self.folder = folder
        self.client = client
        self.progress = progress
        self.window = window
        self.manifest = Manifest.read(folder)
        self.summary = FetchSummary()
        self.taken: set[str] = set()

    def bar(self, items: Iterable, label: str, unit: str) -> Iterable:
        """``items`` with a progress bar when the session shows progress."""
        return tqdm(items, desc=label, unit=unit, disable=None if self.progress else True)

    def refuse(self, source: Source, url: str, reason: str) -> None:
        """Record a link that was not fetched, and why."""
        self.summary.refused.append(RefusedLink(source.name, url, reason))

    def target(self, source: Source, link: Link) -> str:
        """The file (relative to the folder) that ``link`` is saved as."""
        known = self.manifest.entries.get(link.url)
        file = known.file if known else f"{source.name}/{safe_name(link.filename)}"
        if file in self.taken:  # two links of one run with one name: keep both
            path = PurePosixPath(file)
            tag = hashlib.sha1(link.url.encode()).hexdigest()[:8]
            file = str(path.with_name(f"{path.stem}-{tag}{path.suffix}"))
        self.taken.add(file)
        return file

    def _hold_earlier(self, previous: Entry | None, file: str) -> Path | None:
        """Keep the bytes now at ``file`` (the ``previous`` download) under its earlier-version
        name before a download may replace them; the path made (``None``: nothing to keep,
        or already kept)."""
        current = self.folder / file
        if previous is None or not current.is_file():
            return None
        kept = self.folder / earlier_file(replace(previous, file=file))
        if kept.exists():
            return None
        kept.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(current, kept)
        except OSError:  # no hard links here: a copy
            shutil.copy2(current, kept)
        return kept

    def save(self, source: Source, url: str, file: str) -> bool:
        """Download ``url`` as ``file``; whether a good copy is now on disk."""
        previous = self.manifest.previous(url, file)
        same_url = previous is not None and previous.url == url
        validators = (previous.etag, previous.last_modified) if same_url else ("", "")
        held = self._hold_earlier(previous, file)
        try:
            result = self.client.download(url, self.folder / file, validators, source.policy)
        except Refused as exc:
            self.refuse(source, url, exc.reason)
            _drop(held)
            return False
        record = Fetched(source.name, url, file)
        fetched_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        if result.not_modified or (previous is not None and previous.sha256 == result.sha256):
            self.summary.unchanged.append(record)
            _drop(held)
            if result.not_modified:
                return True
        elif previous is None:
            self.summary.new.append(record)
        else:
            self.summary.changed.append(record)
            self.manifest.keep_earlier(previous, earlier_file(replace(previous, file=file)),
                                       fetched_at)  # fmt: skip
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

    def save_links(self, source: Source, links: list[Link]) -> None:
        """Save every link found for ``source`` (refused when there are none)."""
        if not links:
            self.refuse(source, source.url, "no file matching the pattern was found")
        for link in self.bar(links, source.name, "file"):
            if link.problem:
                self.refuse(source, link.url, link.problem)
            else:
                self.save(source, link.url, self.target(source, link))

    def discard(self, records: list[Fetched]) -> None:
        """Forget files of an incomplete window, so the next run fetches it again."""
        for record in records:
            (self.folder / record.file).unlink(missing_ok=True)
            self.manifest.remove(record.url)
            for group in (self.summary.new, self.summary.changed):
                if record in group:
                    group.remove(record)


def _drop(held: Path | None) -> None:
    """Remove an earlier-version copy made for a download that changed nothing."""
    if held is not None:
        held.unlink(missing_ok=True)
        for folder in (held.parent, held.parent.parent):
            try:
                folder.rmdir()
            except OSError:
                break
