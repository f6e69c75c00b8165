"""The app in a real browser (dash_duo and headless Chromium), on the bundled sample."""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import quote

import pandas as pd
import pytest
from selenium.webdriver.common.by import By

from dashboard.analytics.filters import parse_query
from dashboard.analytics.selection import apply_filters
from dashboard.analytics.store import Store
from dashboard.app import create_app
from dashboard.pages import adoption, department, overview, suppliers
from dashboard.ui import ids
from dashboard.ui.formatting import format_money
from tests.dashboard.browser.dom import text_of, texts_of

TOTAL = f"#{overview.KPI_TOTAL}"

pytestmark = pytest.mark.browser
AXE = Path(__file__).with_name("axe.min.js")
XSS_SUPPLIER = "<img src=x onerror=alert(1)>"


def _expected_total(store: Path, query: str) -> str:
    spend = Store(store).spend
    return format_money(apply_filters(spend, parse_query(query))["spend_gbp"].sum())


def _open(dash_duo, store: Path, query: str = "", path: str = "/"):
    dash_duo.start_server(create_app(store))
    if query or path != "/":
        dash_duo.driver.get(dash_duo.server_url + path + query)
    dash_duo.wait_for_element(f"#{ids.PAGE} h1", timeout=30)


def _widths(driver) -> list[int]:
    """The page's width and the width of its content (wider: it scrolls sideways)."""
    return driver.execute_script(
        "return [document.documentElement.clientWidth, document.documentElement.scrollWidth]"
    )


