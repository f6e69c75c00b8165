"""Tables kept in parts (issue 24 item 4): an append writes only the rows it adds, links the
stored parts, and the store reads back exactly what a rebuild writes, table by table, in
order; the previous version stays whole; a table of too many parts is written whole again."""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import loaders
from dashboard.analytics.store import Store
from dashboard.store_download import build_zip
from loaders.catalogue import parts as parts_module
from loaders.catalogue import versions
from loaders.catalogue.model import Field, Table
from loaders.catalogue.parts import PARTS_FILE, Part, StoredTable, appended, part_file, shown
from loaders.catalogue.store import _read_parquet, open_report, read_table
from loaders.update import append as append_module
from tests.builders import HEADER_CCS, write_csv
from tests.loaders.test_append import ingest, write_release

pytestmark = pytest.mark.slow

ROWS = [
    (("Home Office", 10001), "Central Government", "Acme Ltd", "SME", 10_050),
    (("Leeds City Council", None), "", "Beta Cloud Ltd", "", 2_000),
    (("Home Office", 10001), "Central Government", "Beta Cloud Ltd", "Large", 333),
]


def _releases(folder: Path, first: int, count: int) -> list[Path]:
    """``count`` monthly releases from month ``first`` (0 is May 2021), each adding a row."""
    return [write_release(folder, first + i, ROWS + ROWS[: i % 3]) for i in range(count)]


def _parts(store: Path) -> dict[str, list]:
    path = versions.current_version(store) / PARTS_FILE
    return json.loads(path.read_text()) if path.is_file() else {}


def _assert_exactly_the_rebuild(store: Path, rebuilt: Path) -> None:
    """Every table equal to the rebuild's, in order, dtypes and categories too; the sums
    bit for bit (lines summed again in the order a rebuild sums their rows)."""
    one, other = loaders.read_store(store), loaders.read_store(rebuilt)
    assert sorted(one.catalogue) == sorted(other.catalogue)
    for name in other.catalogue:
        pd.testing.assert_frame_equal(one[name], other[name], check_exact=True, obj=name)


def test_appends_month_by_month_across_a_year_end_equal_the_rebuild(tmp_path):
    """Ten monthly releases from October 2021: appended one at a time, crossing April 2022
    (a new financial year's lines start a part of their own)."""
    files = _releases(tmp_path / "files", 5, 10)
    store, cache = tmp_path / "store", tmp_path / "cache"
    ingest(files[:3], store, cache)
    for n in range(4, len(files) + 1):
        done = ingest(files[:n], store, cache)
        assert done.appended == (files[n - 1],)
    ingest(files, tmp_path / "rebuilt", cache, rebuild=True)
    _assert_exactly_the_rebuild(store, tmp_path / "rebuilt")
    stored = _parts(store)
    # spend rows: the first three months' file, then one part per appended month
    assert len(stored["spend"]) == 8
    # the yearly lines: 2021-22's (its last lines summed again in March) linked as they are
    # since, then 2022-23's, summed again with each month's rows
    assert stored["aggregates.pair_fy"] == ["aggregates/pair_fy.parquet",
                                            "aggregates/pair_fy.1.parquet"]  # fmt: skip
    years = loaders.read_store(store)["aggregates.pair_fy"]
    assert years["financial_year"].astype(str).tolist() == ["2021-22"] * 3 + ["2022-23"] * 3
    assert years["transactions"].tolist() == [6, 10, 8, 4, 6, 5]


def test_only_the_new_rows_are_written_and_earlier_parts_are_linked(tmp_path):
    files = _releases(tmp_path / "files", 0, 3)
    store, cache = tmp_path / "store", tmp_path / "cache"
    ingest(files[:2], store, cache)
    before = versions.current_version(store)
    ingest(files, store, cache)
    after = versions.current_version(store)
    assert after != before
    assert _parts(store)["spend"] == ["spend.parquet", "spend.1.parquet"]
    assert (after / "spend.parquet").stat().st_ino == (before / "spend.parquet").stat().st_ino
    assert len(read_table(after, "spend")) == len(read_table(before, "spend")) + len(ROWS) + 2
    # the previous version still reads as it was written (its files never written into)
    assert len(read_table(before, "spend")) == 2 * len(ROWS) + 1


