"""Headline figures of the opportunities page from invented notices, counted by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.analytics.notice_figures import FIGURE_IDS, in_period, opportunity_figures
from loaders.core.vocabulary import load_vocabulary
from loaders.sources.ocds.load import load_notices
from tests.loaders.ocds.builders import NOW, award, package, party, release, write_json

NO_SUITABILITY = {"status": "complete", "procurementMethodDetails": "Open procedure"}


def _planning(ocid, date):
    return release(ocid=ocid, rid=f"{ocid}-p", date=date, tags=("planning",))


def _tender(ocid, date, sme, vcse, **tender):
    suitability = {"sme": sme, "vcse": vcse}
    return release(ocid=ocid, rid=f"{ocid}-t", date=date,
                   tender={"suitability": suitability, **tender})  # fmt: skip


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    parties = [party("GB-CFS-1", "Ministry of Invented Affairs", "buyer"),
               party("S1", "Small Ltd", scale="sme"), party("S2", "Big plc", scale="large"),
               party("S3", "Unsure Ltd")]  # fmt: skip
    releases = [
        _planning("P1", "2025-01-02T10:00:00Z"),
        _tender("P1", "2025-01-12T10:00:00Z", True, False, title="G-Cloud 14 hosting",
                procurementMethodDetails="Call-off from a framework agreement"),
        _tender("P2", "2025-01-20T10:00:00Z", False, True),
        _tender("P3", "2024-12-20T10:00:00Z", True, True),
        release(ocid="P3", rid="P3-a", date="2025-01-15T10:00:00Z", tags=("award",),
                tender=NO_SUITABILITY, parties=parties,
                awards=[award("A1", 300.0, ["S1"]), award("A2", 100.0, ["S2"]),
                        award("A3", 50.0, ["S3"])]),
        _planning("P4", "2025-01-05T10:00:00Z"),
        _tender("P4", "2025-01-25T10:00:00Z", True, True),
        release(ocid="P5", rid="P5-a", date="2025-01-10T10:00:00Z", tags=("award",),
                tender=NO_SUITABILITY, parties=parties,
                awards=[award("A4", 1000.0, ["S1"], status="cancelled")]),
        _tender("P6", "2025-02-03T10:00:00Z", True, False),
    ]  # fmt: skip
    path = write_json(tmp_path_factory.mktemp("figures") / "page.json", package(releases))
    return load_notices([path], load_vocabulary(), now=NOW)


def _figures(tables, start=None, end=None):
    return opportunity_figures(tables.notices, tables.awards, tables.releases, start, end)


@pytest.mark.slow
def test_figures_of_january(tables):
    f = _figures(tables, "2025-01-01", "2025-02-01")
    # P1, P2, P3 (its award), P4, P5 (its award) have a notice in January; P6 does not
    assert f.notices == 5
    # P3's award notice states no suitability: its tender notice's stays in the compiled
    # release; P5 never stated any
    assert (f.suitability_stated, f.sme_suitable, f.vcse_suitable) == (4, 3, 3)
    assert f.sme_suitable_share == 75.0 and f.vcse_suitable_share == 75.0
    # A1 SME 300, A2 Large 100, A3 Unknown 50; A4 cancelled is no award
    assert (f.awards, f.awards_sme, f.awards_value_gbp) == (3, 1, 450.0)
    assert f.awards_sme_share_count == pytest.approx(100 / 3)
    assert f.awards_sme_share_value == pytest.approx(100 * 300 / 450)
    assert f.awards_by_size_group["Mixed"] == {"awards": 0, "value_gbp": 0.0}
    assert f.awards_by_size_group["Unknown"] == {"awards": 1, "value_gbp": 50.0}
    assert (f.call_offs, f.call_offs_by_framework) == (1, {"G-Cloud 14": 1})
    # tendered in January: P1 (planning 10 days before), P2 (none), P4 (20 days before)
    assert (f.tendered, f.planning_preceded) == (3, 2)
    assert f.planning_share == pytest.approx(200 / 3)
    assert f.median_lead_time_days == 15.0
    assert f.planning_processes == 2


def test_figures_by_page_id(tables):
    by_id = _figures(tables, "2025-01-01", "2025-02-01").by_id()
    assert list(by_id) == list(FIGURE_IDS)
    assert (by_id["opp-notices"], by_id["opp-awards"], by_id["opp-call-offs"]) == (5, 3, 1)


def test_whole_period_and_an_empty_one(tables):
    everything = _figures(tables)
    assert (everything.notices, everything.awards, everything.tendered) == (6, 3, 5)
    nothing = _figures(tables, "2026-01-01", "2026-02-01")
    assert (nothing.notices, nothing.awards) == (0, 0)
    assert nothing.sme_suitable_share is None and nothing.awards_sme_share_value is None
    assert nothing.median_lead_time_days is None


def test_filtered_frames_give_filtered_figures(tables):
    only_p2 = tables.notices[tables.notices["ocid"] == "P2"]
    no_awards = tables.awards.iloc[:0]
    f = opportunity_figures(only_p2, no_awards, tables.releases, "2025-01-01", "2025-02-01")
    assert (f.notices, f.sme_suitable, f.vcse_suitable, f.awards) == (1, 0, 1, 0)


def test_in_period_bounds():
    dates = pd.Series(
        pd.to_datetime(["2025-01-01 00:00", "2025-01-31 23:59", "2025-02-01 00:00", None])
    )
    assert list(in_period(dates, "2025-01-01", "2025-02-01")) == [True, True, False, False]
    assert list(in_period(dates)) == [True, True, True, True]
