"""Customers: real public bodies with buying windows and weights, a few private or unknown
customers, the name each body had in each month, and URNs."""

from __future__ import annotations

import numpy as np
import pandas as pd

from data.make_sample.months import month_index
from data.make_sample.settings import (
    CUSTOMER_AMOUNT_ELASTICITY,
    CUSTOMER_WEIGHT_SD,
    DEFAULT_ORG_TYPE_WEIGHT,
    FIRST_MONTH,
    INJECTION_CUSTOMER,
    N_MONTHS,
)
from data.make_sample.sources import CustomerTables


def body_windows(tables: CustomerTables, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Return first and last buying month of each body (creation, adoption, merger).

    Bigger buyers adopt the frameworks sooner.
    """
    bodies, changes, adoption = tables.bodies, tables.changes, tables.adoption_months
    created = changes[changes["event"] == "created"].set_index("body")["month"]
    merged = changes[changes["event"] == "merged"].set_index("body")["month"]
    base = bodies["name"].map(created).fillna(FIRST_MONTH).map(month_index).to_numpy()
    is_central = bodies["sector"].isin(tables.central_sectors).to_numpy()
    mean = np.where(is_central, adoption["central"], adoption["other"])
    mean = np.where(bodies["name"].isin(created.index), adoption["created"], mean)
    mean = mean / np.maximum(bodies["name"].map(tables.buyer_sizes).fillna(1.0), 1.0)
    start = base + np.floor(rng.exponential(mean)).astype(int)
    end = bodies["name"].map(merged).map(month_index, na_action="ignore")
    end = (end.fillna(N_MONTHS).to_numpy() - 1).astype(int)
    return np.minimum(start, N_MONTHS - 1), end


def body_weights(tables: CustomerTables, rng: np.random.Generator) -> np.ndarray:
    """Buying weight of each body from its organisation type, size and chance."""
    bodies = tables.bodies
    base = bodies["organisation_type"].map(tables.org_type_weights)
    size = bodies["name"].map(tables.buyer_sizes).fillna(1.0)
    weight = (base.fillna(DEFAULT_ORG_TYPE_WEIGHT) * size).to_numpy()
    weight = weight * rng.lognormal(0.0, CUSTOMER_WEIGHT_SD, len(bodies))
    one_off = bodies["name"].isin([row.key for row in tables.one_release])
    return np.where(one_off, 0.0, weight)


def build_customers(tables: CustomerTables, rng: np.random.Generator) -> pd.DataFrame:
    """Buying customers: real bodies, a few private or unknown customers, and the
    formula-injection test customer (weight 0), each with a window, weight and scale."""
    start, end = body_windows(tables, rng)
    bodies = tables.bodies.assign(
        kind="body",
        release_sector=tables.bodies["sector"],
        weight=body_weights(tables, rng),
        start=start,
        end=end,
    )
    others = tables.others.rename(columns={"sector": "release_sector"})
    others = others.assign(
        kind="other",
        sector=others["release_sector"],
        organisation_type="",
        parent_department="",
        weight=rng.lognormal(0.0, 0.5, len(others)),
        start=0,
        end=N_MONTHS - 1,
    )
    injection = pd.DataFrame(
        [
            {
                "name": INJECTION_CUSTOMER,
                "release_sector": "Unregistered or Unknown",
                "sector": "Unregistered or Unknown",
                "urn_sector": "",
                "kind": "test",
                "organisation_type": "",
                "parent_department": "",
                "weight": 0.0,
                "start": 0,
                "end": N_MONTHS - 1,
            }
        ]
    )
    customers = pd.concat([bodies, others, injection], ignore_index=True)
    customers["urn_sector"] = customers["urn_sector"].fillna("")
    customers["is_central"] = customers["sector"].isin(tables.central_sectors)
    typical = np.median(customers.loc[customers["weight"] > 0, "weight"])
    relative = np.maximum(customers["weight"].to_numpy(), typical * 0.1) / typical
    customers["scale"] = relative**CUSTOMER_AMOUNT_ELASTICITY
    return customers


def name_history(customers: pd.DataFrame, changes: pd.DataFrame) -> np.ndarray:
    """Return a customers x months array of the name each customer had in each month."""
    names = np.repeat(customers["name"].to_numpy()[:, None], N_MONTHS, axis=1)
    renames = changes.query("event == 'renamed'")
    position = {name: i for i, name in enumerate(customers["name"])}
    ordered = renames.assign(until=renames["month"].map(month_index)).sort_values(
        "until", ascending=False
    )
    for row in ordered.itertuples():
        names[position[row.body], : row.until] = row.other_name
    return names


def assign_urns(
    customers: pd.DataFrame, non_buyers: pd.DataFrame, rng: np.random.Generator
) -> dict[str, int]:
    """Give every body, non-buyer and registered private customer an 8-digit URN."""
    registered = customers[(customers["kind"] == "body") | (customers["urn_sector"] != "")]
    names = [*registered["name"], *non_buyers["name"]]
    numbers = 10_000_000 + rng.choice(100_000, size=len(names), replace=False)
    return dict(zip(names, numbers.tolist(), strict=True))
