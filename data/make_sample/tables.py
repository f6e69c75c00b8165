"""The tables every later step looks up: the sources plus invented suppliers, customers,
their names month by month, URNs and per-release spelling styles."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from data.make_sample.customers import assign_urns, build_customers, name_history
from data.make_sample.sources import Sources
from data.make_sample.spellings import choose_name_styles
from data.make_sample.suppliers import build_suppliers


@dataclass(frozen=True)
class Tables:
    """Source and invented tables that the truth and the release writers look up."""

    sources: Sources
    suppliers: pd.DataFrame
    customers: pd.DataFrame
    names: np.ndarray  # customers x months: the name each customer had that month
    urns: dict[str, int]
    name_styles: dict[tuple[int, str], str]  # (customer, release key) -> spelling style


def build_tables(sources: Sources, rng: np.random.Generator) -> Tables:
    """Invent suppliers, customer windows and weights, URNs and spelling styles (in this
    order: each step draws from ``rng`` in turn)."""
    suppliers = build_suppliers(sources.suppliers, rng)
    customers = build_customers(sources.customers, rng)
    return Tables(
        sources=sources,
        suppliers=suppliers,
        customers=customers,
        names=name_history(customers, sources.customers.changes),
        urns=assign_urns(customers, sources.customers.non_buyers, rng),
        name_styles=choose_name_styles(customers, sources.releases, rng),
    )
