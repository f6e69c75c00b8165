"""``python -m benchmarks [--sizes 270k,1m,10m] [--only ingest,incremental,warm,callbacks,memory]
[--no-write]``.

For each size: generate (or reuse from the cache) data scaled from the bundled sample, then
measure cold XLSX ingest, incremental ingest of monthly releases, warm start, the page
callbacks against a naive Dash app, and the serving process's peak memory. Prints one table
and writes ``benchmarks/RESULTS.md`` with the machine and the date. The timings are never
asserted in tests; a tiny run in the test suite keeps this working. Generated data are cached
in ``$BENCH_CACHE`` (default ``~/.cache/framework-spend/bench``).
"""

from __future__ import annotations

import argparse
import os
import sys

from benchmarks.report import RESULTS, Results, printed, write
from benchmarks.suite import STAGES, Options, run_size


def parse_size(text: str) -> int:
    """``270k`` -> 270000, ``1m`` -> 1000000."""
    text = text.strip().lower()
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1], 1)
    return int(float(text.rstrip("km")) * factor)


def _stages(text: str) -> tuple[str, ...]:
    chosen = tuple(s.strip() for s in text.split(",") if s.strip())
    unknown = [s for s in chosen if s not in STAGES]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown stage(s) {unknown}; choose from {STAGES}")
    return chosen


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--sizes", default="20k,270k", help="comma-separated row counts")
    parser.add_argument(
        "--only", type=_stages, default=STAGES, help=f"comma-separated stages of {','.join(STAGES)}"
    )
    parser.add_argument("--no-write", action="store_true", help="do not write RESULTS.md")
    parser.add_argument("--repeat", type=int, default=1, help="cold-ingest runs (best kept)")
    parser.add_argument("--requests", type=int, default=40, help="counted requests per page")
    parser.add_argument(
        "--naive-requests",
        type=int,
        default=None,
        help="the naive app's requests per page (default: as --requests up to 1M rows, 10 above)",
    )
    parser.add_argument("--warmup", type=int, default=2, help="uncounted requests per page")
    parser.add_argument("--xlsx-cap", default="1m", help="largest XLSX written (rows)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--months",
        type=int,
        default=None,
        help="use only the sample's last N months (quick runs; fewer monthly files)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks, print the table and (unless ``--no-write``) save RESULTS.md.

    Exit status 1 if any stage failed or rows were not accounted for.
    """
    args = _parser().parse_args(argv)
    options = Options(
        stages=args.only,
        repeat=args.repeat,
        requests=args.requests,
        naive_requests=args.naive_requests,
        warmup=args.warmup,
        xlsx_cap=parse_size(args.xlsx_cap),
        seed=args.seed,
        months=args.months,
    )
    results = Results()
    start_load = os.getloadavg()[0]
    for label in args.sizes.split(","):
        run_size(label.strip(), parse_size(label), options, results)
    results.notes.append(
        f"load average (1 min) at start {start_load:.1f}, at end {os.getloadavg()[0]:.1f} "
        f"({os.cpu_count()} cores)"
    )
    print(printed(results))
    if not args.no_write:
        command = "python -m benchmarks " + " ".join(argv if argv is not None else sys.argv[1:])
        write(results, command.strip())
        print(f"\nWrote {RESULTS}")
    return 1 if results.errors else 0


if __name__ == "__main__":
    sys.exit(main())
