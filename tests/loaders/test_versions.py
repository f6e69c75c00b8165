"""Versions and parts of one release: never added together, decided by content (names and the
manifest settle what content cannot)."""

from __future__ import annotations

import math
from decimal import Decimal

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import loaders
from loaders.catalogue.store import read_store
from loaders.cli import main
from loaders.core.errors import LoaderInputError
from loaders.sources.ccs_spend.checks import AMBIGUOUS, SUPERSEDED
from tests.builders import HEADER_DEC2017, write_csv, write_xlsx

SUPPLIERS = ["Alpha Cloud Ltd", "Beta Digital plc", "Gamma Hosting Ltd", "Delta Data Ltd"]
CUSTOMERS = ["Cabinet Office", "Home Office", "Leeds City Council", "NHS Digital", "Kent Police"]


def _row(month: str, spend: float, supplier: str, customer: str) -> list[object]:
    return ["Central Government", "Cloud Software", month, f"£{spend:,.2f}", "SME", supplier,
            customer, "G-Cloud 10"]  # fmt: skip


def _release(path, rows, encoding="utf-8"):
    """A Dec 2017 GOV.UK style file of (month, pounds, supplier, customer) rows."""
    return write_csv(path, [HEADER_DEC2017, *[_row(*r) for r in rows]], encoding)


V1 = [
    ("Jan-19", 1000.0, "Alpha Cloud Ltd", "Cabinet Office"),
    ("Jan-19", 2500.0, "Beta Digital plc", "Home Office"),
    ("Dec-18", 4000.0, "Gamma Hosting Ltd", "Leeds City Council"),
    ("Dec-18", 750.0, "Alpha Cloud Ltd", "NHS Digital"),
]
V2 = [*V1[:1], ("Jan-19", 2750.0, "Beta Digital plc", "Home Office"), *V1[2:],
      ("Jan-19", 1200.0, "Delta Data Ltd", "Kent Police")]  # fmt: skip


def _total(result: loaders.LoadResult) -> float:
    return round(math.fsum(result.spend["spend_gbp"]), 2)


@pytest.mark.slow
def test_two_versions_of_a_release_keep_the_later_and_list_the_revision(tmp_path):
    _release(tmp_path / "G-Cloud-spend-Jan2019-v1.csv", V1)
    _release(tmp_path / "G-Cloud-spend-Jan2019-v2.csv", V2)
    result = loaders.load(tmp_path)
    assert _total(result) == 9700.00 and len(result.spend) == 5
    assert set(result.spend["source_file"]) == {"G-Cloud-spend-Jan2019-v2.csv"}
    older = result.quarantine[result.quarantine["source_file"].eq("G-Cloud-spend-Jan2019-v1.csv")]
    assert set(older["reason"]) == {SUPERSEDED} and len(older) == 4
    assert set(older["detail"]) == {
        "older version of release 2019-01: replaced by G-Cloud-spend-Jan2019-v2.csv"
    }
    changes = result.version_changes.set_index("customer")
    assert changes.loc["Home Office", ["older_gbp", "newer_gbp", "change"]].tolist() == [
        2500.0, 2750.0, "revised"]  # fmt: skip
    assert changes.loc["Kent Police", "change"] == "added"
    assert len(changes) == 2
    (decision,) = result.report["release_versions"]
    assert decision["relation"] == "versions" and decision["decided_by"] == "content"
    assert decision["kept"] == ["G-Cloud-spend-Jan2019-v2.csv"]
    assert decision["superseded"] == ["G-Cloud-spend-Jan2019-v1.csv"]
    assert decision["rows_matching"] == 3 and "marked v2" in decision["reason"]
    statuses = {f["file"]: f["version_status"] for f in result.report["files"]}
    assert statuses == {
        "G-Cloud-spend-Jan2019-v1.csv": "superseded version",
        "G-Cloud-spend-Jan2019-v2.csv": "latest version",
    }
    assert result.report["totals"]["reconciles"] is True


