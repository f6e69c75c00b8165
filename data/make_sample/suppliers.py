"""Invented suppliers: names from word lists, a stable SME status, weights and windows."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from data.make_sample.months import month_index
from data.make_sample.settings import (
    LARGE_WEIGHT_LOG_MEAN,
    N_LARGE_SUPPLIERS,
    N_MONTHS,
    N_SME_SUPPLIERS,
    SME_WEIGHT_SD,
    XSS_SUPPLIER,
)
from data.make_sample.sources import SupplierTables


def name_core(name: str, legal_words: tuple[str, ...]) -> str:
    """A supplier name without case and trailing legal words (``Ltd``, ``UK``, ``plc``...)."""
    words = name.lower().replace(".", "").split()
    while words and words[-1] in legal_words:
        words.pop()
    return " ".join(words)


def invent_names(
    rng: np.random.Generator,
    count: int,
    make: Callable[[str, str], str],
    taken: set[str],
    tables: SupplierTables,
) -> list[str]:
    """Invent ``count`` names from the word lists, unique even once legal suffixes are cut."""
    names: list[str] = []
    while len(names) < count:
        first = str(rng.choice(tables.first_words))
        second = str(rng.choice(tables.second_words))
        name = make(first, second)
        core = name_core(name, tables.legal_suffix_words)
        if core not in taken:
            taken.add(core)
            names.append(name)
    return names


def supplier_names(tables: SupplierTables, rng: np.random.Generator) -> tuple[list[str], list[str]]:
    """Return invented (SME names, large-supplier names)."""
    taken = {name_core(fixed.name, tables.legal_suffix_words) for fixed in tables.fixed}
    suffixes = rng.choice(
        tables.sme_suffixes, size=N_SME_SUPPLIERS * 3, p=tables.sme_suffix_weights
    )
    suffix_iter = iter(suffixes)
    smes = invent_names(
        rng, N_SME_SUPPLIERS, lambda a, b: f"{a} {b} {next(suffix_iter)}", taken, tables
    )
    patterns = iter(np.resize(tables.large_name_patterns, N_LARGE_SUPPLIERS * 3))
    larges = invent_names(
        rng,
        N_LARGE_SUPPLIERS,
        lambda a, b: str(next(patterns)).format(a=a, b=b),
        taken,
        tables,
    )
    return smes, larges


def fixed_suppliers(tables: SupplierTables) -> pd.DataFrame:
    """The hand-picked suppliers (``fixed_suppliers.csv``) with neutral weight and scale."""
    return pd.DataFrame(
        {
            "name": [fixed.name for fixed in tables.fixed],
            "is_sme": [fixed.is_sme for fixed in tables.fixed],
            "weight": 1.0,
            "scale": 1.0,
            "start": [month_index(fixed.first) for fixed in tables.fixed],
            "end": [month_index(fixed.last) for fixed in tables.fixed],
        }
    )


def build_suppliers(tables: SupplierTables, rng: np.random.Generator) -> pd.DataFrame:
    """Suppliers with stable SME status, buying weight, amount scale, active window (month
    indices) and affinity to lots 1-4; the XSS test supplier last, with weight 0."""
    smes, larges = supplier_names(tables, rng)
    n_sme, n_large = len(smes), len(larges)
    suppliers = pd.DataFrame(
        {
            "name": smes + larges,
            "is_sme": [True] * n_sme + [False] * n_large,
            "weight": np.concatenate(
                [
                    rng.lognormal(0.0, SME_WEIGHT_SD, n_sme),
                    rng.lognormal(LARGE_WEIGHT_LOG_MEAN, 0.6, n_large),
                ]
            ),
            "scale": rng.lognormal(0.0, 0.5, n_sme + n_large),
            "start": np.where(
                rng.random(n_sme + n_large) < 0.3,
                0,
                rng.integers(0, N_MONTHS - 12, n_sme + n_large),
            ),
        }
    )
    suppliers.loc[~suppliers["is_sme"], "start"] = rng.integers(0, 40, n_large)
    lifetime = rng.integers(24, 2 * N_MONTHS, len(suppliers))
    suppliers["end"] = np.minimum(suppliers["start"] + lifetime, N_MONTHS - 1)
    suppliers = pd.concat([suppliers, fixed_suppliers(tables)], ignore_index=True)
    affinity = rng.dirichlet(np.full(4, 0.8), len(suppliers))
    for lot in range(4):
        suppliers[f"affinity_{lot + 1}"] = affinity[:, lot]
    suppliers.loc[len(suppliers)] = {
        "name": XSS_SUPPLIER,
        "is_sme": True,
        "weight": 0.0,
        "scale": 1.0,
        "start": 0,
        "end": N_MONTHS - 1,
        **{f"affinity_{lot}": 0.25 for lot in range(1, 5)},
    }
    return suppliers
