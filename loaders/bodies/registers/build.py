"""Build ``data/reference/registers/bodies.csv`` from the publishers' files.

``python -m loaders registers build`` reads every file listed in
``data/reference/registers/sources.csv`` with its reader (:data:`publishers.READERS`),
after checking its SHA-256 against the one recorded there (a changed file stops the build:
check it, then record its new hash, date and licence). A body without a stem gets one from
``stems.csv`` (its name less the kind of body). Then, in order:

1. ``corrections.csv``: publisher values known to be wrong, each with its source;
2. ``additions.csv``: bodies the publishers' files lack (Police Scotland, the Welsh, Scottish
   and Northern Irish fire and rescue services, bodies merged away), each with its source;
3. ``exclusions.csv``: bodies a publisher lists that belong to another register;
4. ``aliases.csv``: other names of register bodies (statutory names of authorities);
5. ``areas.csv``: nation and region of police forces and fire and rescue services (English
   regions are made of whole police and fire areas);
6. a council abolished in a reorganisation takes the region of its successors when the
   publisher gives none, and an end date equal to its successors' start date (the vesting
   day, as some publishers write it) becomes the day before: end dates are last days.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from loaders.bodies.registers.publishers import ALT_SEPARATOR, COLUMNS, READERS
from loaders.core.errors import LoaderInputError
from loaders.core.vocabulary import REFERENCE_DIR

REGISTERS_DIR = REFERENCE_DIR / "registers"
BODIES_FILE = "bodies.csv"


@dataclass(frozen=True)
class Source:
    """One publisher file: where it came from, its licence and the hash it was recorded with."""

    file: str
    reader: str
    role: str  # "bodies", or "former names": older names of bodies another file gives
    registers: tuple[str, ...]
    publisher: str
    url: str
    published: str
    licence: str
    sha256: str


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def read_sources(folder: Path = REGISTERS_DIR) -> tuple[Source, ...]:
    """The publisher files of ``sources.csv``."""
    return tuple(
        Source(file=r["file"], reader=r["reader"], role=r["role"],
               registers=tuple(r["registers"].split()), publisher=r["publisher"], url=r["url"],
               published=r["published"], licence=r["licence"], sha256=r["sha256"])
        for r in _rows(folder / "sources.csv")
    )  # fmt: skip


def sha256_of(path: Path) -> str:
    """SHA-256 of a file's bytes, hex."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _read_source(source: Source, folder: Path) -> pd.DataFrame:
    path = folder / source.file
    if not path.is_file():
        raise LoaderInputError(path, "publisher file listed in sources.csv is missing")
    if sha256_of(path) != source.sha256:
        raise LoaderInputError(
            path,
            "differs from the file recorded in sources.csv (sha256): check it, then record "
            "its hash, publication date and licence there",
        )
    if source.reader not in READERS:
        raise LoaderInputError(folder / "sources.csv", f"unknown reader {source.reader!r}")
    return READERS[source.reader](path, folder).assign(source=source.file)


def _key(frame: pd.DataFrame) -> pd.Series:
    return frame["register"] + ":" + frame["code"]


def _apply_corrections(bodies: pd.DataFrame, folder: Path) -> pd.DataFrame:
    keys = _key(bodies)
    for number, row in enumerate(_rows(folder / "corrections.csv"), start=2):
        where = keys.eq(f"{row['register']}:{row['code']}")
        if not where.any() or row["field"] not in COLUMNS:
            raise LoaderInputError(folder / "corrections.csv", "names no register body or "
                                   "column", row=number)  # fmt: skip
        bodies.loc[where, row["field"]] = row["value"]
    return bodies


def _additions(folder: Path) -> pd.DataFrame:
    frame = pd.read_csv(folder / "additions.csv", dtype=str, keep_default_na=False)
    frame = frame.drop(columns="source").assign(source="additions.csv")
    return frame.reindex(columns=[*COLUMNS, "source"]).astype(object).fillna("")


def _apply_former_names(bodies: pd.DataFrame, older: pd.DataFrame) -> pd.DataFrame:
    """Names an older file gives the same bodies (same register and code), as alternative
    names when they differ from the current name."""
    names = older.drop_duplicates(["register", "code"]).set_index(_key(older))["name"]
    keys = _key(bodies)
    former = keys.map(names).fillna("")
    add = former.ne("") & former.str.casefold().ne(bodies["name"].str.casefold())
    bodies.loc[add, "alt_names"] = [
        ALT_SEPARATOR.join(x for x in (alt, name) if x)
        for alt, name in zip(bodies.loc[add, "alt_names"], former[add], strict=True)
    ]
    return bodies


def _apply_exclusions(bodies: pd.DataFrame, folder: Path) -> pd.DataFrame:
    excluded = {f"{r['register']}:{r['code']}" for r in _rows(folder / "exclusions.csv")}
    unknown = excluded - set(_key(bodies))
    if unknown:
        raise LoaderInputError(folder / "exclusions.csv", f"names no register body: "
                               f"{sorted(unknown)[0]}")  # fmt: skip
    return bodies[~_key(bodies).isin(excluded)].reset_index(drop=True)


