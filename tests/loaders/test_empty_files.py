"""Fail loudly when a file gives nothing: exit 2, one line naming the file, the reason and the
fix, and the store left alone; --allow-empty / allow_empty=True for the rare intended case."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

import loaders
from loaders.cli import main
from loaders.core.errors import LoaderInputError
from tests.builders import HEADER_2017, HEADER_DEC2017, rows_2014, write_csv

NO_FRAMEWORK = [
    HEADER_DEC2017[:-1],
    ["Central Government", "Digital outcomes", "Jan-17", "£10.00", "SME", "Acme", "Home Office"],
    ["Health", "Digital specialists", "Feb-17", "£20.00", "Large", "Big", "NHS Digital"],
]


def _fingerprint(folder: Path) -> dict[str, str]:
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


@pytest.fixture
def store(tmp_path) -> Path:
    good = write_csv(
        tmp_path / "G-Cloud-Spend-2014-07.csv",
        rows_2014((3, "Acme", "Home Office", "2014-05-01", "100", "Central Government", "SME")),
    )
    out = tmp_path / "store"
    assert main(["ingest", str(good), "--out", str(out), "--no-cache"]) == 0
    return out


@pytest.mark.parametrize(
    ("rows", "says"),
    [
        pytest.param(
            NO_FRAMEWORK, "all 2 data rows quarantined (2 missing framework); name its "
            "framework with --framework NAME", id="no-framework"),
        pytest.param(
            [HEADER_2017, ["Total", "", "", "", "", "", "", "£30.00", ""]],
            "it holds no data rows, only totals, notes or blanks", id="only-a-total-row"),
        pytest.param(
            [HEADER_2017, [""] * 9, ["Total", "", "", "", "", "", "", "£30.00", ""],
             ["Source: CCS"]],
            "it holds no data rows, only totals, notes or blanks", id="totals-notes-blanks"),
        pytest.param([HEADER_2017], "it holds no data rows", id="header-only"),
        pytest.param(
            [HEADER_2017, ["G-Cloud 7", "SaaS", "A", "Health", "B", "d", "sometime", "£1", "SME"]],
            "1 unparseable month); check its month column", id="no-month-reads"),
    ],
)  # fmt: skip
@pytest.mark.slow
def test_a_file_that_gives_nothing_exits_2_with_one_line_and_leaves_the_store(
    tmp_path, store, capsys, rows, says
):
    bad = write_csv(tmp_path / "spend-export.csv", rows)
    before = _fingerprint(store)
    capsys.readouterr()
    assert main(["ingest", str(bad), "--out", str(store), "--no-cache"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ") and "spend-export.csv" in err
    assert "no row can be loaded" in err and says in err and "--allow-empty" in err
    assert _fingerprint(store) == before


@pytest.mark.slow
def test_allow_empty_loads_a_file_that_gives_nothing(tmp_path, capsys):
    bad = write_csv(tmp_path / "spend-export.csv", NO_FRAMEWORK)
    with pytest.raises(LoaderInputError, match="--framework NAME"):
        loaders.load(bad)
    result = loaders.load(bad, allow_empty=True)
    assert result.spend.empty and result.report["totals"]["rows_quarantined"] == 2
    assert result.report["totals"]["reconciles"] is True
    out = tmp_path / "store"
    assert main(["ingest", str(bad), "--out", str(out), "--allow-empty", "--no-cache"]) == 0
    assert loaders.read_store(out).spend.empty
    assert main(["ingest", str(bad), "--out", str(out), "--framework", "DOS"]) == 0
    assert loaders.read_store(out).spend["spend_gbp"].sum() == 30.0
