"""``python -m loaders update``: nothing new, a new release, an unknown layout."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from loaders.catalogue.store import is_store
from loaders.cli import main
from tests.builders import csv_text, rows_2014

JULY = csv_text(
    rows_2014(
        (4, "Acme Ltd", "Home Office", "2014-05-01", "5000", "Central Government", "SME"),
        (4, "Big plc", "Leeds City Council", "2014-06-01", "2000", "Local Government", "Large"),
    )
).encode()
AUGUST = csv_text(  # revises May by +£3,000, adds July and a new buyer
    rows_2014(
        (4, "Acme Ltd", "Home Office", "2014-05-01", "8000", "Central Government", "SME"),
        (4, "Big plc", "Leeds City Council", "2014-06-01", "2000", "Local Government", "Large"),
        (3, "Acme Ltd", "Cabinet Office", "2014-07-01", "4000", "Central Government", "SME"),
    )
).encode()
UNKNOWN = b"Buyer,Seller,When,How much\nHome Office,Acme Ltd,2014-08-01,10\n"


def _fingerprint(folder: Path) -> dict[str, str]:
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


class Publisher:
    """A page of spend files on the local server; ``publish`` replaces what it lists."""

    def __init__(self, httpserver, folder: Path) -> None:
        self.server = httpserver
        self.sources = folder / "sources.csv"
        self.sources.write_text(
            f"name,kind,url,pattern\nsales,page,{httpserver.url_for('/sales')},\n"
        )

    def publish(self, files: dict[str, bytes]) -> None:
        self.server.clear()
        links = "".join(f'<a href="/f/{name}">{name}</a>' for name in files)
        self.server.expect_request("/sales").respond_with_data(links, content_type="text/html")
        for name, body in files.items():
            self.server.expect_request(f"/f/{name}").respond_with_data(body)


@pytest.fixture
def publisher(httpserver, tmp_path) -> Publisher:
    return Publisher(httpserver, tmp_path)


def _update(publisher: Publisher, tmp_path: Path, *extra: str) -> int:
    return main(
        ["update", "--sources", str(publisher.sources), "--into", str(tmp_path / "releases"),
         "--out", str(tmp_path / "store"), "--delay", "0", *extra]
    )  # fmt: skip


@pytest.mark.slow
def test_first_update_builds_the_store(publisher, tmp_path, capsys):
    publisher.publish({"G-Cloud-Spend-2014-07.csv": JULY})
    assert _update(publisher, tmp_path) == 0
    assert is_store(tmp_path / "store")
    changes = json.loads((tmp_path / "store" / "changes.json").read_text())
    assert [f["file"] for f in changes["files_added"]] == ["G-Cloud-Spend-2014-07.csv"]
    assert changes["new_buyers"]["count"] == 2
    assert "Store " in capsys.readouterr().out


@pytest.mark.slow
def test_nothing_new_leaves_the_store_untouched(publisher, tmp_path, capsys):
    publisher.publish({"G-Cloud-Spend-2014-07.csv": JULY})
    _update(publisher, tmp_path)
    before = _fingerprint(tmp_path / "store")
    capsys.readouterr()
    assert _update(publisher, tmp_path) == 0
    assert capsys.readouterr().out.strip().endswith("nothing new")
    assert _fingerprint(tmp_path / "store") == before
    assert _update(publisher, tmp_path, "--quiet") == 0
    assert capsys.readouterr().out == ""


@pytest.mark.slow
def test_new_release_names_revised_months_and_new_buyers(publisher, tmp_path, capsys):
    publisher.publish({"G-Cloud-Spend-2014-07.csv": JULY})
    _update(publisher, tmp_path)
    publisher.publish({"G-Cloud-Spend-2014-07.csv": JULY, "G-Cloud-Spend-2014-08.csv": AUGUST})
    capsys.readouterr()
    assert _update(publisher, tmp_path, "--quiet") == 0
    changes = json.loads((tmp_path / "store" / "changes.json").read_text())
    assert [f["file"] for f in changes["files_added"]] == ["G-Cloud-Spend-2014-08.csv"]
    assert changes["months_revised"] == [
        {"framework": "G-Cloud", "month": "2014-05", "before_gbp": 5000.0,
         "after_gbp": 8000.0, "change_gbp": 3000.0}
    ]  # fmt: skip
    assert changes["months_added"] == [
        {"framework": "G-Cloud", "month": "2014-07", "spend_gbp": 4000.0}
    ]
    assert [b["name"] for b in changes["new_buyers"]["bodies"]] == ["Cabinet Office"]
    assert changes["new_suppliers"]["count"] == 0
    assert changes["notices_added"] == 0  # the store has a notices table, with no notices
    out = capsys.readouterr().out
    assert "G-Cloud 2014-05: £5,000.00 -> £8,000.00 (+£3,000.00)" in out
    assert "New buyers: 1 (Cabinet Office)" in out
    # each body's events, kept for the app's Atom feeds, newest update first
    alerts = json.loads((tmp_path / "store" / "alerts.json").read_text())
    assert [u["generated_at"] for u in alerts["updates"]] == [
        changes["generated_at"],
        alerts["updates"][1]["generated_at"],
    ]
    latest = {(e["feed"], e["name"], e["kind"]) for e in alerts["updates"][0]["events"]}
    assert {("buyer", "Home Office", "revision"), ("buyer", "Cabinet Office", "first purchase"),
            ("department", "Cabinet Office", "new spend")} <= latest  # fmt: skip
    assert alerts["updates"][1]["events"] == []  # the first store: nothing to compare with


@pytest.mark.slow
def test_unknown_layout_stops_the_update_and_the_old_store_keeps_serving(
    publisher, tmp_path, capsys
):
    publisher.publish({"G-Cloud-Spend-2014-07.csv": JULY})
    _update(publisher, tmp_path)
    before = _fingerprint(tmp_path / "store")
    publisher.publish({"G-Cloud-Spend-2014-07.csv": JULY, "Spend-2014-08.csv": UNKNOWN})
    capsys.readouterr()
    assert _update(publisher, tmp_path) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "Spend-2014-08.csv" in err and "Buyer" in err
    assert len(err.strip().splitlines()) == 1
    assert _fingerprint(tmp_path / "store") == before
    # the file stays in the folder: the next update tries the ingest again
    assert _update(publisher, tmp_path) == 2


@pytest.mark.slow
def test_refused_link_still_ingests_what_was_fetched(publisher, httpserver, tmp_path, capsys):
    error_page = b"<html><body>Error</body></html>"
    publisher.publish({"G-Cloud-Spend-2014-07.csv": JULY, "G-Cloud-Spend-2014-08.csv": error_page})
    assert _update(publisher, tmp_path) == 2
    out = capsys.readouterr().out
    assert "refused: " + httpserver.url_for("/f/G-Cloud-Spend-2014-08.csv") in out
    changes = json.loads((tmp_path / "store" / "changes.json").read_text())
    assert [f["file"] for f in changes["files_added"]] == ["G-Cloud-Spend-2014-07.csv"]
    assert changes["refused"][0]["url"].endswith("G-Cloud-Spend-2014-08.csv")


@pytest.mark.slow
def test_a_store_built_from_spend_and_notice_files_is_not_rebuilt_for_the_same_files(tmp_path):
    """The comparison covers every source file: spend releases and Contracts Finder notice
    files (the notice file's hash is in the report's ``ocds`` section); an analyst's
    ``releases.csv`` in the folder is not a source."""
    import shutil

    import loaders
    from loaders.update.update import ingest_paths, needs_ingest, read_tables

    sample = Path(__file__).resolve().parents[3] / "data" / "sample"
    folder = tmp_path / "releases"
    folder.mkdir()
    for name in ("G-Cloud-Spend-2014-07.csv", "contracts-finder-notices-sample.json"):
        shutil.copy(sample / name, folder / name)
    (folder / "releases.csv").write_text(
        "file,release,version\nG-Cloud-Spend-2014-07.csv,2014-07,1\n", encoding="utf-8"
    )
    paths = ingest_paths(folder)
    assert needs_ingest(paths, read_tables(tmp_path / "store"))  # no store yet
    loaders.write_store(loaders.load(paths), tmp_path / "store")
    assert not needs_ingest(paths, read_tables(tmp_path / "store"))
    (folder / "contracts-finder-notices-sample.json").write_bytes(
        (sample / "contracts-finder-notices-sample.json").read_bytes() + b"\n"
    )
    assert needs_ingest(ingest_paths(folder), read_tables(tmp_path / "store"))
