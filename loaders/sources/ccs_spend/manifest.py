"""The analyst's manifest of releases: which file is which release and version.

``releases.csv`` beside the files (in any folder loaded), or named with ``--manifest``
(``loaders.load(..., manifest=...)``), has the columns ``file`` (a file name, or a path
relative to the manifest), ``release`` (any label: ``2019-01``, ``G-Cloud January 2019``) and
``version`` (optional: ``1``, ``2``, ``v2``...; the highest of a release is kept). Files it
lists get their release from it, and two listed files of one release are versions of it
(different versions: only the highest is kept) or parts of it (the same version, or none:
both kept), whatever their content says. It wins over every inference of
:mod:`loaders.sources.ccs_spend.versions`; files it does not list are inferred as usual.

Only an analyst's manifest steers a load: a ``releases.csv`` that a publisher served (one in
a source's folder of a download folder, :func:`loaders.fetch.manifest.in_fetched_folder`)
is never taken, whether found in a folder or named among the files; ``--manifest`` names one
explicitly (a served manifest calling the April 2014 file "version 2" once made ``update``
drop £62.9m). Manifests in hidden folders are not looked for either.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from loaders.core.errors import LoaderInputError
from loaders.core.files import find_files
from loaders.core.parsing import clean_name
from loaders.fetch.manifest import in_fetched_folder

MANIFEST_NAME = "releases.csv"
COLUMNS = ("file", "release")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


@dataclass(frozen=True)
class ManifestEntry:
    """One file's line of a manifest."""

    file: str  # as written in the manifest
    release: str
    version: str  # as written ("" when not given)
    source: Path  # the manifest that says so

    def version_number(self) -> float:
        """The version as a number (``v2`` is 2; none is 0)."""
        found = _NUMBER.search(self.version)
        return float(found[0]) if found else 0.0


def is_manifest(path: Path) -> bool:
    """Whether ``path`` is a manifest of releases rather than a release."""
    return path.name.lower() == MANIFEST_NAME


def read_manifest(path: Path) -> dict[str, ManifestEntry]:
    """The entries of one manifest, by file name (and by path relative to the manifest).

    Raises :class:`LoaderInputError` naming the manifest when it cannot be read or lacks the
    ``file`` and ``release`` columns, or gives one file two releases.
    """
    try:
        with Path(path).open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            fields = {(f or "").strip().lower() for f in reader.fieldnames or []}
            missing = [c for c in COLUMNS if c not in fields]
            if missing:
                raise LoaderInputError(
                    path, f"is not a manifest of releases: no column {', '.join(missing)}"
                )
            rows = [
                {(k or "").strip().lower(): clean_name(v) for k, v in r.items()} for r in reader
            ]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise LoaderInputError(path, f"cannot read the manifest of releases: {exc}") from exc
    entries: dict[str, ManifestEntry] = {}
    for number, row in enumerate(rows, start=2):
        name = row.get("file", "").replace("\\", "/")
        if not name or not row.get("release"):
            continue
        entry = ManifestEntry(name, row["release"], row.get("version", ""), Path(path))
        key = name.lower()
        if key in entries and entries[key].release != entry.release:
            raise LoaderInputError(
                path, f"lists {name!r} twice with different releases", row=number
            )
        entries[key] = entry
    return entries


def _candidates(paths: list[Path]) -> list[Path]:
    """Every ``releases.csv`` among ``paths`` and in the folders given (hidden ones left out)."""
    found = []
    for path in map(Path, paths):
        if path.is_dir():
            found += find_files([path], is_manifest)
        elif is_manifest(path):
            found.append(path)
    return found


def find_manifests(paths: list[Path], named: Path | None) -> list[Path]:
    """The manifests of a load: the one named, else every ``releases.csv`` in the folders
    (and files) given that no publisher served (see the module docstring)."""
    if named is not None:
        return [Path(named)]
    return [m for m in _candidates(paths) if not in_fetched_folder(m)]


def served_manifests(paths: list[Path], named: Path | None) -> list[Path]:
    """The ``releases.csv`` files among ``paths`` left out because a publisher served them
    (none when a manifest is named)."""
    return [] if named is not None else [m for m in _candidates(paths) if in_fetched_folder(m)]


def manifest_entries(manifests: list[Path]) -> dict[str, ManifestEntry]:
    """All entries of the manifests, later manifests adding to earlier ones."""
    entries: dict[str, ManifestEntry] = {}
    for manifest in manifests:
        entries.update(read_manifest(manifest))
    return entries


def entry_for(path: Path, entries: dict[str, ManifestEntry]) -> ManifestEntry | None:
    """The manifest entry of a file: by path relative to its manifest, else by name."""
    for entry in entries.values():
        if "/" in entry.file:
            try:
                if path.resolve() == (entry.source.parent / entry.file).resolve():
                    return entry
            except OSError:
                continue
    return entries.get(path.name.lower())
