"""Input files: folders expanded into the files some source reads, and files' digests.

Which files a source reads is the source's business (:mod:`loaders.sources.registry`):
:func:`find_files` takes that test as ``wanted`` and applies it to the files inside folders;
files named directly are kept whatever their name, so that a wrongly named file gets a
clear error rather than being skipped.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path

HIDDEN_PREFIXES = ("~$", ".")  # office lock files, hidden files and folders


def find_files(paths: Iterable[Path], wanted: Callable[[Path], bool]) -> list[Path]:
    """``paths`` with every folder replaced by the ``wanted`` files inside it (recursively,
    hidden files, files in hidden folders and office lock files left out), sorted by path
    within each folder."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file() and not _hidden(p.relative_to(path)) and wanted(p)
                )
            )
        else:
            found.append(path)
    return found


def _hidden(relative: Path) -> bool:
    """Whether a file or any folder on its way from the folder given is hidden (a download
    folder keeps earlier versions of changed files in ``.earlier`` folders)."""
    return any(part.startswith(HIDDEN_PREFIXES) for part in relative.parts)


def file_sha256(path: Path) -> str:
    """SHA-256 (hex) of a file's bytes, read in blocks of 1 MiB."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


RACY_SECONDS = 2  # a file changed this recently may change again within the same tick


def file_signature(path: Path) -> list[int] | None:
    """What tells that a file has not changed since, without reading it: its size, inode,
    and modification and change times (ns; the change time moves with every write and cannot
    be set back). ``None`` when the file cannot be read, or changed less than
    :data:`RACY_SECONDS` ago (a write in the same clock tick would leave it the same), so it
    is read again next time. Take it before reading the file: a change made while it is
    read then shows next time."""
    if os.name == "nt":  # there st_ctime is the creation time, which a rewrite keeps
        return None
    try:
        st = os.stat(path)
    except OSError:
        return None
    if time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) < RACY_SECONDS * 10**9:
        return None
    return [st.st_size, st.st_ino, st.st_mtime_ns, st.st_ctime_ns]


def file_signatures(paths: Iterable[Path]) -> dict[str, list[int]]:
    """:func:`file_signature` of each of ``paths`` that has one, by path (as text)."""
    found = {str(path): file_signature(path) for path in paths}
    return {path: signature for path, signature in found.items() if signature}
