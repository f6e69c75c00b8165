"""The process-level tables made once every release is read: stage dates, notices, bids.

Dates are read as UK local time (:func:`local_dates`); a process's stages come from its
releases' notice types where ``ocds_notice_types.csv`` says so, else from their tags.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from loaders.catalogue import CANONICAL
from loaders.sources.ocds.buyer_types import with_buyer_types
from loaders.sources.ocds.buyers import BUYER_COLUMNS
from loaders.sources.ocds.classify import furthest_stage, stages_of_tags
from loaders.sources.ocds.report import LOADED
from loaders.sources.ocds.tables import JOIN, Vocabularies

UK_TIME = "Europe/London"


def local_dates(values: Iterable[object]) -> pd.Series:
    """OCDS date-times (text or aware datetimes) as naive UK local times; unreadable: NaT."""
    values = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        parsed = values
    else:
        parsed = pd.to_datetime(values.astype(object), utc=True, errors="coerce", format="ISO8601")
    return parsed.dt.tz_convert(UK_TIME).dt.tz_localize(None).astype("datetime64[us]")


def _release_stages(loaded: pd.DataFrame, vocabs: Vocabularies) -> pd.DataFrame:
    """``ocid``, ``date`` and ``stage`` of each stage each loaded release marks: by its notice
    type where ``ocds_notice_types.csv`` gives one (``none``: no stage: a procurement
    termination notice is tagged ``tenderCancellation`` but is no tender), else by its tags."""
    tags = loaded["tags"].astype(object)
    by_tags = {t: stages_of_tags(str(t or "").split(JOIN), vocabs.ocds) for t in tags.unique()}
    by_type = {
        code: (set() if kind.stage == "none" else {kind.stage})
        for code, kind in vocabs.rules.notice_types.items()
        if kind.stage
    }
    stages = [
        by_type.get(notice_type, by_tags[t]) if isinstance(notice_type, str) else by_tags[t]
        for t, notice_type in zip(tags, loaded["notice_type"].astype(object), strict=True)
    ]
    frame = loaded[["ocid", "date"]].assign(stage=[sorted(s) or [None] for s in stages])
    return frame.explode("stage")


def _notice_types(types: pd.Series) -> str | None:
    return JOIN.join(types.dropna().astype(str)) or None


def stage_dates(releases: pd.DataFrame, vocabs: Vocabularies) -> pd.DataFrame:
    """From the ``ocds_releases`` table, per ocid: first date of each stage, first and last
    release, ids, files, stage, platform and notice types."""
    vocab = vocabs.ocds
    loaded = releases[releases["status"].astype(object).eq(LOADED)]
    loaded = loaded.sort_values("date", kind="stable")  # ties stay in reading order
    base = loaded.astype({"platform": object, "notice_type": object}).groupby(
        "ocid", sort=True).agg(
        first_published=("date", "min"),
        last_published=("date", "max"),
        releases=("release_id", "size"),
        release_ids=("release_id", lambda ids: JOIN.join(ids)),
        source_files=("source_file", lambda files: JOIN.join(dict.fromkeys(files))),
        platform=("platform", "first"),
        notice_types=("notice_type", _notice_types),
        latest_notice_type=("notice_type", "last"),
    )  # fmt: skip
    tags = _release_stages(loaded, vocabs)
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


def notices_table(
    frame: pd.DataFrame, stages: pd.DataFrame, buyers: pd.DataFrame, vocabs: Vocabularies
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The notices table from the compiled processes' rows (``frame``), their
    :func:`stage_dates` and resolved ``buyers`` (aligned with ``frame``), and the buyers
    whose classification disagrees with their sector."""
    frame = frame.join(stages, on="ocid")
    frame[BUYER_COLUMNS] = buyers[BUYER_COLUMNS].to_numpy()
    frame, disagreements = with_buyer_types(frame, vocabs.rules, vocabs.spend)
    for column in ("contract_start", "contract_end", "future_notice_date"):
        frame[column] = local_dates(frame[column]).to_numpy()
    frame["lead_time_days"] = _lead_time_days(frame["planning_date"], frame["tender_date"])
    frame["procurement_id"] = frame["ocid"]  # until linked across platforms
    return CANONICAL["notices"].typed(frame, strict=False), disagreements


def bids_table(frame: pd.DataFrame, notices: pd.DataFrame) -> pd.DataFrame:
    """The ``bids`` table: each lot's statistics with its process's platform, legal basis,
    first award notice (``published``), buyer and framework."""
    if frame.empty:
        return CANONICAL["bids"].empty()
    columns = ["platform", "procurement_act", "award_date", "customer", "customer_key", "sector",
               "buyer_group", "department", "framework", "framework_iteration"]  # fmt: skip
    process = notices.set_index("ocid")[columns].rename(columns={"award_date": "published"})
    return CANONICAL["bids"].typed(frame.join(process.astype(object), on="ocid"), strict=False)