@pytest.mark.slow
def test_revisions_and_release_months_show_the_older_version(tmp_path):
    _release(tmp_path / "G-Cloud-spend-Jan2019-v1.csv", V1)
    _release(tmp_path / "G-Cloud-spend-Jan2019-v2.csv", V2)
    result = loaders.load(tmp_path)
    january = result.revisions.set_index("month").loc[pd.Timestamp("2019-01-01")]
    assert january["first_release"] == "2019-01 (superseded version G-Cloud-spend-Jan2019-v1.csv)"
    assert (january["first_published_gbp"], january["current_gbp"]) == (3500.0, 4950.0)
    months = result.release_months
    current = months[months["current"]].set_index("month")["total_gbp"].to_dict()
    assert current == {pd.Timestamp("2018-12-01"): 4750.0, pd.Timestamp("2019-01-01"): 4950.0}
    assert len(months) == 4 and set(months["release"][months["current"]]) == {"2019-01"}


@pytest.mark.slow
def test_the_same_release_resaved_in_another_encoding_format_and_name_counts_once(tmp_path):
    _release(tmp_path / "G-Cloud-spend-Jan2019.csv", V2)
    _release(tmp_path / "G-Cloud spend January 2019 (Windows).csv", V2, "cp1252")
    rows = [HEADER_DEC2017, *[_row(*r) for r in V2]]
    write_xlsx(tmp_path / "gcloud_spend_export.xlsx", rows)  # no date in the name
    result = loaders.load(tmp_path)
    assert _total(result) == 9700.00 and len(result.spend) == 5
    assert {d["relation"] for d in result.report["release_versions"]} == {"versions"}
    assert result.report["totals"]["rows_superseded"] == 10


@pytest.mark.slow
def test_parts_of_a_release_are_all_kept(tmp_path):
    _release(tmp_path / "G-Cloud-spend-Jan2019-north.csv", V2[:2])
    _release(tmp_path / "G-Cloud-spend-Jan2019-south.csv", V2[2:])
    _release(tmp_path / "gcloud-other-part.csv", [("Jan-19", 5.0, "Omega Ltd", "Cabinet Office")])
    result = loaders.load(tmp_path)
    assert _total(result) == 9705.00
    assert {d["relation"] for d in result.report["release_versions"]} == {"parts"}
    assert set(result.spend["release"].astype(str)) == {"2019-01"}


@pytest.mark.slow
def test_an_ambiguous_overlap_is_never_summed_and_names_both_files(tmp_path):
    older = [(*r[:1], 100.0 * (i + 1), *r[2:]) for i, r in enumerate(V1)]  # rows 100..400
    newer = [older[0], ("Jan-19", 999.0, "Beta Digital plc", "Home Office"),
             ("Dec-18", 888.0, "Gamma Hosting Ltd", "Leeds City Council"),
             ("Dec-18", 777.0, "Alpha Cloud Ltd", "NHS Digital"),
             ("Jan-19", 666.0, "Delta Data Ltd", "Kent Police"),
             ("Jan-19", 555.0, "Omega Ltd", "Kent Police")]  # fmt: skip
    _release(tmp_path / "G-Cloud-spend-2019-01-31.csv", older)
    _release(tmp_path / "G-Cloud-spend-2019-01-31 (2).csv", newer)
    result = loaders.load(tmp_path)
    (decision,) = result.report["release_versions"]
    assert decision["relation"] == "ambiguous" and decision["rows_matching"] == 1
    kept = decision["kept"][0]
    expected = sum(r[1] for r in (newer if "(2)" in kept else older))
    assert _total(result) == round(expected, 2)
    aside = result.quarantine[result.quarantine["reason"].eq(AMBIGUOUS)]
    assert len(aside) in (len(older), len(newer)) and decision["set_aside"] != decision["kept"]
    assert result.report["totals"]["rows_set_aside"] == len(aside)
    assert result.report["totals"]["reconciles"] is True


@pytest.mark.parametrize(
    ("older", "newer"),
    [
        pytest.param("spend-2019-01.csv", "spend-2019-01a.csv", id="letter-suffix"),
        pytest.param("spend-2019-01-v9.csv", "spend-2019-01-v10.csv", id="v10-over-v9"),
        pytest.param("spend-2019-01.csv", "spend-2019-01-revised.csv", id="revised"),
    ],
)
@pytest.mark.slow
def test_version_markers_order_versions(tmp_path, older, newer):
    _release(tmp_path / older, V1)
    _release(tmp_path / newer, V2)
    assert _total(loaders.load(tmp_path)) == 9700.00


