"""``/sme-bids``: SME bids against SME wins: the share of bids (final-stage bids under the
Procurement Act, all bids under the 2015 regulations, applications to Digital Outcomes and
Specialists opportunities) that came from SMEs, beside the share of awards and of awarded
value that SMEs won; by framework, buyer group and department."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import partial

import pandas as pd
import plotly.graph_objects as go
from dash import html

from dashboard.analytics import sme_bids
from dashboard.analytics.filters import PARAM_BY_FIELD, Filters, describe
from dashboard.analytics.held_periods import BIDS
from dashboard.analytics.store import Store
from dashboard.pages.common import Page, description, sections
from dashboard.ui import figures
from dashboard.ui.formatting import format_count, format_money, format_share
from dashboard.ui.sections import kpi_row
from dashboard.ui.view import View

SLUGS = {sme_bids.FINAL_STAGE: "act", sme_bids.ALL_BIDS: "regs", sme_bids.APPLICATIONS: "dos"}
NOT_ANSWERED = ("lot", "sme", "supplier")  # filters these tables cannot answer
NO_BIDS = (
    "This store holds no bid statistics and no Digital Outcomes and Specialists opportunities. "
    "Load Find a Tender notices (contract award notices carry bids per lot) or the Digital "
    "Marketplace's opportunity-data.csv with python -m loaders ingest."
)
HOW = (
    "An award counts as won by SMEs when all its suppliers are SMEs; large, mixed and unknown "
    "awards are counted beside it, and shares are of all awards made (pending, cancelled and "
    "unsuccessful awards are never counted). The three measures are never added together: "
    "final-stage bids are those left at the last stage of a Procurement Act competition, per "
    "lot; 2015-regulations notices count every bid; the Digital Marketplace counts every "
    "application, one per supplier."
)
SOURCE_NOTE = (
    "Sources: Find a Tender contract award notices (bids.statistics) and the Digital "
    "Marketplace's export of Digital Outcomes and Specialists opportunities "
    "(opportunity-data.csv). SME: fewer than 250 staff and turnover or balance sheet under "
    "the thresholds each source states."
)


def _answered(filters: Filters) -> Filters:
    return replace(filters, **{field: () for field in NOT_ANSWERED})


@dataclass(frozen=True)
class BidsView(View):
    """A view of bids and wins: it answers the period, framework and buyer filters only,
    and its periods are those of the bids and applications published."""

    kind: str = BIDS

    def title(self, filters: Filters) -> str:
        """The heading, naming the filters that apply."""
        return super().title(_answered(filters))

    def table(self, store: Store, filters: Filters):
        """The table for the filters that apply (memoised)."""
        return super().table(store, _answered(filters))


def _shares_figure(table: pd.DataFrame, title: str, filters: Filters) -> go.Figure:
    series = {"sme_bid_share_pct": "Bids from SMEs (%)",
              "sme_award_share_pct": "Awards won by SMEs (%)",
              "sme_value_share_pct": "Awarded value won by SMEs (%)"}  # fmt: skip
    return figures.grouped_bars(table["measure"], table.fillna(0), series, title, "Share (%)")


SHARES = BidsView(
    "bids-sme-shares",
    "SME share of bids against SME share of awards",
    sme_bids.sme_bids_and_wins,
    _shares_figure,
)
BY_FRAMEWORK = BidsView(
    "bids-by-framework", "SME bids and wins by framework",
    partial(sme_bids.sme_bids_and_wins, by="framework"),
)  # fmt: skip
BY_BUYER_GROUP = BidsView(
    "bids-by-buyer-group", "SME bids and wins by buyer group",
    partial(sme_bids.sme_bids_and_wins, by="buyer_group"),
)  # fmt: skip
BY_DEPARTMENT = BidsView(
    "bids-by-department", "SME bids and wins by department",
    partial(sme_bids.sme_bids_and_wins, by="department"),
)  # fmt: skip
VIEWS = (SHARES, BY_FRAMEWORK, BY_BUYER_GROUP, BY_DEPARTMENT)


def measure_items(figures_: sme_bids.MeasureFigures) -> list[tuple]:
    """One measure's headline figures (ids ``bids-<measure>-...``)."""
    f, slug = figures_, SLUGS[figures_.measure]
    noun = "applications" if f.measure == sme_bids.APPLICATIONS else "bids"
    return [
        (f"bids-{slug}-sme-share", f"{f.measure}: from SMEs", format_share(f.sme_bid_share),
         f"{format_count(f.sme_bids)} of {format_count(f.bids)} {noun}"),
        (f"bids-{slug}-awards", "Awards made: SME / large / other",
         f"{format_count(f.awards_sme)} / {format_count(f.awards_large)} / "
         f"{format_count(f.awards_other)}", f"{format_count(f.awards)} awards made"),
        (f"bids-{slug}-sme-value", "Share of awarded value won by SMEs",
         format_share(f.sme_value_share),
         f"{format_money(f.sme_value_gbp)} of {format_money(f.awarded_value_gbp)}"),
        (f"bids-{slug}-single", "Competitions with a single bid or applicant",
         format_count(f.single_applicant), None),
    ]  # fmt: skip


def _not_answered_note(filters: Filters) -> html.P | None:
    names = [PARAM_BY_FIELD[f].url for f in NOT_ANSWERED if getattr(filters, f)]
    if not names:
        return None
    return html.P(f"The {', '.join(names)} filter(s) of this link do not apply to bids and "
                  "awards: every bid and award of the bodies in view is counted.",
                  className="govuk-inset-text app-note")  # fmt: skip


def build(store: Store, filters: Filters) -> list:
    """``/sme-bids``: headline figures per measure, then the shares by framework, buyer group
    and department."""
    intro = [
        html.H1("SME bids against SME wins", className="govuk-heading-l"),
        description(f"Showing {describe(_answered(filters))}."),
        html.P(HOW, className="govuk-body"),
    ]
    note = _not_answered_note(filters)
    if note is not None:
        intro.append(note)
    if not sme_bids.has_bids(store):
        return [*intro, html.P(NO_BIDS, className="govuk-body")]
    rows = [kpi_row(measure_items(f)) for f in sme_bids.headline(store, _answered(filters))]
    return [
        *intro,
        *rows,
        *sections(store, filters, VIEWS),
        html.P(SOURCE_NOTE, className="govuk-body-s app-note"),
    ]


PAGE = Page("/sme-bids", "SME bids and wins", "SME bids", build, views=VIEWS, kinds=(BIDS,))
