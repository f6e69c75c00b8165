"""A tiny benchmark run keeps the benchmark code working; its timings are not asserted."""

from __future__ import annotations

from benchmarks.__main__ import main, parse_size
from benchmarks.ingest import measure, write_release


def test_parse_size():
    assert (parse_size("270k"), parse_size("1m"), parse_size("50")) == (270_000, 1_000_000, 50)


def test_tiny_ingest_benchmark_runs_and_every_method_reads_every_row(tmp_path, capsys):
    path = write_release(tmp_path / "release.xlsx", 50)
    assert [t.rows for t in measure(path)] == [51, 51, 50]  # pandas also reads the Total row
    assert main(["--sizes", "30", "--no-write"]) == 0
    assert "x faster than naive" in capsys.readouterr().out
