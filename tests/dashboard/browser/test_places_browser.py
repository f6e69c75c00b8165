"""The places page and the adoption lists in Chromium: the council map and its table, areas
chosen with links (keyboard, no script), axe-clean, and printed on A4."""

from __future__ import annotations

import base64
import time

import pytest
from selenium.webdriver.common.keys import Keys

from dashboard.ui import ids
from tests.dashboard.browser.dom import text_of
from tests.dashboard.browser.test_dashboard_browser import _axe_violations, _open
from tests.dashboard.browser.test_trust_and_print import _pdf_pages, needs_poppler

pytestmark = pytest.mark.browser


def _serious(driver) -> list[dict]:
    return [v for v in _axe_violations(driver) if v["impact"] in ("serious", "critical")]


def test_the_council_map_has_its_table_and_is_accessible(dash_duo, sample_store):
    _open(dash_duo, sample_store, "?fy=2019-20", path="/places")
    dash_duo.wait_for_element("#section-council-map .js-plotly-plot", timeout=30)
    assert "Council" in text_of(dash_duo, "#section-council-map table")
    dash_duo.wait_for_element("#section-places-regions table", timeout=30)
    time.sleep(1)
    assert _serious(dash_duo.driver) == []


def test_an_area_is_chosen_with_the_keyboard(dash_duo, sample_store):
    _open(dash_duo, sample_store, "?fy=2019-20", path="/places")
    link = dash_duo.wait_for_element("nav[aria-label='Region or nation'] a[href*='North%20West']",
                                     timeout=30)  # fmt: skip
    link.send_keys(Keys.ENTER)
    dash_duo.wait_for_element("#section-places-bodies table", timeout=30)
    assert "region=North%20West" in dash_duo.driver.current_url
    current = dash_duo.find_element("nav[aria-label='Region or nation'] [aria-current='true']")
    assert current.text == "North West"
    assert _serious(dash_duo.driver) == []


def test_the_adoption_lists_are_cut_by_links_and_accessible(dash_duo, sample_store):
    _open(dash_duo, sample_store, "?fy=2019-20&group=Police%20forces", path="/adoption")
    dash_duo.wait_for_element("#section-not-yet-buying table", timeout=30)
    rows = dash_duo.find_elements("#section-not-yet-buying tbody tr")
    assert rows and all("Police forces" in r.text for r in rows)
    assert dash_duo.find_element("nav[aria-label='Status'] a[href*='status=lapsed']")
    time.sleep(1)
    assert _serious(dash_duo.driver) == []


@needs_poppler
def test_the_places_page_prints_on_a4(dash_duo, sample_store, tmp_path):
    _open(dash_duo, sample_store, "?fy=2019-20&combined_authority=GMCA", path="/places")
    dash_duo.wait_for_element("#section-council-map .js-plotly-plot", timeout=30)
    time.sleep(1)
    printed = dash_duo.driver.execute_cdp_cmd(
        "Page.printToPDF",
        {"printBackground": True, "preferCSSPageSize": True, "paperWidth": 8.27,
         "paperHeight": 11.69},
    )  # fmt: skip
    pdf = tmp_path / "places.pdf"
    pdf.write_bytes(base64.b64decode(printed["data"]))
    pages = _pdf_pages(pdf)
    text = " ".join(" ".join(pages).split())
    assert "Places: adoption by region and combined authority" in text
    assert "Greater Manchester" in text or "GMCA" in text
    assert len(pages) <= 12
    assert dash_duo.find_element(f"#{ids.PAGE} h1").text.startswith("Places")
