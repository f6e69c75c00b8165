"""Benchmark data: the bundled sample's distributions scaled to N rows, seeded.

The sample store (``dashboard.sample.default_store()``) gives the empirical distributions:
rows per month (growth and seasonality), framework / iteration / lot mix per month, customers
with their URN and sector, suppliers with their SME status and the frameworks they sell on,
and spend amounts per framework, credits included. :func:`generate` draws N rows from them:

* buyers and suppliers grow sub-linearly, ``base x sqrt(N / sample rows)``; new bodies are
  regional variants of real ones (``Home Office (North)``, ``Quarrybank Group (North) plc``)
  keeping their sector, SME status and (for customers) an invented URN above the real range;
* each customer-supplier-lot relationship bills monthly and carries on the next month with
  probability :data:`CARRY_ON`, so rows repeat as real billing does;
* one extra month after the sample's last is generated as the *new release* used by the
  incremental-ingest benchmark.

The rows are written as published releases in the modern CCS layout (:data:`HEADER`) by
:mod:`benchmarks.release_files` and kept between runs by :mod:`benchmarks.datasets`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from loaders.catalogue.store import read_table

ROOT = Path(__file__).resolve().parent.parent
VERSION = 1  # bump when the generated data changes, so caches are rebuilt
CARRY_ON = 0.85  # chance a relationship bills again the next month (mean run ~6.7 months)
VARIANT_URN_START = 90_000_000  # invented URNs: real CCS URNs are around 10,000,000
REGIONS = (
    "North",
    "South",
    "East",
    "West",
    "Midlands",
    "London",
    "Scotland",
    "Wales",
    "Northern Ireland",
    "South West",
    "North East",
    "Yorkshire",
)
LEGAL_FORM = re.compile(r"^(.*?)( (?:UK Limited|UK Ltd|Limited|Ltd|plc|LLP))$", re.IGNORECASE)
HEADER = [
    "Customer URN",
    "Customer Name",
    "Customer Sector",
    "Supplier Name",
    "SME Status",
    "Framework Number",
    "Framework Name",
    "Lot Number",
    "Lot Name",
    "Spend Month",
    "Evidenced Spend (ex VAT)",
]
TITLE_ROWS = [
    ["Crown Commercial Service"],
    ["G-Cloud and Digital Outcomes spend: management information (SYNTHETIC BENCHMARK DATA)"],
]
DOS_LONG = "Digital Outcomes and Specialists"


@dataclass(frozen=True)
class Profile:
    """Empirical distributions of the sample store."""

    rows: int
    months: pd.DatetimeIndex  # every month of the sample, oldest first
    month_rows: np.ndarray  # rows per month
    combos: pd.DataFrame  # framework, iteration ("" if none), lot
    combo_rows: np.ndarray  # months x combos row counts
    customers: pd.DataFrame  # name, urn (0 = none), sector, weight
    suppliers: pd.DataFrame  # name, sme, weight
    supplier_rows: np.ndarray  # frameworks x suppliers row counts
    frameworks: list[str]
    amounts: list[np.ndarray]  # positive amounts per framework
    credits: np.ndarray  # credit amounts (negative)


def _mode(values: pd.Series) -> object:
    counts = values.dropna().value_counts()
    return counts.index[0] if len(counts) else None


def _body_tables(spend: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Customers (name, URN, sector, weight) and suppliers (name, SME, weight) of the sample."""
    by_customer = spend.groupby("customer", observed=True)
    customers = pd.DataFrame(
        {
            "urn": by_customer["customer_urn"].agg(_mode).fillna(0).astype("int64"),
            "sector": by_customer["sector"].agg(_mode).astype(object),
            "weight": by_customer.size().astype("float64"),
        }
    )
    by_supplier = spend.groupby("supplier", observed=True)
    suppliers = pd.DataFrame(
        {
            "sme": by_supplier["sme_status"].agg(_mode).astype(object),
            "weight": by_supplier.size().astype("float64"),
        }
    )
    customers = customers.rename_axis("name").reset_index()
    suppliers = suppliers.rename_axis("name").reset_index()
    return customers.astype({"name": object}), suppliers.astype({"name": object})


def profile_of(spend: pd.DataFrame) -> Profile:
    """The distributions of a canonical spend frame."""
    spend = spend.assign(
        framework_iteration=spend["framework_iteration"].astype(object).fillna(""),
        framework=spend["framework"].astype(object),
        lot=spend["lot"].astype(object),
    )
    months = pd.date_range(spend["month"].min(), spend["month"].max(), freq="MS")
    combo_keys = ["framework", "framework_iteration", "lot"]
    table = pd.crosstab(spend["month"], [spend[k] for k in combo_keys]).reindex(
        months, fill_value=0
    )
    combos = table.columns.to_frame(index=False)
    combos.columns = ["framework", "iteration", "lot"]
    customers, suppliers = _body_tables(spend)
    frameworks = sorted(spend["framework"].unique())
    supplier_rows = pd.crosstab(spend["framework"], spend["supplier"].astype(object))
    supplier_rows = supplier_rows.reindex(index=frameworks, columns=suppliers["name"], fill_value=0)
    amount = spend["spend_gbp"]
    return Profile(
        rows=len(spend),
        months=months,
        month_rows=table.sum(axis=1).to_numpy(),
        combos=combos,
        combo_rows=table.to_numpy(),
        customers=customers,
        suppliers=suppliers,
        supplier_rows=supplier_rows.to_numpy(),
        frameworks=frameworks,
        amounts=[amount[(spend["framework"] == f) & (amount > 0)].to_numpy() for f in frameworks],
        credits=amount[amount < 0].to_numpy(),
    )