@pytest.mark.slow
def test_without_markers_the_version_covering_more_months_is_kept(tmp_path):
    _release(tmp_path / "G-Cloud-spend-Jan2019.csv", V2)
    more = [*V1, ("Nov-18", 10.0, "Alpha Cloud Ltd", "Cabinet Office")]
    _release(tmp_path / "G-Cloud-spend-Jan2019-copy.csv", more)
    result = loaders.load(tmp_path)
    assert _total(result) == round(sum(r[1] for r in more), 2)
    assert "covers more months" in result.report["release_versions"][0]["reason"]


@pytest.mark.slow
def test_names_marking_parts_keep_both_even_when_rows_repeat(tmp_path):
    _release(tmp_path / "G-Cloud-spend-Jan2019-part1.csv", V1[:2])
    _release(tmp_path / "G-Cloud-spend-Jan2019-part2.csv", V1[:1] + V1[2:])  # one twin row
    result = loaders.load(tmp_path)
    assert _total(result) == 1000.0 + sum(r[1] for r in V1)
    (decision,) = result.report["release_versions"]
    assert (decision["relation"], decision["decided_by"]) == ("parts", "file names")


@pytest.mark.slow
def test_a_manifest_beside_the_files_wins_over_content(tmp_path):
    _release(tmp_path / "first.csv", V2)
    _release(tmp_path / "second.csv", V1)
    (tmp_path / "releases.csv").write_text(
        "file,release,version\nfirst.csv,2019-01,1\nsecond.csv,2019-01,2\n", encoding="utf-8"
    )
    result = loaders.load(tmp_path)
    assert _total(result) == round(sum(r[1] for r in V1), 2)  # version 2 is the smaller file
    assert result.report["release_versions"][0]["decided_by"] == "manifest"
    assert result.report["manifests"] == [str(tmp_path / "releases.csv")]
    assert set(result.spend["release"].astype(str)) == {"2019-01"}


@pytest.mark.slow
def test_a_manifest_given_by_name_makes_parts_of_files_that_look_like_versions(tmp_path):
    _release(tmp_path / "a.csv", V1)
    _release(tmp_path / "b.csv", V1, "cp1252")  # the same rows, other bytes
    manifest = tmp_path / "my-manifest.csv"
    manifest.write_text("file,release\na.csv,January\nb.csv,January\n", encoding="utf-8")
    result = loaders.load([tmp_path / "a.csv", tmp_path / "b.csv"], manifest=manifest)
    assert _total(result) == 2 * sum(r[1] for r in V1)
    assert result.report["release_versions"][0]["relation"] == "parts"


def test_a_manifest_without_its_columns_is_refused(tmp_path):
    _release(tmp_path / "a.csv", V1)
    (tmp_path / "releases.csv").write_text("name,when\na.csv,2019\n", encoding="utf-8")
    with pytest.raises(LoaderInputError, match="releases.csv.*no column file, release"):
        loaders.load(tmp_path)


@pytest.mark.slow
def test_releases_of_different_dates_still_combine_month_by_month(tmp_path):
    _release(tmp_path / "G-Cloud-spend-Dec2018.csv", [("Dec-18", 50.0, "Alpha Cloud Ltd", "X")])
    _release(tmp_path / "G-Cloud-spend-Jan2019.csv", V2)
    result = loaders.load(tmp_path)
    assert _total(result) == 9700.00
    assert result.report["release_versions"] == []
    assert result.quarantine["detail"].tolist() == ["replaced by 2019-01"]


