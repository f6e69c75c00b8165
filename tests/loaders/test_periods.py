"""Months and financial years, cut the same way everywhere."""

from __future__ import annotations

import pandas as pd
import pytest

from loaders.core import periods


@pytest.mark.parametrize(
    ("month", "label"),
    [("2013-03-01", "2012-13"), ("2013-04-01", "2013-14"), ("2000-01-01", "1999-00")],
)
def test_financial_year_runs_april_to_march(month, label):
    assert periods.financial_years(pd.Series(pd.to_datetime([month]))).iloc[0] == label
    assert periods.financial_year_of(pd.Timestamp(month)) == label


@pytest.mark.parametrize(
    ("label", "start"),
    [
        pytest.param("2013-14", 2013, id="plain"),
        pytest.param("1999-00", 1999, id="century"),
        pytest.param("2013-15", None, id="years-apart"),
        pytest.param("2013/14", None, id="slash"),
        pytest.param("banana", None, id="text"),
    ],
)
def test_financial_year_labels_are_checked(label, start):
    assert periods.fy_start_year(label) == start
    assert periods.is_fy_label(label) is (start is not None)


def test_ranges_and_neighbours_of_a_financial_year():
    assert periods.fy_range("2016-17") == (pd.Timestamp("2016-04-01"), pd.Timestamp("2017-03-01"))
    assert periods.previous_fy("2000-01") == "1999-00"
    assert periods.fy_labels_between("2012-13", "2014-15") == ["2012-13", "2013-14", "2014-15"]
    with pytest.raises(ValueError, match="not a financial year"):
        periods.previous_fy("2013")


def test_period_labels_between_leave_no_gaps():
    first, last = pd.Timestamp("2013-02-01"), pd.Timestamp("2013-05-01")
    assert periods.period_labels_between(first, last, "month") == [
        "2013-02", "2013-03", "2013-04", "2013-05",
    ]  # fmt: skip
    assert periods.period_labels_between(first, last, "fy") == ["2012-13", "2013-14"]


def test_month_numbers_count_months_and_financial_years():
    numbers = periods.month_numbers(pd.to_datetime(["2013-03-01", "2013-04-01"]))
    assert numbers[1] - numbers[0] == 1
    assert periods.fy_numbers(numbers).tolist() == [2012, 2013]
    assert periods.label_of_month_number(int(numbers[0])) == "2013-03"


def test_month_labels_are_checked():
    assert periods.is_month_label("2013-04") and not periods.is_month_label("2013-13")
    assert periods.month_start("2013-04") == pd.Timestamp("2013-04-01")
    with pytest.raises(ValueError, match="not a month"):
        periods.month_start("banana")
