"""``/data-quality``: the load report, quarantined rows, revisions between releases,
unclassified spend, and every published name resolved to a body."""

from __future__ import annotations

import pandas as pd
from dash import html

from dashboard.analytics.filters import Filters
from dashboard.analytics.spend import UNKNOWN_SECTOR
from dashboard.analytics.store import Store
from dashboard.pages.common import Page, sections
from dashboard.ui.formatting import format_count, format_money
from dashboard.ui.view import View

# Least certain first: the names an analyst should check.
METHOD_ORDER = {"fuzzy_list": 0, "override": 1, "exact_list": 2, "urn": 3, "name_key": 4}


def _files(store: Store, filters: Filters) -> pd.DataFrame:
    rows = [
        {
            "file": f["file"],
            "layout": f["layout"],
            "release": f["release"],
            "months": f"{f['months']['first']} to {f['months']['last']}",
            **{
                key: f[key]
                for key in (
                    "rows_read",
                    "rows_loaded",
                    "rows_superseded",
                    "rows_quarantined",
                    "spend_read_gbp",
                    "spend_loaded_gbp",
                    "spend_superseded_gbp",
                    "spend_quarantined_gbp",
                )
            },  # fmt: skip
            "reconciles": "Yes" if f["reconciles"] else "No",
        }
        for f in store.report["files"]
    ]
    return pd.DataFrame(rows)


def _quarantine_reasons(store: Store, filters: Filters) -> pd.DataFrame:
    rows = [
        {"file": f["file"], "reason": reason, "rows": seen["rows"], "spend_gbp": seen["spend_gbp"]}
        for f in store.report["files"]
        for reason, seen in f["quarantined_by_reason"].items()
    ]
    return pd.DataFrame(rows, columns=["file", "reason", "rows", "spend_gbp"])


def _revisions(store: Store, filters: Filters) -> pd.DataFrame:
    table = store.revisions.copy()
    table["month"] = pd.to_datetime(table["month"]).dt.strftime("%Y-%m")
    table = table.sort_values("change_gbp", key=lambda s: s.abs(), ascending=False)
    return table.reset_index(drop=True)


def _unclassified(store: Store, filters: Filters) -> pd.DataFrame:
    bodies = store.table("customer_fy")
    unclassified = store.vocab.buyer_group("unclassified").name
    chosen = bodies[bodies["buyer_group"].astype(object) == unclassified]
    return (
        chosen.assign(sector=chosen["sector"].astype(object).fillna(UNKNOWN_SECTOR))
        .groupby(["customer", "sector"], observed=True)
        .agg(spend_gbp=("spend_gbp", "sum"), rows=("transactions", "sum"))
        .reset_index()
        .sort_values("spend_gbp", ascending=False, ignore_index=True)
    )


def _matches(store: Store, filters: Filters) -> pd.DataFrame:
    """Every published name and the body it was resolved to, least certain first."""
    table = store.matches
    if table.empty:
        return pd.DataFrame()
    order = table["method"].astype(str).map(METHOD_ORDER).fillna(9)
    table = table.assign(order=order).sort_values(
        ["order", "score", "spend_gbp"], ascending=[True, True, False]
    )
    return table.drop(columns="order").reset_index(drop=True)


VIEWS = (
    View("files", "Files loaded", _files, uses_filters=False),
    View("quarantine", "Quarantined rows by reason", _quarantine_reasons, uses_filters=False),
    View("revisions", "Revisions between releases", _revisions, uses_filters=False),
    View("unclassified", "Unclassified spend by customer", _unclassified, uses_filters=False),
    View("matches", "Names resolved to bodies (least certain first)", _matches,
         uses_filters=False),
)  # fmt: skip


def build(store: Store, filters: Filters) -> list:
    """``/data-quality``: the load report, quarantine, revisions and unclassified spend."""
    totals = store.report["totals"]
    verdict = "Every file reconciles to the penny" if totals["reconciles"] else (
        "Some files do not reconcile: see the table below"
    )  # fmt: skip
    return [
        html.H1("Data quality", className="govuk-heading-l"),
        html.P(
            f"{verdict}: spend read = loaded + superseded by newer releases + quarantined. "
            f"{format_count(totals['rows_loaded'])} rows loaded "
            f"({format_money(totals['spend_loaded_gbp'])}), "
            f"{format_count(totals['rows_superseded'])} superseded, "
            f"{format_count(totals['rows_quarantined'])} quarantined.",
            className="govuk-body-l",
            id="quality-summary",
        ),
        *sections(store, filters, VIEWS),
    ]


PAGE = Page("/data-quality", "Data quality", "Data quality", build, views=VIEWS,
            uses_filters=False)  # fmt: skip
