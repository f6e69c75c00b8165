"""Read the releases of an OCDS file one at a time, in bounded memory.

- **Release package** (``.json``, as the Contracts Finder ``Published/Notices/OCDS/Search``
  pages return them): an object with a ``releases`` list; the list is streamed with ijson, one
  release in memory at a time (the file is never loaded whole). Its other members (``uri``,
  ``links.next``...) are read past and never followed.
- **Record package**: an object with a ``records`` list, streamed one record (one process) at
  a time. A record's embedded releases are read, given the record's ``ocid`` when they lack
  one; linked releases (a ``url`` in place of the release) are passed on for the quarantine,
  since nothing is fetched; a record whose releases are all linked gives its
  ``compiledRelease`` instead, when it has one.
- **JSON Lines** (``.jsonl``): one release a line, or one package a line.
- Any of these gzipped (recognised by content, whatever the name).

Unusable files raise :class:`~loaders.core.errors.LoaderInputError` naming the file: empty, not
JSON, truncated (also a truncated gzip), nested deeper than
:data:`~loaders.core.json_limits.MAX_JSON_DEPTH` levels (checked over the whole file before
any release is built, so a deep file costs no memory) or holding a string or number over
:data:`~loaders.core.json_limits.MAX_TOKEN_BYTES` long, not an OCDS package, ``releases`` or
``records`` not a list. Problems of single releases are left to :mod:`loaders.sources.ocds.checks`.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import ijson

from loaders.core import json_limits
from loaders.core.errors import LoaderInputError
from loaders.sources.ocds.files import is_json_lines

_GZIP_MAGIC = b"\x1f\x8b"
PACKAGE_LISTS = ("releases", "records")
_READ_ERRORS = (ijson.JSONError, EOFError, zlib.error, gzip.BadGzipFile, UnicodeDecodeError)
TOO_DEEP = f"is nested deeper than {json_limits.MAX_JSON_DEPTH} levels (the limit for JSON files)"


@dataclass(frozen=True)
class Candidate:
    """One release as found in a file, not yet checked.

    ``position`` counts the releases of the file from 1; ``where`` says where it was found
    (``releases[3]``, ``records[0].releases[1]``, ``line 7``); ``value`` is the parsed JSON,
    whatever its type.
    """

    position: int
    where: str
    value: Any


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0].strip() if text else type(exc).__name__


@contextmanager
def open_bytes(path: Path) -> Iterator[IO[bytes]]:
    """The file's bytes, decompressed if gzipped; raise if missing, a folder or empty."""
    if not path.exists():
        raise LoaderInputError(path, "no such file")
    if path.is_dir():
        raise LoaderInputError(path, "is a folder, not a file")
    with path.open("rb") as raw:
        head = raw.read(2)
        raw.seek(0)
        if not head:
            raise LoaderInputError(path, "is empty")
        if head == _GZIP_MAGIC:
            with gzip.GzipFile(fileobj=raw, mode="rb") as unzipped:
                yield unzipped
        else:
            yield raw


def _package_list(path: Path, whole: bool = True) -> str:
    """Which list the package holds (``releases`` or ``records``), reading the whole file
    once with its depth and tokens bounded (:mod:`loaders.core.json_limits`); with ``whole``
    false, only up to the list (a file already read). A number beyond a double (Find a
    Tender's ``1e9999``) makes the fast reading fail: the file is then scanned again with
    exact numbers."""
    try:
        return _package_list_read(path, whole, use_float=True)
    except ijson.JSONError as exc:
        if "overflow" not in str(exc):
            raise
        return _package_list_read(path, whole, use_float=False)


def _package_list_read(path: Path, whole: bool, use_float: bool) -> str:
    with open_bytes(path) as handle:
        reader = json_limits.BoundedReader(handle)
        events = ijson.basic_parse(reader, use_float=use_float, buf_size=json_limits.READ_BYTES)
        first = next(events, None)
        if first is None:
            raise LoaderInputError(path, "is empty")
        if first[0] != "start_map":
            raise LoaderInputError(
                path, f"is not an OCDS release or record package (its JSON is a {first[0]})"
            )
        found = _scan(path, events, whole)
    if found is None:
        raise LoaderInputError(
            path, "is not an OCDS release or record package (no 'releases' or 'records' list)"
        )
    return found


def _scan(path: Path, events: Iterator[tuple[str, Any]], whole: bool) -> str | None:
    """The package's list, from the events after its opening ``{``; raises
    :class:`~loaders.core.json_limits.TooDeep` past the depth limit (one tight loop: it reads
    every event of the file)."""
    depth, limit, found = 1, json_limits.MAX_JSON_DEPTH, None
    for event, value in events:
        if event == "start_map" or event == "start_array":
            depth += 1
            if depth > limit:
                raise json_limits.TooDeep(limit)
        elif event == "end_map" or event == "end_array":
            depth -= 1
        elif depth == 1 and event == "map_key" and found is None and value in PACKAGE_LISTS:
            kind = next(events)[0]
            if kind != "start_array":
                raise LoaderInputError(path, f"'{value}' is not a list (found a {kind})")
            found, depth = value, 2
            if not whole:
                return found
    return found


