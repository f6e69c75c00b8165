"""The loaders' pipeline: published files in, reconciled tables out, then the store.

1. **Find** the files: folders are expanded into the files a registered source claims
   (:mod:`loaders.sources.registry`); the customer list is not a source file.
2. **Load** each source's files into catalogue tables, sources in registry order, each
   seeing the tables of those before it (buyers of notices are resolved as the spend
   customers were); tables two sources write are stacked, except that a source that
   combines the tables before it (:attr:`~loaders.sources.base.Source.combines`: the
   procurements published on several platforms) replaces them.
3. **Report**: the spend report at the top of the load report, each other source's under its
   key (``"ocds"`` for Contracts Finder notices).
4. **Aggregate and write** (:func:`write_store`): the pre-aggregated tables of the spend
   (:mod:`loaders.aggregates`) are added and every table is written through the catalogue
   (:mod:`loaders.catalogue.store`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from loaders.aggregates import aggregate_result
from loaders.bodies.customer_list import read_customer_list
from loaders.bodies.resolution import CUSTOMER_ALIASES, SUPPLIER_ALIASES
from loaders.catalogue import store, versions
from loaders.catalogue.model import conforms
from loaders.catalogue.parts import Appended, WholeTables, whole
from loaders.catalogue.result import LoadResult
from loaders.core.errors import LoaderInputError
from loaders.core.files import file_signatures, find_files
from loaders.core.vocabulary import Vocabulary, load_vocabulary
from loaders.fetch.manifest import is_fetch_manifest
from loaders.sources.base import LoadContext, LoadOptions, Source, SourceLoad
from loaders.sources.registry import SOURCES, catalogue_of, claimant


def input_files(
    paths: Iterable[str | Path],
    customers: str | Path | None = None,
    sources: Sequence[Source] = SOURCES,
) -> dict[str, list[Path]]:
    """The files each source reads, by source name, from ``paths`` (files and folders),
    the customer list and a download folder's fetch manifest left out.

    Raises :class:`~loaders.core.errors.LoaderInputError` for a file named directly that no
    source reads, or when there is no file at all.
    """
    requested = [Path(p) for p in paths]
    skip = {Path(customers).resolve()} if customers else set()

    def wanted(path: Path) -> bool:
        return claimant(path, sources) is not None

    found: dict[str, list[Path]] = {s.name: [] for s in sources}
    for path in find_files(requested, wanted):
        if path.resolve() in skip or is_fetch_manifest(path):
            continue
        source = claimant(path, sources)
        if source is None:
            raise LoaderInputError(path, "is not a file any source reads (by its name)")
        found[source.name].append(path)
    if not any(found.values()):
        where = requested[0] if requested else Path(".")
        raise LoaderInputError(where, "no spreadsheet or OCDS files found")
    return found


FILE_SIGNATURES = "file_signatures"  # report key: input path -> file_signature()


def _stacked(
    tables: dict[str, pd.DataFrame], loaded: Mapping[str, pd.DataFrame], replace: bool = False
) -> None:
    for name, frame in loaded.items():
        if not replace and name in tables and not whole(tables[name]).empty:
            frame = pd.concat([whole(tables[name]), whole(frame)], ignore_index=True)
        tables[name] = frame


def _add_report(report: dict[str, Any], source: Source, section: dict[str, Any]) -> None:
    if source.report_key is None:
        report.update(section)
    elif section:
        report[source.report_key] = section


def load(
    paths: Iterable[str | Path] | str | Path,
    customers: str | Path | None = None,
    *,
    framework: str | None = None,
    supplier: str | None = None,
    manifest: str | Path | None = None,
    allow_empty: bool = False,
    progress: bool = False,
    vocab: Vocabulary | None = None,
    customer_aliases: str | Path | None = CUSTOMER_ALIASES,
    supplier_aliases: str | Path | None = SUPPLIER_ALIASES,
    cache_dir: str | Path | None = None,
    sources: Sequence[Source] = SOURCES,
) -> LoadResult:
    """Load published files (or folders of them) into one reconciled result: spend releases
    (CSV, XLSX, XLS, ODS) and OCDS notice files (``.json``, ``.jsonl``, gzipped or not).

    ``customers`` is a CCS customer list, used to resolve customer names to bodies and to
    infer sectors missing from a release; ``framework`` names the framework of files that
    have no framework column and ``supplier`` the supplier of returns that have no supplier
    column (else the file name is used); ``manifest`` is a ``releases.csv`` stating each
    file's release and version (by default any ``releases.csv`` in the folders given);
    ``allow_empty`` accepts files none of whose rows can be loaded (by default they stop
    the load); ``customer_aliases`` / ``supplier_aliases`` are the analysts' override files
    (``None``: no overrides). ``cache_dir`` keeps each spend file's extract by content hash:
    files loaded before are only hashed, not parsed again (the result is the same without
    it). ``sources`` are the registered sources (:mod:`loaders.sources.registry`). Every
    table the sources declare is in the result, empty when no file gave it. Raises
    :class:`~loaders.core.errors.LoaderInputError` for unusable input.
    """
    requested = [Path(paths)] if isinstance(paths, (str, Path)) else [Path(p) for p in paths]
    files = input_files(requested, customers, sources)
    context = load_context(
        requested, customers, vocab, (customer_aliases, supplier_aliases),
        LoadOptions(
            framework=framework,
            supplier=supplier,
            manifest=Path(manifest) if manifest else None,
            allow_empty=allow_empty,
            cache_dir=Path(cache_dir) if cache_dir is not None else None,
        ),
        progress,
    )  # fmt: skip
    return run_sources(files, context, sources)


def load_context(
    requested: Sequence[Path],
    customers: str | Path | None,
    vocab: Vocabulary | None,
    aliases: tuple[str | Path | None, str | Path | None],
    options: LoadOptions,
    progress: bool = False,
) -> LoadContext:
    """What every source's load reads besides its files (the customer list read here)."""
    vocab = vocab or load_vocabulary()
    return LoadContext(
        requested=tuple(requested),
        vocab=vocab,
        customers=read_customer_list(Path(customers), vocab) if customers else None,
        customers_file=Path(customers) if customers else None,
        aliases=tuple(Path(a) if a else None for a in aliases),
        options=options,
        progress=progress,
    )


