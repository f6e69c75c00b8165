"""Two ingests never write the same store at once: the second waits (saying so) or, with
--no-wait, exits 2 with one line; the store is still written atomically."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from loaders.catalogue.store import lock_path, store_lock
from loaders.cli import main
from loaders.core.errors import LoaderInputError
from tests.builders import rows_2014, write_csv

ROOT = Path(__file__).resolve().parents[2]
HOLD = """
import sys, time
from pathlib import Path
from loaders.catalogue.store import store_lock
with store_lock(sys.argv[1]):
    print("held", flush=True)
    release = Path(sys.argv[2])
    deadline = time.time() + 60
    while not release.exists() and time.time() < deadline:
        time.sleep(0.05)
"""


@pytest.fixture
def release(tmp_path) -> Path:
    return write_csv(
        tmp_path / "G-Cloud-Spend-2014-07.csv",
        rows_2014((3, "Acme", "Home Office", "2014-05-01", "100", "Central Government", "SME")),
    )


@pytest.fixture
def holder(tmp_path):
    """Another process holding the lock of ``tmp_path/store`` until told to let go."""
    let_go = tmp_path / "let-go"
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(tmp_path / "store"), str(let_go)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout.readline().strip() == "held"
    yield let_go
    let_go.touch()
    process.wait(30)


def test_the_lock_file_sits_beside_the_store(tmp_path):
    assert lock_path(tmp_path / "store") == tmp_path / "store.lock"


@pytest.mark.slow
def test_with_no_wait_a_second_ingest_exits_2_and_leaves_the_store(
    tmp_path, release, holder, capsys
):
    code = main(["ingest", str(release), "--out", str(tmp_path / "store"), "--no-wait",
                 "--no-cache"])  # fmt: skip
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert len(err.splitlines()) == 1
    assert "another ingest or update is writing this store" in err
    assert "store.lock" in err
    assert not (tmp_path / "store").exists()


@pytest.mark.slow
def test_a_second_ingest_waits_for_the_first_and_says_so(tmp_path, release, holder):
    second = subprocess.Popen(
        [sys.executable, "-m", "loaders", "ingest", str(release), "--out",
         str(tmp_path / "store"), "--no-cache"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    waiting = second.stderr.readline()
    assert waiting.startswith("waiting for another ingest or update writing")
    time.sleep(0.5)
    assert second.poll() is None  # still waiting
    assert not (tmp_path / "store").exists()
    holder.touch()
    out, _ = second.communicate(timeout=120)
    assert second.returncode == 0
    assert "Store written to" in out
    assert (tmp_path / "store" / "spend.parquet").is_file()


@pytest.mark.slow
def test_the_lock_is_free_again_after_an_ingest(tmp_path, release):
    assert main(["ingest", str(release), "--out", str(tmp_path / "store"), "--no-cache"]) == 0
    with store_lock(tmp_path / "store", wait=False):
        pass


@pytest.mark.slow
def test_without_waiting_a_held_lock_is_an_input_error(tmp_path, holder):
    with pytest.raises(LoaderInputError, match="leave out --no-wait to wait"):
        with store_lock(tmp_path / "store", wait=False):
            pass
