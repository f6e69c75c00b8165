"""The Performance Platform's view: spend added up since each framework's launch, and the
government's aspiration for the share of its spend with SMEs.

Both come with their sources, in ``data/reference/``:

- ``sme_targets.csv``: each aspiration (``target_pct``, the month it was announced, its
  deadline, what it covers and how it is measured, and where it was published). The
  aspirations cover all central government procurement, directly and through supply chains;
  the app's SME shares are of spend through these frameworks only, so the line is a
  yardstick, not the same measure (the charts say so);
- ``framework_launches.csv``: the month each framework was launched, with its source.

Pure functions: frames in, frames out (pounds ex VAT, shares in percent).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.analytics.counting import codes_of, dated, frame_of, month_numbers_of
from loaders.core import periods
from loaders.core.vocabulary import REFERENCE_DIR

TARGETS_FILE = REFERENCE_DIR / "sme_targets.csv"
LAUNCHES_FILE = REFERENCE_DIR / "framework_launches.csv"


@dataclass(frozen=True)
class SmeTarget:
    """One published aspiration for the share of government spend with SMEs."""

    target_pct: float
    in_force_from: pd.Timestamp
    deadline: int
    scope: str
    measure: str
    source_title: str
    source_publisher: str
    source_date: str
    source_url: str
    note: str

    @property
    def words(self) -> str:
        """``33% by 2022``."""
        return f"{self.target_pct:g}% by {self.deadline}"


@lru_cache(maxsize=2)
def read_sme_targets(path: Path = TARGETS_FILE) -> tuple[SmeTarget, ...]:
    """The aspirations of ``sme_targets.csv``, oldest first; raises ``ValueError`` naming a
    row with an unreadable percentage or month."""
    targets = []
    with Path(path).open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            try:
                pct, start = float(row["target_pct"]), periods.month_start(row["in_force_from"])
                deadline = int(row["deadline"])
            except (TypeError, ValueError) as exc:
                raise ValueError(f"{path}, row {number}: {exc}") from exc
            text = {k: row[k] for k in ("scope", "measure", "source_title", "source_publisher",
                                        "source_date", "source_url", "note")}  # fmt: skip
            targets.append(SmeTarget(pct, start, deadline, **text))
    return tuple(sorted(targets, key=lambda t: t.in_force_from))


def target_in_force(month: pd.Timestamp, targets: Sequence[SmeTarget]) -> SmeTarget | None:
    """The aspiration in force in ``month`` (the latest announced by then), if any."""
    found = [t for t in targets if t.in_force_from <= month]
    return found[-1] if found else None


def _last_month(label: str) -> pd.Timestamp:
    if periods.is_fy_label(label):
        return periods.fy_range(label)[1]
    if periods.is_quarter_label(label):
        return periods.quarter_range(label)[1]
    return periods.month_start(label)


def targets_by_period(labels: Sequence[str], targets: Sequence[SmeTarget]) -> list[float]:
    """The aspiration (%) in force at the end of each period (``YYYY-MM``, a financial
    quarter or a financial year), NaN where none was."""
    found = [target_in_force(_last_month(str(label)), targets) for label in labels]
    return [np.nan if t is None else t.target_pct for t in found]


@lru_cache(maxsize=2)
def read_launches(path: Path = LAUNCHES_FILE) -> dict[str, pd.Timestamp]:
    """Framework -> the month it was launched (``framework_launches.csv``)."""
    with Path(path).open(encoding="utf-8", newline="") as handle:
        return {row["framework"]: periods.month_start(row["launched"])
                for row in csv.DictReader(handle)}  # fmt: skip


def cumulative_since_launch(
    lines: pd.DataFrame,
    launches: dict[str, pd.Timestamp],
    until: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Spend per framework and month, and its running total from the framework's first
    month of spend in ``lines`` (monthly spend lines over all time) to ``until`` (the last
    month in view; default the last month of ``lines``), every month present.

    Columns: ``month`` (``YYYY-MM``), ``framework``, ``launched`` (``YYYY-MM`` from the
    reference table, or empty), ``spend_gbp``, ``cumulative_gbp``.
    """
    columns = ["month", "framework", "launched", "spend_gbp", "cumulative_gbp"]
    lines = dated(lines)  # a line of no month is in no month's total
    if lines.empty:
        return pd.DataFrame(columns=columns)
    # on codes: framework by month numbers, summed with one count (no pandas group-by)
    codes, frameworks = codes_of(lines["framework"])  # the last code: no framework
    months = month_numbers_of(lines)
    last = int(periods.month_numbers([until])[0]) if until is not None else int(months.max())
    low = int(months.min())
    span = max(int(months.max()), last) - low + 1
    named = codes < len(frameworks) - 1
    cells = codes[named] * span + (months[named] - low)
    size = (len(frameworks) - 1) * span
    amounts = lines["spend_gbp"].to_numpy(dtype="float64")[named]
    sums = np.bincount(cells, weights=amounts, minlength=size).reshape(-1, span)
    seen = np.bincount(cells, minlength=size).reshape(-1, span) > 0
    parts = []
    for framework, spend, present in zip(frameworks[:-1], sums, seen, strict=True):
        start = int(np.argmax(present))  # the framework's first month with a line
        if not present[start] or start > last - low:
            continue
        monthly = spend[start : last - low + 1]
        launched = launches.get(str(framework))
        parts.append(frame_of({
            "month": np.array([periods.label_of_month_number(low + start + i)
                               for i in range(len(monthly))], dtype=object),
            "framework": np.full(len(monthly), str(framework), dtype=object),
            "launched": np.full(len(monthly), launched.strftime("%Y-%m")
                                if launched is not None else "", dtype=object),
            "spend_gbp": monthly,
            "cumulative_gbp": np.cumsum(monthly),
        }))  # fmt: skip
    if not parts:
        return pd.DataFrame(columns=columns)
    return pd.concat(parts, ignore_index=True)[columns]
