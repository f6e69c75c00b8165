"""SME bids against SME wins: the share of bids (or applications) that came from SMEs, beside
the share of the awards, and of their value, that SMEs won.

Three measures, never added together, each from its own source:

- **final-stage bids** of Procurement Act contract award notices (``bids`` table: measure
  ``finalStageBids`` and ``smeFinalStageBids``, per lot), against the awards made of the same
  processes;
- **bids** of 2015-regulations award notices (``bids`` and ``smeBids``: all bids), against
  the awards made of the same processes;
- **applications** to Digital Outcomes and Specialists opportunities (the Digital
  Marketplace's export, ``dos_opportunities``: applications from SMEs and from large
  organisations), against the opportunities awarded, by the winner's size.

An award is won by SMEs when all its suppliers are SMEs (size group ``SME``); large,
mixed and unknown awards are counted beside it; shares are of all awards made (by count) and
of all their value. Opportunities with a single applicant are counted. The period chooses by
the date the statistics were published (the first award notice) or the opportunity was; the
buyer filters by the buyer's body; the framework and iteration filters by the framework the
process names or the opportunity's.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from dashboard.analytics.counting import share
from dashboard.analytics.filters import Filters
from dashboard.analytics.notice_figures import SME, made_awards
from dashboard.analytics.opportunities import date_ranges, notice_filters, of_bodies, within
from dashboard.analytics.store import Store
from loaders.catalogue import codes

FINAL_STAGE, ALL_BIDS, APPLICATIONS = (
    "Final-stage bids (Procurement Act)", "Bids (2015 regulations)",
    "Applications (Digital Outcomes and Specialists)",
)  # fmt: skip
MEASURES = (FINAL_STAGE, ALL_BIDS, APPLICATIONS)
LARGE, MIXED, UNKNOWN = codes("awards", "size_group")[1:]
GROUPINGS = {"framework": "framework", "buyer_group": "buyer_group", "department": "department"}
NOT_STATED = "(not stated)"


def _chosen(store: Store, frame: pd.DataFrame, filters: Filters, date: str) -> pd.DataFrame:
    """Rows of the bodies, frameworks and period in view."""
    rows = of_bodies(store, frame, filters)
    for field, column in (("framework", "framework"), ("iteration", "framework_iteration")):
        wanted = getattr(filters, field)
        if wanted:
            rows = rows[rows[column].astype(object).isin(wanted).to_numpy()]
    return rows[within(rows[date], date_ranges(notice_filters(filters))).to_numpy()]


def _wanted(filters: Filters) -> Filters:
    return replace(notice_filters(filters), framework=filters.framework,
                   iteration=filters.iteration)  # fmt: skip


def competitions(store: Store, filters: Filters) -> pd.DataFrame:
    """One row per competition in view: a lot with bid statistics, or an opportunity, with
    ``measure``, grouping columns, ``bids``, ``sme_bids`` and ``single`` (one applicant)."""
    bids = _chosen(store, store.stored("bids"), filters, "published")
    bids = bids[bids["duplicate_of"].isna()]
    act = bids["procurement_act"].eq(True)
    frames = [
        bids[act].assign(measure=FINAL_STAGE, bids=bids["final_stage_bids"],
                         sme_bids=bids["sme_final_stage_bids"]),
        bids[~act].assign(measure=ALL_BIDS),
    ]  # fmt: skip
    dos = _chosen(store, store.stored("dos_opportunities"), filters, "published")
    frames.append(dos.assign(measure=APPLICATIONS, bids=dos["applications_total"],
                             sme_bids=dos["applications_sme"]))  # fmt: skip
    columns = ["measure", "ocid", *GROUPINGS.values(), "bids", "sme_bids"]
    table = pd.concat([f.reindex(columns=columns).astype(object) for f in frames],
                      ignore_index=True)  # fmt: skip
    table = table[table["bids"].notna()]
    table["single"] = table["bids"].eq(1)
    return table


def wins(store: Store, filters: Filters) -> pd.DataFrame:
    """One row per award made in view: of the processes with bid statistics (by their
    measure) and of the opportunities awarded, with ``size_group`` and ``value_gbp``."""
    bids = _chosen(store, store.stored("bids"), filters, "published")
    bids = bids[bids["duplicate_of"].isna()]
    measure = bids.drop_duplicates("ocid").set_index("ocid")["procurement_act"].map(
        {True: FINAL_STAGE, False: ALL_BIDS})  # fmt: skip
    awards = made_awards(store.awards)
    awards = awards[awards["ocid"].isin(measure.index)]
    process = store.notices.set_index("ocid")[["framework"]].astype(object)
    awards = awards.join(process, on="ocid").assign(measure=awards["ocid"].map(measure))
    dos = _chosen(store, store.stored("dos_opportunities"), filters, "published")
    dos = dos[dos["status"].astype(object).eq("awarded")]
    dos = dos.assign(measure=APPLICATIONS, size_group=dos["size_status"],
                     value_gbp=dos["contract_value_gbp"])  # fmt: skip
    columns = ["measure", *GROUPINGS.values(), "size_group", "value_gbp"]
    return pd.concat([awards.reindex(columns=columns).astype(object),
                      dos.reindex(columns=columns).astype(object)], ignore_index=True)  # fmt: skip


def _row(bids: pd.DataFrame, won: pd.DataFrame) -> dict[str, float | int]:
    size = won["size_group"]
    values = pd.to_numeric(won["value_gbp"], errors="coerce")
    sme = size.eq(SME)
    total_bids, sme_bids = float(bids["bids"].sum()), float(bids["sme_bids"].sum())
    return {
        "competitions": int(len(bids)),
        "bids": int(total_bids),
        "sme_bids": int(sme_bids),
        "sme_bid_share_pct": share(sme_bids, total_bids),
        "single_applicant": int(bids["single"].sum()),
        "awards": int(len(won)),
        "awards_sme": int(sme.sum()),
        "awards_large": int(size.eq(LARGE).sum()),
        "awards_mixed": int(size.eq(MIXED).sum()),
        "awards_unknown": int((~size.isin([SME, LARGE, MIXED])).sum()),
        "awarded_value_gbp": float(values.sum()),
        "sme_value_gbp": float(values[sme].sum()),
        "sme_award_share_pct": share(int(sme.sum()), len(won)),
        "sme_value_share_pct": share(float(values[sme].sum()), float(values.sum())),
    }


COLUMNS = ["measure", "group", "competitions", "bids", "sme_bids", "sme_bid_share_pct",
           "single_applicant", "awards", "awards_sme", "awards_large", "awards_mixed",
           "awards_unknown", "awarded_value_gbp", "sme_value_gbp", "sme_award_share_pct",
           "sme_value_share_pct"]  # fmt: skip


def sme_bids_and_wins(store: Store, filters: Filters, by: str | None = None) -> pd.DataFrame:
    """SME share of bids against SME share of awards, per measure (and per ``by``:
    ``framework``, ``buyer_group`` or ``department``); no row for a measure with neither
    bids nor awards in view (memoised)."""
    wanted = _wanted(filters)

    def compute() -> pd.DataFrame:
        bids, won = competitions(store, wanted), wins(store, wanted)
        key = GROUPINGS[by] if by else None
        rows = []
        for measure in MEASURES:
            mine_bids, mine_won = bids[bids["measure"].eq(measure)], won[won["measure"].eq(measure)]
            if mine_bids.empty and mine_won.empty:
                continue
            if key is None:
                rows.append({"measure": measure, "group": "All", **_row(mine_bids, mine_won)})
                continue
            groups = pd.concat([mine_bids[key], mine_won[key]]).fillna(NOT_STATED).unique()
            for group in sorted(groups, key=str):
                rows.append({"measure": measure, "group": group, **_row(
                    mine_bids[mine_bids[key].fillna(NOT_STATED).eq(group)],
                    mine_won[mine_won[key].fillna(NOT_STATED).eq(group)])})  # fmt: skip
        return pd.DataFrame(rows, columns=COLUMNS)

    return store.memoised(f"sme-bids:{by}", wanted, compute)


def has_bids(store: Store) -> bool:
    """Whether the store holds bid statistics or DOS opportunities."""
    return not (store.stored("bids").empty and store.stored("dos_opportunities").empty)


@dataclass(frozen=True)
class MeasureFigures:
    """One measure's headline figures (see :func:`sme_bids_and_wins`)."""

    measure: str
    bids: int
    sme_bids: int
    sme_bid_share: float | None
    awards: int
    awards_sme: int
    awards_large: int
    awards_other: int
    awarded_value_gbp: float
    sme_value_gbp: float
    sme_value_share: float | None
    single_applicant: int


def headline(store: Store, filters: Filters) -> list[MeasureFigures]:
    """The headline figures of each measure in view."""
    table = sme_bids_and_wins(store, filters)
    none = lambda v: None if pd.isna(v) else float(v)  # noqa: E731
    return [
        MeasureFigures(r.measure, r.bids, r.sme_bids, none(r.sme_bid_share_pct), r.awards,
                       r.awards_sme, r.awards_large, r.awards_mixed + r.awards_unknown,
                       r.awarded_value_gbp, r.sme_value_gbp, none(r.sme_value_share_pct),
                       r.single_applicant)
        for r in table.itertuples()
    ]  # fmt: skip
