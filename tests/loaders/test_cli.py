"""The command line: a store on success, exit 2 and one clear line for unusable input."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import loaders
from loaders.catalogue import CATALOGUE
from loaders.catalogue.store import CATALOGUE_FILE, REPORT_FILE, is_store, read_store
from loaders.cli import main
from tests.builders import HEADER_2017, HEADER_CCS, rows_2014, write_csv, write_xlsx

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def good_release(tmp_path):
    rows = rows_2014(
        (3, "Acme", "Home Office", "2014-05-01", "100.10", "Central Government", "SME"),
        (4, "Big", "Leeds City Council", "2014-06-01", "-0.10", "Local Government", "Large"),
    )
    return write_csv(tmp_path / "G-Cloud-Spend-2014-07.csv", rows, "cp1252", "\r")


def _fingerprint(folder: Path) -> dict[str, str]:
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


@pytest.mark.slow
def test_ingest_writes_the_store_and_report(good_release, tmp_path, capsys):
    out = tmp_path / "store"
    assert main(["ingest", str(good_release), "--out", str(out)]) == 0
    assert is_store(out)
    written = {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()}
    declared = {table.file for table in CATALOGUE.values()}
    assert written == declared | {REPORT_FILE, CATALOGUE_FILE}
    stored = read_store(out)
    assert stored.spend["spend_gbp"].sum() == pytest.approx(100.0)
    assert stored.report["totals"]["reconciles"] is True
    assert json.loads((out / "load_report.json").read_text())["files"][0]["rows_loaded"] == 2
    summary = capsys.readouterr().out
    assert "Loaded 2 rows (£100.00" in summary


@pytest.mark.slow
def test_store_round_trips_the_canonical_frame(good_release, tmp_path):
    result = loaders.load(good_release)
    loaders.write_store(result, tmp_path / "store")
    pd.testing.assert_frame_equal(read_store(tmp_path / "store").spend, result.spend)


@pytest.mark.slow
def test_report_command_prints_the_report_in_words(good_release, tmp_path, capsys):
    main(["ingest", str(good_release), "--out", str(tmp_path / "store")])
    capsys.readouterr()
    assert main(["report", str(tmp_path / "store")]) == 0
    text = capsys.readouterr().out
    assert "reconciles to the penny" in text
    assert "layout 2014 GDS CSV" in text
    assert "2014-15 £100.00" in text


def _truncated_workbook(folder: Path) -> Path:
    whole = write_xlsx(folder / "whole.xlsx", [HEADER_CCS, [1] * 11])
    broken = folder / "truncated.xlsx"
    broken.write_bytes(whole.read_bytes()[:600])
    whole.unlink()
    return broken


BROKEN_FILES = {
    "empty": (lambda d: _write(d / "empty.csv", b""), "is empty"),
    "blank lines only": (lambda d: _write(d / "blank.csv", b"\r\n\r\n  \r\n"), "is empty"),
    "binary": (lambda d: _write(d / "image.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00"), "not a text"),
    "not a workbook": (
        lambda d: _write(d / "fake.xlsx", b"hello, world"),
        "not a readable workbook",
    ),
    "truncated workbook": (_truncated_workbook, "not a readable workbook"),
    "unknown layout": (
        lambda d: write_csv(d / "odd.csv", [["Vendor", "Buyer", "Cost", "When"], ["a", "b", 1, 2]]),
        "unknown layout",
    ),
    "header only": (lambda d: write_csv(d / "header.csv", [HEADER_2017]), "no data rows"),
    "header and blank rows": (
        lambda d: write_csv(d / "header2.csv", [HEADER_2017, [""] * 9, []]),
        "no data rows",
    ),
    "no header": (lambda d: write_csv(d / "numbers.csv", [[1, 2, 3], [4, 5, 6]]), "no header"),
    "missing file": (lambda d: d / "nowhere.csv", "no such file"),
}


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.slow
@pytest.mark.parametrize("case", list(BROKEN_FILES))
def test_unusable_input_exits_2_with_one_line_and_leaves_the_store_untouched(
    case, good_release, tmp_path, capsys
):
    store = tmp_path / "store"
    assert main(["ingest", str(good_release), "--out", str(store)]) == 0
    before = _fingerprint(store)
    make, expected = BROKEN_FILES[case]
    broken = make(tmp_path)
    capsys.readouterr()
    code = main(["ingest", str(good_release), str(broken), "--out", str(store)])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert len(err.splitlines()) == 1, err
    assert broken.name in err and expected in err
    assert "Traceback" not in err
    assert _fingerprint(store) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".store")]


@pytest.mark.slow
def test_command_line_runs_as_a_module_without_traceback(tmp_path):
    broken = _write(tmp_path / "empty.csv", b"")
    run = subprocess.run(
        [sys.executable, "-m", "loaders", "ingest", str(broken), "--out", str(tmp_path / "s")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 2
    assert run.stderr.strip() == f"error: {broken}: is empty"
    assert not (tmp_path / "s").exists()


def test_report_of_a_missing_store_is_a_clear_error(tmp_path, capsys):
    assert main(["report", str(tmp_path / "nothing")]) == 2
    assert "is not a store" in capsys.readouterr().err
