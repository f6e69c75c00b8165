"""Hand-placed transactions: customers seen in one release only, and the XSS supplier and
formula-injection customer rows (``one_release_customers.csv``, ``security_test_rows.csv``)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from data.make_sample.draws import choose_lots, iteration_weights, sample_rows
from data.make_sample.months import month_index
from data.make_sample.settings import INJECTION_CUSTOMER, XSS_SUPPLIER
from data.make_sample.tables import Tables


def active_body(customers: pd.DataFrame, month: int, rng: np.random.Generator) -> int:
    """A random ordinary buying body that is active in ``month``."""
    active = (
        (customers["kind"] == "body")
        & (customers["weight"] > 0)
        & (customers["start"] <= month)
        & (customers["end"] >= month)
    )
    return int(rng.choice(np.flatnonzero(active)))


def placed_rows(tables: Tables, rng: np.random.Generator) -> pd.DataFrame:
    """Rows for one-release customers and the XSS / formula-injection test names:
    family, supplier and customer positions, month index and amount."""
    suppliers, customers = tables.suppliers, tables.customers
    design = tables.sources.customers
    position = {name: i for i, name in enumerate(customers["name"])}
    xss = int(np.flatnonzero(suppliers["name"] == XSS_SUPPLIER)[0])
    plain_smes = np.flatnonzero(suppliers["is_sme"] & (suppliers["weight"] > 0))
    tests = design.security_rows
    rows = [
        (
            row.family,
            xss,
            active_body(customers, month_index(row.month), rng),
            row.month,
            row.amount,
        )
        for row in tests
        if row.key == "xss_supplier"
    ]
    rows += [
        (
            row.family,
            int(rng.choice(plain_smes)),
            position[INJECTION_CUSTOMER],
            row.month,
            row.amount,
        )
        for row in tests
        if row.key == "formula_customer"
    ]
    rows += [
        (
            row.family,
            int(rng.choice(plain_smes)),
            position[row.key],
            row.month,
            float(np.round(rng.uniform(2_000, 60_000), 2)),
        )
        for row in design.one_release
    ]
    frame = pd.DataFrame(rows, columns=["family", "supplier", "customer", "month", "amount"])
    frame["month"] = frame["month"].map(month_index)
    return frame


def complete_placed_rows(
    placed: pd.DataFrame, tables: Tables, rng: np.random.Generator
) -> pd.DataFrame:
    """Give placed rows a framework iteration and lot like the drawn rows."""
    frameworks = tables.sources.frameworks
    weights = iteration_weights(frameworks)[placed["month"].to_numpy()]
    weights = weights * (
        frameworks["family"].to_numpy()[None, :] == placed["family"].to_numpy()[:, None]
    )
    iteration = sample_rows(weights, rng)
    placed["framework"] = frameworks.index.to_numpy()[iteration]
    placed["lot_scheme"] = frameworks["lot_scheme"].to_numpy()[iteration]
    placed["lot"] = choose_lots(
        placed["lot_scheme"].to_numpy(),
        placed["supplier"].to_numpy(),
        placed["month"].to_numpy(),
        tables.sources.lots,
        tables.suppliers,
        rng,
    )
    return placed
