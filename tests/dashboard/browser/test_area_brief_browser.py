"""An area's brief in Chromium (issue 25, features 8 and 10): "Print brief" and the feed link
of an area chosen on /places reached and followed with the keyboard, the brief on one A4
page, axe-clean, at 400 px, and printed from the command line."""

from __future__ import annotations

import shutil
import time
from urllib.request import urlopen

import pytest
from selenium.webdriver.common.keys import Keys

from dashboard.brief_pdf import CHROMIUM_NAMES
from dashboard.brief_pdf import main as print_brief
from dashboard.ui import ids
from tests.dashboard.browser.printing import needs_poppler, page_count, read_pdf
from tests.dashboard.browser.test_daily_use_browser import NARROW, _go, _print, _serious, _text
from tests.dashboard.browser.test_dashboard_browser import _open, _widths

pytestmark = pytest.mark.browser


@needs_poppler
def test_an_areas_brief_is_reached_with_the_keyboard_and_prints_on_one_a4_page(
    dash_duo, sample_store, tmp_path
):
    _open(dash_duo, sample_store, "?combined_authority=GMCA&fy=2019-20", path="/places")
    link = dash_duo.wait_for_element("#print-brief", timeout=30)
    link.send_keys(Keys.TAB)  # the feed link follows it in the keyboard's order
    feed = dash_duo.driver.switch_to.active_element
    assert feed.get_attribute("id") == "atom-feed"
    with urlopen(feed.get_attribute("href")) as answer:  # noqa: S310 - the test's own server
        assert answer.headers["Content-Type"].startswith("application/atom+xml")
        assert b"Greater Manchester Combined Authority" in answer.read()
    link.send_keys(Keys.ENTER)
    dash_duo.wait_for_element("#brief-headline", timeout=30)
    assert dash_duo.driver.current_url.endswith(
        "/places/brief?fy=2019-20&name=Greater%20Manchester%20Combined%20Authority"
    )
    assert _text(dash_duo, "#brief-headline").startswith("£")
    time.sleep(2)
    assert _serious(dash_duo.driver) == []
    pdf = _print(dash_duo, tmp_path / "brief.pdf")
    assert page_count(pdf) == 1
    page = read_pdf(pdf)[0]
    assert page.outside_margins() == []
    for said in (
        "Greater Manchester Combined Authority",
        "through the frameworks in 2019-20",
        "non-Whitehall buyers",
        "constituent councils",
        "Data as at September 2025",
    ):
        assert said in page.text()  # fmt: skip


def test_a_regions_brief_and_places_fit_400_px(dash_duo, sample_store):
    dash_duo.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", NARROW)
    try:
        _open(dash_duo, sample_store, "?name=north-west", path="/places/brief")
        for path in ("/places/brief?name=north-west", "/places?region=North%20West"):
            _go(dash_duo, path)
            dash_duo.wait_for_element(f"#{ids.FOOTER}", timeout=30)
            time.sleep(1)
            widths = _widths(dash_duo.driver)
            assert widths[1] <= widths[0], (path, widths)
        assert dash_duo.find_element("#print-brief").is_displayed()
        assert dash_duo.find_element("#atom-feed").is_displayed()
        _go(dash_duo, "/places/brief?name=north-west")
        time.sleep(1)
        assert _serious(dash_duo.driver) == []
    finally:
        dash_duo.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


@needs_poppler
@pytest.mark.skipif(not any(shutil.which(n) for n in CHROMIUM_NAMES), reason="needs Chromium")
@pytest.mark.parametrize(
    ("area", "said"),
    [
        pytest.param("North West", "across non-Whitehall buyers", id="region"),
        pytest.param("WMCA", "West Midlands Combined Authority", id="combined authority"),
    ],
)
def test_the_command_line_prints_an_areas_brief_on_one_page(sample_store, tmp_path, area, said):
    pdf = tmp_path / "brief.pdf"
    assert print_brief(["--store", str(sample_store), "--area", area, "--out", str(pdf)]) == 0
    assert page_count(pdf) == 1
    page = read_pdf(pdf)[0]
    assert page.outside_margins() == []
    assert said in page.text() and "Area brief" in page.text()
