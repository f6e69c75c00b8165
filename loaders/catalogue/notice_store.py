"""The notice tables in the store: one Parquet file each, beside the spend tables.

:mod:`loaders.catalogue.store` writes them into its staging folder and reads them back with their
dtypes (:func:`loaders.catalogue.notice_schema.apply_dtypes`), so a store round-trips exactly.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from loaders.catalogue.notice_schema import apply_dtypes

# LoadResult attribute -> (table in loaders.catalogue.notice_schema.TABLES, file in the store)
NOTICE_TABLES: dict[str, tuple[str, str]] = {
    "notices": ("notices", "notices.parquet"),
    "awards": ("awards", "awards.parquet"),
    "award_suppliers": ("award_suppliers", "award_suppliers.parquet"),
    "ocds_releases": ("releases", "ocds_releases.parquet"),
}
NOTICE_FILES: tuple[str, ...] = tuple(file for _, file in NOTICE_TABLES.values())


def write_notice_tables(result: Any, folder: Path) -> None:
    """Write the notice tables of a :class:`loaders.pipeline.LoadResult` into ``folder``."""
    for attribute, (table, file) in NOTICE_TABLES.items():
        apply_dtypes(getattr(result, attribute), table).to_parquet(folder / file, index=False)


def read_notice_tables(folder: Path) -> dict[str, pd.DataFrame]:
    """The notice tables of a store, by :class:`loaders.pipeline.LoadResult` attribute."""
    return {
        attribute: apply_dtypes(pd.read_parquet(Path(folder) / file), table)
        for attribute, (table, file) in NOTICE_TABLES.items()
    }
