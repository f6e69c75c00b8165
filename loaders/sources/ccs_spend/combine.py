"""Combine releases: for each framework and month keep the newest release that covers it.

Releases are cumulative and revise recent months, so the same framework-month appears in several
files. A file's release comes from :mod:`loaders.sources.ccs_spend.versions` (the manifest, else the
date in its file name; files of one release compared by content: an older version of it is
superseded whole, an ambiguous overlap set aside, parts all kept); a file without a date is a
release of its own unless its content joins it to one. Releases rank by the latest month they cover,
then their date, then their label. Rows of outranked releases are superseded (kept in the quarantine
with that reason), and every framework-month published more than once is listed in the revisions
table with its first and current published totals; ``release_months`` gives each framework-month's
total in every release (and every superseded version) that published it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from loaders.catalogue import CANONICAL
from loaders.core.parsing import date_in_file_name
from loaders.sources.ccs_spend.checks import AMBIGUOUS, SUPERSEDED
from loaders.sources.ccs_spend.extract import FileExtract
from loaders.sources.ccs_spend.versions import ReleasePlan, fm_hashes


@dataclass(frozen=True)
class ReleaseOrder:
    """Where each file stands among the releases loaded together."""

    release: dict[str, str]  # file path -> release label
    rank: dict[str, int]  # release label -> rank (higher is newer)

    def file_rank(self, path: str) -> int:
        """The rank of a file's release."""
        return self.rank[self.release[path]]


def order_releases(extracts: list[FileExtract], plan: ReleasePlan) -> ReleaseOrder:
    """Rank releases by the latest month they cover (older versions aside), then their date
    (in the label, else the latest date in their files' names), then their label."""
    latest: dict[str, pd.Timestamp] = {}
    dated: dict[str, dt.date] = {}
    for e in extracts:
        label = plan.release[str(e.path)]
        current = str(e.path) not in plan.superseded_by and len(e.parsed)
        last = e.parsed["month"].max() if current else pd.Timestamp.min
        latest[label] = max(latest.get(label, pd.Timestamp.min), last)
        date = date_in_file_name(label) or e.file_date or dt.date.min
        dated[label] = max(dated.get(label, dt.date.min), date)
    ordered = sorted(latest, key=lambda label: (latest[label], dated[label], label))
    return ReleaseOrder(release=dict(plan.release), rank={r: i for i, r in enumerate(ordered)})


@dataclass(frozen=True)
class Combined:
    """Which rows are kept, the quarantine entries of the others, revisions, release months."""

    kept: pd.Series  # bool, aligned with the rows
    quarantine: pd.DataFrame  # superseded and set-aside rows (with ``file``)
    revisions: pd.DataFrame
    release_months: pd.DataFrame


def _publications(parsed: pd.DataFrame, status: np.ndarray, order: ReleaseOrder) -> pd.DataFrame:
    """Each row's publication (its release; an older version's own label), a category, and
    its rank: the labels are made once per release, not once per row."""
    codes, releases = pd.factorize(parsed["release"])
    labels = [str(r) for r in releases]
    rank = np.array([order.rank[r] for r in releases], dtype="float64")[codes]
    older = status == "version"
    if older.any():
        names = parsed.loc[older, "file"].astype(str).map(lambda f: Path(f).name)
        own = parsed.loc[older, "release"].astype(str) + " (superseded version " + names + ")"
        own_codes, own_labels = pd.factorize(own)
        codes = codes.copy()
        codes[older] = own_codes + len(labels)
        labels += [str(label) for label in own_labels]
        rank[older] -= 0.5
    # categories in the order of their text, as a grouping of the labels themselves sorts
    order_of = np.argsort(np.asarray(labels, dtype=object), kind="stable")
    renumber = np.empty(len(labels), "int64")
    renumber[order_of] = np.arange(len(labels))
    categories = pd.Index(np.asarray(labels, dtype=object)[order_of], dtype=object)
    publication = pd.Categorical.from_codes(renumber[codes], categories=categories)
    return pd.DataFrame({"publication": publication, "rank": rank}, index=parsed.index)


@dataclass(frozen=True)
class _Winners:
    """The release kept for each framework-month (the eligible row of highest rank), found
    on integer codes of the framework-month, not by merging every row."""

    cell: np.ndarray  # each row's framework-month code
    rank: np.ndarray  # per code: the winning rank (NaN: no eligible row)
    label: np.ndarray  # per code: the winning release (None: none)
    table: pd.DataFrame  # framework, month, winner: one line per framework-month won


def _winners(parsed: pd.DataFrame, eligible: np.ndarray, rank: np.ndarray) -> _Winners:
    frameworks = pd.factorize(parsed["framework"], use_na_sentinel=False)[0]
    months = pd.factorize(parsed["month"], use_na_sentinel=False)[0]
    width = int(months.max(initial=0)) + 1
    cell = frameworks.astype("int64") * width + months
    size = (int(frameworks.max(initial=0)) + 1) * width
    best = np.full(size, np.nan)
    where = np.flatnonzero(eligible)
    if len(where):
        most = pd.Series(rank[where]).groupby(cell[where], sort=False).max()
        best[most.index.to_numpy()] = most.to_numpy()
    won = np.flatnonzero(eligible & (rank == best[cell]))
    first = pd.Series(won).groupby(cell[won]).min().to_numpy()  # one winning row per cell
    label = np.full(size, None, dtype=object)
    label[cell[first]] = parsed["release"].iloc[first].to_numpy(dtype=object)
    table = parsed[["framework", "month"]].iloc[first].reset_index(drop=True)
    table["winner"] = label[cell[first]]
    return _Winners(cell=cell, rank=best, label=label, table=table)


