"""Write every sample file: the truth published through each release, the URN list, then
the Contracts Finder notices of the sample's bodies, then their Find a Tender notices and
Digital Marketplace opportunities."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from data.make_sample import settings as s
from data.make_sample.ccs_layouts import write_xlsx_2021, write_xlsx_2025
from data.make_sample.csv_layouts import (
    write_csv_2013,
    write_csv_2014,
    write_csv_2017,
    write_csv_dec2017,
)
from data.make_sample.notices import write_notices
from data.make_sample.platform_notices import write_dos_opportunities, write_find_a_tender
from data.make_sample.publish import published
from data.make_sample.settings import (
    DEFAULT_OUT_DIR,
    NOTICES_FILENAME,
    SEED,
    SOURCES_DIR,
    URN_LIST_FILENAME,
)
from data.make_sample.sources import read_sources
from data.make_sample.tables import Tables, build_tables
from data.make_sample.truth import build_truth
from data.make_sample.typed_csv import SourceError
from data.make_sample.urn_list import write_urn_list

WRITERS: dict[str, Callable[[pd.DataFrame, Path, Tables], None]] = {
    "csv_2013": write_csv_2013,
    "csv_2014": write_csv_2014,
    "csv_2017": write_csv_2017,
    "csv_dec2017": write_csv_dec2017,
    "xlsx_2021": write_xlsx_2021,
    "xlsx_2025": write_xlsx_2025,
}


def main(out_dir: Path | None = None, *, sources_dir: Path | None = None) -> list[Path]:
    """Write every sample file into ``out_dir`` (default ``data/sample``); return paths.

    Reads the tables in ``sources_dir`` (default ``data/sample_sources``); raises
    :class:`SourceError` if one is malformed or names a release layout with no writer,
    before anything is written.
    """
    sources_dir = Path(sources_dir) if sources_dir is not None else SOURCES_DIR
    sources = read_sources(sources_dir)
    releases = sources.releases.releases
    unknown = sorted({release.layout for release in releases} - set(WRITERS))
    if unknown:
        raise SourceError(f"{sources_dir / 'releases.csv'}: no writer for layout {unknown}")
    out_dir = Path(out_dir) if out_dir is not None else DEFAULT_OUT_DIR
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(SEED)
    tables = build_tables(sources, rng)
    truth = build_truth(tables, rng)
    paths = []
    for position, release in enumerate(releases):
        path = out_dir / release.filename
        WRITERS[release.layout](published(truth, position, tables), path, tables)
        paths.append(path)
    urn_path = out_dir / URN_LIST_FILENAME
    write_urn_list(urn_path, tables, np.random.default_rng([SEED, len(releases)]))
    notices_path = write_notices(out_dir / NOTICES_FILENAME, tables, sources_dir)
    fts_path = write_find_a_tender(out_dir / s.FTS_FILENAME, sources_dir)
    dos_path = write_dos_opportunities(out_dir / s.DOS_FILENAME, sources_dir)
    return [*paths, urn_path, notices_path, fts_path, dos_path]
