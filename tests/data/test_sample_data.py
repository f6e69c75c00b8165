"""Checks on the bundled SYNTHETIC sample in ``data/sample``.

The files are read with plain Python, pandas and python-calamine (not the project's
loaders), so these tests pin the published layouts that the loaders must handle.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from data.make_sample import main as make_sample

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_DIR = ROOT / "data" / "sample"
SOURCES_DIR = ROOT / "data" / "sample_sources"
MAX_SAMPLE_BYTES = 5 * 1024 * 1024
CELL_TYPE_ROWS = 500
EXCEL_EPOCH = date(1899, 12, 30)
BOM = b"\xef\xbb\xbf"
XSS_SUPPLIER = "<img src=x onerror=alert(1)>"
INJECTION_CUSTOMER = "=SUM(A1) Test Council"
SECTORS = {
    "Central Government",
    "Local Government",
    "Health",
    "Education",
    "Police",
    "Fire and Rescue",
    "Devolved Administrations",
    "Defence",
    "Not for Profit",
    "Wider Public Sector",
}


def month_of_dmy(text: str) -> str:
    """``01/05/2012`` (possibly with stray trailing characters) -> ``2012-05``."""
    return datetime.strptime(text.strip().rstrip(".").strip(), "%d/%m/%Y").strftime("%Y-%m")


def month_of_iso(text: str) -> str:
    """``2012-05-01`` -> ``2012-05``."""
    return datetime.strptime(text, "%Y-%m-%d").strftime("%Y-%m")


def month_of_2017(text: str) -> str:
    """Excel serial (``41000``) or ``dd/mm/yy`` text -> ``YYYY-MM``."""
    if text.isdigit():
        return (EXCEL_EPOCH + timedelta(days=int(text))).strftime("%Y-%m")
    return datetime.strptime(text, "%d/%m/%y").strftime("%Y-%m")


def month_of_mon_yy(text: str) -> str:
    """``Jan-17`` -> ``2017-01``."""
    return datetime.strptime(text, "%b-%y").strftime("%Y-%m")


def month_range(first: str, last: str) -> set[str]:
    """Every ``YYYY-MM`` from ``first`` to ``last`` inclusive."""
    return {str(p) for p in pd.period_range(first, last, freq="M")}


@dataclass(frozen=True)
class CsvSpec:
    """Expected encoding, line ending, header and month window of a CSV release."""

    encoding: str
    line_end: bytes
    header: str
    month_column: str
    parse_month: Callable[[str], str]
    first: str
    last: str


@dataclass(frozen=True)
class XlsxSpec:
    """Expected header position, header and month window of a CCS XLSX release."""

    header_row: int
    header: str
    month_column: str
    first: str
    last: str
    blank_before_total: bool


DEC2017_HEADER = "Sector,Lot,Month,Spend,SME Status,Supplier,Customer"
CCS_COMMON = (
    "Customer URN,Customer Name,Customer Sector,Supplier Name,SME Status,"
    "Framework Number,Framework Name,Lot Number,Lot Name"
)
CSV_SPECS = {
    "G-Cloud-spend-2013-12.csv": CsvSpec(
        "utf-8",
        b"\n",
        "Framework,Lot,Supplier,Customer,For_Month,Product_Service_Description,Total_Charge",
        "For_Month",
        month_of_dmy,
        "2012-04",
        "2013-11",
    ),
    "G-Cloud-Spend-2014-07.csv": CsvSpec(
        "cp1252",
        b"\r",
        "ID,Framework,LotDescription,SupplierName,CustomerName,ReturnMonth,"
        "ProjectNameAndDescription,EvidencedSpend,Sector,SMEorLarge",
        "ReturnMonth",
        month_of_iso,
        "2012-04",
        "2014-06",
    ),
    "G-Cloud-spend-2017-03.csv": CsvSpec(
        "utf-8-sig",
        b"\r\n",
        "Framework,Lot,Supplier,Customer Sector,Customer Name,Product/Service Description,"
        "Return Month,Evidenced Spend,SME Status",
        "Return Month",
        month_of_2017,
        "2014-04",
        "2017-02",
    ),
    "G-Cloud-spend-Dec2017.csv": CsvSpec(
        "cp1252",
        b"\r\n",
        DEC2017_HEADER + ",Framework",
        "Month",
        month_of_mon_yy,
        "2016-10",
        "2017-11",
    ),
    "DOS-spend-Dec2017.csv": CsvSpec(
        "cp1252", b"\r\n", DEC2017_HEADER, "Month", month_of_mon_yy, "2016-05", "2017-11"
    ),
}
XLSX_SPECS = {
    "CCS-G-Cloud-DOS-spend-2021-03.xlsx": XlsxSpec(
        3,
        CCS_COMMON + ",Spend Month,Evidenced Spend (ex VAT)",
        "Spend Month",
        "2017-10",
        "2021-02",
        blank_before_total=True,
    ),
    "CCS-G-Cloud-DOS-spend-2025-09.xlsx": XlsxSpec(
        1,
        CCS_COMMON + ",Customer Invoice/Credit Note Date,Total Cost (ex VAT)",
        "Customer Invoice/Credit Note Date",
        "2020-12",
        "2025-09",
        blank_before_total=False,
    ),
}
URN_LIST = "customer_urn_list_sample.xlsx"
URN_SHEETS = {
    "Live Customer URN List": "URN,Organisation Name,Address Line 1,Address Line 2,"
    "Address Line 3,County,Country,Post Code,Sector,Organisation Type",
    "Merges": "Field / Event,Old Value,URN,Organisation Name,Edit Date",
    "Name Changes": "Field / Event,Old Value,New Value,URN,Edit Date",
}
NOTICES = "contracts-finder-notices-sample.json"
FTS_NOTICES = "find-a-tender-notices-sample.json"
DOS_OPPORTUNITIES = "dos-opportunities-sample.csv"
ALL_FILES = [*CSV_SPECS, *XLSX_SPECS, URN_LIST, NOTICES, FTS_NOTICES, DOS_OPPORTUNITIES]


@cache
def csv_frame(filename: str) -> pd.DataFrame:
    """A CSV release read with pandas, every column as text."""
    spec = CSV_SPECS[filename]
    return pd.read_csv(
        SAMPLE_DIR / filename, encoding=spec.encoding, dtype=str, keep_default_na=False
    )


@cache
def sheet_rows(filename: str, sheet: str | None = None) -> list[list]:
    """All rows of a sheet (the first one by default) read with python-calamine."""
    workbook = CalamineWorkbook.from_path(str(SAMPLE_DIR / filename))
    return workbook.get_sheet_by_name(sheet or workbook.sheet_names[0]).to_python()


def xlsx_table(filename: str) -> tuple[list[str], list[list]]:
    """Header and data rows of a CCS XLSX release (title, blank and Total rows dropped)."""
    rows = sheet_rows(filename)
    header_row = XLSX_SPECS[filename].header_row
    data = [row for row in rows[header_row + 1 :] if row[1] != ""]
    return [str(cell) for cell in rows[header_row]], data


@pytest.mark.parametrize("filename", ALL_FILES)
def test_sample_file_exists(filename: str) -> None:
    assert (SAMPLE_DIR / filename).is_file()


def test_readme_says_synthetic() -> None:
    text = (SAMPLE_DIR / "README.md").read_text(encoding="utf-8")
    assert "SYNTHETIC" in text
    assert "python -m data.make_sample" in text


@pytest.mark.parametrize("filename", list(CSV_SPECS))
def test_csv_header_encoding_and_line_endings(filename: str) -> None:
    spec = CSV_SPECS[filename]
    raw = (SAMPLE_DIR / filename).read_bytes()
    assert raw.startswith(BOM) == (spec.encoding == "utf-8-sig")
    text = raw.decode(spec.encoding)
    assert text.split(spec.line_end.decode(), 1)[0] == spec.header
    assert list(csv_frame(filename).columns) == spec.header.split(",")
    other_ends = {b"\n": b"\r", b"\r": b"\n", b"\r\n": b"\r\n"}[spec.line_end]
    if spec.line_end == b"\r\n":
        assert raw.count(b"\r") == raw.count(b"\n") == raw.count(b"\r\n")
    else:
        assert other_ends not in raw


@pytest.mark.parametrize("filename", list(CSV_SPECS))
def test_csv_months_cover_the_window(filename: str) -> None:
    spec = CSV_SPECS[filename]
    months = set(csv_frame(filename)[spec.month_column].map(spec.parse_month))
    assert months == month_range(spec.first, spec.last)


def test_2013_release_has_stray_month_characters() -> None:
    months = csv_frame("G-Cloud-spend-2013-12.csv")["For_Month"]
    assert (months.str.len() > 10).any()
    assert months.str.endswith(".").any()


def test_2014_release_needs_cp1252() -> None:
    raw = (SAMPLE_DIR / "G-Cloud-Spend-2014-07.csv").read_bytes()
    text = raw.decode("cp1252")
    assert "’" in text and "é" in text
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")


def test_2013_suppliers_get_sme_status_from_the_2014_release() -> None:
    suppliers_2013 = set(csv_frame("G-Cloud-spend-2013-12.csv")["Supplier"])
    release_2014 = csv_frame("G-Cloud-Spend-2014-07.csv")
    assert suppliers_2013 <= set(release_2014["SupplierName"])
    assert set(release_2014["SMEorLarge"]) == {"SME", "Large"}
    assert release_2014.groupby("SupplierName")["SMEorLarge"].nunique().max() == 1


@pytest.mark.slow
@pytest.mark.parametrize("filename", list(XLSX_SPECS))
def test_ccs_xlsx_header_title_rows_and_total(filename: str) -> None:
    spec = XLSX_SPECS[filename]
    rows = sheet_rows(filename)
    assert all(row[0] for row in rows[: spec.header_row])
    header, data = xlsx_table(filename)
    assert header == spec.header.split(",")
    assert rows[-1][0] == "Total"
    assert all(cell == "" for cell in rows[-2]) == spec.blank_before_total
    spend = [row[-1] for row in data]
    assert rows[-1][-1] == pytest.approx(sum(spend), abs=0.05)


@pytest.mark.slow
@pytest.mark.parametrize("filename", list(XLSX_SPECS))
def test_ccs_xlsx_cell_types(filename: str) -> None:
    """URNs and lot numbers are integer cells, dates date cells and amounts numbers (the
    first rows, read with openpyxl, which keeps the cell types calamine folds together)."""
    spec = XLSX_SPECS[filename]
    first = spec.header_row + 2
    workbook = load_workbook(SAMPLE_DIR / filename, read_only=True)
    data = list(workbook["Spend"].iter_rows(min_row=first, max_row=first + CELL_TYPE_ROWS))
    workbook.close()
    assert {type(row[0].value) for row in data} == {int, type(None)}
    assert {type(row[7].value) for row in data} == {int}
    assert all(row[9].is_date and row[9].number_format == "dd/mm/yyyy" for row in data)
    assert {type(row[10].value) for row in data} <= {int, float}


@pytest.mark.parametrize("filename", list(XLSX_SPECS))
def test_ccs_xlsx_months_cover_the_window(filename: str) -> None:
    spec = XLSX_SPECS[filename]
    header, data = xlsx_table(filename)
    column = header.index(spec.month_column)
    assert all(isinstance(row[column], date) for row in data)
    months = {row[column].strftime("%Y-%m") for row in data}
    assert months == month_range(spec.first, spec.last)


def test_urn_list_sheets_and_headers() -> None:
    workbook = CalamineWorkbook.from_path(str(SAMPLE_DIR / URN_LIST))
    assert workbook.sheet_names == list(URN_SHEETS)
    for sheet, header in URN_SHEETS.items():
        rows = sheet_rows(URN_LIST, sheet)
        assert [str(cell) for cell in rows[0]] == header.split(",")
        assert len(rows) > 3
    live = sheet_rows(URN_LIST, "Live Customer URN List")[1:]
    assert all(10_000_000 <= row[0] < 10_100_000 for row in live)


def name_key(name: str) -> str:
    """Case, spacing and ``&``/``and`` folded, for comparing spellings of one name."""
    return " ".join(name.casefold().replace("&", "and").split()).removeprefix("the ")


def test_urn_list_history_sheets_follow_the_real_layout() -> None:
    """As in the real 2016 list: ``Merges`` gives the merged body's old NAME and the
    surviving body's URN and name; ``Name Changes`` old name, new name and the URN."""
    live = {int(row[0]): row[1] for row in sheet_rows(URN_LIST, "Live Customer URN List")[1:]}
    merges = sheet_rows(URN_LIST, "Merges")[1:]
    merged_away = {row[1] for row in merges}
    assert {row[0] for row in merges} == {"Organisation Merged"}
    for _, old_name, urn, name, edited in merges:
        assert isinstance(old_name, str) and not old_name.strip().isdigit()
        assert old_name not in live.values() and old_name != name
        assert isinstance(urn, float) and urn.is_integer()
        # The survivor is live, or was itself merged away later (a chain of merges).
        assert live.get(int(urn)) == name or name in merged_away
        assert isinstance(edited, datetime)
    changes = sheet_rows(URN_LIST, "Name Changes")[1:]
    assert {row[0] for row in changes} == {"Organisation Name"}
    for _, old_name, new_name, urn, edited in changes:
        assert old_name != new_name
        assert isinstance(urn, float) and urn.is_integer()
        assert int(urn) in live or new_name in merged_away
        assert isinstance(edited, datetime)
    for rows in (merges, changes):
        dates = [row[-1] for row in rows]
        assert dates == sorted(dates, reverse=True)  # latest edit first, as in the real list


