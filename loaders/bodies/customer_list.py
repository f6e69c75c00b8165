"""Read a CCS customer list (the Customer URN list): every body that may buy, with its sector.

The 2016 list has ``URN, Organisation Name, ..., Sector, Organisation Type`` and sheets of
merges and name changes (former names of a URN) and of bodies made inactive (names of URNs no
longer in the live list); later lists use ``URN, CustomerName, Acronym, ..., Sector,
Subsector, Active`` with only two sector values and the detail in ``Subsector``. Header
spellings are in ``data/reference/customer_list_aliases.csv``.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from loaders.core import normalise
from loaders.core.errors import LoaderInputError
from loaders.core.parsing import clean_name, is_excel_error, map_unique
from loaders.core.spreadsheets import Sheet, iter_sheets
from loaders.core.vocabulary import Vocabulary, simplify

HEADER_SCAN_ROWS = 20
# The 2016 list gives many councils no type but their region, as "Region: South East".
_REGION_AS_TYPE = re.compile(r"^\s*region\s*:\s*(?P<region>.+?)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class CustomerList:
    """Bodies by URN, and every name (current and former) pointing at a URN."""

    path: Path
    bodies: pd.DataFrame  # urn, name, sector, organisation_type, active, region, county, acronym
    names: pd.DataFrame  # name_key, urn, how (current name / Name Changes / Merges / Inactive)

    def sector_by_urn(self) -> pd.Series:
        """Canonical sector of each URN (index), where the list gives one."""
        return self.bodies.set_index("urn")["sector"].dropna()

    def sector_by_name_key(self) -> pd.Series:
        """Sector for each name key that points at bodies of one sector only."""
        joined = self.names.merge(self.bodies[["urn", "sector"]], on="urn").dropna(
            subset=["sector"]
        )
        sectors = joined.groupby("name_key")["sector"].agg(lambda s: sorted(set(s)))
        unique = sectors[sectors.map(len) == 1]
        return unique.map(lambda s: s[0])


def _aliases(vocab: Vocabulary) -> dict[str, str]:
    path = vocab.source_dir / "customer_list_aliases.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return {simplify(r["alias"]): r["field"] for r in csv.DictReader(handle)}


def _header(sheet: Sheet, aliases: dict[str, str]) -> tuple[int, dict[str, int]] | None:
    for index, row in enumerate(sheet.rows[:HEADER_SCAN_ROWS]):
        columns: dict[str, int] = {}
        for position, cell in enumerate(row):
            field = aliases.get(simplify(cell))
            if field and field not in columns:
                columns[field] = position
        if {"urn", "name", "sector"} <= columns.keys():
            return index, columns
    return None


def _cells(rows: list[list[object]], position: int | None) -> list[object]:
    """The cells of one column; Excel error values (``#N/A``) read as empty."""
    if position is None:
        return [""] * len(rows)
    cells = [row[position] if position < len(row) else "" for row in rows]
    return ["" if is_excel_error(cell) else cell for cell in cells]


def _urn(value: object) -> int | None:
    text = clean_name(value)
    text = text[:-2] if text.endswith(".0") else text
    return int(text) if text.isdigit() else None


def _sector(sector: object, subsector: object, vocab: Vocabulary) -> str | None:
    detail = normalise.canonical_sector(subsector, vocab)
    return detail or normalise.canonical_sector(sector, vocab)


def _bodies(sheet: Sheet, header: int, columns: dict[str, int], vocab) -> pd.DataFrame:
    rows = [r for r in sheet.rows[header + 1 :] if any(str(c).strip() for c in r)]
    frame = pd.DataFrame(
        {
            field: _cells(rows, columns.get(field))
            for field in (
                "urn",
                "name",
                "sector",
                "subsector",
                "organisation_type",
                "active",
                "region",
                "county",
                "acronym",
            )  # fmt: skip
        }
    )
    frame["urn"] = pd.array(map_unique(frame["urn"], _urn), dtype="Int64")
    frame["name"] = map_unique(frame["name"], clean_name)
    frame["sector"] = [
        _sector(a, b, vocab) for a, b in zip(frame["sector"], frame["subsector"], strict=True)
    ]
    frame["organisation_type"] = map_unique(frame["organisation_type"], clean_name)
    frame["acronym"] = map_unique(frame["acronym"], clean_name)
    frame["county"] = map_unique(frame["county"], clean_name)
    frame["region"] = map_unique(frame["region"], clean_name)
    named = frame["organisation_type"].str.extract(_REGION_AS_TYPE)["region"]
    frame["region"] = frame["region"].where(frame["region"].ne(""), named.fillna(""))
    frame.loc[named.notna(), "organisation_type"] = ""  # a region is not a type
    return frame.dropna(subset=["urn"]).drop(columns="subsector").reset_index(drop=True)


def _history_names(sheet: Sheet) -> pd.DataFrame:
    """Former names from a ``Merges`` or ``Name Changes`` sheet: old value -> URN."""
    header = [simplify(c) for c in sheet.rows[0]] if sheet.rows else []
    if "oldvalue" not in header or "urn" not in header:
        return pd.DataFrame(columns=["name", "urn"])
    old, urn = header.index("oldvalue"), header.index("urn")
    rows = sheet.rows[1:]
    frame = pd.DataFrame({"name": _cells(rows, old), "urn": _cells(rows, urn)})
    frame["urn"] = pd.array(map_unique(frame["urn"], _urn), dtype="Int64")
    frame["name"] = map_unique(frame["name"], clean_name)
    return frame[frame["name"].ne("")].dropna(subset=["urn"])


def _inactive_names(sheet: Sheet, live: set[int]) -> pd.DataFrame:
    """Bodies an ``Inactive`` sheet says were made inactive and are not in the live list
    (``Driving Standards Agency``): their names still name their URNs in older releases.

    The sheet logs status changes (``Old Value``, ``New Value``, ``URN``, ``Organisation
    Name``), newest first; a URN's first row is its latest status.
    """
    header = [simplify(c) for c in sheet.rows[0]] if sheet.rows else []
    if not {"newvalue", "urn", "organisationname"} <= set(header):
        return pd.DataFrame(columns=["name", "urn"])
    status, urn, name = (header.index(c) for c in ("newvalue", "urn", "organisationname"))
    rows = [r for r in sheet.rows[1:] if len(r) > max(status, urn, name)]
    frame = pd.DataFrame(
        {"status": [clean_name(r[status]).lower() for r in rows],
         "urn": [_urn(r[urn]) for r in rows],
         "name": [clean_name(r[name]) for r in rows]}
    ).dropna(subset=["urn"])  # fmt: skip
    latest = frame.drop_duplicates("urn")
    chosen = latest["status"].eq("inactive") & ~latest["urn"].isin(live) & latest["name"].ne("")
    return latest.loc[chosen, ["name", "urn"]].astype({"urn": "Int64"})


def read_customer_list(path: Path, vocab: Vocabulary) -> CustomerList:
    """Read a customer list file (XLSX or CSV); raise :class:`LoaderInputError` if unusable."""
    sheets = list(iter_sheets(Path(path)))
    main = None
    history = []
    inactive: list[Sheet] = []
    for sheet in sheets:
        found = _header(sheet, _aliases(vocab))
        if found and main is None:
            main = _bodies(sheet, found[0], found[1], vocab)
        elif sheet.name and simplify(sheet.name) in ("merges", "namechanges"):
            history.append(_history_names(sheet).assign(how=sheet.name))
        elif sheet.name and simplify(sheet.name) == "inactive":
            inactive.append(sheet)
    if main is None or main.empty:
        raise LoaderInputError(
            path,
            "is not a customer list: no sheet has URN, organisation name and sector columns "
            f"(aliases in {vocab.source_dir / 'customer_list_aliases.csv'})",
        )
    live = {int(u) for u in main["urn"].dropna()}
    history += [_inactive_names(sheet, live).assign(how=sheet.name) for sheet in inactive]
    current = main[["name", "urn"]].assign(how="current name")
    names = pd.concat([current, *history], ignore_index=True)
    names["name_key"] = map_unique(names["name"], lambda n: normalise.customer_key(n, vocab))
    names = names[names["name_key"].ne("")].drop_duplicates(["name_key", "urn"])
    return CustomerList(path=Path(path), bodies=main, names=names.reset_index(drop=True))
