"""Transaction amounts (GBP ex VAT): drawn, scaled to each year's designed total, rounded."""

from __future__ import annotations

import numpy as np
import pandas as pd

from data.make_sample.months import calendar_month, drift, financial_year
from data.make_sample.settings import (
    AMOUNT_CLIP,
    AMOUNT_LOG_MEAN,
    AMOUNT_LOG_SD,
    CREDIT_ROW_SHARE,
    LARGE_AMOUNT_FACTOR,
    MARCH_AMOUNT_FACTOR,
    WHOLE_POUND_SHARE,
)
from data.make_sample.tables import Tables


def raw_amounts(truth: pd.DataFrame, tables: Tables, rng: np.random.Generator) -> np.ndarray:
    """Unscaled amounts: lognormal x lot, supplier size, March and credit effects."""
    lots = tables.sources.lots.set_index(["lot_scheme", "lot_number"])["amount_multiplier"]
    lot_factor = lots.reindex(pd.MultiIndex.from_arrays([truth["lot_scheme"], truth["lot"]]))
    suppliers = tables.suppliers
    size = np.where(suppliers["is_sme"], 1.0, LARGE_AMOUNT_FACTOR)[truth["supplier"]]
    base = np.minimum(
        rng.lognormal(AMOUNT_LOG_MEAN, AMOUNT_LOG_SD, len(truth)),
        AMOUNT_CLIP * np.exp(AMOUNT_LOG_MEAN),
    )
    march = np.where(calendar_month(truth["month"].to_numpy()) == 3, MARCH_AMOUNT_FACTOR, 1.0)
    amount = (
        base
        * lot_factor.to_numpy()
        * size
        * march
        * suppliers["scale"].to_numpy()[truth["supplier"]]
        * tables.customers["scale"].to_numpy()[truth["customer"]]
    )
    credit = rng.random(len(truth)) < CREDIT_ROW_SHARE
    return np.where(credit, -amount * rng.uniform(0.05, 0.6, len(truth)), amount)


def rescale_to_targets(truth: pd.DataFrame, tables: Tables) -> np.ndarray:
    """Scale amounts so each (family, FY, SME, central) cell hits its spend target
    (``fy_targets.csv`` split by the drifting SME and central shares of value)."""
    suppliers, customers = tables.suppliers, tables.customers
    design = tables.sources.truth
    cells = pd.DataFrame(
        {
            "family": truth["family"],
            "fy": financial_year(truth["month"].to_numpy()),
            "sme": suppliers["is_sme"].to_numpy()[truth["supplier"]],
            "central": customers["is_central"].to_numpy()[truth["customer"]],
            "amount": truth["amount"],
        }
    )
    sums = cells.groupby(["family", "fy", "sme", "central"])["amount"].transform("sum")
    total = [
        design.spend_millions[f][y] * 1e6 for f, y in zip(cells["family"], cells["fy"], strict=True)
    ]
    sme_share = drift(design.drifts["sme_value"], cells["fy"].to_numpy())
    central_share = drift(design.drifts["central_value"], cells["fy"].to_numpy())
    target = (
        np.asarray(total)
        * np.where(cells["sme"], sme_share, 1 - sme_share)
        * np.where(cells["central"], central_share, 1 - central_share)
    )
    return cells["amount"].to_numpy() * target / sums.to_numpy()


def round_amounts(amount: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Round to pence, with some amounts in whole pounds."""
    whole = rng.random(len(amount)) < WHOLE_POUND_SHARE
    return np.where(whole, np.round(amount), np.round(amount, 2))