def test_spend_urns_are_live_or_merged_away() -> None:
    """A spend URN missing from the live sheet belongs to a body merged away: the real
    ``Merges`` sheet gives only its old name, under ``Old Value``."""
    live = {int(row[0]) for row in sheet_rows(URN_LIST, "Live Customer URN List")[1:]}
    merged_away = {name_key(row[1]) for row in sheet_rows(URN_LIST, "Merges")[1:]}
    for filename in XLSX_SPECS:
        _, data = xlsx_table(filename)
        stale = {name_key(row[1]) for row in data if row[0] != "" and int(row[0]) not in live}
        assert stale and stale <= merged_away


def test_bodies_source_table() -> None:
    bodies = pd.read_csv(SOURCES_DIR / "bodies.csv", dtype=str, keep_default_na=False)
    assert list(bodies.columns) == ["name", "sector", "organisation_type", "parent_department"]
    assert len(bodies) >= 300 and bodies["name"].is_unique
    assert set(bodies["sector"]) <= SECTORS
    central = bodies["sector"].isin(["Central Government", "Defence"])
    assert (bodies.loc[central, "parent_department"] != "").all()
    assert (bodies.loc[~central, "parent_department"] == "").all()


def test_security_test_names_present() -> None:
    suppliers = pd.concat([csv_frame(f).iloc[:, 2] for f in ("G-Cloud-spend-2017-03.csv",)])
    customer_rows = 0
    for filename in XLSX_SPECS:
        _, data = xlsx_table(filename)
        suppliers = pd.concat([suppliers, pd.Series([row[3] for row in data])])
        customer_rows += sum(row[1] == INJECTION_CUSTOMER for row in data)
    assert (suppliers == XSS_SUPPLIER).sum() >= 3
    assert customer_rows == 1


