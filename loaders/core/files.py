"""Which input files hold OCDS data: by name, for folders searched like spreadsheets.

OCDS files are release or record packages (``.json``, as the Contracts Finder
``Published/Notices/OCDS/Search`` pages return them), JSON Lines of releases (``.jsonl``,
``.ndjson``), and gzip of either (``.json.gz``, ``.jsonl.gz``). Imports nothing from
:mod:`loaders`, so :mod:`loaders.core.spreadsheets` can use it.
"""

from __future__ import annotations

from pathlib import Path

DOCUMENT_SUFFIXES = (".json", ".json.gz")
LINES_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")
OCDS_SUFFIXES = DOCUMENT_SUFFIXES + LINES_SUFFIXES


def is_ocds_path(path: Path) -> bool:
    """Whether ``path`` is named as an OCDS file (any of :data:`OCDS_SUFFIXES`, any case)."""
    return path.name.lower().endswith(OCDS_SUFFIXES)


def is_json_lines(path: Path) -> bool:
    """Whether ``path`` is named as JSON Lines (one release or package a line)."""
    return path.name.lower().endswith(LINES_SUFFIXES)


def split_ocds(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """``(spreadsheets, ocds_files)``: ``paths`` split by name, each keeping its order."""
    ocds = [p for p in paths if is_ocds_path(p)]
    return [p for p in paths if not is_ocds_path(p)], ocds
