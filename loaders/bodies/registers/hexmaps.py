"""Hex cartograms of the UK's local authority districts (Open Innovations' HexJSON layouts,
``data/reference/maps/``, listed with URL, date, licence and hash in ``hexmaps.csv``).

Each layout draws the districts of one year, one hex per district keyed by its GSS code.
:func:`layout_for` picks the layout in force on the last day of a period;
:func:`council_hexes` places the principal councils of a period on it (by GSS code, or a
former GSS code the register lists). County councils are not districts: they are not drawn
(the table beside the map lists them), nor are councils the layout does not show (the 26
Northern Irish councils before April 2015).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from loaders.bodies.registers.publishers import ALT_SEPARATOR
from loaders.core.errors import LoaderInputError
from loaders.core.vocabulary import REFERENCE_DIR

MAPS_DIR = REFERENCE_DIR / "maps"
HEX_COLUMNS = ["gss_code", "hex_name", "q", "r"]


@dataclass(frozen=True)
class HexLayout:
    """One HexJSON layout: its file, the first day it is used for, where it came from."""

    file: str
    first_day: dt.date
    layout_of: str
    url: str
    licence: str
    sha256: str


def read_layouts(folder: Path = MAPS_DIR) -> tuple[HexLayout, ...]:
    """The layouts of ``hexmaps.csv``, oldest first."""
    with (folder / "hexmaps.csv").open(encoding="utf-8", newline="") as handle:
        rows = [
            HexLayout(file=r["file"], first_day=dt.date.fromisoformat(r["first_day"]),
                      layout_of=r["layout_of"], url=r["url"], licence=r["licence"],
                      sha256=r["sha256"])
            for r in csv.DictReader(handle)
        ]  # fmt: skip
    return tuple(sorted(rows, key=lambda layout: layout.first_day))


def layout_for(last_day: dt.date, folder: Path = MAPS_DIR) -> HexLayout:
    """The layout in force on ``last_day`` (the oldest one before any is)."""
    layouts = read_layouts(folder)
    current = [layout for layout in layouts if layout.first_day <= last_day]
    return current[-1] if current else layouts[0]


def read_hexes(layout: HexLayout, folder: Path = MAPS_DIR) -> tuple[str, pd.DataFrame]:
    """The layout's offset kind (``odd-r``...) and its hexes (:data:`HEX_COLUMNS`). Raises
    :class:`LoaderInputError` if the file changed since its hash was recorded or is not
    HexJSON."""
    path = folder / layout.file
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != layout.sha256:
        raise LoaderInputError(path, "differs from the file recorded in hexmaps.csv (sha256)")
    try:
        document = json.loads(data)
        hexes = [(code, str(h.get("n") or h.get("name") or code), int(h["q"]), int(h["r"]))
                 for code, h in document["hexes"].items()]  # fmt: skip
    except (ValueError, KeyError, TypeError) as exc:
        raise LoaderInputError(path, f"is not a HexJSON layout ({exc})") from exc
    return str(document.get("layout", "odd-r")), pd.DataFrame(hexes, columns=HEX_COLUMNS)


def council_hexes(councils: pd.DataFrame, hexes: pd.DataFrame) -> pd.DataFrame:
    """The hex of each council of ``councils`` (register rows with ``gss_code`` and
    ``former_gss_codes``) that the layout draws: ``councils``' columns with ``q``, ``r``
    and ``hex_name``; councils with no hex are left out (see :func:`not_drawn`)."""
    codes = councils[["register", "code", "gss_code", "former_gss_codes"]].copy()
    codes["all_codes"] = [
        [g, *f.split(ALT_SEPARATOR)] if f else [g]
        for g, f in zip(codes["gss_code"], codes["former_gss_codes"], strict=True)
    ]
    keyed = codes.explode("all_codes")
    placed = keyed.merge(hexes, left_on="all_codes", right_on="gss_code",
                         suffixes=("", "_hex"))  # fmt: skip
    placed = placed.drop_duplicates(["register", "code"])[["register", "code", "hex_name",
                                                           "q", "r"]]  # fmt: skip
    return councils.merge(placed, on=["register", "code"])


def not_drawn(councils: pd.DataFrame, placed: pd.DataFrame) -> pd.DataFrame:
    """The councils of ``councils`` that :func:`council_hexes` could not place."""
    drawn = set(zip(placed["register"], placed["code"], strict=True))
    keep = [(r, c) not in drawn for r, c in zip(councils["register"], councils["code"],
                                                strict=True)]  # fmt: skip
    return councils[np.asarray(keep, dtype=bool)]
