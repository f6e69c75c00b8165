"""The spend pipeline of CCS releases: files in, the spend tables and their report out.

1. **Extract** each file (from the extract cache when its bytes are known): parsed rows and
   quarantined rows (:mod:`~loaders.sources.ccs_spend.extract`); byte-identical files once.
2. **Plan** the releases and their versions (:mod:`~loaders.sources.ccs_spend.versions`)
   and order them (:mod:`~loaders.sources.ccs_spend.combine`).
3. **Resolve** customers and suppliers to bodies, infer sectors, SME status and buyer groups
   (:mod:`loaders.bodies`).
4. **Combine** releases month by month: rows of outranked releases are superseded.
5. **Report** where every row and every pound went (:mod:`~loaders.sources.ccs_spend.report`).

Memory: rows are held about once. The extracts' rows move into one frame; its file,
release and the answers of step 3 are codes (categories, or each row's line in the distinct
inputs for the match report), not per-row copies of text; the reports are built before the
typed spend table, which is taken from the rows a column at a time.

Tables: ``spend``, ``quarantine``, ``revisions``, ``release_months``, ``version_changes``,
and the bodies' ``matches``, ``customers`` and ``customer_names`` (:mod:`loaders.catalogue`),
``register_matches`` and ``customer_register_matches`` (:mod:`loaders.bodies.registers`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from tqdm import tqdm

from loaders.bodies.customer_list import CustomerList
from loaders.bodies.registers.carry import carried_register_tables
from loaders.bodies.registers.matching import register_tables
from loaders.bodies.resolution import customer_bodies, match_report
from loaders.bodies.resolution.trust import untrusted_report
from loaders.catalogue import CANONICAL
from loaders.catalogue.aggregate_tables import BODIES, table_name
from loaders.catalogue.parts import Appended, WholeTables, whole
from loaders.core.errors import LoaderInputError
from loaders.core.frames import stacked
from loaders.core.periods import financial_years
from loaders.core.vocabulary import Vocabulary
from loaders.sources.base import AppendRefused, LoadContext, SourceLoad
from loaders.sources.ccs_spend.append import (
    by_name,
    check_inputs,
    keyless_names,
    order_new,
    renamed_store,
    resolve_with_store,
    spend_tables,
)
from loaders.sources.ccs_spend.canonical import (
    INPUT_TABLES,
    Codes,
    Inputs,
    input_tables,
    on_rows,
    resolve_inputs,
    row_inputs,
)
from loaders.sources.ccs_spend.checks import (
    AMBIGUOUS,
    COMBINING_REASONS,
    TOTALS,
    nothing_loaded_problem,
)
from loaders.sources.ccs_spend.combine import ReleaseOrder, combine, order_releases
from loaders.sources.ccs_spend.dates import BY_VALUES
from loaders.sources.ccs_spend.extract import FileExtract, extract_file
from loaders.sources.ccs_spend.extract_cache import ExtractCache
from loaders.sources.ccs_spend.fingerprint import ingest_inputs
from loaders.sources.ccs_spend.ledger import appended_figures, figures_of
from loaders.sources.ccs_spend.manifest import (
    find_manifests,
    is_manifest,
    manifest_entries,
    served_manifests,
)
from loaders.sources.ccs_spend.report import (
    FILE_QUARANTINE_COLUMNS,
    FILE_ROW_COLUMNS,
    FileRows,
    build_report,
    file_report,
)
from loaders.sources.ccs_spend.rules import may_load_nothing
from loaders.sources.ccs_spend.version_changes import version_changes
from loaders.sources.ccs_spend.versions import ReleasePlan, decisions, plan_releases

QUARANTINE_COLUMNS = CANONICAL["quarantine"].columns


def _extract(path: Path, named: tuple, vocab, cache: ExtractCache | None) -> FileExtract:
    """One file's extract (from the cache when its bytes are known); errors name the file.

    ``named`` is the ``(framework, supplier)`` given for files without those columns.
    """
    try:
        if cache is None:
            return extract_file(path, vocab, named[0], supplier=named[1])
        return cache.extract(path)
    except LoaderInputError:
        raise
    except Exception as exc:  # an unforeseen problem still names the file
        raise LoaderInputError(path, f"cannot be read: {type(exc).__name__}: {exc}") from exc


def _extract_all(paths: list[Path], named: tuple, vocab, progress, cache) -> tuple[list, list]:
    extracts: list[FileExtract] = []
    duplicates: list[dict[str, str]] = []
    seen: dict[str, Path] = {}
    bar = tqdm(paths, desc="Reading releases", unit="file", disable=None if progress else True)
    for path in bar:
        extract = _extract(path, named, vocab, cache)
        if extract.sha256 in seen:
            duplicates.append({"file": str(path), "same_as": str(seen[extract.sha256])})
            continue
        seen[extract.sha256] = path
        extracts.append(extract)
    return extracts, duplicates


def _all_parsed(extracts: list[FileExtract], order: ReleaseOrder) -> pd.DataFrame:
    """Every extract's parsed rows in one frame, with ``file`` and ``release`` (categories).
    The rows move: each extract is left with none (its report needs only its other facts),
    so they are never held twice beyond the concatenation itself."""
    published = stacked([e.parsed for e in extracts])  # text columns stay categories
    of_row = np.repeat(np.arange(len(extracts)), [len(e.parsed) for e in extracts])
    for e in extracts:  # new empty columns: a slice of none would keep the rows' buffers
        e.parsed = pd.DataFrame({c: pd.array([], dtype=t) for c, t in e.parsed.dtypes.items()})
    # each row's file and release as a code (categories), not a copy of the text
    files = [str(e.path) for e in extracts]
    release_codes, release_names = pd.factorize(pd.Series([order.release[f] for f in files]))
    published["file"] = pd.Categorical.from_codes(of_row, categories=files)
    published["release"] = pd.Categorical.from_codes(release_codes[of_row], release_names)
    return published


# Each spend column set from the resolved inputs: column -> (customer or supplier, answer).
ROW_ANSWERS = {
    "customer": ("customer", "body_name"),
    "customer_key": ("customer", "body_key"),
    "customer_match": ("customer", "method"),
    "customer_urn": ("customer", "customer_urn_kept"),
    "supplier": ("supplier", "body_name"),
    "supplier_key": ("supplier", "body_key"),
    "sector": ("customer", "sector_found"),
    "sector_method": ("customer", "sector_method"),
    "sector_source": ("customer", "sector_source"),
    "sme_status": ("supplier", "sme_found"),
    "sme_source": ("supplier", "sme_source"),
    "buyer_group": ("customer", "buyer_group"),
}


@dataclass(frozen=True)
class _Bodies:
    """The distinct inputs the rows' customers and suppliers were resolved from, with their
    answers (:mod:`.canonical`), and each parsed row's line in them: the resolver's columns
    are never copied per row."""

    inputs: Inputs
    codes: Codes


def _canonical(
    parsed: pd.DataFrame,
    vocab: Vocabulary,
    customers: CustomerList | None,
    aliases: tuple[Path | None, Path | None],
    resolved: tuple[Inputs, Codes] | None = None,
) -> tuple[pd.DataFrame, _Bodies]:
    """The rows with their bodies, sectors, SME status, buyer group and financial year.

    ``resolved`` are the rows' inputs already resolved (with more rows' than these: an
    append) and each row's line in them; by default the rows' own."""
    if resolved is None:
        inputs, codes = row_inputs(parsed)
        resolved = resolve_inputs(inputs, vocab, customers, aliases), codes
    answers, codes = resolved
    out = parsed  # a frame of its own (concatenated from the extracts): changed in place
    spend = CANONICAL["spend"]
    for column, (whose, answer) in ROW_ANSWERS.items():
        categorical = spend.field(column).dtype == "category"  # as the spend table keeps it
        out[column] = on_rows(answers, codes, whose, answer, categorical)
    out["financial_year"] = financial_years(out["month"])
    out["description"] = _without_empty(out["description"])
    return out, _Bodies(answers, codes)


def _without_empty(texts: pd.Series) -> pd.Series:
    """``texts`` with empty text missing (a categorical stays one)."""
    if isinstance(texts.dtype, pd.CategoricalDtype):
        return texts.cat.remove_categories([""]) if "" in texts.cat.categories else texts
    return texts.where(texts.ne(""), None)


def _matches(bodies: _Bodies, parsed: pd.DataFrame) -> pd.DataFrame:
    """The match report of the loaded rows, customers then suppliers."""
    kept = parsed["kept"].to_numpy()
    spend = parsed.loc[kept, "spend_gbp"]
    answers, codes = bodies.inputs, bodies.codes
    return pd.concat(
        [
            match_report("customer", answers.customers, spend, codes.customers[kept]),
            match_report("supplier", answers.suppliers, spend, codes.suppliers[kept]),
        ],
        ignore_index=True,
    )


def _refuse_empty(extracts: list[FileExtract], allow_empty: bool) -> None:
    """Stop on a file none of whose rows can be loaded, unless that is allowed."""
    if allow_empty:
        return
    for e in extracts:
        if e.parsed.empty and not may_load_nothing(e.notes):
            problem = nothing_loaded_problem(e.quarantine)
            raise LoaderInputError(e.path, f"{problem} (or --allow-empty if that is intended)")


def _quarantine(extracts, order, combined: pd.DataFrame) -> pd.DataFrame:
    parts = [
        e.quarantine.assign(release=order.release[str(e.path)], file=str(e.path)) for e in extracts
    ]
    frame = pd.concat([*parts, combined], ignore_index=True)
    frame = frame.reindex(columns=[*QUARANTINE_COLUMNS, "file"])
    frame["release"] = frame["release"].fillna(frame["file"].map(order.release))
    for column in QUARANTINE_COLUMNS:
        if column not in ("source_row", "spend_gbp"):
            frame[column] = frame[column].astype("string")
    frame["source_row"] = frame["source_row"].astype("int64")
    # A file's own Total row is a check on the file (load report: declared_total_gbp), not
    # spend read and set aside: its amount stays in spend_raw, not in the pounds.
    totals = frame["reason"].eq(TOTALS).fillna(False).to_numpy()
    frame["spend_gbp"] = frame["spend_gbp"].astype("float64").mask(totals)
    return frame


def _file_reports(extracts, order: ReleaseOrder, parsed, quarantine, plan: ReleasePlan):
    """The report of each file, from its rows (found by one grouping, not a scan per file)."""
    rejected = quarantine[~quarantine["reason"].isin(COMBINING_REASONS)]
    aside = quarantine[quarantine["reason"].eq(AMBIGUOUS)]
    rows = parsed.groupby("file", sort=False).indices
    bad = rejected.groupby("file", sort=False).indices
    # each file's rows are taken: only the columns its report reads
    parsed, rejected = parsed[FILE_ROW_COLUMNS], rejected[FILE_QUARANTINE_COLUMNS]
    set_aside = aside.groupby("file", sort=False)["spend_gbp"].agg(["size", "sum"])
    none = np.empty(0, dtype=np.intp)
    reports = []
    for e in extracts:
        key = str(e.path)
        extra = {
            "version_status": plan.status.get(key),
            "rows_set_aside": int(set_aside["size"].get(key, 0)),
            "spend_set_aside_gbp": round(float(set_aside["sum"].get(key, 0.0)), 2),
            **e.notes,
        }
        rows_of_file = FileRows(
            extract=e,
            release=order.release[key],
            parsed=parsed.take(rows.get(key, none)),
            quarantine=rejected.take(bad.get(key, none)),
        )
        reports.append(file_report(rows_of_file, order.file_rank(key), extra))
    return reports


def _bodies_tables(customer_list: CustomerList | None, names: pd.Series | None = None) -> dict:
    """The customer list's bodies (with the display names spend resolved them to) and names."""
    listed = customer_list.names if customer_list else None
    names_table = CANONICAL["customer_names"]
    return {
        "customers": CANONICAL["customers"].typed(customer_bodies(customer_list, names)),
        "customer_names": names_table.empty() if listed is None else names_table.typed(listed),
    }


