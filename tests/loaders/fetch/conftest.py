"""Fixtures for the fetch tests: a fast client (no real sleeping) against pytest-httpserver."""

from __future__ import annotations

import pytest

from loaders.fetch.client import FetchSettings, HttpClient

FAST = FetchSettings(timeout=5, retries=2, backoff=1.0, delay=0.0, max_bytes=10_000)


class Sleeps(list):
    """Records the pauses a client asked for instead of sleeping."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def client(sleeps) -> HttpClient:
    return HttpClient(FAST, sleep=sleeps)
