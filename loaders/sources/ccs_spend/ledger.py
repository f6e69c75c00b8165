"""The spend rows' figures in the load report, kept so that an append adds to them.

The report's headline (rows, pounds, central government and SME shares, pounds by financial
year, buyers and suppliers, months) and its breakdowns by how sectors and SME status were
found are worked out from a *ledger*: the spend rows' count and exact sum of pounds for each
combination of financial year, central government or not, SME or not, sector method and SME
source (:data:`LEDGER_KEYS`), a few hundred entries at most. A sum is kept exactly, as the
few floats whose exact sum it is (:func:`exact_terms`), so the pounds the report shows are
those :func:`~loaders.sources.ccs_spend.report.pounds` gives over the rows, to the penny and
bit for bit, whether they come from every row or from a stored ledger and new rows
(:func:`appended_figures`). The ledger is written into the report (``spend_ledger``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from loaders.bodies.counting import count_buyers, count_suppliers
from loaders.core.vocabulary import load_vocabulary

LEDGER_KEYS = ("financial_year", "central", "sme", "sector_method", "sme_source")
MAX_TERMS = 64  # an exact sum of float64 values needs at most about 40


def exact_terms(values: Sequence[float]) -> list[float]:
    """The exact sum of ``values`` (floats, no NaN) as the floats ``t1, t2...``: ``t1`` is
    the sum correctly rounded (:func:`math.fsum`), each next one the rest correctly rounded,
    until nothing is left. The same exact sum always gives the same list, and ``fsum`` of
    the list is ``fsum`` of ``values``. Raises ``ArithmeticError`` if it does not end."""
    values, terms = list(values), []
    for _ in range(MAX_TERMS):
        rest = math.fsum(values + [-t for t in terms])
        if rest == 0.0:
            return terms
        terms.append(rest)
    raise ArithmeticError("an exact sum that does not end")


def _plain(value: object) -> object:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def _order(entry: dict[str, Any]) -> tuple:
    return tuple((entry[k] is None, str(entry[k])) for k in LEDGER_KEYS)


def ledger_of(spend: pd.DataFrame) -> list[dict[str, Any]]:
    """The ledger of canonical spend rows: one entry per combination of :data:`LEDGER_KEYS`
    found, with ``rows`` and ``spend_terms`` (pounds ex VAT, exactly; rows without an
    amount counted but not summed), in a fixed order."""
    central = load_vocabulary().buyer_group("central").name
    keys = pd.DataFrame(
        {
            "financial_year": spend["financial_year"].astype(object),
            "central": spend["buyer_group"].eq(central).fillna(False).to_numpy(dtype=bool),
            "sme": spend["sme_status"].eq("SME").fillna(False).to_numpy(dtype=bool),
            "sector_method": spend["sector_method"].astype(object),
            "sme_source": spend["sme_source"].astype(object),
        }
    )
    amounts = spend["spend_gbp"].to_numpy(dtype="float64")
    entries = []
    for found, rows in keys.groupby(list(LEDGER_KEYS), dropna=False, sort=False).indices.items():
        values = amounts[rows]
        entry = {k: _plain(v) for k, v in zip(LEDGER_KEYS, found, strict=True)}
        entry["central"], entry["sme"] = bool(entry["central"]), bool(entry["sme"])
        entry["rows"] = len(rows)
        entry["spend_terms"] = exact_terms(values[~np.isnan(values)].tolist())
        entries.append(entry)
    return sorted(entries, key=_order)


def merged_ledgers(*ledgers: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Ledgers added together (rows and exact sums of the same entries added)."""
    merged: dict[tuple, dict[str, Any]] = {}
    for ledger in ledgers:
        for entry in ledger:
            key = tuple(entry[k] for k in LEDGER_KEYS)
            if key not in merged:
                merged[key] = {**{k: entry[k] for k in LEDGER_KEYS}, "rows": 0, "spend_terms": []}
            merged[key]["rows"] += int(entry["rows"])
            merged[key]["spend_terms"] = merged[key]["spend_terms"] + list(entry["spend_terms"])
    for entry in merged.values():
        entry["spend_terms"] = exact_terms(entry["spend_terms"])
    return sorted(merged.values(), key=_order)


def pounds_of(entries: Iterable[dict[str, Any]]) -> float:
    """The pounds of some ledger entries, exactly rounded to the penny."""
    return round(math.fsum(t for entry in entries for t in entry["spend_terms"]), 2)


