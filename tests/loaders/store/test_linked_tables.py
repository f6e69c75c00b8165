"""Empty tables a new store version shares with the current one are hard-linked, not written
again (issue 24 item 4, round 2); a fault mid-write leaves the previous version readable and
unchanged, and a linked file is never written into."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import pandas as pd
import pytest

import loaders
from loaders.catalogue import versions
from loaders.catalogue.store import CATALOGUE_FILE, is_store
from tests.loaders.store.conftest import total

pytestmark = pytest.mark.slow


def _files(folder: Path) -> dict[str, tuple[int, str]]:
    """Each file of a version: its inode and the SHA-256 of its bytes."""
    return {
        str(p.relative_to(folder)): (p.stat().st_ino, hashlib.sha256(p.read_bytes()).hexdigest())
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_empty_tables_are_linked_and_tables_with_rows_written(results, tmp_path):
    store = tmp_path / "store"
    loaders.write_store(results["july"], store)
    first = versions.current_version(store)
    loaders.write_store(results["august"], store)
    second = versions.current_version(store)
    before, after = _files(first), _files(second)
    empty = {n for n, t in results["august"].catalogue.items() if results["august"][n].empty}
    linked = {results["august"].catalogue[n].file for n in empty}
    assert linked and all(after[f][0] == before[f][0] for f in linked)
    assert after["spend.parquet"][0] != before["spend.parquet"][0]
    assert after[CATALOGUE_FILE][0] != before[CATALOGUE_FILE][0]
    for name in empty:  # read back from the linked files as from written ones
        read = loaders.read_store(store)[name]
        pd.testing.assert_frame_equal(read, results["august"].catalogue[name].empty())


def test_a_fault_mid_write_leaves_the_previous_version_whole(results, tmp_path, monkeypatch):
    store = tmp_path / "store"
    loaders.write_store(results["july"], store)
    loaders.write_store(results["july"], store)  # its empty tables linked from the first
    current = versions.current_version(store)
    before = _files(current)
    calls = {"n": 0}
    real = pd.DataFrame.to_parquet

    def failing(self, path, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:  # after some tables are linked and some written
            raise OSError("injected: disk full")
        return real(self, path, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_parquet", failing)
    with pytest.raises(OSError, match="injected"):
        loaders.write_store(results["august"], store)
    monkeypatch.undo()
    assert versions.current_version(store) == current and is_store(store)
    assert _files(current) == before  # not a byte of a shared file changed
    assert total(store) == 100.0
    assert not list(versions.versions_dir(store).glob(".new-*"))
    loaders.write_store(results["august"], store)  # and the next write goes through
    assert total(store) == 250.0
    assert _files(current) == before or not current.exists()


def test_tables_are_written_side_by_side_and_a_failure_stops_them_all(
    results, tmp_path, monkeypatch
):
    """Tables are written :data:`WRITERS` at a time; when one write fails, the error is
    raised only once the writes under way have finished, and those not started never start:
    nothing writes into the staging folder after ``write_store`` has raised."""
    from loaders.catalogue import store as store_module

    result = results["august"]
    first = max(result, key=lambda name: len(result[name]))  # written first: most rows
    written: list[str] = []

    def writing(table, frame, path):
        if table.name == first:
            raise OSError("injected: disk full")
        time.sleep(0.05)
        written.append(table.name)

    monkeypatch.setattr(store_module, "WRITERS", 2)
    monkeypatch.setattr(store_module, "SIDE_BY_SIDE_ROWS", 0)  # every table, however small
    monkeypatch.setattr(store_module, "_write_table", writing)
    with pytest.raises(OSError, match="injected"):
        store_module._write_tables(result, tmp_path / "staging")
    seen = list(written)
    time.sleep(0.3)
    assert written == seen  # no write ran on after the raise
    assert len(seen) < len(result) - 1  # the writes not started were never started


def test_writing_side_by_side_gives_the_tables_written_one_at_a_time(
    results, tmp_path, monkeypatch
):
    from loaders.catalogue import store as store_module

    monkeypatch.setattr(store_module, "SIDE_BY_SIDE_ROWS", 0)  # every table, however small
    for writers, name in ((1, "one"), (2, "two")):
        monkeypatch.setattr(store_module, "WRITERS", writers)
        loaders.write_store(results["august"], tmp_path / name)
    one, two = (versions.current_version(tmp_path / n) for n in ("one", "two"))
    tables = sorted(p.relative_to(one) for p in one.rglob("*.parquet"))
    assert tables == sorted(p.relative_to(two) for p in two.rglob("*.parquet"))
    for table in tables:
        pd.testing.assert_frame_equal(pd.read_parquet(one / table), pd.read_parquet(two / table))
