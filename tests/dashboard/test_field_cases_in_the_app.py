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
