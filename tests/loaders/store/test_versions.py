"""Store versions: the pointer replaced atomically, kept versions, rollback, recovery from a
swap that failed or was killed at any step, and readers that never see a gap."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import loaders
from benchmarks.loader_probes.storing import KILLER, RenameFault
from loaders.catalogue import versions
from loaders.catalogue.store import is_store, lock_path, open_report
from loaders.cli import main
from loaders.sources.ccs_spend.extract_cache import extract_cache_dir
from tests.loaders.store.conftest import total

ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.slow


def _leftovers(store: Path) -> list[str]:
    """Staging folders and temporary links a swap left behind."""
    folder = versions.versions_dir(store)
    staged = [p.name for p in folder.glob(".new-*")] if folder.is_dir() else []
    return staged + [p.name for p in store.parent.glob(".link-*")]


def test_the_store_is_a_pointer_to_its_current_version(results, tmp_path):
    store = tmp_path / "store"
    assert loaders.write_store(results["july"], store) == store
    assert store.is_symlink() and is_store(store)
    assert not os.path.isabs(os.readlink(store))  # the folder holding both can move
    loaders.write_store(results["august"], store)
    found = versions.versions(store)
    assert [v.current for v in found] == [False, True]
    assert versions.current_version(store) == found[-1].folder
    assert total(store) == 250.0
    assert lock_path(store) == tmp_path / "store.lock"  # beside the name, not the version
    assert extract_cache_dir(store) == tmp_path / ".extract-cache-store"


def test_only_the_current_and_the_kept_versions_stay(results, tmp_path):
    store = tmp_path / "store"
    for name in ("july", "august", "july", "august"):
        loaders.write_store(results[name], store, keep=2)
    assert [v.number for v in versions.versions(store)] == [2, 3, 4]
    loaders.write_store(results["july"], store, keep=0)
    assert [v.number for v in versions.versions(store)] == [5]


def test_rollback_returns_to_the_previous_version_then_says_there_is_none(
    results, tmp_path, capsys
):
    store = tmp_path / "store"
    loaders.write_store(results["july"], store)
    loaders.write_store(results["august"], store)
    assert main(["rollback", "--out", str(store)]) == 0
    assert total(store) == 100.0
    assert "rolled back from version 0002-" in capsys.readouterr().out
    assert main(["rollback", "--out", str(store)]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"error: {store}: has no earlier version to roll back to"
    loaders.write_store(results["august"], store)  # the rolled-back one goes; july stays
    assert [(v.number, v.current) for v in versions.versions(store)] == [(1, False), (3, True)]
    assert main(["rollback", "--out", str(store)]) == 0
    assert total(store) == 100.0


def test_rollback_of_a_store_without_versions_exits_2_with_one_line(tmp_path, capsys):
    assert main(["rollback", "--out", str(tmp_path / "nowhere")]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_report_lists_the_kept_versions_with_data_as_at_and_totals(results, tmp_path, capsys):
    store = tmp_path / "store"
    loaders.write_store(results["july"], store)
    loaders.write_store(results["august"], store)
    assert main(["report", str(store)]) == 0
    text = capsys.readouterr().out
    newest, older = text.index("0002-"), text.index("0001-")
    assert newest < older
    assert "(current): data as at 2014-06" in text and "(kept): data as at 2014-05" in text
    assert "Loaded 2 rows (£250.00" in text and "Loaded 1 rows (£100.00" in text
    assert "reconciles to the penny" in text  # then the current version's report


@pytest.mark.parametrize("n", [1, 2])
def test_a_failing_rename_leaves_the_old_store_and_nothing_else(results, tmp_path, n):
    store = tmp_path / "store"
    loaders.write_store(results["july"], store)
    with RenameFault(n) as fault, pytest.raises(OSError, match="injected"):
        loaders.write_store(results["august"], store)
    assert fault.calls == n
    assert total(store) == 100.0 and store.is_symlink()
    assert _leftovers(store) == [] and len(versions.versions(store)) == 1
    loaders.write_store(results["august"], store)
    assert total(store) == 250.0


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_a_failing_rename_while_a_plain_store_is_moved_into_versions(
    results, tmp_path, monkeypatch, n
):
    """A store written before versions (a plain folder) is moved into ``S.versions`` by its
    next write; a rename failing at any of the four steps leaves a readable store."""
    store = tmp_path / "store"
    loaders.write_store(results["july"], tmp_path / "first")
    os.rename(versions.current_version(tmp_path / "first"), store)  # a plain folder store
    with RenameFault(n), pytest.raises(OSError, match="injected"):
        loaders.write_store(results["august"], store)
    assert total(store) == 100.0 and _leftovers(store) == []
    loaders.write_store(results["august"], store)
    assert total(store) == 250.0 and store.is_symlink()


@pytest.mark.parametrize("n", [1, 2])
def test_a_writer_killed_between_two_steps_leaves_the_old_store_and_is_recovered(
    results, tmp_path, n
):
    store = tmp_path / "store"
    loaders.write_store(results["july"], store)
    run = subprocess.run(
        [sys.executable, "-c", KILLER, str(store), str(tmp_path / "in"), str(n)],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert run.returncode == -signal.SIGKILL, run.stderr
    assert total(store) == 100.0  # readable at once, before any recovery
    assert open_report(store)["totals"]["spend_loaded_gbp"] == 100.0
    notes = versions.recover(store)
    assert notes and all("\n" not in note for note in notes)
    assert _leftovers(store) == [] and len(versions.versions(store)) == 1
    loaders.write_store(results["august"], store)
    assert total(store) == 250.0


def test_a_lost_pointer_and_an_old_swap_folder_are_recovered(results, tmp_path):
    store = tmp_path / "store"
    loaders.write_store(results["july"], store)
    store.unlink()  # killed after the plain folder moved and before the link was made
    assert total(store) == 100.0  # readers find the latest version meanwhile
    assert versions.recover(store) == ["store pointed again at version 0001-" +
                                       versions.versions(store)[0].id.split("-", 1)[1]]  # fmt: skip
    legacy = tmp_path / "legacy"
    loaders.write_store(results["august"], tmp_path / "built")
    os.rename(versions.current_version(tmp_path / "built"), tmp_path / ".legacy.old-x1")
    assert total(legacy) == 250.0  # the earlier releases' swap left it there
    assert versions.recover(legacy) == ["legacy put back from .legacy.old-x1"]
    assert legacy.is_dir() and not legacy.is_symlink()


def test_readers_never_see_a_gap_while_versions_are_swapped(results, tmp_path):
    store = tmp_path / "store"
    loaders.write_store(results["july"], store)
    failures: list[BaseException] = []
    seen: set[float] = set()
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            try:
                seen.add(total(store))
            except BaseException as exc:  # noqa: BLE001 - any failure is the finding
                failures.append(exc)

    reader = threading.Thread(target=read)
    reader.start()
    for name in ("august", "july") * 4:
        loaders.write_store(results[name], store, keep=2)
    done.set()
    reader.join()
    assert failures == [] and seen <= {100.0, 250.0}
