"""A trivial source for the test of adding one: ``*.tally.csv`` files of two columns
(``label,count``) into a table of its own, declared beside it (``tables.csv``, ``fields.csv``).

Everything a source needs is in this folder; registering it is one line (the ``sources``
given to :func:`loaders.load`, as :data:`loaders.sources.registry.SOURCES` lists them).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from loaders.catalogue import read_declarations
from loaders.core.errors import LoaderInputError
from loaders.sources.base import LoadContext, Source, SourceLoad

TABLES = read_declarations(Path(__file__).parent)


def claims(path: Path) -> bool:
    return path.name.lower().endswith(".tally.csv")


def load(paths: list[Path], context: LoadContext) -> SourceLoad:
    rows = []
    for path in paths:
        with path.open(encoding="utf-8", newline="") as handle:
            for number, row in enumerate(csv.DictReader(handle), start=2):
                if not row.get("count", "").strip().isdigit():
                    raise LoaderInputError(path, "not a count", row=number, column="count")
                rows.append({"label": row["label"], "count": int(row["count"]),
                             "source_file": str(path)})  # fmt: skip
    table = TABLES["tallies"]
    frame = table.typed(pd.DataFrame(rows)) if rows else table.empty()
    report = {"files": [{"file": str(p)} for p in paths], "lines": len(rows)}
    return SourceLoad({"tallies": frame}, report)


def describe(section: dict) -> list[str]:
    return [f"Tallies: {section['lines']} line(s) from {len(section['files'])} file(s)."]


SOURCE = Source(
    name="tallies",
    claims=claims,
    load=load,
    tables=TABLES,
    report_key="tallies",
    describe=describe,
)
