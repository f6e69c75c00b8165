"""``python -m dashboard [--data DIR] [--host 127.0.0.1] [--port 8050]``: serve a store;
``python -m dashboard brief --store DIR (--department | --buyer | --area) NAME --out
brief.pdf``: print a brief
(:mod:`dashboard.brief_pdf`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dashboard.app import create_app, shared_cache
from dashboard.sample import default_store
from loaders.catalogue.store import open_report
from loaders.catalogue.versions import current_version
from loaders.core.errors import LoaderInputError


def main(argv: list[str] | None = None) -> int:
    """Serve the dashboard on a store (or the bundled sample), or print a brief."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["brief"]:
        from dashboard.brief_pdf import main as brief_main

        return brief_main(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m dashboard", description=__doc__)
    parser.add_argument("--data", type=Path, help="store folder written by 'python -m loaders "
                        "ingest' (default: the bundled sample)")  # fmt: skip
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8050, help="port to listen on (8050)")
    parser.add_argument("--debug", action="store_true", help="Dash debug mode")
    args = parser.parse_args(argv)
    store = args.data or default_store()
    try:
        open_report(store)
    except LoaderInputError as exc:
        print(f"error: {exc}; build one with 'python -m loaders ingest PATH... --out DIR'",
              file=sys.stderr)  # fmt: skip
        return 2
    version = current_version(store)
    print(f"Serving {store} on http://{args.host}:{args.port}/")
    app = create_app(store, shared_cache(version), version)
    app.run(host=args.host, port=args.port, debug=args.debug)
    return 0


if __name__ == "__main__":
    sys.exit(main())
