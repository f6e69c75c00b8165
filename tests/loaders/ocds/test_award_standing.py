"""Awards as they stand: only made awards count; the value each counts with; bids per lot."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest

import loaders
from dashboard.analytics.notice_figures import opportunity_figures
from loaders.core.vocabulary import REFERENCE_DIR
from tests.loaders.ocds.builders import write_json
from tests.loaders.ocds.uk_builders import PCR, award, buyer, contract, fts, package, supplier

BRIGHTON = buyer("Brighton & Hove City Council", "GB-PPON-PBHC-6620-SSXE",
                 "publicAuthoritySubCentralGovernment")  # fmt: skip
HMRC = buyer("HM Revenue and Customs", "GB-PPON-PHMR-1187-TAXS", "publicAuthorityCentralGovernment")
SME = supplier("Seven Dials Digital Ltd", "GB-COH-12876543", "sme")
LARGE = supplier("Coastway Facilities Management Ltd", "GB-PPON-PCFM-2290-SHOR", "large")
CASE02 = Path(__file__).resolve().parents[4] / "shared" / "field-cases" / "turn3" / "case02"


def _load(tmp_path, releases) -> loaders.LoadResult:
    return loaders.load(write_json(tmp_path / "fts.json", package(releases)))


def _standings(result) -> dict[str, str]:
    frame = result.awards
    return dict(zip(frame["ocid"].str[-6:] + "/" + frame["award_id"], frame["standing"],
                    strict=True))  # fmt: skip


def _status_rows() -> list[dict[str, str]]:
    with (REFERENCE_DIR / "ocds_award_statuses.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize(
    "row", [pytest.param(r, id=r["status"] or "none") for r in _status_rows()]
)  # fmt: skip
def test_each_award_status_stands_as_the_reference_table_says(tmp_path, row):
    release = fts("990960-2026", "0e0302", ["award"], "2026-08-25T10:00:00+01:00", BRIGHTON,
                  "UK6", {"title": "User research"}, parties=[SME],
                  awards=[award("1", row["status"] or None, SME["id"], 90_000)])  # fmt: skip
    assert list(_load(tmp_path, [release]).awards["standing"]) == [row["standing"]]


def test_a_status_outside_the_codelist_stands_as_unknown(tmp_path):
    release = fts("990960-2026", "0e0302", ["award"], "2026-08-25T10:00:00Z", BRIGHTON, "UK6",
                  parties=[SME], awards=[award("1", "proposed", SME["id"], 90_000)])  # fmt: skip
    assert list(_load(tmp_path, [release]).awards["standing"]) == ["unknown"]


def _brighton() -> list[dict]:
    """A UK6 in standstill; a UK6 pending then its UK7 (the same award, value in both)."""
    pending = fts(
        "991000-2026",
        "0e0301",
        ["award", "contract"],
        "2026-09-20T12:30:00+01:00",
        BRIGHTON,
        "UK6",
        {"title": "Cleaning"},
        parties=[LARGE],
        awards=[
            award(
                "1",
                "pending",
                LARGE["id"],
                520_000,
                624_000,
                standstillPeriod={"endDate": "2026-09-30T23:59:59+01:00"},
            )
        ],
    )
    uk6 = fts(
        "990960-2026",
        "0e0302",
        ["award", "contract"],
        "2026-08-25T10:00:00+01:00",
        BRIGHTON,
        "UK6",
        {"title": "User research"},
        parties=[SME],
        awards=[award("1", "pending", SME["id"], 90_000, 108_000)],
    )
    uk7 = fts(
        "991020-2026",
        "0e0302",
        ["award", "contract"],
        "2026-09-12T09:45:00+01:00",
        BRIGHTON,
        "UK7",
        {"title": "User research"},
        parties=[SME],
        awards=[award("1", "active", SME["id"])],
        contracts=[contract("1", 90_000, 108_000)],
    )
    return [pending, uk6, uk7]  # fmt: skip


def test_an_award_in_standstill_is_shown_apart_and_never_counted(tmp_path):
    result = _load(tmp_path, _brighton())
    assert _standings(result) == {"0e0301/1": "pending", "0e0302/1": "made"}
    kept = result.awards.set_index("ocid")
    assert kept.loc["ocds-h6vhtk-0e0301", "standstill_end"] == pd.Timestamp("2026-09-30 23:59:59")
    made = kept.loc["ocds-h6vhtk-0e0302"]
    assert (made["value_gbp"], made["notice_type"]) == (90_000, "UK7")  # once, not £180,000
    figures = opportunity_figures(result.notices, result.awards, result.ocds_releases)
    assert (figures.awards, figures.awards_value_gbp, figures.awards_sme_share_count) == (
        1, 90_000, 100.0)  # fmt: skip
    standing = result.report["find_a_tender"]["awards_by_standing"]
    assert standing == {"made": {"awards": 1, "value_gbp": 90_000.0},
                        "pending": {"awards": 1, "value_gbp": 520_000.0}}  # fmt: skip


def test_a_contract_value_counts_and_a_change_replaces_it(tmp_path):
    """UK7 gives the value only in contracts; UK10 gives the changed total."""
    uk7 = fts(
        "991100-2026",
        "0e0401",
        ["award", "contract"],
        "2026-07-20T16:05:12+01:00",
        HMRC,
        "UK7",
        {"title": "Cloud hosting"},
        parties=[SME],
        awards=[award("1", "active", SME["id"])],
        contracts=[contract("1", 1_250_000, 1_500_000)],
    )
    uk10 = fts(
        "991300-2026",
        "0e0401",
        ["contractAmendment"],
        "2026-11-02T14:20:00Z",
        HMRC,
        "UK10",
        {"title": "Cloud hosting"},
        parties=[SME],
        awards=[{"id": "1", "suppliers": [{"id": SME["id"]}]}],
        contracts=[{"id": "1", "awardID": "1", "value": {"amount": 1_450_000, "currency": "GBP"}}],
    )
    gross_only = fts("991105-2026", "0e0402", ["award", "contract"], "2026-07-21T10:11:00Z",
                     HMRC, "UK7", parties=[LARGE], awards=[award("1", "active", LARGE["id"])],
                     contracts=[contract("1", gross=96_000)])  # fmt: skip
    awards = _load(tmp_path, [uk7, uk10, gross_only]).awards.set_index("ocid")
    hmrc = awards.loc["ocds-h6vhtk-0e0401"]
    assert (hmrc["standing"], hmrc["value_gbp"], hmrc["signed_value_gbp"]) == (
        "made", 1_450_000, 1_250_000)  # fmt: skip
    assert pd.isna(hmrc["award_value_gbp"]) and hmrc["notice_type"] == "UK10"
    dfe = awards.loc["ocds-h6vhtk-0e0402"]
    assert pd.isna(dfe["value_gbp"]) and dfe["value_gross_gbp"] == 96_000


@pytest.mark.parametrize(
    "sections, standing",
    [
        pytest.param({"awards": [award("1", "active", "GB-COH-12876543")],
                      "contracts": [contract("1", status="cancelled")]}, "cancelled",
                     id="contract-cancelled-by-a-termination"),
        pytest.param({"awards": [{"id": "7", "suppliers": [{"id": "GB-COH-12876543"}]}]},
                     "not an award", id="dynamic-market-member"),
    ],
)  # fmt: skip
def test_awards_that_are_not_made(tmp_path, sections, standing):
    notice_type = "UK15" if standing == "not an award" else "UK7"
    release = fts("990001-2026", "0e0001", ["award", "contract"], "2026-07-01T10:00:00Z", HMRC,
                  notice_type, parties=[SME], **sections)  # fmt: skip
    assert list(_load(tmp_path, [release]).awards["standing"]) == [standing]


def test_an_intended_direct_award_is_pending_until_its_contract(tmp_path):
    uk5 = fts("990500-2026", "0e0501", ["award"], "2026-07-01T10:00:00Z", HMRC, "UK5",
              parties=[SME], awards=[award("1", "pending", SME["id"], 50_000)])  # fmt: skip
    uk7 = fts("990700-2026", "0e0501", ["award", "contract"], "2026-08-01T10:00:00Z", HMRC, "UK7",
              parties=[SME], awards=[award("1", "active", SME["id"])],
              contracts=[contract("1", 50_000)])  # fmt: skip
    assert list(_load(tmp_path, [uk5]).awards["standing"]) == ["pending"]
    assert list(_load(tmp_path / "..", [uk5, uk7]).awards["standing"]) == ["made"]


def test_bid_statistics_per_lot_and_the_two_measures_kept_apart(tmp_path):
    stats = [{"id": str(i), "measure": m, "value": v, "relatedLot": lot}
             for i, (lot, m, v) in enumerate(
                 [("1", "bids", 6), ("1", "finalStageBids", 4), ("1", "smeFinalStageBids", 3),
                  ("1", "vcseFinalStageBids", 1), ("2", "bids", 4), ("2", "finalStageBids", 4),
                  ("2", "smeFinalStageBids", 1), ("2", "vcseFinalStageBids", 0),
                  ("2", "lowestValidBidValue", 10)])]  # fmt: skip
    act = fts("990900-2026", "0e0201", ["award"], "2026-09-01T17:02:45+01:00", BRIGHTON, "UK6",
              parties=[SME], awards=[award("1", "active", SME["id"], 1.0)],
              bids={"statistics": stats})  # fmt: skip
    celex = fts("991400-2026", "0e0502", ["award"], "2026-07-28T16:20:00Z", BRIGHTON, None,
                {"legalBasis": PCR}, bids={"statistics": [
                    {"id": "1", "measure": "bids", "value": 5, "relatedLot": "1"},
                    {"id": "2", "measure": "smeBids", "value": 3, "relatedLot": "1"}]})  # fmt: skip
    bids = _load(tmp_path, [act, celex]).bids.set_index(["ocid", "lot_id"])
    leeds = bids.loc["ocds-h6vhtk-0e0201"]
    assert list(leeds["final_stage_bids"]) == [4, 4] and list(leeds["sme_final_stage_bids"]) == [
        3,
        1,
    ]
    assert leeds["procurement_act"].all() and leeds["sme_bids"].isna().all()
    old = bids.loc[("ocds-h6vhtk-0e0502", "1")]
    assert (old["bids"], old["sme_bids"], old["procurement_act"]) == (5, 3, False)
    assert pd.isna(old["final_stage_bids"])


def _case02_kind(tmp_path: Path) -> Path:
    """Another member of kind 02: a Contracts Finder-shaped award in standstill beside an
    active one, and a UK6 pending whose standstill ended with no contract reported."""
    releases = [
        {"ocid": "ocds-b5fd17-aaaa", "id": "a-1", "date": "2025-02-01T09:00:00Z",
         "tag": ["award"], "buyer": {"id": "b", "name": "Leeds City Council"},
         "parties": [{"id": "b", "name": "Leeds City Council", "roles": ["buyer"]},
                     supplier("Alpha Ltd", "s1", "sme"), supplier("Beta plc", "s2", "large")],
         "awards": [award("1", "pending", "s2", 70_000), award("2", "active", "s1", 30_000)]},
    ]  # fmt: skip
    return write_json(tmp_path / "cf.json", package(releases))


def test_kind_02_another_member(tmp_path):
    result = loaders.load(_case02_kind(tmp_path))
    figures = opportunity_figures(result.notices, result.awards, result.ocds_releases)
    assert (figures.awards, figures.awards_value_gbp, figures.awards_sme_share_value) == (
        1, 30_000, 100.0)  # fmt: skip


@pytest.mark.skipif(not CASE02.is_dir(), reason="../shared/field-cases/turn3 is absent")
def test_field_case_02_gives_its_right_values():
    expected = json.loads((CASE02 / "expected-handed.json").read_text(encoding="utf-8"))
    result = loaders.load(CASE02 / "handed")
    figures = opportunity_figures(result.notices, result.awards, result.ocds_releases)
    assert figures.awards == expected["awards"]
    assert figures.awards_value_gbp == expected["awards_value_gbp"]
    assert figures.awards_sme_share_count == expected["awards_sme_share_count"]
    assert figures.awards_sme_share_value == expected["awards_sme_share_value"]
    assert sorted(result.awards["standing"]) == ["made", "pending"]
