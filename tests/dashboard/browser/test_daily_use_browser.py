"""An analyst's day and a minister's brief in a real browser (issue 25): periods that fit the
data, part years, charts that say something, names as people write them, print, 400 px,
the brief, the search, feeds, click to filter and downloads that can be cited."""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path
from urllib.request import urlopen

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

import loaders
from dashboard.pages import overview, registry
from dashboard.ui import ids
from tests.builders import rows_2014, write_csv
from tests.dashboard.browser.dom import retry_stale, text_of, texts_of
from tests.dashboard.browser.printing import (
    needs_poppler,
    orphaned_headings,
    page_count,
    read_pdf,
)
from tests.dashboard.browser.test_dashboard_browser import _axe_violations, _open, _widths

pytestmark = pytest.mark.browser
NARROW = {"width": 400, "height": 900, "deviceScaleFactor": 1, "mobile": False}


@pytest.fixture(scope="module")
def small_store(tmp_path_factory) -> Path:
    """Spend from April 2012 to June 2014 (2014-15 a part year, as in the real July 2014
    release), a supplier published in capitals, and notices of January 2025 only."""
    folder = tmp_path_factory.mktemp("daily")
    write_csv(folder / "G-Cloud-Spend-2014-07.csv", rows_2014(
        (1, "Acme", "Home Office", "2012-04-01", "100", "Central Government", "SME"),
        (2, "BJSS LTD", "Home Office", "2013-05-01", "900", "Central Government", "SME"),
        (3, "Big", "Home Office", "2013-06-01", "300", "Central Government", "Large"),
        (4, "Big", "Leeds City Council", "2014-06-01", "300", "Local Government", "Large"),
    ))  # fmt: skip
    release = {"ocid": "ocds-b5fd17-1", "id": "1", "date": "2025-01-15T10:00:00Z",
               "tag": ["tender"], "initiationType": "tender",
               "buyer": {"id": "b", "name": "Home Office"},
               "parties": [{"id": "b", "name": "Home Office", "roles": ["buyer"]}],
               "tender": {"id": "t", "title": "Cloud", "status": "active",
                          "suitability": {"sme": True}}}  # fmt: skip
    package = {"uri": "x", "version": "1.1", "publishedDate": "2025-01-15T10:00:00Z",
               "releases": [release]}  # fmt: skip
    (folder / "notices.json").write_text(json.dumps(package), encoding="utf-8")
    return loaders.write_store(loaders.load([folder]), folder / "store")


def _text(dash_duo, selector: str) -> str:
    return text_of(dash_duo, selector)


def _go(dash_duo, path: str) -> None:
    dash_duo.driver.get(dash_duo.server_url + path)
    dash_duo.wait_for_element(f"#{ids.PAGE} h1", timeout=30)


def _serious(driver) -> list[dict]:
    return [v for v in _axe_violations(driver) if v["impact"] in ("serious", "critical")]


def _years(dash_duo) -> list[str]:
    """The financial years the select offers (not its empty placeholder)."""
    options = dash_duo.driver.find_elements(By.CSS_SELECTOR, f"#{ids.FY} option")
    return [v for o in options if (v := o.get_attribute("value"))]


def test_opportunities_offer_and_read_the_notices_years(dash_duo, small_store):
    _open(dash_duo, small_store, "?fy=2024-25", path="/opportunities")
    dash_duo.wait_for_text_to_equal(f"#{ids.FY}", "2024-25", 30)
    assert _years(dash_duo) == ["all", "2024-25"]
    assert not dash_duo.driver.find_elements(By.ID, ids.URL_NOTICE)
    _go(dash_duo, "/department?name=home-office&fy=2013-14")
    dash_duo.wait_for_contains_text(f"#{ids.PAGE}", "No notices in financial year 2013-14", 30)
    assert _years(dash_duo) == ["all", "2024-25", "2014-15", "2013-14", "2012-13"]
    assert dash_duo.driver.title == "Home Office – Departments – Framework spend analytics"
    assert _serious(dash_duo.driver) == []


def test_part_years_charts_that_say_something_and_names(dash_duo, small_store):
    _open(dash_duo, small_store, "?period=fy")
    dash_duo.wait_for_element("#section-spend-by-period .xtick", timeout=30)
    ticks = _text(dash_duo, "#section-spend-by-period .xaxislayer-above")
    assert "2014-15(Apr–Jun)" in ticks.replace(" ", "")
    assert "Apr–Jun (part year)" in _text(dash_duo, "#section-spend-by-period table")
    # one iteration (none stated) and four lots (1 to 4): drawn as its four lots, not one bar
    bars = dash_duo.driver.find_elements(By.CSS_SELECTOR, "#section-spend-by-framework .point")
    assert len(bars) == 4
    assert "G-Cloud:" in _text(dash_duo, "#section-spend-by-framework .yaxislayer-above")
    assert "BJSS Ltd" in _text(dash_duo, "#section-top-suppliers")
    _go(dash_duo, "/?buyer_group=non-whitehall")
    dash_duo.wait_for_element(f"#{overview.KPI_NON_WHITEHALL}", timeout=30)
    assert _text(dash_duo, f"#{overview.KPI_NON_WHITEHALL}") == "18.8%"  # £300 of £1,600
    assert not dash_duo.driver.find_elements(By.ID, overview.KPI_CENTRAL)
    _go(dash_duo, "/department?name=home-office&fy=2013-14")
    dash_duo.wait_for_element("#section-dept-by-year .xtick", timeout=30)
    assert "Spend by month" in _text(dash_duo, "#section-dept-by-year h2")


