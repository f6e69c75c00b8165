"""Read each publisher's register file into the register table's columns.

One reader per publisher file, named in ``data/reference/registers/sources.csv`` (column
``reader``): :data:`READERS` maps that name to its function. Each reader takes the file and
the reference folder and returns one row per body with :data:`COLUMNS` (text, ``""`` where
the publisher gives nothing; dates ``YYYY-MM-DD``, the end date being the body's last day).
"""

from __future__ import annotations

import csv
import gzip
import json
import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from loaders.core.errors import LoaderInputError

COLUMNS = (
    "register",
    "code",
    "name",
    "organisation_type",
    "start_date",
    "end_date",
    "nation",
    "region",
    "nhs_region",
    "combined_authority",
    "gss_code",
    "former_gss_codes",
    "ods_code",
    "replaced_by",
    "stem",
    "alt_names",
    "aliases",
    "end_date_unknown",
)
ALT_SEPARATOR = "|"
_ODS_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
# NHS England's region codes in ODS files (national grouping), current and former.
NHS_REGIONS = {
    "Y54": "North of England",
    "Y55": "Midlands and East of England",
    "Y56": "London",
    "Y57": "South of England",
    "Y58": "South West",
    "Y59": "South East",
    "Y60": "Midlands",
    "Y61": "East of England",
    "Y62": "North West",
    "Y63": "North East and Yorkshire",
}
# Columns of an ODS "other NHS organisations" CSV (no header): code, name, national grouping,
# high level health geography, five address lines, postcode, open date, close date, ...
_ODS_CODE, _ODS_NAME, _ODS_GROUPING, _ODS_OPEN, _ODS_CLOSE = 0, 1, 2, 10, 11
# Column 24 is a country/area letter: "W" for the trusts of Wales (no English region).
_ODS_AREA, _ODS_WALES = 23, "W"


def _frame(rows: list[dict[str, str]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(COLUMNS), dtype=object)
    return frame.fillna("")


def _types(reference: Path, register: str) -> dict[str, str]:
    with (reference / "organisation_types.csv").open(encoding="utf-8", newline="") as handle:
        return {
            r["source_code"]: r["organisation_type"]
            for r in csv.DictReader(handle)
            if r["register"] == register
        }


def _require(frame: pd.DataFrame, columns: list[str], path: Path) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise LoaderInputError(path, f"is not the expected register file: no column {missing[0]!r}")


def read_mysociety_local_authorities(path: Path, reference: Path) -> pd.DataFrame:
    """mySociety's UK local authorities (past and current): principal councils, and combined
    and strategic authorities, with GSS code, nation, region and combined authority."""
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    _require(raw, ["local-authority-code", "official-name", "nice-name", "local-authority-type",
                   "start-date", "end-date", "replaced-by", "alt-names"], path)  # fmt: skip
    councils, authorities = (
        _types(reference, "principal-council"),
        _types(reference, "combined-authority"),
    )
    rows = []
    for position, record in enumerate(raw.to_dict("records"), start=2):
        kind = record["local-authority-type"]
        register = "principal-council" if kind in councils else "combined-authority"
        types = councils if kind in councils else authorities
        if kind not in types:
            raise LoaderInputError(
                path, f"unknown local-authority-type {kind!r} (add it to organisation_types.csv)",
                row=position, column="local-authority-type",
            )  # fmt: skip
        alt = [a.strip() for a in record["alt-names"].split(",") if a.strip()]
        rows.append({
            "register": register, "code": record["local-authority-code"],
            "name": record["official-name"], "organisation_type": types[kind],
            "start_date": record["start-date"], "end_date": record["end-date"],
            "nation": record["nation"], "region": record["region"],
            "combined_authority": record["combined-authority"],
            "gss_code": record["gss-code"],
            "former_gss_codes": ALT_SEPARATOR.join(
                c.strip() for c in record.get("former-gss-codes", "").split(",") if c.strip()
            ), "replaced_by": record["replaced-by"].replace(",", "|"),
            "stem": record["nice-name"], "alt_names": ALT_SEPARATOR.join(alt),
        })  # fmt: skip
    return _frame(rows)


def _ods_date(text: str) -> str:
    found = _ODS_DATE.match(text.strip())
    return f"{found[1]}-{found[2]}-{found[3]}" if found else ""


def read_ods_etr(path: Path, reference: Path) -> pd.DataFrame:
    """NHS England ODS ``etr`` (NHS trusts of England and Wales, open and closed): code,
    name, open and close dates, NHS region. The kind (NHS trust or foundation trust) is read
    from the name."""
    kinds = _types(reference, "nhs-trust")
    rows = []
    with Path(path).open(encoding="utf-8-sig", newline="") as handle:
        for position, record in enumerate(csv.reader(handle), start=1):
            if len(record) <= _ODS_CLOSE or not record[_ODS_CODE].strip():
                raise LoaderInputError(
                    path, "is not an ODS etr file: too few columns", row=position
                )
            name = " ".join(record[_ODS_NAME].split())
            kind = next((kinds[k] for k in sorted(kinds, key=len, reverse=True)
                         if k in name.upper()), "NHS trust")  # fmt: skip
            rows.append({
                "register": "nhs-trust", "code": record[_ODS_CODE].strip(),
                "name": name, "organisation_type": kind,
                "start_date": _ods_date(record[_ODS_OPEN]),
                "end_date": _ods_date(record[_ODS_CLOSE]),
                "nation": "Wales" if len(record) > _ODS_AREA and record[_ODS_AREA].strip()
                == _ODS_WALES else "England",
                "nhs_region": NHS_REGIONS.get(record[_ODS_GROUPING].strip(), ""),
                "ods_code": record[_ODS_CODE].strip(),
            })  # fmt: skip
    return _frame(rows)


def _openregister(path: Path, register: str, key: str, kind: str) -> pd.DataFrame:
    raw = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False)
    _require(raw, [key, "name"], path)
    dates = {c: raw[c] if c in raw else pd.Series("", index=raw.index)
             for c in ("start-date", "end-date")}  # fmt: skip
    return _frame(
        [
            {
                "register": register,
                "code": code,
                "name": name,
                "organisation_type": kind,
                "start_date": start,
                "end_date": end,
            }
            for code, name, start, end in zip(
                raw[key], raw["name"], dates["start-date"], dates["end-date"], strict=True
            )
        ]  # fmt: skip
    )


