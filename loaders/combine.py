"""Combine releases: for each framework and month keep the newest release that covers it.

Releases are cumulative and revise recent months, so the same framework-month appears in
several files. A file's release is the date in its file name (files sharing that date form one
release, as the G-Cloud and DOS files of December 2017 do, and every file of a release is
kept); a file without one is a release of its own. Releases rank by the latest month they
cover, then by that date. Rows of outranked releases are superseded (kept in the
quarantine with that reason), and every superseded framework-month is listed in the
revisions table with its first and current published totals.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from loaders.extract import SUPERSEDED, FileExtract
from loaders.schema import REVISION_COLUMNS


@dataclass(frozen=True)
class ReleaseOrder:
    """Where each file stands among the releases loaded together."""

    release: dict[str, str]  # file path -> release label
    rank: dict[str, int]  # file path -> rank (higher is newer)


def release_label(extract: FileExtract) -> str:
    """Label of a file's release: the date in its file name, else the file name."""
    date = extract.file_date
    if date is None:
        return extract.path.name
    return date.isoformat() if date.day != 1 else date.strftime("%Y-%m")


def order_releases(extracts: list[FileExtract]) -> ReleaseOrder:
    """Rank files by their release's latest month, then the release date, then file name."""
    release = {str(e.path): release_label(e) for e in extracts}
    latest: dict[str, pd.Timestamp] = {}
    for e in extracts:
        last = e.parsed["month"].max() if len(e.parsed) else pd.Timestamp.min
        label = release[str(e.path)]
        latest[label] = max(latest.get(label, pd.Timestamp.min), last)
    keys = {
        str(e.path): (latest[release[str(e.path)]], e.file_date or dt.date.min, e.path.name)
        for e in extracts
    }
    ordered = sorted(keys, key=lambda name: keys[name])
    return ReleaseOrder(release=release, rank={name: i for i, name in enumerate(ordered)})


def _coverage(parsed: pd.DataFrame, order: ReleaseOrder) -> pd.DataFrame:
    """Total per framework, month and release, with the release's rank."""
    coverage = (
        parsed.groupby(["framework", "month", "release"], observed=True)["spend_gbp"]
        .sum()
        .rename("total_gbp")
        .reset_index()
    )
    release_rank: dict[str, int] = {}
    for path, rank in order.rank.items():
        label = order.release[path]
        release_rank[label] = max(release_rank.get(label, -1), rank)
    coverage["rank"] = coverage["release"].map(release_rank)
    return coverage


def _revisions(coverage: pd.DataFrame) -> pd.DataFrame:
    counts = coverage.groupby(["framework", "month"], observed=True)["release"].transform("size")
    multi = coverage[counts > 1].sort_values(["framework", "month", "rank"])
    if multi.empty:
        return pd.DataFrame(columns=REVISION_COLUMNS)
    grouped = multi.groupby(["framework", "month"], observed=True)
    first, current = grouped.first(), grouped.last()
    revisions = pd.DataFrame(
        {
            "first_release": first["release"],
            "first_published_gbp": first["total_gbp"],
            "current_release": current["release"],
            "current_gbp": current["total_gbp"],
            "change_gbp": current["total_gbp"] - first["total_gbp"],
            "releases": grouped["release"].apply(lambda r: "; ".join(map(str, r))),
        }
    ).reset_index()
    return revisions[REVISION_COLUMNS]


def select_newest(parsed: pd.DataFrame, order: ReleaseOrder) -> tuple[pd.Series, pd.DataFrame]:
    """The newest release for each row's framework-month, and the revisions table.

    ``parsed`` holds the rows of all files with their ``release``. Every file of the winning
    release is kept (a release may come as several files). Returns the winning release for
    each row: a row is kept when it equals the row's own ``release``.
    """
    coverage = _coverage(parsed, order)
    winners = coverage.sort_values("rank").drop_duplicates(["framework", "month"], keep="last")
    winning = parsed[["framework", "month"]].merge(
        winners[["framework", "month", "release"]].rename(columns={"release": "winner"}),
        on=["framework", "month"],
        how="left",
    )
    winner = pd.Series(winning["winner"].to_numpy(), index=parsed.index)
    return winner, _revisions(coverage)


def superseded_quarantine(
    parsed: pd.DataFrame, keep: pd.Series, winner_of: pd.Series
) -> pd.DataFrame:
    """Quarantine entries for superseded rows, naming the release that replaced them."""
    dropped = parsed[~keep]
    return pd.DataFrame(
        {
            "source_file": dropped["source_file"],
            "source_row": dropped["source_row"],
            "reason": SUPERSEDED,
            "column": "",
            "detail": "replaced by " + winner_of[~keep].astype(str),
            "framework": dropped["framework"],
            "customer": dropped["customer"],
            "supplier": dropped["supplier"],
            "month_raw": dropped["month"].dt.strftime("%Y-%m"),
            "spend_raw": "",
            "spend_gbp": dropped["spend_gbp"],
        }
    )
