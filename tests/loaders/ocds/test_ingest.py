"""Notices through ``loaders.load`` and ``python -m loaders ingest``: alone, beside spend,
bad input, duplicates, quarantine, the store and the report."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

import loaders
from loaders.catalogue import CANONICAL
from loaders.catalogue.store import read_store
from loaders.cli import main
from loaders.sources.ocds import checks
from tests.builders import rows_2014, write_csv
from tests.loaders.ocds.builders import award, package, party, release, write_json, write_jsonl


def _fingerprint(folder: Path) -> dict[str, str]:
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


@pytest.fixture
def page(tmp_path) -> Path:
    parties = [party("GB-CFS-1", "Ministry of Invented Affairs", "buyer"),
               party("S1", "Small Ltd", scale="sme")]  # fmt: skip
    return write_json(
        tmp_path / "page-2025-01.json",
        package([
            release(ocid="ocds-a", rid="a1"),
            release(ocid="ocds-a", rid="a2", date="2025-01-20T00:00:00Z", tags=("award",),
                    parties=parties, awards=[award("A1", 500.0, ["S1"])]),
            release(ocid="ocds-b", rid="b1"),
        ]),
    )  # fmt: skip


@pytest.fixture
def spend_file(tmp_path) -> Path:
    rows = rows_2014(
        (3, "Acme", "Home Office", "2014-05-01", "100.10", "Central Government", "SME"),
        (4, "Big", "Invented Academy Trust", "2014-06-01", "50", "Central Government", "Large"),
    )
    return write_csv(tmp_path / "G-Cloud-Spend-2014-07.csv", rows, "cp1252", "\r")


@pytest.mark.slow
def test_notices_alone_give_an_empty_spend_frame(page):
    result = loaders.load(page)
    assert result.spend.empty and list(result.spend.columns) == CANONICAL["spend"].columns
    assert result.report["files"] == []
    assert len(result.notices) == 2 and len(result.awards) == 1
    totals = result.report["ocds"]["totals"]
    assert (totals["releases_read"], totals["releases_loaded"], totals["processes"]) == (3, 3, 2)
    text = result.describe()
    assert "no spend files" in text and "3 releases read: 3 loaded" in text
    assert "read = loaded + duplicate + quarantined: reconciles" in text


@pytest.mark.slow
def test_spend_alone_is_loaded_as_before(spend_file):
    result = loaders.load(spend_file)
    assert "ocds" not in result.report
    assert result.notices.empty and result.awards.empty and result.ocds_releases.empty
    assert "Contracts Finder" not in result.describe()


@pytest.mark.slow
def test_notices_beside_spend_take_the_spend_bodies_and_sectors(spend_file, tmp_path):
    academy = release(ocid="ocds-acad", buyer={"id": "B2", "name": "Invented Academy Trust"},
                      parties=[party("B2", "Invented Academy Trust", "buyer")])  # fmt: skip
    path = write_json(tmp_path / "notices.json", package([academy]))
    result = loaders.load([spend_file, path])
    assert len(result.spend) == 2
    notice = result.notices.iloc[0]
    # the spend release says Central Government: it comes before the name rule (Education)
    assert (notice["sector"], notice["sector_method"]) == ("Central Government", "other_release")
    assert notice["customer_key"] == result.spend["customer_key"].iloc[1]
    assert notice["buyer_group"] == "Central government"


@pytest.mark.slow
def test_a_folder_is_searched_for_ocds_files_beside_spreadsheets(spend_file, page, tmp_path):
    write_jsonl(tmp_path / "more.jsonl.gz", [release(ocid="ocds-c")], gzipped=True)
    write_json(tmp_path / ".hidden.json", {"not": "ocds"})
    result = loaders.load(tmp_path)
    files = [f["file"] for f in result.report["ocds"]["files"]]
    assert files == ["more.jsonl.gz", "page-2025-01.json"]
    assert len(result.spend) == 2 and len(result.notices) == 3


@pytest.mark.slow
def test_duplicates_across_files_count_once(page, tmp_path):
    again = write_json(tmp_path / "page-copy.json", package([release(ocid="ocds-b", rid="b1")]))
    result = loaders.load([page, again])
    copy = result.report["ocds"]["files"][1]
    assert (copy["releases_read"], copy["releases_duplicate"], copy["releases_loaded"]) == (1, 1, 0)
    assert copy["reconciles"]
    row = result.ocds_releases.iloc[-1]
    assert row["status"] == "duplicate" and row["detail"].endswith("page-2025-01.json release 3")
    assert len(result.notices) == 2


@pytest.mark.slow
def test_bad_releases_in_a_good_file_are_quarantined_and_the_rest_loads(tmp_path):
    bad_currency = release(ocid="ocds-eur", tender={"value": {"amount": 9, "currency": "EUR"}})
    no_ocid = release()
    del no_ocid["ocid"]
    late = release(ocid="ocds-late", date="2999-01-01")
    releases = [release(ocid="ocds-ok"), bad_currency, no_ocid, late, "not a release"]
    path = write_json(tmp_path / "mixed.json", package(releases))
    result = loaders.load(path)
    f = result.report["ocds"]["files"][0]
    assert (f["releases_read"], f["releases_loaded"], f["releases_quarantined"]) == (5, 2, 3)
    assert f["quarantined_by_reason"] == {
        checks.NOT_OBJECT: 1, checks.NO_OCID: 1, checks.FUTURE_DATE: 1,
    }  # fmt: skip
    assert list(result.notices["ocid"]) == ["ocds-eur", "ocds-ok"]
    euros = result.notices.set_index("ocid").loc["ocds-eur"]
    assert pd.isna(euros["value_gbp"])  # a value in euros is no pound figure
    loaded = result.ocds_releases.set_index("ocid")
    assert loaded.loc["ocds-eur", "values_not_gbp"] == "tender.value in EUR"
    assert result.report["ocds"]["releases_with_values_not_gbp"] == 1
    assert "Releases with values in another currency, left out of pound figures: 1" in (
        result.describe()
    )


@pytest.mark.parametrize(
    "name, content, expected",
    [
        pytest.param("other.json", b'{"type": "FeatureCollection", "features": []}',
                     "not an OCDS release or record package", id="not-ocds"),
        pytest.param("cut.json", b'{"releases": [{"ocid": "o", "id": "1", "da',
                     "truncated or corrupt", id="truncated"),
        pytest.param("odd.json", b'{"releases": {"0": {"ocid": "o"}}}',
                     "'releases' is not a list", id="releases-not-a-list"),
        pytest.param("cut.jsonl", b'{"ocid": "o", "id": "1", "date": "2025-01-01"}\n{"oc',
                     "line 2 is truncated", id="jsonl-truncated"),
    ],
)  # fmt: skip
@pytest.mark.slow
def test_unusable_ocds_file_exits_2_and_leaves_the_store_untouched(
    spend_file, page, tmp_path, capsys, name, content, expected
):
    store = tmp_path / "store"
    assert main(["ingest", str(spend_file), str(page), "--out", str(store)]) == 0
    before = _fingerprint(store)
    broken = tmp_path / name
    broken.write_bytes(content)
    capsys.readouterr()
    code = main(["ingest", str(spend_file), str(page), str(broken), "--out", str(store)])
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1, err
    assert err.startswith(f"error: {broken}") and expected in err
    assert _fingerprint(store) == before


@pytest.mark.slow
def test_cli_summary_and_report(page, tmp_path, capsys):
    store = tmp_path / "store"
    assert main(["ingest", str(page), "--out", str(store)]) == 0
    out = capsys.readouterr().out
    assert "Read 3 OCDS releases of Contracts Finder from 1 file(s): 3 loaded, 0 duplicate" in out
    assert main(["report", str(store)]) == 0
    assert "Contracts Finder notices (OCDS)" in capsys.readouterr().out


@pytest.mark.slow
def test_store_round_trips_the_notice_tables(spend_file, page, tmp_path):
    result = loaders.load([spend_file, page])
    loaders.write_store(result, tmp_path / "store")
    stored = read_store(tmp_path / "store")
    for name in ("notices", "awards", "award_suppliers", "ocds_releases"):
        pd.testing.assert_frame_equal(getattr(stored, name), getattr(result, name))
    pd.testing.assert_frame_equal(stored.spend, result.spend)
    assert stored.report["ocds"] == result.report["ocds"]


@pytest.mark.slow
def test_store_of_a_spend_only_load_holds_empty_notice_tables(spend_file, tmp_path):
    loaders.write_store(loaders.load(spend_file), tmp_path / "store")
    stored = read_store(tmp_path / "store")
    assert stored.notices.empty and list(stored.notices.columns)[0] == "ocid"
