"""The ``fetch`` and ``update`` commands of ``python -m loaders`` (parsed in :mod:`loaders.cli`).

``--quiet`` turns the progress bars off and prints only when something changed or failed,
so that a scheduler's mail means something happened.
"""

from __future__ import annotations

import argparse
import datetime as dt

from loaders.changes import describe_changes
from loaders.fetch.client import FetchSettings
from loaders.update.run import fetch, read_sources
from loaders.update.update import CHANGES_FILE, update


def parse_since(text: str) -> dt.datetime:
    """``--since``: a date (``2025-01-31``) or date and time, taken as UTC."""
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from exc
    return moment.astimezone(dt.UTC).replace(tzinfo=None) if moment.tzinfo else moment


def run_fetch(args: argparse.Namespace) -> int:
    """``python -m loaders fetch``: exit 2 when a link was refused, else 0."""
    summary = fetch(
        read_sources(args.sources),
        args.into,
        since=args.since,
        settings=FetchSettings(delay=args.delay),
        progress=not args.quiet,
    )
    if not args.quiet or summary.anything_new or summary.refused:
        print(summary.describe())
    return summary.exit_code


def run_update(args: argparse.Namespace) -> int:
    """``python -m loaders update``: exit 2 when a link was refused, else 0. Unusable input
    raises :class:`~loaders.core.errors.LoaderInputError` (the CLI prints it and exits 2)."""
    outcome = update(
        read_sources(args.sources),
        args.into,
        args.out,
        customers=args.customers,
        framework=args.framework,
        since=args.since,
        settings=FetchSettings(delay=args.delay),
        progress=not args.quiet,
        keep=args.keep,
    )
    summary = outcome.fetch
    if outcome.changes is None:
        if not args.quiet or summary.refused:
            print(summary.describe())
            print("nothing new")
        return outcome.exit_code
    print(summary.describe())
    if outcome.ingest_note:
        print(outcome.ingest_note)
    print(f"Store {args.out} updated; what changed ({args.out / CHANGES_FILE}):")
    print(describe_changes(outcome.changes))
    return outcome.exit_code
