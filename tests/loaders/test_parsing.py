"""Money, month, file-name date and name-key parsing: the values published files hold."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from loaders.core.normalise import roman_to_int
from loaders.core.parsing import (
    Coded,
    combinations,
    date_in_file_name,
    money_of,
    months_of,
    name_key,
    parse_money,
    parse_month,
)


def money_series(values: pd.Series) -> pd.Series:
    """Amounts of a column parsed as the loaders parse them (float pounds, NaN if unreadable)."""
    return pd.Series(money_of(Coded.of(values)), index=values.index, dtype="float64")


def month_series(values: pd.Series) -> pd.Series:
    """Months of a column parsed as the loaders parse them (first days, NaT if unreadable)."""
    return pd.Series(months_of(Coded.of(values)), index=values.index, dtype="datetime64[ns]")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("1234.56", 1234.56, id="plain"),
        pytest.param("£1,234.56", 1234.56, id="pound-and-commas"),
        pytest.param("(£1,234.56)", -1234.56, id="parenthesised-credit"),
        pytest.param("-£1,234.56", -1234.56, id="minus-before-pound"),
        pytest.param("£-1,234.56", -1234.56, id="minus-after-pound"),
        pytest.param("(1,234.00)", -1234.0, id="parenthesised-no-pound"),
        pytest.param(" £ 12,345,678.9 ", 12345678.9, id="spaces"),
        pytest.param("1234.56-", -1234.56, id="trailing-minus"),
        pytest.param("\u2212250", -250.0, id="unicode-minus"),
        pytest.param("GBP 10", 10.0, id="gbp-prefix"),
        pytest.param(".5", 0.5, id="leading-point"),
        pytest.param("1.2E+05", 120000.0, id="scientific"),
        pytest.param(43200, 43200.0, id="number-cell"),
        pytest.param(-470.0, -470.0, id="negative-number-cell"),
        pytest.param("0", 0.0, id="zero"),
    ],
)
def test_parse_money_reads_published_amounts(raw, expected):
    assert parse_money(raw) == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("", id="blank"),
        pytest.param("n/a", id="text"),
        pytest.param("£1,2", id="bad-grouping"),
        pytest.param("(£12", id="unbalanced-parenthesis"),
        pytest.param("--5", id="double-minus"),
        pytest.param("(-5)", id="parenthesis-and-minus"),
        pytest.param(float("nan"), id="nan"),
        pytest.param("inf", id="inf-text"),
        pytest.param(True, id="boolean"),
        pytest.param(None, id="none"),
    ],
)
def test_parse_money_refuses_what_it_cannot_read(raw):
    assert parse_money(raw) is None


@given(pennies=st.integers(min_value=-(10**11), max_value=10**11))
def test_money_round_trips_every_published_format(pennies):
    amount = Decimal(pennies) / 100
    plain = f"{abs(amount):,.2f}"
    formats = [f"{amount:.2f}", f"£{plain}" if amount >= 0 else f"(£{plain})"]
    formats.append(f"-£{plain}" if amount < 0 else f"£{plain}")
    for text in formats:
        assert parse_money(text) == pytest.approx(float(amount), abs=1e-6), text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("2012-04-01", dt.date(2012, 4, 1), id="iso"),
        pytest.param("2012-04-01 00:00:00", dt.date(2012, 4, 1), id="iso-with-time"),
        pytest.param("2014-06", dt.date(2014, 6, 1), id="iso-month"),
        pytest.param("01/04/2012", dt.date(2012, 4, 1), id="uk-date"),
        pytest.param("15/04/12", dt.date(2012, 4, 1), id="uk-two-digit-year"),
        pytest.param("01/05/2012 ", dt.date(2012, 5, 1), id="trailing-space"),
        pytest.param("01/06/2012.", dt.date(2012, 6, 1), id="trailing-dot"),
        pytest.param("01/07/2012x", dt.date(2012, 7, 1), id="trailing-letter"),
        pytest.param("Jan-17", dt.date(2017, 1, 1), id="mon-yy"),
        pytest.param("Sept-16", dt.date(2016, 9, 1), id="sept"),
        pytest.param("January 2017", dt.date(2017, 1, 1), id="month-year"),
        pytest.param("01-Mar-2018", dt.date(2018, 3, 1), id="dd-mon-yyyy"),
        pytest.param("41000", dt.date(2012, 4, 1), id="serial-text"),
        pytest.param("41000.0", dt.date(2012, 4, 1), id="serial-float-text"),
        pytest.param(41000, dt.date(2012, 4, 1), id="serial-number"),
        pytest.param(42747.0, dt.date(2017, 1, 1), id="serial-mid-month"),
        pytest.param(dt.datetime(2019, 4, 17, 10, 0), dt.date(2019, 4, 1), id="datetime-cell"),
        pytest.param(dt.date(2020, 2, 29), dt.date(2020, 2, 1), id="date-cell"),
    ],
)
def test_parse_month_reads_published_months(raw, expected):
    assert parse_month(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["", "TBC", "31/02/2017", "13/13/2013", "Foo-17", "12345678", 5, True, "2017-13"],
)
def test_parse_month_refuses_what_it_cannot_read(raw):
    assert parse_month(raw) is None


@given(st.dates(min_value=dt.date(2005, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_month_round_trips_every_published_format(day):
    first = day.replace(day=1)
    serial = (day - dt.date(1899, 12, 30)).days
    texts = [
        day.isoformat(),
        day.strftime("%d/%m/%Y"),
        day.strftime("%d/%m/%y"),
        day.strftime("%b-%y"),
        day.strftime("%B %Y"),
        str(serial),
        serial,
        f"{day:%d/%m/%Y}.",
        dt.datetime.combine(day, dt.time(12)),
    ]
    for text in texts:
        assert parse_month(text) == first, text


def test_series_parsers_parse_each_distinct_value_once():
    values = pd.Series(["£1,000.00", "(£5.00)", "bad", "£1,000.00"], dtype=object)
    spend = money_series(values)
    assert spend.iloc[0] == 1000.0 and spend.iloc[1] == -5.0 and math.isnan(spend.iloc[2])
    months = month_series(pd.Series(["Jan-17", "nope", 41000], dtype=object))
    assert months.dtype == "datetime64[ns]"
    assert list(months.dt.strftime("%Y-%m").fillna("NaT")) == ["2017-01", "NaT", "2012-04"]


# No booleans: values equal in Python (True, 1, 1.0) are one distinct value, parsed once.
CELLS = st.one_of(
    st.none(),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["", " ", "£1,234.56", "(£5.00)", "n/a", "1e3", "12-", "Total", "Jan-17"]),
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31)),
)


@pytest.mark.slow
@given(st.lists(CELLS, max_size=40))
def test_series_parsers_equal_the_scalar_parsers_cell_by_cell(cells):
    values = pd.Series(cells, dtype=object)
    spend, months = money_series(values), month_series(values)
    for cell, amount, month in zip(cells, spend, months, strict=True):
        expected = parse_money(cell)
        assert (math.isnan(amount) and expected is None) or amount == expected
        first = parse_month(cell)
        assert (pd.isna(month) and first is None) or month == pd.Timestamp(first)


@pytest.mark.slow
@given(st.lists(st.tuples(CELLS, st.sampled_from(["a", "b", None, 2.0])), max_size=30))
def test_combinations_give_each_row_its_cells(rows):
    left = Coded.of(pd.Series([r[0] for r in rows], dtype=object))
    right = Coded.of(pd.Series([r[1] for r in rows], dtype=object))
    codes, cells = combinations([left, right]) if rows else (np.zeros(0, int), [])
    pairs = list(zip(left.codes.tolist(), right.codes.tolist(), strict=True))
    assert len(cells) == len(set(pairs))  # one combination per distinct pair of codes
    assert len(set(zip(pairs, codes.tolist(), strict=True))) == len(cells)
    for row, code in zip(rows, codes, strict=True):
        expected = tuple("" if c is None or (isinstance(c, float) and math.isnan(c)) else c
                         for c in row)  # fmt: skip
        assert cells[code] == expected


def test_coded_parses_only_the_values_its_rows_hold():
    column = Coded.of(pd.Series(["a", "b", None, "a"], dtype=object)).subset(np.array([0, 3]))
    seen = []
    assert list(column.map(lambda v: seen.append(v) or v.upper())) == ["A", "A"]
    assert seen == ["a"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("G-Cloud-Spend-14-07-14-v2-For-import.csv", dt.date(2014, 7, 14)),
        ("DOS-spend-Dec2017.csv", dt.date(2017, 12, 1)),
        ("G-Cloud_spend_data_to_end_March_2018.csv", dt.date(2018, 3, 1)),
        ("CCS-spend-2021-03.xlsx", dt.date(2021, 3, 1)),
        ("spend_20190430.xlsx", dt.date(2019, 4, 30)),
        ("spend.csv", None),
    ],
)
def test_date_in_file_name(name, expected):
    assert date_in_file_name(name) == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Department For Work And Pensions", "department for work and pensions"),
        ("The Department for Work & Pensions", "Department for Work and Pensions"),
        ("HM  Revenue  &  Customs ", "HM Revenue and Customs"),
        ("Children's Services", "Childrens Services"),
    ],
)
def test_name_key_counts_spelling_variants_as_one(a, b):
    assert name_key(a, leading=("the",)) == name_key(b, leading=("the",))


def test_name_key_drops_legal_forms_only_at_the_end():
    suffixes = ("uk limited", "limited", "ltd", "plc")
    assert name_key("Acme Cloud Ltd", suffixes) == name_key("ACME CLOUD LIMITED", suffixes)
    assert name_key("Acme UK Limited", suffixes) == "acme"
    assert name_key("Limited Edition Software", suffixes) == "limited edition software"
    assert name_key("Ltd", suffixes) == "ltd"


@pytest.mark.parametrize(("text", "value"), [("i", 1), ("iv", 4), ("ix", 9), ("xiv", 14)])
def test_roman_numerals(text, value):
    assert roman_to_int(text) == value


@pytest.mark.parametrize("text", ["", "iiii", "vx", "abc"])
def test_roman_numerals_refuse_non_numerals(text):
    assert roman_to_int(text) is None
