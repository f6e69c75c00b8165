"""The manifest ``DIR/manifest.csv``: one row per URL fetched into ``DIR``, and one per
earlier version of a file kept when its content changed at the same URL.

Columns: ``source``, ``url``, ``file`` (path relative to ``DIR``), ``bytes``, ``sha256``,
``fetched_at`` (UTC, ISO 8601), ``etag``, ``last_modified`` (the server's validators, sent
back as ``If-None-Match`` / ``If-Modified-Since`` next time), ``content_type`` and
``replaced_at``: empty for the current file of a URL; for an earlier version, when a newer
content replaced it (its file is kept as ``<source>/.earlier/<first 16 of its sha256>/<name>``,
a hidden folder that ingesting ``DIR`` leaves out: name it to rebuild earlier figures). It
is rewritten whole through a temporary file, so a crash never leaves half a manifest (a file
downloaded but not yet recorded is fetched again next time). A manifest of earlier releases
(no ``replaced_at`` column) is read as it is.

:func:`in_fetched_folder` tells whether a file sits in a source's folder of a download
folder (what a publisher served, never an analyst's own file).
"""

from __future__ import annotations

import csv
import os
import tempfile
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path, PurePosixPath

from loaders.core.errors import LoaderInputError

MANIFEST_FILE = "manifest.csv"
WRITE_EVERY = 50  # entries recorded between two writes (a crash loses at most these)


@dataclass(frozen=True)
class Entry:
    """What was last fetched from one URL."""

    source: str
    url: str
    file: str
    bytes: int
    sha256: str
    fetched_at: str
    etag: str = ""
    last_modified: str = ""
    content_type: str = ""
    replaced_at: str = ""  # when a newer content replaced this one ("": the current file)


COLUMNS = tuple(f.name for f in fields(Entry))
_EARLIER_COLUMNS = COLUMNS[:-1]  # manifests written before earlier versions were kept
EARLIER_FOLDER = ".earlier"


def earlier_file(entry: Entry) -> str:
    """Where the earlier version of ``entry``'s file is kept (relative to the folder)."""
    path = PurePosixPath(entry.file)
    return str(path.parent / EARLIER_FOLDER / entry.sha256[:16] / path.name)


def in_fetched_folder(path: str | Path) -> bool:
    """Whether ``path`` is inside a source's folder of a download folder: some folder above
    it holds a fetch manifest, and ``path`` is not directly beside that manifest."""
    path = Path(path).absolute()
    for folder in path.parents[1:]:
        manifest = folder / MANIFEST_FILE
        if manifest.is_file() and is_fetch_manifest(manifest):
            return True
    return False


def is_fetch_manifest(path: Path) -> bool:
    """Whether ``path`` is a download folder's fetch manifest (by name and header)."""
    if Path(path).name != MANIFEST_FILE:
        return False
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle), [])
    except (OSError, UnicodeDecodeError, csv.Error):
        return False
    return tuple(header) in (COLUMNS, _EARLIER_COLUMNS)


class Manifest:
    """The entries of ``DIR/manifest.csv`` by URL (mutable: one fetch run owns it)."""

    def __init__(
        self,
        folder: Path,
        entries: dict[str, Entry] | None = None,
        earlier: list[Entry] | None = None,
    ) -> None:
        self.folder = Path(folder)
        self.entries: dict[str, Entry] = dict(entries or {})
        self.earlier: list[Entry] = list(earlier or [])
        self._unwritten = 0

    @property
    def path(self) -> Path:
        return self.folder / MANIFEST_FILE

    @classmethod
    def read(cls, folder: str | Path) -> Manifest:
        """The manifest of ``folder`` (empty when there is none yet).

        Raises :class:`~loaders.core.errors.LoaderInputError` if the file is not a manifest.
        """
        path = Path(folder) / MANIFEST_FILE
        if not path.is_file():
            return cls(Path(folder))
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            if tuple(reader.fieldnames or ()) not in (COLUMNS, _EARLIER_COLUMNS):
                raise LoaderInputError(path, f"is not a fetch manifest (columns {COLUMNS})")
            entries, earlier = {}, []
            for number, row in enumerate(reader, 2):
                try:
                    entry = Entry(**{**row, "bytes": int(row["bytes"])})
                except (TypeError, ValueError) as exc:
                    raise LoaderInputError(path, f"bad entry: {exc}", row=number) from exc
                if entry.replaced_at:
                    earlier.append(entry)
                else:
                    entries[entry.url] = entry
        return cls(Path(folder), entries, earlier)

    def get(self, url: str) -> Entry | None:
        """The entry of ``url`` if its file is still in the folder."""
        entry = self.entries.get(url)
        if entry is None or not (self.folder / entry.file).is_file():
            return None
        return entry

    def previous(self, url: str, file: str) -> Entry | None:
        """The last fetch of ``url``, else of another URL saved as ``file`` (a file
        re-published under a new address), if its file is still in the folder."""
        entry = self.get(url)
        if entry is not None:
            return entry
        for other in self.entries.values():
            if other.file == file and (self.folder / file).is_file():
                return other
        return None

    def remove(self, url: str) -> None:
        """Forget ``url`` and write the manifest."""
        if self.entries.pop(url, None) is not None:
            self.write()

    def of_source(self, source: str) -> list[Entry]:
        """The entries of one source."""
        return [e for e in self.entries.values() if e.source == source]

    def put(self, entry: Entry) -> None:
        """Record ``entry`` (replacing any other URL saved as the same file); the manifest
        is written every :data:`WRITE_EVERY` entries and by :meth:`write`."""
        self.entries = {u: e for u, e in self.entries.items() if e.file != entry.file}
        self.entries[entry.url] = entry
        self._unwritten += 1
        if self._unwritten >= WRITE_EVERY:
            self.write()

    def keep_earlier(self, entry: Entry, file: str, replaced_at: str) -> None:
        """Record the earlier version of a URL's file, kept as ``file`` (once per URL and
        content)."""
        if any(e.url == entry.url and e.sha256 == entry.sha256 for e in self.earlier):
            return
        self.earlier.append(replace(entry, file=file, replaced_at=replaced_at))
        self._unwritten += 1

    def write(self) -> None:
        """Write the manifest through a temporary file renamed into place."""
        self._unwritten = 0
        self.folder.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=".manifest-", suffix=".part", dir=self.folder)
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
                writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
                writer.writeheader()
                rows = [*self.entries.values(), *self.earlier]
                for entry in sorted(rows, key=lambda e: (e.source, e.file, e.replaced_at)):
                    writer.writerow(asdict(entry))
            os.replace(name, self.path)
        except BaseException:
            Path(name).unlink(missing_ok=True)
            raise
