"""Hostile input ends with one line: JSON nested past the limit or holding one enormous
token, workbooks too big to read safely, file names and values that would forge a second
``error:`` line, and running out of memory."""

from __future__ import annotations

import gzip
import json
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from loaders.cli import main
from loaders.core import json_limits, spreadsheets
from loaders.sources.ocds.streaming import iter_candidates
from tests.builders import HEADER_CCS, rows_2014, write_csv
from tests.loaders.xlsx_parts import SheetPart, write_workbook

ROOT = Path(__file__).resolve().parents[2]


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def _release(extra: str = "[]") -> str:
    return ('{"ocid": "ocds-b5fd17-1", "id": "1", "date": "2025-01-02T00:00:00Z", '
            f'"tag": ["tender"], "extra": {extra}}}')  # fmt: skip


def _package(folder: Path, name: str, release: str) -> Path:
    path = folder / name
    text = f'{{"uri": "x", "releases": [{release}]}}'
    if name.endswith(".jsonl"):
        text = release + "\n"
    data = text.encode()
    path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    return path


def _ingest(capsys, *paths: Path, out: Path) -> tuple[int, str]:
    code = main(["ingest", *map(str, paths), "--out", str(out), "--no-cache"])
    return code, capsys.readouterr().err


@pytest.mark.parametrize("depth", [65, 10_000, 100_000])
@pytest.mark.parametrize("name", ["notices.json", "notices.json.gz", "notices.jsonl"])
def test_json_nested_past_the_limit_is_refused_with_one_line(tmp_path, capsys, depth, name):
    # the release package adds 3 levels (package, releases, release) around "extra"
    path = _package(tmp_path, name, _release(_nested(depth)))
    code, err = _ingest(capsys, path, out=tmp_path / "store")
    assert code == 2 and err.count("\n") == 1 and err.startswith("error: ")
    assert f"nested deeper than {json_limits.MAX_JSON_DEPTH} levels" in err
    assert "Traceback" not in err and not (tmp_path / "store").exists()


def test_json_at_the_limit_is_read(tmp_path):
    path = _package(tmp_path, "notices.json", _release(_nested(json_limits.MAX_JSON_DEPTH - 3)))
    assert [c.where for c in iter_candidates(path)] == ["releases[0]"]


@pytest.mark.slow
def test_one_enormous_string_in_a_small_gzip_file_is_refused_at_once(tmp_path, capsys):
    path = tmp_path / "notices.json.gz"
    with gzip.open(path, "wb") as handle:
        handle.write(b'{"releases": [{"ocid": "ocds-b5fd17-1", "big": "')
        for _ in range(5):
            handle.write(b"a" * 8_000_000)
        handle.write(b'"}]}')
    code, err = _ingest(capsys, path, out=tmp_path / "store")
    assert code == 2 and err.count("\n") == 1
    assert "string or number over 33,554,432 bytes" in err


def test_the_reader_sees_a_quote_across_reads():
    reader = json_limits.BoundedReader(__import__("io").BytesIO(b'"' + b"a" * 50 + b'"x'), 40)
    with pytest.raises(json_limits.TokenTooLong):
        while reader.read(16):
            pass


@pytest.fixture
def small_limit(monkeypatch):
    monkeypatch.setattr(spreadsheets, "MAX_SHEET_BYTES", 20_000)


def _xlsx(path: Path) -> Path:
    row = [12345, "Home Office", "Central Government", "Acme", "SME", "RM1557", "G-Cloud", 1,
           "Lot", "2020-01-01", 100.5]  # fmt: skip
    return write_workbook(path, [SheetPart("Spend", [HEADER_CCS] + [row] * 300)])


def _ods(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content>" + " " * 30_000)
    return path


def _xls(path: Path) -> Path:
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 30_000)
    return path


