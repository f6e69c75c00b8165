"""What an append adds to a store's figures without reading its rows (issue 24 item 4): the
report's exact sums (the ledger) and the bodies table give, bit for bit, what every row
gives."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loaders.aggregate_bodies import appended_bodies, bodies_of_lines
from loaders.sources.ccs_spend.ledger import (
    appended_figures,
    by_value,
    exact_terms,
    figures_of,
    headline_of,
    merged_ledgers,
)

money = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False).map(lambda x: round(x, 2))


@settings(max_examples=200, deadline=None)
@given(st.lists(money, max_size=40), st.lists(money, max_size=40))
def test_exact_sums_add_up_as_the_rows_do(first, second):
    both = exact_terms(first + second)
    assert math.fsum(both) == math.fsum(first + second)
    assert exact_terms(exact_terms(first) + exact_terms(second)) == both


def test_an_exact_sum_keeps_what_a_float_sum_loses():
    values = [0.1] * 10 + [1e16, -1e16]
    assert sum(values) != 1.0 and math.fsum(values) == 1.0
    assert exact_terms(values) == exact_terms([1.0]) + exact_terms(values)[1:]
    assert math.fsum(exact_terms(values)) == 1.0
    assert exact_terms([]) == [] and exact_terms([5.0, -5.0]) == []


def _spend(rows: list[tuple]) -> pd.DataFrame:
    columns = ["month", "financial_year", "buyer_group", "sme_status", "sector_method",
               "sme_source", "customer_key", "supplier_key", "spend_gbp"]  # fmt: skip
    frame = pd.DataFrame(rows, columns=columns)
    frame["month"] = pd.to_datetime(frame["month"])
    for column in columns[1:-1]:
        frame[column] = frame[column].astype("category")
    return frame


CENTRAL, LOCAL, NAN = "Central government", "Local government", float("nan")
ROWS = [
    ("2021-05-01", "2021-22", CENTRAL, "SME", "published", "published", "c1", "s1", 0.1),
    ("2021-05-01", "2021-22", LOCAL, "Large", "inferred", "published", "c2", "s2", 0.2),
    ("2022-03-01", "2021-22", CENTRAL, None, "published", None, "c1", "s2", 0.3),
]
NEW = [
    ("2022-04-01", "2022-23", CENTRAL, "SME", "published", "published", "c3", "s1", 100.05),
    ("2022-05-01", "2022-23", LOCAL, "SME", "inferred", "published", "c1", "s3", NAN),
]


def test_the_headline_of_a_few_rows_by_hand():
    headline = headline_of(figures_of(_spend(ROWS + NEW)))
    assert headline["rows"] == 5
    assert headline["spend_gbp"] == 100.65  # 0.1 + 0.2 + 0.3 + 100.05; a row without an amount
    assert headline["central_government_gbp"] == 100.45
    assert headline["sme_share_volume_pct"] == 60.0
    assert headline["by_financial_year_gbp"] == {"2021-22": 0.6, "2022-23": 100.05}
    assert headline["months"] == {"first": "2021-05", "last": "2022-05", "count": 4}
    assert (headline["distinct_customers"], headline["distinct_suppliers"]) == (3, 3)
    assert headline["central_government_share_pct"] == 99.8013  # 100.45 / 100.65
    assert headline["sme_share_value_pct"] == 99.5032  # (0.1 + 100.05) / 100.65


def test_rows_and_pounds_by_sector_method_and_sme_source_by_hand():
    ledger = figures_of(_spend(ROWS + NEW)).ledger
    assert by_value(ledger, "sector_method") == {
        "inferred": {"rows": 2, "spend_gbp": 0.2},  # a row without an amount counted
        "published": {"rows": 3, "spend_gbp": 100.45},
    }
    assert by_value(ledger, "sme_source") == {"published": {"rows": 4, "spend_gbp": 100.35}}


def test_an_appended_report_equals_the_one_of_every_row():
    stored = figures_of(_spend(ROWS))
    section = {"spend_ledger": stored.ledger, "headline": headline_of(stored)}
    bodies = pd.DataFrame({"kind": ["customer", "customer", "supplier", "supplier"],
                           "key": ["c1", "c2", "s1", "s2"]})  # fmt: skip
    appended = appended_figures(section, bodies, _spend(NEW))
    assert appended == figures_of(_spend(ROWS + NEW))
    assert headline_of(appended) == headline_of(figures_of(_spend(ROWS + NEW)))
    assert merged_ledgers(stored.ledger, []) == stored.ledger
    assert appended_figures({"headline": {}}, bodies, _spend(NEW)) is None  # an older store


def _lines(rows: list[tuple]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Monthly customer and supplier lines of (month, customer, supplier, SME status,
    pounds, rows) tuples: one line of each per tuple."""
    frame = pd.DataFrame(rows, columns=["month", "customer_key", "supplier_key", "sme_status",
                                        "spend_gbp", "transactions"])  # fmt: skip
    frame["month"] = pd.to_datetime(frame["month"])
    frame["customer"] = frame["customer_key"].str.upper()
    frame["supplier"] = frame["supplier_key"].str.upper()
    for column in ["customer_key", "supplier_key", "sme_status", "customer", "supplier"]:
        frame[column] = frame[column].astype("category")
    return frame.drop(columns=["supplier_key", "supplier"]), frame


STORED_LINES = [
    ("2021-05-01", "c1", "s1", "SME", 0.1, 2),
    ("2021-06-01", "c1", "s1", "Large", 0.2, 3),
    ("2021-06-01", "c2", "s1", "SME", 0.3, 1),  # fewer rows: s1 is Large in June
    ("2021-06-01", "c2", "s2", None, 7.0, 1),
]


@pytest.mark.parametrize(
    "new, status",
    [
        # SME again in July: changed in July, from Large
        ([("2021-07-01", "c1", "s1", "SME", 0.3, 1)], ("SME", "2021-07-01", "Large")),
        # no known status in July: the stored change stays
        ([("2021-07-01", "c3", "s1", None, 0.3, 1)], ("Large", "2021-06-01", "SME")),
        # Large again: no change
        ([("2021-07-01", "c3", "s1", "Large", 1.0, 4)], ("Large", "2021-06-01", "SME")),
    ],
)
def test_appended_bodies_equal_those_of_every_line(new, status):
    stored = bodies_of_lines(*_lines(STORED_LINES))
    every = bodies_of_lines(*_lines(STORED_LINES + new))
    pd.testing.assert_frame_equal(appended_bodies(stored, *_lines(new)), every)
    s1 = every.set_index("key").loc["s1"]
    latest, changed, previous = status
    assert (s1["latest_sme_status"], s1["previous_sme_status"]) == (latest, previous)
    assert s1["sme_status_changed"] == pd.Timestamp(changed)
    c1 = every.set_index("key").loc["c1"]
    assert c1["spend_gbp"] == 0.1 + 0.2 + (0.3 if new[0][1] == "c1" else 0)
