"""What a newcomer, an analyst and a minister's office meet in a real browser: what the data
are, links that say what they ignore, copy link, downloads, narrow screens and print."""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import time
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import urlopen

import pytest
from selenium.webdriver.common.by import By

import loaders
from dashboard.analytics.held_periods import years_held
from dashboard.analytics.store import Store
from dashboard.pages import registry
from dashboard.ui import ids
from tests.builders import rows_2014, write_csv
from tests.dashboard.browser.dom import text_of
from tests.dashboard.browser.test_dashboard_browser import _axe_violations, _open, _widths

pytestmark = pytest.mark.browser
DEPARTMENT = "/department?name=ministry-of-justice&fy=2019-20"
BUYER = "/buyer?name=Leeds%20City%20Council"
# pages that show a body's figures only once the body is named
NAMED = {"/department": DEPARTMENT, "/buyer": BUYER}
MAX_DEPARTMENT_PAGES = 4


def _text(dash_duo, selector: str) -> str:
    return text_of(dash_duo, selector)


@pytest.fixture(scope="module")
def real_store(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("real")
    release = write_csv(
        folder / "G-Cloud-Spend-2014-07.csv",
        rows_2014(
            (3, "Acme", "Home Office", "2014-05-01", "100.10", "Central Government", "SME"),
            (4, "Big", "Leeds City Council", "2014-06-01", "200", "Local Government", "Large"),
        ),
    )
    return loaders.write_store(loaders.load(release), folder / "store")


def test_the_sample_says_it_is_synthetic(dash_duo, sample_store):
    _open(dash_duo, sample_store)
    assert "Synthetic data" in _text(dash_duo, f"#{ids.DATA_BANNER}")
    assert "invented" in _text(dash_duo, f"#{ids.DATA_BANNER}")
    assert "Open Government Licence" not in _text(dash_duo, f"#{ids.FOOTER}")


def test_a_real_store_says_management_information(dash_duo, real_store):
    _open(dash_duo, real_store)
    assert "Management information" in _text(dash_duo, f"#{ids.DATA_BANNER}")
    assert "Synthetic" not in _text(dash_duo, f"#{ids.DATA_BANNER}")
    assert "Open Government Licence" in _text(dash_duo, f"#{ids.FOOTER}")


def test_no_chart_button_sends_data_elsewhere_and_a_link_can_be_copied(dash_duo, sample_store):
    _open(dash_duo, sample_store, "?fy=2019-20")
    dash_duo.wait_for_element(".modebar-btn", timeout=30)
    titles = {
        b.get_attribute("data-title")
        for b in dash_duo.driver.find_elements(By.CSS_SELECTOR, ".modebar-btn")
    }
    assert not {t for t in titles if "share" in t.lower() or "studio" in t.lower()}
    dash_duo.find_element(f"#{ids.COPY_LINK}").click()
    expected = f"Link copied: {dash_duo.server_url}/?fy=2019-20"
    dash_duo.wait_for_text_to_equal(f"#{ids.COPY_LINK_STATUS}", expected, 10)
    status = dash_duo.find_element(f"#{ids.COPY_LINK_STATUS}")
    assert status.get_attribute("aria-live") == "polite"


def test_header_links_keep_the_filters(dash_duo, sample_store):
    _open(dash_duo, sample_store, "?fy=2019-20&sme=SME", path="/adoption")
    link = dash_duo.find_element("#nav-link-0")
    deadline = time.time() + 20
    while link.get_attribute("href").endswith("/") and time.time() < deadline:
        time.sleep(0.2)
    hrefs = [a.get_attribute("href") for a in
             dash_duo.driver.find_elements(By.CSS_SELECTOR, ".app-header__link")]  # fmt: skip
    # a page whose data hold no 2019-20 (the sample's bids: 2025) is linked without the year
    held = {p.path: "2019-20" in years_held(Store(sample_store), p.kinds) for p in registry.PAGES}
    assert hrefs == [f"{dash_duo.server_url}{path}?" + ("fy=2019-20&" if held[path] else "")
                     + "sme=SME" for path, _ in registry.nav()]  # fmt: skip


def test_unknown_paths_are_404_pages(dash_duo, sample_store):
    _open(dash_duo, sample_store, path="/nope")
    dash_duo.wait_for_text_to_equal(f"#{ids.PAGE} h1", "Page not found", 30)
    with pytest.raises(HTTPError) as answer:
        urlopen(f"{dash_duo.server_url}/nope")  # noqa: S310 - the test's own server
    assert answer.value.code == 404


BAD = "?fy=2099-00&sme=foo&buyer_group=nobody&from=banana&colour=red&framework=Nope"


def test_values_of_a_link_that_cannot_apply_are_named(dash_duo, sample_store):
    _open(dash_duo, sample_store, BAD)
    dash_duo.wait_for_element(f"#{ids.URL_NOTICE}", timeout=30)
    notice = _text(dash_duo, f"#{ids.URL_NOTICE}")
    for said in ("fy=2099-00", "sme=foo", "buyer_group=nobody", "from=banana", "colour=red",
                 "framework=Nope"):  # fmt: skip
        assert said in notice
    assert dash_duo.find_element(f"#{ids.FY}").get_attribute("value") == "all"
    violations = _axe_violations(dash_duo.driver)
    assert [v for v in violations if v["impact"] in ("serious", "critical")] == []


@pytest.mark.parametrize(
    "path", [NAMED.get(p.path, p.path) for p in registry.PAGES if p.views]
)  # the search and the briefs have no views to download
def test_every_download_of_every_page_gives_a_file(dash_duo, sample_store, path):
    _open(dash_duo, sample_store, path=path)
    dash_duo.driver.execute_cdp_cmd(
        "Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": dash_duo.download_path}
    )
    dash_duo.wait_for_element(f"#{ids.FOOTER}", timeout=30)
    time.sleep(1)
    buttons = dash_duo.driver.find_elements(By.CSS_SELECTOR, ".app-downloads button")
    folder = Path(dash_duo.download_path)
    assert buttons
    for button in buttons:  # one at a time: a second click on a view replaces the first
        component = json.loads(button.get_attribute("id"))
        kind = "csv" if component["type"] == ids.DOWNLOAD_CSV else "xlsx"
        start = f"SYNTHETIC-sample_{component['view']}_"
        dash_duo.driver.execute_script("arguments[0].click();", button)
        deadline = time.time() + 60
        found: list[Path] = []
        while not found and time.time() < deadline:
            time.sleep(0.2)
            found = [p for p in folder.glob(f"{start}*.{kind}") if p.stat().st_size > 0]
        assert found, start
        assert found[0].name.endswith(f"_data-as-at-2025-09.{kind}")
    assert not dash_duo.driver.find_elements(By.CSS_SELECTOR, ".app-download-status:not(:empty)")


