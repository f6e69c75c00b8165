"""Drawing helpers of the truth: framework iterations, suppliers, customers and lots."""

from __future__ import annotations

import numpy as np
import pandas as pd

from data.make_sample.settings import ITERATION_HALF_LIFE_MONTHS, ITERATION_TAIL_FLOOR, N_MONTHS


def iteration_weights(frameworks: pd.DataFrame) -> np.ndarray:
    """Months x iterations weights: newest iteration dominates, older ones decay.

    An iteration decays once the next iteration of the same family starts, down to a
    small floor (long-running call-off contracts), and stops at its last spend month.
    """
    months = np.arange(N_MONTHS)[:, None]
    start = frameworks["start"].to_numpy()[None, :]
    end = frameworks["end"].to_numpy()[None, :]
    next_start = frameworks.groupby("family")["start"].shift(-1).fillna(N_MONTHS)
    successor = next_start.to_numpy()[None, :]
    age_after_successor = np.maximum(months - successor, 0)
    decay = np.maximum(
        0.5 ** (age_after_successor / ITERATION_HALF_LIFE_MONTHS), ITERATION_TAIL_FLOOR
    )
    ramp = np.clip((months - start + 1) / 3.0, 0.0, 1.0)
    return np.where((months >= start) & (months <= end), decay * ramp, 0.0)


def sample_rows(probabilities: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Draw one column index per row from row-wise (unnormalised) probabilities."""
    cumulative = probabilities.cumsum(axis=1)
    draws = rng.random(len(probabilities)) * cumulative[:, -1]
    return (draws[:, None] >= cumulative).sum(axis=1)


def choose_active(
    month: np.ndarray,
    flag: np.ndarray,
    weights: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
    groups: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """Pick, per row, an entity of the row's group that is active in the row's month."""
    chosen = np.empty(len(month), dtype=int)
    for key in np.unique(np.stack([month, flag]), axis=1).T:
        rows = np.flatnonzero((month == key[0]) & (flag == key[1]))
        active = (starts <= key[0]) & (ends >= key[0]) & (groups == key[1]) & (weights > 0)
        candidates = np.flatnonzero(active)
        p = weights[candidates] / weights[candidates].sum()
        chosen[rows] = rng.choice(candidates, size=len(rows), p=p)
    return chosen


def choose_lots(
    schemes: np.ndarray,
    supplier: np.ndarray,
    month: np.ndarray,
    lots: pd.DataFrame,
    suppliers: pd.DataFrame,
    rng: np.random.Generator,
) -> np.ndarray:
    """Lot number per row from the scheme's time-drifting weights and supplier affinity."""
    affinity = suppliers[[f"affinity_{lot}" for lot in range(1, 5)]].to_numpy()[supplier]
    position = (month / (N_MONTHS - 1))[:, None]
    result = np.zeros(len(month), dtype=int)
    for scheme, table in lots.groupby("lot_scheme"):
        rows = np.flatnonzero(schemes == scheme)
        start = table["count_weight_2012"].to_numpy()[None, :]
        end = table["count_weight_2025"].to_numpy()[None, :]
        weights = (start + (end - start) * position[rows]) * affinity[rows, : len(table)]
        result[rows] = table["lot_number"].to_numpy()[sample_rows(weights, rng)]
    return result