@cache
def notice_releases() -> list[dict]:
    """The releases of the sample's Contracts Finder release package (plain ``json``)."""
    package = json.loads((SAMPLE_DIR / NOTICES).read_text(encoding="utf-8"))
    assert {"uri", "version", "publishedDate", "publisher", "releases"} <= set(package)
    assert "SYNTHETIC" in package["publisher"]["name"]
    return package["releases"]


def test_notices_are_dated_within_the_sample_and_in_pounds() -> None:
    releases = notice_releases()
    assert all(r["ocid"].startswith("ocds-b5fd17-") and r["id"] for r in releases)
    months = {r["date"][:7] for r in releases}
    assert min(months) >= "2019-04" and max(months) <= "2025-09"
    amounts = [r["tender"]["value"] for r in releases] + [
        a["value"] for r in releases for a in r.get("awards", [])
    ]
    assert {a["currency"] for a in amounts} == {"GBP"}


def test_notices_have_every_stage_duplicates_and_updates() -> None:
    releases = notice_releases()
    tags = {tag for r in releases for tag in r["tag"]}
    assert {"planning", "tender", "tenderAmendment", "award", "awardUpdate"} <= tags
    seen: dict[tuple[str, str], dict] = {}
    duplicates = 0
    for release in releases:
        key = (release["ocid"], release["id"])
        if key in seen:
            duplicates += 1
            assert seen[key] == release  # published twice, word for word
        seen[key] = release
    assert duplicates >= 3


