"""Component ids of the frame shared by every page: layout, callbacks and browser tests use
these names. Filter control ids come from the filter contract
(:data:`dashboard.analytics.filters.PARAMS`); each page names its own headline figures."""

from dashboard.analytics.filters import PARAM_BY_FIELD, PARAMS

URL = "url"
PAGE = "page-content"
FILTER_PANEL = "filter-panel"
COLUMNS = "page-columns"
CLEAR_FILTERS = "clear-filters"
FOOTER = "provenance"
FOOTER_SOURCES = "provenance-sources"
PAGE_TITLE_SINK = "page-title-sink"
PAGE_TITLES = "page-titles"
TAB_TITLE = "tab-title"
SITE_SEARCH = "site-search"
BRIEF_PRINT = "brief-print"
NAV_LINK = "nav-link"
DATA_BANNER = "data-banner"
ABOUT = "about-figures"
COPY_LINK = "copy-link"
COPY_LINK_STATUS = "copy-link-status"
URL_NOTICE = "url-notice"
DID_YOU_MEAN = "did-you-mean"
FILTERS_TOGGLE = "filters-toggle"
FILTERS_REGION = "filters-region"

GRAPH = "graph"
DOWNLOAD_CSV = "download-csv"
DOWNLOAD_XLSX = "download-xlsx"
DOWNLOAD_TARGET = "download-target"
DOWNLOAD_STATUS = "download-status"

# Filter controls, in the order of the contract (the callback's inputs).
FILTER_CONTROLS = tuple(p.control for p in PARAMS if p.control)
PERIOD, FY, FROM, TO, FRAMEWORK, ITERATION, LOT, BUYER_GROUP, SECTOR, SME, CUSTOMER, SUPPLIER = (
    PARAM_BY_FIELD[field].control
    for field in ("period", "fy", "date_from", "date_to", "framework", "iteration", "lot",
                  "buyer_group", "sector", "sme", "customer", "supplier")
)  # fmt: skip
CUSTOMER_LIST = "customer-names"
SUPPLIER_LIST = "supplier-names"
