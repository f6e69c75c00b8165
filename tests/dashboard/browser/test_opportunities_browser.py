"""The opportunities page in a real browser: opened through its URL, accessible, and text
from notices shown as text."""

from __future__ import annotations

import time

import pytest
from selenium.webdriver.common.by import By

import loaders
from dashboard.analytics import opportunities as opp
from dashboard.analytics.filters import parse_query
from dashboard.analytics.store import Store
from dashboard.pages import opportunities
from dashboard.ui import ids
from dashboard.ui.formatting import format_count
from tests.builders import rows_2014, write_csv
from tests.dashboard.browser.dom import texts_of
from tests.dashboard.browser.test_dashboard_browser import _axe_violations, _open
from tests.loaders.ocds.builders import package, party, release, write_json

pytestmark = pytest.mark.browser
MARKUP_BUYER = "<img src=x onerror=alert(1)> Borough Council"
MARKUP_TITLE = "<b>Bold</b> & <script>alert(2)</script> services"


def test_the_page_opens_through_its_url_with_the_filters_applied(dash_duo, sample_store):
    query = "?fy=2024-25&buyer_group=non-whitehall"
    expected = opp.opportunity_headline(Store(sample_store), parse_query(query)).notices
    _open(dash_duo, sample_store, query, path="/opportunities")
    dash_duo.wait_for_text_to_equal(f"#{opportunities.OPP_NOTICES}", format_count(expected), 30)
    assert dash_duo.find_element(f"#{ids.FY}").get_attribute("value") == "2024-25"
    assert dash_duo.driver.title == "Opportunities – Framework spend analytics"
    heading = dash_duo.find_element("#section-opp-processes-by-period h2").text
    assert heading == (
        "Procurement processes publishing a notice in each period, by buyer group by month: "
        "financial year "
        "2024-25; buyer group: Non-Whitehall"
    )
    charts = [view for view in opportunities.CHARTS if view.build_figure is not None]
    assert len(dash_duo.find_elements(".js-plotly-plot")) == len(charts)


def test_axe_finds_no_serious_or_critical_violation_on_opportunities(dash_duo, sample_store):
    _open(dash_duo, sample_store, path="/opportunities")
    dash_duo.wait_for_element(f"#{ids.FOOTER}", timeout=30)
    time.sleep(1)  # let the charts finish drawing
    violations = _axe_violations(dash_duo.driver)
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert serious == [], serious


@pytest.fixture(scope="module")
def markup_store(tmp_path_factory):
    """Spend and notices of a buyer whose name, and a title, look like markup."""
    folder = tmp_path_factory.mktemp("markup")
    spend = write_csv(
        folder / "G-Cloud-Spend-2025-03.csv",
        rows_2014((3, "Acme Ltd", MARKUP_BUYER, "2025-01-01", "100", "Local Government", "SME")),
    )
    buyer = {"id": "GB-CFS-9", "name": MARKUP_BUYER}
    notices = write_json(
        folder / "notices.json",
        package([
            release(ocid="ocds-x-1", rid="x1", date="2025-01-10T10:00:00Z", buyer=buyer,
                    parties=[party("GB-CFS-9", MARKUP_BUYER, "buyer")],
                    tender={"id": "T", "title": MARKUP_TITLE, "status": "active",
                            "procurementMethodDetails": MARKUP_TITLE,
                            "suitability": {"sme": True, "vcse": False}}),
        ]),
    )  # fmt: skip
    result = loaders.load([spend, notices])
    return loaders.write_store(result, folder / "store")


def test_text_from_notices_is_text_not_markup(dash_duo, markup_store):
    _open(dash_duo, markup_store, path="/opportunities")
    # the chart's label may wrap over lines (no spaces between them in the text): the table
    dash_duo.wait_for_contains_text("#section-opp-top-buyers", "Borough Council", 30)
    assert MARKUP_BUYER in texts_of(dash_duo, "#section-opp-top-buyers td")
    dash_duo.wait_for_contains_text("#section-opp-procurement-methods", "services", 30)
    assert dash_duo.driver.find_elements(By.CSS_SELECTOR, "img[src='x']") == []
    assert dash_duo.driver.find_elements(By.CSS_SELECTOR, "#section-opp-top-buyers b") == []
    assert MARKUP_TITLE in texts_of(dash_duo, "#section-opp-procurement-methods td")