def test_notices_include_a_g_cloud_call_off_and_a_planning_notice_before_a_tender() -> None:
    releases = notice_releases()
    call_offs = [
        r for r in releases
        if r["tender"].get("procurementMethodDetails") == "Call-off from a framework agreement"
        and "G-Cloud" in r["tender"]["title"]
    ]  # fmt: skip
    assert call_offs
    first = {}
    for release in sorted(releases, key=lambda r: r["date"]):
        for tag in release["tag"]:
            first.setdefault((release["ocid"], tag), release["date"])
    planned = [ocid for ocid, tag in first if tag == "tender" and (ocid, "planning") in first]
    assert planned and all(first[(o, "planning")] < first[(o, "tender")] for o in planned)


def test_notice_suppliers_with_and_without_a_scale() -> None:
    suppliers = [p for r in notice_releases() for p in r["parties"] if "supplier" in p["roles"]]
    scales = {p.get("details", {}).get("scale") for p in suppliers}
    assert scales == {"sme", "large", None}


def test_notice_buyers_are_the_samples_bodies() -> None:
    names = set()
    for table in ("bodies.csv", "eligible_non_buyers.csv"):
        names |= set(pd.read_csv(SOURCES_DIR / table, dtype=str)["name"])
    changes = pd.read_csv(SOURCES_DIR / "body_changes.csv", dtype=str, keep_default_na=False)
    names |= set(changes["other_name"])
    buyers = {r["buyer"]["name"] for r in notice_releases()}
    assert buyers and buyers <= names


