"""Cold ingest of one CCS-style XLSX release, against naive readers of the same file.

Baselines measured in the same run on the same file:

* ``pd.read_excel(engine="openpyxl")``: what a typical script does (read only, no checks);
* ``pd.read_excel(engine="calamine")``: the raw speed of the XLSX parser we use;
* ``loaders.load``: our whole pipeline (read, find header, map, parse, quarantine, infer,
  combine, report).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

import loaders
from benchmarks.generate import HEADER, generate
from benchmarks.release_files import write_xlsx

__all__ = ["HEADER", "Timing", "best_of", "measure", "table", "write_release"]


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


def measure(path: Path, repeat: int = 1) -> list[Timing]:
    """Time the baselines and our loader on one release file."""
    return [
        best_of(
            "pd.read_excel(engine='openpyxl') (naive baseline)",
            lambda: len(pd.read_excel(path, engine="openpyxl", skiprows=2)),
            repeat,
        ),
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
