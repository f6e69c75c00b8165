"""Cumulative releases: the newest release wins each framework-month; revisions are listed."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

import loaders
from tests.builders import HEADER_DEC2017, rows_2014, write_csv


def _release(folder, name, months_and_spend, sector="Central Government"):
    rows = rows_2014(
        *[
            (3, f"Supplier {i}", "Home Office", month, spend, sector, "SME")
            for i, (month, spend) in enumerate(months_and_spend)
        ]
    )
    return write_csv(folder / name, rows)


@pytest.fixture
def two_releases(tmp_path):
    _release(
        tmp_path,
        "G-Cloud-Spend-2013-12.csv",
        [("2013-10-01", 100), ("2013-11-01", 10.53), ("2013-11-01", 0)],
    )
    _release(
        tmp_path,
        "G-Cloud-Spend-2014-07.csv",
        [("2013-10-01", 100), ("2013-11-01", 14.28), ("2014-06-01", 5)],
    )
    return tmp_path


@pytest.mark.slow
def test_newest_release_wins_each_framework_month(two_releases):
    result = loaders.load(two_releases)
    spend = result.spend
    assert set(spend["release"].astype(str)) == {"2014-07"}
    by_month = spend.groupby(spend["month"].dt.strftime("%Y-%m"))["spend_gbp"].sum()
    assert by_month.to_dict() == {"2013-10": 100, "2013-11": 14.28, "2014-06": 5}
    superseded = result.quarantine[result.quarantine["reason"] == "superseded by a newer release"]
    assert len(superseded) == 3
    assert set(superseded["detail"]) == {"replaced by 2014-07"}


@pytest.mark.slow
def test_revisions_table_lists_first_and_current_totals(two_releases):
    revisions = loaders.load(two_releases).revisions.set_index("month")
    november = revisions.loc[pd.Timestamp("2013-11-01")]
    assert november["first_release"] == "2013-12"
    assert november["first_published_gbp"] == pytest.approx(10.53)
    assert november["current_release"] == "2014-07"
    assert november["current_gbp"] == pytest.approx(14.28)
    assert november["change_gbp"] == pytest.approx(3.75)
    assert revisions.loc[pd.Timestamp("2013-10-01"), "change_gbp"] == 0
    assert len(revisions) == 2


@pytest.mark.slow
def test_file_order_does_not_matter(two_releases):
    names = sorted(p.name for p in two_releases.iterdir())
    forward = loaders.load([two_releases / n for n in names])
    backward = loaders.load([two_releases / n for n in reversed(names)])
    pd.testing.assert_frame_equal(
        forward.spend.sort_values(["month", "supplier"]).reset_index(drop=True),
        backward.spend.sort_values(["month", "supplier"]).reset_index(drop=True),
    )


@pytest.mark.slow
def test_loading_the_same_file_twice_changes_nothing(two_releases, tmp_path_factory):
    copy_dir = tmp_path_factory.mktemp("copy")
    shutil.copy(two_releases / "G-Cloud-Spend-2014-07.csv", copy_dir / "again.csv")
    once = loaders.load(two_releases)
    twice = loaders.load([two_releases, copy_dir / "again.csv"])
    pd.testing.assert_frame_equal(once.spend, twice.spend)
    assert twice.report["duplicates_skipped"][0]["file"].endswith("again.csv")


@pytest.mark.slow
def test_months_only_an_older_release_covers_are_kept_from_it(tmp_path):
    _release(tmp_path, "old-2013-12.csv", [("2012-04-01", 1), ("2013-11-01", 2)])
    _release(tmp_path, "new-2014-07.csv", [("2013-11-01", 3)])
    spend = loaders.load(tmp_path).spend
    assert dict(
        zip(spend["month"].dt.strftime("%Y-%m"), spend["release"].astype(str), strict=True)
    ) == {
        "2012-04": "2013-12",
        "2013-11": "2014-07",
    }


@pytest.mark.slow
def test_frameworks_are_combined_separately(tmp_path):
    header = HEADER_DEC2017[:-1]
    gcloud = (
        [*HEADER_DEC2017],
        ["Health", "Cloud Hosting", "Jan-17", "1", "SME", "A", "B", "G-Cloud 9"],
    )
    write_csv(tmp_path / "G-Cloud-spend-Dec2017.csv", list(gcloud))
    dos = [header, ["Health", "Digital outcomes", "Jan-17", "2", "SME", "A", "B"]]
    write_csv(tmp_path / "DOS-spend-Dec2017.csv", dos)
    spend = loaders.load(tmp_path).spend
    assert spend["spend_gbp"].sum() == 3
    assert spend["framework"].nunique() == 2


@pytest.mark.slow
def test_every_file_of_the_newest_release_is_kept(tmp_path):
    _release(tmp_path, "G-Cloud-Spend-2014-07-part1.csv", [("2014-05-01", 1), ("2014-06-01", 2)])
    _release(tmp_path, "G-Cloud-Spend-2014-07-part2.csv", [("2014-05-01", 4), ("2014-06-01", 8)])
    _release(tmp_path, "G-Cloud-Spend-2014-06.csv", [("2014-05-01", 100)])
    result = loaders.load(tmp_path)
    assert result.spend["spend_gbp"].sum() == 15
    assert set(result.spend["release"].astype(str)) == {"2014-07"}
    may = result.revisions.set_index("month").loc[pd.Timestamp("2014-05-01")]
    assert (may["first_published_gbp"], may["current_gbp"]) == (100, 5)
