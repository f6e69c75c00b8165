"""Property: every release read is loaded, a duplicate or quarantined, file by file."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from loaders.core.vocabulary import load_vocabulary
from loaders.sources.ocds import checks
from loaders.sources.ocds.load import load_notices
from tests.loaders.ocds.builders import NOW, package, release, write_json, write_jsonl

VOCAB = load_vocabulary()
BAD = {
    "no_ocid": checks.NO_OCID,
    "no_id": checks.NO_ID,
    "no_date": checks.NO_DATE,
    "future": checks.FUTURE_DATE,
    "not_object": checks.NOT_OBJECT,
}
KINDS = ["good", "good", "good", *BAD]
spec = st.tuples(st.sampled_from(["o1", "o2", "o3"]), st.sampled_from(["r1", "r2"]),
                 st.sampled_from(KINDS), st.sampled_from(["2025-01-05", "2025-02-10"]))  # fmt: skip


def _release(ocid: str, rid: str, kind: str, date: str):
    if kind == "not_object":
        return [ocid, rid]
    value = release(ocid=ocid, rid=rid, date=f"{date}T12:00:00Z")
    if kind in ("no_ocid", "no_id", "no_date"):
        del value[{"no_ocid": "ocid", "no_id": "id", "no_date": "date"}[kind]]
    elif kind == "future":
        value["date"] = "2999-01-01T00:00:00Z"
    return value


def _expected(files: list[list[tuple]]) -> list[dict[str, int]]:
    """Counts per file by hand: bad kinds quarantined, a repeated (ocid, id) a duplicate."""
    seen: set[tuple[str, str]] = set()
    out = []
    for specs in files:
        counts = {"read": len(specs), "loaded": 0, "duplicate": 0, "quarantined": 0}
        for ocid, rid, kind, _ in specs:
            if kind != "good":
                counts["quarantined"] += 1
            elif (ocid, rid) in seen:
                counts["duplicate"] += 1
            else:
                seen.add((ocid, rid))
                counts["loaded"] += 1
        out.append(counts)
    return out


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(spec, min_size=1, max_size=8), min_size=1, max_size=3), st.booleans())
def test_releases_read_equal_loaded_plus_duplicate_plus_quarantined(files, as_lines):
    assume(all(any(kind not in ("no_ocid", "not_object") for _, _, kind, _ in f) for f in files))
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for i, specs in enumerate(files):
            releases = [_release(*s) for s in specs]
            if as_lines:
                paths.append(write_jsonl(Path(folder) / f"f{i}.jsonl", releases))
            else:
                paths.append(write_json(Path(folder) / f"f{i}.json", package(releases)))
        tables = load_notices(paths, VOCAB, now=NOW)
    report = tables.report
    for f, expected in zip(report["files"], _expected(files), strict=True):
        assert f["reconciles"]
        found = {k: f[f"releases_{k}"] for k in ("read", "loaded", "duplicate", "quarantined")}
        assert found == expected
    totals = report["totals"]
    assert totals["releases_read"] == len(tables.releases) == sum(len(f) for f in files)
    assert totals["releases_read"] == (
        totals["releases_loaded"] + totals["releases_duplicate"] + totals["releases_quarantined"]
    )
    reasons = {
        r for specs in files for _, _, kind, _ in specs if kind != "good" for r in [BAD[kind]]
    }
    assert set(totals["quarantined_by_reason"]) == reasons
    loaded = tables.releases[tables.releases["status"] == "loaded"]
    assert sorted(tables.notices["ocid"]) == sorted(loaded["ocid"].unique())
    assert tables.notices["releases"].sum() == len(loaded)
