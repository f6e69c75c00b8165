"""The monthly truth: every synthetic transaction from April 2012 to September 2025, before
any release publishes it (:func:`build_truth`)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from data.make_sample.amounts import raw_amounts, rescale_to_targets, round_amounts
from data.make_sample.draws import choose_active, choose_lots, iteration_weights, sample_rows
from data.make_sample.months import calendar_month, drift, financial_year, fy_first_index
from data.make_sample.placed_rows import complete_placed_rows, placed_rows
from data.make_sample.settings import (
    BLANK_DESCRIPTION_SHARE,
    CENTRAL_COUNT_DISCOUNT,
    N_MONTHS,
    OTHER_CUSTOMER_ROW_SHARE,
    SME_COUNT_PREMIUM,
)
from data.make_sample.sources import TruthTables
from data.make_sample.tables import Tables


def monthly_row_counts(
    rows_per_fy: Mapping[int, int],
    first: int,
    season: Mapping[int, float],
    rng: np.random.Generator,
) -> np.ndarray:
    """Number of transactions in each month from ``first`` (a month index) on: smooth
    growth between the financial years' targets, March spikes, Poisson noise."""
    months = np.arange(N_MONTHS)
    centres = np.array([fy_first_index(fy) + 5.5 for fy in rows_per_fy])
    rates = np.log([rows / 12 for rows in rows_per_fy.values()])
    shape = np.exp(np.interp(months, centres, rates)) * np.array(
        [season[m] for m in calendar_month(months)]
    )
    shape[months < first] = 0.0
    fy = financial_year(months)
    expected = np.zeros(N_MONTHS)
    for year, rows in rows_per_fy.items():
        in_year = fy == year
        expected[in_year] = rows * shape[in_year] / shape[in_year].sum()
    counts = rng.poisson(expected)
    return np.where(expected > 0, np.maximum(counts, 1), 0)


def customer_groups(fy: np.ndarray, design: TruthTables, rng: np.random.Generator) -> np.ndarray:
    """Customer group per row: 1 central, 0 other public sector, 2 private or unknown."""
    central_share = drift(design.drifts["central_value"], fy) - CENTRAL_COUNT_DISCOUNT
    central = rng.random(len(fy)) < central_share
    other = rng.random(len(fy)) < OTHER_CUSTOMER_ROW_SHARE
    return np.where(other, 2, central.astype(int))


def draw_family(family: str, tables: Tables, rng: np.random.Generator) -> pd.DataFrame:
    """Draw the transactions of one framework family (amounts still unscaled). The family's
    spend starts with its first iteration's (``frameworks.csv``)."""
    design = tables.sources.truth
    frameworks = tables.sources.frameworks.query("family == @family")
    suppliers, customers = tables.suppliers, tables.customers
    counts = monthly_row_counts(
        design.rows[family], int(frameworks["start"].min()), design.row_season, rng
    )
    month = np.repeat(np.arange(N_MONTHS), counts)
    fy = financial_year(month)
    iteration = sample_rows(iteration_weights(frameworks)[month], rng)
    sme_share = drift(design.drifts["sme_value"], fy) + SME_COUNT_PREMIUM
    is_sme = rng.random(len(month)) < sme_share
    supplier = choose_active(
        month,
        is_sme,
        suppliers["weight"].to_numpy(),
        suppliers["start"].to_numpy(),
        suppliers["end"].to_numpy(),
        suppliers["is_sme"].to_numpy(),
        rng,
    )
    group = customer_groups(fy, design, rng)
    customer_group = np.where(customers["kind"] != "body", 2, customers["is_central"].astype(int))
    customer = choose_active(
        month,
        group,
        customers["weight"].to_numpy(),
        customers["start"].to_numpy(),
        customers["end"].to_numpy(),
        customer_group,
        rng,
    )
    schemes = frameworks["lot_scheme"].to_numpy()[iteration]
    lot = choose_lots(schemes, supplier, month, tables.sources.lots, suppliers, rng)
    return pd.DataFrame(
        {
            "family": family,
            "framework": frameworks.index.to_numpy()[iteration],
            "lot_scheme": schemes,
            "lot": lot,
            "month": month,
            "supplier": supplier,
            "customer": customer,
        }
    )


def descriptions(truth: pd.DataFrame, design: TruthTables, rng: np.random.Generator) -> list[str]:
    """A short product/service description per transaction (some left blank)."""
    texts = []
    picks = rng.random(len(truth))
    suffixes = rng.choice(design.description_suffixes, size=len(truth))
    blank = rng.random(len(truth)) < BLANK_DESCRIPTION_SHARE
    for scheme, lot, pick, suffix, empty in zip(
        truth["lot_scheme"], truth["lot"], picks, suffixes, blank, strict=True
    ):
        phrases = design.lot_phrases.get((scheme, lot), design.default_phrases)
        texts.append("" if empty else phrases[int(pick * len(phrases))] + str(suffix))
    return texts


def build_truth(tables: Tables, rng: np.random.Generator) -> pd.DataFrame:
    """The full synthetic transaction table that the releases publish: one row per
    transaction with family, framework key, lot scheme and number, month index, supplier and
    customer positions, amount (GBP), description, invoice day and ``txn_id``."""
    families = tables.sources.truth.rows
    truth = pd.concat([draw_family(family, tables, rng) for family in families], ignore_index=True)
    truth["amount"] = raw_amounts(truth, tables, rng)
    truth["amount"] = round_amounts(rescale_to_targets(truth, tables), rng)
    placed = complete_placed_rows(placed_rows(tables, rng), tables, rng)
    truth = pd.concat([truth, placed], ignore_index=True)
    truth["description"] = descriptions(truth, tables.sources.truth, rng)
    truth["day"] = rng.integers(1, 29, len(truth))
    truth["order"] = rng.random(len(truth))
    truth = truth.sort_values(["month", "order"], kind="stable", ignore_index=True)
    truth["txn_id"] = np.arange(len(truth))
    return truth
