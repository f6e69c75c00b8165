"""Python API: load releases into the canonical frame, with quarantine, revisions and report."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from tqdm import tqdm

from loaders.bodies.customer_list import CustomerList, read_customer_list
from loaders.bodies.enrich import buyer_groups, infer_sectors, infer_sme
from loaders.bodies.resolution import (
    CUSTOMER_ALIASES,
    SUPPLIER_ALIASES,
    customer_bodies,
    match_report,
    resolve_customers,
    resolve_suppliers,
)
from loaders.bodies.resolution.trust import untrusted_report
from loaders.catalogue.notice_schema import empty_table
from loaders.catalogue.spend_schema import (
    QUARANTINE_COLUMNS,
    REVISION_COLUMNS,
    SPEND_COLUMNS,
    apply_spend_dtypes,
    customer_names_frame,
    empty_matches,
    empty_release_months,
    empty_version_changes,
)
from loaders.core.errors import LoaderInputError
from loaders.core.files import split_ocds
from loaders.core.periods import financial_years
from loaders.core.spreadsheets import find_spreadsheets
from loaders.core.vocabulary import Vocabulary, load_vocabulary
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
from loaders.sources.ccs_spend.manifest import find_manifests, is_manifest, manifest_entries
from loaders.sources.ccs_spend.report import FileRows, build_report, describe, file_report
from loaders.sources.ccs_spend.version_changes import version_changes
from loaders.sources.ccs_spend.versions import ReleasePlan, decisions, plan_releases
from loaders.sources.ocds.load import NoticeTables, SpendContext, load_notices


@dataclass
class LoadResult:
    """Canonical spend rows, quarantined rows, revisions and the load report.

    ``matches`` tells how each published customer and supplier name was resolved to a body
    (:func:`loaders.bodies.resolution.match_report`); ``customers`` lists the customer list's
    bodies (empty without a list), the denominator of adoption, and ``customer_names`` every
    current and former name of them. ``release_months`` gives
    each framework-month's total in every release that published it (the revisions
    triangle) and ``version_changes`` what each superseded version of a release changed
    (:mod:`loaders.sources.ccs_spend.versions`). ``notices``, ``awards``, ``award_suppliers`` and
    ``ocds_releases`` are the Contracts Finder notice tables (:mod:`loaders.ocds`), empty when
    no OCDS file was loaded.
    """

    spend: pd.DataFrame
    quarantine: pd.DataFrame
    revisions: pd.DataFrame
    report: dict[str, Any]
    matches: pd.DataFrame = field(default_factory=empty_matches)
    customers: pd.DataFrame = field(default_factory=lambda: customer_bodies(None))
    customer_names: pd.DataFrame = field(default_factory=customer_names_frame)
    release_months: pd.DataFrame = field(default_factory=empty_release_months)
    version_changes: pd.DataFrame = field(default_factory=empty_version_changes)
    notices: pd.DataFrame = field(default_factory=lambda: empty_table("notices"))
    awards: pd.DataFrame = field(default_factory=lambda: empty_table("awards"))
    award_suppliers: pd.DataFrame = field(default_factory=lambda: empty_table("award_suppliers"))
    ocds_releases: pd.DataFrame = field(default_factory=lambda: empty_table("releases"))

    def describe(self) -> str:
        """The load report in words."""
        return describe(self.report)

    def files(self) -> pd.DataFrame:
        """One row per file of the report: layout, rows and pounds by outcome."""
        keep = [
            "file", "layout", "release", "rows_read", "rows_loaded", "rows_superseded",
            "rows_quarantined", "spend_read_gbp", "spend_loaded_gbp", "spend_superseded_gbp",
            "spend_quarantined_gbp", "reconciles",
        ]  # fmt: skip
        return pd.DataFrame(self.report["files"])[keep]


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
    parts = [
        e.parsed.assign(file=str(e.path), release=order.release[str(e.path)]) for e in extracts
    ]
    return pd.concat(parts, ignore_index=True)


@dataclass(frozen=True)
class _Bodies:
    """Each parsed row's customer and supplier resolved to a body (same index as the rows)."""

    customers: pd.DataFrame
    suppliers: pd.DataFrame