def test_the_revisions_chart_has_a_time_axis_and_a_colour_per_line(dash_duo, sample_store):
    _open(dash_duo, sample_store, path="/data-quality")
    dash_duo.wait_for_element("#section-revisions-triangle .js-plotly-plot", timeout=30)
    layout = dash_duo.driver.execute_script(
        "const g = document.querySelector('#section-revisions-triangle .js-plotly-plot');"
        "return [g.layout.xaxis.type, g.data.map(t => t.line.color)];"
    )
    assert layout[0] == "date" and len(set(layout[1])) == len(layout[1]) >= 2
    assert _text(dash_duo, "#section-whole-store").count("Download the whole store") == 2
    href = dash_duo.find_element("#section-whole-store a").get_attribute("href")
    with urlopen(href) as answer:  # noqa: S310 - the test's own server
        assert answer.headers["Content-Type"] == "application/zip"


def _print(dash_duo, pdf: Path) -> Path:
    printed = dash_duo.driver.execute_cdp_cmd(
        "Page.printToPDF", {"printBackground": True, "preferCSSPageSize": True}
    )
    pdf.write_bytes(base64.b64decode(printed["data"]))
    return pdf


@needs_poppler
@pytest.mark.parametrize(
    "path",
    ["/department?name=ministry-of-justice&fy=2019-20", "/", "/buyer?name=Leeds%20City%20Council",
     "/data-quality", "/pipelines?fy=2025-26", "/sme-bids", "/opportunities?fy=2024-25"],
)  # fmt: skip
def test_printed_pages_keep_to_the_margins_and_never_end_on_a_heading(
    dash_duo, sample_store, tmp_path, path
):
    _open(dash_duo, sample_store, path=path)
    dash_duo.wait_for_element(f"#{ids.FOOTER}", timeout=30)
    time.sleep(2)
    headings = texts_of(dash_duo, f"#{ids.PAGE} h2")
    dash_duo.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    footer = dash_duo.driver.execute_script(
        f"return getComputedStyle(document.getElementById('{ids.FOOTER}')).backgroundColor;"
    )
    page = dash_duo.driver.execute_script("return getComputedStyle(document.documentElement)"
                                          ".backgroundColor;")  # fmt: skip
    dash_duo.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    assert footer in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)")  # no grey block
    assert page in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)")
    pages = read_pdf(_print(dash_duo, tmp_path / "page.pdf"))
    assert all(p.outside_margins() == [] for p in pages), [
        w.text for p in pages for w in p.outside_margins()][:5]  # fmt: skip
    assert orphaned_headings(pages, headings) == []
    text = " ".join(p.text() for p in pages)
    assert "(/buyer?" not in text and "(/department?" not in text  # links print as text


@needs_poppler
def test_the_brief_is_one_a4_page_from_its_button(dash_duo, sample_store, tmp_path):
    _open(dash_duo, sample_store, "?name=department-for-transport", path="/department")
    dash_duo.wait_for_element("#print-brief", timeout=30).click()
    dash_duo.wait_for_element("#brief-headline", timeout=30)
    assert dash_duo.driver.current_url.endswith(
        "/department/brief?name=Department%20for%20Transport"
    )
    assert _text(dash_duo, "#brief-headline").startswith("£")
    time.sleep(2)
    assert _serious(dash_duo.driver) == []
    pdf = _print(dash_duo, tmp_path / "brief.pdf")
    assert page_count(pdf) == 1
    text = read_pdf(pdf)[0].text()
    for said in ("Department for Transport", "through the frameworks in", "against",
                 "central government", "Data as at September 2025", "SYNTHETIC"):  # fmt: skip
        assert said in text


def test_the_header_search_forgives_and_the_keyboard_reaches_the_result(dash_duo, sample_store):
    _open(dash_duo, sample_store)
    box = dash_duo.find_element(f"#{ids.SITE_SEARCH}")
    box.send_keys("leeds", Keys.ENTER)
    dash_duo.wait_for_element("#search-results a", timeout=30)
    assert dash_duo.driver.current_url.endswith("/search?q=leeds")
    first = dash_duo.find_element("#search-results a")
    assert first.text == "Leeds City Council"
    assert "urn:" not in _text(dash_duo, "#search-results")
    assert _serious(dash_duo.driver) == []
    dash_duo.find_element("#name-search-search").send_keys(Keys.TAB, Keys.TAB)
    focused = dash_duo.driver.switch_to.active_element
    assert focused.get_attribute("href").endswith("/buyer?name=Leeds%20City%20Council")
    focused.send_keys(Keys.ENTER)
    dash_duo.wait_for_text_to_equal(f"#{ids.PAGE} h1", "Leeds City Council", 30)
    feed = dash_duo.find_element("#atom-feed").get_attribute("href")
    with urlopen(feed) as answer:  # noqa: S310 - the test's own server
        assert answer.headers["Content-Type"].startswith("application/atom+xml")
        assert b"<feed" in answer.read()


