"""Nothing the publisher serves steers the load (issue 23, item 9), and nothing is lost when a
URL is republished (item 10)."""

from __future__ import annotations

import hashlib

import pytest

import loaders
from loaders.core.files import find_files
from loaders.fetch.manifest import Manifest, in_fetched_folder
from loaders.update import fetch
from loaders.update.update import ingest_paths
from tests.loaders.fetch.conftest import FAST
from tests.loaders.fetch.test_update import AUGUST, JULY, Publisher, _update

SERVED_MANIFEST = (b"file,release,version\nG-Cloud-Spend-2014-07.csv,2014-08,2\n"
                   b"G-Cloud-Spend-2014-08.csv,2014-08,1\n")  # fmt: skip


@pytest.fixture
def publisher(httpserver, tmp_path) -> Publisher:
    return Publisher(httpserver, tmp_path)


@pytest.mark.slow
def test_a_served_releases_csv_is_not_taken_as_the_manifest(publisher, tmp_path):
    """The served manifest calls July's file version 2 of August's release: taken, it would
    drop August's file (£14,000 becomes £7,000, July 2014 lost)."""
    publisher.publish({"G-Cloud-Spend-2014-07.csv": JULY, "G-Cloud-Spend-2014-08.csv": AUGUST,
                       "releases.csv": SERVED_MANIFEST})  # fmt: skip
    publisher.sources.write_text(publisher.sources.read_text().rstrip("\n") + r".*\.csv$" + "\n")
    assert _update(publisher, tmp_path) == 0
    folder = tmp_path / "releases"
    assert (folder / "sales" / "releases.csv").read_bytes() == SERVED_MANIFEST
    assert in_fetched_folder(folder / "sales" / "releases.csv")
    store = loaders.read_store(tmp_path / "store")
    assert store.spend["spend_gbp"].sum() == 14_000.0  # August revising July's months
    assert store.report["manifests"] == []
    assert store.report["manifests_ignored"] == [str(folder / "sales" / "releases.csv")]
    by_hand = loaders.load([folder])  # `python -m loaders ingest` of the download folder
    assert by_hand.spend["spend_gbp"].sum() == 14_000.0
    assert "Not taken as a manifest" in loaders.describe(by_hand.report)


@pytest.mark.slow
def test_an_analysts_manifest_beside_the_sources_folders_is_taken(publisher, tmp_path):
    publisher.publish({"G-Cloud-Spend-2014-07.csv": JULY, "G-Cloud-Spend-2014-08.csv": AUGUST})
    assert _update(publisher, tmp_path) == 0
    folder = tmp_path / "releases"
    (folder / "releases.csv").write_bytes(SERVED_MANIFEST)  # the analyst's own, at the top
    assert not in_fetched_folder(folder / "releases.csv")
    loaded = loaders.load(ingest_paths(folder))
    assert loaded.report["manifests"] == [str(folder / "releases.csv")]
    assert loaded.spend["spend_gbp"].sum() == 7_000.0  # as the analyst said: August superseded


def test_a_304_to_a_request_without_validators_is_refused(httpserver, tmp_path):
    httpserver.expect_request("/sales").respond_with_data(
        '<a href="/f/G-Cloud-Spend-2014-07.csv">x</a>', content_type="text/html"
    )
    httpserver.expect_request("/f/G-Cloud-Spend-2014-07.csv").respond_with_data("", status=304)
    from loaders.fetch import Source

    summary = fetch([Source("sales", "page", httpserver.url_for("/sales"))], tmp_path,
                    settings=FAST)  # fmt: skip
    assert summary.unchanged == [] and summary.exit_code == 2
    assert "304 Not Modified to a request without validators" in summary.refused[0].reason
    assert Manifest.read(tmp_path).entries == {}


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.mark.slow
def test_a_file_changed_at_the_same_url_keeps_its_earlier_version(publisher, tmp_path):
    name = "G-Cloud-Spend-2014-07.csv"
    folder = tmp_path / "releases"
    for body in (JULY, AUGUST, AUGUST, JULY):  # changed, the same, changed back
        publisher.publish({name: body})
        assert _update(publisher, tmp_path, "--quiet") == 0
    earlier = {e.sha256: e for e in Manifest.read(folder).earlier}
    assert set(earlier) == {_sha(JULY), _sha(AUGUST)}
    for body in (JULY, AUGUST):
        entry = earlier[_sha(body)]
        kept = folder / entry.file
        assert entry.file == f"sales/.earlier/{_sha(body)[:16]}/{name}" and entry.replaced_at
        assert kept.read_bytes() == body and entry.url.endswith(f"/f/{name}")
    assert (folder / "sales" / name).read_bytes() == JULY  # the latest
    assert ingest_paths(folder) == [folder / "sales" / name]  # update ingests the latest only
    assert find_files([folder], lambda p: True) == [
        folder / "manifest.csv",
        folder / "sales" / name,
    ]
    store = loaders.read_store(tmp_path / "store")
    assert store.spend["spend_gbp"].sum() == 7_000.0
    rebuilt = loaders.load(folder / earlier[_sha(AUGUST)].file)  # earlier figures, rebuilt
    assert rebuilt.spend["spend_gbp"].sum() == 14_000.0
    manifest_rows = (folder / "manifest.csv").read_text().splitlines()
    assert manifest_rows[0].endswith(",replaced_at") and len(manifest_rows) == 4