def _axe_violations(driver) -> list[dict]:
    driver.set_script_timeout(60)
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    return driver.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        axe.run(document, {resultTypes: ["violations"]})
          .then(r => done(r.violations.map(v => ({
              id: v.id, impact: v.impact, help: v.help,
              targets: v.nodes.slice(0, 3).map(n => n.target.join(" "))}))))
          .catch(e => done([{id: "axe-error", impact: "critical", help: String(e)}]));
        """
    )


def test_starts_on_the_sample_and_shows_the_headline_figures(dash_duo, sample_store):
    _open(dash_duo, sample_store)
    dash_duo.wait_for_text_to_equal(TOTAL, _expected_total(sample_store, ""), 30)
    assert dash_duo.find_element(f"#{overview.KPI_AS_AT}").text == "Sep 2025"
    assert len(dash_duo.find_elements(".js-plotly-plot")) >= 5
    assert "SYNTHETIC SAMPLE DATA" in dash_duo.find_element(f"#{ids.FOOTER}").text
    assert dash_duo.driver.title == "Overview – Framework spend analytics"


def test_a_filter_changes_the_figures_and_the_url_and_back_undoes_it(dash_duo, sample_store):
    _open(dash_duo, sample_store, "?fy=2016-17")
    all_buyers = _expected_total(sample_store, "?fy=2016-17")
    dash_duo.wait_for_text_to_equal(TOTAL, all_buyers, 30)
    label = dash_duo.driver.find_element(
        By.XPATH, f"//*[@id='{ids.BUYER_GROUP}']//label[normalize-space()='Central government']"
    )
    label.click()
    central = _expected_total(sample_store, "?fy=2016-17&buyer_group=central")
    dash_duo.wait_for_text_to_equal(TOTAL, central, 30)
    year = Store(sample_store).spend
    year = year[year["financial_year"] == "2016-17"]
    share = 100 * year.loc[year["buyer_group"] == "Central government", "spend_gbp"].sum()
    # the chosen group's share of every group's spend (not 100% of itself)
    dash_duo.wait_for_text_to_equal(f"#{overview.KPI_CENTRAL}",
                                    f"{share / year['spend_gbp'].sum():.1f}%", 10)  # fmt: skip
    assert not dash_duo.driver.find_elements(By.ID, overview.KPI_NON_WHITEHALL)
    assert dash_duo.driver.current_url.endswith("?fy=2016-17&buyer_group=central")
    dash_duo.driver.back()
    dash_duo.wait_for_text_to_equal(TOTAL, all_buyers, 30)
    checkbox = dash_duo.driver.find_element(
        By.CSS_SELECTOR, f"#{ids.BUYER_GROUP} input[value='Central government']"
    )
    assert not checkbox.is_selected()


def test_a_url_with_parameters_reproduces_the_view(dash_duo, sample_store):
    query = "?fy=2019-20&sme=SME&framework=Digital%20Outcomes%20and%20Specialists"
    _open(dash_duo, sample_store, query)
    dash_duo.wait_for_text_to_equal(TOTAL, _expected_total(sample_store, query), 30)
    dash_duo.wait_for_text_to_equal(f"#{overview.KPI_SME_VALUE}", "100.0%", 10)
    assert dash_duo.find_element(f"#{ids.FY}").get_attribute("value") == "2019-20"
    sme = dash_duo.driver.find_element(By.CSS_SELECTOR, f"#{ids.SME} input[value='SME']")
    assert sme.is_selected()
    heading = dash_duo.find_element("#section-spend-by-period h2").text
    assert heading == (
        "Spend by buyer group by month: financial year 2019-20; "
        "framework: Digital Outcomes and Specialists; supplier size: SME"
    )


def test_download_contains_the_numbers_shown(dash_duo, sample_store):
    query = "?fy=2015-16"
    _open(dash_duo, sample_store, query)
    dash_duo.driver.execute_cdp_cmd(
        "Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": dash_duo.download_path}
    )
    dash_duo.wait_for_text_to_equal(TOTAL, _expected_total(sample_store, query), 30)
    dash_duo.driver.find_element(
        By.CSS_SELECTOR, "#section-spend-by-period .app-downloads button"
    ).click()
    name = "SYNTHETIC-sample_spend-by-period_fy-2015-16_data-as-at-2025-09.csv"
    target = Path(dash_duo.download_path) / name
    deadline = time.time() + 20
    while not target.exists() and time.time() < deadline:
        time.sleep(0.2)
    table = pd.read_csv(target, encoding="utf-8-sig")
    shown_totals = texts_of(dash_duo, "#section-spend-by-period tbody tr td:last-child")
    assert [f"£{v:,.2f}" for v in table["Total (£)"]] == shown_totals
    assert set(table["Data"]) == {"SYNTHETIC SAMPLE: invented figures, not to be quoted"}
    assert format_money(table["Total (£)"].sum()) == dash_duo.find_element(TOTAL).text


def test_names_from_the_data_are_text_not_html(dash_duo, sample_store):
    _open(dash_duo, sample_store, "?supplier=" + quote(XSS_SUPPLIER))
    dash_duo.wait_for_contains_text("#section-top-suppliers", XSS_SUPPLIER, 30)
    assert dash_duo.driver.find_elements(By.CSS_SELECTOR, "img[src='x']") == []
    assert dash_duo.find_element(f"#{ids.SUPPLIER}").get_attribute("value") == XSS_SUPPLIER
    assert XSS_SUPPLIER in texts_of(dash_duo, "#section-top-suppliers td")


@pytest.mark.parametrize(
    "path",
    ["/", "/adoption", "/suppliers", "/department?name=ministry-of-justice", "/data-quality"],
)
def test_axe_finds_no_serious_or_critical_violation(dash_duo, sample_store, path):
    _open(dash_duo, sample_store, path=path)
    dash_duo.wait_for_element(f"#{ids.FOOTER}", timeout=30)
    time.sleep(1)  # let the charts finish drawing
    violations = _axe_violations(dash_duo.driver)
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert serious == [], serious


def test_adoption_and_suppliers_pages_through_url_parameters(dash_duo, sample_store):
    query = "?fy=2019-20&buyer_group=non-whitehall"
    spend = Store(sample_store).spend
    year = spend[(spend["financial_year"] == "2019-20") & (spend["buyer_group"] == "Non-Whitehall")]
    _open(dash_duo, sample_store, query, path="/adoption")
    dash_duo.wait_for_text_to_equal(
        f"#{adoption.ADOPTION_BUYERS}", f"{year['customer_key'].nunique():,}", 30
    )
    assert dash_duo.find_element(f"#{ids.FY}").get_attribute("value") == "2019-20"
    dash_duo.driver.get(dash_duo.server_url + "/suppliers" + query)
    dash_duo.wait_for_text_to_equal(
        f"#{suppliers.SUPPLIERS_COUNT}", f"{year['supplier_key'].nunique():,}", 30
    )


def test_department_page_through_its_url(dash_duo, sample_store):
    _open(dash_duo, sample_store, "?name=ministry-of-justice&fy=2019-20", path="/department")
    dash_duo.wait_for_text_to_equal(f"#{ids.PAGE} h1", "Ministry of Justice", 30)
    assert dash_duo.find_element(f"#{department.DEPT_TOTAL}").text.startswith("£")
    assert "HM Prison and Probation Service" in text_of(dash_duo, "#section-dept-bodies")