def test_a_narrow_screen_needs_no_sideways_scroll_and_folds_the_filters(dash_duo, sample_store):
    dash_duo.driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 400, "height": 900, "deviceScaleFactor": 1, "mobile": False},
    )
    try:
        _open(dash_duo, sample_store)
        panel = dash_duo.find_element(f"#{ids.FILTERS_REGION}")
        assert not panel.is_displayed()  # the figures come first
        toggle = dash_duo.find_element(f"#{ids.FILTERS_TOGGLE}")
        assert toggle.get_attribute("aria-expanded") == "false"
        toggle.click()
        deadline = time.time() + 10
        while not panel.is_displayed() and time.time() < deadline:
            time.sleep(0.2)
        assert panel.is_displayed() and toggle.get_attribute("aria-expanded") == "true"
        for path in ("/", "/adoption", DEPARTMENT, "/suppliers", "/data-quality"):
            dash_duo.driver.get(dash_duo.server_url + path)
            dash_duo.wait_for_element(f"#{ids.PAGE} h1", timeout=30)
            time.sleep(1)
            widths = _widths(dash_duo.driver)
            assert widths[1] <= widths[0], (path, widths)
    finally:
        dash_duo.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def _pdf_pages(pdf: Path) -> list[str]:
    count = int(
        next(line for line in subprocess.run(["pdfinfo", str(pdf)], capture_output=True,
             text=True, check=True).stdout.splitlines() if line.startswith("Pages:")).split()[1]
    )  # fmt: skip
    return [
        subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"],
                       capture_output=True, text=True, check=True).stdout
        for n in range(1, count + 1)
    ]  # fmt: skip


needs_poppler = pytest.mark.skipif(
    not shutil.which("pdftotext"), reason="needs poppler-utils (pdfinfo, pdftotext)"
)


@needs_poppler
def test_a_department_year_prints_on_four_a4_pages_with_the_date_first(
    dash_duo, sample_store, tmp_path
):
    _open(dash_duo, sample_store, path=DEPARTMENT)
    dash_duo.wait_for_text_to_equal(f"#{ids.PAGE} h1", "Ministry of Justice", 30)
    dash_duo.wait_for_element("#section-dept-rank table", timeout=30)
    time.sleep(1)
    printed = dash_duo.driver.execute_cdp_cmd(
        "Page.printToPDF", {"printBackground": True, "preferCSSPageSize": True}
    )
    pdf = tmp_path / "department.pdf"
    pdf.write_bytes(base64.b64decode(printed["data"]))
    pages = _pdf_pages(pdf)
    assert len(pages) <= MAX_DEPARTMENT_PAGES
    first = " ".join(pages[0].split())
    for said in ("Ministry of Justice", "Data as at September 2025", "financial year 2019-20",
                 "SYNTHETIC SAMPLE DATA"):  # fmt: skip
        assert said in first


@needs_poppler
def test_a_headless_print_from_the_command_line_shows_the_page(dash_duo, sample_store, tmp_path):
    _open(dash_duo, sample_store, path=DEPARTMENT)
    pdf = tmp_path / "cli.pdf"
    subprocess.run(
        [shutil.which("chromium") or "chromium", "--headless=new", "--no-sandbox",
         "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
         "--disable-background-networking", "--no-pdf-header-footer",
         "--virtual-time-budget=20000", f"--print-to-pdf={pdf}",
         f"{dash_duo.server_url}{DEPARTMENT}"],
        capture_output=True, timeout=120, check=False,
    )  # fmt: skip
    pages = _pdf_pages(pdf)
    assert "Ministry of Justice" in pages[0] and "Loading..." not in pages[0]
    assert len(pages) <= MAX_DEPARTMENT_PAGES