def read_openregister_police(path: Path, reference: Path) -> pd.DataFrame:
    """The GOV.UK police-force register (Home Office, from data.police.uk)."""
    kind = _types(reference, "police-force")["territorial"]
    return _openregister(path, "police-force", "police-force", kind)


def read_openregister_fire(path: Path, reference: Path) -> pd.DataFrame:
    """The GOV.UK fire-service-eng register data: England's fire and rescue services."""
    kind = _types(reference, "fire-authority")["fire"]
    return _openregister(path, "fire-authority", "fire-service-eng", kind)


def _govuk_records(path: Path) -> list[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rt", encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]
    except (OSError, ValueError) as exc:
        raise LoaderInputError(path, f"is not GOV.UK organisations JSON lines ({exc})") from exc


def read_govuk_organisations(path: Path, reference: Path) -> pd.DataFrame:
    """GOV.UK organisations (one API record per line): the formats marked ``included`` in
    ``govuk_formats.csv``; closed organisations end on their ``closed_at`` date (when GOV.UK
    gives none, ``end_date_unknown`` is ``yes``)."""
    with (reference / "govuk_formats.csv").open(encoding="utf-8", newline="") as handle:
        formats = {r["format"]: r for r in csv.DictReader(handle)}
    rows = []
    for position, record in enumerate(_govuk_records(path), start=1):
        details = record.get("details") or {}
        kind = formats.get(str(record.get("format") or ""))
        if kind is None:
            raise LoaderInputError(path, f"unknown GOV.UK format {record.get('format')!r} (add "
                                   "it to govuk_formats.csv)", row=position)  # fmt: skip
        if kind["included"] != "yes":
            continue
        closed = details.get("govuk_status") == "closed"
        end = str(details.get("closed_at") or "")[:10] if closed else ""
        abbreviation = str(details.get("abbreviation") or "").strip()
        rows.append({
            "register": "central-government", "code": str(details.get("slug") or ""),
            "name": str(record.get("title") or "").strip(),
            "organisation_type": kind["organisation_type"],
            "end_date": end, "end_date_unknown": "yes" if closed and not end else "",
            "nation": "United Kingdom",
            "alt_names": abbreviation if len(abbreviation) >= 3 else "",
        })  # fmt: skip
    return _frame(rows)


Reader = Callable[[Path, Path], pd.DataFrame]
READERS: dict[str, Reader] = {
    "mysociety_local_authorities": read_mysociety_local_authorities,
    "ods_etr": read_ods_etr,
    "openregister_police": read_openregister_police,
    "openregister_fire": read_openregister_fire,
    "govuk_organisations": read_govuk_organisations,
}
