"""The tables behind the opportunities charts: processes by period and buyer group,
procurement methods, buyers, lead times and call-offs, for the bodies and period in view.

Each counts with the rules of :mod:`dashboard.analytics.opportunities` (a process is in a
period when one of its loaded releases was published in it; awards by their first
publication; tenders by their first tender notice), so a table's totals agree with the
headline figures of the same filters. Columns are snake_case (labels in
``data/reference/labels.csv``).
"""

from __future__ import annotations

import pandas as pd

from dashboard.analytics.counting import share
from dashboard.analytics.filters import Filters
from dashboard.analytics.notice_figures import MADE, NOT_NAMED, SME
from dashboard.analytics.opportunities import (
    BodyNotices,
    DateRange,
    awards_in,
    date_ranges,
    notice_filters,
    notice_periods,
    notices_of_bodies,
    opportunity_headline,
    period_labels,
    processes_in,
    tendered_in,
    within,
)
from dashboard.analytics.store import Store
from dashboard.analytics.timeline import every_period
from loaders.catalogue import codes

NOT_STATED = "(not stated)"
NO_PLANNING = "No planning notice before the tender"
# Lead time bands: (first day, first day of the next band or None, label).
LEAD_TIME_BANDS: tuple[tuple[int, int | None, str], ...] = (
    (0, 30, "Under 30 days"),
    (30, 60, "30 to 59 days"),
    (60, 90, "60 to 89 days"),
    (90, 180, "90 to 179 days"),
    (180, 365, "180 to 364 days"),
    (365, None, "A year or more"),
)
TOP_BUYERS = 20
PENDING = codes("awards", "standing")[1]


def _text(column: pd.Series, missing: str) -> pd.Series:
    """Values as text, nulls shown as ``missing``."""
    return column.astype(object).where(column.notna(), missing)


def processes_by_period(store: Store, filters: Filters) -> pd.DataFrame:
    """Per period in view: processes with a notice published in it, by buyer group
    (``processes_<group>``), in all (``processes``), and notices published (``notices``:
    loaded releases). Every period present; no rows when nothing is in view."""
    wanted = notice_filters(filters)
    body, shown_by = notices_of_bodies(store, wanted), wanted.shown_by
    releases = body.releases[within(body.releases["date"], date_ranges(wanted))]
    groups = store.vocab.buyer_group_list
    unclassified = store.vocab.buyer_group("unclassified").name
    group_of = body.notices.set_index("ocid")["buyer_group"].astype(object)
    frame = pd.DataFrame(
        {
            "period": period_labels(releases["date"], shown_by),
            "group": releases["ocid"].map(group_of).fillna(unclassified),
            "ocid": releases["ocid"].astype(object),
        }
    )
    by_group = frame.pivot_table(
        index="period", columns="group", values="ocid", aggfunc="nunique", fill_value=0
    )
    table = pd.DataFrame(index=by_group.index)
    for group in groups:
        values = by_group[group.name] if group.name in by_group else 0
        table[f"processes_{group.column}"] = values
    table["processes"] = frame.groupby("period")["ocid"].nunique()
    table["notices"] = frame.groupby("period").size()
    table = table.astype("int64").rename_axis("period").reset_index()
    return every_period(table, notice_periods(store, wanted, shown_by))


def _shares(parts: pd.Series, wholes: pd.Series) -> list[float]:
    """Each part as a percentage of its whole (NaN where the whole is nil)."""
    return [share(part, whole) for part, whole in zip(parts, wholes, strict=True)]


