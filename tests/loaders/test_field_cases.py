"""Every case of ../shared/field-cases gives the value its README states (skipped when the
folder is absent: the cases are not shipped with the project)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import loaders
from loaders.aggregates import build_aggregates
from loaders.sources.ccs_spend.checks import EXCEL_ERROR

CASES = Path(__file__).resolve().parents[3] / "shared" / "field-cases"

pytestmark = pytest.mark.skipif(
    not CASES.is_dir(), reason="../shared/field-cases is absent: the field cases are not shipped"
)


def _by_month(spend: pd.DataFrame) -> dict[str, float]:
    return spend.groupby(spend["month"].dt.strftime("%Y-%m"))["spend_gbp"].sum().to_dict()


@pytest.mark.slow
def test_case02_month_first_invoice_dates():
    spend = loaders.load(CASES / "case02").spend
    assert spend["spend_gbp"].sum() == 21_000
    assert _by_month(spend) == {
        "2018-08": 4_000, "2018-09": 5_000, "2019-01": 1_000, "2019-02": 2_000, "2019-03": 9_000,
    }  # fmt: skip


@pytest.mark.slow
def test_case03_placeholder_urns_shared_by_unrelated_buyers():
    result = loaders.load(CASES / "case03")
    spend = result.spend
    assert spend["customer_key"].nunique() == 5
    central = spend[spend["buyer_group"].astype(str).eq("Central government")]
    assert len(set(central["customer_key"])) == 1 and central["spend_gbp"].sum() == 3_000
    by_department = build_aggregates(spend).tables["spend"].groupby("department", observed=True)
    assert by_department["spend_gbp"].sum()["Department for Work and Pensions"] == 3_000
    assert {i["value"] for i in result.report["untrusted_identifiers"]} == {"0", "33333333"}


@pytest.mark.slow
def test_case05_amounts_with_dollars_spaces_and_trailing_minus():
    result = loaders.load(CASES / "case05")
    assert round(result.spend["spend_gbp"].sum(), 2) == 9_535.06
    assert result.quarantine.empty


@pytest.mark.slow
def test_case06_supplier_return_headers_ex_vat():
    spend = loaders.load(CASES / "case06").spend
    by_file = spend.groupby(["source_file", spend["month"].dt.strftime("%Y-%m")])["spend_gbp"]
    assert by_file.sum().to_dict() == {
        ("RM1557.10-G-Cloud-10-invoices-2019-03.csv", "2019-03"): 125_000,
        ("RM1557viii-invoices-2017-01.csv", "2017-01"): 1_234,
    }


@pytest.mark.slow
def test_case07_two_versions_of_one_release():
    result = loaders.load(CASES / "case07")
    assert round(result.spend["spend_gbp"].sum(), 2) == 9_700.00 and len(result.spend) == 5
    revised = result.version_changes[result.version_changes["change"].eq("revised")]
    assert revised[["customer", "older_gbp", "newer_gbp"]].values.tolist() == [
        ["Home Office", 2_500.0, 2_750.0]
    ]


@pytest.mark.slow
@pytest.mark.parametrize("folder", ["a", "b", "c"])
def test_case08_workbooks_on_the_1904_date_system(folder):
    spend = loaders.load(CASES / "case08" / folder).spend
    assert sorted(_by_month(spend)) == ["2021-04", "2021-05", "2022-03"]


@pytest.mark.slow
def test_case09_lot_spellings():
    spend = loaders.load(CASES / "case09").spend
    assert spend.groupby("lot", observed=True)["spend_gbp"].sum().to_dict() == {
        "Software as a Service (SaaS)": 10_000,
        "Infrastructure as a Service (IaaS)": 8_000,
        "Specialist Cloud Services": 18_000,
    }


@pytest.mark.slow
def test_case11_customer_names_with_commas():
    spend = loaders.load(CASES / "case11").spend
    by_customer = spend.groupby("customer")["spend_gbp"].sum()
    assert by_customer["Department for Environment, Food and Rural Affairs"] == 3_000
    assert by_customer["Department for Business, Energy and Industrial Strategy"] == 4_000


@pytest.mark.slow
def test_case12_sme_status_changes_between_months():
    result = loaders.load(CASES / "case12")
    assert round(result.report["headline"]["sme_share_value_pct"], 6) == 60.0
    bodies = build_aggregates(result.spend).bodies.set_index("name")
    alpha = bodies.loc["Alpha Cloud Ltd"]
    assert (alpha["latest_sme_status"], alpha["previous_sme_status"]) == ("Large", "SME")
    assert alpha["sme_status_changed"] == pd.Timestamp("2017-01-01")


@pytest.mark.slow
def test_case13_excel_error_cells():
    quarantine = loaders.load(CASES / "case13").quarantine
    assert quarantine[["reason", "detail"]].values.tolist() == [[EXCEL_ERROR, "#REF!"]]
