"""Read a CCS customer list (the Customer URN list): every body that may buy, with its sector.

The 2016 list has ``URN, Organisation Name, ..., Sector, Organisation Type`` and sheets of
merges and name changes (former names of a URN) and of bodies made inactive (names of URNs no
longer in the live list); later lists use ``URN, CustomerName, Acronym, ..., Sector, Subsector,
Active`` (or lower case, or ``organisation`` for the name; CSV or XLSX) with only two sector
values, ``Central Government`` and ``Wider Public Sector``, and the detail in ``Subsector``.
Header spellings are in ``data/reference/customer_list_aliases.csv``.

A subsector gives the body's sector, organisation type and kind through
``data/reference/customer_subsectors.csv`` (``District Council`` is Local Government, ``Acute
Trust`` Health, ``RAF`` Defence); a subsector of the form ``Region: North West`` gives the
region only. Each body has a ``kind``: ``public body``, ``private sector enabler`` (companies,
charities and churches allowed to buy through some agreements: sector Private Sector, never
a public body) or ``test record`` (placeholder URNs and whole-name test words of
``placeholders.csv``: ``TEST ORG`` is a test, ``Test Valley Borough Council`` a council).
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
SUBSECTORS_FILE = "customer_subsectors.csv"
ANY_SECTOR = "*"
PUBLIC_BODY, PRIVATE_SECTOR_ENABLER, TEST_RECORD = (
    "public body",
    "private sector enabler",
    "test record",
)
# Published values of the Active column that mean the body is no longer active.
_INACTIVE = frozenset({"false", "no", "n", "0", "inactive"})
# The 2016 list gives many councils no type but their region, as "Region: South East".
_REGION_AS_TYPE = re.compile(r"^\s*region\s*:\s*(?P<region>.+?)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class CustomerList:
    """Bodies by URN, and every name (current and former) pointing at a URN."""

    path: Path
    bodies: pd.DataFrame  # urn, name, sector, organisation_type, active, region, county,
    # acronym, kind, adoption_group (the register group a subsector names, "" if none)
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


@dataclass(frozen=True)
class Subsector:
    """What a later list's subsector says of a body (``customer_subsectors.csv``)."""

    sector: str  # canonical sector; "" = the list's own sector stands
    organisation_type: str
    kind: str
    adoption_group: str  # register group a body of this subsector belongs to, if any


def read_subsectors(vocab: Vocabulary) -> dict[tuple[str, str], Subsector]:
    """``(published sector or "*", subsector)``, both simplified, -> :class:`Subsector`."""
    path = vocab.source_dir / SUBSECTORS_FILE
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            (r["published_sector"] if r["published_sector"] == ANY_SECTOR
             else simplify(r["published_sector"]), simplify(r["subsector"])): Subsector(
                r["sector"], r["organisation_type"], r["kind"], r["group"])
            for r in csv.DictReader(handle)
        }  # fmt: skip


def inactive(active: pd.Series) -> pd.Series:
    """Whether each body's published ``active`` value says it is no longer active."""
    return active.fillna("").astype(str).str.strip().str.lower().isin(_INACTIVE)


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


def _classify(row: tuple, rules: dict[tuple[str, str], Subsector], vocab) -> tuple:
    """Sector, organisation type, kind and adoption group of one body of the list, from its
    published sector, subsector and organisation type."""
    sector, subsector, kind_of_body = row
    detail = subsector if simplify(subsector) else kind_of_body
    rule = rules.get((simplify(sector), simplify(detail))) or rules.get(
        (ANY_SECTOR, simplify(detail))
    )
    published = normalise.canonical_sector(sector, vocab)
    if rule is None or not simplify(subsector):  # the 2016 list: sector and type as published
        canonical = normalise.canonical_sector(subsector, vocab) or published
        kind = rule.kind if rule is not None else PUBLIC_BODY
        group = rule.adoption_group if rule is not None else ""
        return canonical, kind_of_body or subsector, kind, group
    return (rule.sector or published, rule.organisation_type or subsector, rule.kind,
            rule.adoption_group)  # fmt: skip


def _test_records(frame: pd.DataFrame, vocab: Vocabulary) -> pd.Series:
    names = frame["name"].map(lambda n: any(p.search(n) for p in vocab.test_records))
    urns = frame["urn"].map(
        lambda u: u is not None and any(p.search(str(u)) for p in vocab.placeholder_urns)
    )
    return names | urns


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
    for column in ("organisation_type", "subsector", "county", "region", "active", "acronym"):
        frame[column] = map_unique(frame[column], clean_name)
    for column in ("organisation_type", "subsector"):  # "Region: South East" is a region
        named = frame[column].str.extract(_REGION_AS_TYPE)["region"]
        frame["region"] = frame["region"].where(frame["region"].ne(""), named.fillna(""))
        frame.loc[named.notna(), column] = ""
    rules = read_subsectors(vocab)
    published = zip(frame["sector"], frame["subsector"], frame["organisation_type"], strict=True)
    found = {key: _classify(key, rules, vocab) for key in set(published)}
    keys = list(zip(frame["sector"], frame["subsector"], frame["organisation_type"], strict=True))
    for position, column in enumerate(("sector", "organisation_type", "kind", "adoption_group")):
        frame[column] = [found[key][position] for key in keys]
    frame.loc[_test_records(frame, vocab), "kind"] = TEST_RECORD
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