def _is_linked(release: object) -> bool:
    """A linked release: a ``url`` to the release instead of the release (OCDS records)."""
    return isinstance(release, dict) and "url" in release and "ocid" not in release


def _record_releases(path: Path, record: object, index: int) -> Iterator[tuple[str, Any]]:
    """``(where, release)`` of one record of a record package."""
    where = f"records[{index}]"
    if not isinstance(record, dict):
        yield where, record
        return
    releases = record.get("releases", [])
    if not isinstance(releases, list):
        raise LoaderInputError(path, f"{where}: 'releases' is not a list")
    ocid = record.get("ocid")
    for j, release in enumerate(releases):
        if isinstance(release, dict) and "ocid" not in release and not _is_linked(release):
            release = {"ocid": ocid, **release} if ocid is not None else release
        yield f"{where}.releases[{j}]", release
    compiled = record.get("compiledRelease")
    if isinstance(compiled, dict) and all(_is_linked(r) for r in releases):
        yield f"{where}.compiledRelease", compiled


def _package_items(path: Path, document: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """``(where, release)`` of a package already in memory (one line of JSON Lines)."""
    for key in PACKAGE_LISTS:
        if key in document and not isinstance(document[key], list):
            raise LoaderInputError(path, f"'{key}' is not a list")
    for i, release in enumerate(document.get("releases", [])):
        yield f"releases[{i}]", release
    for i, record in enumerate(document.get("records", [])):
        yield from _record_releases(path, record, i)


def _floats(value: Any) -> Any:
    """``value`` with every ``Decimal`` a float (``1e9999`` is infinity, as ``json`` reads it)."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {k: _floats(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_floats(v) for v in value]
    return value


def _document_items(path: Path, exact: bool = False) -> Iterator[tuple[str, Any]]:
    key = _package_list(path)
    with open_bytes(path) as handle:
        items = ijson.items(
            handle, f"{key}.item", use_float=not exact, buf_size=json_limits.READ_BYTES
        )
        for i, item in enumerate(items):
            item = _floats(item) if exact else item
            if key == "releases":
                yield f"releases[{i}]", item
            else:
                yield from _record_releases(path, item, i)


def _all_document_items(path: Path) -> Iterator[tuple[str, Any]]:
    """:func:`_document_items`, read again with exact numbers from where the fast reading
    stopped at a number beyond a double (Find a Tender writes ``1e9999`` for "no maximum"),
    which the fast reading cannot hold."""
    done = 0
    try:
        for item in _document_items(path):
            yield item
            done += 1
    except ijson.JSONError as exc:
        if "overflow" not in str(exc):
            raise
        for number, item in enumerate(_document_items(path, exact=True)):
            if number >= done:
                yield item


def _lines_items(path: Path) -> Iterator[tuple[str, Any]]:
    with open_bytes(path) as handle:
        for number, raw in enumerate(handle, start=1):
            text = raw.decode("utf-8-sig" if number == 1 else "utf-8").strip()
            if not text:
                continue
            try:
                value = json_limits.loads(text)
            except json_limits.TooDeep:
                raise LoaderInputError(path, f"line {number} {TOO_DEEP}", row=number) from None
            except json.JSONDecodeError as exc:
                truncated = not raw.endswith(b"\n")
                problem = "is truncated" if truncated else f"is not valid JSON ({exc.msg})"
                raise LoaderInputError(path, f"line {number} {problem}", row=number) from exc
            if isinstance(value, dict) and any(key in value for key in PACKAGE_LISTS):
                for where, release in _package_items(path, value):
                    yield f"line {number} {where}", release
            else:
                yield f"line {number}", value


def iter_candidates(path: str | Path) -> Iterator[Candidate]:
    """Every release of an OCDS file, in file order, one at a time.

    Raises :class:`~loaders.core.errors.LoaderInputError` for an unusable file, possibly after
    some releases were yielded (a file truncated near its end): callers discard what they
    read from a file that fails.
    """
    path = Path(path)
    items = _lines_items(path) if is_json_lines(path) else _all_document_items(path)
    try:
        for position, (where, value) in enumerate(items, start=1):
            yield Candidate(position=position, where=where, value=value)
    except json_limits.TooDeep:
        raise LoaderInputError(path, TOO_DEEP) from None
    except json_limits.TokenTooLong as exc:
        raise LoaderInputError(path, f"is refused: {exc} (no release holds one)") from None
    except _READ_ERRORS as exc:
        raise LoaderInputError(
            path, f"is not valid JSON (truncated or corrupt?): {_one_line(exc)}"
        ) from exc


def file_format(path: str | Path) -> str:
    """``release package``, ``record package`` or ``JSON Lines``, with ``(gzip)`` if gzipped.

    Call after the file was read without error (it reads the start of the file again).
    """
    path = Path(path)
    if is_json_lines(path):
        kind = "JSON Lines"
    else:
        kind = f"{_package_list(path, whole=False)[:-1]} package"
    with path.open("rb") as handle:
        zipped = handle.read(2) == _GZIP_MAGIC
    return f"{kind} (gzip)" if zipped else kind
