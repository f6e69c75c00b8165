"""CCS framework spend: the published releases and supplier returns (CSV, XLSX, XLS, ODS).

Modules by role: :mod:`~loaders.sources.ccs_spend.extract` (one file into parsed and
quarantined rows, through :mod:`~loaders.sources.ccs_spend.layout`,
:mod:`~loaders.sources.ccs_spend.sheet_rows`, :mod:`~loaders.sources.ccs_spend.dates` and the
quarantine rules of :mod:`~loaders.sources.ccs_spend.checks`), the releases and their
versions (:mod:`~loaders.sources.ccs_spend.versions`,
:mod:`~loaders.sources.ccs_spend.manifest`, :mod:`~loaders.sources.ccs_spend.file_names`,
:mod:`~loaders.sources.ccs_spend.combine`), the extract cache and the report; the pipeline is
:mod:`~loaders.sources.ccs_spend.load`. Its release pages are fetched by the generic kinds
(``govuk``, ``page``, ``ckan``).
"""

from pathlib import Path

from loaders.bodies.registers import REGISTER_TABLES
from loaders.catalogue import CANONICAL, Catalogue
from loaders.core.spreadsheets import SPREADSHEET_SUFFIXES
from loaders.sources.base import Source
from loaders.sources.ccs_spend.canonical import INPUT_TABLES
from loaders.sources.ccs_spend.load import append_spend, load_spend
from loaders.sources.ccs_spend.manifest import is_manifest
from loaders.sources.ccs_spend.report import describe, summary_line

TABLES = (
    "spend", "quarantine", "revisions", "release_months", "version_changes",
    "matches", "customers", "customer_names",
)  # fmt: skip


def claims(path: Path) -> bool:
    """Spreadsheets by name (and ``releases.csv`` manifests, which steer their load)."""
    return path.suffix.lower() in SPREADSHEET_SUFFIXES


def _describe(report: dict) -> list[str]:
    return [describe(report)]


SOURCE = Source(
    name="ccs_spend",
    claims=claims,
    load=load_spend,
    tables=Catalogue(CANONICAL[name] for name in TABLES) + REGISTER_TABLES + INPUT_TABLES,
    report_key=None,
    describe=_describe,
    summary=summary_line,
    control=is_manifest,
    append=append_spend,
)
