"""The sample generator's table reader: explicit types, and one-line errors naming the file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from data.make_sample.__main__ import run
from data.make_sample.generate import main
from data.make_sample.settings import SOURCES_DIR
from data.make_sample.typed_csv import SourceError, fy_start, read_rows, yes_no


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_read_rows_converts_each_column_and_keeps_spaces(tmp_path: Path) -> None:
    write(tmp_path / "t.csv", 'family,financial_year,rows,suffix\nDOS,2016-17,260," - phase 2"\n')
    rows = read_rows(tmp_path, "t.csv", {"financial_year": fy_start, "rows": int, "suffix": str})
    assert rows == [(2016, 260, " - phase 2")]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("family,rows\nDOS,many\n", "t.csv, line 2: invalid literal", id="bad-int"),
        pytest.param("family\nDOS\n", "t.csv: missing column(s) rows", id="missing-column"),
        pytest.param("family,rows\nDOS\n", "t.csv, line 2: too few fields", id="short-row"),
    ],
)
def test_read_rows_errors_name_the_file(tmp_path: Path, text: str, message: str) -> None:
    write(tmp_path / "t.csv", text)
    with pytest.raises(SourceError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_rows(tmp_path, "t.csv", {"family": str, "rows": int})


def test_missing_table_is_named(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="t.csv: no such source table"):
        read_rows(tmp_path, "t.csv", {"family": str})


@pytest.mark.parametrize("text", ["Yes", "true", ""])
def test_yes_no_rejects_other_spellings(text: str) -> None:
    with pytest.raises(ValueError, match="expected yes or no"):
        yes_no(text)


@pytest.mark.parametrize("label", ["2012-14", "2012", "FY2012"])
def test_fy_start_rejects_non_financial_years(label: str) -> None:
    with pytest.raises(ValueError, match="not a financial year"):
        fy_start(label)


def broken_sources(tmp_path: Path, filename: str, old: str, new: str) -> Path:
    """A copy of ``data/sample_sources`` with ``old`` replaced by ``new`` in one file."""
    sources = tmp_path / "sources"
    shutil.copytree(SOURCES_DIR, sources)
    path = sources / filename
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    return sources


def test_unknown_release_layout_stops_before_writing(tmp_path: Path) -> None:
    sources = broken_sources(tmp_path, "releases.csv", ",csv_2014", ",csv_1999")
    with pytest.raises(SourceError, match=r"releases.csv: no writer for layout \['csv_1999'\]"):
        main(tmp_path / "out", sources_dir=sources)
    assert not (tmp_path / "out").exists()


def test_cli_prints_one_line_error_and_exits_2(tmp_path: Path, capsys) -> None:
    sources = broken_sources(tmp_path, "fy_targets.csv", "DOS,2016-17", "DOS,2016-18")
    assert run([str(tmp_path / "out"), "--sources", str(sources)]) == 2
    error = capsys.readouterr().err
    assert error.startswith("error: ") and error.count("\n") == 1
    assert "fy_targets.csv, line 16: not a financial year: '2016-18'" in error
