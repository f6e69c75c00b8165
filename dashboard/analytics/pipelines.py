"""Pipelines: who published a Procurement Act pipeline notice (UK1), on time or late, how far
ahead, and what followed; the departments that published none; older planned procurements.

Pure queries over the store's ``pipeline`` table (one row per planned procurement, see
:mod:`loaders.catalogue` and the loaders' ``pipelines`` module), for the filters notices
answer: the period chooses planned procurements by the **date of their first notice** (a
financial year ``fy`` chooses the planned procurements of that pipeline year), the buyer
filters choose their bodies. A procurement published on several platforms is counted once.

- An **authority** published its pipeline of a financial year **on time** when its first
  pipeline notice of that year came within the window of ``pipeline_duty.csv`` (1 April to
  26 May); later ones are **late**.
- **How far ahead**: days from the first pipeline notice to the date it expected the next
  notice (the tender or transparency notice).
- **What followed**: a later notice of the same procurement: preliminary market engagement
  (UK2), planned procurement (UK3), tender (UK4) or transparency notice (UK5).
- **Departments with no pipeline notice**: the duty falls on authorities expecting to pay
  over £100m a year under relevant contracts, and no register says which those are. The
  list offered is the ministerial departments of GOV.UK (``departments.csv``, body type
  *Ministerial department*, live), every one of which pays far more than that: a department
  is listed for a year when neither it nor any of its agencies and arm's-length bodies
  published a pipeline notice dated in that financial year. Years run from the Act's first
  pipeline year to the latest year of Find a Tender notices in the store.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.analytics.counting import share
from dashboard.analytics.departments import department_table
from dashboard.analytics.filters import Filters
from dashboard.analytics.opportunities import (
    clipped,
    date_ranges,
    label_range,
    loaded_releases,
    notice_filters,
    of_bodies,
    within,
)
from dashboard.analytics.store import Store
from loaders.catalogue import codes
from loaders.core import periods
from loaders.core.vocabulary import REFERENCE_DIR

PIPELINE_NOTICE, PLANNED_PROCUREMENT = codes("pipeline", "pipeline_kind")
MINISTERIAL = "Ministerial department"
FIND_A_TENDER = "Find a Tender"
DUTY_FILE = REFERENCE_DIR / "pipeline_duty.csv"
ON_TIME, LATE = "By 26 May", "Late"


def duty() -> dict[str, str]:
    """The pipeline notice duty (``pipeline_duty.csv``: window, thresholds, first year)."""
    frame = pd.read_csv(DUTY_FILE, dtype=str, keep_default_na=False)
    return dict(zip(frame["key"], frame["value"], strict=True))


def has_pipelines(store: Store) -> bool:
    """Whether the store holds any planned procurement."""
    return not store.stored("pipeline").empty


def pipeline_in_view(store: Store, filters: Filters) -> pd.DataFrame:
    """The planned procurements counted (one per procurement) of the bodies in view whose
    first notice was published in the period (memoised)."""
    wanted = notice_filters(filters)

    def compute() -> pd.DataFrame:
        frame = store.stored("pipeline")
        frame = of_bodies(store, frame[frame["duplicate_of"].isna()], wanted)
        return frame[within(frame["first_published"], date_ranges(wanted)).to_numpy()]

    return store.memoised("pipeline-in-view", wanted, compute)


def _of_kind(frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    return frame[frame["pipeline_kind"].astype(object).eq(kind)]


def _median(values: pd.Series) -> float:
    values = values.dropna()
    return float(values.median()) if len(values) else float("nan")


def _summary(group: pd.DataFrame) -> dict[str, float | int]:
    tendered = group["days_to_tender"].notna()
    return {
        "planned_procurements": int(len(group)),
        "authorities": int(group["customer_key"].nunique()),
        "value_gbp": float(group["value_gbp"].sum()),
        "value_gross_gbp": float(group["value_gross_gbp"].sum()),
        "median_lead_days": _median(group["lead_days"]),
        "followed": int(group["first_follow_up"].notna().sum()),
        "tendered": int(tendered.sum()),
        "tendered_share_pct": share(int(tendered.sum()), len(group)),
        "median_days_to_tender": _median(group["days_to_tender"]),
        "withdrawn": int(group["withdrawn"].astype(bool).sum()),
    }


BY_YEAR_COLUMNS = ["financial_year", "pipeline_kind", "platform", "planned_procurements",
                   "authorities", "authorities_on_time", "value_gbp", "value_gross_gbp",
                   "median_lead_days", "followed", "tendered", "tendered_share_pct",
                   "median_days_to_tender", "withdrawn"]  # fmt: skip


def pipeline_by_year(store: Store, filters: Filters) -> pd.DataFrame:
    """Per financial year: pipeline notices (UK1) and older planned procurements beside
    them, by platform: how many, by how many authorities (on time: UK1 only), their value,
    how far ahead, and how many were followed by a tender notice."""
    frame = pipeline_in_view(store, filters)
    rows = []
    keys = ["financial_year", "pipeline_kind", "platform"]
    for (year, kind, platform), group in frame.astype({k: object for k in keys}).groupby(keys):
        on_time = group.loc[group["on_time"].eq(True), "customer_key"].nunique()
        rows.append({"financial_year": year, "pipeline_kind": kind, "platform": platform,
                     "authorities_on_time": int(on_time) if kind == PIPELINE_NOTICE else None,
                     **_summary(group)})  # fmt: skip
    table = pd.DataFrame(rows, columns=BY_YEAR_COLUMNS)
    return table.sort_values(["financial_year", "pipeline_kind"], ascending=[False, True],
                             ignore_index=True)  # fmt: skip


PUBLISHER_COLUMNS = ["financial_year", "customer", "buyer_group", "published", "first_published",
                     "planned_procurements", "value_gbp", "value_gross_gbp", "median_lead_days",
                     "followed", "tendered", "withdrawn"]  # fmt: skip


def pipeline_publishers(store: Store, filters: Filters) -> pd.DataFrame:
    """Per financial year and authority that published pipeline notices (UK1): by 26 May
    or late (its first of the year), when, how many planned procurements, their value
    (ex VAT where given, and gross), how far ahead, and how many were followed."""
    frame = _of_kind(pipeline_in_view(store, filters), PIPELINE_NOTICE)
    rows = []
    for (year, _), group in frame.groupby(["financial_year", "customer_key"], observed=True):
        first = group.sort_values("first_published").iloc[0]
        summary = _summary(group)
        rows.append({"financial_year": year, "customer": first["customer"],
                     "buyer_group": first["buyer_group"],
                     "published": ON_TIME if first["on_time"] else LATE,
                     "first_published": first["first_published"].strftime("%Y-%m-%d"),
                     **{k: summary[k] for k in PUBLISHER_COLUMNS if k in summary}})  # fmt: skip
    table = pd.DataFrame(rows, columns=PUBLISHER_COLUMNS)
    return table.sort_values(["financial_year", "customer"], ascending=[False, True],
                             ignore_index=True)  # fmt: skip


PROCUREMENT_COLUMNS = ["financial_year", "customer", "title", "platform", "notice_id",
                       "first_published", "published", "value_gbp", "value_gross_gbp",
                       "expected_notice", "lead_days", "edits", "follow_ups",
                       "days_to_tender", "tender_vs_expected_days", "withdrawn",
                       "ocid"]  # fmt: skip


def _dates(column: pd.Series) -> pd.Series:
    return column.dt.strftime("%Y-%m-%d").astype(object).where(column.notna(), None)


def _listing(frame: pd.DataFrame) -> pd.DataFrame:
    """Planned procurements as a table to show: oldest first, dates as ``YYYY-MM-DD``."""
    frame = frame.sort_values(["first_published", "ocid"], ignore_index=True)
    on_time = frame["on_time"].astype(object).map({True: ON_TIME, False: LATE})
    table = frame.assign(
        first_published=_dates(frame["first_published"]),
        published=on_time.where(on_time.notna(), None),
        expected_notice=_dates(frame["future_notice_date"]),
        withdrawn=frame["withdrawn"].astype(object).map({True: "Withdrawn", False: ""}),
    )
    return table.reindex(columns=PROCUREMENT_COLUMNS)


def planned_procurements(store: Store, filters: Filters) -> pd.DataFrame:
    """Every planned procurement of a pipeline notice (UK1) in view and what followed it."""
    return _listing(_of_kind(pipeline_in_view(store, filters), PIPELINE_NOTICE))


def older_planned_procurements(store: Store, filters: Filters) -> pd.DataFrame:
    """The older planned procurements in view (planning notices of a planned tender on
    Contracts Finder and 2015-regulations prior information notices)."""
    return _listing(_of_kind(pipeline_in_view(store, filters), PLANNED_PROCUREMENT))


def pipeline_years(store: Store, filters: Filters) -> list[str]:
    """The pipeline years departments are checked for: from the Act's first to the latest
    year of Find a Tender notices in the store, those the period filters reach."""
    releases = loaded_releases(store)
    dates = releases.loc[releases["platform"].astype(object).eq(FIND_A_TENDER), "date"]
    if dates.dropna().empty:
        return []
    first, last = duty()["first_year"], periods.financial_year_of(dates.max())
    years = periods.fy_labels_between(first, last) if first <= last else []
    ranges = date_ranges(notice_filters(filters))
    return [y for y in years if clipped(label_range(y, "fy"), ranges)]


def departments_without_pipeline(store: Store, filters: Filters) -> pd.DataFrame:
    """Per pipeline year: the ministerial departments none of whose bodies published a
    pipeline notice dated in it (see the module docstring for how the list is chosen)."""
    table = department_table(store)
    own = table[table["body_type"].eq(MINISTERIAL) & table["status"].eq("live")
                & table["body"].eq(table["department"])]  # fmt: skip
    uk1 = _of_kind(store.stored("pipeline"), PIPELINE_NOTICE)
    uk1 = uk1[uk1["duplicate_of"].isna()]
    rows = []
    for year in pipeline_years(store, filters):
        published = set(uk1.loc[uk1["financial_year"].astype(object).eq(year), "department"]
                        .dropna())  # fmt: skip
        rows += [{"financial_year": year, "department": d}
                 for d in sorted(own["department"]) if d not in published]  # fmt: skip
    return pd.DataFrame(rows, columns=["financial_year", "department"])


@dataclass(frozen=True)
class PipelineFigures:
    """The page's headline figures (counts, pounds, days; share in percent)."""

    authorities: int
    authorities_on_time: int
    planned_procurements: int
    value_gbp: float
    value_gross_gbp: float
    with_value: int
    median_lead_days: float | None
    followed: int
    tendered: int
    tendered_share: float | None
    withdrawn: int
    departments_without: int
    years_checked: int
    older_planned: int