def _nothing(context: LoadContext) -> SourceLoad:
    """The spend tables of a load without spend files (notices only): empty."""
    spend_tables = ("spend", "quarantine", "revisions", "release_months", "version_changes")
    tables = {name: CANONICAL[name].empty() for name in (*spend_tables, "matches")}
    customers = str(context.customers_file) if context.customers_file else None
    report = build_report(
        [], figures_of(tables["spend"]), tables["quarantine"], tables["revisions"], [], customers,
        tables["matches"],
    )  # fmt: skip
    bodies = _bodies_tables(context.customers)
    registers = register_tables(tables["spend"], tables["matches"], bodies["customers"],
                                bodies["customer_names"], context.vocab)  # fmt: skip
    inputs = {name: table.empty() for name, table in INPUT_TABLES.items()}
    return SourceLoad({**tables, **bodies, **registers, **inputs}, report)


def _report(
    files_report: list, tables: dict[str, pd.DataFrame], extras: dict[str, Any], context
) -> dict[str, Any]:
    customers = str(context.customers_file) if context.customers_file else None
    figures = extras.get("figures") or figures_of(tables["spend"])  # an append's: added up
    report = build_report(
        files_report, figures, tables["quarantine"], tables["revisions"],
        extras["duplicates"], customers, tables["matches"],
    )  # fmt: skip
    report["manifests"] = [str(m) for m in extras["manifests"]]
    served = served_manifests(list(context.requested), context.options.manifest)
    report["manifests_ignored"] = [str(m) for m in served]
    versions = extras.get("release_versions")  # an append's: the store's and the new files'
    report["release_versions"] = decisions(extras["plan"]) if versions is None else versions
    report["untrusted_identifiers"] = untrusted_report(tables["matches"])
    report["ingest_inputs"] = ingest_inputs(context)
    report["date_orders_flagged"] = [
        {"file": f["file"], **column}
        for f in files_report
        for column in f["date_columns"]
        if column["decided_by"] != BY_VALUES
    ]
    return report


