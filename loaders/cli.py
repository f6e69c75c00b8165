"""Command line: ``python -m loaders ingest ...`` and ``python -m loaders report DIR``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from loaders.api import load
from loaders.customers import read_customer_list
from loaders.errors import LoaderInputError
from loaders.evaluate import evaluate_sector_inference
from loaders.ocds.report import summary_line
from loaders.reference import load_vocabulary
from loaders.report import describe
from loaders.store import read_store, write_store

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m loaders",
        description="Load published G-Cloud / DOS spend releases into a reconciled store.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    ingest = commands.add_parser("ingest", help="read releases (files or folders) into a store")
    ingest.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    ingest.add_argument("--out", required=True, type=Path, metavar="DIR", help="store folder")
    ingest.add_argument(
        "--customers",
        type=Path,
        metavar="FILE",
        help="CCS customer URN list: resolves customer names to bodies and infers sectors",
    )
    ingest.add_argument(
        "--framework", metavar="NAME", help="framework of files with no framework column"
    )
    ingest.add_argument(
        "--no-cache",
        action="store_true",
        help="parse every file again; by default each file's extract is kept by content hash "
        "in the folder .extract-cache-NAME beside the store folder NAME, so a re-ingest parses "
        "only new or changed files (entries of files no longer loaded are deleted)",
    )
    report = commands.add_parser("report", help="print the load report of a store in words")
    report.add_argument("store", type=Path, metavar="DIR")
    check = commands.add_parser(
        "check-sectors",
        help="hide the sector of releases that have one, infer it, and print the accuracy",
    )
    check.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    check.add_argument("--customers", type=Path, metavar="FILE", help="CCS customer URN list")
    return parser


def _summary(result) -> str:
    totals, headline = result.report["totals"], result.report["headline"]
    months = headline["months"]
    notices = summary_line(result.report.get("ocds"))
    if not result.report["files"] and notices:
        return notices
    spend = (
        f"Loaded {totals['rows_loaded']:,} rows (£{totals['spend_loaded_gbp']:,.2f}, "
        f"{months['first']} to {months['last']}) from {len(result.report['files'])} file(s); "
        f"{totals['rows_superseded']:,} superseded, {totals['rows_quarantined']:,} quarantined; "
        f"reconciles: {'yes' if totals['reconciles'] else 'NO'}."
    )
    return f"{spend}\n{notices}" if notices else spend


def extract_cache_dir(store: Path) -> Path:
    """The extract cache of a store: a hidden folder beside it (the store folder itself is
    replaced whole on every ingest)."""
    target = Path(store).resolve()
    return target.parent / f".extract-cache-{target.name}"


def _ingest(args: argparse.Namespace) -> int:
    cache = None if args.no_cache else extract_cache_dir(args.out)
    result = load(
        args.paths, args.customers, framework=args.framework, progress=True, cache_dir=cache
    )
    target = write_store(result, args.out)
    print(_summary(result))
    print(f"Store written to {target}. Details: python -m loaders report {args.out}")
    return EXIT_OK


def _report(args: argparse.Namespace) -> int:
    try:
        result = read_store(args.store)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(describe(result.report))
    return EXIT_OK


def _check_sectors(args: argparse.Namespace) -> int:
    vocab = load_vocabulary()
    result = load(args.paths, vocab=vocab)
    customers = read_customer_list(args.customers, vocab) if args.customers else None
    table = evaluate_sector_inference(result.spend, vocab, customers)
    print("Sector inference with the release's sector hidden (shares of spend):")
    print(table.round(1).to_string(index=False))
    return EXIT_OK


COMMANDS = {"ingest": _ingest, "report": _report, "check-sectors": _check_sectors}


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code (2 for unusable input)."""
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except LoaderInputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED
