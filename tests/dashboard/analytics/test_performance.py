"""Spend to date since each framework's launch, and the government's SME aspiration (issue
25, feature 12), against plain pandas on the spend rows and the published figures."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard.analytics import performance
from dashboard.analytics.filters import parse_query, without_time
from dashboard.analytics.selection import apply_filters
from dashboard.analytics.store import Store
from dashboard.api import view_table
from tests.dashboard.frames import spend_frame


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        pytest.param("2010-10", math.nan, id="before any aspiration"),
        pytest.param("2010-11", 25.0, id="announced November 2010"),
        pytest.param("2014-15", 25.0, id="year ending before August 2015"),
        pytest.param("2015-16", 33.0, id="year ending after August 2015"),
        pytest.param("2021-22", 33.0, id="extended to 2022"),
        pytest.param("2015-16 Q1", 25.0, id="a quarter ending June 2015"),
        pytest.param("2015-16 Q2", 33.0, id="a quarter ending September 2015"),
    ],
)
def test_the_aspiration_in_force_at_the_end_of_each_period(label, expected):
    (found,) = performance.targets_by_period([label], performance.read_sme_targets())
    assert found == expected or (math.isnan(found) and math.isnan(expected))


def test_every_aspiration_says_where_it_was_published():
    targets = performance.read_sme_targets()
    assert [t.words for t in targets] == ["25% by 2015", "33% by 2020", "33% by 2022"]
    for target in targets:
        assert target.source_url.startswith("https://") and target.source_publisher
        assert "supply chain" in target.measure


def test_running_totals_start_at_each_frameworks_first_month_and_fill_gaps():
    lines = spend_frame([
        ("2013-04", "Home Office", "Central Government", "Acme", "SME", 100),
        ("2013-06", "Home Office", "Central Government", "Acme", "SME", 50),
        ("2013-06", "Leeds", "Local Government", "Bigco", "Large", -10),
    ])  # fmt: skip
    launches = {"G-Cloud": pd.Timestamp("2012-02-01")}
    table = performance.cumulative_since_launch(lines, launches, pd.Timestamp("2013-07-01"))
    assert table["month"].tolist() == ["2013-04", "2013-05", "2013-06", "2013-07"]
    assert table["spend_gbp"].tolist() == [100, 0, 40, 0]
    assert table["cumulative_gbp"].tolist() == [100, 100, 140, 140]
    assert set(table["launched"]) == {"2012-02"}
    early = performance.cumulative_since_launch(lines, {}, pd.Timestamp("2013-01-01"))
    assert early.empty


def test_running_totals_of_two_frameworks_leave_out_lines_of_none():
    lines = spend_frame([
        ("2013-04", "Home Office", "Central Government", "Acme", "SME", 100),
        ("2013-05", "Leeds", "Local Government", "Bigco", "Large", 7),
        ("2013-05", "Leeds", "Local Government", "Bigco", "Large", 9),
    ])  # fmt: skip
    lines["framework"] = pd.Series(["G-Cloud", "Digital Outcomes and Specialists", None],
                                   dtype=object)  # fmt: skip
    table = performance.cumulative_since_launch(lines, {}, None)
    assert table[["framework", "month", "cumulative_gbp"]].values.tolist() == [
        ["Digital Outcomes and Specialists", "2013-05", 7.0],  # a framework's own months
        ["G-Cloud", "2013-04", 100.0],
        ["G-Cloud", "2013-05", 100.0],
    ]  # a line of no framework is in no framework's total
    assert set(table["launched"]) == {""}
    lines.loc[1, "month"] = pd.NaT  # a line of no month is in no month's total
    assert performance.cumulative_since_launch(lines, {}, None)["framework"].tolist() == [
        "G-Cloud", "G-Cloud"]  # fmt: skip


@pytest.mark.parametrize("query", ["", "?fy=2019-20", "?fy=2016-17&buyer_group=central&sme=SME"])
def test_the_view_agrees_with_the_spend_rows(sample_store, query):
    table = view_table(sample_store, "cumulative-since-launch", query, labelled=False)
    spend = Store(sample_store).spend
    rows = apply_filters(spend, without_time(parse_query(query)))  # every month to the end
    last = table["month"].max()
    rows = rows[rows["month"] <= pd.Timestamp(f"{last}-01")]
    for framework, group in table.groupby("framework"):
        expected = rows.loc[rows["framework"].astype(str) == framework, "spend_gbp"].sum()
        assert group["cumulative_gbp"].iloc[-1] == pytest.approx(expected, abs=0.01)