def _canonical(
    parsed: pd.DataFrame,
    vocab: Vocabulary,
    customers: CustomerList | None,
    aliases: tuple[Path | None, Path | None],
) -> tuple[pd.DataFrame, _Bodies]:
    out = parsed  # a frame of its own (concatenated from the extracts): changed in place
    bodies = _Bodies(
        customers=resolve_customers(
            out["customer"],
            out["customer_urn"],
            vocab,
            customers,
            aliases[0],
            sectors=out["sector"],
        ),
        suppliers=resolve_suppliers(out["supplier"], vocab, aliases[1]),
    )
    out["customer"] = bodies.customers["body_name"]
    out["customer_key"] = bodies.customers["body_key"]
    out["customer_match"] = bodies.customers["method"]
    out["customer_urn"] = out["customer_urn"].mask(bodies.customers["urn_note"].notna())
    out["supplier"] = bodies.suppliers["body_name"]
    out["supplier_key"] = bodies.suppliers["body_key"]
    out = infer_sme(infer_sectors(out, vocab, customers))
    out["buyer_group"] = buyer_groups(out["sector"], vocab)
    out["financial_year"] = financial_years(out["month"])
    out["description"] = out["description"].where(out["description"].ne(""), None)
    return out, bodies


def _matches(bodies: _Bodies, parsed: pd.DataFrame) -> pd.DataFrame:
    """The match report of the loaded rows, customers then suppliers."""
    kept = parsed["kept"]
    return pd.concat(
        [
            match_report("customer", bodies.customers[kept], parsed.loc[kept, "spend_gbp"]),
            match_report("supplier", bodies.suppliers[kept], parsed.loc[kept, "spend_gbp"]),
        ],
        ignore_index=True,
    )


def _refuse_empty(extracts: list[FileExtract], allow_empty: bool) -> None:
    """Stop on a file none of whose rows can be loaded, unless that is allowed."""
    if allow_empty:
        return
    for e in extracts:
        if e.parsed.empty:
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


def _files(paths: list[Path], customers, manifests: list[Path]) -> tuple[list[Path], list[Path]]:
    """The releases to read, spreadsheets and OCDS files (without the customer list and
    manifests); raises :class:`LoaderInputError` when there are none."""
    skip = {Path(p).resolve() for p in [*manifests, *([customers] if customers else [])]}
    files = [f for f in find_spreadsheets(paths) if not is_manifest(f) and f.resolve() not in skip]
    spreadsheets, ocds_files = split_ocds(files)
    if not spreadsheets and not ocds_files:
        raise LoaderInputError(
            paths[0] if paths else Path("."), "no spreadsheet or OCDS files found"
        )
    return spreadsheets, ocds_files


def _no_spend(customer_list: CustomerList | None, customers) -> LoadResult:
    """The result of a load without spend files (notices only): empty spend tables."""
    spend = apply_spend_dtypes(pd.DataFrame({c: [] for c in SPEND_COLUMNS}))
    quarantine = pd.DataFrame({c: pd.Series([], dtype="string") for c in QUARANTINE_COLUMNS})
    quarantine = quarantine.astype({"source_row": "int64", "spend_gbp": "float64"})
    revisions = pd.DataFrame(columns=REVISION_COLUMNS)
    report = build_report(
        [], spend, quarantine, revisions, [], str(customers) if customers else None, empty_matches()
    )
    bodies = customer_bodies(customer_list)
    listed = customer_names_frame(customer_list.names if customer_list else None)
    return LoadResult(spend, quarantine, revisions, report, customers=bodies,
                      customer_names=listed)  # fmt: skip