@dataclass(frozen=True)
class _Loaded:
    """The spend tables of some files, their reports, quarantine (with ``file``) and bodies."""

    tables: dict[str, pd.DataFrame]
    files_report: list[dict[str, Any]]
    quarantine: pd.DataFrame
    bodies: _Bodies


def _cache(context: LoadContext) -> ExtractCache | None:
    options = context.options
    if options.cache_dir is None:
        return None
    return ExtractCache(options.cache_dir, context.vocab, options.framework, options.supplier)


def _load_extracts(
    extracts: list[FileExtract], plan: ReleasePlan, order: ReleaseOrder, context: LoadContext,
    resolve: Callable[[pd.DataFrame], tuple[Inputs, Codes]] | None = None,
) -> _Loaded:  # fmt: skip
    """Resolve, combine and report the rows of ``extracts`` (``resolve``: their inputs
    resolved otherwise than on their own, as an append does)."""
    vocab = context.vocab
    published = _all_parsed(extracts, order)
    changes = version_changes(plan, published, vocab)
    resolved = resolve(published) if resolve is not None else None
    parsed, bodies = _canonical(published, vocab, context.customers, context.aliases, resolved)
    combined = combine(parsed, order, plan)
    parsed["kept"] = combined.kept
    quarantine = _quarantine(extracts, order, combined.quarantine)
    # the reports first and the typed spend last, so the rows are never held twice
    matches = _matches(bodies, parsed)
    files_report = _file_reports(extracts, order, parsed, quarantine, plan)
    tables = {
        "quarantine": CANONICAL["quarantine"].typed(quarantine.drop(columns="file")),
        "revisions": CANONICAL["revisions"].typed(combined.revisions),
        "release_months": CANONICAL["release_months"].typed(combined.release_months),
        "version_changes": changes,
        "matches": matches,
    }
    tables = {"spend": _kept_rows(parsed), **tables}
    return _Loaded(tables, files_report, quarantine, bodies)


