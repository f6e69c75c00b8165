"""Cold ingest of one CCS-style XLSX release, against naive readers of the same file.

Baselines measured in the same run on the same file:

* ``pd.read_excel(engine="openpyxl")``: what a typical script does (read only, no checks);
* ``pd.read_excel(engine="calamine")``: the raw speed of the XLSX parser we use;
* ``loaders.load``: our whole pipeline (read, find header, map, parse, quarantine, infer,
  combine, report).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd

import loaders

HEADER = [
    "Customer URN", "Customer Name", "Customer Sector", "Supplier Name", "SME Status",
    "Framework Number", "Framework Name", "Lot Number", "Lot Name", "Spend Month",
    "Evidenced Spend (ex VAT)",
]  # fmt: skip
SECTORS = ["Central Government", "Local Government", "Health", "Education", "Police"]
FRAMEWORKS = [
    ("RM1557.12", "G-Cloud 12", 2, "Cloud Software"),
    ("RM1557.13", "G-Cloud 13", 3, "Cloud Support"),
    ("RM1043.7", "Digital Outcomes and Specialists 5", 1, "Digital outcomes"),
]


def write_release(path: Path, rows: int, seed: int = 2026) -> Path:
    """A CCS-layout workbook of ``rows`` spend rows (title rows above, Total row below)."""
    rng = np.random.default_rng(seed)
    customers = rng.integers(0, 2000, rows)
    suppliers = rng.integers(0, 800, rows)
    months = rng.integers(0, 36, rows)
    amounts = np.round(rng.lognormal(9, 1.5, rows), 2)
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Spend")
    sheet.append(["Crown Commercial Service"])
    sheet.append(["Digital Marketplace spend: management information"])
    sheet.append(HEADER)
    for i in range(rows):
        number, name, lot_number, lot = FRAMEWORKS[i % 3]
        month = dt.datetime(2021 + int(months[i]) // 12, 1 + int(months[i]) % 12, 1)
        sheet.append([
            10_000_000 + int(customers[i]), f"Body {customers[i]}", SECTORS[customers[i] % 5],
            f"Supplier {suppliers[i]} Ltd", "SME" if suppliers[i] % 2 else "Non-SME",
            number, name, lot_number, lot, month, float(amounts[i]),
        ])  # fmt: skip
    sheet.append(["Total", *[None] * 9, float(amounts.sum())])
    workbook.save(path)
    return path


@dataclass
class Timing:
    """Best wall-clock time of a few runs."""

    name: str
    seconds: float
    rows: int


def best_of(name: str, run: Callable[[], int], repeat: int) -> Timing:
    """Run ``run`` ``repeat`` times and keep the fastest (it returns the rows it read)."""
    best, rows = float("inf"), 0
    for _ in range(repeat):
        start = time.perf_counter()
        rows = run()
        best = min(best, time.perf_counter() - start)
    return Timing(name, best, rows)


def measure(path: Path, repeat: int = 1) -> list[Timing]:
    """Time the baselines and our loader on one release file."""
    return [
        best_of(
            "pd.read_excel(engine='openpyxl') (naive baseline)",
            lambda: len(pd.read_excel(path, engine="openpyxl", skiprows=2)),
            repeat,
        ),
        best_of(
            "pd.read_excel(engine='calamine') (raw parser)",
            lambda: len(pd.read_excel(path, engine="calamine", skiprows=2)),
            repeat,
        ),
        best_of("loaders.load (whole pipeline)", lambda: len(loaders.load(path).spend), repeat),
    ]


def table(size: int, timings: list[Timing]) -> pd.DataFrame:
    """Timings with ratios against the naive baseline."""
    baseline = timings[0].seconds
    return pd.DataFrame(
        {
            "rows": size,
            "method": [t.name for t in timings],
            "seconds": [round(t.seconds, 3) for t in timings],
            "x faster than naive": [round(baseline / t.seconds, 1) for t in timings],
            "rows per second": [int(size / t.seconds) for t in timings],
        }
    )
