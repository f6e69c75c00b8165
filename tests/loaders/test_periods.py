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


def test_financial_years_of_a_column_equal_each_month_labelled_alone():
    months = pd.Series(
        pd.to_datetime(["2013-03-01", None, "2013-04-01", "1999-12-01", "2024-04-01", None]),
        index=[5, 4, 3, 2, 1, 0],
        name="month",
    )
    labels = periods.financial_years(months)
    expected = [None if pd.isna(m) else periods.financial_year_of(m) for m in months]
    assert labels.tolist() == [pd.NA if e is None else e for e in expected]
    assert labels.dtype == "string" and labels.name == "month"
    assert labels.index.equals(months.index)
    assert periods.financial_years(months.iloc[:0]).tolist() == []
    assert periods.financial_years(months.iloc[[1, 5]]).isna().all()


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


@pytest.mark.parametrize(
    ("month", "quarter"),
    [
        pytest.param("2013-04-01", "2013-14 Q1", id="April is Q1"),
        pytest.param("2013-06-30", "2013-14 Q1", id="June is Q1"),
        pytest.param("2013-07-01", "2013-14 Q2", id="July is Q2"),
        pytest.param("2013-12-01", "2013-14 Q3", id="December is Q3"),
        pytest.param("2014-01-01", "2013-14 Q4", id="January is Q4 of the year before"),
        pytest.param("2014-03-01", "2013-14 Q4", id="March is Q4"),
        pytest.param("2000-02-01", "1999-00 Q4", id="century"),
    ],
)
def test_financial_quarters_start_in_april(month, quarter):
    assert periods.quarter_of(pd.Timestamp(month)) == quarter
    assert periods.is_quarter_label(quarter)
    first, last = periods.quarter_range(quarter)
    assert first <= pd.Timestamp(month).replace(day=1) <= last


@pytest.mark.parametrize("label", ["2013-14 Q5", "2013-15 Q1", "2013 Q1", "Q1 2013-14"])
def test_quarter_labels_are_checked(label):
    assert not periods.is_quarter_label(label)
    with pytest.raises(ValueError, match="not a financial quarter"):
        periods.quarter_range(label)


def test_period_labels_between_by_quarter_leave_no_gaps():
    first, last = pd.Timestamp("2013-02-01"), pd.Timestamp("2013-10-01")
    assert periods.period_labels_between(first, last, "quarter") == [
        "2012-13 Q4", "2013-14 Q1", "2013-14 Q2", "2013-14 Q3",
    ]  # fmt: skip


def test_quarter_figures_add_up_to_their_financial_years_to_the_penny():
    """Every month from April 2012 to June 2015 with awkward amounts: the sums by quarter,
    gathered by the financial year each quarter belongs to, equal the sums by financial year
    exactly (in pence), and every year has at most four quarters."""
    months = pd.date_range("2012-04-01", "2015-06-01", freq="MS")
    pence = pd.Series([(i * 7_919_311) % 100_003 - 20_000 for i in range(len(months))])
    numbers = periods.month_numbers(months)
    by_quarter = pence.groupby(periods.period_numbers(numbers, "quarter")).sum()
    by_year = pence.groupby(periods.period_numbers(numbers, "fy")).sum()
    labels = [periods.label_of_period_number(n, "quarter") for n in by_quarter.index]
    quarter_years = by_quarter.groupby([label[:7] for label in labels]).sum()
    year_labels = [periods.label_of_period_number(n, "fy") for n in by_year.index]
    assert quarter_years.to_dict() == dict(zip(year_labels, by_year.tolist(), strict=True))
    assert pd.Series([label[:7] for label in labels]).value_counts().max() == 4
    assert set(periods.PERIOD_KINDS) == {"month", "quarter", "fy"}
