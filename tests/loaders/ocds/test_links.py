"""One procurement counted once across platforms: links by identifier, by a strict match,
never a guess; the copies and their awards counted once; every link listed with its reason."""

from __future__ import annotations

import loaders
from dashboard.analytics.notice_figures import opportunity_figures
from tests.loaders.ocds.builders import write_json
from tests.loaders.ocds.uk_builders import FTS, PCR, award, buyer, contract, fts, package, supplier

CORNWALL = buyer("Cornwall Council", "GB-FTS-990731", ted="REGIONAL_AUTHORITY")
EDINBURGH = buyer("City of Edinburgh Council", "GB-FTS-990801", ted="REGIONAL_AUTHORITY")
KERNOW = supplier("Kernow Street Cleansing Ltd", "GB-COH-09345678")
CPV = {"scheme": "CPV", "id": "90610000"}


def _cf(ocid: str, title: str, amount: float, date: str, *, documents=(), reference=None):
    """A Contracts Finder award of Cornwall Council to Kernow (an SME)."""
    tender = {"title": title, "status": "complete", "classification": CPV}
    if reference:
        tender["id"] = reference
    return {"ocid": f"ocds-b5fd17-{ocid}", "id": f"{ocid}-1", "date": date, "tag": ["award"],
            "buyer": {"id": "cf-b", "name": "Cornwall Council"},
            "parties": [{"id": "cf-b", "name": "Cornwall Council", "roles": ["buyer"]},
                        {"id": "cf-s", "name": "KERNOW STREET CLEANSING LTD", "roles": ["supplier"],
                         "details": {"scale": "sme"}}],
            "tender": tender,
            "awards": [{"id": f"{ocid}-a1", "status": "active", "date": "2026-07-20T00:00:00Z",
                        "value": {"amount": amount, "currency": "GBP"},
                        "suppliers": [{"id": "cf-s"}], "documents": list(documents)}]}  # fmt: skip


def _fts_award(ocid: str, notice: str, title: str, amount: float, reference=None) -> dict:
    tender = {"legalBasis": PCR, "title": title, "classification": CPV}
    if reference:
        tender["id"] = reference
    return fts(notice, ocid, ["award", "contract"], "2026-07-28T16:20:00+01:00", CORNWALL, None,
               tender, parties=[KERNOW],
               awards=[award(f"{notice}-1", "active", KERNOW["id"], date="2026-07-20T00:00:00Z")],
               contracts=[contract(f"{notice}-1", amount)])  # fmt: skip


def _load(tmp_path, fts_releases, cf_releases) -> loaders.LoadResult:
    return loaders.load([write_json(tmp_path / "fts.json", package(fts_releases)),
                         write_json(tmp_path / "cf.json", package(cf_releases))])  # fmt: skip


def test_a_contracts_finder_award_naming_the_find_a_tender_notice(tmp_path):
    page = {"id": "2", "url": f"{FTS}/Notice/991400-2026"}
    result = _load(tmp_path, [_fts_award("0f0501", "991400-2026", "Street cleansing", 760_000)],
                   [_cf("c0501", "Street cleansing, Truro", 760_000, "2026-07-29T09:00:00Z",
                        documents=[page])])  # fmt: skip
    link = result.notice_links.iloc[0]
    assert (link["rule"], link["counted_ocid"]) == ("identifier", "ocds-h6vhtk-0f0501")
    assert "names release:Find a Tender:991400-2026" in link["reason"]
    notices = result.notices.set_index("ocid")
    assert notices.loc["ocds-b5fd17-c0501", "duplicate_of"] == "ocds-h6vhtk-0f0501"
    assert set(notices["procurement_id"]) == {"ocds-h6vhtk-0f0501"}
    figures = opportunity_figures(result.notices, result.awards, result.ocds_releases)
    assert (figures.notices, figures.awards, figures.awards_value_gbp) == (1, 1, 760_000)
    copy = result.awards.set_index("ocid").loc["ocds-b5fd17-c0501"]
    assert copy["duplicate_of"] == "ocds-h6vhtk-0f0501 991400-2026-1"
    words = result.describe()
    assert "2 processes are 1 procurements" in words and "identifier: release" in words


