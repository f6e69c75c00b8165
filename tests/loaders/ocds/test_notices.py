"""The notice tables from small invented files: suitability, stages, lead time, awards."""

from __future__ import annotations

import pandas as pd
import pytest

from loaders.catalogue import CANONICAL
from loaders.core.errors import LoaderInputError
from loaders.core.vocabulary import load_vocabulary
from loaders.sources.ocds.load import load_notices, local_dates
from tests.loaders.ocds.builders import NOW, award, package, party, release, write_json

VOCAB = load_vocabulary()


def _load(tmp_path, releases, name="page.json"):
    path = write_json(tmp_path / name, package(releases))
    return load_notices([path], VOCAB, now=NOW)


def _planning(ocid="ocds-p", rid="p1", date="2025-01-02T09:00:00Z"):
    return release(ocid=ocid, rid=rid, date=date, tags=("planning",), tender={"status": "planned"})


@pytest.mark.slow
def test_tables_have_their_columns_and_one_notice_per_process(tmp_path):
    tables = _load(
        tmp_path,
        [release(ocid="a"), release(ocid="b"), release(ocid="a", rid="r2", date="2025-01-11")],
    )
    for name in ("ocds_releases", "notices", "awards", "award_suppliers"):
        frame = tables.releases if name == "ocds_releases" else getattr(tables, name)
        assert list(frame.columns) == CANONICAL[name].columns
    assert list(tables.notices["ocid"]) == ["a", "b"]
    assert list(tables.notices["releases"]) == [2, 1]
    assert tables.notices.loc[0, "release_ids"] == "r1; r2"


@pytest.mark.parametrize(
    "suitability, sme, vcse",
    [
        pytest.param({"sme": True, "vcse": False}, True, False, id="both-stated"),
        pytest.param({"sme": False}, False, None, id="vcse-not-stated"),
        pytest.param({}, None, None, id="none-stated"),
        pytest.param({"sme": "yes"}, None, None, id="not-a-boolean"),
    ],
)
@pytest.mark.slow
def test_suitability(tmp_path, suitability, sme, vcse):
    notices = _load(tmp_path, [release(tender={"suitability": suitability})]).notices
    found = [notices.loc[0, "sme_suitable"], notices.loc[0, "vcse_suitable"]]
    assert [None if pd.isna(v) else bool(v) for v in found] == [sme, vcse]


@pytest.mark.slow
def test_stage_dates_and_lead_time(tmp_path):
    releases = [
        _planning(date="2025-01-02T09:00:00Z"),
        release(ocid="ocds-p", rid="t1", date="2025-01-16T23:30:00Z"),  # tender, a day later
        release(ocid="ocds-p", rid="t2", date="2025-01-20T10:00:00Z", tags=("tenderAmendment",)),
        release(
            ocid="ocds-p",
            rid="a1",
            date="2025-02-03T10:00:00Z",
            tags=("award",),
            awards=[award("A1", 10.0, [])],
        ),  # fmt: skip
    ]
    notice = _load(tmp_path, releases).notices.iloc[0]
    assert notice["planning_date"] == pd.Timestamp("2025-01-02 09:00")
    assert notice["tender_date"] == pd.Timestamp("2025-01-16 23:30")  # GMT: same as UTC
    assert notice["award_date"] == pd.Timestamp("2025-02-03 10:00")
    assert notice["stage"] == "award"
    assert notice["lead_time_days"] == 14.0  # calendar days, 2 to 16 January
    assert notice["first_published"] == pd.Timestamp("2025-01-02 09:00")


@pytest.mark.slow
def test_no_lead_time_without_a_planning_notice_or_when_planning_came_after(tmp_path):
    releases = [
        release(ocid="ocds-no-plan"),
        release(ocid="ocds-late-plan", rid="t", date="2025-01-05T00:00:00Z"),
        _planning(ocid="ocds-late-plan", rid="p", date="2025-01-09T00:00:00Z"),
        _planning(ocid="ocds-only-plan"),
    ]
    notices = _load(tmp_path, releases).notices.set_index("ocid")
    assert notices["lead_time_days"].isna().all()
    assert notices.loc["ocds-only-plan", "stage"] == "planning"
    assert pd.isna(notices.loc["ocds-only-plan", "tender_date"])


def test_dates_are_uk_local_time():
    dates = local_dates(["2025-06-30T23:30:00Z", "2021-07-09T00:00:00+01:00", "soon", None])
    assert list(dates[:2]) == [pd.Timestamp("2025-07-01 00:30"), pd.Timestamp("2021-07-09")]
    assert dates[2:].isna().all()


