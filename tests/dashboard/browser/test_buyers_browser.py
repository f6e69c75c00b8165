"""Every body has a page: buyer profiles, names that link, and suggestions, in Chromium."""

from __future__ import annotations

import time

import pytest
from selenium.webdriver.common.by import By

from dashboard.analytics.store import Store
from dashboard.pages import buyer
from dashboard.ui import ids
from dashboard.ui.formatting import format_money
from tests.dashboard.browser.test_dashboard_browser import _axe_violations, _open

pytestmark = pytest.mark.browser


def test_a_buyer_page_opens_through_its_url_and_is_accessible(dash_duo, sample_store):
    spend = Store(sample_store).spend
    leeds = spend[spend["customer"] == "Leeds City Council"]
    _open(dash_duo, sample_store, "?name=Leeds%20City%20Council", path="/buyer")
    dash_duo.wait_for_text_to_equal(f"#{ids.PAGE} h1", "Leeds City Council", 30)
    dash_duo.wait_for_text_to_equal(f"#{buyer.BUYER_TOTAL}",
                                    format_money(leeds["spend_gbp"].sum()), 30)  # fmt: skip
    assert dash_duo.find_element(f"#{buyer.BUYER_FIRST}").text == leeds["month"].min().strftime(
        "%Y-%m"
    )
    time.sleep(1)
    violations = _axe_violations(dash_duo.driver)
    assert [v for v in violations if v["impact"] in ("serious", "critical")] == []


def test_names_in_tables_are_links_that_keep_the_filters(dash_duo, sample_store):
    _open(dash_duo, sample_store, "?fy=2019-20", path="/suppliers")
    link = dash_duo.wait_for_element("#section-top-suppliers table a", timeout=30)
    name = link.get_attribute("textContent")
    assert "fy=2019-20" in link.get_attribute("href")
    dash_duo.driver.execute_script("arguments[0].click();", link)
    dash_duo.wait_for_text_to_equal(f"#{ids.PAGE} h1", name, 30)
    assert "fy=2019-20" in dash_duo.driver.current_url
    buyer_link = dash_duo.wait_for_element("#section-supplier-buyers table a", timeout=30)
    body = buyer_link.get_attribute("textContent")
    dash_duo.driver.execute_script("arguments[0].click();", buyer_link)
    dash_duo.wait_for_text_to_equal(f"#{ids.PAGE} h1", body, 30)
    assert "/buyer?" in dash_duo.driver.current_url


def test_a_misspelt_name_offers_the_closest_bodies(dash_duo, sample_store):
    _open(dash_duo, sample_store, "?name=Leeds%20Citty%20Council", path="/buyer")
    offered = dash_duo.wait_for_element(f"#{ids.DID_YOU_MEAN}", timeout=30)
    assert "Leeds City Council" in offered.text
    offered.find_element(By.LINK_TEXT, "Leeds City Council").click()
    dash_duo.wait_for_text_to_equal(f"#{ids.PAGE} h1", "Leeds City Council", 30)
    violations = _axe_violations(dash_duo.driver)
    assert [v for v in violations if v["impact"] in ("serious", "critical")] == []


def test_buyers_are_in_the_header_and_found_by_a_search_that_keeps_the_filters(
    dash_duo, sample_store
):
    _open(dash_duo, sample_store, "?fy=2019-20", path="/")
    header = dash_duo.wait_for_element("header a[href^='/buyer']", timeout=30)
    assert header.text == "Buyers" and "fy=2019-20" in header.get_attribute("href")
    dash_duo.driver.execute_script("arguments[0].click();", header)
    box = dash_duo.wait_for_element("#name-search-buyer", timeout=30)
    label = dash_duo.find_element("label[for='name-search-buyer']")
    assert label.text.startswith("Find a buyer")
    violations = _axe_violations(dash_duo.driver)
    assert [v for v in violations if v["impact"] in ("serious", "critical")] == []
    box.send_keys("leeds city council")
    box.submit()
    dash_duo.wait_for_text_to_equal(f"#{ids.PAGE} h1", "Leeds City Council", 30)
    url = dash_duo.driver.current_url
    assert "/buyer?" in url and "fy=2019-20" in url and "name=leeds+city+council" in url
