"""An append carries what the new rows cannot change (issue 24 item 4, round 2): the register
matches of buyers whose inputs are unchanged, and the aggregate lines of months and
financial years without new rows. The carried store is the rebuilt one exactly: rows,
their order, dtypes and categories (:func:`tests.loaders.test_append.assert_same_store`)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import loaders
import loaders.bodies.registers.carry as register_carry
from loaders.catalogue.aggregate_tables import table_name
from loaders.sources.base import LoadOptions
from loaders.update.append import load_or_append
from loaders.update.carry import _differs, _same_values
from tests.loaders.test_append import assert_same_store, ingest, write_release

pytestmark = pytest.mark.slow

HOME = (("Home Office", 10001), "Central Government", "Acme Ltd", "SME", 10_050)
LEEDS = (("Leeds City Council", None), "", "Beta Cloud Ltd", "", 2_000)
KENT = (("Kent County Council", None), "", "Acme Ltd", "SME", 7_500)


def carried(paths: list[Path], store: Path, cache: Path):
    """Append the new files of ``paths`` to ``store`` and return the result unwritten."""
    done = load_or_append(paths, store, options=LoadOptions(cache_dir=cache))
    assert done.appended, done.reason
    return done


def build(tmp_path: Path, months: dict[int, list[tuple]], first: int):
    """Releases of ``months`` (index from May 2021 -> rows) written; the first ``first`` in
    a store; the append of the others, unwritten, and the files."""
    paths = [write_release(tmp_path / "files", i, rows) for i, rows in months.items()]
    store, cache = tmp_path / "store", tmp_path / "cache"
    ingest(paths[:first], store, cache)
    return paths, store, cache


def finish(paths, store, cache, done, tmp_path) -> None:
    loaders.write_store(done.result, store)
    ingest(paths, tmp_path / "rebuilt", cache, rebuild=True)
    assert_same_store(store, tmp_path / "rebuilt")


@pytest.mark.parametrize(
    "months",
    [
        pytest.param({0: [HOME, LEEDS], 1: [HOME], 2: [LEEDS, HOME]},
                     id="a new month in a stored financial year"),
        pytest.param({9: [HOME, LEEDS], 10: [HOME], 11: [LEEDS, HOME]},
                     id="a new month opening a financial year"),
        pytest.param({0: [HOME, LEEDS], 11: [HOME], 12: [LEEDS]},
                     id="a new month a year on, stored years kept whole"),
    ],
)  # fmt: skip
def test_aggregates_of_untouched_months_and_years_are_carried(tmp_path, months, monkeypatch):
    paths, store, cache = build(tmp_path, months, len(months) - 1)
    rebuilt_any = []
    import loaders.aggregates as aggregates

    real = aggregates.build_aggregates
    monkeypatch.setattr(aggregates, "build_aggregates",
                        lambda *a, **k: rebuilt_any.append(1) or real(*a, **k))  # fmt: skip
    done = carried(paths, store, cache)
    assert table_name("spend") in done.result  # carried, not left to the writer
    loaders.write_store(done.result, store)
    assert not rebuilt_any
    monkeypatch.undo()
    ingest(paths, tmp_path / "rebuilt", cache, rebuild=True)
    assert_same_store(store, tmp_path / "rebuilt")


def test_a_renamed_supplier_is_shown_by_its_new_name_in_carried_lines(tmp_path):
    """'ACME Limited' becomes the body's most published spelling: its stored lines follow."""
    later = [(("Home Office", 10001), "Central Government", "ACME Limited", "SME", 100)] * 5
    paths, store, cache = build(tmp_path, {0: [HOME, LEEDS], 1: [HOME], 2: later}, 2)
    done = carried(paths, store, cache)
    assert table_name("supplier") in done.result
    shown = set(done.result[table_name("supplier")]["supplier"].astype(object))
    assert shown == {"ACME Limited", "Beta Cloud Ltd"}
    finish(paths, store, cache, done, tmp_path)


def test_only_new_or_changed_buyers_are_matched_to_registers(tmp_path, monkeypatch):
    """Kent County Council is new (matched, a principal council); Leeds and the Home Office
    keep their stored matches without being matched again."""
    paths, store, cache = build(tmp_path, {0: [HOME, LEEDS], 1: [HOME], 2: [KENT, LEEDS]}, 2)
    matched: list[set] = []
    real = register_carry.match_buyers

    def spy(buyers, *args, **kwargs):
        matched.append(set(buyers["customer"]))
        return real(buyers, *args, **kwargs)

    monkeypatch.setattr(register_carry, "match_buyers", spy)
    done = carried(paths, store, cache)
    assert matched == [{"Kent County Council"}]
    matches = done.result["register_matches"].set_index("customer")
    assert {"Kent County Council", "Leeds City Council"} <= set(matches.index)
    finish(paths, store, cache, done, tmp_path)


def test_no_buyer_is_matched_when_none_is_new_or_changed(tmp_path, monkeypatch):
    paths, store, cache = build(tmp_path, {0: [HOME, LEEDS], 1: [HOME], 2: [LEEDS]}, 2)
    monkeypatch.setattr(register_carry, "match_buyers", lambda *a, **k: pytest.fail("matched"))
    done = carried(paths, store, cache)
    finish(paths, store, cache, done, tmp_path)


def test_stored_and_rebuilt_names_are_compared_by_value_row_by_row():
    """A name the rebuilt rows no longer have (null there, or another name) differs; the same
    names under other category codes, and two nulls, do not."""
    before = pd.Series(pd.Categorical(["Acme", "Bravo", None, "Zulu", "Acme"]))
    after = pd.Series(
        pd.Categorical(["Acme", "Bravo", None, None, "Echo"], categories=["Echo", "Bravo", "Acme"])
    )
    assert _differs(before, after).tolist() == [False, False, False, True, True]
    assert not _same_values(before, after)
    same = pd.Series(pd.Categorical(["Acme", "Bravo", None], categories=["Bravo", "Acme"]))
    assert _same_values(before.iloc[:3], same) and not _differs(before.iloc[:3], same).any()