def test_a_table_of_too_many_parts_is_written_whole_again(tmp_path, monkeypatch):
    monkeypatch.setattr(parts_module, "MAX_PARTS", 3)
    monkeypatch.setattr("loaders.catalogue.store.MAX_PARTS", 3)
    files = _releases(tmp_path / "files", 0, 5)
    store, cache = tmp_path / "store", tmp_path / "cache"
    ingest(files[:1], store, cache)
    counts = []
    for n in range(2, 6):
        ingest(files[:n], store, cache)
        counts.append(len(_parts(store).get("spend", ["spend.parquet"])))
    assert counts == [2, 3, 1, 2]
    ingest(files, tmp_path / "rebuilt", cache, rebuild=True)
    _assert_exactly_the_rebuild(store, tmp_path / "rebuilt")


TABLE = Table(
    "t",
    "t.parquet",
    "a test table",
    (
        Field("month", "datetime64[ns]", "month", "month"),
        Field("body", "category", "key", "body"),
        Field("spend_gbp", "float64", "gbp", "pounds"),
    ),
)


def _write(path: Path, frame: pd.DataFrame, row_group: int) -> Path:
    TABLE.typed(frame).to_parquet(path, index=False, row_group_size=row_group)
    return path


def test_a_part_cut_short_and_the_rows_after_a_point(tmp_path):
    """Rows 0-9 in a file of row groups of 3, the rows 10-11 in a second part: the first
    7 rows, and the rows from 5 on, read only from the row groups that hold them."""
    months = pd.date_range("2021-04-01", periods=12, freq="MS")
    frame = pd.DataFrame({"month": months, "body": list("abcabcabcabc"),
                          "spend_gbp": np.arange(12) * 1.5})  # fmt: skip
    first = _write(tmp_path / "t.parquet", frame.iloc[:10], 3)
    second = _write(tmp_path / "t.1.parquet", frame.iloc[10:].reset_index(drop=True), 3)
    held = StoredTable(TABLE, (Part(first), Part(second)), _read_parquet)
    pd.testing.assert_frame_equal(held(), TABLE.typed(frame))
    head = held.head(7)
    assert head.parts == (Part(first, 7),)
    pd.testing.assert_frame_equal(head(), TABLE.typed(frame.iloc[:7]))
    tail = held.rows_from(5)
    assert tail["spend_gbp"].tolist() == [7.5, 9.0, 10.5, 12.0, 13.5, 15.0, 16.5]
    assert list(tail["body"].cat.categories) == ["a", "b", "c"]
    assert held.head(7).rows_from(5)["spend_gbp"].tolist() == [7.5, 9.0]
    # rows added after the first seven: kept as parts, read whole as one table
    added = frame.iloc[7:9].reset_index(drop=True)
    both = appended(head, added, TABLE)
    assert both.parts_after_write() == 2
    pd.testing.assert_frame_equal(both(), TABLE.typed(frame.iloc[:9]))
    assert part_file("aggregates/pair_fy.parquet", 2) == "aggregates/pair_fy.2.parquet"


def test_a_store_of_the_format_before_parts_is_still_read(tmp_path):
    files = _releases(tmp_path / "files", 0, 1)
    ingest(files, tmp_path / "store", tmp_path / "cache")
    report_file = versions.current_version(tmp_path / "store") / versions.REPORT_FILE
    report = json.loads(report_file.read_text())
    report["store_format"] = 10
    report_file.write_text(json.dumps(report))
    assert open_report(tmp_path / "store")["store_format"] == 10
    assert len(read_table(tmp_path / "store", "spend")) == len(ROWS)