def _apply_aliases(bodies: pd.DataFrame, folder: Path) -> pd.DataFrame:
    keys = _key(bodies)
    for number, row in enumerate(_rows(folder / "aliases.csv"), start=2):
        where = keys.eq(f"{row['register']}:{row['code']}")
        if not where.any():
            raise LoaderInputError(folder / "aliases.csv", "names no register body", row=number)
        alt = bodies.loc[where, "aliases"]
        bodies.loc[where, "aliases"] = alt.map(
            lambda a, n=row["name"]: ALT_SEPARATOR.join(x for x in (a, n) if x)
        )
    return bodies


def _apply_areas(bodies: pd.DataFrame, folder: Path) -> pd.DataFrame:
    areas = {f"{r['register']}:{r['code']}": r for r in _rows(folder / "areas.csv")}
    for position, key in zip(bodies.index, _key(bodies), strict=True):
        if key in areas and not bodies.loc[position, "region"]:
            bodies.loc[position, "nation"] = areas[key]["nation"]
            bodies.loc[position, "region"] = areas[key]["region"]
    return bodies


def _successors(bodies: pd.DataFrame, position: int) -> pd.DataFrame:
    codes = [c for c in bodies.loc[position, "replaced_by"].split(ALT_SEPARATOR) if c]
    same = bodies["register"].eq(bodies.loc[position, "register"])
    return bodies[same & bodies["code"].isin(codes)]


def _day_before(date: str) -> str:
    return (dt.date.fromisoformat(date) - dt.timedelta(days=1)).isoformat()


def _apply_successors(bodies: pd.DataFrame) -> pd.DataFrame:
    """Regions and last days of bodies abolished in a reorganisation, from their successors."""
    for position in bodies.index[bodies["replaced_by"].ne("")]:
        successors = _successors(bodies, position)
        regions = set(successors["region"]) - {""}
        if not bodies.loc[position, "region"] and len(regions) == 1:
            bodies.loc[position, "region"] = regions.pop()
        starts = set(successors["start_date"]) - {""}
        if bodies.loc[position, "end_date"] in starts:
            bodies.loc[position, "end_date"] = _day_before(bodies.loc[position, "end_date"])
    return bodies


def _stem_of(name: str, pattern: re.Pattern[str]) -> str:
    return pattern.sub("", name).strip() if pattern.search(name) else ""


def _apply_stems(bodies: pd.DataFrame, folder: Path) -> pd.DataFrame:
    """Stems of bodies that have none, from their name and their alternative names (an NHS
    trust renamed since keeps the stem of its former name too), ``|``-separated."""
    for row in _rows(folder / "stems.csv"):
        pattern = re.compile(row["pattern"], re.IGNORECASE)
        todo = bodies.index[bodies["register"].eq(row["register"]) & bodies["stem"].eq("")]
        for position in todo:
            names = [bodies.loc[position, "name"],
                     *bodies.loc[position, "alt_names"].split(ALT_SEPARATOR)]  # fmt: skip
            stems = dict.fromkeys(_stem_of(n, pattern) for n in names if n)
            bodies.loc[position, "stem"] = ALT_SEPARATOR.join(s for s in stems if s)
    return bodies


def _check(bodies: pd.DataFrame, folder: Path) -> None:
    duplicated = _key(bodies)[_key(bodies).duplicated()]
    if not duplicated.empty:
        raise LoaderInputError(folder, f"register body {duplicated.iloc[0]!r} is listed twice")
    for column in ("start_date", "end_date"):
        dates = bodies[column][bodies[column].ne("")]
        bad = dates[pd.to_datetime(dates, format="%Y-%m-%d", errors="coerce").isna()]
        if not bad.empty:
            raise LoaderInputError(folder, f"{_key(bodies)[bad.index[0]]}: {column} "
                                   f"{bad.iloc[0]!r} is not YYYY-MM-DD")  # fmt: skip


def build_registers(folder: Path = REGISTERS_DIR) -> pd.DataFrame:
    """Every register body, built from the publishers' files and the hand-kept corrections,
    additions, aliases and areas (each with its source); sorted by register and code.
    Raises :class:`LoaderInputError` naming the file for a changed, missing or unreadable
    publisher file or a bad hand-kept row."""
    sources = read_sources(folder)
    parts = [_read_source(s, folder) for s in sources if s.role == "bodies"]
    bodies = pd.concat(parts, ignore_index=True).reindex(columns=[*COLUMNS, "source"])
    bodies = bodies.astype(object)
    for older in (s for s in sources if s.role == "former names"):
        bodies = _apply_former_names(bodies.fillna(""), _read_source(older, folder))
    bodies = _apply_stems(bodies.fillna(""), folder)
    bodies = _apply_corrections(bodies, folder)
    bodies = pd.concat([bodies, _additions(folder)], ignore_index=True)
    bodies = _apply_exclusions(bodies, folder)
    bodies = _apply_aliases(bodies, folder)
    bodies = _apply_areas(bodies, folder)
    bodies = _apply_successors(bodies)
    _check(bodies, folder)
    return bodies.sort_values(["register", "code"], ignore_index=True)


def write_registers(bodies: pd.DataFrame, folder: Path = REGISTERS_DIR) -> Path:
    """Write the register table to ``bodies.csv`` in ``folder``; returns its path."""
    target = folder / BODIES_FILE
    bodies.to_csv(target, index=False, lineterminator="\n")
    return target
