"""Acceptance checks on real published files in ../shared/real-data (skipped when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

import loaders
from loaders.bodies.customer_list import read_customer_list
from loaders.bodies.evaluate import evaluate_sector_inference
from loaders.core.vocabulary import load_vocabulary

REAL = Path(__file__).resolve().parents[3] / "shared" / "real-data"
RELEASE_2014 = REAL / "gcloud-release-2014-07"
URN_LIST = REAL / "ccs-customer-urn-list-2016-09" / "2016-09-01_customer_URN_list.xlsx"

pytestmark = [
    pytest.mark.real_data,
    pytest.mark.skipif(
        not RELEASE_2014.is_dir(),
        reason="../shared/real-data is absent: real published files are not shipped",
    ),
]


@pytest.fixture(scope="module")
def release_2014() -> loaders.LoadResult:
    return loaders.load(RELEASE_2014)


@pytest.mark.slow
def test_2014_release_gives_the_published_figures(release_2014):
    headline = release_2014.report["headline"]
    assert headline["spend_gbp"] == 217_455_674.39
    assert headline["rows"] == 13_492
    assert headline["months"] == {"first": "2012-04", "last": "2014-06", "count": 27}
    assert headline["central_government_gbp"] == 172_454_130.69
    assert round(headline["central_government_share_pct"], 1) == 79.3
    assert round(headline["sme_share_value_pct"], 1) == 53.4
    assert round(headline["sme_share_volume_pct"], 1) == 58.6
    assert headline["by_financial_year_gbp"] == {
        "2012-13": 18_299_534.26,
        "2013-14": 138_319_269.41,
        "2014-15": 60_836_870.71,
    }


def test_2014_release_lots_credits_and_reconciliation(release_2014):
    spend = release_2014.spend
    by_lot = spend.groupby("lot", observed=True)["spend_gbp"].sum().div(1e6).round(2)
    assert by_lot.to_dict() == {
        "Infrastructure as a Service (IaaS)": 14.27,
        "Platform as a Service (PaaS)": 2.18,
        "Software as a Service (SaaS)": 28.71,
        "Specialist Cloud Services": 172.29,
    }
    credits = spend[spend["spend_gbp"] < 0]
    assert len(credits) == 250
    assert round(credits["spend_gbp"].sum(), 2) == -3_536_833.23
    file_report = release_2014.report["files"][0]
    assert file_report["encoding"] == "cp1252"
    assert file_report["reconciles"] and file_report["rows_quarantined"] == 0
    assert spend["customer"].nunique() <= 524 and spend["supplier"].nunique() <= 343


@pytest.mark.slow
@pytest.mark.skipif(not URN_LIST.is_file(), reason="real customer URN list absent")
def test_sector_inference_on_the_real_release_is_mostly_right(release_2014):
    vocab = load_vocabulary()
    customers = read_customer_list(URN_LIST, vocab)
    assert len(customers.bodies) == 35_999
    table = evaluate_sector_inference(release_2014.spend, vocab, customers).set_index("method")
    inferred = table.drop(index="none", errors="ignore")
    covered = inferred["spend_share_pct"].sum()
    right = (inferred["spend_share_pct"] * inferred["buyer_group_correct_pct"]).sum() / covered
    assert covered > 90
    assert right > 90


@pytest.mark.slow
@pytest.mark.skipif(not URN_LIST.is_file(), reason="real customer URN list absent")
def test_2014_release_customers_resolve_to_urn_list_bodies():
    result = loaders.load(RELEASE_2014, customers=URN_LIST)
    spend = result.spend
    assert result.report["headline"]["spend_gbp"] == 217_455_674.39  # resolution moves no pound
    with_urn = spend["customer_key"].str.startswith("urn:")
    assert spend.loc[with_urn, "spend_gbp"].sum() / spend["spend_gbp"].sum() > 0.94
    matches = result.matches[result.matches["kind"] == "customer"].set_index("published_name")
    fuzzy = matches.loc[matches["method"] == "fuzzy_list", "body_name"].to_dict()
    assert fuzzy == {  # each checked by hand: see benchmarks/customer_matching.py
        "DE&S ISS G": "DEandS ISS G",
        "Knowsley Borough Council": "Knowsley Metropolitan Borough Council",
    }
    hmcts = matches.loc[["HMCTS", "HM Courts and Tribunals Service"], "body_key"]
    assert set(hmcts) == {"urn:10014783"}  # the list's own HMCTS entry is a second URN
    assert len(result.customers) == 35_999
