"""``python -m dashboard brief``: a brief (:mod:`dashboard.pages.brief`) printed to PDF from
the command line.

The app is served on a free port of 127.0.0.1 in this process for the time it takes
headless Chromium to draw the brief and print it (``--print-to-pdf``, no header or footer,
time for the charts to draw); as root, Chromium runs with ``--no-sandbox`` (its sandbox
refuses root). Bad input (no store, a name that names nothing, no Chromium) is one line on
stderr and exit 2.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlencode

from werkzeug.serving import make_server

from dashboard.analytics import brief_subjects  # noqa: F401 - registers departments, buyers, areas
from dashboard.analytics.brief import BRIEF_KINDS
from dashboard.analytics.store import Store
from loaders.catalogue.store import open_report
from loaders.core.errors import LoaderInputError

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "chrome")
TIME_BUDGET_MS = 20000  # virtual time Chromium gives the page to draw before printing
TIMEOUT_S = 180


class BriefError(Exception):
    """Why a brief cannot be printed, in one line."""


def chromium_command(url: str, out: Path, chromium: str, as_root: bool) -> list[str]:
    """The command that prints ``url`` to ``out`` with headless Chromium (``--no-sandbox``
    when running as root)."""
    return [
        chromium, "--headless=new", "--disable-gpu", "--disable-dev-shm-usage",
        "--no-first-run", "--disable-background-networking", "--no-pdf-header-footer",
        f"--virtual-time-budget={TIME_BUDGET_MS}", f"--print-to-pdf={out}",
        *(["--no-sandbox"] if as_root else []), url,
    ]  # fmt: skip


def find_chromium(given: str | None = None) -> str:
    """The Chromium to print with: ``given``, else the first of :data:`CHROMIUM_NAMES` on
    the path; raises :class:`BriefError` when there is none."""
    for name in (given,) if given else CHROMIUM_NAMES:
        found = shutil.which(name) if name else None
        if found:
            return found
    raise BriefError("no Chromium found to print with: install chromium, or pass --chromium")


def brief_path(kind: str, name: str, year: str | None) -> str:
    """The address of the brief of ``name`` (a ``kind`` of :data:`BRIEF_KINDS`)."""
    query = {"name": name, **({"fy": year} if year else {})}
    return f"{BRIEF_KINDS[kind].page}/brief?{urlencode(query)}"


def print_brief(
    store_dir: str | Path,
    kind: str,
    name: str,
    out: str | Path,
    year: str | None = None,
    chromium: str | None = None,
) -> Path:
    """Print the brief of ``name`` to ``out`` (PDF) and return its path; raises
    :class:`BriefError` when the store cannot be read, the name names no ``kind``, or
    Chromium fails."""
    from dashboard.app import create_app

    try:
        open_report(store_dir)
    except LoaderInputError as exc:
        raise BriefError(str(exc)) from exc
    store = Store(store_dir)
    if BRIEF_KINDS[kind].subject(store, name) is None:
        raise BriefError(f"no {kind} matches {name!r} in {store_dir}")
    browser = find_chromium(chromium)
    out = Path(out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no request log on the terminal
    server = make_server("127.0.0.1", 0, create_app(store_dir).server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}{brief_path(kind, name, year)}"
        as_root = hasattr(os, "geteuid") and os.geteuid() == 0
        done = subprocess.run(chromium_command(url, out, browser, as_root), capture_output=True,
                              text=True, timeout=TIMEOUT_S, check=False)  # fmt: skip
    except subprocess.TimeoutExpired as exc:
        raise BriefError(f"Chromium did not finish printing in {TIMEOUT_S} s") from exc
    finally:
        server.shutdown()
    if done.returncode != 0 or not out.is_file() or out.stat().st_size == 0:
        last = (done.stderr or "").strip().splitlines()[-1:] or ["no output"]
        raise BriefError(f"Chromium could not print the brief ({last[0][:200]})")
    return out


def main(argv: list[str] | None = None) -> int:
    """``python -m dashboard brief --store DIR (--department NAME | --buyer NAME | --area
    NAME) [--fy 2013-14] --out brief.pdf``."""
    parser = argparse.ArgumentParser(prog="python -m dashboard brief",
                                     description="Print a one-page brief to PDF.")  # fmt: skip
    parser.add_argument("--store", "--data", dest="store", type=Path, required=True,
                        help="store folder written by 'python -m loaders ingest'")  # fmt: skip
    subject = parser.add_mutually_exclusive_group(required=True)
    for kind in BRIEF_KINDS.values():
        words = f"the {kind.label.lower()} ({kind.named_by})"
        subject.add_argument(f"--{kind.name}", metavar="NAME", help=words)
    parser.add_argument("--fy", help="financial year, such as 2013-14 (default: the latest "
                        "the data hold whole)")  # fmt: skip
    parser.add_argument("--out", type=Path, required=True, help="the PDF to write")
    parser.add_argument("--chromium", help="the Chromium to print with (default: on the path)")
    args = parser.parse_args(argv)
    kind = next(k for k in BRIEF_KINDS if getattr(args, k, None))
    try:
        path = print_brief(args.store, kind, getattr(args, kind), args.out, args.fy,
                           args.chromium)  # fmt: skip
    except BriefError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"Brief written to {path}")
    return 0
