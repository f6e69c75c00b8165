"""Cold ingest of one CCS-style XLSX release, against naive readers of the same file.

Baselines measured in the same run on the same file:

* ``pd.read_excel(engine="openpyxl")``: what a typical script does (read only, no checks);
* python-calamine's own read of the sheet into Python values
  (``CalamineWorkbook.get_sheet_by_index(0).to_python()``): the limit, the parser we use
  without anything after it;
* ``pd.read_excel(engine="calamine")``: the same parser through pandas, shown beside it;
* ``loaders.load``: our whole pipeline (read, find header, map, parse, quarantine, infer,
  combine, report).

:func:`peak_ingest` measures the peak memory of a whole ingest (``loaders.load`` then
``loaders.write_store``) in a process of its own: ``python -m benchmarks.ingest FILES OUT``
prints its figures as JSON.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from python_calamine import CalamineWorkbook

import loaders
from benchmarks.generate import HEADER, generate
from benchmarks.release_files import write_xlsx

__all__ = [
    "HEADER",
    "IngestPeak",
    "Timing",
    "best_of",
    "measure",
    "peak_ingest",
    "table",
    "write_release",
]
ROOT = Path(__file__).resolve().parent.parent


def write_release(path: Path, rows: int, seed: int = 2026) -> Path:
    """A CCS-layout workbook of ``rows`` spend rows (title rows above, Total row below),
    drawn by :func:`benchmarks.generate.generate` from the sample's distributions."""
    generated = generate(rows, seed)
    return write_xlsx(generated[~generated["new_release"]], path)


@dataclass
class Timing:
    """Best wall-clock time of a few runs."""

    name: str
    seconds: float
    rows: int


def best_of(name: str, run: Callable[[], int], repeat: int) -> Timing:
    """Run ``run`` ``repeat`` times and keep the fastest (it returns the rows it read)."""
    best, rows = float("inf"), 0
    for _ in range(repeat):
        start = time.perf_counter()
        rows = run()
        best = min(best, time.perf_counter() - start)
    return Timing(name, best, rows)


def raw_read(path: Path) -> int:
    """python-calamine's read of the first sheet into Python values; returns its rows."""
    return len(CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python())


def measure(path: Path, repeat: int = 1) -> list[Timing]:
    """Time the baselines and our loader on one release file: openpyxl through pandas
    (naive), python-calamine's raw read, calamine through pandas, ``loaders.load``."""
    return [
        best_of(
            "pd.read_excel(engine='openpyxl') (naive baseline)",
            lambda: len(pd.read_excel(path, engine="openpyxl", skiprows=2)),
            repeat,
        ),
        best_of("python-calamine to_python() (raw read)", lambda: raw_read(path), repeat),
        best_of(
            "pd.read_excel(engine='calamine') (raw parser)",
            lambda: len(pd.read_excel(path, engine="calamine", skiprows=2)),
            repeat,
        ),
        best_of("loaders.load (whole pipeline)", lambda: len(loaders.load(path).spend), repeat),
    ]


def table(size: int, timings: list[Timing]) -> pd.DataFrame:
    """Timings with ratios against the naive baseline."""
    baseline = timings[0].seconds
    return pd.DataFrame(
        {
            "rows": size,
            "method": [t.name for t in timings],
            "seconds": [round(t.seconds, 3) for t in timings],
            "x faster than naive": [round(baseline / t.seconds, 1) for t in timings],
            "rows per second": [int(size / t.seconds) for t in timings],
        }
    )


@dataclass
class IngestPeak:
    """One whole ingest in a process of its own: wall seconds, peak RSS (bytes,
    ``VmHWM``), spend rows loaded."""

    seconds: float
    peak_rss: int
    rows: int


def peak_ingest(paths: list[Path], out: Path, timeout: float = 4 * 3600) -> IngestPeak:
    """``loaders.load(paths)`` then ``loaders.write_store`` into ``out``, run by
    ``python -m benchmarks.ingest`` so that the peak is the ingest's alone. Raises
    :class:`RuntimeError` when that process fails (its last error line)."""
    command = [sys.executable, "-m", "benchmarks.ingest", *map(str, paths), str(out)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"ingest process failed ({done.returncode}): {last}")
    return IngestPeak(**json.loads(done.stdout.strip().splitlines()[-1]))


def _main(argv: list[str]) -> None:
    from benchmarks.serve import peak_rss_bytes

    *paths, out = argv
    start = time.perf_counter()
    result = loaders.load([Path(p) for p in paths])
    loaders.write_store(result, out)
    figures = {"seconds": time.perf_counter() - start, "rows": len(result.spend)}
    print(json.dumps({**figures, "peak_rss": peak_rss_bytes()}))


if __name__ == "__main__":
    _main(sys.argv[1:])
