"""``/places``: adoption by region and by combined authority (metro mayors champion it in
their area), and a hex map of principal councils coloured by whether they bought in the
period, with the same data as a table. ``?region=`` and ``?combined_authority=`` choose an
area; its bodies are listed with their status."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import plotly.graph_objects as go
from dash import html

from dashboard.analytics import registers
from dashboard.analytics.filters import Filters, describe
from dashboard.analytics.store import Store
from dashboard.pages.common import Page, description, sections, subject_tools
from dashboard.ui import figures
from dashboard.ui.sections import choice_links
from dashboard.ui.view import View
from loaders.bodies.registers.areas import AREA_KINDS

AREA_SHOWN = 60


def _regions(store: Store, filters: Filters) -> pd.DataFrame:
    return registers.areas(store, filters, "region")


def _authorities(store: Store, filters: Filters) -> pd.DataFrame:
    return registers.areas(store, filters, "combined_authority")


def _area_bodies(store: Store, filters: Filters) -> pd.DataFrame:
    if not (filters.region or filters.combined_authority):
        return registers.bodies_list(store, filters).iloc[0:0]
    return registers.bodies_list(store, filters)


def _map(store: Store, filters: Filters) -> pd.DataFrame:
    _, drawn, _ = registers.council_map(store, filters)
    drawn = drawn.assign(_s=drawn["status"].map(registers.STATUS_ORDER))
    return drawn.sort_values(["region", "_s", "name"], ignore_index=True).drop(columns="_s")


def _map_figure(table: pd.DataFrame, title: str, filters: Filters) -> go.Figure:
    return figures.hex_map(table, title)


def _not_drawn(store: Store, filters: Filters) -> pd.DataFrame:
    return registers.council_map(store, filters)[2]


REGIONS = View("places-regions", "Bodies buying, spend and SME share by region or nation",
               _regions)  # fmt: skip
AUTHORITIES = View("places-authorities", "Bodies buying, spend and SME share by combined "
                   "authority (its constituent councils)", _authorities)  # fmt: skip
AREA_BODIES = View("places-bodies", "Bodies of the area chosen, with their status",
                   _area_bodies, shown=AREA_SHOWN)  # fmt: skip
COUNCIL_MAP = View("council-map", "Principal councils: bought in the period, lapsed or never",
                   _map, _map_figure)  # fmt: skip
NOT_DRAWN = View("council-map-not-drawn", "Councils not on the map (county councils; councils "
                 "the map's layout does not show)", _not_drawn)  # fmt: skip
VIEWS = (REGIONS, AUTHORITIES, AREA_BODIES, COUNCIL_MAP, NOT_DRAWN)


def _choices(store: Store, filters: Filters) -> html.Div:
    values = store.allowed_values()
    authorities = registers.areas(store, Filters(fy=filters.fy, date_from=filters.date_from,
                                                 date_to=filters.date_to),
                                  "combined_authority")["area"]  # fmt: skip
    return html.Div(
        [
            choice_links("/places", filters, "region", "region", "Region or nation",
                         values["region"]),
            choice_links("/places", filters, "combined_authority", "combined_authority",
                         "Combined authority", list(authorities)),
        ],
        className="app-choices",
    )  # fmt: skip


def _area_tools(store: Store, filters: Filters) -> list:
    """The "Print brief" link and the feed of the area chosen, when one area is (a region and a
    combined authority, or two regions, have neither)."""
    chosen = [(kind, value) for kind in AREA_KINDS for value in getattr(filters, kind)]
    area = registers.find_area(store, chosen[0][1], chosen[0][0]) if len(chosen) == 1 else None
    if area is None:
        return []
    return [subject_tools((area.kind, area.name), "/places", replace(filters, name=area.name))]


def build(store: Store, filters: Filters) -> list:
    """``/places``: regions, combined authorities, the council map."""
    first, last = registers.period_in_view(store, filters)
    return [
        html.H1("Places: adoption by region and combined authority",
                className="govuk-heading-l"),
        description(f"Showing {describe(filters)} ({first:%d %B %Y} to {last:%d %B %Y}). "
                    "Bodies that could buy are the register bodies that existed in the "
                    "period; spend and SME share are those of the register bodies buying."),
        _choices(store, filters),
        *_area_tools(store, filters),
        *sections(store, filters, VIEWS if (filters.region or filters.combined_authority)
                  else tuple(v for v in VIEWS if v is not AREA_BODIES)),
    ]  # fmt: skip


PAGE = Page("/places", "Places", "Places", build, views=VIEWS)
