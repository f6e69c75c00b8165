"""The notices pipeline: OCDS files in, the four notice tables and their report out.

1. **Read** each file's releases one at a time (:mod:`loaders.sources.ocds.streaming`); an unusable
   file stops the load with a one-line error naming it.
2. **Check** each release (:mod:`loaders.sources.ocds.checks`): quarantined with a reason, or
   **spooled** to disk, where a release whose ``ocid`` and ``id`` were read before is a
   duplicate (:class:`loaders.sources.ocds.compiling.ReleaseSpool`).
3. **Compile** each process's releases with ``ocdsmerge`` and table it
   (:mod:`loaders.sources.ocds.tables`); the stage dates come from the release history.
4. **Resolve** buyers to bodies as spend customers are (:mod:`loaders.sources.ocds.buyers`).
5. **Report** every release read (:mod:`loaders.sources.ocds.report`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
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
from loaders.sources.ocds.buyers import BUYER_COLUMNS, resolve_buyers, supplier_keys
from loaders.sources.ocds.classify import OcdsVocabulary, furthest_stage, load_ocds_vocabulary
from loaders.sources.ocds.compiling import (
    MergeRules,
    ReleaseSpool,
    compile_releases,
    read_merge_rules,
)
from loaders.sources.ocds.report import (
    DUPLICATE,
    LOADED,
    QUARANTINED,
    build_notices_report,
    file_report,
)
from loaders.sources.ocds.streaming import file_format, iter_candidates
from loaders.sources.ocds.tables import JOIN, Vocabularies, award_rows, notice_row

UK_TIME = "Europe/London"
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


def local_dates(values: Iterable[object]) -> pd.Series:
    """OCDS date-times (text or aware datetimes) as naive UK local times; unreadable: NaT."""
    values = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        parsed = values
    else:
        parsed = pd.to_datetime(values.astype(object), utc=True, errors="coerce", format="ISO8601")
    return parsed.dt.tz_convert(UK_TIME).dt.tz_localize(None).astype("datetime64[us]")


@dataclass
class _Reading:
    """What reading the files gives: one history row per release, per-file facts, and when
    and where each award was first seen (ocid, award id, UTC date, file)."""

    now: dt.datetime
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


def _history_row(path: Path, candidate, value: Any) -> dict[str, Any]:
    release = value if isinstance(value, dict) else {}
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


def _read_file(path: Path, spool: ReleaseSpool, reading: _Reading) -> None:
    read = with_ocid = 0
    for candidate in iter_candidates(path):
        row = _history_row(path, candidate, candidate.value)
        _take(row, candidate.value, spool, reading)
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
        for award in rows.awards:
            out.awards.append(award)
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
    frame["date"] = local_dates(frame["date"]).to_numpy()
    return CANONICAL["ocds_releases"].typed(frame, strict=False)


def _stage_dates(releases: pd.DataFrame, vocab: OcdsVocabulary) -> pd.DataFrame:
    """Per ocid: first date of each stage, first and last release, ids, files, stage."""
    loaded = releases[releases["status"].astype(object).eq(LOADED)]
    loaded = loaded.sort_values("date", kind="stable")  # ties stay in reading order
    base = loaded.groupby("ocid", sort=True).agg(
        first_published=("date", "min"),
        last_published=("date", "max"),
        releases=("release_id", "size"),
        release_ids=("release_id", lambda ids: JOIN.join(ids)),
        source_files=("source_file", lambda files: JOIN.join(dict.fromkeys(files))),
    )
    tags = loaded[["ocid", "date"]].assign(tag=loaded["tags"].fillna("").str.split(JOIN))
    tags = tags.explode("tag")
    tags["stage"] = tags["tag"].map(vocab.stage_of_tag).replace("", None)
    firsts = tags.dropna(subset=["stage"]).pivot_table(
        index="ocid", columns="stage", values="date", aggfunc="min"
    )
    for stage in ("planning", "tender", "award"):
        base[f"{stage}_date"] = firsts[stage] if stage in firsts else pd.NaT
    reached = (
        tags.dropna(subset=["stage"])
        .groupby("ocid")["stage"]
        .agg(lambda stages: furthest_stage(stages, vocab))
    )
    base["stage"] = reached
    return base


def _lead_time_days(planning: pd.Series, tender: pd.Series) -> pd.Series:
    """Calendar days from the planning notice to the tender notice; NaN unless it preceded."""
    days = (tender.dt.normalize() - planning.dt.normalize()).dt.days.astype("float64")
    return days.where(planning.le(tender))


def _notices(frame: pd.DataFrame, stages: pd.DataFrame, buyers: pd.DataFrame) -> pd.DataFrame:
    frame = frame.join(stages, on="ocid")
    frame[BUYER_COLUMNS] = buyers[BUYER_COLUMNS].to_numpy()
    for column in ("contract_start", "contract_end"):
        frame[column] = local_dates(frame[column]).to_numpy()
    frame["lead_time_days"] = _lead_time_days(frame["planning_date"], frame["tender_date"])
    return CANONICAL["notices"].typed(frame, strict=False)


def _first_seen(reading: _Reading) -> pd.Series:
    """When each award (ocid, award id) was first published, UK local time."""
    seen = pd.DataFrame(reading.awards_seen, columns=["ocid", "award_id", "date", "file"])
    seen["date"] = local_dates(seen["date"]).to_numpy()
    return seen.groupby(["ocid", "award_id"])["date"].min()


def _awards(compiled: _Compiled, reading: _Reading, notices: pd.DataFrame) -> pd.DataFrame:
    frame = compiled.awards.frame()
    if frame.empty:
        return CANONICAL["awards"].empty()
    frame["award_date"] = local_dates(frame["award_date"]).to_numpy()
    keys = pd.MultiIndex.from_frame(frame[["ocid", "award_id"]].astype(object))
    frame["published"] = _first_seen(reading).reindex(keys).to_numpy()
    buyer = notices.set_index("ocid")[["customer", "customer_key", "sector", "buyer_group",
                                       "department"]]  # fmt: skip
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


def _read_all(paths: list[Path], now: dt.datetime, progress: bool, spool) -> _Reading:
    reading = _Reading(now=now)
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
) -> NoticeTables:
    """Read OCDS files (release packages, record packages, JSON Lines, gzipped or not) into
    the notice tables, with the ``"ocds"`` section of the load report.

    ``customers`` is the CCS customer list and ``context`` the spend loaded beside the
    notices, used to resolve buyers to the same bodies as spend customers; ``now`` (aware,
    default the current time) is the clock releases dated in the future are checked
    against. Raises :class:`~loaders.core.errors.LoaderInputError` naming the file for an
    unusable file (empty, not JSON, truncated, not OCDS, ``releases`` not a list).
    """
    files = list(dict.fromkeys(Path(p) for p in paths))
    if not files:
        return NoticeTables()
    now = now or dt.datetime.now(dt.UTC)
    vocabs = Vocabularies(spend=vocab, ocds=load_ocds_vocabulary())
    with ReleaseSpool() as spool:
        reading = _read_all(files, now, progress, spool)
        compiled = _compile_all(spool, read_merge_rules(), vocabs, reading)
    releases = _releases_table(reading, compiled.failed)
    notices = compiled.notices.frame()
    if notices.empty:
        notices = CANONICAL["notices"].empty()
    else:
        buyers = resolve_buyers(
            notices["buyer_name"].astype(object), vocab, customers, customer_aliases,
            spend=context.spend, matches=context.matches,
        )  # fmt: skip
        notices = _notices(notices, _stage_dates(releases, vocabs.ocds), buyers)
    awards = _awards(compiled, reading, notices)
    suppliers = _award_suppliers(compiled, vocab, supplier_aliases)
    by_file = releases.groupby("source_file", sort=False, observed=True)
    reports = [
        file_report(
            info, by_file.get_group(info["path"]) if info["releases_read"] else releases.iloc[:0]
        )
        for info in reading.files
    ]
    return NoticeTables(
        releases=releases,
        notices=notices,
        awards=awards,
        award_suppliers=suppliers,
        report=build_notices_report(reports, releases, notices, awards, compiled.superseded),
    )


def load_ocds(paths: list[Path], context: LoadContext) -> SourceLoad:
    """A notice source's ``load`` (:class:`~loaders.sources.base.Source`): its OCDS files into
    the notice tables (``ocds_releases``, ``notices``, ``awards``, ``award_suppliers``),
    buyers resolved with the spend tables loaded before (``context.tables``)."""
    tables = context.tables
    loaded = load_notices(
        paths,
        context.vocab,
        context.customers,
        context=SpendContext(tables.get("spend"), tables.get("matches")),
        customer_aliases=context.aliases[0],
        supplier_aliases=context.aliases[1],
        progress=context.progress,
    )
    frames = {
        "ocds_releases": loaded.releases,
        "notices": loaded.notices,
        "awards": loaded.awards,
        "award_suppliers": loaded.award_suppliers,
    }
    return SourceLoad(frames, loaded.report)
