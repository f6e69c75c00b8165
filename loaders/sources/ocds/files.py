"""Which input files hold OCDS data, by name.

OCDS files are release or record packages (``.json``, as the Contracts Finder
``Published/Notices/OCDS/Search`` pages return them), JSON Lines of releases (``.jsonl``,
``.ndjson``), and gzip of either (``.json.gz``, ``.jsonl.gz``).
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