def by_body(body: BodyNotices, ranges: list[DateRange]) -> pd.DataFrame:
    """One row per buyer body (``customer_key``) with a notice or an award in ``ranges``:
    its name, sector, buyer group and department, processes, suitability, call-offs,
    awards and awarded value (in all and to SMEs), most processes first."""
    processes, awards = processes_in(body, ranges), awards_in(body, ranges)
    key = _text(processes["customer_key"], NOT_NAMED)
    named = processes["customer"].astype(object).fillna(processes["buyer_name"].astype(object))
    stated = processes["sme_suitable"].notna()
    by_process = pd.DataFrame(
        {
            "customer": _text(named, NOT_NAMED),
            "sector": _text(processes["sector"], NOT_STATED),
            "buyer_group": processes["buyer_group"].astype(object),
            "department": processes["department"].astype(object),
            "processes": 1,
            "suitability_stated": stated.astype("int64"),
            "sme_suitable": processes["sme_suitable"].eq(True).fillna(False).astype("int64"),
            "call_offs": processes["call_off"].eq(True).fillna(False).astype("int64"),
        }
    ).groupby(key.to_numpy())
    table = by_process.agg(
        customer=("customer", "first"), sector=("sector", "first"),
        buyer_group=("buyer_group", "first"), department=("department", "first"),
        processes=("processes", "sum"), suitability_stated=("suitability_stated", "sum"),
        sme_suitable=("sme_suitable", "sum"), call_offs=("call_offs", "sum"),
    )  # fmt: skip
    sme_value = awards["value_gbp"].where(awards["size_group"].astype(object).eq(SME), 0.0)
    by_award = pd.DataFrame(
        {"awards": 1, "awards_value_gbp": awards["value_gbp"].fillna(0.0),
         "awards_sme_value_gbp": sme_value.fillna(0.0)}
    ).groupby(_text(awards["customer_key"], NOT_NAMED).to_numpy()).sum()  # fmt: skip
    table = table.join(by_award, how="outer")
    missing = table["customer"].isna()
    if missing.any():  # an award first published in the period of a process with no notice
        names = awards.assign(key=_text(awards["customer_key"], NOT_NAMED)).groupby("key")
        table.loc[missing, "customer"] = names["customer"].first().reindex(table.index[missing])
    counts = ["processes", "suitability_stated", "sme_suitable", "call_offs", "awards"]
    table[counts] = table[counts].fillna(0).astype("int64")
    money = ["awards_value_gbp", "awards_sme_value_gbp"]
    table[money] = table[money].fillna(0.0)
    table["sme_suitable_share_pct"] = _shares(table["sme_suitable"], table["suitability_stated"])
    table["awards_sme_share_value_pct"] = _shares(
        table["awards_sme_value_gbp"], table["awards_value_gbp"]
    )
    table = table.rename_axis("customer_key").reset_index()
    return table.sort_values(
        ["processes", "awards_value_gbp", "customer"], ascending=[False, False, True],
        ignore_index=True,
    )  # fmt: skip


BUYER_COLUMNS = ["customer", "sector", "buyer_group", "processes", "sme_suitable_share_pct",
                 "call_offs", "awards", "awards_value_gbp",
                 "awards_sme_share_value_pct"]  # fmt: skip


def top_buyers(store: Store, filters: Filters, limit: int = TOP_BUYERS) -> pd.DataFrame:
    """The ``limit`` bodies with most processes advertised in view (:func:`by_body`)."""
    wanted = notice_filters(filters)
    table = by_body(notices_of_bodies(store, wanted), date_ranges(wanted))
    table = table[table["processes"] > 0]
    return table[BUYER_COLUMNS].head(limit).reset_index(drop=True)


def procurement_methods(store: Store, filters: Filters) -> pd.DataFrame:
    """Processes in view by procurement method (the OCDS codelist) and its details as
    published, most first, with their share of the processes (%)."""
    wanted = notice_filters(filters)
    processes = processes_in(notices_of_bodies(store, wanted), date_ranges(wanted))
    table = (
        pd.DataFrame(
            {
                "procurement_method": _text(processes["procurement_method"], NOT_STATED),
                "procurement_method_details": _text(
                    processes["procurement_method_details"], NOT_STATED
                ),
            }
        )
        .value_counts()
        .rename("processes")
        .reset_index()
    )
    table = table.sort_values(
        ["processes", "procurement_method", "procurement_method_details"],
        ascending=[False, True, True], ignore_index=True,
    )  # fmt: skip
    table["processes_share_pct"] = 100 * table["processes"] / len(processes)
    return table