def test_an_official_journal_number_and_a_forwarded_notice_link(tmp_path):
    pin = fts(
        "990150-2024",
        "0f0503",
        ["planning"],
        "2024-11-20T10:30:00Z",
        CORNWALL,
        None,
        {"legalBasis": PCR, "title": "Parks", "status": "planned"},
    )
    forwarded = fts(
        "991450-2026",
        "0f0502",
        ["tender"],
        "2026-07-30T00:12:00+01:00",
        EDINBURGH,
        None,
        {"legalBasis": PCR, "title": "Playgrounds"},
        links=[
            {
                "rel": "canonical",
                "href": "https://api.publiccontractsscotland.gov"
                ".uk/v1/Notice?id=ocds-r6ebe6-0000901001",
            }
        ],
    )
    wales = {
        "ocid": "ocds-kuma6s-990201",
        "id": "ocds-kuma6s-990201-release-990555",
        "date": "2025-06-02T00:00:00Z",
        "tag": ["award"],
        "tender": {"title": "Parks"},
        "relatedProcesses": [
            {
                "id": "1",
                "relationship": ["planning"],
                "scheme": "EU-OJ",
                "identifier": "2024/S 000-990150",
            },
            {
                "id": "2",
                "relationship": ["framework"],
                "scheme": "ocid",
                "identifier": "ocds-h6vhtk-0f0502",
            },
        ],
        "parties": [KERNOW],
        "awards": [award("1", "active", KERNOW["id"], 1_105_000)],
    }
    scotland = {
        "ocid": "ocds-r6ebe6-0000901001",
        "date": "2026-10-05T00:00:00Z",
        "tag": ["award"],
        "tender": {"documents": [{"id": "OCT901777", "documentType": "awardNotice"}]},
        "parties": [KERNOW],
        "awards": [award("1", "active", KERNOW["id"], 612_500)],
    }
    paths = [write_json(tmp_path / "fts.json", package([pin, forwarded])),
             write_json(tmp_path / "s2w.json", package([wales])),
             write_json(tmp_path / "pcs.json", package([scotland]))]  # fmt: skip
    result = loaders.load(paths)
    pairs = {(r.ocid[5:11], r.linked_ocid[5:11]) for r in result.notice_links.itertuples()}
    assert pairs == {("h6vhtk", "r6ebe6"), ("kuma6s", "h6vhtk")}  # the framework is not read
    assert result.report["links"]["procurements"] == 2
    figures = opportunity_figures(result.notices, result.awards, result.ocds_releases)
    assert (figures.notices, figures.awards) == (2, 2)  # the awards live on the copies only
    assert figures.awards_value_gbp == 1_717_500


def test_the_buyers_reference_for_the_same_buyer(tmp_path):
    result = _load(tmp_path, [_fts_award("0f0501", "991400-2026", "Cleansing", 1.0, "CC-SC-01")],
                   [_cf("c0501", "Other words", 2.0, "2026-07-29T09:00:00Z",
                        reference="CC-SC-01")])  # fmt: skip
    assert list(result.notice_links["reason"]) == [
        "same buyer (Cornwall Council) and buyer's reference CC-SC-01"
    ]


def test_a_strict_match(tmp_path):
    result = _load(
        tmp_path,
        [_fts_award("0f0501", "991400-2026", "Street cleansing!", 760_000)],
        [_cf("c0501", "street  cleansing", 765_000, "2026-07-29T09:00:00Z")],
    )
    link = result.notice_links.iloc[0]
    assert link["rule"] == "strict match" and "value within 1%" in link["reason"]


def test_no_strict_match_on_a_value_apart_or_two_candidates(tmp_path):
    apart = _load(
        tmp_path,
        [_fts_award("0f0501", "991400-2026", "Street cleansing", 760_000)],
        [_cf("c0501", "Street cleansing", 800_000, "2026-07-29T09:00:00Z")],
    )
    assert apart.notice_links.empty and apart.report["links"]["procurements"] == 2
    twice = _load(tmp_path / "..", [_fts_award("0f0501", "991400-2026", "Street cleansing",
                                               760_000)],
                  [_cf("c0501", "Street cleansing", 760_000, "2026-07-29T09:00:00Z"),
                   _cf("c0502", "Street cleansing", 760_000, "2026-07-30T09:00:00Z")])  # fmt: skip
    assert twice.notice_links.empty


def test_only_one_platform_links_nothing(tmp_path):
    result = loaders.load(write_json(tmp_path / "cf.json", package(
        [_cf("c0501", "Street cleansing", 1.0, "2026-07-29T09:00:00Z"),
         _cf("c0502", "Street cleansing", 1.0, "2026-07-29T09:00:00Z")])))  # fmt: skip
    assert result.notice_links.empty and result.notices["duplicate_of"].isna().all()
    assert list(result.notices["procurement_id"]) == list(result.notices["ocid"])
