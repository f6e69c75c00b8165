"""The register table as the rest of the project reads it: bodies, their registers and groups,
and which bodies existed in a period.

A body exists in a period when it started on or before the period's last day (or its start
is not published) and ended on or after the period's first day (or has not ended). A body
whose end is not published (GOV.UK organisations closed without a date) exists in no period:
it is never in a denominator, though spend can still be matched to it.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from loaders.bodies.registers.build import BODIES_FILE, REGISTERS_DIR
from loaders.core.errors import LoaderInputError


@dataclass(frozen=True)
class Register:
    """One register: its code, the adoption group it defines, and what it holds."""

    code: str
    group: str
    label: str
    alt_name_pattern: str
    fuzzy_on_forms: bool  # near names may match its name forms (not only its own names)
    description: str


def read_register_list(folder: Path = REGISTERS_DIR) -> tuple[Register, ...]:
    """The registers of ``registers.csv``, in its order (the order groups are shown in)."""
    with (folder / "registers.csv").open(encoding="utf-8", newline="") as handle:
        return tuple(
            Register(code=r["register"], group=r["group"], label=r["label"],
                     alt_name_pattern=r["alt_name_pattern"],
                     fuzzy_on_forms=r["fuzzy_on_forms"] == "yes", description=r["description"])
            for r in csv.DictReader(handle)
        )  # fmt: skip


def read_register_bodies(path: Path = REGISTERS_DIR / BODIES_FILE) -> pd.DataFrame:
    """Every register body (``bodies.csv``): text columns as text (``""`` when not given),
    ``start_date`` and ``end_date`` as dates (``NaT`` when not given), ``group`` from
    ``registers.csv``. Raises :class:`LoaderInputError` if the file is missing or unreadable."""
    try:
        bodies = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, ValueError) as exc:
        raise LoaderInputError(path, f"cannot read the register table ({exc}); rebuild it "
                               "with: python -m loaders registers build") from exc  # fmt: skip
    for column in ("start_date", "end_date"):
        bodies[column] = pd.to_datetime(bodies[column].replace("", None), format="%Y-%m-%d")
    groups = {r.code: r.group for r in read_register_list(Path(path).parent)}
    bodies["group"] = bodies["register"].map(groups).fillna("")
    return bodies


def existing_between(bodies: pd.DataFrame, first: dt.date, last: dt.date) -> np.ndarray:
    """Boolean mask: which bodies existed on some day from ``first`` to ``last`` (inclusive)."""
    start, end = pd.Timestamp(first), pd.Timestamp(last)
    started = bodies["start_date"].isna() | (bodies["start_date"] <= end)
    not_ended = bodies["end_date"].isna() | (bodies["end_date"] >= start)
    known = bodies["end_date_unknown"].ne("yes")
    return (started & not_ended & known).to_numpy()


def register_counts(bodies: pd.DataFrame, first: dt.date, last: dt.date) -> pd.DataFrame:
    """Bodies existing from ``first`` to ``last`` per register and organisation type
    (``register``, ``organisation_type``, ``bodies``), in register order."""
    alive = bodies[existing_between(bodies, first, last)]
    counts = alive.groupby(["register", "organisation_type"]).size().rename("bodies")
    return counts.reset_index()


def filter_values(bodies: pd.DataFrame) -> dict[str, list[str]]:
    """The values links may give the register filters (``type``, ``group``, ``region``,
    ``combined_authority``: codes and names of combined authorities), sorted."""
    authorities = bodies[bodies["register"].eq("combined-authority")]

    def used(column: str) -> list[str]:
        return sorted(set(bodies[column]) - {""})

    return {
        "organisation_type": used("organisation_type"),
        "adoption_group": used("group"),
        "region": used("region"),
        "combined_authority": sorted(set(authorities["code"]) | set(authorities["name"])),
    }
