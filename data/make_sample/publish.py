"""Publishing the truth through overlapping releases: a release misses some of its late
rows and under-states some amounts in months that a later release covers again."""

from __future__ import annotations

import numpy as np
import pandas as pd

from data.make_sample.months import month_index, month_start
from data.make_sample.settings import REVISE_SHARE, REVISION_RANGE, SEED
from data.make_sample.sources import Release
from data.make_sample.spellings import customer_display_names
from data.make_sample.tables import Tables


def superseded_months(releases: tuple[Release, ...], position: int, family: str) -> set[int]:
    """Months of this family that a release after ``releases[position]`` publishes again."""
    later = [r for r in releases[position + 1 :] if family in r.families]
    return {m for r in later for m in range(month_index(r.first), month_index(r.last) + 1)}


def release_rows(
    truth: pd.DataFrame, tables: Tables, position: int, rng: np.random.Generator
) -> pd.DataFrame:
    """Rows as published by one release: late rows missing, some amounts under-stated."""
    releases = tables.sources.releases.releases
    drop_shares = tables.sources.releases.drop_shares
    release = releases[position]
    first, last = month_index(release.first), month_index(release.last)
    rows = truth[
        truth["family"].isin(release.families) & truth["month"].between(first, last)
    ].copy()
    age = last - rows["month"].to_numpy()
    superseded = np.zeros(len(rows), dtype=bool)
    for family in release.families:
        later_months = list(superseded_months(releases, position, family))
        superseded |= (rows["family"].eq(family) & rows["month"].isin(later_months)).to_numpy()
    provisional = superseded & (age < len(drop_shares))
    drop_share = np.array(drop_shares)[np.minimum(age, len(drop_shares) - 1)]
    dropped = provisional & (rng.random(len(rows)) < drop_share)
    revised = provisional & (rng.random(len(rows)) < REVISE_SHARE)
    factor = 1 + rng.uniform(*REVISION_RANGE, len(rows))
    rows["amount"] = np.where(revised, np.round(rows["amount"] / factor, 2), rows["amount"])
    return rows[~dropped].reset_index(drop=True)


def published(truth: pd.DataFrame, position: int, tables: Tables) -> pd.DataFrame:
    """Rows of the release at ``position`` with the label columns every writer needs
    (supplier and customer names as spelled, SME flag, sector, URN, first day of month,
    and a uniform random number per row for the writers' formatting choices)."""
    release = tables.sources.releases.releases[position]
    rng = np.random.default_rng([SEED, position])
    rows = release_rows(truth, tables, position, rng)
    suppliers, customers = tables.suppliers, tables.customers
    rows["supplier_name"] = suppliers["name"].to_numpy()[rows["supplier"]]
    rows["is_sme"] = suppliers["is_sme"].to_numpy()[rows["supplier"]]
    rows["customer_name"] = customer_display_names(
        rows,
        release,
        tables.names,
        tables.name_styles,
        tables.sources.releases.abbreviations,
        rng,
    )
    rows["sector"] = customers["release_sector"].to_numpy()[rows["customer"]]
    rows["urn"] = customers["name"].map(tables.urns).to_numpy()[rows["customer"]]
    rows["date"] = [month_start(m) for m in rows["month"]]
    rows["random"] = rng.random(len(rows))
    return rows.astype(object)  # plain Python values iterate much faster than Arrow strings


def lot_lookup(lots: pd.DataFrame, column: str) -> dict[tuple[str, int], str]:
    """Map (lot scheme, lot number) to a label column of ``lots.csv``."""
    return dict(
        zip(zip(lots["lot_scheme"], lots["lot_number"], strict=True), lots[column], strict=True)
    )
