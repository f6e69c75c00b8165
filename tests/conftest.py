"""Shared fixtures: a store of the bundled sample, and Chromium options for dash_duo."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import loaders

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample"
CUSTOMERS = SAMPLE / "customer_urn_list_sample.xlsx"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory) -> Path:
    """The bundled sample, ingested once for the whole test session."""
    store = tmp_path_factory.mktemp("sample") / "store"
    loaders.write_store(loaders.load([SAMPLE], customers=CUSTOMERS), store)
    return store


@pytest.fixture(scope="session")
def sample_spend(sample_store):
    """The spend rows of the sample store."""
    return loaders.read_store(sample_store).spend


@pytest.fixture(scope="session")
def sample_tables(sample_store):
    """The aggregate tables of the sample store, read on first use."""
    from loaders.aggregates import LazyAggregates

    return LazyAggregates(sample_store)


def pytest_setup_options():
    """Chrome options for dash_duo: Debian's Chromium, headless, no network chatter."""
    from selenium.webdriver.chrome.options import Options

    options = Options()
    if CHROMIUM:
        options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1400,1000",
    ):
        options.add_argument(argument)
    return options


def pytest_collection_modifyitems(config, items):
    """Skip browser tests without Chromium, unless CI says they must run."""
    if CHROMIUM and CHROMEDRIVER:
        return
    if os.environ.get("REQUIRE_BROWSER_TESTS"):
        raise pytest.UsageError("browser tests required but chromium/chromedriver not found")
    skip = pytest.mark.skip(reason="needs Debian's chromium and chromium-driver")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)
