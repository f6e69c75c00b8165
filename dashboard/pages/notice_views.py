"""What pages showing notices (every platform) share: views that answer only the filters
notices have, the words for the filters they cannot answer, and headline figures.

Page modules import this module, never each other.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
from dash import html

from dashboard.analytics.filters import Filters
from dashboard.analytics.held_periods import NOTICES, none_held_note
from dashboard.analytics.notice_figures import OpportunityFigures
from dashboard.analytics.opportunities import (
    advertisers,
    has_notices,
    notice_filters,
    opportunity_headline,
    platforms_words,
    spend_only_filters,
)
from dashboard.analytics.store import Store
from dashboard.ui.formatting import format_count, format_money, format_share
from dashboard.ui.sections import download_buttons, kpi_row
from dashboard.ui.tables import data_table
from dashboard.ui.view import View

NO_NOTICES = "No notices match these filters"
SOURCE_NOTE = (
    "Source: notices of Contracts Finder and of the other platforms loaded (Open Contracting "
    "Data Standard releases), compiled per procurement process; a procurement published on "
    "several platforms counts once. A process is in the period when one of its notices was "
    "published in it; an award when the notice first carrying it was; a tender when its first "
    "tender notice was. Only awards made count: pending awards (in their standstill period or "
    "intended direct awards), cancelled and unsuccessful ones never do. Awards to SMEs only "
    "count as SME: Mixed (SME and large suppliers) and Unknown (no supplier's size given) are "
    "shown beside them."
)


@dataclass(frozen=True)
class NoticeView(View):
    """A view of notices: its table, title and figure answer only the filters notices have
    (period, buyer group, sector, customer, department), so a link or a download that also
    carries spend-only filters (framework, lot, supplier size, supplier) shows and says
    exactly what was counted."""

    kind: str = NOTICES

    def title(self, filters: Filters) -> str:
        """The heading, naming the filters that apply to notices (and the department)."""
        title = super().title(notice_filters(filters))
        if filters.name and self.uses_filters:
            title += f"; department: {filters.name}"
        return title

    def table(self, store: Store, filters: Filters):
        """The view's table for the filters that apply to notices (memoised)."""
        return super().table(store, notice_filters(filters))

    def figure(self, store: Store, filters: Filters) -> go.Figure | None:
        """The figure of the notices the filters choose, or a figure saying that none
        matches (or that the period holds no notice at all)."""
        return super().figure(store, notice_filters(filters))


def chart_text(labels: pd.Series) -> pd.Series:
    """Labels from notices as plotly draws them literally: plotly reads ``<b>``, ``<br>``
    and entities in chart text, so ``&``, ``<`` and ``>`` are written as entities (the data
    table beside the chart shows the text itself)."""
    return (
        labels.astype(str)
        .str.replace("&", "&amp;", regex=False)
        .str.replace("<", "&lt;", regex=False)
        .str.replace(">", "&gt;", regex=False)
    )


def spend_only_note(filters: Filters) -> html.P | None:
    """A line naming the filters of the link that notices cannot answer, if any."""
    names = spend_only_filters(filters)
    if not names:
        return None
    plural = len(names) > 1
    return html.P(
        f"The {', '.join(names)} filter{'s' if plural else ''} of this link "
        f"appl{'y' if plural else 'ies'} to spend only: the figures about notices count every "
        "notice of the bodies in view.",
        className="govuk-inset-text app-note",
    )


def median_days(days: float | None) -> str:
    """``67 days``, ``67.5 days``; ``–`` when there is none."""
    if days is None:
        return "–"
    return f"{days:,.1f} days" if days % 1 else f"{days:,.0f} days"


def size_groups_note(figures_: OpportunityFigures) -> str:
    """The awards of each size group, in words (none is ever hidden)."""
    groups = figures_.awards_by_size_group
    return "; ".join(f"{group}: {format_count(groups[group]['awards'])}" for group in groups)


COMPACT_LABELS = {
    "notices": "Processes",
    "sme_suitable_share": "Suitable for SMEs",
    "vcse_suitable_share": "Suitable for VCSEs",
    "awards": "Awards",
    "awards_sme_share_count": "Awards to SMEs only",
    "awards_sme_share_value": "Value to SMEs only",
    "call_offs": "Call-offs",
    "planning_share": "After a planning notice",
    "median_lead_time_days": "Median lead time",
}


def largest_counts(counts: dict[str, int], shown: int = 3) -> str:
    """``counts`` (label -> count) as text, largest first: the ``shown`` largest and any tied
    with the last of them, then how many others there are (``G-Cloud 12: 5; G-Cloud 13: 4;
    G-Cloud 14: 4; 2 others``)."""
    ordered = sorted(counts.items(), key=lambda item: -item[1])
    if len(ordered) > shown:
        floor = ordered[shown - 1][1]
        kept = [item for item in ordered if item[1] >= floor]
    else:
        kept = ordered
    text = "; ".join(f"{label}: {count}" for label, count in kept)
    others = len(ordered) - len(kept)
    return text + (f"; {others} other{'s' if others > 1 else ''}" if others else "")