def lead_times(store: Store, filters: Filters) -> pd.DataFrame:
    """Processes first tendered in view by lead time from their planning or early
    engagement notice (:data:`LEAD_TIME_BANDS`), those with none first; share of the
    tendered processes (%). No rows when nothing was tendered."""
    wanted = notice_filters(filters)
    tendered = tendered_in(notices_of_bodies(store, wanted), date_ranges(wanted))
    if tendered.empty:
        return pd.DataFrame(columns=["lead_time", "processes", "processes_share_pct"])
    days = tendered["lead_time_days"]
    rows = [(NO_PLANNING, int(days.isna().sum()))]
    for first, after, label in LEAD_TIME_BANDS:
        inside = days.ge(first) & (days.lt(after) if after is not None else True)
        rows.append((label, int(inside.sum())))
    table = pd.DataFrame(rows, columns=["lead_time", "processes"])
    table["processes_share_pct"] = 100 * table["processes"] / len(tendered)
    return table


def call_offs_by_framework(store: Store, filters: Filters) -> pd.DataFrame:
    """Processes in view called off from a framework agreement, by the framework named
    (iteration where named; ``(not named)`` otherwise), most first."""
    named = opportunity_headline(store, filters).call_offs_by_framework
    table = pd.DataFrame(list(named.items()), columns=["framework_named", "processes"])
    return table.sort_values(["processes", "framework_named"], ascending=[False, True],
                             ignore_index=True)  # fmt: skip


DEPARTMENT_COLUMNS = ["customer", "processes", "sme_suitable_share_pct", "call_offs", "awards",
                      "awards_value_gbp", "awards_sme_share_value_pct"]  # fmt: skip


def department_bodies(store: Store, filters: Filters) -> pd.DataFrame:
    """The chosen department's bodies with a notice or an award in view (:func:`by_body`);
    no rows without a department."""
    wanted = notice_filters(filters)
    if not wanted.name:
        return pd.DataFrame(columns=DEPARTMENT_COLUMNS)
    table = by_body(notices_of_bodies(store, wanted), date_ranges(wanted))
    return table[DEPARTMENT_COLUMNS]


STANDING_COLUMNS = ["standing", "counted", "awards", "awards_value_gbp", "awards_sme",
                    "standstill_over"]  # fmt: skip


def awards_as_they_stand(store: Store, filters: Filters) -> pd.DataFrame:
    """Awards first published in view by what they are as they stand: made (counted in
    every figure), and, shown apart and never counted, pending (in their standstill period,
    or intended direct awards), cancelled, unsuccessful, and not awards at all; with how many
    pending ones have a standstill period already over (no contract reported since)."""
    wanted = notice_filters(filters)
    awards = notices_of_bodies(store, wanted).awards
    awards = awards[awards["duplicate_of"].isna()]
    awards = awards[within(awards["published"], date_ranges(wanted)).to_numpy()]
    standing = awards["standing"].astype(object)
    today = pd.Timestamp.now().normalize()
    rows = []
    for code in codes("awards", "standing"):
        mine = awards[standing.eq(code).to_numpy()]
        if mine.empty and code != MADE:
            continue
        rows.append({"standing": code, "counted": "Yes" if code == MADE else "No",
                     "awards": len(mine), "awards_value_gbp": float(mine["value_gbp"].sum()),
                     "awards_sme": int(mine["size_group"].astype(object).eq(SME).sum()),
                     "standstill_over": int(mine["standstill_end"].lt(today).sum())
                     if code == PENDING else 0})  # fmt: skip
    return pd.DataFrame(rows, columns=STANDING_COLUMNS)
