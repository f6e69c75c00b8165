"""Contracts Finder notices: OCDS release packages of the ``Published/Notices/OCDS/Search``
API, read by the generic OCDS base (:mod:`loaders.sources.ocds`) and fetched window by
window (:mod:`~loaders.sources.contracts_finder.fetching`, kind ``contracts-finder``)."""

from loaders.catalogue import CANONICAL, Catalogue
from loaders.sources.base import Source
from loaders.sources.contracts_finder.fetching import fetch_windows
from loaders.sources.ocds.files import is_ocds_path
from loaders.sources.ocds.load import load_ocds
from loaders.sources.ocds.report import describe_notices, summary_line

TABLES = ("ocds_releases", "notices", "awards", "award_suppliers")

SOURCE = Source(
    name="contracts_finder",
    claims=is_ocds_path,
    load=load_ocds,
    tables=Catalogue(CANONICAL[name] for name in TABLES),
    report_key="ocds",
    describe=describe_notices,
    summary=summary_line,
    fetchers={"contracts-finder": fetch_windows},
)
