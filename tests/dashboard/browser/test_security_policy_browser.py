"""The app still works in a real browser under its Content-Security-Policy: every page draws
its charts, callbacks and downloads run, plotly exports an image, axe finds nothing serious,
and the browser reports no CSP violation (scripts without 'unsafe-inline' or 'unsafe-eval')."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import requests
from selenium.webdriver.common.by import By

from dashboard.pages import overview
from dashboard.ui import ids
from tests.dashboard.browser.test_dashboard_browser import _axe_violations, _expected_total, _open

pytestmark = pytest.mark.browser
TOTAL = f"#{overview.KPI_TOTAL}"


def _csp_violations(dash_duo) -> list[str]:
    """Console errors the browser logged about the Content-Security-Policy."""
    return [
        entry["message"]
        for entry in dash_duo.get_logs()
        if "Content Security Policy" in entry["message"] or "unsafe-eval" in entry["message"]
    ]


@pytest.mark.parametrize(
    ("path", "charts"),
    [
        ("/", 5),
        ("/adoption", 2),
        ("/department?name=ministry-of-justice", 2),
        ("/suppliers", 3),
        ("/opportunities", 5),
        ("/buyer?name=ministry-of-justice", 1),
        ("/data-quality", 1),
    ],
)
def test_each_page_works_under_the_policy(dash_duo, sample_store, path, charts):
    route, _, query = path.partition("?")
    _open(dash_duo, sample_store, f"?{query}" if query else "", path=route)
    dash_duo.wait_for_element(f"#{ids.FOOTER}", timeout=30)
    deadline = time.time() + 30
    while len(dash_duo.find_elements(".js-plotly-plot .main-svg")) < charts:
        assert time.time() < deadline, f"fewer than {charts} charts drawn on {path}"
        time.sleep(0.2)
    policy = requests.get(dash_duo.server_url + path, timeout=10).headers
    assert "script-src 'self' 'sha256-" in policy["Content-Security-Policy"]
    assert "unsafe-eval" not in policy["Content-Security-Policy"]
    serious = [
        v for v in _axe_violations(dash_duo.driver) if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], serious
    assert _csp_violations(dash_duo) == []


def test_callbacks_downloads_and_image_export_work_under_the_policy(dash_duo, sample_store):
    query = "?fy=2015-16"
    _open(dash_duo, sample_store, query)
    dash_duo.wait_for_text_to_equal(TOTAL, _expected_total(sample_store, query), 30)
    assert dash_duo.driver.title == "Overview – Framework spend analytics"  # assets callback
    dash_duo.driver.find_element(
        By.XPATH, f"//*[@id='{ids.BUYER_GROUP}']//label[normalize-space()='Central government']"
    ).click()
    central = _expected_total(sample_store, "?fy=2015-16&buyer_group=central")
    dash_duo.wait_for_text_to_equal(TOTAL, central, 30)
    dash_duo.driver.execute_cdp_cmd(
        "Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": dash_duo.download_path}
    )
    dash_duo.driver.find_element(
        By.CSS_SELECTOR, "#section-spend-by-period .app-downloads button"
    ).click()
    # underscores part the name's parts, so the parameter buyer_group is written buyer-group
    name = "SYNTHETIC-sample_spend-by-period_fy-2015-16_buyer-group-central_data-as-at-2025-09.csv"
    target = Path(dash_duo.download_path) / name
    deadline = time.time() + 20
    while not target.exists() and time.time() < deadline:
        time.sleep(0.2)
    assert target.exists()
    image = dash_duo.driver.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        const graph = document.querySelector(".js-plotly-plot");
        Plotly.toImage(graph, {format: "png", width: 400, height: 300})
          .then(done).catch(e => done("failed: " + e));
        """
    )
    assert image.startswith("data:image/png;base64,")
    assert _csp_violations(dash_duo) == []
