"""Sector and SME status inferred where a release lacks them, each value flagged."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

import loaders
from loaders.bodies.customer_list import read_customer_list
from loaders.bodies.enrich import dominant_value, infer_sectors, infer_sme
from loaders.bodies.evaluate import evaluate_sector_inference
from loaders.core.vocabulary import load_vocabulary
from tests.builders import HEADER_2013, rows_2014, write_csv

VOCAB = load_vocabulary()
URN_HEADER = [
    "URN", "Organisation Name", "Address Line 1", "Address Line 2", "Address Line 3", "County",
    "Country", "Post Code", "Sector", "Organisation Type",
]  # fmt: skip


@pytest.fixture
def customer_list(tmp_path):
    workbook = openpyxl.Workbook()
    live = workbook.active
    live.title = "Live Customer URN List"
    live.append(URN_HEADER)
    for urn, name, sector, kind in [
        (10001, "Leeds City Council", "Local Government", "Metropolitan District"),
        (10002, "Maritime and Coastguard Agency", "Central Government", "Executive Agency"),
        (10003, "Cornwall Council", "Local Government", "Unitary Authority"),
        (10004, "Springfield Academy", "Education", "Academy"),
        (10005, "Springfield Academy", "Private", "TBA"),
    ]:
        live.append([urn, name, "", "", "", "", "England", "", sector, kind])
    changes = workbook.create_sheet("Name Changes")
    changes.append(["Field / Event", "Old Value", "New Value", "URN", "Edit Date"])
    changes.append(["Organisation Name", "Cornwall County Council", "Cornwall Council", 10003, ""])
    merges = workbook.create_sheet("Merges")
    merges.append(["Field / Event", "Old Value", "URN", "Organisation Name", "Edit Date"])
    path = tmp_path / "customers.xlsx"
    workbook.save(path)
    return path


def _frame(**columns) -> pd.DataFrame:
    size = len(next(iter(columns.values())))
    base = {
        "customer": ["x"] * size,
        "customer_key": ["x"] * size,
        "customer_urn": pd.array([None] * size, dtype="Int64"),
        "sector": [None] * size,
    }
    base.update(columns)
    return pd.DataFrame(base)


def test_customer_list_reads_current_and_former_names(customer_list):
    customers = read_customer_list(customer_list, VOCAB)
    assert len(customers.bodies) == 5
    by_key = customers.sector_by_name_key()
    assert by_key["cornwall county council"] == "Local Government"
    assert "springfield academy" not in by_key  # two bodies, two sectors: ambiguous


@pytest.mark.slow
def test_sector_methods_in_order_of_trust(customer_list):
    customers = read_customer_list(customer_list, VOCAB)
    frame = _frame(
        customer=["MCA", "Home Office", "Cornwall County Council", "Kent Police", "Acme Widgets",
                  "Home Office", "Springfield Academy"],
        customer_key=["mca", "home office", "cornwall county council", "kent police",
                      "acme widgets", "home office", "springfield academy"],
        customer_urn=pd.array([10002, None, None, None, None, None, None], dtype="Int64"),
        sector=[None, None, None, None, None, "Central Government", None],
    )  # fmt: skip
    out = infer_sectors(frame, VOCAB, customers)
    assert list(out["sector_method"]) == [
        "urn",
        "other_release",
        "customer_list_name",
        "name_rule",
        "none",
        "release",
        "name_rule",
    ]
    assert list(out["sector"].fillna("-")) == [
        "Central Government",
        "Central Government",
        "Local Government",
        "Police",
        "-",
        "Central Government",
        "Education",
    ]
    assert list(out["sector_source"]) == [
        "inferred", "inferred", "inferred", "inferred", "none", "release", "inferred",
    ]  # fmt: skip


def test_other_releases_must_mostly_agree_before_their_sector_is_used():
    keys = pd.Series(["a", "a", "a", "b", "b"])
    values = pd.Series(["Health", "Health", "Police", "Health", "Police"])
    assert dominant_value(keys, values).to_dict() == {"a": "Health"}


def test_sme_status_from_other_releases_or_unknown():
    frame = pd.DataFrame(
        {
            "supplier_key": ["acme", "acme", "solo", "acme"],
            "sme_status": ["SME", None, None, "SME"],
        }
    )
    out = infer_sme(frame)
    assert list(out["sme_status"]) == ["SME", "SME", "Unknown", "SME"]
    assert list(out["sme_source"]) == ["release", "inferred", "none", "release"]


@pytest.mark.slow
def test_2013_release_borrows_sector_and_sme_from_a_later_release(tmp_path, customer_list):
    write_csv(
        tmp_path / "G-Cloud-spend-2013-12.csv",
        [
            HEADER_2013,
            ["G-Cloud III", "4", "Acme Ltd", "Home Office", "01/04/2013", "", "100"],
            ["G-Cloud III", "4", "Newco", "Leeds City Council", "01/04/2013", "", "50"],
        ],
    )
    write_csv(
        tmp_path / "G-Cloud-Spend-2014-07.csv",
        rows_2014((4, "ACME LIMITED", "HOME OFFICE", "2014-05-01", 1, "Central Government", "SME")),
    )
    spend = loaders.load(tmp_path, customers=customer_list).spend.sort_values("month")
    april = spend.iloc[:2].set_index("customer")
    assert april.loc["Home Office", "sector_method"] == "other_release"
    assert april.loc["Home Office", "sme_status"] == "SME"
    assert april.loc["Home Office", "sme_source"] == "inferred"
    assert april.loc["Leeds City Council", "sector_method"] == "customer_list_name"
    assert april.loc["Leeds City Council", "buyer_group"] == "Non-Whitehall"
    assert april.loc["Leeds City Council", "sme_status"] == "Unknown"


@pytest.mark.slow
def test_unclassified_spend_stays_unclassified_rather_than_guessed(tmp_path):
    path = write_csv(
        tmp_path / "x.csv",
        [HEADER_2013, ["G-Cloud 4", "1", "Acme", "Zebra Holdings", "01/04/2014", "", "9"]],
    )
    row = loaders.load(path).spend.iloc[0]
    assert pd.isna(row["sector"])
    assert row["buyer_group"] == "Unclassified"
    assert row["sector_source"] == "none"


def test_evaluation_hides_the_release_sector_and_scores_methods(tmp_path):
    rows = rows_2014(
        (4, "A", "Kent Police", "2014-05-01", 10, "Police", "SME"),
        (4, "A", "Cabinet Office", "2014-05-01", 30, "Central Government", "SME"),
        (4, "A", "Zebra Holdings", "2014-05-01", 60, "Not for Profit", "SME"),
    )
    spend = loaders.load(write_csv(tmp_path / "x.csv", rows)).spend
    table = evaluate_sector_inference(spend, VOCAB).set_index("method")
    assert table.loc["name_rule", "rows"] == 2
    assert table.loc["name_rule", "spend_share_pct"] == pytest.approx(40)
    assert table.loc["name_rule", "sector_correct_pct"] == pytest.approx(100)
    assert table.loc["none", "spend_share_pct"] == pytest.approx(60)


def test_later_customer_lists_take_the_sector_from_subsector(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["urn", "organisation", "postcode", "Sector", "Subsector", "Active"])
    sheet.append([20001, "Kent Fire and Rescue Service", "ME1", "Wider Public Sector",
                  "Fire and Rescue", "Y"])  # fmt: skip
    sheet.append([20002, "Cabinet Office", "SW1", "Central Government", "", "Y"])
    path = tmp_path / "customers-2022.xlsx"
    workbook.save(path)
    customers = read_customer_list(path, VOCAB)
    assert customers.sector_by_urn().to_dict() == {
        20001: "Fire and Rescue",
        20002: "Central Government",
    }


def test_a_file_that_is_not_a_customer_list_is_refused(tmp_path):
    path = write_csv(tmp_path / "x.csv", [["a", "b"], ["1", "2"]])
    with pytest.raises(loaders.LoaderInputError, match="not a customer list"):
        read_customer_list(path, VOCAB)