@pytest.mark.parametrize("make", [_xlsx, _ods, _xls], ids=["xlsx", "ods", "xls"])
def test_a_workbook_with_more_sheet_data_than_the_limit_is_refused_before_reading(
    tmp_path, capsys, small_limit, make
):
    suffix = {"_xlsx": ".xlsx", "_ods": ".ods", "_xls": ".xls"}[make.__name__]
    path = make(tmp_path / f"CCS-spend-2020-02{suffix}")
    code, err = _ingest(capsys, path, out=tmp_path / "store")
    assert code == 2 and err.count("\n") == 1
    assert "bytes of sheet data uncompressed, over the 20,000" in err


FORGERIES = ["G-Cloud\nerror: forged.csv", "G-Cloud\rerror: forged.csv",
             "G-Cloud\x1b[2Kerror: forged.csv", "G-Cloud\u2028error: forged.csv"]  # fmt: skip


@pytest.mark.parametrize("name", FORGERIES)
def test_a_file_name_cannot_forge_a_second_error_line(tmp_path, capsys, name):
    path = tmp_path / name
    path.write_bytes(b"")
    code, err = _ingest(capsys, path, out=tmp_path / "store")
    assert code == 2
    assert err.count("\n") == 1 and err.count("error:") == 2  # the forged one is escaped
    assert "\r" not in err and "\x1b" not in err and "\u2028" not in err
    assert "forged.csv: is empty" in err


def test_a_header_with_a_line_break_stays_in_one_line(tmp_path, capsys):
    path = write_csv(tmp_path / "odd.csv", [["Vendor\nerror: forged", "Buyer", "Cost"],
                                            ["a", "b", "1"]])  # fmt: skip
    code, err = _ingest(capsys, path, out=tmp_path / "store")
    assert code == 2 and err.count("\n") == 1 and "Vendor\\nerror: forged" in err


def test_an_operating_system_error_naming_a_path_stays_in_one_line(tmp_path, capsys):
    blocker = tmp_path / "a\nerror: forged"
    blocker.write_text("a file where the store's folder should be")
    row = (3, "Acme", "Home Office", "2014-05-01", "1", "Health", "SME")
    release = write_csv(tmp_path / "G-Cloud-Spend-2014-07.csv", rows_2014(row))
    code, err = _ingest(capsys, release, out=blocker / "store")
    assert code == 1 and err.count("\n") == 1 and "a\\nerror: forged" in err


def _limit_memory() -> None:
    limit = 1024 * 1024 * 1024  # 1 GB of address space (ulimit -v 1048576)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


@pytest.mark.slow
def test_running_out_of_memory_ends_with_one_line(tmp_path):
    """A 0.7 MB gzip file holding one 700 MB line: reading the line fails for memory."""
    folder = tmp_path / "in"
    folder.mkdir()
    with gzip.open(folder / "notices.jsonl.gz", "wb") as handle:
        handle.write(b'{"ocid": "ocds-b5fd17-1", "big": "')
        for _ in range(70):
            handle.write(b"a" * 10_000_000)
        handle.write(b'"}\n')
    run = subprocess.run(
        [sys.executable, "-m", "loaders", "ingest", str(folder), "--out", str(tmp_path / "s"),
         "--no-cache"],
        cwd=ROOT, capture_output=True, text=True, check=False, preexec_fn=_limit_memory,
    )  # fmt: skip
    assert run.returncode == 1, run.stderr[-2000:]
    assert run.stderr.count("\n") == 1 and "ran out of memory during 'ingest'" in run.stderr
    assert not (tmp_path / "s").exists()


def test_deep_json_in_a_json_lines_file_names_the_line(tmp_path):
    path = tmp_path / "notices.jsonl"
    path.write_text(_release() + "\n" + json.dumps({"a": 1})[:-1] + ', "b": ' + _nested(70) + "}\n")
    from loaders.core.errors import LoaderInputError

    with pytest.raises(LoaderInputError, match="line 2 is nested deeper than 64 levels"):
        list(iter_candidates(path))
