"""What Find a Tender notices say, read where they say it: notice type per release, legal basis,
CPV and contract period of Procurement Act notices, stages, values in other currencies."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

import loaders
from loaders.core.vocabulary import REFERENCE_DIR
from tests.loaders.ocds.builders import write_json
from tests.loaders.ocds.uk_builders import (
    PCR,
    award,
    buyer,
    contract,
    fts,
    package,
    planned,
    supplier,
    value,
)

MOJ = buyer("Ministry of Justice", "GB-PPON-PZMJ-4821-QTRK", "publicAuthorityCentralGovernment")
SME = supplier("Invented Grounds Ltd", "GB-COH-00000001")


def _rows(name: str) -> list[dict[str, str]]:
    with (REFERENCE_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _load(tmp_path, releases, name="fts.json") -> loaders.LoadResult:
    return loaders.load(write_json(tmp_path / name, package(releases)))


def _release_of_type(notice_type: str) -> dict:
    """A release of ``notice_type`` with what that type carries (awards, contracts)."""
    sections = {}
    if notice_type in ("UK5", "UK6"):
        sections = {"awards": [award("1", "pending", SME["id"], 10.0)], "parties": [SME]}
    elif notice_type in ("UK7", "UK8", "UK9", "UK10", "UK11"):
        sections = {"awards": [award("1", "active", SME["id"])], "parties": [SME],
                    "contracts": [contract("1", 10.0)]}  # fmt: skip
    return fts("990001-2026", "0e0001", ["tender"], "2026-07-01T10:00:00+01:00", MOJ,
               notice_type, {"title": "A notice"}, **sections)  # fmt: skip


@pytest.mark.parametrize(
    "notice_type", [pytest.param(r["notice_type"], id=r["notice_type"])
                    for r in _rows("ocds_notice_types.csv")]
)  # fmt: skip
def test_each_release_has_the_notice_type_of_its_own_document(tmp_path, notice_type):
    result = _load(tmp_path, [_release_of_type(notice_type)])
    assert list(result.ocds_releases["notice_type"].astype(object)) == [notice_type]
    assert result.notices.iloc[0]["latest_notice_type"] == notice_type


def test_the_notice_type_is_read_per_release_not_from_the_compiled_process(tmp_path):
    uk1 = fts("990101-2026", "0e0101", ["planning"], "2026-05-12T10:00:00+01:00", MOJ, "UK1",
              planned("Grounds maintenance", 4e6))  # fmt: skip
    uk4 = fts("990801-2026", "0e0101", ["tender"], "2026-09-15T11:00:00+01:00", MOJ, "UK4",
              {"title": "Grounds maintenance", "status": "active"})  # fmt: skip
    result = _load(tmp_path, [uk4, uk1])
    assert list(result.ocds_releases.sort_values("date")["notice_type"]) == ["UK1", "UK4"]
    assert result.notices.iloc[0]["notice_types"] == "UK1; UK4"


@pytest.mark.parametrize(
    "row", [pytest.param(r, id=r["id"]) for r in _rows("ocds_legal_bases.csv")]
)  # fmt: skip
def test_legal_basis(tmp_path, row):
    basis = {"scheme": row["scheme"], "id": row["id"]}
    release = fts("990001-2026", "0e0001", ["tender"], "2026-07-01T10:00:00Z", MOJ, None,
                  {"legalBasis": basis, "title": "A tender"})  # fmt: skip
    notice = _load(tmp_path, [release]).notices.iloc[0]
    assert notice["legal_basis"] == row["legal_basis"]
    assert bool(notice["procurement_act"]) is (row["procurement_act"] == "yes")


def test_an_unknown_legal_basis_is_kept_as_published_and_contracts_finder_states_none(tmp_path):
    release = fts("990001-2026", "0e0001", ["tender"], "2026-07-01T10:00:00Z", MOJ, None,
                  {"legalBasis": {"scheme": "CELEX", "id": "31999L0001"}})  # fmt: skip
    notice = _load(tmp_path, [release]).notices.iloc[0]
    assert notice["legal_basis"] == "CELEX 31999L0001" and pd.isna(notice["procurement_act"])


def test_cpv_and_contract_period_of_act_notices_come_from_items_and_lots(tmp_path):
    tender = {
        "title": "Security",
        "status": "active",
        "items": [
            {
                "id": "1",
                "additionalClassifications": [
                    {"scheme": "CPV", "id": "79710000", "description": "Security services"}
                ],
            }
        ],
        "lots": [
            {
                "id": "1",
                "contractPeriod": {
                    "startDate": "2028-01-01T00:00:00Z",
                    "endDate": "2030-12-31T23:59:59Z",
                },
            },
            {
                "id": "2",
                "contractPeriod": {
                    "startDate": "2027-07-01T00:00:00+01:00",
                    "endDate": "2032-12-31T23:59:59Z",
                },
            },
        ],
    }
    release = fts("990001-2026", "0e0001", ["tender"], "2026-07-01T10:00:00Z", MOJ, "UK4", tender)
    notice = _load(tmp_path, [release]).notices.iloc[0]
    assert (notice["cpv_code"], notice["cpv_division"]) == ("79710000", "79")
    assert notice["contract_start"] == pd.Timestamp("2027-07-01")
    assert notice["contract_end"] == pd.Timestamp("2032-12-31 23:59:59")


def test_a_legacy_cpv_in_tender_classification_still_comes_first(tmp_path):
    tender = {
        "legalBasis": PCR,
        "classification": {"scheme": "CPV", "id": "90610000"},
        "items": [{"id": "1", "additionalClassifications": [{"scheme": "CPV", "id": "77310000"}]}],
    }
    release = fts("990012-2025", "0e0002", ["tender"], "2025-01-14T14:10:00Z", MOJ, None, tender)
    assert _load(tmp_path, [release]).notices.iloc[0]["cpv_code"] == "90610000"


def test_a_procurement_termination_is_no_tender_and_its_pseudo_award_no_award(tmp_path):
    """UK12 is tagged tenderCancellation: without the notice type the withdrawn pipeline
    would read as a tender (and a 147-day lead time)."""
    uk1 = fts("990120-2026", "0e0601", ["planning"], "2026-05-20T11:00:00+01:00", MOJ, "UK1",
              planned("Vehicle maintenance", 3.5e6))  # fmt: skip
    uk12 = fts(
        "991200-2026",
        "0e0601",
        ["tenderCancellation"],
        "2026-10-14T10:05:00+01:00",
        MOJ,
        "UK12",
        {"status": "withdrawn"},
        with_buyer=False,
        awards=[{"id": "1", "status": "cancelled", "statusDetails": "Done in house"}],
    )
    result = _load(tmp_path, [uk1, uk12])
    notice = result.notices.iloc[0]
    assert (notice["stage"], notice["tender_status"]) == ("planning", "withdrawn")
    assert pd.isna(notice["tender_date"]) and pd.isna(notice["lead_time_days"])
    assert notice["customer"] == "Ministry of Justice"  # the buyer party, no buyer field
    assert list(result.awards["standing"]) == ["not an award"]


def test_a_value_in_another_currency_leaves_the_rest_of_the_notice_counted(tmp_path):
    tender = {"title": "Net zero advice", "value": value(900_000, 1_080_000),
              "lots": [{"id": "1", "value": value(900_000, currency="AED")}]}  # fmt: skip
    release = fts("990815-2026", "0e0106", ["tender"], "2026-09-17T13:12:00+01:00", MOJ, "UK4",
                  tender)  # fmt: skip
    result = _load(tmp_path, [release])
    assert result.report["find_a_tender"]["totals"]["releases_loaded"] == 1
    assert result.notices.iloc[0]["value_gbp"] == 900_000
    assert result.ocds_releases.iloc[0]["values_not_gbp"] == "tender.lots[0].value in AED"


def test_a_gross_only_value_is_never_turned_into_a_net_one(tmp_path):
    release = fts("990102-2026", "0e0102", ["planning"], "2026-05-12T10:16:40+01:00", MOJ, "UK1",
                  planned("Case management support", gross=3_000_000))  # fmt: skip
    notice = _load(tmp_path, [release]).notices.iloc[0]
    assert pd.isna(notice["value_gbp"]) and notice["value_gross_gbp"] == 3_000_000


def test_a_number_beyond_a_double_is_read(tmp_path):
    """Find a Tender writes ``1e9999`` for "no maximum"; the fast JSON reader overflows on it."""
    release = fts("990001-2026", "0e0001", ["tender"], "2026-07-01T10:00:00Z", MOJ, "UK4",
                  {"title": "Lots", "lotDetails": {"maximumLotsBidPerSupplier": 7}})  # fmt: skip
    text = write_json(tmp_path / "x.json", package([release, {**release, "id": "990002-2026"}]))
    text.write_text(text.read_text().replace('"maximumLotsBidPerSupplier": 7',
                                             '"maximumLotsBidPerSupplier": 1e9999'))  # fmt: skip
    result = loaders.load(text)
    assert result.report["find_a_tender"]["totals"]["releases_loaded"] == 2


def test_numbers_beyond_a_double_anywhere_in_the_file_are_read(tmp_path):
    """Other members of the kind: a negative overflow, an overflow before the releases list
    (the package scan reads it first) and one in the second release only."""
    release = fts("990003-2026", "0e0002", ["tender"], "2026-07-01T10:00:00Z", MOJ, "UK4",
                  {"title": "Lots", "lotDetails": {"maximumLotsBidPerSupplier": 7}})  # fmt: skip
    body = package([release, {**release, "id": "990004-2026"}])
    text = write_json(tmp_path / "y.json", {"extra": 1, **body})
    raw = text.read_text().replace('"extra": 1', '"extra": -1e500')
    at = raw.rindex('"maximumLotsBidPerSupplier": 7')
    text.write_text(raw[:at] + '"maximumLotsBidPerSupplier": 2e400' + raw[at + 30 :])
    assert "-1e500" in text.read_text() and text.read_text().count("2e400") == 1
    result = loaders.load(text)
    assert result.report["find_a_tender"]["totals"]["releases_loaded"] == 2
