"""Deduplicate releases and compile each process's releases into its current state.

Releases are spooled to a temporary SQLite file as they are read, keyed by ``(ocid, id)``:
a release whose key was read before is a *duplicate* and counts once (the first copy read
is kept; the report says when a copy differs). Processes are then compiled one at a time
(memory holds one process, never the whole input) with ``ocdsmerge``: releases in date
order, later values over earlier ones, arrays of objects with ``id`` merged by id (an award
updated by an ``awardUpdate`` stays one award).

``ocdsmerge`` fetches the OCDS schema from the web unless given merge rules; there is no
network here, so the rules are ``data/reference/ocds_merge_rules.csv``, written from the
OCDS 1.1 merging documentation: release metadata (``id``, ``date``, ``tag``) is omitted;
arrays of objects without ids are merged whole (the latest list replaces the earlier one).
Arrays of strings are literal values anyway. Any other array of objects some of which lack
an ``id`` (an extension field not in the file) is merged whole too, as the documentation
says of arrays whose items have no ``id`` in the schema.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import itertools
import json
import sqlite3
import tempfile
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ocdsmerge import CompiledRelease
from ocdsmerge.exceptions import DuplicateIdValueWarning

from loaders.core.vocabulary import REFERENCE_DIR

MERGE_RULES = REFERENCE_DIR / "ocds_merge_rules.csv"
MergeRules = dict[tuple[str, ...], str]
_RULES = ("omitWhenMerged", "wholeListMerge")


def read_merge_rules(path: Path = MERGE_RULES) -> MergeRules:
    """The merge rules of ``path`` as ``ocdsmerge`` takes them: ``("awards", ...)`` -> rule."""
    with Path(path).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rules = {tuple(row["path"].strip().split(".")): row["rule"].strip() for row in rows}
    unknown = sorted({rule for rule in rules.values() if rule not in _RULES})
    if unknown:
        raise ValueError(f"{path}: unknown merge rules {unknown}")
    return rules


def _id_less_arrays(node: Any, path: tuple[str, ...], found: set[tuple[str, ...]]) -> None:
    if isinstance(node, dict):
        for key, child in node.items():
            _id_less_arrays(child, (*path, key), found)
    elif isinstance(node, list) and node and all(isinstance(item, dict) for item in node):
        if any("id" not in item for item in node):
            found.add(path)
        for item in node:
            _id_less_arrays(item, path, found)


def compile_releases(releases: list[dict[str, Any]], rules: MergeRules) -> dict[str, Any]:
    """The compiled release of one process's ``releases``, merged in the order given.

    Raises ``ocdsmerge.exceptions.OCDSMergeError`` when releases disagree on a field's
    type (an object in one, a list in another).
    """
    found: set[tuple[str, ...]] = set()
    for release in releases:
        _id_less_arrays(release, (), found)
    merged = CompiledRelease(merge_rules={**dict.fromkeys(found, "wholeListMerge"), **rules})
    with warnings.catch_warnings():
        # two objects with one id in one array: the later one is kept, as OCDS says
        warnings.simplefilter("ignore", DuplicateIdValueWarning)
        for release in releases:
            merged.append(release)
    return merged.asdict()


@dataclass(frozen=True)
class FirstCopy:
    """Where the first copy of a duplicate release was read, and whether it is identical."""

    source_file: str
    position: int
    same_content: bool


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class ReleaseSpool:
    """Loaded releases on disk, by process: deduplicates on add, yields processes in order.

    Use as a context manager; the temporary file is deleted on exit.
    """

    def __init__(self) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="ocds-spool-")
        self._db = sqlite3.connect(Path(self._folder.name) / "releases.sqlite")
        self._db.execute("PRAGMA journal_mode = OFF")
        self._db.execute("PRAGMA synchronous = OFF")
        self._db.execute(
            "CREATE TABLE releases (ocid TEXT NOT NULL, release_id TEXT NOT NULL, "
            "date TEXT NOT NULL, seq INTEGER NOT NULL, source_file TEXT NOT NULL, "
            "position INTEGER NOT NULL, digest TEXT NOT NULL, body TEXT NOT NULL, "
            "PRIMARY KEY (ocid, release_id))"
        )
        self._seq = itertools.count()

    def __enter__(self) -> ReleaseSpool:
        return self

    def __exit__(self, *exc: object) -> None:
        self._db.close()
        self._folder.cleanup()

    def add(
        self,
        key: tuple[str, str],
        date: dt.datetime,
        release: dict[str, Any],
        source: tuple[str, int],
    ) -> FirstCopy | None:
        """Keep ``release`` (``key`` is its ocid and id, ``date`` its UTC date, ``source``
        its file and position); if that key was read before, keep nothing and return where
        it was first read."""
        body = json.dumps(release, sort_keys=True, separators=(",", ":"))
        digest = _digest(body)
        cursor = self._db.execute(
            "INSERT OR IGNORE INTO releases VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (*key, date.strftime("%Y-%m-%dT%H:%M:%S.%f"), next(self._seq), *source, digest, body),
        )
        if cursor.rowcount == 1:
            return None
        file, position, first_digest = self._db.execute(
            "SELECT source_file, position, digest FROM releases WHERE ocid = ? AND release_id = ?",
            key,
        ).fetchone()
        return FirstCopy(file, position, first_digest == digest)

    def processes(self) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        """Each ocid with its releases, oldest first (ties in reading order), ocid by ocid."""
        rows = self._db.execute("SELECT ocid, body FROM releases ORDER BY ocid, date, seq")
        for ocid, group in itertools.groupby(rows, key=lambda row: row[0]):
            yield ocid, [json.loads(body) for _, body in group]
