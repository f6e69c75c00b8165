"""Public Contracts Scotland notices: the Scottish Government platform's OCDS release packages
(``api.publiccontractsscotland.gov.uk/v1/Notices?outputType=0``), ocids ``ocds-r6ebe6-...``,
read by the generic OCDS base (:mod:`loaders.sources.ocds`). Its releases carry no ``id``:
each is given its notice reference (``APR352786``, the id of its own notice document)
instead of being quarantined. Its buyers are devolved (non-Whitehall) bodies unless they
resolve otherwise. Files are claimed by the prefix of their first ocid, whatever their name.
"""

from loaders.sources.ocds.profile import OcdsProfile
from loaders.sources.ocds.source import notice_source

SOURCE = notice_source(
    "public_contracts_scotland",
    OcdsProfile(platform="Public Contracts Scotland", derive_release_ids=True),
)
