"""``python -m loaders registers build | counts | match``: build the register table from the
publishers' files, print its counts for a financial year, and match a customer list (and a
store's buyers) to it with a report of how."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

import pandas as pd

from loaders.bodies.customer_list import read_customer_list
from loaders.bodies.registers.build import REGISTERS_DIR, build_registers, write_registers
from loaders.bodies.registers.matching import match_loaded, match_summary
from loaders.bodies.registers.names import ambiguous_keys, name_index
from loaders.bodies.registers.table import read_register_bodies, register_counts
from loaders.catalogue.store import read_table
from loaders.core import periods
from loaders.core.errors import LoaderInputError
from loaders.core.vocabulary import load_vocabulary


def add_parser(commands) -> None:
    """Add the ``registers`` command and its three subcommands to the command line."""
    registers = commands.add_parser("registers", help="public registers of the bodies that "
                                    "could buy: build, count, match")  # fmt: skip
    sub = registers.add_subparsers(dest="registers_command", required=True)
    build = sub.add_parser("build", help="rebuild data/reference/registers/bodies.csv from the "
                           "publishers' files listed in sources.csv")  # fmt: skip
    build.add_argument("--folder", type=Path, default=REGISTERS_DIR, metavar="DIR")
    counts = sub.add_parser("counts", help="bodies existing in a financial year, per register "
                            "and type")  # fmt: skip
    counts.add_argument("--year", required=True, metavar="FY", help="financial year, e.g. 2014-15")
    match = sub.add_parser("match", help="match a customer list (and a store's buyers) to the "
                           "registers and write the match report")  # fmt: skip
    match.add_argument("--customers", required=True, type=Path, metavar="FILE")
    match.add_argument("--store", type=Path, metavar="DIR", help="store whose buyers to match")
    match.add_argument("--out", required=True, type=Path, metavar="CSV", help="match report")


def _year(label: str) -> tuple[dt.date, dt.date]:
    start = periods.fy_start_year(label)
    if start is None:
        raise LoaderInputError(Path(label), "is not a financial year such as 2014-15")
    return dt.date(start, 4, 1), dt.date(start + 1, 3, 31)


def _build(args: argparse.Namespace) -> int:
    bodies = build_registers(args.folder)
    target = write_registers(bodies, args.folder)
    counts = bodies.groupby("register").size()
    print(f"Wrote {len(bodies):,} register bodies to {target}: "
          + ", ".join(f"{r} {n:,}" for r, n in counts.items()))  # fmt: skip
    return 0


def _counts(args: argparse.Namespace) -> int:
    first, last = _year(args.year)
    table = register_counts(read_register_bodies(), first, last)
    print(f"Register bodies existing in {args.year} ({first} to {last}):")
    print(table.to_string(index=False))
    totals = table.groupby("register")["bodies"].sum()
    print("Totals: " + ", ".join(f"{r} {n:,}" for r, n in totals.items()))
    return 0


def _read_store(store: Path) -> dict[str, pd.DataFrame]:
    try:
        return {name: read_table(store, name) for name in ("spend", "matches", "customer_names")}
    except (OSError, ValueError, KeyError) as exc:
        raise LoaderInputError(store, f"cannot read the store's buyers ({exc})") from exc


_NO_STORE = {
    "spend": pd.DataFrame(columns=["customer_key", "customer"]),
    "matches": pd.DataFrame(columns=["kind", "published_name", "body_key"]),
}


def _match(args: argparse.Namespace) -> int:
    vocab = load_vocabulary()
    customers = read_customer_list(args.customers, vocab)
    bodies = read_register_bodies()
    store = _read_store(args.store) if args.store else _NO_STORE
    list_matches, buyer_matches = match_loaded(
        store["spend"], store["matches"], customers.bodies, customers.names, bodies, vocab
    )
    report = pd.concat(
        [
            list_matches.assign(source="customer list", key=list_matches["urn"].astype(str)),
            buyer_matches.assign(source="buyer", key=buyer_matches["customer_key"],
                                 name=buyer_matches["customer"]),
        ],
        ignore_index=True,
    )  # fmt: skip
    report = report[["source", "key", "name", "register", "code", "how", "matched_name"]]
    report.to_csv(args.out, index=False, lineterminator="\n")
    ambiguous = ambiguous_keys(name_index(bodies, vocab))["key"].nunique()
    print(
        f"{len(list_matches):,} of {len(customers.bodies):,} customer-list bodies and "
        f"{len(buyer_matches):,} buyers matched to a register body; {ambiguous:,} ambiguous "
        "name keys left out"
    )
    print(match_summary(report).to_string(index=False))
    print(f"Match report written to {args.out}")
    return 0


SUBCOMMANDS = {"build": _build, "counts": _counts, "match": _match}


def run(args: argparse.Namespace) -> int:
    """Run a ``registers`` subcommand; returns the exit code."""
    return SUBCOMMANDS[args.registers_command](args)