def _plotly_click(dash_duo, section: str, trace: int = 0, point: int = 0) -> None:
    """A click on a bar as plotly reports it (Plotly.Fx is not public: the event plotly
    sends, with the point plotly would give)."""
    dash_duo.driver.execute_script(
        f"const g = document.querySelector('#section-{section} .js-plotly-plot');"
        f"const t = g.data[{trace}]; const i = {point};"
        "const x = Array.isArray(t.x) ? t.x[i] : undefined;"
        "const c = t.customdata ? t.customdata[i] : undefined;"
        "g.emit('plotly_click', {points: [{x: x, customdata: c, curveNumber: "
        f"{trace}, pointNumber: i}}]}});"
    )


def test_a_click_on_a_bar_or_a_legend_entry_filters_the_page(dash_duo, sample_store):
    _open(dash_duo, sample_store, "?fy=2019-20")
    dash_duo.wait_for_element("#section-spend-by-sector .js-plotly-plot", timeout=30)
    time.sleep(1)
    _plotly_click(dash_duo, "spend-by-sector")
    deadline = time.time() + 20
    while "sector=" not in dash_duo.driver.current_url and time.time() < deadline:
        time.sleep(0.2)
    assert "fy=2019-20" in dash_duo.driver.current_url and "sector=" in dash_duo.driver.current_url
    _go(dash_duo, "/?fy=2019-20")
    dash_duo.wait_for_element("#section-spend-by-period .legendtoggle", timeout=30)
    time.sleep(1)

    def click_central() -> None:
        entries = dash_duo.driver.find_elements(By.CSS_SELECTOR, "#section-spend-by-period .traces")
        entry = next(e for e in entries if e.find_element(By.CSS_SELECTOR, ".legendtext").text
                     == "Central government")  # fmt: skip
        entry.find_element(By.CSS_SELECTOR, ".legendtoggle").click()

    retry_stale(click_central)
    deadline = time.time() + 20
    while "buyer_group=" not in dash_duo.driver.current_url and time.time() < deadline:
        time.sleep(0.2)
    assert dash_duo.driver.current_url.endswith("?fy=2019-20&buyer_group=central")
    assert "Filter by clicking" in _text(dash_duo, "#section-spend-by-period")


def test_every_page_fits_400_px_without_a_needless_button(dash_duo, sample_store):
    dash_duo.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", NARROW)
    paths = {"/department": "/department?name=ministry-of-justice",
             "/buyer": "/buyer?name=Leeds%20City%20Council",
             "/department/brief": "/department/brief?name=home-office",
             "/buyer/brief": "/buyer/brief?name=Leeds%20City%20Council",
             "/places/brief": "/places/brief?name=GMCA",
             "/search": "/search?q=council", "/places": "/places?region=London"}  # fmt: skip
    try:
        _open(dash_duo, sample_store)
        for page in registry.PAGES:
            path = paths.get(page.path, page.path)
            _go(dash_duo, path)
            dash_duo.wait_for_element(f"#{ids.FOOTER}", timeout=30)
            time.sleep(1)
            widths = _widths(dash_duo.driver)
            assert widths[1] <= widths[0], (path, widths)
            toggle = dash_duo.find_element(f"#{ids.FILTERS_TOGGLE}")
            assert toggle.is_displayed() == page.uses_filters, path
            # a table wider than the screen says so; every shown hint has a wider table
            for hint in dash_duo.driver.find_elements(By.CSS_SELECTOR, ".app-table-hint"):
                if hint.is_displayed():
                    box = hint.find_element(By.XPATH, "following-sibling::div[1]")
                    assert dash_duo.driver.execute_script(
                        "return arguments[0].scrollWidth > arguments[0].clientWidth", box
                    )
        _go(dash_duo, "/department?name=ministry-of-justice")
        dash_duo.wait_for_element("#section-dept-rank table", timeout=30)
        time.sleep(1)
        assert any(h.is_displayed() for h in
                   dash_duo.driver.find_elements(By.CSS_SELECTOR, ".app-table-hint"))  # fmt: skip
    finally:
        dash_duo.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


@pytest.mark.parametrize("path", ["/search?q=justice", "/department/brief?name=home-office",
                                  "/?fy=2019-20", "/data-quality"])  # fmt: skip
def test_new_screens_are_axe_clean(dash_duo, sample_store, path):
    _open(dash_duo, sample_store, path=path)
    dash_duo.wait_for_element(f"#{ids.FOOTER}", timeout=30)
    time.sleep(1)
    assert _serious(dash_duo.driver) == []
