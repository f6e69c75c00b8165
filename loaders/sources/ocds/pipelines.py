"""Pipelines: the planned procurements buyers announced, and what became of each.

A **pipeline notice** (Procurement Act 2023, notice type ``UK1``; Find a Tender) is one
release per planned procurement, each with its own ocid: a buyer's pipeline is the set of
its UK1 notices of a financial year. Older notices have no pipeline notice; a planning
notice whose tender is ``planned`` (Contracts Finder's future opportunities) is the nearest
thing, and is tabled beside them as a **planned procurement**. For each (one row of the
``pipeline`` table):

- **when**: its first pipeline notice, the financial year of that date, and whether it came
  within the year's pipeline window (1 April to 26 May: ``pipeline_duty.csv``; UK1 only);
- **what**: the value ex VAT and gross, and the date of the next notice it expected, as
  first published; the latest of both after any edits (later pipeline notices of the same
  ocid) and how many edits;
- **how far ahead**: days from the first pipeline notice to the date it expected;
- **what followed** on the same ocid (later notices only): each notice type with the days
  after the first pipeline notice (``UK2 after 39 days``), the first of them, the tender
  (a UK4 tender or UK5 transparency notice; a tender notice for older notices) and how it
  compared with the date expected; or its **withdrawal** (a UK12 procurement termination,
  or a tender status withdrawn or cancelled).

Days are calendar days between UK dates.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from loaders.catalogue import CANONICAL, codes
from loaders.core import periods
from loaders.sources.ocds.classify import OcdsVocabulary, stages_of_tags
from loaders.sources.ocds.notice_rules import NoticeRules

PIPELINE_NOTICE, PLANNED_PROCUREMENT = codes("pipeline", "pipeline_kind")
PLANNED = "planned"
ENDED = ("withdrawn", "cancelled")
TENDER = "tender"
BUYER = ["title", "buyer_name", "customer", "customer_key", "sector", "buyer_group",
         "department"]  # fmt: skip
JOIN = "; "


def _days(later: object, earlier: object) -> float:
    if pd.isna(later) or pd.isna(earlier):
        return float("nan")
    return float((pd.Timestamp(later).normalize() - pd.Timestamp(earlier).normalize()).days)


def _role(release: pd.Series, rules: NoticeRules) -> str:
    kind = rules.notice_types.get(release["notice_type"]) if release["notice_type"] else None
    return kind.pipeline_role if kind else ""


def _older_role(release: pd.Series, vocab: OcdsVocabulary) -> str:
    """A release without a notice type: ``pipeline`` for a planning notice of a planned
    tender, ``withdrawal`` when the tender ended, ``tender`` for a tender notice."""
    if release["tender_status"] in ENDED:
        return "withdrawal"
    stages = stages_of_tags(str(release["tags"] or "").split(JOIN), vocab)
    if "planning" in stages and release["tender_status"] == PLANNED:
        return "pipeline"
    return "tender" if TENDER in stages else ""


def _on_time(date: pd.Timestamp, rules: NoticeRules) -> bool:
    start_year = periods.fy_start_year(periods.financial_year_of(date))
    first = pd.Timestamp(f"{start_year}-{rules.pipeline_duty['first_day']}")
    last = pd.Timestamp(f"{start_year}-{rules.pipeline_duty['last_day']}")
    return bool(first <= date.normalize() <= last)


def _follow_ups(later: pd.DataFrame, first: pd.Timestamp) -> tuple[list[str], pd.Series | None]:
    """``UK2 after 39 days``... (the first release of each type), and the tender release."""
    words, tender, seen = [], None, set()
    for _, release in later.iterrows():
        label = release["label"]
        if release["role"] not in ("follow-up", "tender") or label in seen:
            continue
        seen.add(label)
        words.append(f"{label} after {_days(release['date'], first):.0f} days")
        if tender is None and release["role"] == "tender":
            tender = release
    return words, tender


def _row(history: pd.DataFrame, kind: str, rules: NoticeRules) -> dict[str, Any]:
    pipeline = history[history["role"].eq("pipeline")]
    first, latest = pipeline.iloc[0], pipeline.iloc[-1]
    start = first["date"]
    later = history.iloc[history.index.get_loc(first.name) + 1 :]
    later = later[later["role"].ne("pipeline")]
    ended = later[later["role"].eq("withdrawal")]
    words, tender = _follow_ups(later, start)
    chosen = later[later["role"].isin(["follow-up", "tender"])]
    return {
        "ocid": first["ocid"],
        "platform": first["platform"],
        "pipeline_kind": kind,
        "notice_id": first["release_id"],
        "first_published": start,
        "financial_year": periods.financial_year_of(start),
        "on_time": _on_time(start, rules) if kind == PIPELINE_NOTICE else None,
        "value_gbp": first["value_gbp"],
        "value_gross_gbp": first["value_gross_gbp"],
        "future_notice_date": first["future_notice_date"],
        "lead_days": _days(first["future_notice_date"], start),
        "edits": len(pipeline) - 1,
        "latest_value_gbp": latest["value_gbp"],
        "latest_future_notice_date": latest["future_notice_date"],
        "withdrawn": not ended.empty,
        "withdrawn_date": ended["date"].iloc[0] if not ended.empty else pd.NaT,
        "follow_ups": JOIN.join(words) or None,
        "first_follow_up": chosen["label"].iloc[0] if not chosen.empty else None,
        "days_to_first_follow_up": _days(chosen["date"].iloc[0], start) if not chosen.empty
        else float("nan"),
        "tender_date": tender["date"] if tender is not None else pd.NaT,
        "days_to_tender": _days(tender["date"], start) if tender is not None else float("nan"),
        "tender_vs_expected_days": _days(tender["date"], first["future_notice_date"])
        if tender is not None else float("nan"),
    }  # fmt: skip


def _roles(releases: pd.DataFrame, rules: NoticeRules, vocab: OcdsVocabulary) -> pd.DataFrame:
    """Loaded releases with their part in a pipeline (``role``) and how a follow-up is named
    (``label``: its notice type, else ``tender``)."""
    frame = releases.astype({"notice_type": object, "tender_status": object, "tags": object})
    frame = frame.astype({"platform": object})
    typed = frame["notice_type"].notna()
    role = pd.Series("", index=frame.index, dtype=object)
    role[typed] = frame[typed].apply(_role, axis=1, rules=rules) if typed.any() else role[typed]
    older = ~typed
    if older.any():
        role[older] = frame[older].apply(_older_role, axis=1, vocab=vocab)
    withdrawn = typed & frame["tender_status"].isin(ENDED) & role.ne("pipeline")
    role[withdrawn] = "withdrawal"
    frame["role"] = role
    frame["label"] = frame["notice_type"].where(typed, TENDER)
    frame["kind"] = typed.map({True: PIPELINE_NOTICE, False: PLANNED_PROCUREMENT})
    return frame


def pipeline_table(
    releases: pd.DataFrame, notices: pd.DataFrame, rules: NoticeRules, vocab: OcdsVocabulary
) -> pd.DataFrame:
    """The ``pipeline`` table (see the module docstring) from the loaded ``releases`` (the
    ``ocds_releases`` table, UK local dates) and the ``notices`` table (buyer and title)."""
    loaded = releases[releases["status"].astype(object).eq("loaded")]
    frame = _roles(loaded, rules, vocab)
    announced = frame.loc[frame["role"].eq("pipeline"), "ocid"].unique()
    frame = frame[frame["ocid"].isin(announced)].sort_values(["ocid", "date"], kind="stable")
    rows = []
    for _, history in frame.groupby("ocid", sort=True):
        kinds = history.loc[history["role"].eq("pipeline"), "kind"]
        kind = PIPELINE_NOTICE if kinds.eq(PIPELINE_NOTICE).any() else PLANNED_PROCUREMENT
        if kind == PIPELINE_NOTICE:  # an older planning notice on the same ocid is no UK1
            keep = history["kind"].eq(kind) | history["role"].ne("pipeline")
            history = history.assign(role=history["role"].where(keep, ""))
        rows.append(_row(history, kind, rules))
    if not rows:
        return CANONICAL["pipeline"].empty()
    table = pd.DataFrame(rows)
    buyer = notices.set_index("ocid")[BUYER].astype(object)
    table = table.join(buyer, on="ocid")
    return CANONICAL["pipeline"].typed(table, strict=False)
