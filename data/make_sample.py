"""Generate the SYNTHETIC bundled sample of CCS G-Cloud / DOS spend releases.

Everything written to ``data/sample/`` is invented: supplier names and every amount are
made up; customer names are real UK public bodies (from ``data/sample_sources/``).
The script first builds a monthly transaction-level "truth" (April 2012 to September
2025), then publishes it through overlapping releases in the historical file layouts,
where earlier releases miss some late rows and under-state some amounts that later
releases revise.

Run from the repository root with ``python data/make_sample.py``. Output is
byte-identical on every run (fixed seed, fixed XLSX timestamps).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

SEED = 20250930
HERE = Path(__file__).resolve().parent
SOURCES_DIR = HERE / "sample_sources"
DEFAULT_OUT_DIR = HERE / "sample"

N_MONTHS = 162  # April 2012 .. September 2025
FIXED_TIMESTAMP = datetime(2025, 10, 1, 9, 0, 0)
ZIP_TIMESTAMP = (2025, 10, 1, 9, 0, 0)
EXCEL_EPOCH = date(1899, 12, 30)

CENTRAL_SECTORS = ("Central Government", "Defence")
CURLY_APOSTROPHE = "\u2019"
XSS_SUPPLIER = "<img src=x onerror=alert(1)>"
INJECTION_CUSTOMER = "=SUM(A1) Test Council"

# fmt: off
# Constant tables are kept compact by hand.
# ---------------------------------------------------------------------------
# Shape of the truth: rows and spend (GBP millions) per financial year (FY starts April;
# the key is the year the FY starts in; 2025 covers April-September only).
ROWS_PER_FY = {
    "G-Cloud": {
        2012: 420, 2013: 1150, 2014: 1550, 2015: 1750, 2016: 1850, 2017: 1950, 2018: 2050,
        2019: 2100, 2020: 2200, 2021: 2250, 2022: 2300, 2023: 2350, 2024: 2400, 2025: 1250,
    },
    "DOS": {
        2016: 260, 2017: 560, 2018: 700, 2019: 800, 2020: 850, 2021: 820, 2022: 760,
        2023: 700, 2024: 650, 2025: 330,
    },
}
SPEND_PER_FY_MILLIONS = {
    "G-Cloud": {
        2012: 18.3, 2013: 138.3, 2014: 402, 2015: 585, 2016: 690, 2017: 780, 2018: 880,
        2019: 960, 2020: 1090, 2021: 1170, 2022: 1240, 2023: 1310, 2024: 1380, 2025: 720,
    },
    "DOS": {
        2016: 105, 2017: 260, 2018: 360, 2019: 450, 2020: 520, 2021: 500, 2022: 460,
        2023: 410, 2024: 360, 2025: 185,
    },
}
FAMILY_FIRST_MONTH = {"G-Cloud": "2012-04", "DOS": "2016-05"}
# Relative number of transactions by calendar month (year-end March spike).
ROW_SEASON = {1: 0.95, 2: 1.0, 3: 1.55, 4: 0.85, 5: 0.95, 6: 1.0,
              7: 1.0, 8: 0.85, 9: 1.0, 10: 1.05, 11: 1.0, 12: 0.85}
MARCH_AMOUNT_FACTOR = 1.3
# Linear drift of shares between FY 2012 and FY 2025: (2012 value, 2025 value).
SME_VALUE_SHARE = (0.55, 0.38)
SME_COUNT_PREMIUM = 0.07
CENTRAL_VALUE_SHARE = (0.79, 0.72)
CENTRAL_COUNT_DISCOUNT = 0.13
OTHER_CUSTOMER_ROW_SHARE = 0.015
CREDIT_ROW_SHARE = 0.015
WHOLE_POUND_SHARE = 0.3
ITERATION_HALF_LIFE_MONTHS = 6.0
ITERATION_TAIL_FLOOR = 0.015
AMOUNT_LOG_MEAN, AMOUNT_LOG_SD, AMOUNT_CLIP = 9.6, 1.25, 40.0
LARGE_AMOUNT_FACTOR = 2.2

# ---------------------------------------------------------------------------
# Suppliers: invented names built from word lists.
N_SME_SUPPLIERS = 276
N_LARGE_SUPPLIERS = 24
SUPPLIER_FIRST_WORDS = (
    "Brightwater", "Kestrel", "Ashgrove", "Harrowfield", "Lindenbrook", "Marlpit", "Ravensworth",
    "Sablecrest", "Copperleaf", "Wrenfield", "Fernhollow", "Oakmere", "Bluebeck", "Silverbirch",
    "Hollowmead", "Larkspur", "Granitehill", "Northwold", "Eastmarch", "Foxcote", "Heronsgate",
    "Amberlane", "Juniper", "Cobaltline", "Quillon", "Tidewell", "Stonecrop", "Mistral",
    "Westerleigh", "Brackenridge", "Dovecote", "Elmstead", "Fairhaven", "Glenholm", "Hartwell",
    "Kingsmere", "Longacre", "Meadowsweet", "Netherby", "Orchardly", "Pembrook", "Quarrybank",
    "Redkite", "Saltmarsh", "Tallowin", "Underhill", "Whitlow", "Yarrowby", "Zephyrine",
    "Ardenvale", "Beaconsfold", "Calderwick", "Everleigh", "Falconridge", "Greyling",
    "Hazelmere", "Jetstone", "Kilnworth", "Lanternfield", "Merrow", "Nightjar", "Osprey",
    "Peregrine", "Quayside", "Rowanberry", "Skylark", "Tamarisk", "Umberleigh", "Waymark",
    "Yewtree", "Blackthorn", "Cresswell", "Drumlin", "Emberton", "Flintlock", "Goldcrest",
)
SUPPLIER_SECOND_WORDS = (
    "Cloud", "Digital", "Data", "Consulting", "Systems", "Technology", "Solutions", "Analytics",
    "Software", "Networks", "Labs", "Digital Services", "Cloud Services", "Data Services",
    "IT Services", "Partners", "Informatics", "Computing", "Hosting", "Engineering", "Design",
    "Research", "Interactive", "Platforms",
)
SME_WEIGHT_SD = 1.0
LARGE_WEIGHT_LOG_MEAN = 1.5
SME_SUFFIXES = ("Ltd", "Limited", "LLP")
LEGAL_SUFFIX_WORDS = ("ltd", "limited", "llp", "plc", "uk")
SME_SUFFIX_WEIGHTS = (0.55, 0.35, 0.10)
LARGE_NAME_PATTERNS = (
    "{a} Group plc", "{a} {b} UK Limited", "{a} Global Services Ltd", "{a} Technology plc",
    "{a} {b} Holdings Ltd", "{a} Enterprise Services UK Ltd",
)
# Fixed suppliers: (name, is_sme, first month, last month). Accented names make cp1252
# matter; the early-only names appear in the 2013 release (no SME column) and in the
# 2014 release, which gives their SME status.
FIXED_SUPPLIERS = (
    ("Élan Data Systems Ltd", True, "2012-06", "2025-09"),
    ("Clément & Ward Analytics Ltd", True, "2013-01", "2025-09"),
    ("O\u2019Hara Brennan Consulting LLP", True, "2012-09", "2025-09"),
    ("Thistledown Cloud Hosting Ltd", True, "2012-04", "2013-08"),
    ("Pipistrelle Web Services Ltd", True, "2012-04", "2013-06"),
    ("Marchbank Software Limited", True, "2012-05", "2013-08"),
    ("Greatorex Systems Integration plc", False, "2012-04", "2013-07"),
)

# ---------------------------------------------------------------------------
# Customers.
ORG_TYPE_WEIGHT = {
    "Ministerial Department": 2.0, "Non-Ministerial Department": 1.2, "Executive Agency": 1.0,
    "Non-Departmental Public Body": 0.5, "Public Corporation": 0.8, "Government Company": 1.0,
    "Parliamentary Body": 0.8, "Bespoke Trading Entity": 4.0, "Armed Service": 1.2,
    "Trading Fund": 0.4, "County Council": 1.2, "District Council": 0.4,
    "Unitary Authority": 0.8, "Metropolitan District": 1.0, "London Borough": 0.8,
    "City Corporation": 0.6, "Regional Authority": 1.0, "Transport Authority": 1.5,
    "Combined Authority": 0.6, "NHS Arm's Length Body": 1.5, "NHS Trust": 0.5,
    "NHS Foundation Trust": 0.5, "Clinical Commissioning Group": 0.5,
    "Integrated Care Board": 0.8, "Commissioning Support Unit": 0.8, "Health Board": 0.6,
    "Police Force": 0.8, "Police and Crime Commissioner": 0.3, "Police Body": 0.5,
    "Fire and Rescue Service": 0.3, "University": 0.4, "Education Body": 0.8,
    "Devolved Government": 2.0, "Devolved Parliament": 0.5, "Devolved Agency": 0.6,
    "Devolved Public Body": 0.5, "Charity": 0.3, "Regulator": 0.6,
}
DEFAULT_ORG_TYPE_WEIGHT = 0.5
# How much more (or less) than its organisation type a body buys.
BUYER_SIZE_MULTIPLIER = {
    "Home Office": 6.0, "Department for Work and Pensions": 5.5, "HM Revenue and Customs": 6.0,
    "Ministry of Justice": 5.0, "Cabinet Office": 5.0, "Ministry of Defence": 3.0,
    "Department for Education": 3.0, "Department of Health and Social Care": 3.0,
    "Department for Transport": 2.5, "Department for Environment, Food and Rural Affairs": 2.5,
    "Ministry of Housing, Communities and Local Government": 2.0,
    "Foreign, Commonwealth and Development Office": 2.0,
    "Department for Business, Energy and Industrial Strategy": 2.0,
    "Department for Science, Innovation and Technology": 2.0,
    "HM Courts & Tribunals Service": 5.0, "HM Prison and Probation Service": 3.0,
    "Driver and Vehicle Licensing Agency": 3.0, "Companies House": 1.5,
    "HM Land Registry": 2.0, "Met Office": 2.0, "Rural Payments Agency": 2.0,
    "UK Health Security Agency": 3.0, "Public Health England": 2.0, "HM Passport Office": 2.0,
    "Crown Commercial Service": 1.5, "Legal Aid Agency": 1.5, "UK Border Agency": 3.0,
    "Environment Agency": 2.5,
    "Office for National Statistics": 2.0, "National Highways": 2.0, "Network Rail": 1.5,
    "Student Loans Company": 2.0, "Education and Skills Funding Agency": 1.5,
    "NHS England": 3.0, "NHS Digital": 4.0, "NHS Business Services Authority": 2.0,
    "Transport for London": 2.0, "Metropolitan Police Service": 3.0, "Scottish Government": 1.5,
    "HM Treasury": 0.4, "Office of the Leader of the House of Commons": 0.05,
    "Office of the Leader of the House of Lords": 0.05, "Office of the Advocate General for "
    "Scotland": 0.1, "Scotland Office": 0.1, "Wales Office": 0.1, "Northern Ireland Office": 0.2,
    "Attorney General's Office": 0.2, "UK Export Finance": 0.3,
    "Department for Exiting the European Union": 0.5,
}
CUSTOMER_WEIGHT_SD = 0.3
CUSTOMER_AMOUNT_ELASTICITY = 0.35  # bigger buyers also place bigger orders
ADOPTION_MEAN_MONTHS = {"central": 10.0, "other": 40.0, "created": 4.0}
# Customers seen in exactly one release: (name, family, months) -- weight 0 otherwise.
ONE_RELEASE_CUSTOMERS = (
    ("Royal National Lifeboat Institution", "G-Cloud", ("2014-02",)),
    ("Office of the Leader of the House of Lords", "G-Cloud", ("2015-06", "2015-08")),
    ("Department of Justice (Northern Ireland)", "DOS", ("2016-07",)),
    ("Civil Nuclear Constabulary", "G-Cloud", ("2019-02",)),
    ("Shelter", "DOS", ("2023-05",)),
)
XSS_ROWS = (("G-Cloud", "2015-07", 240.0), ("G-Cloud", "2019-05", 480.5),
            ("DOS", "2023-03", 1250.0), ("G-Cloud", "2024-11", 96.0))
INJECTION_ROW = ("G-Cloud", "2022-06", 150.0)

# Spelling variants applied to some customers in some releases.
ABBREVIATIONS = {
    "Department for Work and Pensions": "DWP", "HM Revenue and Customs": "HMRC",
    "Driver and Vehicle Licensing Agency": "DVLA", "Ministry of Justice": "MOJ",
    "Department for Education": "DfE", "Ministry of Defence": "MOD",
    "Department for Transport": "DfT", "HM Courts & Tribunals Service": "HMCTS",
    "Crown Commercial Service": "CCS", "Land Registry": "HMLR",
}
NAME_STYLES: dict[str, Callable[[str], str]] = {
    "title": str.title,
    "upper": str.upper,
    "trailing_space": lambda name: name + " ",
    "ampersand": lambda name: name.replace(" and ", " & "),
    "and": lambda name: name.replace(" & ", " and "),
    "abbreviation": lambda name: ABBREVIATIONS.get(name, name),
    "no_the": lambda name: name.removeprefix("The "),
    "double_space": lambda name: name.replace(" ", "  ", 1),
}
N_VARIED_CUSTOMERS = 40
VARIANT_ROW_SHARE = 0.6
FIXED_NAME_STYLES = {
    ("Department for Work and Pensions", "gc-2013-12"): "title",
    ("Department for Work and Pensions", "gc-2014-07"): "upper",
    ("Department for Work and Pensions", "gc-2017-03"): "abbreviation",
    ("Department for Work and Pensions", "gc-2017-12"): "trailing_space",
    ("Department for Work and Pensions", "ccs-2021-03"): "upper",
    ("HM Courts & Tribunals Service", "gc-2014-07"): "and",
    ("HM Courts & Tribunals Service", "ccs-2025-09"): "and",
}
# URN-list spellings that differ from the names used in spend releases.
URN_LIST_NAMES = {
    "HM Revenue and Customs": "Her Majesty's Revenue and Customs",
    "Driver and Vehicle Licensing Agency": "DVLA - Driver and Vehicle Licensing Agency",
    "Maritime and Coastguard Agency": "Maritime & Coastguard Agency",
    "Student Loans Company": "Student Loans Company Ltd",
    "Met Office": "Meteorological Office",
    "HM Land Registry": "Land Registry",
    "The National Archives": "National Archives",
    "Ministry of Justice": "Ministry Of Justice",
    "HM Courts & Tribunals Service": "Her Majesty's Courts and Tribunals Service",
    "Greater London Authority": "Greater London Authority (GLA)",
    "British Broadcasting Corporation": "BBC",
    "London Borough of Hackney": "Hackney London Borough Council",
}
URN_LIST_SECTORS = {"Defence": "Central Government"}
URN_TBA_SHARE = 0.08
COUNTRY_KEYWORDS = (
    ("Northern Ireland", ("Northern Ireland", "Belfast", "Derry", "Ulster",
                          "Business Services Organisation")),
    ("Scotland", ("Scot", "Glasgow", "Edinburgh", "Aberdeen", "Dundee", "Fife", "Highland",
                  "Lanarkshire", "Lothian", "Tayside", "Perth", "St Andrews",
                  "Accountant in Bankruptcy", "Crown Office")),
    ("Wales", ("Wales", "Welsh", "Cymru", "Cardiff", "Swansea", "Newport", "Conwy", "Gwynedd",
               "Powys", "Rhondda", "Wrexham", "Betsi", "Dyfed", "Aberystwyth", "Coleg",
               "Velindre", "Gwent", "Dwr")),
)
UK_WIDE_SECTORS = ("Central Government", "Defence", "Wider Public Sector", "Not for Profit")

# ---------------------------------------------------------------------------
# Descriptions (only the 2013, 2014 and 2017 layouts carry one).
LOT_PHRASES = {
    ("gcloud_classic", 1): ("Cloud hosting - production environment", "Virtual servers",
                            "Backup and recovery service", "Hosting - test environments",
                            "Content delivery network", "Managed infrastructure"),
    ("gcloud_classic", 2): ("Application platform hosting", "Managed database platform",
                            "Container platform", "Platform support and licences"),
    ("gcloud_classic", 3): ("Collaboration software licences", "Case management system",
                            "Email and office productivity", "CRM licences",
                            "Survey tool subscription", "Document management service",
                            "HR and payroll software"),
    ("gcloud_classic", 4): ("Agile delivery team", "Discovery and alpha", "Service design",
                            "Technical architecture support", "Cloud migration consultancy",
                            "Security accreditation support", "Data migration",
                            "Programme management support", "User research",
                            "DevOps engineering"),
}
DEFAULT_PHRASES = ("Cloud services", "Digital services")
DESCRIPTION_SUFFIXES = ("", "", "", " - phase 2", " (call-off 1)", " - extension",
                        " - licences", " - support")
BLANK_DESCRIPTION_SHARE = 0.08

# ---------------------------------------------------------------------------
# Releases and their publication quirks.
DROP_SHARE_FROM_END = (0.16, 0.09, 0.04)  # last month, one before, two before
REVISE_SHARE = 0.25
REVISION_RANGE = (0.05, 0.30)
STRAY_MONTH_SUFFIXES = (" ", ".", "  ")
STRAY_MONTH_SHARE = 0.04
SERIAL_MONTH_SHARE = 0.45
BRACKET_NEGATIVE_SHARE = 0.5
POUND_TEXT_SHARE_DEC2017 = 0.5


@dataclass(frozen=True)
class Release:
    """One published file: which frameworks and months it covers, and how it is written."""

    key: str
    filename: str
    families: tuple[str, ...]
    first: str
    last: str
    writer: str


@dataclass(frozen=True)
class Tables:
    """Source and invented tables that the truth and the release writers look up."""

    frameworks: pd.DataFrame  # indexed by key (GC1..GC14, DOS1..DOS6)
    lots: pd.DataFrame
    non_buyers: pd.DataFrame
    suppliers: pd.DataFrame
    customers: pd.DataFrame
    names: np.ndarray  # customers x months: the name each customer had that month
    urns: dict[str, int]
    name_styles: dict[tuple[int, str], str]  # (customer, release key) -> spelling style


RELEASES = (
    Release("gc-2013-12", "G-Cloud-spend-2013-12.csv", ("G-Cloud",),
            "2012-04", "2013-11", "csv_2013"),
    Release("gc-2014-07", "G-Cloud-Spend-2014-07.csv", ("G-Cloud",),
            "2012-04", "2014-06", "csv_2014"),
    Release("gc-2017-03", "G-Cloud-spend-2017-03.csv", ("G-Cloud",),
            "2014-04", "2017-02", "csv_2017"),
    Release("gc-2017-12", "G-Cloud-spend-Dec2017.csv", ("G-Cloud",),
            "2016-10", "2017-11", "csv_dec2017"),
    Release("dos-2017-12", "DOS-spend-Dec2017.csv", ("DOS",),
            "2016-05", "2017-11", "csv_dec2017"),
    Release("ccs-2021-03", "CCS-G-Cloud-DOS-spend-2021-03.xlsx", ("G-Cloud", "DOS"),
            "2017-10", "2021-02", "xlsx_2021"),
    Release("ccs-2025-09", "CCS-G-Cloud-DOS-spend-2025-09.xlsx", ("G-Cloud", "DOS"),
            "2020-12", "2025-09", "xlsx_2025"),
)
URN_LIST_FILENAME = "customer_urn_list_sample.xlsx"

HEADER_2013 = ("Framework", "Lot", "Supplier", "Customer", "For_Month",
               "Product_Service_Description", "Total_Charge")
HEADER_2014 = ("ID", "Framework", "LotDescription", "SupplierName", "CustomerName",
               "ReturnMonth", "ProjectNameAndDescription", "EvidencedSpend", "Sector",
               "SMEorLarge")
HEADER_2017 = ("Framework", "Lot", "Supplier", "Customer Sector", "Customer Name",
               "Product/Service Description", "Return Month", "Evidenced Spend", "SME Status")
HEADER_DEC2017 = ("Sector", "Lot", "Month", "Spend", "SME Status", "Supplier", "Customer",
                  "Framework")
HEADER_CCS_COMMON = ("Customer URN", "Customer Name", "Customer Sector", "Supplier Name",
                     "SME Status", "Framework Number", "Framework Name", "Lot Number",
                     "Lot Name")
HEADER_2021 = (*HEADER_CCS_COMMON, "Spend Month", "Evidenced Spend (ex VAT)")
HEADER_2025 = (*HEADER_CCS_COMMON, "Customer Invoice/Credit Note Date", "Total Cost (ex VAT)")
TITLE_ROWS_2021 = ("Crown Commercial Service",
                   "Digital Marketplace spend – management information",
                   "Data as at 31/03/2021")
TITLE_ROWS_2025 = ("Crown Commercial Service – G-Cloud and Digital Outcomes spend to "
                   "September 2025 (SYNTHETIC SAMPLE)",)
URN_HEADER = ("URN", "Organisation Name", "Address Line 1", "Address Line 2", "Address Line 3",
              "County", "Country", "Post Code", "Sector", "Organisation Type")
MERGES_HEADER = ("Field / Event", "Old Value", "URN", "Organisation Name", "Edit Date")
NAME_CHANGES_HEADER = ("Field / Event", "Old Value", "New Value", "URN", "Edit Date")
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"


# fmt: on


# ---------------------------------------------------------------------------
# Month helpers: a month is an integer index, 0 = April 2012.
def month_index(text: str) -> int:
    """Return the month index of a ``YYYY-MM`` string."""
    year, month = (int(part) for part in text.split("-"))
    return (year - 2012) * 12 + month - 4


def month_start(index: int) -> date:
    """Return the first day of the month with this index."""
    years, month0 = divmod(index + 3, 12)
    return date(2012 + years, month0 + 1, 1)


def financial_year(index: np.ndarray | int) -> np.ndarray | int:
    """Return the year in which the financial year of this month index starts."""
    return 2012 + np.asarray(index) // 12


def calendar_month(index: np.ndarray) -> np.ndarray:
    """Return the calendar month number (1-12) of month indices."""
    return (np.asarray(index) + 3) % 12 + 1


def drift(shares: tuple[float, float], fy: np.ndarray) -> np.ndarray:
    """Linearly interpolate a share between FY 2012 and FY 2025."""
    position = (np.asarray(fy, dtype=float) - 2012.0) / 13.0
    return shares[0] + (shares[1] - shares[0]) * position


# ---------------------------------------------------------------------------
# Source tables.
def read_source(filename: str) -> pd.DataFrame:
    """Read a CSV from ``data/sample_sources`` with every column as text."""
    return pd.read_csv(SOURCES_DIR / filename, dtype=str, keep_default_na=False)


def load_frameworks() -> pd.DataFrame:
    """Framework iterations with their spend windows and per-release labels."""
    frameworks = read_source("frameworks.csv")
    frameworks["start"] = frameworks["spend_start"].map(month_index)
    frameworks["end"] = frameworks["spend_end"].map(month_index)
    return frameworks.set_index("key")


def load_lots() -> pd.DataFrame:
    """Lots per lot scheme, with count weights and amount multipliers."""
    lots = read_source("lots.csv")
    lots["lot_number"] = lots["lot_number"].astype(int)
    for column in ("count_weight_2012", "count_weight_2025", "amount_multiplier"):
        lots[column] = lots[column].astype(float)
    return lots


# ---------------------------------------------------------------------------
# Suppliers.
def name_core(name: str) -> str:
    """A supplier name without case and trailing legal words (``Ltd``, ``UK``, ``plc``...)."""
    words = name.lower().replace(".", "").split()
    while words and words[-1] in LEGAL_SUFFIX_WORDS:
        words.pop()
    return " ".join(words)


def invent_names(
    rng: np.random.Generator, count: int, make: Callable[[str, str], str], taken: set[str]
) -> list[str]:
    """Invent ``count`` names from the word lists, unique even once legal suffixes are cut."""
    names: list[str] = []
    while len(names) < count:
        first = str(rng.choice(SUPPLIER_FIRST_WORDS))
        second = str(rng.choice(SUPPLIER_SECOND_WORDS))
        name = make(first, second)
        if name_core(name) not in taken:
            taken.add(name_core(name))
            names.append(name)
    return names


def supplier_names(rng: np.random.Generator) -> tuple[list[str], list[str]]:
    """Return invented (SME names, large-supplier names)."""
    taken = {name_core(name) for name, *_ in FIXED_SUPPLIERS}
    suffixes = rng.choice(SME_SUFFIXES, size=N_SME_SUPPLIERS * 3, p=SME_SUFFIX_WEIGHTS)
    suffix_iter = iter(suffixes)
    smes = invent_names(rng, N_SME_SUPPLIERS, lambda a, b: f"{a} {b} {next(suffix_iter)}", taken)
    patterns = iter(np.resize(LARGE_NAME_PATTERNS, N_LARGE_SUPPLIERS * 3))
    larges = invent_names(
        rng, N_LARGE_SUPPLIERS, lambda a, b: str(next(patterns)).format(a=a, b=b), taken
    )
    return smes, larges


def build_suppliers(rng: np.random.Generator) -> pd.DataFrame:
    """Suppliers with stable SME status, buying weight, amount scale and active window."""
    smes, larges = supplier_names(rng)
    n_sme, n_large = len(smes), len(larges)
    suppliers = pd.DataFrame(
        {
            "name": smes + larges,
            "is_sme": [True] * n_sme + [False] * n_large,
            "weight": np.concatenate(
                [
                    rng.lognormal(0.0, SME_WEIGHT_SD, n_sme),
                    rng.lognormal(LARGE_WEIGHT_LOG_MEAN, 0.6, n_large),
                ]
            ),
            "scale": rng.lognormal(0.0, 0.5, n_sme + n_large),
            "start": np.where(
                rng.random(n_sme + n_large) < 0.3,
                0,
                rng.integers(0, N_MONTHS - 12, n_sme + n_large),
            ),
        }
    )
    suppliers.loc[~suppliers["is_sme"], "start"] = rng.integers(0, 40, n_large)
    lifetime = rng.integers(24, 2 * N_MONTHS, len(suppliers))
    suppliers["end"] = np.minimum(suppliers["start"] + lifetime, N_MONTHS - 1)
    fixed = pd.DataFrame(
        {
            "name": [row[0] for row in FIXED_SUPPLIERS],
            "is_sme": [row[1] for row in FIXED_SUPPLIERS],
            "weight": 1.0,
            "scale": 1.0,
            "start": [month_index(row[2]) for row in FIXED_SUPPLIERS],
            "end": [month_index(row[3]) for row in FIXED_SUPPLIERS],
        }
    )
    suppliers = pd.concat([suppliers, fixed], ignore_index=True)
    affinity = rng.dirichlet(np.full(4, 0.8), len(suppliers))
    for lot in range(4):
        suppliers[f"affinity_{lot + 1}"] = affinity[:, lot]
    suppliers.loc[len(suppliers)] = {
        "name": XSS_SUPPLIER,
        "is_sme": True,
        "weight": 0.0,
        "scale": 1.0,
        "start": 0,
        "end": N_MONTHS - 1,
        **{f"affinity_{lot}": 0.25 for lot in range(1, 5)},
    }
    return suppliers


# ---------------------------------------------------------------------------
# Customers.
def body_windows(
    bodies: pd.DataFrame, changes: pd.DataFrame, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Return first and last buying month of each body (creation, adoption, merger).

    Bigger buyers adopt the frameworks sooner.
    """
    created = changes[changes["event"] == "created"].set_index("body")["month"]
    merged = changes[changes["event"] == "merged"].set_index("body")["month"]
    base = bodies["name"].map(created).fillna("2012-04").map(month_index).to_numpy()
    is_central = bodies["sector"].isin(CENTRAL_SECTORS).to_numpy()
    mean = np.where(is_central, ADOPTION_MEAN_MONTHS["central"], ADOPTION_MEAN_MONTHS["other"])
    mean = np.where(bodies["name"].isin(created.index), ADOPTION_MEAN_MONTHS["created"], mean)
    mean = mean / np.maximum(bodies["name"].map(BUYER_SIZE_MULTIPLIER).fillna(1.0), 1.0)
    start = base + np.floor(rng.exponential(mean)).astype(int)
    end = bodies["name"].map(merged).map(month_index, na_action="ignore")
    end = (end.fillna(N_MONTHS).to_numpy() - 1).astype(int)
    return np.minimum(start, N_MONTHS - 1), end


