"""Find a Tender notices: the OCDS release (and record) packages of the Cabinet Office's Find a
Tender service (``/api/1.0/ocdsReleasePackages``), ocids ``ocds-h6vhtk-...``, read by the
generic OCDS base (:mod:`loaders.sources.ocds`) with the UK extension's fields: the notice
type of each release (``UK1`` pipeline ... ``UK16``), the legal basis (Procurement Act 2023
or the 2015 regulations), the buyer's classification, bid statistics per lot, awards as they
stand and contract values published only in ``contracts``. Files are claimed by the prefix
of their first ocid, whatever their name; fetched window by window and by ocid
(:mod:`~loaders.sources.find_a_tender.fetching`, kind ``find-a-tender``).
"""

from loaders.sources.find_a_tender.fetching import fetch_find_a_tender
from loaders.sources.ocds.profile import OcdsProfile
from loaders.sources.ocds.source import notice_source

SOURCE = notice_source(
    "find_a_tender",
    OcdsProfile(platform="Find a Tender"),
    fetchers={"find-a-tender": fetch_find_a_tender},
)
