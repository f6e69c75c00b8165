"""Headline figures of the opportunities page, from the notice tables, for a period.

Pure functions of the ``notices``, ``awards`` and ``ocds_releases`` tables (filter them by
buyer group, sector, department or customer first: their buyer columns are the same). The
period is by publication date, ``start`` included and ``end`` excluded (UK local time,
``None`` for open-ended):

- ``opp-notices``: processes with a notice (any loaded release) published in the period;
- ``opp-sme-suitable-share`` / ``opp-vcse-suitable-share``: of those processes whose tender
  states suitability, the share marked suitable for SMEs / VCSEs (percent);
- ``opp-awards``: awards made first published in the period: pending awards (standstill,
  intended direct awards), cancelled and unsuccessful ones and pseudo-awards are left out, as
  are copies of an award counted on another platform (:func:`made_awards`);
  ``opp-awards-sme-share-count`` / ``-value``: the share of them, and of their value,
  whose size group is ``SME`` (Mixed, Large and Unknown in ``awards_by_size_group``);
- ``opp-call-offs``: processes in the period called off from a framework agreement, with
  the CCS framework named (``call_offs_by_framework``);
- ``opp-planning-share``: of processes whose first tender notice was published in the
  period, the share preceded by a planning or early-engagement notice, and the median lead
  time in days from that notice to the tender.

A procurement published on several platforms is one process (:func:`counted_processes`).
Shares are percentages, ``None`` when nothing is there to share.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

from loaders.catalogue import codes

SIZE_GROUPS = codes("awards", "size_group")  # SME, Large, Mixed, Unknown
SME = SIZE_GROUPS[0]
LOADED = codes("ocds_releases", "status")[0]  # loaded, duplicate, quarantined

MADE = codes("awards", "standing")[0]  # made, pending, cancelled, unsuccessful, ...
NOT_NAMED = "(not named)"
FIGURE_IDS = {
    "opp-notices": "notices",
    "opp-sme-suitable-share": "sme_suitable_share",
    "opp-vcse-suitable-share": "vcse_suitable_share",
    "opp-awards": "awards",
    "opp-awards-sme-share-count": "awards_sme_share_count",
    "opp-awards-sme-share-value": "awards_sme_share_value",
    "opp-call-offs": "call_offs",
    "opp-planning-share": "planning_share",
}


@dataclass(frozen=True)
class OpportunityFigures:
    """The headline figures of a period (see the module doc); counts and percentages."""

    notices: int
    suitability_stated: int
    sme_suitable: int
    sme_suitable_share: float | None
    vcse_suitable: int
    vcse_suitable_share: float | None
    awards: int
    awards_value_gbp: float
    awards_sme: int
    awards_sme_value_gbp: float
    awards_sme_share_count: float | None
    awards_sme_share_value: float | None
    awards_by_size_group: dict[str, dict[str, float | int]]
    call_offs: int
    call_offs_by_framework: dict[str, int]
    tendered: int
    planning_preceded: int
    planning_share: float | None
    median_lead_time_days: float | None
    planning_processes: int = field(default=0)

    def by_id(self) -> dict[str, Any]:
        """The headline figures by their page ids (``opp-notices``...)."""
        values = asdict(self)
        return {page_id: values[name] for page_id, name in FIGURE_IDS.items()}


def in_period(dates: pd.Series, start=None, end=None) -> pd.Series:
    """Whether each date is in ``[start, end)``; ``None`` bounds are open. NaT is outside
    unless both bounds are open."""
    inside = pd.Series(True, index=dates.index)
    if start is not None:
        inside &= dates.ge(pd.Timestamp(start))
    if end is not None:
        inside &= dates.lt(pd.Timestamp(end))
    return inside


def counted_processes(notices: pd.DataFrame, ocids=None) -> pd.DataFrame:
    """The processes each procurement is counted as (one per procurement published on
    several platforms), of the procurements of ``ocids`` when given (any of its copies)."""
    counted = notices[notices["duplicate_of"].isna()]
    if ocids is None:
        return counted
    procurements = notices.loc[notices["ocid"].isin(ocids), "procurement_id"]
    return counted[counted["procurement_id"].isin(procurements)]


def made_awards(awards: pd.DataFrame) -> pd.DataFrame:
    """The awards made (standing ``made``), each counted once across platforms."""
    return awards[awards["standing"].astype(object).eq(MADE) & awards["duplicate_of"].isna()]


def processes_in_period(
    notices: pd.DataFrame, releases: pd.DataFrame, start=None, end=None
) -> pd.DataFrame:
    """The processes counted whose procurement has a loaded release published in
    ``[start, end)``."""
    if start is None and end is None:
        return counted_processes(notices)
    loaded = releases[releases["status"].astype(object).eq(LOADED)]
    ocids = loaded.loc[in_period(loaded["date"], start, end), "ocid"].unique()
    return counted_processes(notices, ocids)


def awards_in_period(awards: pd.DataFrame, start=None, end=None) -> pd.DataFrame:
    """Awards made first published in ``[start, end)`` (:func:`made_awards`)."""
    made = made_awards(awards)
    return made[in_period(made["published"], start, end)]


def _share(part: float, whole: float) -> float | None:
    return 100.0 * part / whole if whole else None


def _suitability(processes: pd.DataFrame) -> dict[str, Any]:
    sme, vcse = processes["sme_suitable"], processes["vcse_suitable"]
    stated = int(sme.notna().sum())
    return {
        "suitability_stated": stated,
        "sme_suitable": int(sme.eq(True).sum()),
        "sme_suitable_share": _share(int(sme.eq(True).sum()), stated),
        "vcse_suitable": int(vcse.eq(True).sum()),
        "vcse_suitable_share": _share(int(vcse.eq(True).sum()), int(vcse.notna().sum())),
    }


def _awards(awards: pd.DataFrame) -> dict[str, Any]:
    group = awards["size_group"].astype(object)
    values = awards["value_gbp"]
    sme = group.eq(SME)
    by_group = {
        g: {
            "awards": int(group.eq(g).sum()),
            "value_gbp": round(float(values[group.eq(g)].sum()), 2),
        }
        for g in SIZE_GROUPS
    }
    total = round(float(values.sum()), 2)
    return {
        "awards": int(len(awards)),
        "awards_value_gbp": total,
        "awards_sme": int(sme.sum()),
        "awards_sme_value_gbp": by_group[SME]["value_gbp"],
        "awards_sme_share_count": _share(int(sme.sum()), len(awards)),
        "awards_sme_share_value": _share(float(values[sme].sum()), float(values.sum())),
        "awards_by_size_group": by_group,
    }


def _call_offs(processes: pd.DataFrame) -> dict[str, Any]:
    called = processes[processes["call_off"].eq(True)]
    named = called["framework_iteration"].astype(object).fillna(called["framework"].astype(object))
    named = named.fillna(called["frameworks_named"].astype(object)).fillna(NOT_NAMED)
    return {
        "call_offs": int(len(called)),
        "call_offs_by_framework": {str(k): int(v) for k, v in named.value_counts().items()},
    }


def _planning(notices: pd.DataFrame, start=None, end=None) -> dict[str, Any]:
    notices = counted_processes(notices)
    tendered = notices[
        notices["tender_date"].notna() & in_period(notices["tender_date"], start, end)
    ]
    lead = tendered["lead_time_days"].dropna()
    return {
        "tendered": int(len(tendered)),
        "planning_preceded": int(len(lead)),
        "planning_share": _share(len(lead), len(tendered)),
        "median_lead_time_days": float(lead.median()) if len(lead) else None,
    }


def opportunity_figures(
    notices: pd.DataFrame,
    awards: pd.DataFrame,
    releases: pd.DataFrame,
    start=None,
    end=None,
) -> OpportunityFigures:
    """The headline figures of ``[start, end)`` (dates or ``YYYY-MM-DD`` text; ``None``:
    open) from the notice tables (see the module doc for each figure)."""
    processes = processes_in_period(notices, releases, start, end)
    return OpportunityFigures(
        notices=int(len(processes)),
        **_suitability(processes),
        **_awards(awards_in_period(awards, start, end)),
        **_call_offs(processes),
        **_planning(notices, start, end),
        planning_processes=int(processes["planning_date"].notna().sum()),
    )
