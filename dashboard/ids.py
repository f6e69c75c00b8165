"""Component ids, in one place: layout, callbacks and browser tests use these names."""

URL = "url"
PAGE = "page-content"
FILTER_PANEL = "filter-panel"
COLUMNS = "page-columns"
CLEAR_FILTERS = "clear-filters"
PERIOD = "filter-period"
FY = "filter-fy"
FROM = "filter-from"
TO = "filter-to"
FRAMEWORK = "filter-framework"
ITERATION = "filter-iteration"
LOT = "filter-lot"
BUYER_GROUP = "filter-buyer-group"
SECTOR = "filter-sector"
SME = "filter-sme"
CUSTOMER = "filter-customer"
CUSTOMER_LIST = "customer-names"
SUPPLIER = "filter-supplier"
SUPPLIER_LIST = "supplier-names"
FOOTER = "provenance"
FOOTER_SOURCES = "provenance-sources"

GRAPH = "graph"
DOWNLOAD_CSV = "download-csv"
DOWNLOAD_XLSX = "download-xlsx"
DOWNLOAD_TARGET = "download-target"

KPI_TOTAL = "kpi-total-spend"
KPI_CENTRAL = "kpi-central-share"
KPI_NON_WHITEHALL = "kpi-non-whitehall-share"
KPI_SME_VALUE = "kpi-sme-share-value"
KPI_SME_VOLUME = "kpi-sme-share-volume"
KPI_BUYERS = "kpi-buyers"
KPI_SUPPLIERS = "kpi-suppliers"
KPI_AS_AT = "kpi-data-as-at"

# Filter controls in the order the callbacks take them.
FILTER_CONTROLS = (
    PERIOD, FY, FROM, TO, FRAMEWORK, ITERATION, LOT, BUYER_GROUP, SECTOR, SME, CUSTOMER, SUPPLIER,
)  # fmt: skip
