"""Scalar knobs of the SYNTHETIC sample: seed, counts, shares, fixed names and timestamps.

Every table (rows and spend per financial year, seasonality, word lists, weights, release
windows...) is a CSV file in ``data/sample_sources/``, read by :mod:`.sources`; the inputs
table in ``data/sample/README.md`` says what each file holds. Shares are fractions of rows
unless their name says value; amounts are GBP ex VAT.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

SEED = 20250930
DATA_DIR = Path(__file__).resolve().parent.parent
SOURCES_DIR = DATA_DIR / "sample_sources"
DEFAULT_OUT_DIR = DATA_DIR / "sample"
URN_LIST_FILENAME = "customer_urn_list_sample.xlsx"

FIRST_MONTH = "2012-04"  # month index 0
N_MONTHS = 162  # April 2012 .. September 2025

# Fixed XLSX properties and zip timestamps make every workbook byte-identical run to run.
FIXED_TIMESTAMP = datetime(2025, 10, 1, 9, 0, 0)
ZIP_TIMESTAMP = (2025, 10, 1, 9, 0, 0)
XLSX_TITLE = "SYNTHETIC sample - invented suppliers and amounts"
XLSX_CREATOR = "data/make_sample.py"  # the workbooks' recorded creator, kept byte for byte
EXCEL_EPOCH = date(1899, 12, 30)
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"

CURLY_APOSTROPHE = "\u2019"
XSS_SUPPLIER = "<img src=x onerror=alert(1)>"  # rows in security_test_rows.csv
INJECTION_CUSTOMER = "=SUM(A1) Test Council"

# The truth.
MARCH_AMOUNT_FACTOR = 1.3  # March amounts run larger (year-end spending)
SME_COUNT_PREMIUM = 0.07  # SME share of rows = SME share of value + this
CENTRAL_COUNT_DISCOUNT = 0.13  # central share of rows = central share of value - this
OTHER_CUSTOMER_ROW_SHARE = 0.015  # rows bought by private or unknown customers
CREDIT_ROW_SHARE = 0.015
WHOLE_POUND_SHARE = 0.3
ITERATION_HALF_LIFE_MONTHS = 6.0  # decay of an iteration once its successor starts
ITERATION_TAIL_FLOOR = 0.015
AMOUNT_LOG_MEAN, AMOUNT_LOG_SD, AMOUNT_CLIP = 9.6, 1.25, 40.0
LARGE_AMOUNT_FACTOR = 2.2
BLANK_DESCRIPTION_SHARE = 0.08

# Suppliers.
N_SME_SUPPLIERS = 276
N_LARGE_SUPPLIERS = 24
SME_WEIGHT_SD = 1.0
LARGE_WEIGHT_LOG_MEAN = 1.5

# Customers.
DEFAULT_ORG_TYPE_WEIGHT = 0.5
CUSTOMER_WEIGHT_SD = 0.3
CUSTOMER_AMOUNT_ELASTICITY = 0.35  # bigger buyers also place bigger orders
N_VARIED_CUSTOMERS = 40  # customers whose spelling varies between releases
VARIANT_ROW_SHARE = 0.6
URN_TBA_SHARE = 0.08

# Releases and their publication quirks.
REVISE_SHARE = 0.25
REVISION_RANGE = (0.05, 0.30)
STRAY_MONTH_SHARE = 0.04
SERIAL_MONTH_SHARE = 0.45
BRACKET_NEGATIVE_SHARE = 0.5
POUND_TEXT_SHARE_DEC2017 = 0.5

# Contracts Finder notices (OCDS releases), drawn from their own generator so that the
# spend files stay as they were: data/make_sample/notices.py.
NOTICES_FILENAME = "contracts-finder-notices-sample.json"
NOTICES_SEED_PART = 13  # the notices' generator is default_rng([SEED, NOTICES_SEED_PART])
NOTICES_FIRST_MONTH = "2019-04"  # notices are published from here to the sample's last month
N_NOTICE_PROCESSES = 150
N_NON_BUYER_PROCESSES = 6  # processes of eligible bodies that never buy through frameworks
NOTICES_PUBLISHED = "2025-10-01T09:00:00Z"  # the package's publishedDate
PLANNING_LEAD_DAYS = (14, 300)  # planning notice to tender notice, clipped to this range
PLANNING_LEAD_LOG_MEAN = 4.2  # median about 67 days
AWARD_DELAY_DAYS = (30, 120)  # tender notice to award notice
TENDER_VALUE_LOG_MEAN, TENDER_VALUE_LOG_SD = 11.7, 1.0  # median about £120,000
MIN_VALUE_SHARE = 0.25  # tenders that also give a minimum value (60% of the maximum)
SUITABILITY_MISSING_SHARE = 0.1
SME_SUITABLE_SHARE = 0.7
VCSE_SUITABLE_SHARE = 0.3
AMENDMENT_SHARE = 0.15  # tenders amended before the award
N_AWARD_UPDATES = 4
N_DUPLICATE_RELEASES = 6  # releases published twice (overlapping search pages)
MULTI_SUPPLIER_SHARE = 0.2  # awards to two or three suppliers
NO_SCALE_SHARE = 0.15  # suppliers whose details.scale is not given
REGISTERED_SUPPLIER_SHARE = 0.6  # suppliers with a Companies House identifier
UNNAMED_FRAMEWORK_SHARE = 0.2  # call-offs that name no framework in title or description

# Find a Tender notices and Digital Marketplace opportunities, drawn from their own generator
# after every other file: data/make_sample/platform_notices.py.
FTS_FILENAME = "find-a-tender-notices-sample.json"
DOS_FILENAME = "dos-opportunities-sample.csv"
PLATFORM_SEED_PART = 21  # default_rng([SEED, 21]) for Find a Tender, [SEED, 22] for DOS
FTS_FIRST_NOTICE = 30_000  # notice ids from 030001-2025
FTS_DEPARTMENTS, FTS_COUNCILS, FTS_HEALTH = 7, 6, 2  # authorities publishing pipelines
FTS_ON_TIME_SHARE = 0.6  # first pipeline notice between 1 April and 26 May
FTS_GROSS_ONLY_SHARE = 0.2  # pipeline values given only including VAT
FTS_WITHDRAWN_SHARE = 0.06  # planned procurements withdrawn (UK12)
FTS_ENGAGED_SHARE = 0.4  # followed by a preliminary market engagement notice (UK2)
FTS_TENDERED_SHARE = 0.35  # followed by a tender notice (UK4) before the sample ends
FTS_AWARDS = 12  # contract award notices (UK6) with bid statistics
FTS_PENDING_SHARE = 0.25  # award notices whose awards are still in standstill
DOS_OPPORTUNITIES = 120
DOS_FIRST_ITERATION = 40  # opportunities of DOS 1; the rest are DOS 2
