"""Pipeline notices (UK1): when, how far ahead, edits, withdrawals, and what followed; and the
older planned procurements of Contracts Finder beside them."""

from __future__ import annotations

import pandas as pd
import pytest

import loaders
from tests.loaders.ocds.builders import write_json
from tests.loaders.ocds.uk_builders import MOJ, cf_planned, package, pipeline_files, uk1


@pytest.fixture
def pipeline(tmp_path) -> pd.DataFrame:
    return loaders.load(pipeline_files(tmp_path)).pipeline.set_index("ocid")


def test_one_row_per_planned_procurement_with_its_year_and_window(pipeline):
    assert list(pipeline.index.str[-6:]) == ["0f0101", "0f0102", "0f0103", "0f0104", "0f0601"]
    assert set(pipeline["pipeline_kind"]) == {"pipeline notice"}
    assert set(pipeline["financial_year"]) == {"2026-27"}
    on_time = pipeline["on_time"].astype(bool)
    assert list(on_time) == [True, True, True, False, True]  # Kent published on 15 June
    assert list(pipeline["customer"].unique()) == ["Ministry of Justice", "Kent County Council",
                                                   "North Yorkshire Council"]  # fmt: skip


def test_value_and_how_far_ahead_as_first_published(pipeline):
    moj = pipeline.loc[pipeline["customer"].eq("Ministry of Justice")]
    assert list(moj["lead_days"]) == [142, 248, 385]
    assert moj["value_gbp"].sum() == 16_500_000 and moj["value_gbp"].isna().sum() == 1
    assert moj["value_gross_gbp"].sum() == 22_800_000


def test_what_followed_and_after_how_many_days(pipeline):
    grounds = pipeline.loc["ocds-h6vhtk-0f0101"]
    assert grounds["follow_ups"] == "UK2 after 39 days; UK3 after 83 days; UK4 after 126 days"
    assert (grounds["first_follow_up"], grounds["days_to_first_follow_up"]) == ("UK2", 39)
    assert (grounds["days_to_tender"], grounds["tender_vs_expected_days"]) == (126, -16)
    case = pipeline.loc["ocds-h6vhtk-0f0102"]
    assert (case["follow_ups"], case["tender_vs_expected_days"]) == ("UK4 after 127 days", -121)
    for quiet in ("ocds-h6vhtk-0f0103", "ocds-h6vhtk-0f0104"):
        assert pd.isna(pipeline.loc[quiet, "follow_ups"])
        assert pd.isna(pipeline.loc[quiet, "days_to_tender"])


def test_an_edited_then_withdrawn_pipeline(pipeline):
    vehicles = pipeline.loc["ocds-h6vhtk-0f0601"]
    assert (vehicles["edits"], vehicles["value_gbp"], vehicles["latest_value_gbp"]) == (
        1, 3_500_000, 2_800_000)  # fmt: skip
    assert vehicles["lead_days"] == 165
    assert vehicles["latest_future_notice_date"] == pd.Timestamp("2027-02-01 23:59:59")
    assert vehicles["withdrawn"] and vehicles["withdrawn_date"] == pd.Timestamp(
        "2026-10-14 10:05:00")  # fmt: skip
    assert pd.isna(vehicles["follow_ups"]) and pd.isna(vehicles["tender_date"])


@pytest.mark.parametrize(
    "date, financial_year, on_time",
    [
        pytest.param("2026-04-01T00:00:00+01:00", "2026-27", True, id="first-day"),
        pytest.param("2026-05-26T23:59:00+01:00", "2026-27", True, id="last-day-late-evening"),
        pytest.param("2026-05-27T00:00:01+01:00", "2026-27", False, id="day-after"),
        pytest.param("2026-03-31T23:30:00Z", "2026-27", True, id="utc-late-31-march-is-1-april"),
        pytest.param("2026-03-31T12:00:00+01:00", "2025-26", False, id="previous-year"),
    ],
)  # fmt: skip
def test_the_pipeline_window_in_uk_dates(tmp_path, date, financial_year, on_time):
    release = uk1("990001-2026", "0f0001", date, MOJ, "Anything", 3e6, None, None)
    row = loaders.load(write_json(tmp_path / "a.json", package([release]))).pipeline.iloc[0]
    assert (row["financial_year"], bool(row["on_time"])) == (financial_year, on_time)


def test_contracts_finder_planned_procurements_beside_them(tmp_path):
    rows = loaders.load(cf_planned(tmp_path)).pipeline
    assert list(rows["ocid"]) == ["ocds-b5fd17-0001", "ocds-b5fd17-0002"]  # 0003: engagement
    row = rows.iloc[0]
    assert (row["pipeline_kind"], row["platform"], row["value_gbp"]) == (
        "planned procurement", "Contracts Finder", 250_000)  # fmt: skip
    assert pd.isna(row["on_time"]) and (row["follow_ups"], row["days_to_tender"]) == (
        "tender after 70 days", 70)  # fmt: skip
