"""Adding a source takes its folder, its registration line and its test: nothing else.

The source here (``tests/loaders/two_column_source/``) reads two-column CSV files into a
table it declares itself; the pipeline loads it beside the registered sources, the store
writes and reads its table through the catalogue it keeps, and the app's store reads it
with the one table reader: no module of the loaders, the store or the app knows it.
"""

from __future__ import annotations

import pytest

import loaders
from dashboard.analytics.store import Store
from loaders.catalogue.store import read_table, store_catalogue
from loaders.sources.registry import SOURCES
from tests.builders import rows_2014, write_csv
from tests.loaders import two_column_source

REGISTERED = (two_column_source.SOURCE, *SOURCES)  # the one registration line


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "counts.tally.csv").write_text("label,count\nalpha,3\nbeta,4\n", "utf-8")
    write_csv(
        tmp_path / "G-Cloud-Spend-2014-07.csv",
        rows_2014((3, "Acme", "Home Office", "2014-05-01", "100", "Central Government", "SME")),
    )
    return tmp_path


@pytest.mark.slow
def test_a_new_source_loads_beside_the_others_into_its_own_table(folder):
    result = loaders.load([folder], sources=REGISTERED)
    assert result["tallies"].to_dict("records") == [
        {"label": "alpha", "count": 3, "source_file": str(folder / "counts.tally.csv")},
        {"label": "beta", "count": 4, "source_file": str(folder / "counts.tally.csv")},
    ]
    assert str(result["tallies"]["count"].dtype) == "int64"
    assert result.spend["spend_gbp"].sum() == 100  # the spend file is still spend
    assert result.report["tallies"]["lines"] == 2
    assert "Tallies: 2 line(s) from 1 file(s)." in result.describe()


@pytest.mark.slow
def test_its_table_is_stored_and_read_back_without_knowing_the_source(folder, tmp_path):
    result = loaders.load([folder], sources=REGISTERED)
    store = loaders.write_store(result, tmp_path / "store")
    assert store_catalogue(store)["tallies"].field("count").unit == "count"
    assert read_table(store, "tallies").equals(result["tallies"])
    assert Store(store).stored("tallies")["label"].tolist() == ["alpha", "beta"]


def test_its_errors_are_the_loaders_one_line_errors(folder):
    (folder / "bad.tally.csv").write_text("label,count\ngamma,many\n", "utf-8")
    with pytest.raises(loaders.LoaderInputError, match=r"bad.tally.csv, row 2, column 'count'"):
        loaders.load([folder], sources=REGISTERED)


@pytest.mark.slow
def test_without_its_registration_line_its_files_are_not_read_as_its_own(folder):
    result = loaders.load([folder / "G-Cloud-Spend-2014-07.csv"])
    assert "tallies" not in result
