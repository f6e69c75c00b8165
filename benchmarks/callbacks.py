"""Seeded random filter sets for the page callback, the request body, and latency statistics.

Filter sets use the URL parameters documented in :mod:`dashboard.analytics.filters` with values
found in the store: one or several financial years or a from/to range of months, frameworks,
iterations, lots, buyer groups, sectors, SME status, now and then a customer or supplier
name, and the chart period. The department page adds ``name`` (a department's GOV.UK title
or slug, from ``data/reference/departments.csv``, among departments with spend).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from loaders.catalogue.store import read_table

ROOT = Path(__file__).resolve().parent.parent
DEPARTMENTS = ROOT / "data" / "reference" / "departments.csv"
PAGES = {
    "overview": "/",
    "adoption": "/adoption",
    "department": "/department",
    "suppliers": "/suppliers",
}
UPDATE = "/_dash-update-component"
BUYER_GROUPS = (("central", 5), ("non-whitehall", 4), ("unclassified", 1))


@dataclass(frozen=True)
class Values:
    """Values a filter can take in one store."""

    years: list[str]
    months: list[str]
    frameworks: list[str]
    iterations: dict[str, list[str]]  # framework -> its iterations
    lots: dict[str, list[str]]  # framework -> its lots
    sectors: list[str]
    customers: list[str]
    suppliers: list[str]
    departments: list[str]  # department titles and slugs with spend


def _distinct(table, column: str) -> list[str]:
    values = pc.unique(table.column(column).cast("string")).drop_null().to_pylist()
    return sorted(values)


def _by_framework(table, column: str) -> dict[str, list[str]]:
    pairs = table.select(["framework", column]).group_by(["framework", column]).aggregate([])
    out: dict[str, list[str]] = {}
    for framework, value in zip(
        *(pairs.column(c).to_pylist() for c in ("framework", column)), strict=True
    ):
        if value is not None:
            out.setdefault(str(framework), []).append(str(value))
    return {k: sorted(v) for k, v in out.items()}


def _departments(customers: list[str]) -> list[str]:
    import pandas as pd

    table = pd.read_csv(DEPARTMENTS, dtype=str)
    present = table[table["body"].isin(set(customers))]
    slugs = present["department_slug"].dropna().unique().tolist()
    return sorted(set(present["department"].unique().tolist()) | set(slugs))


def store_values(store: Path) -> Values:
    """The values of each filter that occur in the store's spend rows."""
    columns = [
        "financial_year",
        "month",
        "framework",
        "framework_iteration",
        "lot",
        "sector",
        "customer",
        "supplier",
    ]
    table = pa.Table.from_pandas(read_table(store, "spend", columns=columns), preserve_index=False)
    table = table.set_column(
        table.schema.get_field_index("framework"), "framework", table["framework"].cast("string")
    )
    months = pc.unique(pc.strftime(table.column("month"), "%Y-%m")).to_pylist()
    customers = _distinct(table, "customer")
    return Values(
        years=_distinct(table, "financial_year"),
        months=sorted(months),
        frameworks=_distinct(table, "framework"),
        iterations=_by_framework(table, "framework_iteration"),
        lots=_by_framework(table, "lot"),
        sectors=_distinct(table, "sector"),
        customers=customers,
        suppliers=_distinct(table, "supplier"),
        departments=_departments(customers),
    )


def _period(values: Values, rng: random.Random) -> dict[str, str]:
    roll = rng.random()
    if roll < 0.55:
        return {"fy": rng.choice(values.years)}
    if roll < 0.7:
        return {
            "fy": ",".join(
                sorted(rng.sample(values.years, min(len(values.years), rng.randint(2, 3))))
            )
        }
    if roll < 0.85:
        start = rng.randrange(len(values.months))
        end = min(len(values.months) - 1, start + rng.randint(2, 24))
        return {"from": values.months[start], "to": values.months[end]}
    return {}


