"""The parts of the notices report the UK platforms add: what was read of each platform's
notices, in plain data (:func:`platform_report`) and in words (:func:`describe_platform`).

Per load: releases loaded by platform and by notice type, processes by legal basis, release
ids derived where none was published, releases with values in another currency (left out
of pound figures), awards by standing (only ``made`` awards are counted; pending, cancelled
and unsuccessful ones and pseudo-awards are listed here, never counted), lots with bid
statistics, pipeline rows, and buyers whose sector or buyer group came from their published
classification, with the disagreements.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from loaders.catalogue import codes

LOADED = codes("ocds_releases", "status")[0]
EXAMPLES = 20  # disagreements and foreign values listed in the report


def _counts(values: pd.Series) -> dict[str, int]:
    return {str(k): int(v) for k, v in values.astype(object).dropna().value_counts().items()}


def _standing(awards: pd.DataFrame) -> dict[str, dict[str, float | int]]:
    out: dict[str, dict[str, float | int]] = {}
    for standing in codes("awards", "standing"):
        rows = awards[awards["standing"].astype(object).eq(standing)]
        if len(rows):
            out[standing] = {"awards": int(len(rows)),
                             "value_gbp": round(float(rows["value_gbp"].sum()), 2)}  # fmt: skip
    return out


def platform_report(
    platform: str | None,
    releases: pd.DataFrame,
    notices: pd.DataFrame,
    awards: pd.DataFrame,
    extra: dict[str, pd.DataFrame],
) -> dict[str, Any]:
    """The report additions (plain data) of one notices load; ``extra`` holds the ``bids``
    and ``pipeline`` tables and the buyers whose classification ``disagreements``."""
    loaded = releases[releases["status"].astype(object).eq(LOADED)]
    foreign = loaded.dropna(subset=["values_not_gbp"])
    pipeline, disagreements = extra["pipeline"], extra["disagreements"]
    return {
        "platform": platform,
        "releases_by_platform": _counts(loaded["platform"]),
        "releases_by_notice_type": _counts(loaded["notice_type"]),
        "processes_by_legal_basis": _counts(notices["legal_basis"]),
        "release_ids_derived": int(releases["id_derived"].eq(True).sum()),
        "releases_with_values_not_gbp": int(len(foreign)),
        "values_not_gbp": [
            f"{r.ocid} {r.release_id}: {r.values_not_gbp}"
            for r in foreign.head(EXAMPLES).itertuples()
        ],
        "awards_by_standing": _standing(awards),
        "lots_with_bid_statistics": int(len(extra["bids"])),
        "pipeline": _counts(pipeline["pipeline_kind"]),
        "buyers_by_classification": int(
            notices["sector_method"].astype(object).eq("buyer_type").sum()
        ),  # fmt: skip
        "classification_disagreements": int(len(disagreements)),
        "classification_disagreement_examples": [
            f"{r.customer} ({r.ocid}): {r.buyer_type} says {r.classified_as}, its sector says "
            f"{r.buyer_group}"
            for r in disagreements.head(EXAMPLES).itertuples()
        ],
    }


def _pairs(counts: dict[str, Any]) -> str:
    return "; ".join(f"{k} {v:,}" for k, v in counts.items()) or "none"


def describe_platform(section: dict[str, Any]) -> list[str]:
    """The report additions in words (no lines for a report written without them)."""
    if "awards_by_standing" not in section:
        return []
    standing = "; ".join(
        f"{k} {v['awards']:,} (£{v['value_gbp']:,.2f})"
        for k, v in section["awards_by_standing"].items()
    )
    lines = [
        f"Releases by platform: {_pairs(section['releases_by_platform'])}.",
        f"Releases by notice type: {_pairs(section['releases_by_notice_type'])}.",
        f"Processes by legal basis: {_pairs(section['processes_by_legal_basis'])}.",
        f"Awards as they stand (only made awards are counted): {standing or 'none'}.",
        f"Pipeline: {_pairs(section['pipeline'])}; lots with bid statistics: "
        f"{section['lots_with_bid_statistics']:,}.",
    ]
    if section["release_ids_derived"]:
        lines.append(f"Release ids derived from the notice reference (none published): "
                     f"{section['release_ids_derived']:,}.")  # fmt: skip
    if section["releases_with_values_not_gbp"]:
        lines.append(f"Releases with values in another currency, left out of pound figures: "
                     f"{section['releases_with_values_not_gbp']:,}.")  # fmt: skip
        lines += [f"  {v}" for v in section["values_not_gbp"]]
    lines.append(
        f"Buyers placed by their published classification only: "
        f"{section['buyers_by_classification']:,}; classification disagreeing with the sector "
        f"found: {section['classification_disagreements']:,}."
    )
    lines += [f"  {v}" for v in section["classification_disagreement_examples"]]
    return lines
