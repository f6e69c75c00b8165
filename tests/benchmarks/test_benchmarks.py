"""A tiny benchmark run keeps the benchmark code working; its timings are never asserted."""

from __future__ import annotations

import pandas as pd
import pytest

import loaders
from benchmarks import callbacks
from benchmarks.__main__ import main, parse_size
from benchmarks.datasets import Dataset
from benchmarks.generate import generate, variant_names
from benchmarks.hostile import hostile_queries
from benchmarks.ingest import measure, peak_ingest, write_release
from benchmarks.probes import Probe, register, registered, run_probe
from benchmarks.probes.context import ProbeContext
from benchmarks.report import (
    HOSTILE_BEGIN,
    LOAD_BEGIN,
    Results,
    Row,
    write,
    write_hostile,
    write_load,
)


@pytest.fixture
def bench_cache(tmp_path, monkeypatch):
    """Generated data go to a temporary cache."""
    monkeypatch.setenv("BENCH_CACHE", str(tmp_path / "bench"))
    return tmp_path / "bench"


def test_parse_size():
    assert (parse_size("270k"), parse_size("1m"), parse_size("50")) == (270_000, 1_000_000, 50)


@pytest.mark.slow
def test_generator_is_seeded_and_draws_from_the_sample():
    rows = generate(3_000, seed=7)
    assert len(rows[~rows["new_release"]]) == 3_000
    assert rows["new_release"].sum() > 0
    new_months = set(rows.loc[rows["new_release"], "month"])
    assert len(new_months) == 1
    assert min(new_months) > rows.loc[~rows["new_release"], "month"].max()
    pd.testing.assert_frame_equal(rows, generate(3_000, seed=7))
    assert (rows["spend_gbp"] < 0).any()  # credits
    assert {"G-Cloud", "Digital Outcomes and Specialists"} <= set(rows["framework"])
    assert rows["customer_urn"].notna().mean() > 0.9


@pytest.mark.slow
def test_bodies_grow_sub_linearly_as_regional_variants():
    small, large = generate(2_000, seed=1), generate(200_000, seed=1)
    ratio = large["customer"].nunique() / small["customer"].nunique()
    assert 3 < ratio < 20  # 100x the rows, about 10x the buyers
    variants = large[large["customer_urn"] >= 90_000_000]
    assert len(variants) and variants["customer"].astype(str).str.endswith(")").all()
    assert variant_names(["Quarrybank Group plc"], [0], True) == ["Quarrybank Group (North) plc"]


@pytest.mark.slow
def test_tiny_ingest_benchmark_reads_every_row(tmp_path):
    path = write_release(tmp_path / "release.xlsx", 50)
    # pandas also reads the Total row; the raw read every row (titles, header, Total)
    assert [t.rows for t in measure(path)] == [51, 54, 51, 50]


