"""The one command line of the loaders: ``python -m loaders COMMAND``.

``ingest`` (releases into a store), ``report`` (a store's kept versions and its load report
in words), ``rollback`` (back to the store's previous version), ``check-sectors`` (measure
sector inference), ``departments`` (rebuild the body -> department table from GOV.UK),
``organisations`` (write the GOV.UK organisations register), ``registers`` (build, count and
match the public registers of bodies that could buy), ``fetch`` (download new and changed
releases and notices) and ``update`` (fetch, ingest, say what changed).

Every failure prints one line (``error: ...``, file names and values escaped by
:func:`~loaders.core.errors.one_line`): unusable input exits 2, anything else 1, running out of
memory included.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from loaders.bodies.customer_list import read_customer_list
from loaders.bodies.evaluate import evaluate_sector_inference
from loaders.bodies.govuk_organisations import (
    Copy,
    refresh_departments,
    refresh_organisations,
)
from loaders.bodies.registers import commands as register_commands
from loaders.catalogue import versions
from loaders.catalogue.store import open_report, store_lock
from loaders.core.errors import LoaderInputError, one_line
from loaders.core.vocabulary import load_vocabulary
from loaders.fetch.sources import SOURCES_FILE
from loaders.pipeline import describe, describe_versions, load, summary, write_store
from loaders.sources.base import LoadOptions
from loaders.sources.ccs_spend.extract_cache import extract_cache_dir
from loaders.update import commands as fetch_commands
from loaders.update.append import load_or_append

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
        "--supplier",
        metavar="NAME",
        help="supplier of returns with no supplier column (default: from the file name)",
    )
    ingest.add_argument(
        "--manifest",
        type=Path,
        metavar="CSV",
        help="releases.csv (file, release, version) stating each file's release and version; "
        "by default any releases.csv in the folders read",
    )
    ingest.add_argument(
        "--allow-empty",
        action="store_true",
        help="load files none of whose rows can be loaded (by default they stop the ingest)",
    )
    _no_wait(ingest)
    _keep(ingest)
    ingest.add_argument(
        "--rebuild",
        action="store_true",
        help="load every file again; by default, when the files are the store's (unchanged) "
        "plus new ones, only the new ones are read and added (the same store; when an append "
        "cannot be sure of that, every file is loaded and one line says why)",
    )
    ingest.add_argument(
        "--no-cache",
        action="store_true",
        help="parse every file again; by default each file's extract is kept by content hash "
        "in the folder .extract-cache-NAME beside the store folder NAME, so a re-ingest parses "
        "only new or changed files (entries of files no longer loaded are deleted)",
    )
    report = commands.add_parser(
        "report", help="list a store's kept versions and print its load report in words"
    )
    report.add_argument("store", type=Path, metavar="DIR")
    rollback = commands.add_parser(
        "rollback", help="make the store's previous kept version current again"
    )
    rollback.add_argument("--out", required=True, type=Path, metavar="DIR", help="store")
    _no_wait(rollback)
    check = commands.add_parser(
        "check-sectors",
        help="hide the sector of releases that have one, infer it, and print the accuracy",
    )
    check.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    check.add_argument("--customers", type=Path, metavar="FILE", help="CCS customer URN list")
    departments = commands.add_parser(
        "departments",
        help="rebuild the body -> department table from saved GOV.UK organisations API pages",
    )
    departments.add_argument("--from-govuk", required=True, type=Path, metavar="FILE_OR_DIR")
    departments.add_argument("--out", required=True, type=Path, metavar="CSV")
    departments.add_argument(
        "--replace",
        action="store_true",
        help="write only what GOV.UK gives; by default rows of the current --out file that "
        "GOV.UK lacks (spend-file spellings, units, old bodies) are kept",
    )
    organisations = commands.add_parser(
        "organisations",
        help="write the GOV.UK organisations register (titles, abbreviations, successors) "
        "from saved GOV.UK organisations API pages",
    )
    organisations.add_argument(
        "--from-govuk", required=True, type=Path, action="append", metavar="FILE_OR_DIR",
        help="a saved copy of every page (repeat for older copies, newest first)",
    )  # fmt: skip
    organisations.add_argument("--out", required=True, type=Path, metavar="CSV")
    organisations.add_argument(
        "--retrieved", required=True, action="append", metavar="DATE",
        help="when each copy was saved (one per --from-govuk, in the same order)",
    )  # fmt: skip
    organisations.add_argument(
        "--origin", action="append", default=[], metavar="TEXT",
        help="where each copy came from (one per --from-govuk, in the same order)",
    )  # fmt: skip
    register_commands.add_parser(commands)
    _fetch_parsers(commands)
    return parser


def _no_wait(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--no-wait",
        action="store_true",
        help="exit 2 if another ingest or update is writing the same store (its lock file "
        "NAME.lock beside the store folder NAME is held); by default wait for it",
    )


def _keep(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--keep",
        type=int,
        default=versions.KEEP_VERSIONS,
        metavar="N",
        help="earlier versions of the store to keep for 'rollback' (default "
        f"{versions.KEEP_VERSIONS}); older ones are deleted once the new one is current",
    )


def _fetch_parsers(commands) -> None:
    fetch = commands.add_parser("fetch", help="download new or changed releases and notices")
    update = commands.add_parser(
        "update", help="fetch, ingest into the store if anything is new, say what changed"
    )
    for sub in (fetch, update):
        sub.add_argument(
            "--sources",
            type=Path,
            default=SOURCES_FILE,
            metavar="FILE",
            help="sources (name,kind,url,pattern); default: the shipped list",
        )
        sub.add_argument(
            "--into",
            required=True,
            type=Path,
            metavar="DIR",
            help="download folder (with its manifest.csv)",
        )
        sub.add_argument(
            "--since",
            type=fetch_commands.parse_since,
            metavar="DATE",
            help="Contracts Finder windows start here, not at the last fetch",
        )
        sub.add_argument(
            "--delay",
            type=float,
            default=1.0,
            metavar="SECONDS",
            help="polite pause between two requests (default 1)",
        )
        sub.add_argument(
            "--quiet",
            action="store_true",
            help="no progress bars; print only when something changed or failed",
        )
    update.add_argument("--out", required=True, type=Path, metavar="STORE", help="store folder")
    _no_wait(update)
    _keep(update)
    update.add_argument("--customers", type=Path, metavar="FILE", help="CCS customer URN list")
    update.add_argument(
        "--framework", metavar="NAME", help="framework of files with no framework column"
    )


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _recovered(out: Path) -> None:
    """Put the store right after an interrupted swap (saying what was done)."""
    for note in versions.recover(out):
        _say(f"recovered {out}: {note}")


def _ingest(args: argparse.Namespace) -> int:
    with store_lock(args.out, wait=not args.no_wait, on_wait=_say):
        _recovered(args.out)
        return _ingest_locked(args)


def _ingest_locked(args: argparse.Namespace) -> int:
    cache = None if args.no_cache else extract_cache_dir(args.out)
    options = LoadOptions(
        framework=args.framework,
        supplier=args.supplier,
        manifest=args.manifest,
        allow_empty=args.allow_empty,
        cache_dir=cache,
    )
    ingested = load_or_append(args.paths, args.out, args.customers, rebuild=args.rebuild,
                              options=options, progress=True)  # fmt: skip
    note = ingested.note(args.out)
    if note:
        print(note)
    target = write_store(ingested.result, args.out, keep=args.keep)
    print("\n".join(summary(ingested.result.report)))
    print(f"Store written to {target}. Details: python -m loaders report {args.out}")
    return EXIT_OK


def _report(args: argparse.Namespace) -> int:
    report = open_report(args.store)
    listed = describe_versions(args.store)
    if listed:
        print("\n".join(listed), end="\n\n")
    print(describe(report))
    return EXIT_OK


def _rollback(args: argparse.Namespace) -> int:
    with store_lock(args.out, wait=not args.no_wait, on_wait=_say):
        _recovered(args.out)
        left, now = versions.rollback(args.out)
    print(f"Store {args.out} rolled back from version {left.id} to {now.id}. "
          f"Details: python -m loaders report {args.out}")  # fmt: skip
    return EXIT_OK


def _check_sectors(args: argparse.Namespace) -> int:
    vocab = load_vocabulary()
    result = load(args.paths, vocab=vocab)
    customers = read_customer_list(args.customers, vocab) if args.customers else None
    table = evaluate_sector_inference(result.spend, vocab, customers)
    print("Sector inference with the release's sector hidden (shares of spend):")
    print(table.round(1).to_string(index=False))
    return EXIT_OK


def _departments(args: argparse.Namespace) -> int:
    try:
        refreshed = refresh_departments(args.from_govuk, args.out, replace=args.replace)
    except OSError as exc:
        print(f"error: {one_line(f'cannot write {args.out}: {exc}')}", file=sys.stderr)
        return EXIT_FAILED
    table = refreshed.table
    print(
        f"Wrote {len(table)} bodies ({refreshed.from_govuk} from GOV.UK, {refreshed.kept} "
        f"kept) under {table['department'].nunique()} departments to {args.out}"
    )
    return EXIT_OK


def _organisations(args: argparse.Namespace) -> int:
    if len(args.retrieved) != len(args.from_govuk) or len(args.origin) > len(args.from_govuk):
        print("error: give one --retrieved (and at most one --origin) per --from-govuk",
              file=sys.stderr)  # fmt: skip
        return EXIT_BAD_INPUT
    origins = args.origin + [""] * (len(args.from_govuk) - len(args.origin))
    copies = [Copy(*c) for c in zip(args.from_govuk, args.retrieved, origins, strict=True)]
    table = refresh_organisations(copies, args.out)
    closed = int(table["status"].eq("closed").sum())
    print(f"Wrote {len(table)} organisations ({closed} closed) to {args.out}")
    return EXIT_OK


def _locked_update(args: argparse.Namespace) -> int:
    with store_lock(args.out, wait=not args.no_wait, on_wait=_say):
        _recovered(args.out)
        return fetch_commands.run_update(args)


COMMANDS = {
    "ingest": _ingest,
    "report": _report,
    "rollback": _rollback,
    "check-sectors": _check_sectors,
    "departments": _departments,
    "organisations": _organisations,
    "fetch": fetch_commands.run_fetch,
    "update": _locked_update,
    "registers": register_commands.run,
}


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code (2 for unusable input)."""
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except LoaderInputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as exc:
        print(f"error: {one_line(exc)}", file=sys.stderr)
        return EXIT_FAILED
    except MemoryError:
        print(
            f"error: ran out of memory during '{args.command}' (the store, if any, is as it "
            "was); give the process more memory or load fewer files at once",
            file=sys.stderr,
        )
        return EXIT_FAILED
