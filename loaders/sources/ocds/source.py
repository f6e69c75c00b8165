"""A notice platform's :class:`~loaders.sources.base.Source` on the generic OCDS base: the
same six tables, its own report section, claims and fetchers."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from loaders.catalogue import CANONICAL, Catalogue
from loaders.sources.base import Fetcher, Source
from loaders.sources.ocds.files import claims_platform
from loaders.sources.ocds.load import ocds_loader
from loaders.sources.ocds.profile import OcdsProfile
from loaders.sources.ocds.report import describe_notices, summary_line

TABLES = ("ocds_releases", "notices", "awards", "award_suppliers", "bids", "pipeline")


def notice_source(
    name: str,
    profile: OcdsProfile,
    *,
    report_key: str | None = None,
    claims: Callable[[Path], bool] | None = None,
    fetchers: Mapping[str, Fetcher] | None = None,
) -> Source:
    """The source ``name`` reading OCDS files with ``profile``: its files are those whose
    first ocid has its platform's prefix unless ``claims`` says otherwise; its report goes
    under ``report_key`` (default ``name``)."""
    if claims is None and profile.platform is None:
        raise ValueError(f"source {name!r}: give its platform or its claims")
    return Source(
        name=name,
        claims=claims or claims_platform(str(profile.platform)),
        load=ocds_loader(profile),
        tables=Catalogue(CANONICAL[table] for table in TABLES),
        report_key=report_key or name,
        describe=describe_notices,
        summary=summary_line,
        fetchers=dict(fetchers or {}),
    )
