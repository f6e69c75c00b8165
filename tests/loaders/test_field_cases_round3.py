"""The round 3 field cases of ../shared/field-cases/turn3 give the values their README states
(skipped when the folder is absent: the cases are not shipped with the project)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import loaders

CASES = Path(__file__).resolve().parents[3] / "shared" / "field-cases" / "turn3"

pytestmark = pytest.mark.skipif(
    not CASES.is_dir(), reason="../shared/field-cases/turn3 is absent: the cases are not shipped"
)


def _case(name: str) -> tuple[loaders.LoadResult, dict]:
    expected = json.loads((CASES / name / "expected-handed.json").read_text())
    return loaders.load(CASES / name / "handed"), expected


def _by(spend: pd.DataFrame, column) -> dict[str, float]:
    key = spend["month"].dt.strftime("%Y-%m") if column == "month" else spend[column].astype(str)
    return spend.groupby(key)["spend_gbp"].sum().round(2).to_dict()


def _rows_and_pounds(result, expected) -> None:
    assert len(result.spend) == expected["rows"]
    assert round(result.spend["spend_gbp"].sum(), 2) == expected["spend_gbp"]
    assert result.report["totals"]["reconciles"]


def test_case01_a_corrected_award_notice_supersedes_the_first():
    result, expected = _case("case01")
    awards = result.awards
    assert len(awards) == expected["awards"]
    assert round(awards["value_gbp"].sum(), 2) == expected["awards_value_gbp"]
    [listed] = result.report["ocds"]["superseded_awards"]
    assert listed["value_gbp"] == 18_848_731.0


def test_case03_a_hidden_sheet_is_not_the_release():
    result, expected = _case("case03")
    _rows_and_pounds(result, expected)
    assert _by(result.spend, "month") == expected["by_month"]
    f = result.report["files"][0]
    assert f["spend_in_hidden_sheets_gbp"] == expected["hidden_sheet_spend"]
    assert [h["sheet"] for h in f["hidden_sheets"]] == ["Spend (April release)"]


def test_case04_merged_customer_cells():
    result, expected = _case("case04")
    _rows_and_pounds(result, expected)
    assert _by(result.spend, "customer") == expected["by_customer_name"]
    assert result.spend["customer_key"].nunique() == expected["buyers"]


def test_case05_g_cloud_13_lot_4():
    result, expected = _case("case05")
    _rows_and_pounds(result, expected)
    spend = result.spend
    assert _by(spend, "framework_iteration") == expected["iteration"]
    lot4 = spend[spend["lot"].astype(str).eq("Further Competition for Cloud Support")]
    assert round(lot4["spend_gbp"].sum(), 2) == expected["lot4_spend_gbp"]
    assert set(lot4["framework_iteration"].astype(str)) == {expected["lot4_rows_iteration"]}
    assert not set(spend["lot"].astype(str)) & set(expected["wrong_lots"])


def test_case07_formulas_without_a_cached_value():
    result, expected = _case("case07")
    _rows_and_pounds(result, expected)
    rules = result.report["files"][0]["rules_applied"]
    assert [r["count"] for r in rules if r["rule"] == "formula worked out"] == [
        expected["formula_rows"]
    ]


@pytest.mark.parametrize("name", ["case08", "case09"])
def test_case08_credits_and_case09_a_strict_1904_workbook(name):
    result, expected = _case(name)
    _rows_and_pounds(result, expected)
    if "by_month" in expected:
        assert _by(result.spend, "month") == expected["by_month"]


def test_case11_a_nil_return_in_a_folder_of_returns():
    result, expected = _case("case11")
    _rows_and_pounds(result, expected)
    assert result.report["totals"]["nil_returns"] == [expected["nil_return"]]