def _or_none(value: float) -> float | None:
    return None if pd.isna(value) else float(value)


def pipeline_headline(store: Store, filters: Filters) -> PipelineFigures:
    """The headline figures of the pipeline notices in view (memoised)."""
    wanted = notice_filters(filters)

    def compute() -> PipelineFigures:
        frame = pipeline_in_view(store, wanted)
        uk1 = _of_kind(frame, PIPELINE_NOTICE)
        summary = _summary(uk1)
        firsts = uk1.sort_values("first_published").drop_duplicates(
            ["financial_year", "customer_key"])  # fmt: skip
        lead = _median(uk1["lead_days"])
        missing = departments_without_pipeline(store, wanted)
        return PipelineFigures(
            authorities=int(len(firsts)),
            authorities_on_time=int(firsts["on_time"].eq(True).sum()),
            planned_procurements=summary["planned_procurements"],
            value_gbp=summary["value_gbp"],
            value_gross_gbp=summary["value_gross_gbp"],
            with_value=int(uk1["value_gbp"].notna().sum()),
            median_lead_days=_or_none(lead),
            followed=summary["followed"],
            tendered=summary["tendered"],
            tendered_share=_or_none(share(summary["tendered"], summary["planned_procurements"])),
            withdrawn=summary["withdrawn"],
            departments_without=int(len(missing)),
            years_checked=len(pipeline_years(store, wanted)),
            older_planned=int(len(_of_kind(frame, PLANNED_PROCUREMENT))),
        )

    return store.memoised("pipeline-headline", wanted, compute)
