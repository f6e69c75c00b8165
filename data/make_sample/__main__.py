"""``python -m data.make_sample [OUT_DIR] [--sources DIR]``: regenerate the SYNTHETIC
sample (default ``data/sample``, from ``data/sample_sources``) and print each file's size."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from data.make_sample.generate import main
from data.make_sample.typed_csv import SourceError


def run(argv: list[str] | None = None) -> int:
    """Parse the command line, write the sample, print sizes; 2 on a bad source table."""
    parser = argparse.ArgumentParser(
        prog="python -m data.make_sample", description="Regenerate the SYNTHETIC sample."
    )
    parser.add_argument("out_dir", nargs="?", type=Path, help="folder to write (data/sample)")
    parser.add_argument(
        "--sources", type=Path, help="folder of source tables (data/sample_sources)"
    )
    args = parser.parse_args(argv)
    try:
        written = main(args.out_dir, sources_dir=args.sources)
    except SourceError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for path in written:
        print(f"{path.stat().st_size:>10,}  {path}")
    return 0


if __name__ == "__main__":
    sys.exit(run())