def months_of(spend: pd.DataFrame) -> dict[str, Any]:
    """The first and last months of spend rows (``YYYY-MM``) and how many there are."""
    months = spend["month"].dropna()
    if months.empty:
        return {"first": None, "last": None, "count": 0}
    return {
        "first": months.min().strftime("%Y-%m"),
        "last": months.max().strftime("%Y-%m"),
        "count": int(months.nunique()),
    }


@dataclass(frozen=True)
class SpendFigures:
    """What the report shows of the spend rows: their ``ledger``, ``months``
    (:func:`months_of`) and how many distinct buyers and suppliers they have."""

    ledger: list[dict[str, Any]]
    months: dict[str, Any]
    customers: int
    suppliers: int


def figures_of(spend: pd.DataFrame) -> SpendFigures:
    """The figures of every spend row."""
    return SpendFigures(ledger_of(spend), months_of(spend), count_buyers(spend),
                        count_suppliers(spend))  # fmt: skip


def _new_keys(stored: pd.DataFrame, new: pd.DataFrame, kind: str) -> int:
    known = set(stored.loc[stored["kind"].eq(kind).to_numpy(dtype=bool), "key"].astype(object))
    found = set(new[f"{kind}_key"].dropna().astype(object))
    return len(found - known)


def appended_figures(
    section: dict[str, Any], bodies: pd.DataFrame, new: pd.DataFrame
) -> SpendFigures | None:
    """The figures of a store's spend rows with ``new`` rows added, from the store's report
    ``section`` (its ledger and headline) and its ``bodies`` table (the buyers and
    suppliers it has). ``None`` when the store's report has no ledger (written before it),
    or when a new row's month is not later than every stored one (a release may add a
    stored month for another framework): the stored months are not listed, so how many
    distinct months there are is then worked out from every row."""
    stored = section.get("spend_ledger")
    headline = section.get("headline") or {}
    if stored is None or "months" not in headline:
        return None
    before, added = headline["months"], months_of(new)
    if before["count"] and (added["first"] is None or added["first"] <= before["last"]):
        return None
    months = added if not before["count"] else {
        "first": before["first"], "last": added["last"] or before["last"],
        "count": before["count"] + added["count"],
    }  # fmt: skip
    return SpendFigures(
        merged_ledgers(stored, ledger_of(new)),
        months,
        int(headline["distinct_customers"]) + _new_keys(bodies, new, "customer"),
        int(headline["distinct_suppliers"]) + _new_keys(bodies, new, "supplier"),
    )


def share(part: float, whole: float) -> float | None:
    """``part`` as a percentage of ``whole`` (4 decimals; ``None`` when ``whole`` is 0)."""
    return None if not whole else round(100 * part / whole, 4)


def headline_of(figures: SpendFigures) -> dict[str, Any]:
    """Headline figures: rows, pounds, months, central government pounds and share, SME
    shares by value and volume, pounds by financial year, distinct buyers and suppliers."""
    ledger = figures.ledger
    total = pounds_of(ledger)
    rows = sum(e["rows"] for e in ledger)
    central = pounds_of(e for e in ledger if e["central"])
    sme = [e for e in ledger if e["sme"]]
    years = sorted({e["financial_year"] for e in ledger if e["financial_year"] is not None})
    return {
        "rows": int(rows),
        "spend_gbp": total,
        "months": figures.months,
        "central_government_gbp": central,
        "central_government_share_pct": share(central, total),
        "sme_share_value_pct": share(pounds_of(sme), total),
        "sme_share_volume_pct": share(sum(e["rows"] for e in sme), rows),
        "by_financial_year_gbp": {
            str(y): pounds_of(e for e in ledger if e["financial_year"] == y) for y in years
        },
        "distinct_customers": figures.customers,
        "distinct_suppliers": figures.suppliers,
    }


def by_value(ledger: list[dict[str, Any]], column: str) -> dict[str, dict[str, float | int]]:
    """Rows and pounds by each value of one ledger key (``sector_method``, ``sme_source``)."""
    values = sorted({str(e[column]) for e in ledger if e[column] is not None})
    out: dict[str, dict[str, float | int]] = {}
    for value in values:
        entries = [e for e in ledger if e[column] is not None and str(e[column]) == value]
        out[value] = {"rows": sum(e["rows"] for e in entries), "spend_gbp": pounds_of(entries)}
    return out
