"""The content-hash extract cache: same results, files only hashed, damaged entries rebuilt."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path
from types import MappingProxyType

import openpyxl
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

import loaders
import loaders.sources.ccs_spend.extract_cache as extract_cache
from loaders.cli import main
from loaders.core.vocabulary import load_vocabulary
from loaders.sources.ccs_spend.extract import FileExtract, extract_file
from loaders.sources.ccs_spend.extract_cache import (
    META_FILE,
    ExtractCache,
    extract_cache_dir,
    fingerprint,
    is_key,
)
from tests.builders import ccs_row, ccs_rows, rows_2014, write_csv, write_xlsx

ROOT = Path(__file__).resolve().parents[2]


def entry_count(folder: Path) -> int:
    """Number of complete entries in a cache folder (0 if there is none)."""
    if not folder.is_dir():
        return 0
    return sum(1 for c in folder.iterdir() if is_key(c.name) and (c / META_FILE).is_file())


SAMPLE = ROOT / "data" / "sample"
CUSTOMERS = SAMPLE / "customer_urn_list_sample.xlsx"
VOCAB = load_vocabulary()
EXTRACT_FIELDS = (
    "path", "sha256", "encoding", "layouts", "skipped_sheets", "file_date",
    "declared_total_gbp", "unmapped_values", "first_month_too_late", "notes",
)  # fmt: skip
TABLES = ("spend", "quarantine", "revisions", "matches", "customers")


def _same_frames(left: pd.DataFrame, right: pd.DataFrame) -> None:
    assert_frame_equal(left, right, check_exact=True)
    assert list(left.dtypes.astype(str)) == list(right.dtypes.astype(str))
    for column in [c for c, d in left.dtypes.items() if str(d) == "object"]:  # None stays None
        assert [type(v) for v in left[column]] == [type(v) for v in right[column]], column


def _same_extract(left: FileExtract, right: FileExtract) -> None:
    for name in EXTRACT_FIELDS:
        assert getattr(left, name) == getattr(right, name), name
    _same_frames(left.parsed, right.parsed)
    _same_frames(left.quarantine, right.quarantine)


def _same_result(left: loaders.LoadResult, right: loaders.LoadResult) -> None:
    for name in TABLES:
        _same_frames(getattr(left, name), getattr(right, name))
    timing = ("generated_at", "file_signatures")  # when each load ran
    assert {k: v for k, v in left.report.items() if k not in timing} == {
        k: v for k, v in right.report.items() if k not in timing
    }


def _no_parsing(monkeypatch) -> None:
    def fail(*args, **kwargs):
        raise AssertionError("a cached file was parsed again")

    monkeypatch.setattr(extract_cache, "extract_file", fail)


@pytest.fixture
def quirky_csv(tmp_path) -> Path:
    """Every quarantine reason, unmapped values, a total row and a month too far ahead."""
    later = (dt.date.today() + dt.timedelta(days=800)).replace(day=1).isoformat()
    rows = rows_2014(
        (3, "Acme", "Home Office", "2014-05-01", "£100.10", "Central Government", "SME"),
        (4, "Big", "Leeds City Council", "2014-06-01", "(£0.10)", "Wibble", "maybe"),
        ("Lot 99", "Acme", "Home Office", "2014-06-01", "12", "", ""),
        (3, "Acme", "Home Office", "2014-06-01", "", "", ""),
        (3, "Acme", "Home Office", "2014-06-01", "n/a", "", ""),
        (3, "Acme", "Home Office", "", "5", "", ""),
        (3, "Acme", "Home Office", "sometime", "5", "", ""),
        (3, "Acme", "Home Office", "1999-01-01", "5", "", ""),
        (3, "Acme", "Home Office", later, "7", "", ""),
    )
    rows += [[""] * 10, ["Note: provisional"], ["", "Total", "", "", "", "", "", "112.00", "", ""]]
    rows.append(["9", "Cloud Nine", "3", "Acme", "Home Office", "2014-06-01", "d", "1", "", ""])
    return write_csv(tmp_path / "G-Cloud-Spend-2014-07.csv", rows)


@pytest.fixture
def two_sheet_xlsx(tmp_path) -> Path:
    data = [
        ccs_row(1001, "Home Office", "Central Government", "Acme Ltd", "SME", "RM1557.12",
                "G-Cloud 12", 2, "Cloud Software", dt.datetime(2021, 1, 1), 10.5),
        ccs_row(None, "Leeds", "Local Government", "Big plc", "Non-SME", "RM1557.12",
                "G-Cloud 12", 3, "Cloud Support", dt.datetime(2021, 2, 1), -2.25),
    ]  # fmt: skip
    path = write_xlsx(tmp_path / "CCS-spend-2021-03.xlsx", ccs_rows(data))
    workbook = openpyxl.load_workbook(path)
    workbook.create_sheet("Notes").append(["Read me"])
    workbook.save(path)
    return path


@pytest.fixture
def noted_xlsx(tmp_path) -> Path:
    """Notes for the report: month-first dates, $ amounts, an Excel error, a skipped sheet."""
    data = [
        ccs_row(1001, "Home Office", "#N/A", "Acme Ltd", "SME", "RM1557.12", "G-Cloud 12", 2,
                "Cloud Software", "1/22/2021", "$10.50"),
        ccs_row(1001, "Home Office", "Central Government", "Acme Ltd", "SME", "RM1557.12",
                "G-Cloud 12", 2, "Cloud Software", "2/3/2021", "#REF!"),
    ]  # fmt: skip
    path = write_xlsx(tmp_path / "CCS-spend-2021-03.xlsx", ccs_rows(data))
    workbook = openpyxl.load_workbook(path)
    workbook.create_sheet("Orders").append(["Customer URN", "Customer Name", "Contract Value"])
    workbook.save(path)
    return path


def test_the_noted_extract_has_its_notes(noted_xlsx):
    notes = extract_file(noted_xlsx, VOCAB).notes
    assert notes["dollar_amounts"] == 1
    assert notes["excel_errors"] == {
        "Customer Sector": {"#N/A": 1},
        "Evidenced Spend (ex VAT)": {"#REF!": 1},
    }
    assert notes["date_columns"][0]["order"] == "month-first"
    assert set(notes["skipped_sheet_reasons"]) == {"Orders"}


@pytest.mark.parametrize("fixture", ["quirky_csv", "two_sheet_xlsx", "noted_xlsx"])
def test_a_cached_extract_equals_a_fresh_one(fixture, request, tmp_path):
    path = request.getfixturevalue(fixture)
    fresh = extract_file(path, VOCAB)
    first = ExtractCache(tmp_path / "cache", VOCAB)
    _same_extract(fresh, first.extract(path))
    again = ExtractCache(tmp_path / "cache", VOCAB)
    _same_extract(fresh, again.extract(path))
    assert (first.hits, first.misses, again.hits, again.misses) == (0, 1, 1, 0)


def test_quirky_extract_keeps_its_facts(quirky_csv, tmp_path):
    cached = ExtractCache(tmp_path / "cache", VOCAB)
    cached.extract(quirky_csv)
    extract = ExtractCache(tmp_path / "cache", VOCAB).extract(quirky_csv)
    assert extract.declared_total_gbp == 112.0
    assert extract.unmapped_values  # e.g. the unknown sector and SME spellings
    assert extract.first_month_too_late is not None
    assert extract.quarantine["detail"].isna().any()  # None kept where there is no detail


@pytest.mark.slow
def test_load_with_cache_equals_load_without_and_only_hashes_known_files(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    plain = loaders.load([SAMPLE], customers=CUSTOMERS)
    filled = loaders.load([SAMPLE], customers=CUSTOMERS, cache_dir=cache)
    assert entry_count(cache) == len(plain.report["files"])
    _no_parsing(monkeypatch)
    reread = loaders.load([SAMPLE], customers=CUSTOMERS, cache_dir=cache)
    _same_result(plain, filled)
    _same_result(plain, reread)


@pytest.mark.slow
def test_a_new_file_is_the_only_one_parsed(tmp_path, monkeypatch):
    folder = tmp_path / "releases"
    folder.mkdir()
    for name in ("G-Cloud-spend-2013-12.csv", "G-Cloud-Spend-2014-07.csv"):
        shutil.copy(SAMPLE / name, folder / name)
    cache = tmp_path / "cache"
    loaders.load([folder], cache_dir=cache)
    shutil.copy(SAMPLE / "G-Cloud-spend-2017-03.csv", folder)
    parsed = []

    def counting(path, *args, **kwargs):
        parsed.append(path.name)
        return extract_file(path, *args, **kwargs)

    monkeypatch.setattr(extract_cache, "extract_file", counting)
    result = loaders.load([folder], cache_dir=cache)
    assert parsed == ["G-Cloud-spend-2017-03.csv"]
    monkeypatch.undo()
    _same_result(loaders.load([folder]), result)


def _entry(cache: Path) -> Path:
    (entry,) = [p for p in cache.iterdir() if p.is_dir()]
    return entry


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda e: (e / "parsed.parquet").write_bytes(b"not parquet"), id="garbage"),
        pytest.param(lambda e: (e / "quarantine.parquet").unlink(), id="missing-table"),
        pytest.param(lambda e: (e / "extract.json").write_text("{", "utf-8"), id="bad-json"),
        pytest.param(lambda e: (e / "extract.json").write_text("{}", "utf-8"), id="no-facts"),
        pytest.param(
            lambda e: (e / "parsed.parquet").write_bytes((e / "parsed.parquet").read_bytes()[:50]),
            id="truncated",
        ),
        pytest.param(
            lambda e: shutil.copy(e / "quarantine.parquet", e / "parsed.parquet"),
            id="wrong-table",
        ),
    ],
)
@pytest.mark.slow
def test_a_damaged_entry_is_ignored_and_rebuilt(damage, quirky_csv, tmp_path):
    cache = tmp_path / "cache"
    plain = loaders.load(quirky_csv)
    loaders.load(quirky_csv, cache_dir=cache)
    damage(_entry(cache))
    _same_result(plain, loaders.load(quirky_csv, cache_dir=cache))
    rebuilt = ExtractCache(cache, VOCAB)
    _same_extract(extract_file(quirky_csv, VOCAB), rebuilt.extract(quirky_csv))
    assert (rebuilt.hits, rebuilt.misses) == (1, 0)


def test_what_changes_extraction_changes_the_key(quirky_csv, tmp_path, monkeypatch):
    base = fingerprint(VOCAB, None)
    assert fingerprint(VOCAB, "DOS") != base
    sectors = MappingProxyType({**VOCAB.sectors, "wibble": "Health"})
    assert fingerprint(dataclasses.replace(VOCAB, sectors=sectors), None) != base
    monkeypatch.setattr(extract_cache, "extraction_code_digest", lambda: "edited code")
    assert fingerprint(VOCAB, None) != base
    monkeypatch.undo()
    cache = ExtractCache(tmp_path / "cache", VOCAB)
    assert cache.key("a.csv", "0" * 64) != cache.key("b.csv", "0" * 64)
    assert cache.key("a.csv", "0" * 64) != cache.key("a.csv", "1" * 64)


def test_the_code_fingerprint_follows_what_extraction_imports():
    modules = extract_cache.extraction_modules()
    expected = (
        "loaders.sources.ccs_spend.extract", "loaders.core.spreadsheets",
        "loaders.sources.ccs_spend.layout", "loaders.core.parsing",
        "loaders.core.normalise", "loaders.core.vocabulary", "loaders.core.errors",
    )  # fmt: skip
    for name in expected:
        assert name in modules
    assert (
        "loaders.pipeline" not in modules
        and "loaders.sources.ccs_spend.extract_cache" not in modules
    )


@pytest.mark.slow
def test_changed_bytes_or_reference_data_are_parsed_again(quirky_csv, tmp_path):
    cache = tmp_path / "cache"
    ExtractCache(cache, VOCAB).extract(quirky_csv)
    quirky_csv.write_bytes(quirky_csv.read_bytes().replace(b"100.10", b"100.20"))
    changed = ExtractCache(cache, VOCAB)
    assert changed.extract(quirky_csv).parsed["spend_gbp"].iloc[0] == 100.20
    sectors = MappingProxyType({**VOCAB.sectors, "wibble": "Health"})
    other = ExtractCache(cache, dataclasses.replace(VOCAB, sectors=sectors))
    assert "Health" in set(other.extract(quirky_csv).parsed["sector"])
    assert (changed.misses, other.misses) == (1, 1)


def test_an_entry_goes_stale_when_a_quarantined_month_comes_into_range(
    quirky_csv, tmp_path, monkeypatch
):
    cache = tmp_path / "cache"
    ExtractCache(cache, VOCAB).extract(quirky_csv)
    assert ExtractCache(cache, VOCAB).extract(quirky_csv).first_month_too_late is not None
    later = pd.Timestamp(dt.date.today()) + pd.DateOffset(years=5)
    monkeypatch.setattr(extract_cache, "latest_month", lambda: later)
    stale = ExtractCache(cache, VOCAB)
    stale.extract(quirky_csv)
    assert (stale.hits, stale.misses) == (0, 1)


@pytest.mark.slow
def test_entries_of_files_not_loaded_are_pruned(tmp_path):
    folder = tmp_path / "releases"
    folder.mkdir()
    for name in ("G-Cloud-spend-2013-12.csv", "G-Cloud-Spend-2014-07.csv"):
        shutil.copy(SAMPLE / name, folder / name)
    cache = tmp_path / "cache"
    loaders.load([folder], cache_dir=cache)
    assert entry_count(cache) == 2
    (cache / "notes.txt").write_text("mine", "utf-8")
    (cache / "keep-me").mkdir()
    loaders.load([folder / "G-Cloud-Spend-2014-07.csv"], cache_dir=cache)
    assert entry_count(cache) == 1
    assert (cache / "notes.txt").exists() and (cache / "keep-me").is_dir()


@pytest.mark.slow
def test_an_unwritable_cache_does_not_stop_the_load(quirky_csv, tmp_path):
    not_a_folder = tmp_path / "cache"
    not_a_folder.write_text("a file", "utf-8")
    _same_result(loaders.load(quirky_csv), loaders.load(quirky_csv, cache_dir=not_a_folder))


@pytest.mark.slow
def test_cli_keeps_the_cache_beside_the_store(tmp_path, monkeypatch, capsys):
    release = write_csv(
        tmp_path / "G-Cloud-Spend-2014-07.csv",
        rows_2014((3, "Acme", "Home Office", "2014-05-01", "100.10", "Central Government", "SME")),
    )
    store = tmp_path / "store"
    assert main(["ingest", str(release), "--out", str(store)]) == 0
    cache = extract_cache_dir(store)
    assert cache == tmp_path / ".extract-cache-store" and entry_count(cache) == 1
    _no_parsing(monkeypatch)
    assert main(["ingest", str(release), "--out", str(store)]) == 0
    assert "Loaded 1 rows" in capsys.readouterr().out


@pytest.mark.slow
def test_cli_no_cache_writes_none(tmp_path):
    release = write_csv(
        tmp_path / "G-Cloud-Spend-2014-07.csv",
        rows_2014((3, "Acme", "Home Office", "2014-05-01", "100.10", "Central Government", "SME")),
    )
    store = tmp_path / "store"
    assert main(["ingest", str(release), "--out", str(store), "--no-cache"]) == 0
    assert not extract_cache_dir(store).exists()
