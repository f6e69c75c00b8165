"""How deep a JSON document may nest: :data:`MAX_JSON_DEPTH` levels, for every JSON the
loaders read (OCDS files at ingest; Contracts Finder pages, GOV.UK Content API and CKAN
answers at fetch).

Real documents nest a handful of levels (an OCDS release package: 8; a Content API answer:
6); a document nested thousands deep is an attack or a broken file. Parsing one costs
memory and time that grow faster than its size (ijson builds each event's path: 10,000
levels took 0.26 GB, 100,000 a MemoryError; Python's ``json`` stops at about 1,000 with a
``RecursionError``), so it is refused, with one line, before anything is built from it.

A streamed document is also refused when :data:`MAX_TOKEN_BYTES` pass without a ``"`` (one
string or number that long): ijson's parser takes time growing with the square of a token's
length (a 16 MB string: 2.7 s; 64 MB: 28 s; a 700 MB one, from a 0.7 MB gzip file, ran nine
minutes and crashed the process), while no real release holds a text anywhere near it.
"""

from __future__ import annotations

import json
from typing import IO, Any

MAX_JSON_DEPTH = 64  # levels of objects and arrays, the outermost one counting 1
MAX_TOKEN_BYTES = 32 * 1024 * 1024  # bytes a streamed document may run without a '"'
READ_BYTES = 1024 * 1024  # what a streamed document is read by (ijson's buf_size)


class TooDeep(ValueError):
    """A JSON document nested deeper than the limit; ``str`` says so in one line."""

    def __init__(self, limit: int = MAX_JSON_DEPTH) -> None:
        self.limit = limit
        super().__init__(f"JSON nested deeper than {limit} levels")


class TokenTooLong(ValueError):
    """A streamed JSON document with one string or number longer than the limit."""

    def __init__(self, limit: int = MAX_TOKEN_BYTES) -> None:
        self.limit = limit
        super().__init__(f"JSON with a string or number over {limit:,} bytes long")


class BoundedReader:
    """A binary file read through, raising :class:`TokenTooLong` once ``limit`` bytes pass
    without a ``"`` (checked at each read's edges: a run inside one read is shorter than a
    read, :data:`READ_BYTES`, itself shorter than the limit)."""

    def __init__(self, handle: IO[bytes], limit: int = MAX_TOKEN_BYTES) -> None:
        self._handle = handle
        self._limit = limit
        self._run = 0  # bytes since the last '"'

    def read(self, size: int = -1) -> bytes:
        """Up to ``size`` bytes (see the class docstring for the error raised)."""
        chunk = self._handle.read(size)
        first = chunk.find(b'"')
        if first < 0:
            self._run += len(chunk)
            too_long = self._run > self._limit
        else:
            too_long = self._run + first > self._limit
            self._run = len(chunk) - chunk.rfind(b'"') - 1
        if too_long:
            raise TokenTooLong(self._limit)
        return chunk


def check_depth(value: Any, limit: int = MAX_JSON_DEPTH) -> Any:
    """``value`` (parsed JSON) itself, or :class:`TooDeep` if its objects and arrays nest
    deeper than ``limit``. Walks the value without recursion."""
    if not isinstance(value, (dict, list)):
        return value
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            raise TooDeep(limit)
        children = item.values() if isinstance(item, dict) else item
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return value


def loads(data: bytes | str, limit: int = MAX_JSON_DEPTH) -> Any:
    """``json.loads`` of ``data``, refusing a document nested deeper than ``limit``.

    Raises :class:`TooDeep` (a ``ValueError``) for too deep a document, ``ValueError`` for
    one that is not JSON.
    """
    try:
        return check_depth(json.loads(data), limit)
    except RecursionError:  # deeper than the parser itself goes
        raise TooDeep(limit) from None
