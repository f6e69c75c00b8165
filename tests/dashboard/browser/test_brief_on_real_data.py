"""The brief of the largest department of the real July 2014 G-Cloud release fits one A4 page
(issue 25, "Done when"), printed as a user prints it: ``python -m dashboard brief``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import loaders
from dashboard.analytics.departments import ranking
from dashboard.analytics.filters import Filters
from dashboard.analytics.store import Store
from dashboard.brief_pdf import CHROMIUM_NAMES
from dashboard.brief_pdf import main as print_brief
from tests.dashboard.browser.printing import needs_poppler, page_count, read_pdf

pytestmark = pytest.mark.browser
RELEASE = Path(__file__).resolve().parents[4] / "shared" / "real-data" / "gcloud-release-2014-07"


@needs_poppler
@pytest.mark.skipif(not RELEASE.is_dir(), reason="needs /work/shared/real-data (not in git)")
@pytest.mark.skipif(not any(shutil.which(n) for n in CHROMIUM_NAMES), reason="needs Chromium")
def test_the_largest_departments_brief_is_one_a4_page(tmp_path):
    store = loaders.write_store(loaders.load([RELEASE]), tmp_path / "store")
    largest = ranking(Store(store), Filters())["department"].iloc[0]
    assert largest == "Home Office"  # £32.1m of the release's £217.5m
    pdf = tmp_path / "brief.pdf"
    assert print_brief(["--store", str(store), "--department", largest, "--out", str(pdf)]) == 0
    assert page_count(pdf) == 1
    page = read_pdf(pdf)[0]
    assert page.outside_margins() == []
    text = " ".join(page.text().split())  # lines wrapped as printed
    for said in ("Home Office", "£21.8m through the frameworks in 2013-14, about 20 times 2012-13",
                 "Data as at June 2014"):  # fmt: skip
        assert said in text
