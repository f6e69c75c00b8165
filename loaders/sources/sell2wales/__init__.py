"""Sell2Wales notices: the Welsh Government platform's OCDS release packages
(``api.sell2wales.gov.wales/v1/Notices?outputType=0``), ocids ``ocds-kuma6s-...``, read by the
generic OCDS base (:mod:`loaders.sources.ocds`). Its buyers are devolved (non-Whitehall)
bodies unless they resolve otherwise; since 24 February 2025 Welsh authorities' Procurement
Act notices are on Find a Tender. Files are claimed by the prefix of their first ocid,
whatever their name.
"""

from loaders.sources.ocds.profile import OcdsProfile
from loaders.sources.ocds.source import notice_source

SOURCE = notice_source("sell2wales", OcdsProfile(platform="Sell2Wales"))