@pytest.mark.slow
def test_tiny_suite_runs_and_accounts_for_every_row(bench_cache, capsys):
    code = main(
        ["--sizes", "2k", "--no-write", "--months", "6", "--requests", "2", "--warmup", "1"]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    for text in (
        "cold ingest",
        "incremental",
        "warm start",
        "overview: p50 / p95",
        "department: p50 / p95",
        "all pages",
        "peak RSS",
        "tables held once warmed",
        "caches held at the end",
        "naive",
    ):
        assert text in out
    data = Dataset(2_000, 2026, months=6)
    rows = data.rows()
    assert len(rows) - rows["new_release"].sum() == 2_000
    folder, new_file = data.monthly()
    files = sorted(folder.glob("*.csv"))
    assert len(files) == 6 and new_file.name > files[-1].name
    (store_dir,) = (bench_cache / "2000-2026-m6" / "stores").iterdir()  # one loader version
    store = loaders.read_store(store_dir)
    assert len(store.spend) == 2_000
    assert len(store.quarantine) == len(files)  # each release's Total row
    assert set(store.quarantine["reason"]) == {"totals row"}
    assert store.spend["spend_gbp"].sum() == pytest.approx(
        rows.loc[~rows["new_release"], "spend_gbp"].sum()
    )


@pytest.mark.slow
def test_request_body_matches_the_page_callback(sample_store):
    from dashboard.app import create_app

    app = create_app(sample_store)
    callback = callbacks.page_callback(app.callback_map)
    body = callbacks.request_body(callback, "/", "?fy=2019-20")
    assert body["outputs"] == [
        {"id": "page-content", "property": "children"},
        {"id": "page-columns", "property": "className"},
    ]
    response = app.server.test_client().post(callbacks.UPDATE, json=body)
    assert response.status_code == 200
    assert b"2019-20" in response.data


@pytest.mark.slow
def test_tiny_load_test_serves_with_gunicorn_and_refuses_no_hostile_link(sample_store, capsys):
    code = main(["--only", "load", "--store", str(sample_store), "--users", "2", "--seconds",
                 "1", "--think", "0.2", "--saturation-seconds", "1", "--hostile", "10",
                 "--no-write"])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0, out
    for text in ("cold start: 2 users", "warm: 2 users", "saturation: 2 users",
                 "10 hostile query strings", "memory RSS/USS"):  # fmt: skip
        assert text in out


def test_hostile_queries_are_seeded_and_varied():
    queries = hostile_queries(50, seed=3)
    assert queries == hostile_queries(50, seed=3)
    assert any(len(q) > 2_000 for q in queries)
    assert any("%3Cscript%3E" in q or "<script>" in q for q in hostile_queries(240))


def test_the_load_section_replaces_the_previous_one_and_keeps_the_rest(tmp_path):
    path = tmp_path / "RESULTS.md"
    path.write_text("# Benchmark results\n\nEarlier figures.\n", encoding="utf-8")
    results = Results(rows=[Row("270k", "load", "cold start", "1 ms")])
    write_load(results, "python -m benchmarks --only load", path)
    write_load(Results(rows=[Row("270k", "load", "cold start", "2 ms")]), "again", path)
    text = path.read_text(encoding="utf-8")
    assert "Earlier figures." in text
    assert text.count(LOAD_BEGIN) == 1 and "2 ms" in text and "1 ms" not in text


def test_the_load_section_keeps_its_place_among_hand_written_notes(tmp_path):
    path = tmp_path / "RESULTS.md"
    path.write_text("# Benchmark results\n\nEarlier figures.\n", encoding="utf-8")
    write_load(Results(rows=[Row("270k", "load", "cold start", "1 ms")]), "first", path)
    with path.open("a", encoding="utf-8") as notes:
        notes.write("\n### Threads per worker\n\nNotes after the section.\n")
    write_load(Results(rows=[Row("270k", "load", "cold start", "2 ms")]), "again", path)
    text = path.read_text(encoding="utf-8")
    assert text.index("Earlier figures.") < text.index(LOAD_BEGIN)
    assert text.index(LOAD_BEGIN) < text.index("2 ms") < text.index("### Threads per worker")


@pytest.mark.slow
def test_hostile_probes_run_through_gunicorn_and_every_one_is_ok(capsys):
    """Slow clients, malformed callbacks, paths outside the served files and HTTPS mode,
    each against gunicorn started as the README says (the figures are not asserted: only
    that /healthz kept answering within its bound, and every status)."""
    code = main(["--only", "hostile", "--slow-seconds", "2", "--no-write"])
    out = capsys.readouterr().out
    probes = registered()
    assert f"Hostile probes ({len(probes)} probes, {len(probes)} ok)" in out, out[-3000:]
    assert code == 0
    assert out.splitlines()[3].split() == ["probe", "kind", "expected", "got", "ok"]
    for probe in probes:
        assert probe.name in out
    kinds = {p.kind for p in probes}
    assert {"slow client", "malformed callback", "path outside the served files",
            "HTTPS mode"} <= kinds  # fmt: skip
    assert sum(p.kind == "malformed callback" for p in probes) >= 15
    assert sum(p.kind == "path outside the served files" for p in probes) >= 10


def test_the_probe_registry_refuses_a_taken_name_and_reports_a_broken_probe(tmp_path):
    first = registered()[0]
    with pytest.raises(ValueError, match="already registered"):
        register(Probe(first.name, "x", "y", first.run))

    def broken(context):
        raise KeyError("no such thing")

    line = run_probe(Probe("broken", "kind", "ok", broken), ProbeContext(tmp_path, tmp_path))
    assert line == {"probe": "broken", "kind": "kind", "expected": "ok",
                    "got": "error: KeyError: 'no such thing'", "ok": "NO"}  # fmt: skip


def test_the_probe_section_is_replaced_and_the_load_section_kept(tmp_path):
    path = tmp_path / "RESULTS.md"
    write_load(Results(rows=[Row("270k", "load", "cold start", "1 ms")]), "load", path)
    line = {"probe": "p", "kind": "k", "expected": "400", "got": "500 | x", "ok": "NO"}
    write_hostile(Results(probes=[line]), "first", path, store="s")
    write_hostile(Results(probes=[{**line, "got": "400", "ok": "yes"}]), "again", path, store="s")
    write(Results(rows=[Row("20k", "ingest", "cold ingest", "1 s")]), "suite", path)
    text = path.read_text(encoding="utf-8")
    assert text.count(HOSTILE_BEGIN) == 1 and text.count(LOAD_BEGIN) == 1
    assert "| p | k | 400 | 400 | yes |" in text and "500 \\| x" not in text
    assert "1 probes, 1 ok" in text and "cold ingest" in text


@pytest.mark.slow
def test_peak_ingest_runs_in_its_own_process_and_reports_its_peak(tmp_path):
    release = write_release(tmp_path / "release.xlsx", 40)
    peak = peak_ingest([release], tmp_path / "store")
    assert peak.rows == 40
    assert 50e6 < peak.peak_rss < 4e9  # a Python process with pandas, not the parent's
    assert (tmp_path / "store" / "spend.parquet").is_file()


def test_peak_ingest_names_a_failing_ingest(tmp_path):
    with pytest.raises(RuntimeError, match="ingest process failed"):
        peak_ingest([tmp_path / "missing.csv"], tmp_path / "store")
