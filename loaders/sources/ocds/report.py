"""The notices part of the load report: where every release of every file went.

For each file: its format, releases read, loaded, duplicate (same ``ocid`` and ``id`` read
before) and quarantined by reason, and the check *releases read = loaded + duplicate +
quarantined*; in total the same, with the processes and awards tabled, and the awards
superseded by a later award of their process (:mod:`loaders.sources.ocds.corrections`), each
listed with its value and counted against the file it was first published in. Plain data,
saved in ``load_report.json`` under ``"ocds"``, told in words by :func:`describe_notices`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from loaders.catalogue import codes
from loaders.sources.ocds.checks import REASONS
from loaders.sources.ocds.platform_report import describe_platform

LOADED, DUPLICATE, QUARANTINED = codes("ocds_releases", "status")
STATUSES = (LOADED, DUPLICATE, QUARANTINED)


def _counts(releases: pd.DataFrame, read: int) -> dict[str, Any]:
    """Releases by outcome; ``read`` is counted apart, as the reader saw them."""
    status = releases["status"].astype(object)
    counts = {f"releases_{s}": int(status.eq(s).sum()) for s in STATUSES}
    reasons = releases.loc[status.eq(QUARANTINED), "reason"].astype(object).value_counts()
    return {
        "releases_read": read,
        **counts,
        "reconciles": read == sum(counts.values()),
        "quarantined_by_reason": {
            r: int(reasons[r])
            for r in (*REASONS, *sorted(set(reasons.index) - set(REASONS)))
            if r in reasons.index
        },
        "duplicates_differing": int(
            releases["detail"].astype(object).fillna("").str.endswith("(different content)").sum()
        ),
    }


def _dates(releases: pd.DataFrame) -> dict[str, str | None]:
    dates = releases.loc[releases["status"].astype(object).eq(LOADED), "date"].dropna()
    if dates.empty:
        return {"first": None, "last": None}
    return {"first": dates.min().isoformat(), "last": dates.max().isoformat()}


def file_report(info: dict[str, Any], releases: pd.DataFrame) -> dict[str, Any]:
    """The report of one file: ``info`` (file, path, sha256, format, and ``releases_read`` as
    counted while reading) and its releases by outcome."""
    loaded = releases[releases["status"].astype(object).eq(LOADED)]
    return {
        **info,
        **_counts(releases, info["releases_read"]),
        "processes": int(loaded["ocid"].nunique()),
        "published": _dates(releases),
    }


def _size_groups(awards: pd.DataFrame) -> dict[str, dict[str, float | int]]:
    out: dict[str, dict[str, float | int]] = {}
    for group, rows in awards.groupby(awards["size_group"].astype(object), sort=True):
        out[str(group)] = {"awards": int(len(rows)), "value_gbp": round(rows["value_gbp"].sum(), 2)}
    return out


def _superseded_by_file(files: list[dict[str, Any]], superseded: list[dict[str, Any]]) -> None:
    """Count each superseded award against the file it was first published in."""
    for f in files:
        mine = [a for a in superseded if a.get("source_file") == f["path"]]
        f["awards_superseded"] = len(mine)
        f["awards_superseded_value_gbp"] = round(sum(a["value_gbp"] or 0.0 for a in mine), 2)


def build_notices_report(
    files: list[dict[str, Any]],
    releases: pd.DataFrame,
    notices: pd.DataFrame,
    awards: pd.DataFrame,
    superseded: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The ``"ocds"`` section of the load report, as plain data; ``superseded`` lists the
    awards a later award of their process replaces (never counted as awards)."""
    methods = notices["customer_match"].astype(object).value_counts()
    superseded = superseded or []
    _superseded_by_file(files, superseded)
    return {
        "files": files,
        "totals": {
            **_counts(releases, sum(f["releases_read"] for f in files)),
            "processes": int(len(notices)),
            "awards": int(len(awards)),
            "awards_superseded": len(superseded),
            "awards_superseded_value_gbp": round(sum(a["value_gbp"] or 0.0 for a in superseded), 2),
            "published": _dates(releases),
        },
        "buyer_matching": {str(k): int(v) for k, v in methods.items()},
        "awards_by_size_group": _size_groups(awards),
        "superseded_awards": superseded,
    }


def _file_lines(f: dict[str, Any]) -> list[str]:
    lines = [
        f"{f['file']}",
        f"  {f['format']}; published {f['published']['first']} to {f['published']['last']}; "
        f"{f['processes']:,} processes",
        f"  read        {f['releases_read']:>9,} releases",
        f"  loaded      {f['releases_loaded']:>9,}",
        f"  duplicate   {f['releases_duplicate']:>9,}",
        f"  quarantined {f['releases_quarantined']:>9,}",
    ]
    lines += [f"    {reason}: {n:,}" for reason, n in f["quarantined_by_reason"].items()]
    if f["duplicates_differing"]:
        lines.append(f"    ({f['duplicates_differing']:,} duplicates differ from the first copy)")
    verdict = "reconciles" if f["reconciles"] else "DOES NOT RECONCILE"
    lines.append(f"  read = loaded + duplicate + quarantined: {verdict}")
    if f.get("awards_superseded"):
        lines.append(
            f"  awards superseded by a later award of their process: {f['awards_superseded']:,}"
            f" (£{f['awards_superseded_value_gbp']:,.2f}, never counted)"
        )
    return lines


def _superseded_lines(section: dict[str, Any]) -> list[str]:
    return [
        f"Award {a['award_id']} of {a['ocid']} (£{a['value_gbp'] or 0:,.2f}, {a['suppliers']}) "
        f"superseded by award {a['superseded_by']}."
        for a in section.get("superseded_awards", [])
    ]


def describe_notices(section: dict[str, Any] | None) -> list[str]:
    """The ``"ocds"`` section of a load report in words (no lines when there is none)."""
    if not section or not section["files"]:
        return []
    t = section["totals"]
    groups = "; ".join(
        f"{group} {seen['awards']:,} (£{seen['value_gbp']:,.2f})"
        for group, seen in section["awards_by_size_group"].items()
    )
    lines = [
        "",
        f"{section.get('platform') or 'OCDS'} notices (OCDS): {len(section['files'])} file(s), "
        f"{t['releases_read']:,} releases read: {t['releases_loaded']:,} loaded, "
        f"{t['releases_duplicate']:,} duplicate, {t['releases_quarantined']:,} quarantined. "
        f"Every file reconciles: {'yes' if t['reconciles'] else 'NO'}.",
        f"{t['processes']:,} procurement processes, {t['awards']:,} awards"
        + (f" by size group: {groups}." if groups else "."),
        "Buyers resolved to bodies by: "
        + "; ".join(f"{k} {v:,}" for k, v in section["buyer_matching"].items()),
        "",
    ]
    lines[-1:-1] = [*_superseded_lines(section), *describe_platform(section)]
    for f in section["files"]:
        lines.extend(_file_lines(f))
    return lines


def summary_line(section: dict[str, Any] | None) -> str | None:
    """One line for the command line after an ingest, or ``None`` without notices."""
    if not section or not section["files"]:
        return None
    t = section["totals"]
    return (
        f"Read {t['releases_read']:,} OCDS releases of {section.get('platform') or 'notices'} "
        f"from {len(section['files'])} file(s): "
        f"{t['releases_loaded']:,} loaded, {t['releases_duplicate']:,} duplicate, "
        f"{t['releases_quarantined']:,} quarantined; {t['processes']:,} processes, "
        f"{t['awards']:,} awards; reconciles: {'yes' if t['reconciles'] else 'NO'}."
    )
