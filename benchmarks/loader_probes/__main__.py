"""``python -m benchmarks.loader_probes [--folder DIR]``: run the loaders' hostile probes and
print the table; exit 1 if any probe did not give what it must."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from benchmarks.loader_probes import run_all, table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.loader_probes")
    parser.add_argument("--folder", type=Path, help="scratch folder (default: a temporary one)")
    args = parser.parse_args(argv)
    rows = run_all(args.folder)
    print(table(rows))
    return 0 if all(r["ok"] == "yes" for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
