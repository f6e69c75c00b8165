"""A supplier's size as it is now: its latest known SME status and when it last changed, in the
bodies table; shares stay computed row by row. Worked out from the monthly supplier lines,
each counting as its rows (here one line per row)."""

from __future__ import annotations

import pandas as pd

from loaders.aggregate_bodies import monthly_sme_status, sme_status_now


def _rows(*items: tuple[str, str, str, float]) -> pd.DataFrame:
    supplier, month, status, spend = zip(*items, strict=True)
    return pd.DataFrame(
        {
            "supplier_key": list(supplier),
            "month": pd.to_datetime(list(month)),
            "sme_status": pd.Categorical(status),
            "spend_gbp": list(spend),
            "transactions": 1,
        }
    )


def supplier_sme_status(lines: pd.DataFrame) -> pd.DataFrame:
    return sme_status_now(monthly_sme_status(lines))


def test_latest_status_and_the_month_it_last_changed():
    rows = _rows(
        ("alpha", "2016-04-01", "SME", 1000),
        ("alpha", "2016-05-01", "SME", 1000),
        ("alpha", "2017-01-01", "Large", 3000),
        ("alpha", "2017-02-01", "Unknown", 5),  # not a known status: the latest stays Large
        ("beta", "2016-01-01", "Large", 1),
        ("beta", "2016-02-01", "SME", 1),
        ("beta", "2016-03-01", "Large", 1),
        ("gamma", "2017-01-01", "SME", 10),
        ("delta", "2017-01-01", "Unknown", 10),
    )
    table = supplier_sme_status(rows)
    assert table.loc["alpha"].tolist() == ["Large", pd.Timestamp("2017-01-01"), "SME"]
    assert table.loc["beta"].tolist() == ["Large", pd.Timestamp("2016-03-01"), "SME"]
    assert table.loc["gamma", "latest_sme_status"] == "SME"
    assert table.loc[["gamma"], ["sme_status_changed", "previous_sme_status"]].isna().all(axis=None)
    assert "delta" not in table.index


def test_a_month_with_both_statuses_counts_as_the_one_most_rows_carry():
    rows = _rows(
        ("alpha", "2016-04-01", "Large", 1),
        ("alpha", "2016-05-01", "SME", 1),
        ("alpha", "2016-05-01", "SME", 1),
        ("alpha", "2016-05-01", "Large", 100),
    )
    assert supplier_sme_status(rows).loc["alpha"].tolist() == [
        "SME", pd.Timestamp("2016-05-01"), "Large"]  # fmt: skip


def test_no_known_status_gives_an_empty_table():
    assert supplier_sme_status(_rows(("x", "2016-01-01", "Unknown", 1))).empty
