"""``/data-quality``: where every row and pound went, each file's own Total row as a check,
what each reading rule did per file, versions of releases, identifiers not trusted, date
orders, what the latest update changed,
revisions between releases (and their triangle), unclassified spend, and every published
name resolved to a body."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go
from dash import html

from dashboard.analytics import quality
from dashboard.analytics.filters import Filters
from dashboard.analytics.store import Store
from dashboard.pages.common import Page, sections
from dashboard.store_download import PATHS, download_name, store_version
from dashboard.ui import figures
from dashboard.ui.formatting import format_count, format_money
from dashboard.ui.view import View
from loaders.changes import describe_changes

TRIANGLE_LINES = 4  # releases drawn in the revisions chart (the table has more)


def _of_store(build: Callable[[Store], pd.DataFrame]) -> Callable[[Store, Filters], pd.DataFrame]:
    return lambda store, filters: build(store)


def _triangle_figure(table: pd.DataFrame, title: str, filters: Filters) -> go.Figure:
    """Each month's total in the latest releases (at most :data:`TRIANGLE_LINES`) that
    published months more than one release published (of the framework with most of them),
    one line per release, over the latest two years of the months those releases published:
    how each month was revised as late returns arrived. Months are on a time axis, so a gap
    between releases shows as one."""
    columns = [c for c in table.columns if c.startswith("in_")]
    revised = table[table[columns].notna().sum(axis=1) > 1]
    shown = revised if not revised.empty else table
    framework = shown["framework"].mode().iloc[0]
    rows = shown[shown["framework"] == framework]
    drawn = [c for c in columns if rows[c].notna().any()][-TRIANGLE_LINES:]
    recent = rows[rows[drawn].notna().any(axis=1)].head(24).iloc[::-1]
    series = {c.removeprefix("in_").removesuffix("_gbp"): recent[c] for c in drawn}
    return figures.money_lines(recent["month"], series, f"{title} ({framework})", months=True)


VIEWS = (
    View("files", "Files loaded", _of_store(quality.files), uses_filters=False),
    View("file-checks", "Each file's own Total row against its rows",
         _of_store(quality.file_checks), uses_filters=False),
    View("rules-applied", "What each reading rule did, per file",
         _of_store(quality.rules_applied), uses_filters=False),
    View("release-versions", "Versions and parts of releases",
         _of_store(quality.release_versions), uses_filters=False),
    View("quarantine", "Quarantined rows by reason", _of_store(quality.quarantine_reasons),
         uses_filters=False),
    View("untrusted-identifiers", "Identifiers not trusted (their rows resolved by name)",
         _of_store(quality.untrusted_identifiers), uses_filters=False),
    View("date-orders", "Date columns read by their layout's order",
         _of_store(quality.date_orders), uses_filters=False),
    View("latest-changes", "Months the latest update revised", _of_store(quality.latest_changes),
         uses_filters=False),
    View("revisions-triangle", "Each month's total in every release that published it",
         _of_store(quality.revisions_triangle), _triangle_figure, uses_filters=False),
    View("revisions", "Revisions between releases", _of_store(quality.revisions),
         uses_filters=False),
    View("unclassified", "Unclassified spend by customer", _of_store(quality.unclassified),
         uses_filters=False),
    View("matches", "Names resolved to bodies (least certain first)", _of_store(quality.matches),
         uses_filters=False),
)  # fmt: skip


def _changes(store: Store) -> list:
    """What the latest ``python -m loaders update`` changed, in words (when one ran)."""
    if store.changes is None:
        return []
    lines = describe_changes(store.changes).splitlines()
    return [
        html.H2("What changed in the latest update", className="govuk-heading-m"),
        html.P(
            f"Update of {store.changes.get('generated_at', 'unknown date')}.",
            className="govuk-body-s",
        ),  # fmt: skip
        html.Pre("\n".join(lines), className="govuk-body-s app-changes"),
    ]


def _whole_store(store: Store) -> html.Section:
    """Links to the whole store as Parquet and as CSV (separate requests: the page carries
    no rows), named and stamped with the store's version."""
    version = store_version(store)
    links = [
        html.Li(html.A(f"Download the whole store as {label} (zip)", href=PATHS[fmt],
                       className="govuk-link", download=download_name(store, fmt)))
        for fmt, label in (("parquet", "Parquet"), ("csv", "CSV"))
    ]  # fmt: skip
    return html.Section(
        [
            html.H2("The whole store", className="govuk-heading-m app-section__title"),
            html.P(
                f"Every table behind these pages, with the load report and the column "
                f"meanings: data as at {version.data_as_at}, store format "
                f"{version.store_format}, version {version.fingerprint}"
                + (" (synthetic sample data)" if version.synthetic else "")
                + ". The file names carry the version, so a figure can be cited with it.",
                className="govuk-body",
            ),
            html.Ul(links, className="govuk-list"),
        ],
        className="app-section app-print-omit",
        id="section-whole-store",
    )


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
            f"{format_count(totals['rows_quarantined'])} quarantined. A file's own Total "
            "row is a check on the file, not spend.",
            className="govuk-body-l",
            id="quality-summary",
        ),
        *_changes(store),
        _whole_store(store),
        *sections(store, filters, VIEWS),
    ]


PAGE = Page("/data-quality", "Data quality", "Data quality", build, views=VIEWS,
            uses_filters=False)  # fmt: skip