def headline_items(
    figures_: OpportunityFigures, ids: dict[str, str], *, compact: bool = False
) -> list[tuple]:
    """Headline figures for :func:`dashboard.ui.sections.kpi_row`, for the figures named by
    ``ids`` (figure name -> element id: ``notices``, ``sme_suitable_share``, ``awards``,
    ``awards_sme_share_value``...), in that order; ``compact``: short labels, no notes."""
    f = figures_
    items = {
        "notices": ("Procurement processes with a notice", format_count(f.notices),
                    f"{format_count(f.planning_processes)} with a planning or early "
                    "engagement notice; each process once, however many periods its "
                    "notices fall in"),
        "sme_suitable_share": ("Marked suitable for SMEs", format_share(f.sme_suitable_share),
                               f"{format_count(f.sme_suitable)} of "
                               f"{format_count(f.suitability_stated)} stating suitability"),
        "vcse_suitable_share": ("Marked suitable for VCSEs",
                                format_share(f.vcse_suitable_share),
                                f"{format_count(f.vcse_suitable)} processes"),
        "awards": ("Awards", format_count(f.awards),
                   f"{format_money(f.awards_value_gbp)} awarded"),
        "awards_sme_share_count": ("Awards to SMEs only, share of awards",
                                   format_share(f.awards_sme_share_count), size_groups_note(f)),
        "awards_sme_share_value": ("Awards to SMEs only, share of awarded value",
                                   format_share(f.awards_sme_share_value),
                                   f"{format_money(f.awards_sme_value_gbp)} of "
                                   f"{format_money(f.awards_value_gbp)}"),
        "call_offs": ("Call-offs from a framework agreement", format_count(f.call_offs),
                      largest_counts(f.call_offs_by_framework) or None),
        "planning_share": ("Tenders preceded by a planning or early engagement notice",
                           format_share(f.planning_share),
                           f"{format_count(f.planning_preceded)} of {format_count(f.tendered)} "
                           "tendered"),
        "median_lead_time_days": ("Median lead time, planning notice to tender",
                                  median_days(f.median_lead_time_days),
                                  f"over {format_count(f.planning_preceded)} tenders"),
    }  # fmt: skip
    if compact:
        return [
            (element_id, COMPACT_LABELS[name], items[name][1]) for name, element_id in ids.items()
        ]
    return [(element_id, *items[name]) for name, element_id in ids.items()]


def _printed_summary(items: list[tuple], heading: str) -> html.P:
    """The section in one paragraph, printed in place of its heading, figures and table (a
    printed department year keeps to four pages)."""
    figures_text = "; ".join(f"{label}: {value}" for _, label, value in items)
    return html.P(
        [html.Strong(f"{heading}. "),
         f"{figures_text}. The table of its bodies is in the download."],
        className="govuk-body app-print-only",
    )  # fmt: skip


def opportunities_section(
    store: Store,
    filters: Filters,
    view: View,
    ids: dict[str, str],
    figures_: OpportunityFigures | None = None,
    whose: str = "these bodies",
) -> list[html.Section]:
    """A section on the notices (every platform) of a page's bodies: short headline figures
    named by ``ids`` (as :func:`headline_items`; ``figures_``, else those of the bodies in
    view), and ``view``'s table with its downloads (or a line saying that nothing of
    ``whose`` was published); on paper, the figures in one line. Nothing when the store
    holds no notice."""
    if not has_notices(store):
        return []
    heading = f"Opportunities advertised on {platforms_words(store)}"
    none_held = none_held_note(store, NOTICES, filters)
    if none_held:
        return [html.Section(
            [html.H2(heading,
                     className="govuk-heading-m app-section__title"),
             html.P(none_held, className="govuk-body app-none-held")],
            className="app-section", id=f"section-{view.id}",
        )]  # fmt: skip
    title = view.title(filters)
    if figures_ is None:
        figures_ = opportunity_headline(store, filters)
    items = headline_items(figures_, ids, compact=True)
    on_screen: list = [
        html.H2(heading, className="govuk-heading-m app-section__title"),
    ]  # fmt: skip
    note = spend_only_note(filters)
    if note is not None:
        on_screen.append(note)
    table, units = view.labelled(store, filters)
    on_screen.append(kpi_row(items))
    if table.empty:
        on_screen.append(
            html.P(f"No notice or award of {whose} was published in the period.",
                   className="govuk-body")
        )  # fmt: skip
    else:
        on_screen += [
            html.P(title, className="govuk-body govuk-!-font-weight-bold"),
            data_table(table, title, units),
            download_buttons(view.id, view.name),
        ]
    children = [html.Div(on_screen, className="app-print-omit"), _printed_summary(items, heading)]
    if note is not None:
        children.append(html.Div(spend_only_note(filters), className="app-print-only"))
    return [html.Section(children, className="app-section", id=f"section-{view.id}")]


def advertisers_items(store: Store, filters: Filters, element_id: str) -> list[tuple]:
    """The overview's headline figure: how many of the buyers in view advertised on
    a notice platform in the period (none when the store holds no notice)."""
    if not has_notices(store):
        return []
    label = f"Buyers that advertised on {platforms_words(store)}"
    none_held = none_held_note(store, NOTICES, filters)
    if none_held:
        return [(element_id, label, "–", none_held)]
    found = advertisers(store, filters)
    return [
        (element_id, label, format_count(found.advertised),
         f"of {format_count(found.buyers)} buyers in view; {format_count(found.advertisers)} "
         "bodies advertised in all"),
    ]  # fmt: skip
