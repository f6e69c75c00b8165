"""The notices pipeline: OCDS files in, the four notice tables and their report out.

1. **Read** each file's releases one at a time (:mod:`loaders.sources.ocds.streaming`); an unusable
   file stops the load with a one-line error naming it.
2. **Check** each release (:mod:`loaders.sources.ocds.checks`): quarantined with a reason, or
   **spooled** to disk, where a release whose ``ocid`` and ``id`` were read before is a
   duplicate (:class:`loaders.sources.ocds.compiling.ReleaseSpool`).
3. **Compile** each process's releases with ``ocdsmerge`` and table it
   (:mod:`loaders.sources.ocds.tables`); the stage dates come from the release history.
4. **Resolve** buyers to bodies as spend customers are (:mod:`loaders.sources.ocds.buyers`),
   their published classification last (:mod:`loaders.sources.ocds.buyer_types`).
5. **Report** every release read (:mod:`loaders.sources.ocds.report`,
   :mod:`loaders.sources.ocds.platform_report`).

What each release says of itself (its platform, notice type, values and expected dates) is
read as it is read (:mod:`loaders.sources.ocds.release_facts`); awards are given their
standing and the value they count with (:mod:`loaders.sources.ocds.award_standing`), lots
their bid statistics (:mod:`loaders.sources.ocds.bids`), planned procurements their fate
(:mod:`loaders.sources.ocds.pipelines`). A source on this base says what differs in an
:class:`OcdsProfile` (its platform, whether it publishes release ids).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from ocdsmerge.exceptions import OCDSMergeError
from tqdm import tqdm

from loaders.bodies.customer_list import CustomerList
from loaders.bodies.resolution import CUSTOMER_ALIASES, SUPPLIER_ALIASES
from loaders.catalogue import CANONICAL
from loaders.core.errors import LoaderInputError
from loaders.core.files import file_sha256
from loaders.core.vocabulary import Vocabulary
from loaders.sources.base import LoadContext, SourceLoad
from loaders.sources.ocds import checks
from loaders.sources.ocds.award_standing import MADE, annotate_awards
from loaders.sources.ocds.bids import bid_rows
from loaders.sources.ocds.buyers import resolve_buyers, supplier_keys
from loaders.sources.ocds.classify import (
    load_ocds_vocabulary,
)
from loaders.sources.ocds.compiling import (
    MergeRules,
    ReleaseSpool,
    compile_releases,
    read_merge_rules,
)
from loaders.sources.ocds.notice_rules import NoticeRules, load_notice_rules
from loaders.sources.ocds.pipelines import pipeline_table
from loaders.sources.ocds.platform_report import platform_report
from loaders.sources.ocds.process_frames import (
    bids_table,
    local_dates,
    notices_table,
    stage_dates,
)
from loaders.sources.ocds.profile import OcdsProfile
from loaders.sources.ocds.release_facts import derived_release_id, release_facts
from loaders.sources.ocds.report import (
    DUPLICATE,
    LOADED,
    QUARANTINED,
    build_notices_report,
    file_report,
)
from loaders.sources.ocds.streaming import file_format, iter_candidates
from loaders.sources.ocds.tables import JOIN, Vocabularies, award_rows, notice_row

GENERIC = OcdsProfile()  # the generic base: no platform of its own, release ids required
CHUNK = 20_000  # rows kept as Python dicts before they are packed into a frame


class RowChunks:
    """Table rows gathered as dicts and packed into a frame every :data:`CHUNK` rows, so
    that memory holds compact columns, not millions of dicts (see :func:`frame`)."""

    def __init__(self) -> None:
        self._rows: list[dict[str, Any]] = []
        self._frames: list[pd.DataFrame] = []

    def append(self, row: dict[str, Any]) -> None:
        """Add one row."""
        self._rows.append(row)
        if len(self._rows) >= CHUNK:
            self._frames.append(pd.DataFrame(self._rows))
            self._rows = []

    def frame(self) -> pd.DataFrame:
        """All rows added, in order, as one frame (no columns if there were none)."""
        parts = [*self._frames, pd.DataFrame(self._rows)] if self._rows else self._frames
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


@dataclass
class NoticeTables:
    """The notice tables of a load and the ``"ocds"`` section of its report."""

    releases: pd.DataFrame = field(default_factory=lambda: CANONICAL["ocds_releases"].empty())
    notices: pd.DataFrame = field(default_factory=lambda: CANONICAL["notices"].empty())
    awards: pd.DataFrame = field(default_factory=lambda: CANONICAL["awards"].empty())
    award_suppliers: pd.DataFrame = field(
        default_factory=lambda: CANONICAL["award_suppliers"].empty()
    )
    report: dict[str, Any] = field(default_factory=dict)
    bids: pd.DataFrame = field(default_factory=lambda: CANONICAL["bids"].empty())
    pipeline: pd.DataFrame = field(default_factory=lambda: CANONICAL["pipeline"].empty())


@dataclass
class _Reading:
    """What reading the files gives: one history row per release, per-file facts, and when
    and where each award was first seen (ocid, award id, UTC date, file)."""

    now: dt.datetime
    profile: OcdsProfile = GENERIC
    rules: NoticeRules = field(default_factory=load_notice_rules)
    history: RowChunks = field(default_factory=RowChunks)
    files: list[dict[str, Any]] = field(default_factory=list)
    awards_seen: list[tuple[str, str, dt.datetime, str]] = field(default_factory=list)

    def first_seen(self) -> dict[str, dict[str, tuple[dt.datetime, str]]]:
        """ocid -> award id -> (when, file) it was first published."""
        out: dict[str, dict[str, tuple[dt.datetime, str]]] = {}
        for ocid, award_id, date, source in self.awards_seen:
            seen = out.setdefault(ocid, {})
            if award_id not in seen or (date is not None and date < seen[award_id][0]):
                seen[award_id] = (date, source)
        return out


def _tags(release: dict[str, Any]) -> str | None:
    tags = release.get("tag")
    tags = [tags] if isinstance(tags, str) else tags if isinstance(tags, list) else []
    return JOIN.join(str(t) for t in tags) or None


def _history_row(path: Path, candidate, value: Any, reading: _Reading) -> dict[str, Any]:
    release = value if isinstance(value, dict) else {}
    facts = release_facts(value, reading.rules, reading.profile.platform)
    return {
        "source_file": str(path),
        "position": candidate.position,
        "ocid": checks.release_key(release.get("ocid")),
        "release_id": checks.release_key(release.get("id")),
        "date": checks.parse_date(release.get("date")),
        "tags": _tags(release),
        "status": LOADED,
        "reason": None,
        "detail": None,
        **facts,
    }


def _take(row: dict[str, Any], release: Any, spool: ReleaseSpool, reading: _Reading) -> None:
    """Quarantine, deduplicate or spool one release, recording its outcome in ``row``."""
    problem = checks.release_problem(release, reading.now)
    if problem is not None:
        row.update(status=QUARANTINED, reason=problem.reason, detail=problem.detail or None)
        return
    key = (row["ocid"], row["release_id"])
    first = spool.add(key, row["date"], release, (row["source_file"], row["position"]))
    if first is not None:
        differs = "" if first.same_content else " (different content)"
        row.update(
            status=DUPLICATE,
            detail=f"same ocid and id as {first.source_file} release {first.position}{differs}",
        )
        return
    for award in release.get("awards") or []:
        if isinstance(award, dict) and checks.release_key(award.get("id")):
            award_id = checks.release_key(award["id"])
            reading.awards_seen.append((key[0], award_id, row["date"], row["source_file"]))


def _with_release_id(value: Any, profile: OcdsProfile) -> tuple[Any, bool]:
    """The release, given a derived id when the profile says so and it has none."""
    if not profile.derive_release_ids or not isinstance(value, dict):
        return value, False
    if checks.release_key(value.get("id")) is not None or "ocid" not in value:
        return value, False
    return {**value, "id": derived_release_id(value)}, True


def _read_file(path: Path, spool: ReleaseSpool, reading: _Reading) -> None:
    read = with_ocid = 0
    for candidate in iter_candidates(path):
        value, derived = _with_release_id(candidate.value, reading.profile)
        row = _history_row(path, candidate, value, reading)
        row["id_derived"] = derived
        _take(row, value, spool, reading)
        if row["status"] == QUARANTINED:
            row["detail"] = ": ".join(filter(None, [candidate.where, row["detail"]]))
        reading.history.append(row)
        read, with_ocid = read + 1, with_ocid + (row["ocid"] is not None)
    if read and not with_ocid:
        raise LoaderInputError(path, f"is not OCDS: none of its {read:,} releases has an ocid")
    reading.files.append(
        {
            "file": path.name,
            "path": str(path),
            "sha256": file_sha256(path),
            "format": file_format(path),
            "releases_read": read,
        }
    )


@dataclass
class _Compiled:
    notices: RowChunks = field(default_factory=RowChunks)
    awards: RowChunks = field(default_factory=RowChunks)
    suppliers: RowChunks = field(default_factory=RowChunks)
    bids: RowChunks = field(default_factory=RowChunks)
    superseded: list[dict[str, Any]] = field(default_factory=list)  # awards corrected later
    failed: dict[str, str] = field(default_factory=dict)  # ocid -> why it cannot be compiled


def _compile_all(
    spool: ReleaseSpool, rules: MergeRules, vocabs: Vocabularies, reading: _Reading
) -> _Compiled:
    out = _Compiled()
    first_seen = reading.first_seen()
    for ocid, releases in spool.processes():
        try:
            compiled = compile_releases(releases, rules)
        except OCDSMergeError as exc:
            out.failed[ocid] = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            continue
        out.notices.append(notice_row(compiled, vocabs))
        seen = first_seen.get(ocid, {})
        when = {award_id: date for award_id, (date, _) in seen.items() if date is not None}
        rows = award_rows(compiled, vocabs.ocds, when)
        for award in annotate_awards(rows.awards, compiled, releases, vocabs.rules):
            out.awards.append(award)
        for lot in bid_rows(compiled):
            out.bids.append(lot)
        for supplier in rows.suppliers:
            out.suppliers.append(supplier)
        for award in rows.superseded:
            out.superseded.append(
                {**award, "source_file": seen.get(award["award_id"], (None, None))[1]}
            )
    return out


def _releases_table(reading: _Reading, failed: dict[str, str]) -> pd.DataFrame:
    frame = reading.history.frame()
    if frame.empty:
        return CANONICAL["ocds_releases"].empty()
    cannot = frame["status"].eq(LOADED) & frame["ocid"].isin(list(failed))
    frame.loc[cannot, "status"] = QUARANTINED
    frame.loc[cannot, "reason"] = checks.NOT_COMPILED
    frame.loc[cannot, "detail"] = frame.loc[cannot, "ocid"].map(failed)
    for column in ("date", "future_notice_date"):
        frame[column] = local_dates(frame[column]).to_numpy()
    return CANONICAL["ocds_releases"].typed(frame, strict=False)


def _first_seen(reading: _Reading) -> pd.Series:
    """When each award (ocid, award id) was first published, UK local time."""
    seen = pd.DataFrame(reading.awards_seen, columns=["ocid", "award_id", "date", "file"])
    seen["date"] = local_dates(seen["date"]).to_numpy()
    return seen.groupby(["ocid", "award_id"])["date"].min()


def _awards(compiled: _Compiled, reading: _Reading, notices: pd.DataFrame) -> pd.DataFrame:
    frame = compiled.awards.frame()
    if frame.empty:
        return CANONICAL["awards"].empty()
    for column in ("award_date", "standstill_end"):
        frame[column] = local_dates(frame[column]).to_numpy()
    keys = pd.MultiIndex.from_frame(frame[["ocid", "award_id"]].astype(object))
    frame["published"] = _first_seen(reading).reindex(keys).to_numpy()
    buyer = notices.set_index("ocid")[["customer", "customer_key", "sector", "buyer_group",
                                       "department", "platform"]]  # fmt: skip
    frame = frame.join(buyer.astype(object), on="ocid")
    return CANONICAL["awards"].typed(frame, strict=False)


def _award_suppliers(compiled: _Compiled, vocab: Vocabulary, aliases) -> pd.DataFrame:
    frame = compiled.suppliers.frame()
    if frame.empty:
        return CANONICAL["award_suppliers"].empty()
    frame["supplier_key"] = supplier_keys(frame["supplier_name"], vocab, aliases).to_numpy()
    return CANONICAL["award_suppliers"].typed(frame, strict=False)


@dataclass(frozen=True)
class SpendContext:
    """What the spend loaded beside the notices tells about bodies (see
    :func:`loaders.sources.ocds.buyers.resolve_buyers`); both optional."""

    spend: pd.DataFrame | None = None
    matches: pd.DataFrame | None = None


def _read_all(
    paths: list[Path], now: dt.datetime, progress: bool, spool, profile: OcdsProfile
) -> _Reading:
    reading = _Reading(now=now, profile=profile)
    bar = tqdm(paths, desc="Reading notices", unit="file", disable=None if progress else True)
    for path in bar:
        _read_file(path, spool, reading)
    return reading


def load_notices(
    paths: Iterable[str | Path],
    vocab: Vocabulary,
    customers: CustomerList | None = None,
    *,
    context: SpendContext = SpendContext(),
    customer_aliases: Path | None = CUSTOMER_ALIASES,
    supplier_aliases: Path | None = SUPPLIER_ALIASES,
    now: dt.datetime | None = None,
    progress: bool = False,
    profile: OcdsProfile = GENERIC,
) -> NoticeTables:
    """Read OCDS files (release packages, record packages, JSON Lines, gzipped or not) into
    the notice tables, with the ``"ocds"`` section of the load report.

    ``customers`` is the CCS customer list and ``context`` the spend loaded beside the
    notices, used to resolve buyers to the same bodies as spend customers; ``now`` (aware,
    default the current time) is the clock releases dated in the future are checked
    against; ``profile`` what the source says of its releases (:class:`OcdsProfile`).
    Raises :class:`~loaders.core.errors.LoaderInputError` naming the file for an unusable
    file (empty, not JSON, truncated, not OCDS, ``releases`` not a list).
    """
    files = list(dict.fromkeys(Path(p) for p in paths))
    if not files:
        return NoticeTables()
    now = now or dt.datetime.now(dt.UTC)
    vocabs = Vocabularies(spend=vocab, ocds=load_ocds_vocabulary())
    with ReleaseSpool() as spool:
        reading = _read_all(files, now, progress, spool, profile)
        compiled = _compile_all(spool, read_merge_rules(), vocabs, reading)
    releases = _releases_table(reading, compiled.failed)
    notices = compiled.notices.frame()
    disagreements = pd.DataFrame(columns=["ocid", "customer", "buyer_type", "buyer_group",
                                          "classified_as"])  # fmt: skip
    if notices.empty:
        notices = CANONICAL["notices"].empty()
    else:
        buyers = resolve_buyers(
            notices["buyer_name"].astype(object), vocab, customers, customer_aliases,
            spend=context.spend, matches=context.matches,
        )  # fmt: skip
        notices, disagreements = notices_table(
            notices, stage_dates(releases, vocabs), buyers, vocabs
        )
    awards = _awards(compiled, reading, notices)
    bids = bids_table(compiled.bids.frame(), notices)
    pipeline = pipeline_table(releases, notices, vocabs.rules, vocabs.ocds)
    suppliers = _award_suppliers(compiled, vocab, supplier_aliases)
    by_file = releases.groupby("source_file", sort=False, observed=True)
    reports = [
        file_report(
            info, by_file.get_group(info["path"]) if info["releases_read"] else releases.iloc[:0]
        )
        for info in reading.files
    ]
    made = awards[awards["standing"].astype(object).eq(MADE)]
    extra = {"bids": bids, "pipeline": pipeline, "disagreements": disagreements}
    return NoticeTables(
        releases=releases,
        notices=notices,
        awards=awards,
        award_suppliers=suppliers,
        report={
            **build_notices_report(reports, releases, notices, made, compiled.superseded),
            **platform_report(profile.platform, releases, notices, awards, extra),
        },
        bids=bids,
        pipeline=pipeline,
    )


def ocds_loader(profile: OcdsProfile) -> Callable[[list[Path], LoadContext], SourceLoad]:
    """A notice source's ``load`` (:class:`~loaders.sources.base.Source`) for ``profile``:
    its OCDS files into the notice tables (``ocds_releases``, ``notices``, ``awards``,
    ``award_suppliers``, ``bids``, ``pipeline``), buyers resolved with the spend tables
    loaded before (``context.tables``)."""

    def load(paths: list[Path], context: LoadContext) -> SourceLoad:
        if not paths:  # nothing to load: the spend tables are not read (an append's are big)
            return SourceLoad({}, {})
        tables = context.tables
        loaded = load_notices(
            paths,
            context.vocab,
            context.customers,
            context=SpendContext(tables.get("spend"), tables.get("matches")),
            customer_aliases=context.aliases[0],
            supplier_aliases=context.aliases[1],
            progress=context.progress,
            profile=profile,
        )
        frames = {
            "ocds_releases": loaded.releases,
            "notices": loaded.notices,
            "awards": loaded.awards,
            "award_suppliers": loaded.award_suppliers,
            "bids": loaded.bids,
            "pipeline": loaded.pipeline,
        }
        return SourceLoad(frames, loaded.report)

    return load


load_ocds = ocds_loader(GENERIC)
