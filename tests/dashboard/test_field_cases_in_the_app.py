"""The field cases whose right value is something the app shows (skipped without
../shared/field-cases): a department page, a shared link, a supplier's label."""

from __future__ import annotations

from pathlib import Path

import pytest

import loaders
from dashboard.analytics.store import Store
from dashboard.api import view_table
from dashboard.callbacks import render_page
from dashboard.pages import department, overview
from dashboard.ui.formatting import format_money
from tests.dashboard.test_callbacks import find

CASES = Path(__file__).resolve().parents[3] / "shared" / "field-cases"
pytestmark = pytest.mark.skipif(
    not CASES.is_dir(), reason="../shared/field-cases is absent: the field cases are not shipped"
)


def _store(case: str, tmp_path) -> Store:
    return Store(loaders.write_store(loaders.load(CASES / case), tmp_path / case))


@pytest.mark.slow
def test_case03_dwp_department_page_shows_its_own_spend(tmp_path):
    store = _store("case03", tmp_path)
    page, _ = render_page(store, "/department", "?name=department-for-work-and-pensions")
    assert find(page, department.DEPT_TOTAL).children == format_money(3_000)
    page, _ = render_page(store, "/", "")
    assert find(page, overview.KPI_BUYERS).children == "5"


@pytest.mark.parametrize(
    ("query", "total"),
    [
        ("?customer=Department+for+Environment%2C+Food+and+Rural+Affairs", 3_000),
        ("?customer=Department+for+Business%2C+Energy+and+Industrial+Strategy", 4_000),
    ],
)
@pytest.mark.slow
def test_case11_a_shared_link_naming_a_body_with_a_comma(tmp_path, query, total):
    store = _store("case11", tmp_path)
    page, _ = render_page(store, "/", query)
    assert find(page, overview.KPI_TOTAL).children == format_money(total)


@pytest.mark.slow
def test_case12_a_supplier_is_labelled_with_its_size_now(tmp_path):
    store = _store("case12", tmp_path)
    page, _ = render_page(store, "/", "")
    assert find(page, overview.KPI_SME_VALUE).children == "60.0%"
    table = view_table(store, "top-suppliers", "", labelled=False).set_index("supplier")
    assert table.loc["Alpha Cloud Ltd", "sme_status"] == "Large since 2017-01 (was SME)"


ROUND3 = CASES / "turn3"
round3 = pytest.mark.skipif(not ROUND3.is_dir(), reason="../shared/field-cases/turn3 is absent")


def _round3(case: str, tmp_path) -> Store:
    return Store(loaders.write_store(loaders.load(ROUND3 / case / "handed"), tmp_path / case))


@round3
def test_round3_case01_a_corrected_award_counts_once_on_the_opportunities_page(tmp_path):
    from dashboard.pages import opportunities

    store = _round3("case01", tmp_path)
    page, _ = render_page(store, "/opportunities", "")
    assert find(page, opportunities.OPP_AWARDS).children == "2"
    assert find(page, opportunities.OPP_AWARDS_SME_COUNT).children == "50.0%"
    assert find(page, opportunities.OPP_AWARDS_SME_VALUE).children == "21.0%"
    awards = view_table(store, "opp-awards-by-size", "", labelled=False)
    assert round(awards["awards_value_gbp"].sum(), 2) == 238_487.31


@round3
@pytest.mark.parametrize(
    ("case", "total", "buyers"),
    [("case03", 136_451.00, None), ("case04", 10_000.50, "3"), ("case05", 38_500.00, None),
     ("case07", 20_601.70, None), ("case08", 5_000.50, None), ("case09", 6_200.50, None),
     ("case11", 125_000.00, None)],
)  # fmt: skip
def test_round3_spend_cases_show_their_right_totals(tmp_path, case, total, buyers):
    store = _round3(case, tmp_path)
    page, _ = render_page(store, "/", "")
    assert find(page, overview.KPI_TOTAL).children == format_money(total)
    if buyers:
        assert find(page, overview.KPI_BUYERS).children == buyers
        assert find(page, overview.KPI_NON_WHITEHALL).children == "50.0%"


@round3
@pytest.mark.parametrize(
    ("case", "rule", "count"),
    [("case03", "hidden sheet not read", 2), ("case04", "merged cells filled", 9),
     ("case07", "formula worked out", 4), ("case08", "accounting amounts", 2),
     ("case11", "nil return", 1)],
)  # fmt: skip
def test_round3_the_data_quality_page_says_what_each_rule_did(tmp_path, case, rule, count):
    store = _round3(case, tmp_path)
    table = view_table(store, "rules-applied", "", labelled=False)
    assert table.loc[table["rule"].eq(rule), "count"].sum() == count
    page, _ = render_page(store, "/data-quality", "")
    assert page is not None


@round3
def test_round3_case01_the_data_quality_page_lists_the_superseded_award(tmp_path):
    table = view_table(_round3("case01", tmp_path), "rules-applied", "", labelled=False)
    row = table[table["rule"].eq("award superseded")].iloc[0]
    assert (row["count"], row["spend_gbp"]) == (1, 18_848_731.0)