def _kept_rows(parsed: pd.DataFrame) -> pd.DataFrame:
    """The spend table: the kept rows of ``parsed``, typed. ``parsed`` is emptied column by
    column as the table is built, so its rows and their typed copy are not both held."""
    kept = parsed.pop("kept").to_numpy()
    columns = {}
    for spec in CANONICAL["spend"].fields:  # as Table.typed casts them, one at a time
        columns[spec.name] = spec.cast(parsed.pop(spec.name)[kept].reset_index(drop=True))
    return pd.DataFrame(columns)


def _finish(
    loaded: _Loaded, extras: dict[str, Any], context: LoadContext, registers=register_tables
) -> SourceLoad:
    """The report, the bodies' and registers' tables (``registers``: how they are matched,
    :func:`~loaders.bodies.registers.matching.register_tables`) and the inputs of the names."""
    tables = dict(loaded.tables)  # an append's spend rows may be stored parts and new rows
    frames = WholeTables({**tables, "quarantine": loaded.quarantine})  # read when asked for
    report = _report(loaded.files_report, frames, extras, context)
    inputs = loaded.bodies.inputs.customers
    names = inputs.drop_duplicates("body_key").dropna(subset=["body_key"])
    tables.update(_bodies_tables(context.customers, names.set_index("body_key")["body_name"]))
    tables.update(registers(tables["spend"], frames["matches"], tables["customers"],
                            tables["customer_names"], context.vocab))  # fmt: skip
    tables.update(input_tables(loaded.bodies.inputs))
    return SourceLoad(tables, report)