def body_weights(bodies: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    """Buying weight of each body from its organisation type, size and chance."""
    base = bodies["organisation_type"].map(ORG_TYPE_WEIGHT).fillna(DEFAULT_ORG_TYPE_WEIGHT)
    size = bodies["name"].map(BUYER_SIZE_MULTIPLIER).fillna(1.0)
    weight = (base * size).to_numpy() * rng.lognormal(0.0, CUSTOMER_WEIGHT_SD, len(bodies))
    one_off = bodies["name"].isin([row[0] for row in ONE_RELEASE_CUSTOMERS])
    return np.where(one_off, 0.0, weight)


def build_customers(rng: np.random.Generator) -> pd.DataFrame:
    """Buying customers: real bodies plus a few private or unknown customers."""
    bodies = read_source("bodies.csv")
    changes = read_source("body_changes.csv")
    start, end = body_windows(bodies, changes, rng)
    bodies = bodies.assign(
        kind="body",
        release_sector=bodies["sector"],
        weight=body_weights(bodies, rng),
        start=start,
        end=end,
    )
    others = read_source("other_customers.csv").rename(columns={"sector": "release_sector"})
    others = others.assign(
        kind="other",
        sector=others["release_sector"],
        organisation_type="",
        parent_department="",
        weight=rng.lognormal(0.0, 0.5, len(others)),
        start=0,
        end=N_MONTHS - 1,
    )
    injection = pd.DataFrame(
        [
            {
                "name": INJECTION_CUSTOMER,
                "release_sector": "Unregistered or Unknown",
                "sector": "Unregistered or Unknown",
                "urn_sector": "",
                "kind": "test",
                "organisation_type": "",
                "parent_department": "",
                "weight": 0.0,
                "start": 0,
                "end": N_MONTHS - 1,
            }
        ]
    )
    customers = pd.concat([bodies, others, injection], ignore_index=True)
    customers["urn_sector"] = customers["urn_sector"].fillna("")
    customers["is_central"] = customers["sector"].isin(CENTRAL_SECTORS)
    typical = np.median(customers.loc[customers["weight"] > 0, "weight"])
    relative = np.maximum(customers["weight"].to_numpy(), typical * 0.1) / typical
    customers["scale"] = relative**CUSTOMER_AMOUNT_ELASTICITY
    return customers


def name_history(customers: pd.DataFrame) -> np.ndarray:
    """Return a customers x months array of the name each customer had in each month."""
    names = np.repeat(customers["name"].to_numpy()[:, None], N_MONTHS, axis=1)
    renames = read_source("body_changes.csv").query("event == 'renamed'")
    position = {name: i for i, name in enumerate(customers["name"])}
    ordered = renames.assign(until=renames["month"].map(month_index)).sort_values(
        "until", ascending=False
    )
    for row in ordered.itertuples():
        names[position[row.body], : row.until] = row.other_name
    return names


def assign_urns(
    customers: pd.DataFrame, non_buyers: pd.DataFrame, rng: np.random.Generator
) -> dict[str, int]:
    """Give every body, non-buyer and registered private customer an 8-digit URN."""
    registered = customers[(customers["kind"] == "body") | (customers["urn_sector"] != "")]
    names = [*registered["name"], *non_buyers["name"]]
    numbers = 10_000_000 + rng.choice(100_000, size=len(names), replace=False)
    return dict(zip(names, numbers.tolist(), strict=True))


# ---------------------------------------------------------------------------
# The truth.
def monthly_row_counts(family: str, rng: np.random.Generator) -> np.ndarray:
    """Number of transactions in each month: smooth growth, March spikes, Poisson noise."""
    per_fy = ROWS_PER_FY[family]
    first = month_index(FAMILY_FIRST_MONTH[family])
    months = np.arange(N_MONTHS)
    centres = np.array([(fy - 2012) * 12 + 5.5 for fy in per_fy])
    rates = np.log([rows / 12 for rows in per_fy.values()])
    shape = np.exp(np.interp(months, centres, rates)) * np.array(
        [ROW_SEASON[m] for m in calendar_month(months)]
    )
    shape[months < first] = 0.0
    fy = financial_year(months)
    expected = np.zeros(N_MONTHS)
    for year, rows in per_fy.items():
        in_year = fy == year
        expected[in_year] = rows * shape[in_year] / shape[in_year].sum()
    counts = rng.poisson(expected)
    return np.where(expected > 0, np.maximum(counts, 1), 0)


def iteration_weights(frameworks: pd.DataFrame) -> np.ndarray:
    """Months x iterations weights: newest iteration dominates, older ones decay.

    An iteration decays once the next iteration of the same family starts, down to a
    small floor (long-running call-off contracts), and stops at its last spend month.
    """
    months = np.arange(N_MONTHS)[:, None]
    start = frameworks["start"].to_numpy()[None, :]
    end = frameworks["end"].to_numpy()[None, :]
    next_start = frameworks.groupby("family")["start"].shift(-1).fillna(N_MONTHS)
    successor = next_start.to_numpy()[None, :]
    age_after_successor = np.maximum(months - successor, 0)
    decay = np.maximum(
        0.5 ** (age_after_successor / ITERATION_HALF_LIFE_MONTHS), ITERATION_TAIL_FLOOR
    )
    ramp = np.clip((months - start + 1) / 3.0, 0.0, 1.0)
    return np.where((months >= start) & (months <= end), decay * ramp, 0.0)


def sample_rows(probabilities: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Draw one column index per row from row-wise (unnormalised) probabilities."""
    cumulative = probabilities.cumsum(axis=1)
    draws = rng.random(len(probabilities)) * cumulative[:, -1]
    return (draws[:, None] >= cumulative).sum(axis=1)


def choose_active(
    month: np.ndarray,
    flag: np.ndarray,
    weights: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
    groups: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """Pick, per row, an entity of the row's group that is active in the row's month."""
    chosen = np.empty(len(month), dtype=int)
    for key in np.unique(np.stack([month, flag]), axis=1).T:
        rows = np.flatnonzero((month == key[0]) & (flag == key[1]))
        active = (starts <= key[0]) & (ends >= key[0]) & (groups == key[1]) & (weights > 0)
        candidates = np.flatnonzero(active)
        p = weights[candidates] / weights[candidates].sum()
        chosen[rows] = rng.choice(candidates, size=len(rows), p=p)
    return chosen


def choose_lots(
    schemes: np.ndarray,
    supplier: np.ndarray,
    month: np.ndarray,
    lots: pd.DataFrame,
    suppliers: pd.DataFrame,
    rng: np.random.Generator,
) -> np.ndarray:
    """Lot number per row from the scheme's time-drifting weights and supplier affinity."""
    affinity = suppliers[[f"affinity_{lot}" for lot in range(1, 5)]].to_numpy()[supplier]
    position = (month / (N_MONTHS - 1))[:, None]
    result = np.zeros(len(month), dtype=int)
    for scheme, table in lots.groupby("lot_scheme"):
        rows = np.flatnonzero(schemes == scheme)
        start = table["count_weight_2012"].to_numpy()[None, :]
        end = table["count_weight_2025"].to_numpy()[None, :]
        weights = (start + (end - start) * position[rows]) * affinity[rows, : len(table)]
        result[rows] = table["lot_number"].to_numpy()[sample_rows(weights, rng)]
    return result


def customer_groups(fy: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Customer group per row: 1 central, 0 other public sector, 2 private or unknown."""
    central = rng.random(len(fy)) < drift(CENTRAL_VALUE_SHARE, fy) - CENTRAL_COUNT_DISCOUNT
    other = rng.random(len(fy)) < OTHER_CUSTOMER_ROW_SHARE
    return np.where(other, 2, central.astype(int))


def draw_family(family: str, tables: Tables, rng: np.random.Generator) -> pd.DataFrame:
    """Draw the transactions of one framework family (amounts still unscaled)."""
    frameworks = tables.frameworks.query("family == @family")
    suppliers, customers = tables.suppliers, tables.customers
    month = np.repeat(np.arange(N_MONTHS), monthly_row_counts(family, rng))
    fy = financial_year(month)
    iteration = sample_rows(iteration_weights(frameworks)[month], rng)
    is_sme = rng.random(len(month)) < drift(SME_VALUE_SHARE, fy) + SME_COUNT_PREMIUM
    supplier = choose_active(
        month,
        is_sme,
        suppliers["weight"].to_numpy(),
        suppliers["start"].to_numpy(),
        suppliers["end"].to_numpy(),
        suppliers["is_sme"].to_numpy(),
        rng,
    )
    group = customer_groups(fy, rng)
    customer_group = np.where(customers["kind"] != "body", 2, customers["is_central"].astype(int))
    customer = choose_active(
        month,
        group,
        customers["weight"].to_numpy(),
        customers["start"].to_numpy(),
        customers["end"].to_numpy(),
        customer_group,
        rng,
    )
    schemes = frameworks["lot_scheme"].to_numpy()[iteration]
    lot = choose_lots(schemes, supplier, month, tables.lots, suppliers, rng)
    return pd.DataFrame(
        {
            "family": family,
            "framework": frameworks.index.to_numpy()[iteration],
            "lot_scheme": schemes,
            "lot": lot,
            "month": month,
            "supplier": supplier,
            "customer": customer,
        }
    )


def raw_amounts(truth: pd.DataFrame, tables: Tables, rng: np.random.Generator) -> np.ndarray:
    """Unscaled amounts: lognormal x lot, supplier size, March and credit effects."""
    lots = tables.lots.set_index(["lot_scheme", "lot_number"])["amount_multiplier"]
    lot_factor = lots.reindex(pd.MultiIndex.from_arrays([truth["lot_scheme"], truth["lot"]]))
    suppliers = tables.suppliers
    size = np.where(suppliers["is_sme"], 1.0, LARGE_AMOUNT_FACTOR)[truth["supplier"]]
    base = np.minimum(
        rng.lognormal(AMOUNT_LOG_MEAN, AMOUNT_LOG_SD, len(truth)),
        AMOUNT_CLIP * np.exp(AMOUNT_LOG_MEAN),
    )
    march = np.where(calendar_month(truth["month"].to_numpy()) == 3, MARCH_AMOUNT_FACTOR, 1.0)
    amount = (
        base
        * lot_factor.to_numpy()
        * size
        * march
        * suppliers["scale"].to_numpy()[truth["supplier"]]
        * tables.customers["scale"].to_numpy()[truth["customer"]]
    )
    credit = rng.random(len(truth)) < CREDIT_ROW_SHARE
    return np.where(credit, -amount * rng.uniform(0.05, 0.6, len(truth)), amount)


def rescale_to_targets(truth: pd.DataFrame, tables: Tables) -> np.ndarray:
    """Scale amounts so each (family, FY, SME, central) cell hits its spend target."""
    suppliers, customers = tables.suppliers, tables.customers
    cells = pd.DataFrame(
        {
            "family": truth["family"],
            "fy": financial_year(truth["month"].to_numpy()),
            "sme": suppliers["is_sme"].to_numpy()[truth["supplier"]],
            "central": customers["is_central"].to_numpy()[truth["customer"]],
            "amount": truth["amount"],
        }
    )
    sums = cells.groupby(["family", "fy", "sme", "central"])["amount"].transform("sum")
    total = [
        SPEND_PER_FY_MILLIONS[f][y] * 1e6 for f, y in zip(cells["family"], cells["fy"], strict=True)
    ]
    sme_share = drift(SME_VALUE_SHARE, cells["fy"].to_numpy())
    central_share = drift(CENTRAL_VALUE_SHARE, cells["fy"].to_numpy())
    target = (
        np.asarray(total)
        * np.where(cells["sme"], sme_share, 1 - sme_share)
        * np.where(cells["central"], central_share, 1 - central_share)
    )
    return cells["amount"].to_numpy() * target / sums.to_numpy()


def round_amounts(amount: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Round to pence, with some amounts in whole pounds."""
    whole = rng.random(len(amount)) < WHOLE_POUND_SHARE
    return np.where(whole, np.round(amount), np.round(amount, 2))


def active_body(customers: pd.DataFrame, month: int, rng: np.random.Generator) -> int:
    """A random ordinary buying body that is active in ``month``."""
    active = (
        (customers["kind"] == "body")
        & (customers["weight"] > 0)
        & (customers["start"] <= month)
        & (customers["end"] >= month)
    )
    return int(rng.choice(np.flatnonzero(active)))


def special_rows(tables: Tables, rng: np.random.Generator) -> pd.DataFrame:
    """Rows for one-release customers and the XSS / formula-injection test names."""
    suppliers, customers = tables.suppliers, tables.customers
    position = {name: i for i, name in enumerate(customers["name"])}
    xss = int(np.flatnonzero(suppliers["name"] == XSS_SUPPLIER)[0])
    plain_smes = np.flatnonzero(suppliers["is_sme"] & (suppliers["weight"] > 0))
    rows = [
        (family, xss, active_body(customers, month_index(month), rng), month, amount)
        for family, month, amount in XSS_ROWS
    ]
    rows.append(
        (
            INJECTION_ROW[0],
            int(rng.choice(plain_smes)),
            position[INJECTION_CUSTOMER],
            INJECTION_ROW[1],
            INJECTION_ROW[2],
        )
    )
    for name, family, months in ONE_RELEASE_CUSTOMERS:
        rows += [
            (
                family,
                int(rng.choice(plain_smes)),
                position[name],
                month,
                float(np.round(rng.uniform(2_000, 60_000), 2)),
            )
            for month in months
        ]
    frame = pd.DataFrame(rows, columns=["family", "supplier", "customer", "month", "amount"])
    frame["month"] = frame["month"].map(month_index)
    return frame


def complete_special_rows(
    special: pd.DataFrame, tables: Tables, rng: np.random.Generator
) -> pd.DataFrame:
    """Give special rows a framework iteration and lot like the drawn rows."""
    frameworks = tables.frameworks
    weights = iteration_weights(frameworks)[special["month"].to_numpy()]
    weights = weights * (
        frameworks["family"].to_numpy()[None, :] == special["family"].to_numpy()[:, None]
    )
    iteration = sample_rows(weights, rng)
    special["framework"] = frameworks.index.to_numpy()[iteration]
    special["lot_scheme"] = frameworks["lot_scheme"].to_numpy()[iteration]
    special["lot"] = choose_lots(
        special["lot_scheme"].to_numpy(),
        special["supplier"].to_numpy(),
        special["month"].to_numpy(),
        tables.lots,
        tables.suppliers,
        rng,
    )
    return special


def descriptions(truth: pd.DataFrame, rng: np.random.Generator) -> list[str]:
    """A short product/service description per transaction (some left blank)."""
    texts = []
    picks = rng.random(len(truth))
    suffixes = rng.choice(DESCRIPTION_SUFFIXES, size=len(truth))
    blank = rng.random(len(truth)) < BLANK_DESCRIPTION_SHARE
    for scheme, lot, pick, suffix, empty in zip(
        truth["lot_scheme"], truth["lot"], picks, suffixes, blank, strict=True
    ):
        phrases = LOT_PHRASES.get((scheme, lot), DEFAULT_PHRASES)
        texts.append("" if empty else phrases[int(pick * len(phrases))] + str(suffix))
    return texts


def build_truth(tables: Tables, rng: np.random.Generator) -> pd.DataFrame:
    """The full synthetic transaction table that the releases publish."""
    truth = pd.concat(
        [draw_family(family, tables, rng) for family in ROWS_PER_FY], ignore_index=True
    )
    truth["amount"] = raw_amounts(truth, tables, rng)
    truth["amount"] = round_amounts(rescale_to_targets(truth, tables), rng)
    special = complete_special_rows(special_rows(tables, rng), tables, rng)
    truth = pd.concat([truth, special], ignore_index=True)
    truth["description"] = descriptions(truth, rng)
    truth["day"] = rng.integers(1, 29, len(truth))
    truth["order"] = rng.random(len(truth))
    truth = truth.sort_values(["month", "order"], kind="stable", ignore_index=True)
    truth["txn_id"] = np.arange(len(truth))
    return truth


# ---------------------------------------------------------------------------
# Publishing releases.
def superseded_months(position: int, family: str) -> set[int]:
    """Months of this family that a later release publishes again."""
    later = [r for r in RELEASES[position + 1 :] if family in r.families]
    return {m for r in later for m in range(month_index(r.first), month_index(r.last) + 1)}


def release_rows(truth: pd.DataFrame, position: int, rng: np.random.Generator) -> pd.DataFrame:
    """Rows as published by one release: late rows missing, some amounts under-stated."""
    release = RELEASES[position]
    first, last = month_index(release.first), month_index(release.last)
    rows = truth[
        truth["family"].isin(release.families) & truth["month"].between(first, last)
    ].copy()
    age = last - rows["month"].to_numpy()
    superseded = np.zeros(len(rows), dtype=bool)
    for family in release.families:
        later_months = list(superseded_months(position, family))
        superseded |= (rows["family"].eq(family) & rows["month"].isin(later_months)).to_numpy()
    provisional = superseded & (age < len(DROP_SHARE_FROM_END))
    drop_share = np.array(DROP_SHARE_FROM_END)[np.minimum(age, len(DROP_SHARE_FROM_END) - 1)]
    dropped = provisional & (rng.random(len(rows)) < drop_share)
    revised = provisional & (rng.random(len(rows)) < REVISE_SHARE)
    factor = 1 + rng.uniform(*REVISION_RANGE, len(rows))
    rows["amount"] = np.where(revised, np.round(rows["amount"] / factor, 2), rows["amount"])
    return rows[~dropped].reset_index(drop=True)


def choose_name_styles(
    customers: pd.DataFrame, rng: np.random.Generator
) -> dict[tuple[int, str], str]:
    """Pick, per release, a spelling style for a set of frequently named customers."""
    bodies = np.flatnonzero((customers["kind"] == "body") & (customers["weight"] > 0))
    p = customers["weight"].to_numpy()[bodies] / customers["weight"].to_numpy()[bodies].sum()
    varied = rng.choice(bodies, size=N_VARIED_CUSTOMERS, replace=False, p=p)
    styles: dict[tuple[int, str], str] = {}
    all_names = customers["name"].to_numpy()
    for customer in varied:
        name = all_names[customer]
        usable = [key for key, style in NAME_STYLES.items() if style(name) != name]
        for release in RELEASES:
            if rng.random() < 0.7:
                styles[(customer, release.key)] = str(rng.choice(usable))
    position = {name: i for i, name in enumerate(customers["name"])}
    for (name, release_key), style in FIXED_NAME_STYLES.items():
        styles[(position[name], release_key)] = style
    return styles


def customer_display_names(
    rows: pd.DataFrame, release: Release, tables: Tables, rng: np.random.Generator
) -> list[str]:
    """Customer names as spelled in this release (history, variants, apostrophes)."""
    names = tables.names[rows["customer"].to_numpy(), rows["month"].to_numpy()].tolist()
    styles = tables.name_styles
    use_variant = rng.random(len(rows)) < VARIANT_ROW_SHARE
    for i, (customer, variant) in enumerate(zip(rows["customer"], use_variant, strict=True)):
        style = styles.get((customer, release.key))
        if style and variant:
            names[i] = NAME_STYLES[style](names[i])
    if release.writer == "csv_2014":
        names = [name.replace("'", CURLY_APOSTROPHE) for name in names]
    return names


def published(truth: pd.DataFrame, position: int, tables: Tables) -> pd.DataFrame:
    """Release rows with the label columns every writer needs."""
    release = RELEASES[position]
    rng = np.random.default_rng([SEED, position])
    rows = release_rows(truth, position, rng)
    suppliers, customers = tables.suppliers, tables.customers
    rows["supplier_name"] = suppliers["name"].to_numpy()[rows["supplier"]]
    rows["is_sme"] = suppliers["is_sme"].to_numpy()[rows["supplier"]]
    rows["customer_name"] = customer_display_names(rows, release, tables, rng)
    rows["sector"] = customers["release_sector"].to_numpy()[rows["customer"]]
    rows["urn"] = customers["name"].map(tables.urns).to_numpy()[rows["customer"]]
    rows["date"] = [month_start(m) for m in rows["month"]]
    rows["random"] = rng.random(len(rows))
    return rows.astype(object)  # plain Python values iterate much faster than Arrow strings


# ---------------------------------------------------------------------------
# Text formatting.
def plain_number(amount: float) -> str:
    """Format like ``1234.5`` (no thousands separator, no trailing zeros)."""
    return f"{amount:.2f}".rstrip("0").rstrip(".")


def pound_text(amount: float, brackets: bool) -> str:
    """Format like ``£1,234.56``; negatives as ``(£1,234.56)`` or ``-£1,234.56``."""
    text = f"£{abs(amount):,.2f}"
    if amount >= 0:
        return text
    return f"({text})" if brackets else f"-{text}"


def excel_serial(day: date) -> int:
    """Excel serial day number of a date."""
    return (day - EXCEL_EPOCH).days


def lot_label_2013(framework: dict, lot: int, lot_name: str) -> str:
    """Lot label in the 2013 layout: ``Lot N`` or the lot name, by framework iteration."""
    return f"Lot {lot}" if framework["lot_style_2013"] == "number" else lot_name


def lot_lookup(lots: pd.DataFrame, column: str) -> dict[tuple[str, int], str]:
    """Map (lot scheme, lot number) to a label column of ``lots.csv``."""
    return dict(
        zip(zip(lots["lot_scheme"], lots["lot_number"], strict=True), lots[column], strict=True)
    )


# ---------------------------------------------------------------------------
# Writers.
def write_csv(
    path: Path, header: Sequence[str], rows: list[list], encoding: str, line_end: str
) -> None:
    """Write a CSV file with an exact encoding and line terminator."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=line_end)
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))


def write_csv_2013(rows: pd.DataFrame, path: Path, tables: Tables) -> None:
    """2013 layout: UTF-8, LF, no sector or SME, stray characters after some months."""
    frameworks = tables.frameworks.to_dict("index")
    names = lot_lookup(tables.lots, "lot_name")
    out = []
    for row in rows.itertuples():
        framework = frameworks[row.framework]
        month = row.date.strftime("%d/%m/%Y")
        if row.random < STRAY_MONTH_SHARE:
            month += STRAY_MONTH_SUFFIXES[int(row.random * 1000) % len(STRAY_MONTH_SUFFIXES)]
        out.append(
            [
                framework["label_2013"],
                lot_label_2013(framework, row.lot, names[(row.lot_scheme, row.lot)]),
                row.supplier_name,
                row.customer_name,
                month,
                row.description,
                plain_number(row.amount),
            ]
        )
    write_csv(path, HEADER_2013, out, "utf-8", "\n")


def write_csv_2014(rows: pd.DataFrame, path: Path, tables: Tables) -> None:
    """2014 layout: cp1252, CR-only lines, Framework always ``G-Cloud``, lot numbers."""
    out = [
        [
            i,
            "G-Cloud",
            row.lot,
            row.supplier_name,
            row.customer_name,
            row.date.isoformat(),
            row.description,
            plain_number(row.amount),
            row.sector,
            "SME" if row.is_sme else "Large",
        ]
        for i, row in enumerate(rows.itertuples(), start=1)
    ]
    write_csv(path, HEADER_2014, out, "cp1252", "\r")


def write_csv_2017(rows: pd.DataFrame, path: Path, tables: Tables) -> None:
    """2017 GOV.UK layout: UTF-8 BOM, CRLF, mixed month formats, ``£`` text amounts."""
    frameworks = tables.frameworks["label_2017"].to_dict()
    names = lot_lookup(tables.lots, "lot_name")
    out = []
    for row in rows.itertuples():
        serial = row.random < SERIAL_MONTH_SHARE
        month = str(excel_serial(row.date)) if serial else row.date.strftime("%d/%m/%y")
        brackets = row.txn_id % 100 < BRACKET_NEGATIVE_SHARE * 100
        amount = pound_text(row.amount, brackets=brackets)
        out.append(
            [
                frameworks[row.framework],
                names[(row.lot_scheme, row.lot)],
                row.supplier_name,
                row.sector,
                row.customer_name,
                row.description,
                month,
                amount,
                "SME" if row.is_sme else "Large",
            ]
        )
    write_csv(path, HEADER_2017, out, "utf-8-sig", "\r\n")


def write_csv_dec2017(rows: pd.DataFrame, path: Path, tables: Tables) -> None:
    """December 2017 layout: cp1252, CRLF, ``Jan-17`` months; DOS file has no Framework."""
    frameworks = tables.frameworks["label_dec2017"].to_dict()
    labels = lot_lookup(tables.lots, "label_dec2017")
    with_framework = rows["family"].eq("G-Cloud").all()
    header = HEADER_DEC2017 if with_framework else HEADER_DEC2017[:-1]
    out = []
    for row in rows.itertuples():
        as_text = row.random < POUND_TEXT_SHARE_DEC2017
        spend = pound_text(row.amount, brackets=False) if as_text else f"{row.amount:.2f}"
        line = [
            row.sector,
            labels[(row.lot_scheme, row.lot)],
            row.date.strftime("%b-%y"),
            spend,
            "SME" if row.is_sme else "Large",
            row.supplier_name,
            row.customer_name,
        ]
        if with_framework:
            line.append(frameworks[row.framework])
        out.append(line)
    write_csv(path, header, out, "cp1252", "\r\n")


def ccs_row(row: Any, frameworks: dict[str, dict], names: dict, when: date) -> list:
    """One data row (``row`` from ``itertuples``) of the CCS XLSX layouts."""
    framework = frameworks[row.framework]
    urn = None if pd.isna(row.urn) else int(row.urn)
    return [
        urn,
        row.customer_name,
        row.sector,
        row.supplier_name,
        "SME" if row.is_sme else "Non-SME",
        framework["framework_number"],
        framework["framework_name"],
        int(row.lot),
        names[(row.lot_scheme, row.lot)],
        when,
        float(row.amount),
    ]


def write_ccs_xlsx(
    rows: pd.DataFrame,
    path: Path,
    tables: Tables,
    titles: Sequence[str],
    header: Sequence[str],
    invoice_dates: bool,
) -> None:
    """CCS XLSX: title rows, header, data, then a ``Total`` row under the spend column."""
    frameworks = tables.frameworks.to_dict("index")
    names = lot_lookup(tables.lots, "lot_name")
    sheet: list[list] = [[title] for title in titles]
    sheet.append(list(header))
    for row in rows.itertuples():
        when = row.date.replace(day=int(row.day)) if invoice_dates else row.date
        sheet.append(ccs_row(row, frameworks, names, when))
    if not invoice_dates:
        sheet.append([])
    total = float(np.round(rows["amount"].sum(), 2))
    sheet.append(["Total", *[None] * (len(header) - 2), total])
    write_xlsx(path, {"Spend": sheet})


def write_xlsx_2021(rows: pd.DataFrame, path: Path, tables: Tables) -> None:
    """CCS XLSX of March 2021: three title rows, spend month as first-of-month dates."""
    write_ccs_xlsx(rows, path, tables, TITLE_ROWS_2021, HEADER_2021, invoice_dates=False)


def write_xlsx_2025(rows: pd.DataFrame, path: Path, tables: Tables) -> None:
    """CCS XLSX of September 2025: one title row, invoice dates within the month."""
    write_ccs_xlsx(rows, path, tables, TITLE_ROWS_2025, HEADER_2025, invoice_dates=True)


WRITERS: dict[str, Callable[[pd.DataFrame, Path, Tables], None]] = {
    "csv_2013": write_csv_2013,
    "csv_2014": write_csv_2014,
    "csv_2017": write_csv_2017,
    "csv_dec2017": write_csv_dec2017,
    "xlsx_2021": write_xlsx_2021,
    "xlsx_2025": write_xlsx_2025,
}


def xlsx_cell(sheet: WriteOnlyWorksheet, value: object) -> object:
    """What to append for one value: dates get a dd/mm/yyyy format (with the time for
    datetimes), and text that starts with ``=`` stays text (not an openpyxl formula)."""
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATETIME_FORMAT if isinstance(value, datetime) else DATE_FORMAT
        return cell
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def write_xlsx(path: Path, sheets: dict[str, list[list]]) -> None:
    """Write rows of plain values (``None`` = empty cell, ``[]`` = blank row), one sheet per
    entry, with openpyxl in write-only mode; fixed properties and zip timestamps make the
    file byte-identical run to run."""
    workbook = Workbook(write_only=True)
    workbook.properties.title = "SYNTHETIC sample - invented suppliers and amounts"
    workbook.properties.creator = "data/make_sample.py"
    workbook.properties.created = FIXED_TIMESTAMP
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append([xlsx_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)  # openpyxl stamps "modified" with the current time: reset it
    stamp = FIXED_TIMESTAMP.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, data)
            info = zipfile.ZipInfo(item.filename, date_time=ZIP_TIMESTAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, data)


# ---------------------------------------------------------------------------
# Customer URN list.
def country_for(name: str, sector: str) -> str:
    """Country of a body from keywords in its name (UK for national bodies)."""
    for country, keywords in COUNTRY_KEYWORDS:
        if any(keyword in name for keyword in keywords):
            return country
    return "United Kingdom" if sector in UK_WIDE_SECTORS else "England"


def urn_list_rows(tables: Tables, rng: np.random.Generator) -> list[list]:
    """Live URN list rows: live bodies, registered private customers and non-buyers."""
    customers, urns = tables.customers, tables.urns
    merged = set(read_source("body_changes.csv").query("event == 'merged'")["body"])
    registered = customers[customers["name"].isin(urns) & ~customers["name"].isin(merged)]
    entries = pd.concat(
        [
            pd.DataFrame(
                {
                    "name": registered["name"],
                    "sector": registered["sector"].where(
                        registered["kind"] == "body", registered["urn_sector"]
                    ),
                    "organisation_type": registered["organisation_type"],
                }
            ),
            tables.non_buyers,
        ],
        ignore_index=True,
    )
    entries["sector"] = entries["sector"].replace(URN_LIST_SECTORS)
    tba = rng.random(len(entries)) < URN_TBA_SHARE
    entries["organisation_type"] = entries["organisation_type"].where(~tba, "TBA")
    entries["organisation_type"] = entries["organisation_type"].replace("", "TBA")
    entries["urn"] = entries["name"].map(urns)
    return [
        [
            row.urn,
            URN_LIST_NAMES.get(row.name, row.name),
            None,
            None,
            None,
            None,
            country_for(row.name, row.sector),
            None,
            row.sector,
            row.organisation_type,
        ]
        for row in entries.sort_values("urn").itertuples()
    ]


def edit_time(month: int, urn: int) -> datetime:
    """``Edit Date`` of a list change: the first of the month, at a working-hours time
    taken from the URN (the real list records the time of each edit)."""
    return datetime.combine(month_start(month), datetime.min.time()) + timedelta(
        hours=9, minutes=urn % 480
    )


def newest_first(rows: list[list]) -> list[list]:
    """History rows in the real list's order: latest ``Edit Date`` (last column) first."""
    return sorted(rows, key=lambda row: (row[-1], *map(str, row[:-1])), reverse=True)


def merge_rows(tables: Tables) -> list[list]:
    """Merges sheet as in the real list: the merged (old) body's name under ``Old Value``,
    then the surviving body's URN and name. The old URN is not given anywhere."""
    urns = tables.urns
    merges = read_source("body_changes.csv").query("event == 'merged'")
    rows = [
        [
            "Organisation Merged",
            URN_LIST_NAMES.get(row.body, row.body),
            urns[row.other_name],
            URN_LIST_NAMES.get(row.other_name, row.other_name),
            edit_time(month_index(row.month), urns[row.body]),
        ]
        for row in merges.itertuples()
    ]
    return newest_first(rows)


def name_change_rows(tables: Tables) -> list[list]:
    """Name Changes sheet as in the real list: old name, new name, the body's URN."""
    urns = tables.urns
    renames = read_source("body_changes.csv").query("event == 'renamed'").copy()
    renames["until"] = renames["month"].map(month_index)
    renames = renames.sort_values(["body", "until"])
    rows = []
    for body, history in renames.groupby("body", sort=False):
        new_names = [*history["other_name"].iloc[1:], URN_LIST_NAMES.get(body, body)]
        for old, new, until in zip(history["other_name"], new_names, history["until"], strict=True):
            rows.append(["Organisation Name", old, new, urns[body], edit_time(until, urns[body])])
    return newest_first(rows)


def write_urn_list(path: Path, tables: Tables, rng: np.random.Generator) -> None:
    """The CCS Customer URN list sample workbook (three sheets)."""
    sheets = {
        "Live Customer URN List": [list(URN_HEADER), *urn_list_rows(tables, rng)],
        "Merges": [list(MERGES_HEADER), *merge_rows(tables)],
        "Name Changes": [list(NAME_CHANGES_HEADER), *name_change_rows(tables)],
    }
    write_xlsx(path, sheets)


# ---------------------------------------------------------------------------
def build_tables(rng: np.random.Generator) -> Tables:
    """Load the source tables and invent suppliers, customer windows and URNs."""
    suppliers = build_suppliers(rng)
    customers = build_customers(rng)
    non_buyers = read_source("eligible_non_buyers.csv")
    return Tables(
        frameworks=load_frameworks(),
        lots=load_lots(),
        non_buyers=non_buyers,
        suppliers=suppliers,
        customers=customers,
        names=name_history(customers),
        urns=assign_urns(customers, non_buyers, rng),
        name_styles=choose_name_styles(customers, rng),
    )


def main(out_dir: Path | None = None) -> list[Path]:
    """Write every sample file into ``out_dir`` (default ``data/sample``); return paths."""
    out_dir = Path(out_dir) if out_dir is not None else DEFAULT_OUT_DIR
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(SEED)
    tables = build_tables(rng)
    truth = build_truth(tables, rng)
    paths = []
    for position, release in enumerate(RELEASES):
        path = out_dir / release.filename
        WRITERS[release.writer](published(truth, position, tables), path, tables)
        paths.append(path)
    urn_path = out_dir / URN_LIST_FILENAME
    write_urn_list(urn_path, tables, np.random.default_rng([SEED, len(RELEASES)]))
    return [*paths, urn_path]


if __name__ == "__main__":
    for written in main():
        print(f"{written.stat().st_size:>10,}  {written}")
