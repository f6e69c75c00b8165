"""Reading OCDS files: each format, gzip, and each unusable file with its one-line error."""

from __future__ import annotations

import gzip

import pytest

from loaders.core.errors import LoaderInputError
from loaders.sources.ocds.files import is_ocds_path
from loaders.sources.ocds.streaming import file_format, iter_candidates
from loaders.sources.registry import claimant
from tests.loaders.ocds.builders import package, release, write_json, write_jsonl


def _ids(path):
    return [(c.value.get("ocid"), c.value.get("id")) for c in iter_candidates(path)]


@pytest.mark.parametrize(
    "name, is_ocds",
    [
        pytest.param("page.json", True, id="json"),
        pytest.param("PAGE.JSON.GZ", True, id="json-gz-any-case"),
        pytest.param("releases.jsonl", True, id="jsonl"),
        pytest.param("releases.jsonl.gz", True, id="jsonl-gz"),
        pytest.param("spend.csv", False, id="csv"),
        pytest.param("spend.gz", False, id="bare-gz"),
    ],
)
def test_ocds_files_are_known_by_name(tmp_path, name, is_ocds):
    assert is_ocds_path(tmp_path / name) is is_ocds


def test_each_kind_is_claimed_by_its_source(tmp_path):
    paths = [tmp_path / n for n in ("b.json", "a.csv", "a.jsonl", "b.xlsx")]
    names = [claimant(p).name for p in paths]
    assert names == ["contracts_finder", "ccs_spend", "contracts_finder", "ccs_spend"]


def test_release_package_yields_each_release_with_its_place(tmp_path):
    path = write_json(tmp_path / "p.json", package([release(rid="a"), release(rid="b")]))
    candidates = list(iter_candidates(path))
    assert [(c.position, c.where, c.value["id"]) for c in candidates] == [
        (1, "releases[0]", "a"),
        (2, "releases[1]", "b"),
    ]
    assert file_format(path) == "release package"


def test_numbers_are_floats_not_decimals(tmp_path):
    path = write_json(tmp_path / "p.json", package([release()]))
    value = next(iter_candidates(path)).value["tender"]["value"]["amount"]
    assert value == 1000.0 and type(value) is float


def test_gzip_is_recognised_by_content(tmp_path):
    path = write_json(tmp_path / "page.json.gz", package([release()]), gzipped=True)
    assert _ids(path) == [("ocds-inv-1", "r1")]
    assert file_format(path) == "release package (gzip)"


def test_json_lines_of_releases_and_of_packages(tmp_path):
    lines = [release(rid="a"), package([release(rid="b"), release(rid="c")])]
    path = write_jsonl(tmp_path / "r.jsonl.gz", lines, gzipped=True)
    candidates = list(iter_candidates(path))
    assert [c.where for c in candidates] == ["line 1", "line 2 releases[0]", "line 2 releases[1]"]
    assert file_format(path) == "JSON Lines (gzip)"


def test_blank_lines_are_skipped(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_text('\n{"ocid": "o", "id": "1"}\n\n', encoding="utf-8")
    assert _ids(path) == [("o", "1")]


def test_record_package_embedded_releases_take_the_record_ocid(tmp_path):
    record = {"ocid": "ocds-rec", "releases": [{"id": "a", "date": "2025-01-01T00:00:00Z"}]}
    path = write_json(tmp_path / "r.json", {"uri": "x", "records": [record]})
    assert _ids(path) == [("ocds-rec", "a")]
    assert file_format(path) == "record package"


def test_linked_releases_are_passed_on_and_the_compiled_release_stands_in(tmp_path):
    linked = {"url": "https://example.invalid/r/a", "date": "2025-01-01T00:00:00Z"}
    compiled = release(ocid="ocds-rec", rid="ocds-rec-compiled", tags=("compiled",))
    record = {"ocid": "ocds-rec", "releases": [linked], "compiledRelease": compiled}
    path = write_json(tmp_path / "r.json", {"records": [record]})
    candidates = list(iter_candidates(path))
    assert [c.where for c in candidates] == [
        "records[0].releases[0]",
        "records[0].compiledRelease",
    ]
    assert "ocid" not in candidates[0].value  # left for the quarantine, not fetched


def test_compiled_release_is_not_read_beside_embedded_releases(tmp_path):
    record = {"ocid": "o", "releases": [release(ocid="o")], "compiledRelease": release(ocid="o")}
    path = write_json(tmp_path / "r.json", {"records": [record]})
    assert len(list(iter_candidates(path))) == 1


def _error(path) -> str:
    with pytest.raises(LoaderInputError) as caught:
        list(iter_candidates(path))
    message = str(caught.value)
    assert message.startswith(str(path)) and "\n" not in message
    return message


@pytest.mark.parametrize(
    "content, problem",
    [
        pytest.param(b"", "is empty", id="empty"),
        pytest.param(b'[{"ocid": "o"}]', "not an OCDS release or record package", id="array"),
        pytest.param(b'{"data": [1, 2]}', "no 'releases' or 'records' list", id="other-json"),
        pytest.param(b'{"releases": {"ocid": "o"}}', "'releases' is not a list", id="releases-map"),
        pytest.param(b'{"records": "none"}', "'records' is not a list", id="records-text"),
        pytest.param(b'{"releases": [{"ocid": "o", "id"', "truncated or corrupt", id="truncated"),
        pytest.param(b"not json at all", "truncated or corrupt", id="not-json"),
        pytest.param(b'{"releases": []} trailing', "truncated or corrupt", id="trailing"),
    ],
)
def test_unusable_json_files_raise_one_line_naming_the_file(tmp_path, content, problem):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    assert problem in _error(path)


def test_a_record_whose_releases_is_not_a_list_is_unusable(tmp_path):
    path = write_json(tmp_path / "r.json", {"records": [{"ocid": "o", "releases": "x"}]})
    assert "records[0]: 'releases' is not a list" in _error(path)


def test_truncated_gzip_is_unusable(tmp_path):
    data = gzip.compress(b'{"releases": [' + b'{"ocid": "o", "id": "1"}, ' * 200 + b"]}")
    path = tmp_path / "page.json.gz"
    path.write_bytes(data[: len(data) // 2])
    assert "truncated or corrupt" in _error(path)


def test_json_lines_truncated_last_line_names_the_line(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_bytes(b'{"ocid": "o", "id": "1"}\n{"ocid": "o", "id"')
    assert _error(path).endswith("row 2: line 2 is truncated")


def test_json_lines_bad_line_names_the_line(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_bytes(b'{"ocid": "o", "id": "1"}\nnot json\n{"ocid": "o", "id": "2"}\n')
    assert "row 2: line 2 is not valid JSON" in _error(path)


def test_json_lines_with_a_package_whose_releases_is_not_a_list(tmp_path):
    path = write_jsonl(tmp_path / "r.jsonl", [{"releases": 3}])
    assert "'releases' is not a list" in _error(path)


def test_missing_file_and_folder(tmp_path):
    assert "no such file" in _error(tmp_path / "absent.json")
    folder = tmp_path / "dir.json"
    folder.mkdir()
    assert "is a folder" in _error(folder)
