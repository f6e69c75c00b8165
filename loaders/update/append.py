"""Append new files to a store instead of loading every file again, when that gives the
same store; otherwise rebuild and say why in one line.

``ingest`` and ``update`` call :func:`load_or_append`. The files given are compared with
those the store was built from (``path`` and ``sha256`` of each source's report ``files``):
every stored file must be given again unchanged, and the files not in the store are the new
ones. A source with new files and an ``append`` (:attr:`loaders.sources.base.Source.append`:
spend releases, :mod:`loaders.sources.ccs_spend.append`) adds them to the store's tables; a
source without new files, or without ``append``, loads its files as a full load does (it
sees the tables of the sources before it, as there). Any source may refuse
(:class:`~loaders.sources.base.AppendRefused`): then every file is loaded again.

The result is written as a new store version by :func:`loaders.pipeline.write_store`, made
current only once whole, so a failure anywhere leaves the previous version current.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from loaders.bodies.resolution import CUSTOMER_ALIASES, SUPPLIER_ALIASES
from loaders.catalogue.result import LoadResult
from loaders.catalogue.store import is_store
from loaders.core.files import file_sha256, file_signatures
from loaders.core.vocabulary import Vocabulary
from loaders.pipeline import (
    FILE_SIGNATURES,
    SourceLoader,
    input_files,
    load,
    load_context,
    read_store,
    run_sources,
)
from loaders.sources.base import AppendRefused, LoadContext, LoadOptions, Source, SourceLoad
from loaders.sources.registry import SOURCES
from loaders.update.carry import with_aggregates

NO_OPTIONS = LoadOptions()


@dataclass(frozen=True)
class Ingested:
    """A load result and how it was made: ``appended`` files added to the store, else a full
    load (``reason``: why not an append; ``None`` when there was no store)."""

    result: LoadResult
    appended: tuple[Path, ...] = ()
    reason: str | None = None

    def note(self, out: str | Path) -> str | None:
        """One line saying how the store was made (``None``: a first build)."""
        if self.appended:
            return f"appended {len(self.appended)} new file(s) to {out}"
        return None if self.reason is None else f"rebuilt {out}: {self.reason}"


def _section(report: dict[str, Any], source: Source) -> dict[str, Any]:
    return report if source.report_key is None else report.get(source.report_key, {})


def _sha256(path: Path) -> str:
    try:
        return file_sha256(path)
    except OSError as exc:  # the full load names the file with its usual error
        raise AppendRefused(f"{path.name} cannot be read ({type(exc).__name__})") from exc


def _digest(
    path: Path, stored: dict[str, str], before: Mapping[str, Any], now: Mapping[str, Any]
) -> str:
    """The SHA-256 of a file: the stored one when its signature ``now`` is the one taken
    before the store read it (``before``; :func:`~loaders.core.files.file_signature`: same
    size, inode, modification and change times), else read again."""
    known, found = before.get(str(path)), now.get(str(path))
    if known and found and str(path) in stored and list(found) == list(known):
        return stored[str(path)]
    return _sha256(path)


def new_files(
    given: Sequence[Path], section: dict[str, Any], source: Source,
    before: Mapping[str, Any] | None = None, now: Mapping[str, Any] | None = None,
) -> list[Path]:  # fmt: skip
    """The files of ``given`` (one source's) the store was not built from; refuses when a
    stored file is missing, changed or given under another name. The signatures ``before``
    (the store's report's ``file_signatures``) and ``now`` (taken before this check, and
    recorded with the new store) spare reading the stored files that did not change."""
    stored = {f["path"]: f["sha256"] for f in section.get("files", []) if f.get("sha256")}
    data = [p for p in given if not source.control(p)]
    shas = {str(p): _digest(p, stored, before or {}, now or {}) for p in data}
    for path, sha in shas.items():
        if path in stored and stored[path] != sha:
            raise AppendRefused(f"{Path(path).name} changed since the store was built")
        if path not in stored and sha in stored.values():
            raise AppendRefused(f"{Path(path).name} is a copy of a stored file")
    missing = sorted(set(stored) - set(shas))
    if missing:
        raise AppendRefused(f"{Path(missing[0]).name} is in the store but was not given")
    return [p for p in data if str(p) not in stored]


def _loaders(
    files: Mapping[str, list[Path]], stored: LoadResult, sources: Sequence[Source],
    now: Mapping[str, list[int]],
) -> tuple[dict[str, SourceLoader], list[Path]]:  # fmt: skip
    """The appending loader of each source with new files, and those files (``now``: the
    files' signatures, taken before they are checked)."""
    loaders: dict[str, SourceLoader] = {}
    added: list[Path] = []
    before = stored.report.get(FILE_SIGNATURES, {})
    for source in sources:
        section = _section(stored.report, source)
        new = new_files(files[source.name], section, source, before, now)
        if not new:
            continue
        if source.append is None:
            raise AppendRefused(f"new {source.name} files are loaded only with all the others")
        added += new

        def appending(_: list[Path], ctx: LoadContext, s=source, sec=section, n=new) -> SourceLoad:
            return s.append(stored, sec, n, ctx)

        loaders[source.name] = appending
    if not added:
        raise AppendRefused("no new file")
    return loaders, added


def append(
    paths: Iterable[str | Path],
    out: str | Path,
    customers: str | Path | None = None,
    *,
    options: LoadOptions = NO_OPTIONS,
    progress: bool = False,
    vocab: Vocabulary | None = None,
    aliases: tuple[str | Path | None, str | Path | None] = (CUSTOMER_ALIASES, SUPPLIER_ALIASES),
    sources: Sequence[Source] = SOURCES,
) -> Ingested:
    """The store ``out`` with the new files among ``paths`` added (see the module
    docstring); raises :class:`~loaders.sources.base.AppendRefused` when that cannot give
    what loading every file gives, and what :func:`loaders.load` raises for unusable input.
    """
    if not is_store(out):
        raise AppendRefused("no store to add to")
    stored = read_store(out, sources)
    requested = [Path(p) for p in paths]
    files = input_files(requested, customers, sources)
    signatures = file_signatures(p for paths in files.values() for p in paths)  # before reading
    loaders, added = _loaders(files, stored, sources, signatures)
    context = load_context(requested, customers, vocab, aliases, options, progress)
    result = run_sources(files, context, sources, loaders, signatures)
    return Ingested(with_aggregates(result, stored, context.vocab), tuple(added))


def load_or_append(
    paths: Iterable[str | Path],
    out: str | Path,
    customers: str | Path | None = None,
    *,
    rebuild: bool = False,
    options: LoadOptions = NO_OPTIONS,
    progress: bool = False,
) -> Ingested:
    """Append the new files among ``paths`` to the store ``out`` (:func:`append`), or load
    them all (:func:`loaders.load`) when ``rebuild`` is asked for or an append cannot be
    sure of the same result. Raises what :func:`loaders.load` raises."""
    paths = list(paths)
    reason = "--rebuild" if rebuild else None
    if not rebuild:
        try:
            return append(paths, out, customers, options=options, progress=progress)
        except AppendRefused as refused:
            reason = None if str(refused) == "no store to add to" else str(refused)
    result = load(
        paths, customers, framework=options.framework, supplier=options.supplier,
        manifest=options.manifest, allow_empty=options.allow_empty, progress=progress,
        cache_dir=options.cache_dir,
    )  # fmt: skip
    return Ingested(result, reason=reason)
