"""Every UK notice platform: files claimed by their first ocid, the platform on every notice,
Public Contracts Scotland's missing release ids, buyers placed by their classification last."""

from __future__ import annotations

import pandas as pd
import pytest

import loaders
from loaders.sources.registry import claimant
from tests.loaders.ocds.builders import write_json, write_jsonl
from tests.loaders.ocds.uk_builders import award, buyer, fts, package, pcs, supplier

CENTRAL = "publicAuthorityCentralGovernment"
EDINBURGH = {"id": "org-1", "name": "City of Edinburgh Council", "roles": ["buyer"],
             "details": {"classifications": [{"id": "Regional or local authority",
                                              "scheme": "TED_CA_TYPE"}]}}  # fmt: skip
SUP = {"id": "org-2", "name": "Lothian Surfacing Ltd", "roles": ["supplier"],
       "details": {"scale": "sme"}}  # fmt: skip
TENDER = {"title": "Playground resurfacing", "status": "active",
          "value": {"amount": 640000.0, "currency": "GBP"}}  # fmt: skip


def _scottish() -> list[dict]:
    return [
        pcs(901001, "2026-07-29T00:00:00Z", ["tender"], EDINBURGH, TENDER, "JUL901001"),
        pcs(901001, "2026-10-05T00:00:00Z", ["award"], EDINBURGH, {**TENDER, "status": "complete"},
            "OCT901777", parties=[SUP],
            awards=[{"id": "1", "status": "active", "value": {"amount": 612500.0},
                     "suppliers": [{"id": "org-2"}]}]),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "ocid, source",
    [
        pytest.param("ocds-h6vhtk-0a0001", "find_a_tender", id="find-a-tender"),
        pytest.param("ocds-r6ebe6-0000901001", "public_contracts_scotland", id="scotland"),
        pytest.param("ocds-kuma6s-990201", "sell2wales", id="wales"),
        pytest.param("ocds-b5fd17-aaaa", "contracts_finder", id="contracts-finder"),
        pytest.param("ocds-zz9zz9-1", "contracts_finder", id="any-other-ocds-file"),
    ],
)  # fmt: skip
@pytest.mark.parametrize("kind", ["package", "lines", "gzip"])
def test_a_file_is_claimed_by_its_first_ocid_whatever_its_name(tmp_path, ocid, source, kind):
    release = {"ocid": ocid, "id": "1", "date": "2026-01-01T00:00:00Z", "tag": ["tender"]}
    if kind == "lines":
        path = write_jsonl(tmp_path / "notices.jsonl", [release])
    else:
        name = "page-001.json" if kind == "package" else "x.json.gz"
        path = write_json(tmp_path / name, package([release]), gzipped=kind == "gzip")
    assert claimant(path).name == source


def test_a_link_to_another_platform_before_the_first_ocid_does_not_decide(tmp_path):
    release = {"links": [{"rel": "canonical", "href": "https://x/Notice?id=ocds-r6ebe6-1"}],
               "ocid": "ocds-h6vhtk-0a0001", "id": "1", "date": "2026-01-01T00:00:00Z"}  # fmt: skip
    path = write_json(tmp_path / "fts.json", package([release]))
    assert claimant(path).name == "find_a_tender"


def test_public_contracts_scotland_releases_are_given_their_notice_reference(tmp_path):
    result = loaders.load(write_json(tmp_path / "pcs.json", package(_scottish())))
    section = result.report["public_contracts_scotland"]
    assert section["totals"]["releases_loaded"] == 2 and section["release_ids_derived"] == 2
    assert sorted(result.ocds_releases["release_id"]) == ["JUL901001", "OCT901777"]
    assert result.ocds_releases["id_derived"].all()
    notice = result.notices.iloc[0]
    assert (notice["platform"], notice["stage"]) == ("Public Contracts Scotland", "award")
    assert list(result.awards["value_gbp"]) == [612_500.0]


def test_without_its_profile_a_release_without_id_is_still_quarantined(tmp_path):
    path = write_json(tmp_path / "cf.json", package([{**_scottish()[0],
                                                      "ocid": "ocds-b5fd17-x"}]))  # fmt: skip
    result = loaders.load(path)
    assert result.report["ocds"]["totals"]["quarantined_by_reason"] == {"no release id": 1}


def test_the_same_notice_read_twice_is_one_release(tmp_path):
    paths = [write_json(tmp_path / f"pcs-{i}.json", package(_scottish())) for i in (1, 2)]
    totals = loaders.load(paths).report["public_contracts_scotland"]["totals"]
    assert (totals["releases_loaded"], totals["releases_duplicate"]) == (2, 2)


