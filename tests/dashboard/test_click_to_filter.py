"""Click to filter (issue 25, feature 11): a click on a bar, a point or a legend entry
narrows the page to it, and the link says so."""

from __future__ import annotations

import pytest

from dashboard.analytics.clicks import CARRIED, PERIOD, Click, filters_for_click
from dashboard.analytics.filters import Filters, parse_query, to_query
from dashboard.analytics.store import Store
from dashboard.callbacks import click_search
from dashboard.pages.registry import VIEWS


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        pytest.param(PERIOD, "2019-20", "?fy=2019-20&sme=SME", id="a year"),
        pytest.param(PERIOD, "2019-05", "?from=2019-05&to=2019-05&sme=SME", id="a month"),
        pytest.param(PERIOD, "2019-20 Q3", "?from=2019-10&to=2019-12&sme=SME", id="a quarter"),
        pytest.param("sector", "Health", "?fy=2018-19&sector=Health&sme=SME", id="a choice"),
        pytest.param("buyer_group", "Non-Whitehall",
                     "?fy=2018-19&buyer_group=non-whitehall&sme=SME", id="a buyer group"),
        pytest.param("supplier", "Acme Ltd", "?fy=2018-19&sme=SME&supplier=Acme%20Ltd",
                     id="a supplier"),
        pytest.param(CARRIED, ["lot", "Cloud hosting"], "?fy=2018-19&lot=Cloud%20hosting&sme=SME",
                     id="a lot carried by the bar"),
    ],
)  # fmt: skip
def test_a_click_narrows_the_filters(field, value, expected):
    chosen = filters_for_click(parse_query("?fy=2018-19&sme=SME"), field, value)
    assert to_query(chosen) == expected


@pytest.mark.parametrize(
    ("field", "value"),
    [(PERIOD, "Total"), (PERIOD, None), ("sector", ""), ("nonsense", "x"), (CARRIED, "lot"),
     ("name", "Home Office")],
)  # fmt: skip
def test_a_click_that_chooses_nothing_changes_nothing(field, value):
    assert filters_for_click(Filters(), field, value) is None


def test_the_hint_says_what_to_click():
    hint = Click(point=PERIOD, legend="buyer_group").hint()
    assert hint == ("Filter by clicking: select a bar or point to show only that period; "
                    "select a legend entry to show only that buyer group.")  # fmt: skip


@pytest.fixture(scope="module")
def data(sample_store) -> Store:
    return Store(sample_store)


def test_clicks_on_the_overview(data):
    bar = {"points": [{"x": "2019-20", "curveNumber": 0}]}
    assert click_search(data, "spend-by-period", "clickData", bar, "", "/") == "?fy=2019-20"
    legend = [{"visible": [True, "legendonly", "legendonly"]}, [0, 1, 2]]
    assert click_search(data, "spend-by-period", "restyleData", legend, "?fy=2019-20", "/") == (
        "?fy=2019-20&buyer_group=central")  # fmt: skip
    every = [{"visible": [True, True, True]}, [0, 1, 2]]
    assert click_search(data, "spend-by-period", "restyleData", every, "", "/") is None
    sector = {"points": [{"y": "Health", "customdata": "Health"}]}
    assert click_search(data, "spend-by-sector", "clickData", sector, "", "/") == "?sector=Health"


def test_every_clickable_bar_carries_a_value_its_filter_takes(data):
    for view in VIEWS.values():
        if view.click is None or view.click.point in (None, PERIOD):
            continue
        subject = "Home Office" if view.id.startswith("buyer-") else "Ministry of Justice"
        filters = Filters(fy=("2019-20",), name=subject)
        figure = view.figure(data, filters)
        assert figure.data, view.id
        values = list(figure.data[0].customdata)
        assert values, view.id
        assert filters_for_click(filters, view.click.point, values[0]) is not None, view.id


def test_the_legend_of_a_clickable_chart_isolates_one_series(data):
    figure = VIEWS["spend-by-period"].figure(data, Filters())
    assert figure.layout.legend.itemclick == "toggleothers"
    assert VIEWS["sme-share"].figure(data, Filters()).layout.legend.itemclick is None