def _with_notices(result: LoadResult, notices: NoticeTables) -> LoadResult:
    """``result`` with the notice tables and (when OCDS files were read) the ``"ocds"``
    section of the report."""
    if notices.report:
        result.report["ocds"] = notices.report
    result.notices, result.awards = notices.notices, notices.awards
    result.award_suppliers, result.ocds_releases = notices.award_suppliers, notices.releases
    return result


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
) -> LoadResult:
    """Load published spend files and Contracts Finder OCDS files (or folders of them) into
    one reconciled result.

    ``customers`` is a CCS customer list, used to resolve customer names to bodies and to infer
    sectors missing from a release; ``framework`` names the framework of files that have no
    framework column and ``supplier`` the supplier of returns that have no supplier column (else the
    file name is used); ``manifest`` is a ``releases.csv`` stating each file's release and version
    (by default any ``releases.csv`` in the folders given:
    :mod:`loaders.sources.ccs_spend.manifest`); ``allow_empty`` accepts files none of whose rows can
    be loaded (by default they stop the load); ``customer_aliases`` / ``supplier_aliases`` are the
    analysts' override files (``None``: no overrides). ``cache_dir`` keeps each file's extract by
    content hash (:mod:`loaders.sources.ccs_spend.extract_cache`): files loaded before are only
    hashed, not parsed again, and entries this load did not use are deleted at its end. The result
    is the same with or without it. OCDS files (``.json``, ``.jsonl``, gzipped or not) are read by
    :func:`loaders.sources.ocds.load.load_notices` into the notice tables; a load may have only
    those (the spend tables are then empty). Raises :class:`~loaders.core.errors.LoaderInputError`
    for unusable input.
    """
    vocab = vocab or load_vocabulary()
    if isinstance(paths, (str, Path)):
        paths = [paths]
    requested = [Path(p) for p in paths]
    manifests = find_manifests(requested, Path(manifest) if manifest else None)
    files, ocds_files = _files(requested, customers, manifests)
    entries = manifest_entries(manifests)
    customer_list: CustomerList | None = (
        read_customer_list(Path(customers), vocab) if customers else None
    )
    aliases = tuple(Path(a) if a else None for a in (customer_aliases, supplier_aliases))
    if not files:
        result = _no_spend(customer_list, customers)
        notices = load_notices(ocds_files, vocab, customer_list, customer_aliases=aliases[0],
                               supplier_aliases=aliases[1], progress=progress)  # fmt: skip
        return _with_notices(result, notices)
    cache = (
        ExtractCache(Path(cache_dir), vocab, framework, supplier) if cache_dir is not None else None
    )
    extracts, duplicates = _extract_all(files, (framework, supplier), vocab, progress, cache)
    _refuse_empty(extracts, allow_empty)
    plan = plan_releases(extracts, entries, vocab)
    order = order_releases(extracts, plan)
    published = _all_parsed(extracts, order)
    changes = version_changes(plan, published, vocab)
    parsed, bodies = _canonical(published, vocab, customer_list, aliases)
    combined = combine(parsed, order, plan)
    parsed["kept"] = combined.kept
    quarantine = _quarantine(extracts, order, combined.quarantine)
    spend = apply_spend_dtypes(parsed[parsed["kept"]]).reset_index(drop=True)
    matches = _matches(bodies, parsed)
    files_report = _file_reports(extracts, order, parsed, quarantine, plan)
    report = build_report(
        files_report,
        spend,
        quarantine,
        combined.revisions,
        duplicates,
        str(customers) if customers else None,
        matches,
    )
    report["manifests"] = [str(m) for m in manifests]
    report["release_versions"] = decisions(plan)
    report["untrusted_identifiers"] = untrusted_report(matches)
    report["date_orders_flagged"] = [
        {"file": f["file"], **column}
        for f in files_report
        for column in f["date_columns"]
        if column["decided_by"] != BY_VALUES
    ]
    names = bodies.customers.drop_duplicates("body_key").dropna(subset=["body_key"])
    if cache is not None:
        cache.prune()
    result = LoadResult(
        spend=spend,
        quarantine=quarantine.drop(columns="file"),
        revisions=combined.revisions,
        report=report,
        matches=matches,
        customers=customer_bodies(customer_list, names.set_index("body_key")["body_name"]),
        customer_names=customer_names_frame(customer_list.names if customer_list else None),
        release_months=combined.release_months,
        version_changes=changes,
    )
    notices = load_notices(
        ocds_files, vocab, customer_list, context=SpendContext(spend, matches),
        customer_aliases=aliases[0], supplier_aliases=aliases[1], progress=progress,
    )  # fmt: skip
    return _with_notices(result, notices)
