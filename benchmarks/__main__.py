"""``python -m benchmarks [--sizes 270k,1m,10m] [--only ingest,incremental,warm,callbacks,memory]
[--no-write]``; ``python -m benchmarks --only load [--sizes 270k] [--store DIR...] [--users 50]
[--seconds 60] [--think 5] [--saturation-seconds 30] [--hostile 240]``; ``python -m benchmarks
--only hostile [--store DIR] [--slow-seconds 20]``.

For each size: generate (or reuse from the cache) data scaled from the bundled sample, then
measure cold XLSX ingest, incremental ingest of monthly releases, warm start, the page
callbacks against a naive Dash app, and the serving process's peak memory. Prints one table
and writes ``benchmarks/RESULTS.md`` with the machine and the date. The load test (``--only
load``, :mod:`benchmarks.load`: gunicorn as documented, simulated users from a cold start,
warm and saturated, hostile links) runs only when asked, on the 270k store by default, and
writes its own section of ``RESULTS.md``; so do the hostile probes (``--only hostile``,
:mod:`benchmarks.probes`: every registered probe with its outcome, against gunicorn on the
first ``--store`` or the bundled sample). The timings are never
asserted in tests; a tiny run in the test suite keeps this working. Generated data are cached
in ``$BENCH_CACHE`` (default ``~/.cache/framework-spend/bench``).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from benchmarks.load import LoadPlan
from benchmarks.report import RESULTS, Results, printed, write, write_hostile, write_load
from benchmarks.suite import ALL_STAGES, SIZELESS, STAGES, Options, hostile, load_test, run_size


def parse_size(text: str) -> int:
    """``270k`` -> 270000, ``1m`` -> 1000000."""
    text = text.strip().lower()
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1], 1)
    return int(float(text.rstrip("km")) * factor)


def _stages(text: str) -> tuple[str, ...]:
    chosen = tuple(s.strip() for s in text.split(",") if s.strip())
    unknown = [s for s in chosen if s not in ALL_STAGES]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown stage(s) {unknown}; choose from {ALL_STAGES}")
    return chosen


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--sizes", help="comma-separated row counts (default 20k,270k; 270k for --only load)"
    )
    parser.add_argument(
        "--only",
        type=_stages,
        default=STAGES,
        help=f"comma-separated stages of {','.join(ALL_STAGES)} (default all but load and hostile)",
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
    parser.add_argument("--xlsx-cap", default="500k", help="largest XLSX written (rows)")
    parser.add_argument("--seed", type=int, default=2026)
    load = parser.add_argument_group("load test (--only load)")
    load.add_argument(
        "--store",
        type=Path,
        action="append",
        default=[],
        metavar="DIR",
        help="also load-test this store (repeatable); without --sizes, only the stores given",
    )
    load.add_argument("--users", type=int, default=LoadPlan.users, help="simulated users")
    load.add_argument("--seconds", type=float, default=LoadPlan.seconds,
                      help="length of the cold and of the warm run")  # fmt: skip
    load.add_argument("--think", type=float, default=LoadPlan.think,
                      help="mean pause between two clicks (seconds)")  # fmt: skip
    load.add_argument("--saturation-seconds", type=float, default=LoadPlan.saturation_seconds)
    load.add_argument("--hostile", type=int, default=LoadPlan.hostile,
                      help="hostile query strings sent")  # fmt: skip
    load.add_argument("--workers", type=int, help="gunicorn workers (default: gunicorn.conf.py)")
    load.add_argument("--threads", type=int, help="threads per worker (default: gunicorn.conf.py)")
    parser.add_argument("--slow-seconds", type=float, default=Options.slow_seconds,
                        help="length of each slow-client probe (--only hostile)")  # fmt: skip
    parser.add_argument(
        "--before",
        type=Path,
        default=None,
        metavar="CHECKOUT",
        help="also serve the app of this checkout (e.g. a worktree of main) in the same run, "
        "on the same store and requests: before/after rows per page",
    )
    parser.add_argument(
        "--months",
        type=int,
        default=None,
        help="use only the sample's last N months (quick runs; fewer monthly files)",
    )
    return parser


def _probed_store(stores: list[Path]) -> Path:
    """The store the hostile probes serve: the first ``--store``, else the bundled sample."""
    if stores:
        return stores[0]
    from dashboard.sample import default_store

    return Path(default_store())


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
        slow_seconds=args.slow_seconds,
        before=args.before,
        load=LoadPlan(
            users=args.users,
            seconds=args.seconds,
            think=args.think,
            saturation_seconds=args.saturation_seconds,
            hostile=args.hostile,
            workers=args.workers,
            threads=args.threads,
            seed=args.seed,
        ),
    )
    results = Results()
    start_load = os.getloadavg()[0]
    sized = tuple(s for s in args.only if s not in SIZELESS)
    default = "" if args.store or not sized else "270k" if sized == ("load",) else "20k,270k"
    for label in filter(None, (args.sizes or default).split(",")):
        run_size(label.strip(), parse_size(label), options, results)
    if "load" in args.only:
        for store in args.store:
            load_test(store, store.name if store.name != "store" else str(store), options, results)
    if "hostile" in args.only:
        hostile(_probed_store(args.store), options, results)
    results.notes.append(
        f"load average (1 min) at start {start_load:.1f}, at end {os.getloadavg()[0]:.1f} "
        f"({os.cpu_count()} cores)"
    )
    print(printed(results))
    if not args.no_write:
        command = "python -m benchmarks " + " ".join(argv if argv is not None else sys.argv[1:])
        if sized == ("load",):
            write_load(results, command.strip())
        elif sized:
            write(results, command.strip())
        if "hostile" in args.only:
            write_hostile(results, command.strip(), store=str(_probed_store(args.store)))
        print(f"\nWrote {RESULTS}")
    return 1 if results.errors else 0


if __name__ == "__main__":
    sys.exit(main())