def _choices(values: Values, rng: random.Random) -> dict[str, str]:
    params: dict[str, str] = {}
    framework = rng.choice(values.frameworks)
    if rng.random() < 0.25:
        params["framework"] = framework
    if rng.random() < 0.15 and values.iterations.get(framework):
        pool = values.iterations[framework]
        params["iteration"] = ",".join(rng.sample(pool, min(len(pool), rng.randint(1, 2))))
    if rng.random() < 0.15 and values.lots.get(framework):
        params["lot"] = rng.choice(values.lots[framework])
    if rng.random() < 0.35:
        names, weights = zip(*BUYER_GROUPS, strict=True)
        params["buyer_group"] = rng.choices(names, weights)[0]
    if rng.random() < 0.15:
        count = min(len(values.sectors), rng.randint(1, 2))
        params["sector"] = ",".join(rng.sample(values.sectors, count))
    if rng.random() < 0.25:
        params["sme"] = rng.choice(["SME", "Large"])
    if rng.random() < 0.05:
        params["customer"] = rng.choice(values.customers)
    if rng.random() < 0.05:
        params["supplier"] = rng.choice(values.suppliers)
    if rng.random() < 0.1:
        params["period"] = rng.choice(["fy", "month"])
    return params


def filter_set(values: Values, rng: random.Random, page: str) -> str:
    """One random query string (``?fy=2019-20&sme=SME``, or empty) for ``page``."""
    params = {**_period(values, rng), **_choices(values, rng)}
    if page == "department" and values.departments:
        params = {"name": rng.choice(values.departments), **params}
    if not params:
        return ""
    return "?" + urlencode(params, quote_via=quote, safe=",")


def plan(values: Values, requests: int, warmup: int, seed: int) -> dict[str, list[str]]:
    """Query strings per page: ``warmup`` first (not counted), then ``requests``."""
    rng = random.Random(seed)
    return {
        page: [filter_set(values, rng, page) for _ in range(warmup + requests)] for page in PAGES
    }


def _split_output(key: str) -> list[dict[str, str]]:
    """``..a.b...c.d..`` (several outputs) or ``a.b`` -> ``[{"id", "property"}, ...]``."""
    parts = key[2:-2].split("...") if key.startswith("..") else [key]
    return [dict(zip(("id", "property"), p.rsplit(".", 1), strict=True)) for p in parts]


def page_callback(callback_map: dict) -> tuple[str, dict]:
    """The callback rendering the page from ``url.pathname`` and ``url.search``."""
    for key, spec in callback_map.items():
        inputs = {(i["id"], i["property"]) for i in spec.get("inputs", [])}
        if {("url", "pathname"), ("url", "search")} <= inputs and "page-content" in key:
            return key, spec
    raise LookupError("no callback takes url.pathname and url.search into page-content")


def request_body(callback: tuple[str, dict], pathname: str, search: str) -> dict:
    """The JSON a browser posts to ``/_dash-update-component`` for a page at a URL."""
    key, spec = callback
    outputs = _split_output(key)
    given = {"pathname": pathname, "search": search}
    inputs = [
        {"id": i["id"], "property": i["property"], "value": given.get(i["property"])}
        for i in spec["inputs"]
    ]
    body = {
        "output": key,
        "outputs": outputs if key.startswith("..") else outputs[0],
        "inputs": inputs,
        "changedPropIds": ["url.pathname", "url.search"],
    }
    if spec.get("state"):
        body["state"] = [{"id": s["id"], "property": s["property"]} for s in spec["state"]]
    return body


def summary(latencies: list[float], sizes: list[int]) -> dict[str, float]:
    """p50 and p95 latency (ms), mean and max response size (bytes)."""
    if not latencies:
        return {"requests": 0}
    ms = np.array(latencies) * 1000
    return {
        "requests": len(latencies),
        "p50_ms": float(np.percentile(ms, 50)),
        "p95_ms": float(np.percentile(ms, 95)),
        "max_ms": float(ms.max()),
        "mean_bytes": float(np.mean(sizes)),
        "max_bytes": float(np.max(sizes)),
    }


def save_plan(path: Path, queries: dict[str, list[str]], warmup: int) -> Path:
    """Write the plan the serving subprocess runs."""
    path.write_text(json.dumps({"warmup": warmup, "pages": queries}), encoding="utf-8")
    return path