def _release_months(
    parsed: pd.DataFrame, published: pd.DataFrame, winner: pd.Series
) -> pd.DataFrame:
    rows = parsed.assign(publication=published["publication"], rank=published["rank"])
    table = (
        rows.groupby(["framework", "month", "publication", "rank"], observed=True)["spend_gbp"]
        .agg(total_gbp="sum", rows="size")
        .reset_index()
        .rename(columns={"publication": "release", "rank": "release_rank"})
    )
    table["release"] = table["release"].astype(object).astype(str)  # as the labels were
    table["total_gbp"] = table["total_gbp"].round(2)
    current = table[["framework", "month"]].merge(winner, on=["framework", "month"], how="left")
    table["current"] = current["winner"].to_numpy() == table["release"].to_numpy()
    table = table.sort_values(["framework", "month", "release_rank"], ignore_index=True)
    return CANONICAL["release_months"].typed(table)


def _revisions(months: pd.DataFrame) -> pd.DataFrame:
    counts = months.groupby(["framework", "month"], observed=True)["release"].transform("size")
    multi = months[counts > 1].sort_values(["framework", "month", "release_rank"])
    if multi.empty:
        return CANONICAL["revisions"].empty()
    grouped = multi.groupby(["framework", "month"], observed=True)
    first, current = grouped.first(), grouped.last()
    revisions = pd.DataFrame(
        {
            "first_release": first["release"].astype(object),
            "first_published_gbp": first["total_gbp"],
            "current_release": current["release"].astype(object),
            "current_gbp": current["total_gbp"],
            "change_gbp": (current["total_gbp"] - first["total_gbp"]).round(2),
            "releases": grouped["release"].apply(lambda r: "; ".join(map(str, r))),
        }
    ).reset_index()
    revisions["framework"] = revisions["framework"].astype(object)
    return CANONICAL["revisions"].typed(revisions)


def _set_aside_quarantine(parsed, reasons, detail) -> pd.DataFrame:
    dropped = parsed[reasons.notna()]
    return pd.DataFrame(
        {
            "file": dropped["file"],
            "source_file": dropped["source_file"],
            "source_row": dropped["source_row"],
            "reason": reasons[reasons.notna()],
            "column": "",
            "detail": detail[reasons.notna()],
            "framework": dropped["framework"],
            "customer": dropped["customer"],
            "supplier": dropped["supplier"],
            "month_raw": dropped["month"].dt.strftime("%Y-%m"),
            "spend_raw": "",
            "spend_gbp": dropped["spend_gbp"],
        }
    )


def combine(parsed: pd.DataFrame, order: ReleaseOrder, plan: ReleasePlan) -> Combined:
    """Keep, for each framework-month, the rows of the newest release covering it.

    ``parsed`` holds the rows of all files with ``file`` and ``release``. Rows of an older
    version of a release, and rows set aside as an ambiguous overlap (``plan``), never win.
    """
    status, instead = plan.row_status(parsed["file"], lambda: fm_hashes(parsed))
    published = _publications(parsed, status, order)
    eligible = status == None  # noqa: E711 (element-wise)
    winners = _winners(parsed, eligible, published["rank"].to_numpy())
    kept_rows = eligible & (published["rank"].to_numpy() == winners.rank[winners.cell])
    kept = pd.Series(kept_rows, index=parsed.index)
    reasons = np.full(len(parsed), None, dtype=object)
    detail = np.full(len(parsed), None, dtype=object)
    outranked = eligible & ~kept_rows
    reasons[outranked] = SUPERSEDED
    replaced = np.array([None if w is None else f"replaced by {w}" for w in winners.label],
                        dtype=object)  # fmt: skip
    detail[outranked] = replaced[winners.cell[outranked]]
    older, aside = status == "version", status == "ambiguous"
    reasons[older] = SUPERSEDED
    releases = parsed.loc[older, "release"].astype(str)
    detail[older] = (
        "older version of release " + releases + ": replaced by " + instead[older]
    ).to_numpy()
    reasons[aside] = AMBIGUOUS
    detail[aside] = [
        f"also in {k}, whose rows are kept for this framework-month" for k in instead[aside]
    ]
    totalled = parsed[["framework", "month", "spend_gbp"]]  # not a copy of every column
    if aside.any():
        totalled, published = totalled[~aside], published[~aside]
    months = _release_months(totalled, published, winners.table)
    return Combined(
        kept=kept,
        quarantine=_set_aside_quarantine(
            parsed, pd.Series(reasons, index=parsed.index), pd.Series(detail, index=parsed.index)
        ),
        revisions=_revisions(months),
        release_months=months,
    )
