"""Which input files hold OCDS data, by name, and whose notices they are, by content.

OCDS files are release or record packages (``.json``, as the Contracts Finder
``Published/Notices/OCDS/Search`` pages return them), JSON Lines of releases (``.jsonl``,
``.ndjson``), and gzip of either (``.json.gz``, ``.jsonl.gz``). Which platform published
them is told by the prefix of the first ocid written in the file (:func:`first_ocid`): a
platform's source claims its files by it (:func:`claims_ocid_prefix`), before the generic
OCDS source, which claims any OCDS file by name.
"""

from __future__ import annotations

import gzip
import re
import zlib
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from loaders.sources.ocds.notice_rules import load_notice_rules

DOCUMENT_SUFFIXES = (".json", ".json.gz")
LINES_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")
OCDS_SUFFIXES = DOCUMENT_SUFFIXES + LINES_SUFFIXES


def is_ocds_path(path: Path) -> bool:
    """Whether ``path`` is named as an OCDS file (any of :data:`OCDS_SUFFIXES`, any case)."""
    return path.name.lower().endswith(OCDS_SUFFIXES)


def is_json_lines(path: Path) -> bool:
    """Whether ``path`` is named as JSON Lines (one release or package a line)."""
    return path.name.lower().endswith(LINES_SUFFIXES)


HEAD_BYTES = 1 << 20  # how much of a file is read to find its first ocid
_FIRST_OCID = re.compile(rb'"ocid"\s*:\s*"([^"\\]{1,200})"')


@lru_cache(maxsize=4096)
def _first_ocid(path: str, mtime_ns: int, size: int) -> str | None:
    try:
        with open(path, "rb") as raw:
            head = raw.read(2)
            raw.seek(0)
            if head == b"\x1f\x8b":
                with gzip.GzipFile(fileobj=raw) as unzipped:
                    data = unzipped.read(HEAD_BYTES)
            else:
                data = raw.read(HEAD_BYTES)
    except (OSError, EOFError, zlib.error):
        return None
    found = _FIRST_OCID.search(data)
    return found.group(1).decode("utf-8", "replace") if found else None


def first_ocid(path: Path) -> str | None:
    """The first ``"ocid"`` value written in the first megabyte of ``path`` (decompressed
    if gzipped): the ocid of its first release or record; ``None`` if there is none or the
    file cannot be read (the loader then says why)."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return _first_ocid(str(path), stat.st_mtime_ns, stat.st_size)


def claims_ocid_prefix(prefix: str) -> Callable[[Path], bool]:
    """A source's ``claims``: OCDS files (by name) whose first ocid has ``prefix``
    (``ocds-h6vhtk``: Find a Tender), whatever the file is called."""

    def claims(path: Path) -> bool:
        ocid = first_ocid(path) if is_ocds_path(path) else None
        return ocid is not None and ocid.startswith(f"{prefix}-")

    return claims


def claims_platform(platform: str) -> Callable[[Path], bool]:
    """:func:`claims_ocid_prefix` for the prefix ``ocds_platforms.csv`` gives ``platform``."""
    found = load_notice_rules().by_name(platform)
    if found is None:
        raise ValueError(f"{platform!r} is not a platform of ocds_platforms.csv")
    return claims_ocid_prefix(found.prefix)
