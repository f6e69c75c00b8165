"""A small register folder built by hand: tiny publisher files in each publisher's layout,
the shipped configuration files (registers, types, GOV.UK formats, name forms, stems) and
hand-kept files given by each test."""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
import shutil
from pathlib import Path

from loaders.bodies.registers.build import REGISTERS_DIR

CONFIG = ("registers.csv", "organisation_types.csv", "govuk_formats.csv", "name_forms.csv",
          "stems.csv")  # fmt: skip
HAND_KEPT = {
    "additions.csv": ["register", "code", "name", "organisation_type", "start_date", "end_date",
                      "nation", "region", "replaced_by", "stem", "alt_names", "source"],
    "corrections.csv": ["register", "code", "field", "value", "source"],
    "exclusions.csv": ["register", "code", "reason"],
    "aliases.csv": ["register", "code", "name", "note"],
    "areas.csv": ["register", "code", "nation", "region"],
}  # fmt: skip
MYSOCIETY_COLUMNS = ["local-authority-code", "official-name", "nice-name", "gss-code",
                     "start-date", "end-date", "replaced-by", "nation", "region",
                     "local-authority-type", "combined-authority", "alt-names"]  # fmt: skip
COUNCILS = [
    ["KEN", "Kent County Council", "Kent", "E10000016", "", "", "", "England", "South East",
     "CTY", "", "Kent,kent county council"],
    ["DOR", "Dorset County Council", "Dorset", "E10000009", "", "2019-04-01", "DST", "England",
     "", "CTY", "", ""],
    ["WDO", "West Dorset District Council", "West Dorset", "E07000052", "", "2019-03-31",
     "DST", "England", "", "NMD", "", ""],
    ["DST", "Dorset Council", "Dorset", "E06000059", "2019-04-01", "", "", "England",
     "South West", "UA", "", ""],
    ["MAN", "Manchester City Council", "Manchester", "E08000003", "", "", "", "England",
     "North West", "MD", "GMCA", "Manchester,City of Manchester"],
    ["GMCA", "Greater Manchester Combined Authority", "Greater Manchester", "E47000001",
     "2014-04-01", "", "", "England", "North West", "COMB", "", ""],
    ["BFS", "Belfast City Council", "Belfast", "N09000003", "2015-04-01", "", "",
     "Northern Ireland", "Northern Ireland", "NID", "", ""],
]  # fmt: skip
ETR = [
    ["RVV", "EAST KENT HOSPITALS UNIVERSITY NHS FOUNDATION TRUST", "Y59", "QKS", "", "", "", "",
     "", "CT1 3NG", "19990401", ""],
    ["RVL", "BARNET AND CHASE FARM HOSPITALS NHS TRUST", "Y56", "Q71", "", "", "", "", "",
     "EN2 8JL", "19990401", "20140701"],
    ["RT4", "WELSH AMBULANCE SERVICES NHS TRUST", "", "", "", "", "", "", "", "LL17 0LJ",
     "19980401", ""],
]  # fmt: skip
POLICE = [["kent", "Kent Police"], ["metropolitan", "Metropolitan Police Service"]]
FIRE = [["023", "Kent Fire and Rescue Service", "", ""],
        ["027", "London Fire Brigade", "", ""]]  # fmt: skip
GOVUK = [
    {"title": "Home Office", "format": "Ministerial department",
     "details": {"slug": "home-office", "govuk_status": "live", "abbreviation": "HO"}},
    {"title": "Highways Agency", "format": "Executive agency",
     "details": {"slug": "highways-agency", "govuk_status": "closed",
                 "closed_at": "2015-03-31T00:00:00.000+01:00", "abbreviation": "HA"}},
    {"title": "Government Office for the North West", "format": "Other",
     "details": {"slug": "go-nw", "govuk_status": "closed", "abbreviation": ""}},
    {"title": "Royal Courts of Justice", "format": "Court",
     "details": {"slug": "rcj", "govuk_status": "live"}},
]  # fmt: skip


def _write_csv(path: Path, header: list[str] | None, rows: list[list[str]], sep=",") -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=sep, lineterminator="\n")
        if header:
            writer.writerow(header)
        writer.writerows(rows)


def _etr_row(row: list[str]) -> list[str]:
    wales = "W" if row[0] == "RT4" else "J"
    return row + [""] * 11 + [wales, "", "", ""]


def register_folder(tmp_path: Path, **hand_kept: list[list[str]]) -> Path:
    """A register folder in ``tmp_path``; ``hand_kept`` gives rows of the hand-kept files by
    stem (``additions=[[...]]``, ``corrections=[...]``)."""
    folder = tmp_path / "registers"
    (folder / "sources").mkdir(parents=True)
    for name in CONFIG:
        shutil.copy(REGISTERS_DIR / name, folder / name)
    for name, header in HAND_KEPT.items():
        _write_csv(folder / name, header, hand_kept.get(name.removesuffix(".csv"), []))
    files = {
        "sources/la.csv": ("mysociety_local_authorities", "bodies"),
        "sources/etr.csv": ("ods_etr", "bodies"),
        "sources/police.tsv": ("openregister_police", "bodies"),
        "sources/fire.tsv": ("openregister_fire", "bodies"),
        "sources/govuk.jsonl.gz": ("govuk_organisations", "bodies"),
    }
    _write_csv(folder / "sources/la.csv", MYSOCIETY_COLUMNS, COUNCILS)
    _write_csv(folder / "sources/etr.csv", None, [_etr_row(r) for r in ETR])
    _write_csv(folder / "sources/police.tsv", ["police-force", "name"], POLICE, sep="\t")
    _write_csv(folder / "sources/fire.tsv", ["fire-service-eng", "name", "start-date",
                                             "end-date"], FIRE, sep="\t")  # fmt: skip
    with gzip.open(folder / "sources/govuk.jsonl.gz", "wt", encoding="utf-8") as handle:
        handle.writelines(json.dumps(r) + "\n" for r in GOVUK)
    rows = [[file, reader, role, "", "publisher", "title", "https://example.org/", "2025-01-01",
             "OGL", hashlib.sha256((folder / file).read_bytes()).hexdigest()]
            for file, (reader, role) in files.items()]  # fmt: skip
    _write_csv(folder / "sources.csv", ["file", "reader", "role", "registers", "publisher",
                                        "title", "url", "published", "licence", "sha256"],
               rows)  # fmt: skip
    return folder


def record_hash(folder: Path, file: str) -> None:
    """Record the current SHA-256 of ``file`` in the folder's ``sources.csv``."""
    with (folder / "sources.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row["file"] == file:
            row["sha256"] = hashlib.sha256((folder / file).read_bytes()).hexdigest()
    _write_csv(folder / "sources.csv", list(rows[0]), [list(r.values()) for r in rows])
