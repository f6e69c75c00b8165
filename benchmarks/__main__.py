"""``python -m benchmarks [--sizes 20k,270k] [--repeat N] [--no-write]``.

Prints one table and writes ``benchmarks/RESULTS.md`` with the machine and the date. The
timings are never asserted in tests; a tiny run in the test suite keeps this working.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import tempfile
from pathlib import Path

import pandas as pd

from benchmarks.ingest import measure, table, write_release

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def parse_size(text: str) -> int:
    """``270k`` -> 270000, ``1m`` -> 1000000."""
    text = text.strip().lower()
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1], 1)
    return int(float(text.rstrip("km")) * factor)


def machine() -> str:
    """One line about the machine the numbers were measured on."""
    return (
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"pandas {pd.__version__}, {platform.system()} {platform.release()}"
    )


def run(sizes: list[int], repeat: int) -> pd.DataFrame:
    """Generate a release of each size and time every reader on it."""
    parts = []
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            path = write_release(Path(folder) / f"release-{size}.xlsx", size)
            parts.append(table(size, measure(path, repeat)))
    return pd.concat(parts, ignore_index=True)


def main(argv: list[str] | None = None) -> int:
    """Run the ingest benchmark, print it and (unless ``--no-write``) save RESULTS.md."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--sizes", default="20k,270k", help="comma-separated row counts")
    parser.add_argument("--repeat", type=int, default=1, help="runs per method (best kept)")
    parser.add_argument("--no-write", action="store_true", help="do not write RESULTS.md")
    args = parser.parse_args(argv)
    results = run([parse_size(s) for s in args.sizes.split(",")], args.repeat)
    print(f"Cold ingest of a CCS-style XLSX release ({machine()})\n")
    print(results.to_string(index=False))
    if not args.no_write:
        RESULTS.write_text(
            f"# Benchmark results\n\nMeasured {dt.date.today().isoformat()} on {machine()}.\n\n"
            "## Cold ingest of one CCS-style XLSX release\n\n"
            "Baselines are measured in the same run on the same file. The naive baseline only "
            "reads the sheet; `loaders.load` also finds the header, maps and parses every "
            "column, quarantines, infers, combines and reconciles.\n\n"
            f"```\n{results.to_string(index=False)}\n```\n",
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