@pytest.mark.slow
def test_awards_size_groups_values_and_first_publication(tmp_path):
    parties = [
        party("GB-CFS-1", "Ministry of Invented Affairs", "buyer"),
        party("S1", "Small Ltd", scale="sme"),
        party("S2", "Big plc", scale="large"),
        party("S3", "Nobody Knows Ltd"),
    ]
    first = release(
        rid="a1",
        date="2025-01-20T10:00:00Z",
        tags=("award",),
        parties=parties,
        awards=[award("A1", 100.0, ["S1"]), award("A2", 50.0, ["S1", "S2"])],
    )
    update = release(rid="a2", date="2025-01-25T10:00:00Z", tags=("awardUpdate",),
                     parties=parties, awards=[award("A1", 120.0, ["S1"]),
                                              award("A3", None, ["S3"])])  # fmt: skip
    tables = _load(tmp_path, [first, update])
    awards = tables.awards.set_index("award_id")
    assert list(awards.index) == ["A1", "A2", "A3"]
    assert list(awards["size_group"]) == ["SME", "Mixed", "Unknown"]
    assert list(awards["value_gbp"].fillna(-1)) == [120.0, 50.0, -1]
    assert awards.loc["A1", "published"] == pd.Timestamp("2025-01-20 10:00")
    assert awards.loc["A3", "published"] == pd.Timestamp("2025-01-25 10:00")
    assert awards.loc["A2", "suppliers"] == "Small Ltd; Big plc"
    assert tuple(awards.loc["A2", ["sme_suppliers", "large_suppliers"]]) == (1, 1)
    assert awards.loc["A1", "customer"] == "Ministry of Invented Affairs"
    # the load report counts every award once, at its latest value (no value: £0)
    assert tables.report["awards_by_size_group"] == {
        "Mixed": {"awards": 1, "value_gbp": 50.0},
        "SME": {"awards": 1, "value_gbp": 120.0},
        "Unknown": {"awards": 1, "value_gbp": 0.0},
    }
    suppliers = tables.award_suppliers
    assert list(suppliers["supplier_key"]) == ["small", "small", "big", "nobody knows"]
    assert list(suppliers["size_status"]) == ["SME", "SME", "Large", "Unknown"]


@pytest.mark.slow
def test_call_off_and_framework_named(tmp_path):
    tender = {"title": "Cloud hosting", "description": "Under RM1557.14 lot 2",
              "procurementMethodDetails": "Call-off from a framework agreement"}  # fmt: skip
    notice = _load(tmp_path, [release(tender=tender)]).notices.iloc[0]
    assert notice["call_off"] and notice["call_off_from"] == "framework agreement"
    assert (notice["framework"], notice["framework_iteration"]) == ("G-Cloud", "G-Cloud 14")
    assert notice["frameworks_named"] == "RM1557.14"


@pytest.mark.slow
def test_text_is_kept_as_published(tmp_path):
    title = "Caf\u00e2\u20ac\u00afé <b>works</b> rn & more\r\n"
    notice = _load(tmp_path, [release(tender={"title": title, "description": "=1+2"})]).notices
    assert notice.loc[0, "title"] == title
    assert notice.loc[0, "description"] == "=1+2"


@pytest.mark.slow
def test_buyer_falls_back_to_the_party_with_the_buyer_role(tmp_path):
    value = release(parties=[party("B9", "Council of Nowhere", "buyer")])
    del value["buyer"]
    notice = _load(tmp_path, [value]).notices.iloc[0]
    assert (notice["buyer_name"], notice["buyer_id"]) == ("Council of Nowhere", "B9")
    assert notice["sector"] == "Local Government" and notice["sector_method"] == "name_rule"


def test_a_file_where_no_release_has_an_ocid_is_not_ocds(tmp_path):
    path = write_json(tmp_path / "other.json", {"releases": [{"name": "v1.2"}, {"name": "v2"}]})
    with pytest.raises(LoaderInputError, match="none of its 2 releases has an ocid"):
        load_notices([path], VOCAB, now=NOW)


def test_no_files_give_empty_tables():
    tables = load_notices([], VOCAB)
    assert tables.notices.empty and tables.report == {}


@pytest.mark.slow
def test_tables_are_the_same_whatever_the_chunk_size(tmp_path, monkeypatch):
    from loaders.sources.ocds import load

    parties = [party("S1", "Small Ltd", scale="sme"), party("S2", "Big plc", scale="large")]
    releases = [
        release(ocid=f"o{i % 3}", rid=f"r{i}", date=f"2025-01-{i + 1:02d}", parties=parties,
                awards=[award(f"A{i}", 10.0 * i, ["S1", "S2"][: i % 2 + 1],
                              date=f"2025-01-{i + 1:02d}T00:00:00Z")])  # distinct awards
        for i in range(7)
    ]  # fmt: skip
    releases[4] = {"id": "no-ocid"}
    whole = _load(tmp_path, releases)
    monkeypatch.setattr(load, "CHUNK", 2)
    chunked = _load(tmp_path, releases)  # the same file again, in chunks of two rows
    assert len(whole.awards) == 6 and len(whole.award_suppliers) == 9
    for name in ("releases", "notices", "awards", "award_suppliers"):
        pd.testing.assert_frame_equal(getattr(chunked, name), getattr(whole, name))


@pytest.mark.slow
def test_a_process_whose_releases_cannot_be_merged_is_quarantined_whole(tmp_path):
    as_object = release(ocid="ocds-odd", rid="1", tender={"items": {"id": "x"}})
    as_list = release(ocid="ocds-odd", rid="2", date="2025-01-11", tender={"items": [{"id": "x"}]})
    tables = _load(tmp_path, [as_object, as_list, release(ocid="ocds-fine")])
    assert list(tables.notices["ocid"]) == ["ocds-fine"]
    odd = tables.releases[tables.releases["ocid"] == "ocds-odd"]
    assert list(odd["status"]) == ["quarantined", "quarantined"]
    assert set(odd["reason"]) == {"process cannot be compiled"}
    assert "for /tender/items" in odd["detail"].iloc[0]
    totals = tables.report["totals"]
    assert (totals["releases_read"], totals["releases_loaded"]) == (3, 1)
    assert totals["releases_quarantined"] == 2 and totals["reconciles"]


@pytest.mark.slow
def test_release_ids_are_listed_oldest_first(tmp_path):
    later, earlier = release(rid="later", date="2025-01-12"), release(rid="earlier")
    notice = _load(tmp_path, [later, earlier]).notices.iloc[0]
    assert notice["release_ids"] == "earlier; later"
    assert notice["first_published"] == pd.Timestamp("2025-01-10 10:00")