def load_spend(paths: list[Path], context: LoadContext) -> SourceLoad:
    """Load published spend files (CSV, XLSX, XLS, ODS; ``releases.csv`` manifests among
    them steer releases and versions) into the spend tables, with the report.

    Raises :class:`~loaders.core.errors.LoaderInputError` for unusable input, naming the
    file (and row and column where known).
    """
    options, vocab = context.options, context.vocab
    manifests = find_manifests(list(context.requested), options.manifest)
    files = [p for p in paths if not is_manifest(p)]
    if not files:
        return _nothing(context)
    cache = _cache(context)
    named = (options.framework, options.supplier)
    extracts, duplicates = _extract_all(files, named, vocab, context.progress, cache)
    _refuse_empty(extracts, options.allow_empty)
    plan = plan_releases(extracts, manifest_entries(manifests), vocab)
    order = order_releases(extracts, plan)
    loaded = _load_extracts(extracts, plan, order, context)
    if cache is not None:
        cache.prune()
    extras = {"duplicates": duplicates, "manifests": manifests, "plan": plan}
    return _finish(loaded, extras, context)


def append_spend(
    stored: Mapping[str, pd.DataFrame], section: dict[str, Any], paths: list[Path],
    context: LoadContext,
) -> SourceLoad:  # fmt: skip
    """The spend tables of a store (``stored``, its report ``section``) with new files
    ``paths`` added: what :func:`load_spend` gives for all the files, or
    :class:`~loaders.sources.base.AppendRefused` when that cannot be sure
    (:mod:`~loaders.sources.ccs_spend.append`). Only the new files are read (the extract
    cache is used, not pruned). Raises :class:`~loaders.core.errors.LoaderInputError` for
    unusable input as :func:`load_spend` does."""
    check_inputs(section, stored, context)
    options, vocab = context.options, context.vocab
    named = (options.framework, options.supplier)
    extracts, duplicates = _extract_all(paths, named, vocab, context.progress, _cache(context))
    if duplicates:
        raise AppendRefused("some new files are byte-identical copies")
    _refuse_empty(extracts, options.allow_empty)
    plan, order = order_new(extracts, section, stored, vocab)
    renames: dict[str, dict] = {}
    keyless: set[str] = set()

    def resolve(rows: pd.DataFrame) -> tuple[Inputs, Codes]:
        resolved, lines, found = resolve_with_store(rows, stored, context)
        renames.update(found)
        keyless.update(keyless_names(stored, resolved))
        return resolved, lines

    new = _load_extracts(extracts, plan, order, context, resolve)
    overlay = by_name(renames, keyless)  # else the stored rows are renamed by body key
    tables = spend_tables(renamed_store(stored, renames, overlay), new.tables,
                          renames if overlay else {})  # fmt: skip
    files = [*section.get("files", []), *new.files_report]
    both = _Loaded(tables, files, whole(tables["quarantine"]), new.bodies)
    extras = {"duplicates": [], "manifests": [], "plan": plan,
              "release_versions": list(section.get("release_versions", [])),
              "figures": _appended_figures(stored, section, tables["spend"])}  # fmt: skip
    return _finish(both, extras, context, partial(carried_register_tables, stored))


def _appended_figures(stored: Mapping, section: dict[str, Any], spend: object):
    """The report's spend figures of an append whose spend rows are the stored ones with
    new rows after them, added to the store's (``None``: worked out from every row)."""
    bodies = table_name(BODIES)
    if not isinstance(spend, Appended) or bodies not in stored:
        return None
    return appended_figures(section, stored[bodies], spend.added)
