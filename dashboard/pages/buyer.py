"""``/buyer?name=...``: one customer body (by name, a spelling it was published under, its URN
or its body key): its spend through the frameworks in view, its suppliers, what is known of
it, and its peers, including those that never bought."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import pandas as pd
import plotly.graph_objects as go
from dash import html

from dashboard.analytics import buyers, spend
from dashboard.analytics.clicks import CARRIED, PERIOD, Click
from dashboard.analytics.filters import Filters, describe
from dashboard.analytics.held_periods import NOTICES, SPEND
from dashboard.analytics.opportunities import buyer_notice_filters, buyer_opportunities
from dashboard.analytics.search import search
from dashboard.analytics.searchable import BUYERS
from dashboard.analytics.store import Store
from dashboard.analytics.timeline import every_period, periods_in_view
from dashboard.pages.common import (
    Page,
    description,
    lot_keys,
    lot_labels,
    sections,
    subject_tools,
)
from dashboard.pages.notice_views import NoticeView, opportunities_section
from dashboard.ui import figures
from dashboard.ui.formatting import format_count, format_money, format_share
from dashboard.ui.links import body_href
from dashboard.ui.sections import did_you_mean, kpi_row, name_search, summary_list
from dashboard.ui.view import View

BUYER_TOTAL = "buyer-total-spend"
BUYER_FIRST = "buyer-first-purchase"
BUYER_SUPPLIERS = "buyer-suppliers"
BUYER_SME_VALUE = "buyer-sme-share-value"
BUYER_PEERS = "buyer-peers"
BUYER_OPP = {"notices": "buyer-opp-processes", "sme_suitable_share": "buyer-opp-sme-suitable",
             "awards": "buyer-opp-awards", "awards_sme_share_value": "buyer-opp-sme-value",
             "call_offs": "buyer-opp-call-offs"}  # fmt: skip
TOP_BUYERS = 25
SUGGESTIONS = 5


def _key(store: Store, filters: Filters) -> str | None:
    return buyers.buyer_key(store, filters.name)


def _of_buyer(build: Callable[[Store, Filters, str], pd.DataFrame]):
    """A view's table builder for the buyer the page names (empty without one)."""

    def table(store: Store, filters: Filters) -> pd.DataFrame:
        key = _key(store, filters)
        return pd.DataFrame() if key is None else build(store, filters, key)

    return table


def _by_period(store: Store, filters: Filters, key: str) -> pd.DataFrame:
    shown_by = filters.shown_by
    lines = store.filtered(replace(filters, customer=(key,)), "spend", months=filters.by_months)
    table = every_period(spend.spend_by_period(lines, shown_by),
                         periods_in_view(store, filters, shown_by))  # fmt: skip
    return table[["period", "total_gbp"]].set_axis(["period", "spend_gbp"], axis=1)


def _by_period_figure(table: pd.DataFrame, title: str, filters: Filters) -> go.Figure:
    return figures.bars(table["period"], table["spend_gbp"], title, "Spend (£)")


def _by_lot(store: Store, filters: Filters, key: str) -> pd.DataFrame:
    return spend.spend_by_framework(store.filtered(replace(filters, customer=(key,)), "spend"))


def _lot_figure(table: pd.DataFrame, title: str, filters: Filters) -> go.Figure:
    return figures.horizontal_bars(lot_labels(table), table["spend_gbp"], title,
                                   keys=lot_keys(table))  # fmt: skip


VIEWS = (
    View("buyer-by-year", "Buyer's spend", _of_buyer(_by_period), _by_period_figure,
         by_period=True, click=Click(point=PERIOD)),
    View("buyer-by-lot", "Buyer's spend by framework, iteration and lot", _of_buyer(_by_lot),
         _lot_figure, click=Click(point=CARRIED)),
    View("buyer-suppliers", "Buyer's suppliers", _of_buyer(buyers.buyer_suppliers)),
    View("buyer-peers", "Buyer's peers by spend (peers that never bought last)",
         _of_buyer(buyers.peers)),
    View("buyer-names", "Names the buyer was published under (in every release loaded)",
         _of_buyer(lambda store, filters, key: buyers.published_names(store, key))),
)  # fmt: skip


@dataclass(frozen=True)
class BuyerNoticeView(NoticeView):
    """A view of one buyer's notices: they answer the period only (the buyer is chosen by
    the page, whatever the buyer group, sector or customer filters of the link)."""

    def title(self, filters: Filters) -> str:
        """The heading, naming only the period notices were counted in."""
        return View.title(self, buyer_notice_filters(filters))


def _processes(store: Store, filters: Filters, key: str) -> pd.DataFrame:
    return buyer_opportunities(store, filters, key).processes


OPPORTUNITIES = BuyerNoticeView(
    "buyer-opportunities",
    "Buyer's procurement processes with a published notice",
    _of_buyer(_processes),
)


