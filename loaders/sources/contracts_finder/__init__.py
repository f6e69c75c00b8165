"""Contracts Finder notices: OCDS release packages of the ``Published/Notices/OCDS/Search``
API, read by the generic OCDS base (:mod:`loaders.sources.ocds`) and fetched window by
window (:mod:`~loaders.sources.contracts_finder.fetching`, kind ``contracts-finder``). It is
also the generic OCDS source: it claims every OCDS file (by name) that no platform's source
claimed by its first ocid, and its report stays under ``"ocds"``."""

from loaders.sources.contracts_finder.fetching import fetch_windows
from loaders.sources.ocds.files import is_ocds_path
from loaders.sources.ocds.profile import OcdsProfile
from loaders.sources.ocds.source import notice_source

SOURCE = notice_source(
    "contracts_finder",
    OcdsProfile(platform="Contracts Finder"),
    report_key="ocds",
    claims=is_ocds_path,
    fetchers={"contracts-finder": fetch_windows},
)