@cache
def sample_profile() -> Profile:
    """Distributions of the bundled sample (ingested once by ``dashboard.sample``)."""
    from dashboard.sample import default_store

    return profile_of(read_table(default_store(), "spend"))


def last_months(profile: Profile, months: int | None) -> Profile:
    """The profile restricted to its last ``months`` months (``None``: all), for quick runs."""
    if not months or months >= len(profile.months):
        return profile
    return replace(
        profile,
        months=profile.months[-months:],
        month_rows=profile.month_rows[-months:],
        combo_rows=profile.combo_rows[-months:],
    )


def sub_linear(base: int, size: int, base_rows: int) -> int:
    """Distinct bodies at ``size`` rows: ``base x sqrt(size / base_rows)``, at least 1."""
    return max(1, round(base * (size / base_rows) ** 0.5))


def variant_names(names: list[str], counts: list[int], legal_form: bool) -> list[str]:
    """Regional variants of real names: the k-th variant of each name in ``names``.

    ``Home Office`` -> ``Home Office (North)``; a supplier keeps its legal form last:
    ``Quarrybank Group plc`` -> ``Quarrybank Group (North) plc``.
    """
    out = []
    for name, k in zip(names, counts, strict=True):
        region = REGIONS[k % len(REGIONS)]
        label = region if k < len(REGIONS) else f"{region} {k // len(REGIONS) + 1}"
        match = LEGAL_FORM.match(name) if legal_form else None
        out.append(f"{match[1]} ({label}){match[2]}" if match else f"{name} ({label})")
    return out


def _grow(bodies: pd.DataFrame, count: int, rng: np.random.Generator, legal_form: bool):
    """``count`` bodies: the heaviest real ones if fewer, else all plus regional variants.

    Returns the bodies and, for each, the row of ``bodies`` it derives from.
    """
    if count <= len(bodies):
        chosen = np.sort(np.argsort(-bodies["weight"].to_numpy(), kind="stable")[:count])
        return bodies.iloc[chosen].reset_index(drop=True), chosen
    # Parents drawn uniformly and weighted like them keep the sector and SME mix.
    parents = rng.integers(0, len(bodies), size=count - len(bodies))
    nth = pd.Series(parents).groupby(parents).cumcount().to_numpy()
    new = bodies.iloc[parents].reset_index(drop=True)
    new["name"] = variant_names(new["name"].tolist(), nth.tolist(), legal_form)
    new["weight"] = new["weight"].to_numpy() * rng.uniform(0.15, 0.6, len(new))
    if "urn" in new:
        invented = VARIANT_URN_START + np.arange(len(new))
        new["urn"] = np.where(new["urn"].to_numpy() > 0, invented, 0)
    grown = pd.concat([bodies, new], ignore_index=True)
    return grown, np.concatenate([np.arange(len(bodies)), parents])


@dataclass
class _Relations:
    """Relationships billing in the current month (parallel arrays)."""

    customer: np.ndarray
    supplier: np.ndarray
    combo: np.ndarray
    amount: np.ndarray

    def take(self, keep: np.ndarray) -> _Relations:
        return _Relations(
            self.customer[keep], self.supplier[keep], self.combo[keep], self.amount[keep]
        )

    @staticmethod
    def join(a: _Relations, b: _Relations) -> _Relations:
        return _Relations(
            *(
                np.concatenate([x, y])
                for x, y in zip(
                    (a.customer, a.supplier, a.combo, a.amount),
                    (b.customer, b.supplier, b.combo, b.amount),
                    strict=True,
                )
            )
        )


@dataclass(frozen=True)
class _Model:
    """What the monthly simulation draws from."""

    profile: Profile
    combo_p: np.ndarray  # months x combos probabilities
    combo_framework: np.ndarray  # framework index of each combo
    customer_p: np.ndarray
    supplier_p: np.ndarray  # frameworks x suppliers probabilities


def _new_relations(model: _Model, month: int, count: int, rng) -> _Relations:
    combo = rng.choice(len(model.combo_framework), size=count, p=model.combo_p[month])
    framework = model.combo_framework[combo]
    supplier = np.empty(count, dtype="int64")
    amount = np.empty(count, dtype="float64")
    for f in range(len(model.profile.frameworks)):
        rows = np.flatnonzero(framework == f)
        supplier[rows] = rng.choice(
            model.supplier_p.shape[1], size=len(rows), p=model.supplier_p[f]
        )
        amount[rows] = rng.choice(model.profile.amounts[f], size=len(rows))
    customer = rng.choice(len(model.customer_p), size=count, p=model.customer_p)
    return _Relations(customer, supplier, combo, amount * rng.lognormal(0, 0.3, count))


