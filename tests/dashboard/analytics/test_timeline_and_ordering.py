"""Every period of a chart, zero-filled; and the order people expect for iterations and lots."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard.analytics.filters import parse_query
from dashboard.analytics.ordering import ordered, sort_frame
from dashboard.analytics.store import Store
from dashboard.analytics.timeline import every_period, in_view_periods, periods_in_view


def test_missing_periods_are_zero_and_shares_undefined():
    table = pd.DataFrame(
        {
            "period": ["2013-04", "2013-07"],
            "buyers": [3, 1],
            "spend_gbp": [10.0, 5.0],
            "sme_share_value_pct": [50.0, 100.0],
            "cumulative_buyers": [3, 4],
        }
    )
    labels = ["2013-04", "2013-05", "2013-06", "2013-07"]
    filled = every_period(table, labels)
    assert filled["period"].tolist() == labels
    assert filled["buyers"].tolist() == [3, 0, 0, 1]
    assert filled["buyers"].dtype.kind == "i"  # whole buyers, never fractions
    assert filled["spend_gbp"].tolist() == [10.0, 0.0, 0.0, 5.0]
    shares = filled["sme_share_value_pct"].tolist()
    assert shares[0] == 50.0 and math.isnan(shares[1]) and math.isnan(shares[2])
    assert filled["cumulative_buyers"].tolist() == [3, 3, 3, 4]  # running totals carry on


def test_a_table_without_rows_stays_empty():
    empty = pd.DataFrame({"period": [], "buyers": []})
    assert every_period(empty, ["2013-04"]).empty


@pytest.fixture(scope="module")
def store(sample_store) -> Store:
    return Store(sample_store)


@pytest.mark.parametrize(
    ("query", "period", "first", "last", "count"),
    [
        pytest.param("", "fy", "2012-13", "2025-26", 14, id="all-years"),
        pytest.param("?fy=2016-17", "month", "2016-04", "2017-03", 12, id="one-year-by-month"),
        pytest.param("?fy=2013-14,2016-17", "fy", "2013-14", "2016-17", 2, id="two-years"),
        pytest.param("?from=2025-08&to=2026-02", "month", "2025-08", "2025-09", 2,
                     id="clipped-to-the-data"),
    ],
)  # fmt: skip
def test_periods_in_view_run_from_the_first_to_the_last_month_chosen(
    store, query, period, first, last, count
):
    labels = periods_in_view(store, parse_query(query), period)
    assert (labels[0], labels[-1], len(labels)) == (first, last, count)


def test_running_totals_keep_what_came_before_the_period_in_view(store):
    table = pd.DataFrame({"period": ["2013-14", "2015-16"], "new_buyers": [5, 2],
                          "cumulative_buyers": [5, 7]})  # fmt: skip
    shown = in_view_periods(table, store, parse_query("?fy=2014-15"), "fy")
    assert shown.to_dict("records") == [
        {"period": "2014-15", "new_buyers": 0, "cumulative_buyers": 5}
    ]


def test_iterations_by_number_and_lots_in_their_frameworks_order():
    iterations = ["G-Cloud 10", "G-Cloud 2", "DOS 10", "G-Cloud 14", "DOS 2", "G-Cloud 9"]
    assert ordered(iterations, "framework_iteration") == [
        "DOS 2", "DOS 10", "G-Cloud 2", "G-Cloud 9", "G-Cloud 10", "G-Cloud 14",
    ]  # fmt: skip
    lots = [
        "Cloud Support",
        "Software as a Service (SaaS)",
        "Cloud Hosting",
        "Infrastructure as a Service (IaaS)",
        "Digital specialists",
        "Digital outcomes",
    ]
    assert ordered(lots, "lot") == [
        "Infrastructure as a Service (IaaS)", "Software as a Service (SaaS)", "Cloud Hosting",
        "Cloud Support", "Digital outcomes", "Digital specialists",
    ]  # fmt: skip
    table = pd.DataFrame({"framework_iteration": ["G-Cloud 10", "G-Cloud 9"], "n": [1, 2]})
    assert sort_frame(table, ["framework_iteration"])["n"].tolist() == [2, 1]


def test_filter_controls_offer_iterations_in_order(store):
    options = store.options("framework_iteration")
    gcloud = [o for o in options if o.startswith("G-Cloud")]
    assert gcloud == sorted(gcloud, key=lambda o: int(o.split()[-1]))