def test_sample_dir_is_small() -> None:
    total = sum(path.stat().st_size for path in SAMPLE_DIR.rglob("*") if path.is_file())
    assert total < MAX_SAMPLE_BYTES


@pytest.mark.slow
def test_make_sample_regenerates_identical_bytes(tmp_path: Path) -> None:
    written = make_sample(tmp_path)
    assert sorted(path.name for path in written) == sorted(ALL_FILES)
    for path in written:
        assert path.read_bytes() == (SAMPLE_DIR / path.name).read_bytes(), path.name


def test_find_a_tender_notices_are_synthetic_pipelines_and_awards() -> None:
    package = json.loads((SAMPLE_DIR / FTS_NOTICES).read_text(encoding="utf-8"))
    assert "SYNTHETIC" in package["publisher"]["name"]
    releases = package["releases"]
    assert all(r["ocid"].startswith("ocds-h6vhtk-") and r["id"].endswith("-2025") for r in releases)
    types = {d["noticeType"] for r in releases for section in ("planning", "tender")
             for d in r.get(section, {}).get("documents", [])}  # fmt: skip
    types |= {d["noticeType"] for r in releases for a in r.get("awards", [])
              for d in a.get("documents", [])}  # fmt: skip
    assert {"UK1", "UK2", "UK4", "UK6"} <= types
    statuses = {a["status"] for r in releases for a in r.get("awards", [])}
    assert statuses == {"active", "pending"}
    assert all(r["date"][:7] <= "2025-09" for r in releases)


def test_dos_opportunities_have_the_real_exports_header() -> None:
    frame = pd.read_csv(SAMPLE_DIR / DOS_OPPORTUNITIES, dtype=str, keep_default_na=False)
    columns = pd.read_csv(ROOT / "data" / "reference" / "dos_opportunity_columns.csv", dtype=str)
    assert list(frame.columns) == list(columns["header"])
    assert set(frame["Status"]) == {"closed", "awarded", "cancelled", "unsuccessful"}
    assert frame.loc[frame["Status"].eq("awarded"), "Size of supplier"].ne("").any()