def _opportunities(store: Store, filters: Filters, key: str) -> list:
    figures_ = buyer_opportunities(store, filters, key).figures
    return opportunities_section(store, filters, OPPORTUNITIES, BUYER_OPP, figures_,
                                 whose="this body")  # fmt: skip


def _facts(store: Store, filters: Filters, key: str) -> html.Dl:
    facts = buyers.buyer_facts(store, key)
    department = facts["department"]
    link = body_href("department", department, filters) if department else None
    return summary_list([
        ("Sector", facts["sector"]),
        ("Buyer group", facts["buyer_group"]),
        ("Organisation type", facts["organisation_type"]),
        ("Region", facts["region"]),
        ("County", facts["county"]),
        ("Part of department",
         html.A(department, href=link, className="govuk-link") if link else ""),
        ("Now part of", _now_part_of(store, filters, facts)),
        ("CCS customer URN", facts["urn"]),
    ])  # fmt: skip


def _now_part_of(store: Store, filters: Filters, facts: dict[str, str]) -> list | str:
    """The bodies a closed buyer is now part of (each a link when it bought in the store),
    and since when: its own spend stays its own."""
    if not facts["now_part_of"]:
        return ""
    parts: list = []
    for title in facts["now_part_of"].split("; "):
        found = buyers.buyer_key(store, title)
        parts += [", "] if parts else []
        parts.append(html.A(title, href=body_href("customer", title, filters),
                            className="govuk-link") if found else title)  # fmt: skip
    closed = facts["closed"]
    return [*parts, f" (closed {closed}; its spend is shown as its own)" if closed
            else " (its spend is shown as its own)"]  # fmt: skip


def _headlines(store: Store, filters: Filters, key: str) -> html.Div:
    figures_ = buyers.buyer_headline(store, filters, key)
    peers = (
        f"{figures_['peers_buying']:,} of {figures_['peers_eligible']:,}"
        if figures_["peers_eligible"] is not None else "–"
    )  # fmt: skip
    rank = f"; this body ranks {figures_['peers_rank']:,}" if figures_["peers_rank"] else ""
    return kpi_row([
        (BUYER_TOTAL, "Spend through the frameworks", format_money(figures_["spend_gbp"])),
        (BUYER_FIRST, "First purchase", figures_["first_purchase"] or "–",
         "through the frameworks in view"),
        (BUYER_SUPPLIERS, "Suppliers", format_count(figures_["suppliers"])),
        (BUYER_SME_VALUE, "SME share by value", format_share(figures_["sme_share_value"])),
        (BUYER_PEERS, "Peers buying", peers,
         f"{figures_['peers_label']} in the customer list{rank}" if figures_["peers_label"]
         else "not in the customer list"),
    ])  # fmt: skip


def _index(store: Store, filters: Filters) -> list:
    """No buyer named (or none found): the largest buyers in view, each a link."""
    lines = store.filtered(replace(filters, customer=()), "customer")
    largest = buyers.spend_by_body(lines).nlargest(TOP_BUYERS)
    names = store.body_index.display_names("customer")
    content: list = [
        html.H1("Buyers", className="govuk-heading-l"),
        name_search("/buyer", "Find a buyer", filters,
                    "A name as published, a spelling of it, or a customer URN"),
    ]  # fmt: skip
    if filters.name:
        hits = search(store, filters.name, SUGGESTIONS, kinds=(BUYERS.name,))
        links = [(hit.entry.name, body_href("customer", hit.entry.name, filters))
                 for hit in hits]  # fmt: skip
        content.append(did_you_mean("buyer", filters.name, links))
    content += [
        html.P(f"The largest buyers, {describe(filters)}. Each has a page: its spend, its "
               "suppliers and its peers.", className="govuk-body"),
        html.Ul([html.Li([html.A(names.get(k, k), className="govuk-link",
                                 href=body_href("customer", names.get(k, k), filters)),
                          f" – {format_money(v)}"]) for k, v in largest.items()],
                className="govuk-list app-department-list"),
    ]  # fmt: skip
    return content


def build(store: Store, filters: Filters) -> list:
    """``/buyer?name=...``: one buyer's profile, or the largest buyers to choose from."""
    key = _key(store, filters)
    if key is None:
        return _index(store, filters)
    name = buyers.buyer_facts(store, key)["name"]
    return [
        html.H1(name, className="govuk-heading-l"),
        description(f"Buyer profile: spend through the frameworks, {describe(filters)}."),
        subject_tools(("buyer", name), "/buyer", filters),
        _headlines(store, filters, key),
        _facts(store, filters, key),
        *_opportunities(store, filters, key),
        *sections(store, filters, VIEWS),
    ]


def _tab_title(store: Store, filters: Filters) -> str | None:
    key = _key(store, filters)
    return None if key is None else buyers.buyer_facts(store, key)["name"]


PAGE = Page(
    "/buyer",
    "Buyer",
    "Buyers",
    build,
    views=(*VIEWS, OPPORTUNITIES),
    kinds=(SPEND, NOTICES),
    tab_title=_tab_title,
)