def test_stored_files_unchanged_since_are_not_read_again(tmp_path, monkeypatch):
    """An append hashes only the new file and the files whose signature (size, inode,
    modification and change times) moved; a stored file rewritten with the same size and
    its modification time put back is still found changed (its change time moved)."""
    monkeypatch.setattr("loaders.core.files.RACY_SECONDS", 0)
    files = _releases(tmp_path / "files", 0, 3)
    store, cache = tmp_path / "store", tmp_path / "cache"
    ingest(files[:2], store, cache)
    read = []
    real = append_module._sha256
    monkeypatch.setattr(append_module, "_sha256", lambda path: read.append(path) or real(path))
    ingest(files, store, cache)
    assert read == [files[2]]
    text, stat = files[0].read_bytes(), files[0].stat()
    files[0].write_bytes(text.replace(b"Acme Ltd", b"Acme Ple"))
    os.utime(files[0], ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert files[0].stat().st_size == stat.st_size
    done = ingest(files, store, cache)
    assert done.reason == "spend-2021-05-31.csv changed since the store was built"


def test_the_parquet_download_of_an_appended_store_has_every_table_whole(tmp_path):
    files = _releases(tmp_path / "files", 0, 3)
    store, cache = tmp_path / "store", tmp_path / "cache"
    ingest(files[:2], store, cache)
    ingest(files, store, cache)
    assert "spend" in _parts(store)
    archive = zipfile.ZipFile(build_zip(Store(store), "parquet", tmp_path / "zips"))
    names = archive.namelist()
    assert PARTS_FILE not in names and "spend.1.parquet" not in names
    with archive.open("spend.parquet") as handle:
        assert len(pd.read_parquet(io.BytesIO(handle.read()))) == len(read_table(store, "spend"))


G_CLOUD = ["RM1557.12", "G-Cloud 12", "3", "Cloud Support"]
DOS = ["RM1043.7", "Digital Outcomes and Specialists 5", "1", "Digital outcomes"]


def _release(folder: Path, name: str, rows: list[tuple[list[str], str, str]]) -> Path:
    """A release of (framework and lot, day, pounds) rows, all for one buyer and supplier."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = [HEADER_CCS]
    lines += [["10001", "Home Office", "Central Government", "Acme Ltd", "SME", *lot, day, pounds]
              for lot, day, pounds in rows]  # fmt: skip
    return write_csv(folder / name, lines)


@pytest.mark.parametrize(
    "new",
    [
        # DOS for June, a month stored for G-Cloud, with G-Cloud's July: 3 months, not 4
        [(DOS, "01/06/2021", "7.00"), (G_CLOUD, "01/07/2021", "3.00")],
        # DOS for April, before the first stored month: the first month is April
        [(DOS, "01/04/2021", "7.00"), (G_CLOUD, "01/07/2021", "3.00")],
        # a release across a year end: March's lines and April's
        [(G_CLOUD, "01/03/2022", "0.20"), (DOS, "01/04/2022", "0.30")],
    ],
    ids=["another framework's stored month", "before the first month", "across a year end"],
)
def test_a_release_adding_a_stored_month_for_another_framework(tmp_path, new):
    files = tmp_path / "files"
    may, june = [(G_CLOUD, "01/05/2021", "100.00")], [(G_CLOUD, "01/06/2021", "0.10")]
    stored = [_release(files, "spend-2021-05-31.csv", may),
              _release(files, "spend-2021-06-30.csv", june)]  # fmt: skip
    added = _release(files, "spend-2022-07-31.csv", new)
    ingest(stored, tmp_path / "store", tmp_path / "cache")
    done = ingest([*stored, added], tmp_path / "store", tmp_path / "cache")
    assert done.appended == (added,)
    ingest([*stored, added], tmp_path / "rebuilt", tmp_path / "cache", rebuild=True)
    _assert_exactly_the_rebuild(tmp_path / "store", tmp_path / "rebuilt")
    one, other = (loaders.read_store(tmp_path / s).report for s in ("store", "rebuilt"))
    assert one["headline"] == other["headline"]
    months = {r[1][3:] for r in new} | {"05/2021", "06/2021"}
    assert one["headline"]["months"]["count"] == len(months)


def test_a_stored_file_changed_while_an_append_runs_is_read_again_next_time(tmp_path, monkeypatch):
    """The signatures recorded are those taken before the stored files were checked: a file
    changed after that check is found changed by the next append."""
    monkeypatch.setattr("loaders.core.files.RACY_SECONDS", 0)
    files = _releases(tmp_path / "files", 0, 3)
    store, cache = tmp_path / "store", tmp_path / "cache"
    ingest(files[:2], store, cache)
    real = append_module.load_context

    def changing(*args, **kwargs):  # after the check, before the new file is read
        files[0].write_bytes(files[0].read_bytes().replace(b"Acme Ltd", b"Zeta Ltd"))
        return real(*args, **kwargs)

    monkeypatch.setattr(append_module, "load_context", changing)
    assert ingest(files, store, cache).appended
    monkeypatch.setattr(append_module, "load_context", real)
    done = ingest(files, store, cache)
    assert done.reason == "spend-2021-05-31.csv changed since the store was built"


def test_a_table_of_a_part_cut_short_and_another_reads_as_one_typed_table(tmp_path):
    """Body 'z' is only in the rows a cut leaves out: it is no category of the table."""
    months = pd.date_range("2021-04-01", periods=6, freq="MS")
    frame = pd.DataFrame({"month": months, "body": list("abzzab"), "spend_gbp": [1.0] * 6})
    first = _write(tmp_path / "t.parquet", frame.iloc[:4], 2)
    second = _write(tmp_path / "t.1.parquet", frame.iloc[4:].reset_index(drop=True), 2)
    held = StoredTable(TABLE, (Part(first, 2), Part(second)), _read_parquet)
    expected = TABLE.typed(frame.iloc[[0, 1, 4, 5]])
    pd.testing.assert_frame_equal(held(), expected)
    assert list(held()["body"].cat.categories) == ["a", "b"]
    pd.testing.assert_frame_equal(held.read(["body"]), expected[["body"]])


def test_names_changed_twice_and_names_shown_alike():
    """'Acme Ltd' shown as 'ACME Limited', then as 'Acme Limited': what was written as
    either shows the latest name (a name shown is one body's only); back to 'Acme Ltd', the
    rows written so need no change. A name changed to one shown already becomes that
    category."""
    part = Part(Path("t.parquet")).renamed({"supplier": {"Acme Ltd": "ACME Limited"}})
    part = part.renamed({"supplier": {"ACME Limited": "Acme Limited"}, "customer": {}})
    assert part.names == {"supplier": {"ACME Limited": "Acme Limited",
                                       "Acme Ltd": "Acme Limited"}}  # fmt: skip
    back = part.renamed({"supplier": {"Acme Limited": "Acme Ltd"}})
    assert back.names == {"supplier": {"ACME Limited": "Acme Ltd", "Acme Limited": "Acme Ltd"}}
    column = pd.Series(pd.Categorical(["b", "a", None, "c", "a"]))
    renamed = shown(column, {"a": "c", "b": "z"})
    assert renamed.astype(object).tolist()[:2] == ["z", "c"] and renamed.isna().tolist()[2]
    assert list(renamed.cat.categories) == ["c", "z"]


def test_a_release_renaming_a_body_is_appended_as_parts_and_equals_the_rebuild(tmp_path):
    """The second release makes 'ACME Limited' the most published spelling of Acme, the
    fourth 'Acme Ltd' again: the stored rows show the new name as they are read, the
    earlier version still shows the old one."""
    rows = [(("Home Office", 10001), "Central Government", "Acme Ltd", "SME", 1_000)]
    acme = [(("Home Office", 10001), "Central Government", "ACME Limited", "SME", 7)] * 3
    files = tmp_path / "files"
    paths = [write_release(files, 0, rows), write_release(files, 1, acme),
             write_release(files, 2, rows), write_release(files, 3, rows * 3)]  # fmt: skip
    store, cache = tmp_path / "store", tmp_path / "cache"
    ingest(paths[:1], store, cache)
    seen = []
    for n in range(2, 5):
        assert ingest(paths[:n], store, cache).appended
        ingest(paths[:n], tmp_path / f"rebuilt{n}", cache, rebuild=True)
        _assert_exactly_the_rebuild(store, tmp_path / f"rebuilt{n}")
        seen.append((versions.current_version(store), set(read_table(store, "spend")["supplier"])))
    assert [names for _, names in seen] == [{"ACME Limited"}] * 2 + [{"Acme Ltd"}]
    # the version before still shows the name of its time (its files were not written into)
    assert set(read_table(seen[1][0], "spend")["supplier"]) == {"ACME Limited"}
    listed = _parts(store)["spend"]
    assert [p if isinstance(p, str) else p["file"] for p in listed] == [
        "spend.parquet", "spend.1.parquet", "spend.2.parquet", "spend.3.parquet"]  # fmt: skip


@pytest.mark.parametrize("kind", ["supplier", "customer"])
def test_a_renamed_body_shown_like_rows_without_a_body_is_renamed_by_its_key(tmp_path, kind):
    """'(not stated)' names a body (published so) and rows without one ('-', 'Unknown'):
    when a release renames the body, the rows without a body keep '(not stated)'."""
    home = (("Home Office", 10001), "Central Government")
    if kind == "supplier":
        first = [(*home, "(not stated)", "SME", 1000)] * 2 + [(*home, "-", "SME", 500)]
        second = [(*home, "Not Stated", "SME", 700)] * 5
    else:
        first = [((("(not stated)", None)), "Central Government", "Acme Ltd", "SME", 1000)] * 2
        first.append(((("Unknown", None)), "Central Government", "Acme Ltd", "SME", 500))
        second = [((("(NOT STATED)", None)), "Central Government", "Acme Ltd", "SME", 700)] * 5
    files = [
        write_release(tmp_path / "files", 0, first),
        write_release(tmp_path / "files", 1, second),
    ]
    store, cache = tmp_path / "store", tmp_path / "cache"
    ingest(files[:1], store, cache)
    assert ingest(files, store, cache).appended
    ingest(files, tmp_path / "rebuilt", cache, rebuild=True)
    _assert_exactly_the_rebuild(store, tmp_path / "rebuilt")
    spend = read_table(store, "spend")
    keyless = spend[spend[f"{kind}_key"].isna()]
    assert keyless[kind].astype(object).tolist() == ["(not stated)"]