def test_every_notice_carries_its_platform_and_each_source_its_report(tmp_path):
    moj = buyer("Ministry of Justice", "GB-PPON-1", "publicAuthorityCentralGovernment")
    wales = {**_scottish()[0], "ocid": "ocds-kuma6s-990201", "id": "ocds-kuma6s-990201-release-1"}
    paths = [write_json(tmp_path / "a.json", package([fts("990001-2026", "0a0001", ["tender"],
                                                          "2026-07-01T10:00:00Z", moj, "UK4")])),
             write_json(tmp_path / "b.json", package(_scottish())),
             write_json(tmp_path / "c.json", package([wales]))]  # fmt: skip
    result = loaders.load(paths)
    assert dict(zip(result.notices["ocid"].str[:11], result.notices["platform"], strict=True)) == {
        "ocds-h6vhtk": "Find a Tender", "ocds-r6ebe6": "Public Contracts Scotland",
        "ocds-kuma6s": "Sell2Wales"}  # fmt: skip
    for key in ("find_a_tender", "public_contracts_scotland", "sell2wales"):
        assert result.report[key]["totals"]["reconciles"]
    words = result.describe()
    assert "Find a Tender notices (OCDS)" in words and "Sell2Wales notices (OCDS)" in words


@pytest.mark.parametrize(
    "name, classes, platform, sector, group, method",
    [
        pytest.param("Llywodraeth Cymru / Welsh Government", {"ca": CENTRAL,
                     "devolved": "GB-WLS"}, "h6vhtk", "Devolved Administrations", "Non-Whitehall",
                     "name_rule", id="name-rules-first"),
        pytest.param("Anglian Water Services Limited", {"ca": "privateUtility"}, "h6vhtk",
                     "Private Sector", "Unclassified", "buyer_type", id="private-utility"),
        pytest.param("Invented Office of Things", {"ca": "publicAuthorityCentralGovernment"},
                     "h6vhtk", None, "Central government", "buyer_type", id="central-type-only"),
        pytest.param("Invented Office of Things", {"ca": "publicAuthorityCentralGovernment",
                     "devolved": "GB-WLS"}, "h6vhtk", "Devolved Administrations", "Non-Whitehall",
                     "buyer_type", id="welsh-devolved-central"),
        pytest.param("Invented Board", {"ca": "publicUndertaking"}, "h6vhtk", None,
                     "Non-Whitehall", "buyer_type", id="public-undertaking"),
        pytest.param("Invented Board", {"ted": "REGIONAL_AUTHORITY"}, "h6vhtk",
                     "Local Government", "Non-Whitehall", "buyer_type", id="ted-regional"),
        pytest.param("Invented Board", {}, "r6ebe6", None, "Non-Whitehall", "buyer_type",
                     id="anything-on-public-contracts-scotland"),
        pytest.param("The Rotherham NHS Foundation Trust", {"ca": CENTRAL},
                     "h6vhtk", "Health", "Non-Whitehall", "name_rule",
                     id="nhs-trusts-are-central-for-thresholds-only"),
    ],
)  # fmt: skip
def test_a_buyers_classification_places_it_only_where_nothing_else_does(
    tmp_path, name, classes, platform, sector, group, method
):
    party = buyer(name, "p1", classes.pop("ca", None), **classes)
    release = {
        "ocid": f"ocds-{platform}-0a0001",
        "id": "1",
        "date": "2026-07-01T00:00:00Z",
        "tag": ["tender"],
        "parties": [party],
        "buyer": {"id": "p1", "name": name},
    }
    notice = loaders.load(write_json(tmp_path / "n.json", package([release]))).notices.iloc[0]
    found = None if pd.isna(notice["sector"]) else notice["sector"]
    assert (found, notice["buyer_group"], notice["sector_method"]) == (sector, group, method)


def test_disagreements_are_listed_in_the_report(tmp_path):
    party = buyer("The Rotherham NHS Foundation Trust", "p1", "publicAuthorityCentralGovernment")
    release = fts(
        "990001-2026",
        "0a0001",
        ["award"],
        "2026-07-01T00:00:00Z",
        party,
        "UK6",
        parties=[supplier("S", "s1")],
        awards=[award("1", "active", "s1", 5.0)],
    )
    section = loaders.load(write_json(tmp_path / "n.json", package([release]))).report[
        "find_a_tender"]  # fmt: skip
    assert section["classification_disagreements"] == 1
    assert "publicAuthorityCentralGovernment says Central government" in (
        section["classification_disagreement_examples"][0])  # fmt: skip