def _month_rows(model: _Model, month: int, count: int, active: _Relations | None, rng):
    """This month's billing relationships: most carry on, the rest are new."""
    if active is not None and len(active.customer):
        keep = (rng.random(len(active.customer)) < CARRY_ON) & (
            model.combo_p[month][active.combo] > 0
        )
        active = active.take(np.flatnonzero(keep))
        if len(active.customer) > count:
            active = active.take(np.sort(rng.choice(len(active.customer), count, replace=False)))
        fresh = _new_relations(model, month, count - len(active.customer), rng)
        return _Relations.join(active, fresh)
    return _new_relations(model, month, count, rng)


def _amounts(relations: _Relations, credits: np.ndarray, credit_share: float, rng) -> np.ndarray:
    """Each bill: the relationship's amount with noise, or now and then a credit."""
    n = len(relations.amount)
    amount = relations.amount * rng.lognormal(0, 0.15, n)
    credit = rng.random(n) < credit_share
    amount[credit] = rng.choice(credits, size=int(credit.sum()))
    return np.round(amount, 2)


def _model(profile: Profile, size: int, rng) -> tuple[_Model, pd.DataFrame, pd.DataFrame]:
    customers, _ = _grow(
        profile.customers, sub_linear(len(profile.customers), size, profile.rows), rng, False
    )
    suppliers, parent = _grow(
        profile.suppliers, sub_linear(len(profile.suppliers), size, profile.rows), rng, True
    )
    supplier_weight = profile.supplier_rows[:, parent] * (
        suppliers["weight"].to_numpy() / profile.suppliers["weight"].to_numpy()[parent]
    )
    combo_p = profile.combo_rows / profile.combo_rows.sum(axis=1, keepdims=True)
    frameworks = {f: i for i, f in enumerate(profile.frameworks)}
    model = _Model(
        profile=profile,
        combo_p=np.vstack([combo_p, combo_p[-1:]]),  # the new month mixes like the last
        combo_framework=profile.combos["framework"].map(frameworks).to_numpy(),
        customer_p=(w := customers["weight"].to_numpy()) / w.sum(),
        supplier_p=supplier_weight / supplier_weight.sum(axis=1, keepdims=True),
    )
    return model, customers, suppliers


def generate(
    size: int, seed: int = 2026, profile: Profile | None = None, months: int | None = None
) -> pd.DataFrame:
    """``size`` spend rows over the sample's months (or its last ``months``), then the new
    month's release.

    Columns: ``month``, ``customer``, ``customer_urn`` (``<NA>`` if none), ``sector``,
    ``supplier``, ``sme_status``, ``framework``, ``framework_iteration`` (null if none),
    ``lot``, ``spend_gbp`` and ``new_release`` (True for the extra month's rows).
    """
    profile = last_months(profile or sample_profile(), months)
    rng = np.random.default_rng(seed)
    model, customers, suppliers = _model(profile, size, rng)
    counts = rng.multinomial(size, profile.month_rows / profile.month_rows.sum())
    counts = np.append(counts, max(1, round(counts[-12:].mean())))
    credit_share = len(profile.credits) / profile.rows
    parts, active = [], None
    for month, count in enumerate(counts):
        active = _month_rows(model, month, int(count), active, rng)
        amount = _amounts(active, profile.credits, credit_share, rng)
        parts.append((np.full(len(amount), month), active, amount))
    return _frame(parts, profile, customers, suppliers, size)


def _frame(parts, profile: Profile, customers, suppliers, size: int) -> pd.DataFrame:
    month = np.concatenate([p[0] for p in parts])
    customer = np.concatenate([p[1].customer for p in parts])
    supplier = np.concatenate([p[1].supplier for p in parts])
    combo = np.concatenate([p[1].combo for p in parts])
    months = profile.months.append(pd.DatetimeIndex([profile.months[-1] + pd.DateOffset(months=1)]))
    urns = customers["urn"].to_numpy()[customer]
    iteration = profile.combos["iteration"].to_numpy()[combo]
    return pd.DataFrame(
        {
            "month": months[month],
            "customer": pd.Categorical.from_codes(customer, customers["name"]),
            "customer_urn": pd.array(np.where(urns > 0, urns, 0), dtype="Int64"),
            "sector": pd.Categorical(customers["sector"].to_numpy()[customer]),
            "supplier": pd.Categorical.from_codes(supplier, suppliers["name"]),
            "sme_status": pd.Categorical(suppliers["sme"].to_numpy()[supplier]),
            "framework": pd.Categorical(profile.combos["framework"].to_numpy()[combo]),
            "framework_iteration": pd.Categorical(np.where(iteration == "", None, iteration)),
            "lot": pd.Categorical(profile.combos["lot"].to_numpy()[combo]),
            "spend_gbp": np.concatenate([p[2] for p in parts]),
            "new_release": np.arange(len(month)) >= size,
        }
    ).assign(customer_urn=lambda f: f["customer_urn"].mask(f["customer_urn"].eq(0)))
