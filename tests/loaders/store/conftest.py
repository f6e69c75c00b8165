"""Two small load results (July and August 2014 releases) to write as store versions."""

from __future__ import annotations

from pathlib import Path

import pytest

import loaders
from tests.builders import rows_2014, write_csv


def release(folder: Path, name: str, *rows: tuple) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return write_csv(folder / name, rows_2014(*rows))


@pytest.fixture(scope="session")
def results(tmp_path_factory) -> dict[str, loaders.LoadResult]:
    """``july`` (£100 to May 2014) and ``august`` (£250 to June 2014), loaded once."""
    return two_releases(tmp_path_factory.mktemp("releases"))


def two_releases(folder: Path) -> dict[str, loaders.LoadResult]:
    """``july`` (£100 to May 2014) and ``august`` (£250 to June 2014), loaded."""
    acme = (3, "Acme", "Home Office", "2014-05-01", "100", "Central Government", "SME")
    july = release(folder / "july", "G-Cloud-Spend-2014-07.csv", acme)
    august = release(
        folder / "august",
        "G-Cloud-Spend-2014-08.csv",
        acme,
        (4, "Big", "Leeds City Council", "2014-06-01", "150", "Local Government", "Large"),
    )
    return {"july": loaders.load(july), "august": loaders.load(august)}


def total(store: Path) -> float:
    """The spend total of the store version a reader opens now."""
    return float(loaders.read_store(store).spend["spend_gbp"].sum())
