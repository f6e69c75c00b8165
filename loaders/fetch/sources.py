"""Where releases and notices are published: ``data/reference/sources.csv``, read as data.

One row per source: ``name`` (also the folder its files go into), ``kind`` (how its files
are found: one of :func:`loaders.update.run.fetch_kinds`), ``url``, an optional ``pattern``
(a regular expression matched against each file name; without one, spreadsheet files are
taken) and optional ``hosts``: other hosts its files, redirects and pages may be fetched
from, separated by spaces (``*.example.org`` for every host under ``example.org``); without
them, only the host of ``url`` (:mod:`loaders.fetch.policy`). Blank lines and lines starting
with ``#`` are skipped, so a candidate source can be kept commented out.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from loaders.core.errors import LoaderInputError
from loaders.core.vocabulary import REFERENCE_DIR
from loaders.fetch.policy import LinkPolicy

SOURCES_FILE = REFERENCE_DIR / "sources.csv"
COLUMNS = ("name", "kind", "url", "pattern", "hosts")
SPREADSHEET_PATTERN = r"(?i)\.(csv|xlsx|xlsm|xls|ods)$"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_HOST = re.compile(r"^(\*\.)?[A-Za-z0-9._:\[\]-]+$")


@dataclass(frozen=True)
class Source:
    """One publisher's page or endpoint, and which of its files to take."""

    name: str
    kind: str
    url: str
    pattern: str = ""
    hosts: str = ""

    @property
    def policy(self) -> LinkPolicy:
        """Where this source may be fetched from: its URL's host and its ``hosts``."""
        return LinkPolicy.of(self.url, self.hosts.split())

    def matches(self, filename: str) -> bool:
        """Whether ``filename`` is wanted: it matches ``pattern`` (default: a spreadsheet)."""
        return re.search(self.pattern or SPREADSHEET_PATTERN, filename) is not None


def _data_lines(text: str) -> list[tuple[int, str]]:
    return [
        (number, line)
        for number, line in enumerate(text.splitlines(), 1)
        if line.strip() and not line.lstrip().startswith("#")
    ]


def _check(path: Path, row: int, source: Source, seen: set[str], kinds: Collection[str]) -> None:
    def fail(problem: str, column: str) -> LoaderInputError:
        return LoaderInputError(path, problem, row=row, column=column)

    if not _NAME.match(source.name):
        raise fail(f"name {source.name!r} must be letters, digits, '.', '_' or '-'", "name")
    if source.name in seen:
        raise fail(f"name {source.name!r} is used twice", "name")
    if source.kind not in kinds:
        raise fail(f"unknown kind {source.kind!r}; known: {', '.join(kinds)}", "kind")
    if urlsplit(source.url).scheme not in ("http", "https"):
        raise fail(f"{source.url!r} is not an http(s) URL", "url")
    for host in source.hosts.split():
        if not _HOST.match(host):
            raise fail(f"host {host!r} must be a host name (no scheme, no path)", "hosts")
    try:
        re.compile(source.pattern)
    except re.error as exc:
        problem = f"pattern {source.pattern!r} is not a regular expression: {exc}"
        raise fail(problem, "pattern") from exc


def read_sources(path: str | Path, kinds: Collection[str]) -> list[Source]:
    """The sources listed in ``path`` (``name,kind,url[,pattern[,hosts]]`` with a header row),
    each of one of ``kinds``.

    Raises :class:`~loaders.core.errors.LoaderInputError` naming the row and column of a bad
    entry (unknown kind, duplicate name, not an http(s) URL, bad pattern, bad host).
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise LoaderInputError(path, f"cannot be read: {exc.strerror or exc}") from exc
    lines = _data_lines(text)
    if not lines:
        raise LoaderInputError(path, "lists no sources")
    header = next(csv.reader([lines[0][1]]))
    if [h.strip() for h in header[:3]] != list(COLUMNS[:3]):
        raise LoaderInputError(path, f"header must be {','.join(COLUMNS)}", row=lines[0][0])
    sources: list[Source] = []
    seen: set[str] = set()
    for number, line in lines[1:]:
        cells = [c.strip() for c in next(csv.reader(io.StringIO(line)))]
        cells += [""] * (len(COLUMNS) - len(cells))
        source = Source(*cells[: len(COLUMNS)])
        _check(path, number, source, seen, kinds)
        seen.add(source.name)
        sources.append(source)
    return sources