SourceLoader = Callable[[list[Path], LoadContext], SourceLoad]


def run_sources(
    files: Mapping[str, list[Path]],
    context: LoadContext,
    sources: Sequence[Source] = SOURCES,
    loaders: Mapping[str, SourceLoader] | None = None,
    signatures: Mapping[str, list[int]] | None = None,
) -> LoadResult:
    """Each source's files (``files``, by source name) into one result, sources in order,
    each seeing the tables of those before it; ``loaders`` replace a source's ``load`` by
    name (an append). Every table the sources declare is in the result. The report records
    the files' ``signatures`` (:func:`~loaders.core.files.file_signatures`, taken here when
    not given: they must be taken before any file is read or checked)."""
    tables: dict[str, pd.DataFrame] = {}
    report: dict[str, Any] = {}
    if signatures is None:
        signatures = file_signatures(p for paths in files.values() for p in paths)
    for source in sources:
        run = (loaders or {}).get(source.name, source.load)
        loaded = run(files[source.name], _with_tables(context, tables))
        _stacked(tables, loaded.tables, source.combines)
        _add_report(report, source, loaded.report)
    # taken before any file is read: an append reads again only the files that changed since
    report[FILE_SIGNATURES] = dict(signatures)
    catalogue = catalogue_of(sources)
    for name, table in catalogue.items():
        if name not in tables:
            tables[name] = table.empty()
        elif not isinstance(tables[name], Appended) and not conforms(table, tables[name]):
            tables[name] = table.typed(tables[name])  # an appended table is typed already
    return LoadResult(tables, report, catalogue, lambda r: describe(r, sources))


def _with_tables(context: LoadContext, tables: dict[str, pd.DataFrame]) -> LoadContext:
    """``context`` with the tables of the sources before (an appended one read whole when
    a source asks for it)."""
    return LoadContext(**{**context.__dict__, "tables": WholeTables(tables)})


def describe(report: dict[str, Any], sources: Sequence[Source] = SOURCES) -> str:
    """A load report in words: the top of the report, then each source's section."""
    lines: list[str] = []
    for source in sorted(sources, key=lambda s: s.report_key is not None):
        section = report if source.report_key is None else report.get(source.report_key)
        if section:
            lines.extend(source.describe(section))
    return "\n".join(lines)


def summary(report: dict[str, Any], sources: Sequence[Source] = SOURCES) -> list[str]:
    """One line per source that read files, for the command line after an ingest."""
    lines = []
    for source in sources:
        section = report if source.report_key is None else report.get(source.report_key)
        line = source.summary(section) if section else None
        if line:
            lines.append(line)
    return lines


def source_files(report: dict[str, Any], sources: Sequence[Source] = SOURCES) -> list[dict]:
    """The files a store was built from (each source's ``files`` in the report, with their
    ``sha256``), whatever their source."""
    found: list[dict] = []
    for source in sources:
        section = report if source.report_key is None else report.get(source.report_key, {})
        found.extend(section.get("files", []))
    return found


def write_store(
    result: LoadResult,
    out_dir: str | Path,
    extra_files: Mapping[str, str] | None = None,
    *,
    keep: int = store.KEEP_VERSIONS,
) -> Path:
    """Write ``result`` and its pre-aggregated tables as a new version of the store
    ``out_dir``, made current only once all is written, ``keep`` earlier versions kept
    (:func:`loaders.catalogue.store.write_store`; ``extra_files``, name -> text, arrive with
    it). Returns the store's path."""
    return store.write_store(aggregate_result(result), out_dir, extra_files, keep=keep)


def read_store(folder: str | Path, sources: Sequence[Source] = SOURCES) -> LoadResult:
    """The store in ``folder``, its tables read on first use (see
    :func:`loaders.catalogue.store.open_report` for errors)."""
    return store.read_store(folder, lambda r: describe(r, sources))


def _data_as_at(folder: Path) -> str:
    """The latest month of a store version's spend (``no spend`` when it has none)."""
    months = store.read_table(folder, "spend", columns=["month"])["month"]
    latest = months.max() if len(months) else None
    return "no spend" if latest is None or pd.isna(latest) else f"{latest:%Y-%m}"


def describe_versions(out: str | Path, sources: Sequence[Source] = SOURCES) -> list[str]:
    """The versions a store keeps, newest first, each with its data as at (latest month),
    when it was written and its totals (one line per source); empty for a store written
    before versions. A version that cannot be read says so instead."""
    found = versions.versions(out)
    if not found:
        return []
    lines = [f"Versions of {out} (newest first; 'python -m loaders rollback --out {out}' "
             "returns to the one before the current):"]  # fmt: skip
    for version in reversed(found):
        state = "current" if version.current else "rolled back" if version.rolled_back else "kept"
        try:
            report = store.open_report(version.folder)
            head = (f"{version.id} ({state}): data as at {_data_as_at(version.folder)}, "
                    f"written {report.get('generated_at', 'at an unknown time')}")  # fmt: skip
            lines += [f"  {head}", *(f"    {line}" for line in summary(report, sources))]
        except (LoaderInputError, OSError, ValueError, KeyError) as exc:
            lines.append(f"  {version.id} ({state}): cannot be read: {exc}")
    return lines
