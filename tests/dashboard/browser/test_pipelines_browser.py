"""``/pipelines`` and ``/sme-bids`` in a real browser: opened through their URL with filters,
axe-clean, and ``/pipelines`` printed on A4 with its figures."""

from __future__ import annotations

import base64
import shutil
import subprocess
import time

import pytest

from dashboard.analytics import pipelines as pipe
from dashboard.analytics.filters import parse_query
from dashboard.analytics.store import Store
from dashboard.pages import pipelines
from dashboard.ui import ids
from dashboard.ui.formatting import format_count
from tests.dashboard.browser.test_dashboard_browser import _axe_violations, _open

pytestmark = pytest.mark.browser
MAX_PRINTED_PAGES = 12


def _serious(driver) -> list[dict]:
    return [v for v in _axe_violations(driver) if v["impact"] in ("serious", "critical")]


def test_pipelines_open_through_their_url_with_the_filters_applied(dash_duo, sample_store):
    query = "?fy=2025-26&buyer_group=central"
    expected = pipe.pipeline_headline(Store(sample_store), parse_query(query))
    _open(dash_duo, sample_store, query, path="/pipelines")
    dash_duo.wait_for_text_to_equal(f"#{pipelines.PIPE_AUTHORITIES}",
                                    format_count(expected.authorities), 30)  # fmt: skip
    assert dash_duo.find_element(f"#{pipelines.PIPE_PLANNED}").text == format_count(
        expected.planned_procurements)  # fmt: skip
    assert dash_duo.find_element(f"#{ids.FY}").get_attribute("value") == "2025-26"
    assert dash_duo.driver.title == "Pipelines – Framework spend analytics"
    assert len(dash_duo.find_elements(".js-plotly-plot")) == 2


@pytest.mark.parametrize("path", ["/pipelines", "/sme-bids"])
def test_axe_finds_no_serious_or_critical_violation(dash_duo, sample_store, path):
    _open(dash_duo, sample_store, path=path)
    dash_duo.wait_for_element(f"#{ids.FOOTER}", timeout=30)
    time.sleep(1)  # let the charts finish drawing
    assert _serious(dash_duo.driver) == []


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils (pdftotext)")
def test_pipelines_print_on_a4_with_their_figures(dash_duo, sample_store, tmp_path):
    _open(dash_duo, sample_store, "?fy=2025-26", path="/pipelines")
    dash_duo.wait_for_element("#section-pipe-publishers table", timeout=30)
    time.sleep(1)
    printed = dash_duo.driver.execute_cdp_cmd(
        "Page.printToPDF", {"printBackground": True, "preferCSSPageSize": True}
    )
    pdf = tmp_path / "pipelines.pdf"
    pdf.write_bytes(base64.b64decode(printed["data"]))
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    size = next(line for line in info.stdout.splitlines() if line.startswith("Page size"))
    assert "(A4)" in size
    pages = int(next(line for line in info.stdout.splitlines()
                     if line.startswith("Pages:")).split()[1])  # fmt: skip
    assert pages <= MAX_PRINTED_PAGES
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    flat = " ".join(text.split())
    for said in (
        "Pipelines under the Procurement Act 2023",
        "financial year 2025-26",
        "Authorities that published a pipeline notice",
        "SYNTHETIC SAMPLE DATA",
    ):
        assert said in flat