@pytest.mark.slow
def test_store_and_cli_keep_release_months_and_version_changes(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    _release(folder / "G-Cloud-spend-Jan2019-v1.csv", V1)
    _release(folder / "G-Cloud-spend-Jan2019-v2.csv", V2)
    manifest = tmp_path / "releases.csv"
    manifest.write_text(
        "file,release,version\nG-Cloud-spend-Jan2019-v1.csv,2019-01,2\n"
        "G-Cloud-spend-Jan2019-v2.csv,2019-01,1\n",
        encoding="utf-8",
    )
    store = tmp_path / "store"
    assert main(["ingest", str(folder), "--out", str(store), "--manifest", str(manifest)]) == 0
    stored = read_store(store)
    assert round(stored.spend["spend_gbp"].sum(), 2) == 8250.00  # the manifest's version 2
    result = loaders.load(folder, manifest=manifest)
    pd.testing.assert_frame_equal(stored.release_months, result.release_months)
    pd.testing.assert_frame_equal(stored.version_changes, result.version_changes)


# --- properties ---------------------------------------------------------------------------

pennies = st.integers(min_value=-500_000, max_value=5_000_000)
months = st.sampled_from(["Oct-18", "Nov-18", "Dec-18", "Jan-19"])


@st.composite
def releases(draw, min_size=2):
    """Distinct rows (month, pounds, supplier, customer) of one release."""
    keys = draw(
        st.lists(
            st.tuples(months, st.sampled_from(SUPPLIERS), st.sampled_from(CUSTOMERS), pennies),
            min_size=min_size,
            max_size=14,
            unique_by=lambda r: r,
        )
    )
    return [(m, p / 100, s, c) for m, s, c, p in keys]


def _pounds(rows) -> Decimal:
    return sum((Decimal(str(r[1])) for r in rows), Decimal(0))


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@pytest.mark.slow
@given(first=releases(), data=st.data())
def test_v1_and_v2_in_any_order_give_v2s_total(tmp_path_factory, first, data):
    revised = data.draw(st.sets(st.integers(0, len(first) - 1), max_size=(len(first) - 1) // 2))
    second = [(m, round(p + 1.01, 2) if i in revised else p, s, c)
              for i, (m, p, s, c) in enumerate(first)]  # fmt: skip
    second += data.draw(releases(min_size=0).map(lambda rows: [r for r in rows if r not in first]))
    names = data.draw(st.permutations(["spend-Jan2019-v1.csv", "spend-Jan2019-v2.csv"]))
    folder = tmp_path_factory.mktemp("versions")
    paths = [_release(folder / "spend-Jan2019-v1.csv", first),
             _release(folder / "spend-Jan2019-v2.csv", second)]  # fmt: skip
    order = paths if names[0].endswith("v1.csv") else paths[::-1]
    result = loaders.load(order)
    assert Decimal(str(_total(result))) == _pounds(second)
    assert result.report["totals"]["reconciles"] is True


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@pytest.mark.slow
@given(rows=releases(), data=st.data())
def test_a_release_split_into_parts_in_any_way_gives_its_total(tmp_path_factory, rows, data):
    parts = data.draw(st.integers(min_value=2, max_value=4))
    owner = data.draw(st.lists(st.integers(0, parts - 1), min_size=len(rows), max_size=len(rows)))
    stems = data.draw(st.sampled_from(["G-Cloud-spend-Jan2019-{}.csv", "export {}.csv"]))
    folder = tmp_path_factory.mktemp("parts")
    for part in range(parts):
        mine = [r for r, o in zip(rows, owner, strict=True) if o == part]
        if mine:
            _release(folder / stems.format(chr(ord("k") + part)), mine)
    result = loaders.load(folder)
    assert Decimal(str(_total(result))) == _pounds(rows)


@pytest.mark.slow
def test_an_undated_later_release_supersedes_a_dated_one_and_keeps_its_own_label(tmp_path):
    _release(tmp_path / "G-Cloud-spend-Dec2018.csv", V1[2:])  # Dec-18 only
    _release(tmp_path / "gcloud_latest.csv", V2)  # Dec-18 and Jan-19, same Dec-18 rows
    result = loaders.load(tmp_path)
    assert _total(result) == 9700.00
    assert set(result.spend["release"].astype(str)) == {"gcloud_latest.csv"}
    assert result.report["release_versions"][0]["superseded"] == ["G-Cloud-spend-Dec2018.csv"]


@pytest.mark.slow
def test_a_manifests_older_version_is_superseded_even_without_months_in_common(tmp_path):
    _release(tmp_path / "old.csv", [("Nov-18", 5.0, "Alpha Cloud Ltd", "Cabinet Office")])
    _release(tmp_path / "new.csv", V2)
    (tmp_path / "releases.csv").write_text(
        "file,release,version\nold.csv,2019-01,v1\nnew.csv,2019-01,v2\n", encoding="utf-8"
    )
    result = loaders.load(tmp_path)
    assert _total(result) == 9700.00
    assert result.report["release_versions"][0]["superseded"] == ["old.csv"]
