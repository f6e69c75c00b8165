"""Resolve each row's customer and supplier to a body, and report how (see the package
docstring for the order of trust)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from loaders.bodies.customer_list import CustomerList
from loaders.bodies.lineage import GOVUK_ORGANISATIONS
from loaders.bodies.resolution.aliases import (
    CUSTOMER_ALIASES,
    SUPPLIER_ALIASES,
    read_customer_aliases,
    read_supplier_aliases,
)
from loaders.bodies.resolution.context import CustomerContext, Match
from loaders.bodies.resolution.display import (
    NOT_STATED,
    display_names,
    list_display,
    tidy_list_name,
)
from loaders.bodies.resolution.keys import urn_key
from loaders.bodies.resolution.list_index import FUZZY_MARGIN, FUZZY_THRESHOLD, build_list_index
from loaders.bodies.resolution.names import resolve_name
from loaders.bodies.resolution.registers import build_registers, list_facts
from loaders.bodies.resolution.suppliers import linked_suppliers
from loaders.bodies.resolution.trust import UntrustedUrn, untrusted_urns
from loaders.catalogue import CANONICAL
from loaders.core import normalise
from loaders.core.vocabulary import Vocabulary

CUSTOMER_METHODS = (
    "urn", "urn_name", "override", "exact_list", "exact_sector", "renamed", "acronym",
    "trimmed", "fuzzy_list", "part", "typo", "ambiguous", "name_key", "none",
)  # fmt: skip
SUPPLIER_METHODS = ("override", "trimmed", "renamed", "respaced", "name_key", "none")


def _pairs(
    names: pd.Series, urns: pd.Series | None, weights: pd.Series | None = None
) -> tuple[pd.DataFrame, np.ndarray]:
    """Distinct (published name, URN) pairs with their row counts, and each row's pair.

    ``weights`` are the rows each entry stands for (distinct inputs counted once: see
    :func:`resolve_customers`); by default one each."""
    frame = pd.DataFrame(
        {
            "published_name": names.fillna("").astype(str).to_numpy(),
            "row_urn": pd.array(
                [pd.NA] * len(names) if urns is None else urns.to_numpy(), dtype="Int64"
            ),
            "rows": 1 if weights is None else weights.to_numpy(dtype="int64"),
        }
    )
    grouped = frame.groupby(["published_name", "row_urn"], dropna=False, sort=True)
    codes = grouped.ngroup().to_numpy()
    pairs = grouped["rows"].sum().reset_index()
    return pairs, codes


def _urn_names(pairs: pd.DataFrame, vocab: Vocabulary) -> dict[str, int]:
    """Customer keys that releases publish with exactly one URN."""
    given = pairs.dropna(subset=["row_urn"])
    keys = [normalise.customer_key(n, vocab) for n in given["published_name"]]
    urns = pd.Series(given["row_urn"].astype("int64").to_numpy()).groupby(keys).unique()
    return {k: int(u[0]) for k, u in urns.items() if k and len(u) == 1}


def _name_sectors(names: pd.Series, sectors: pd.Series | None) -> dict[str, str]:
    """Published name -> the one sector the releases give its rows (names given several
    sectors, or none, are left out)."""
    if sectors is None:
        return {}
    frame = pd.DataFrame(
        {"name": names.fillna("").astype(str).to_numpy(), "sector": sectors.to_numpy()}
    ).dropna(subset=["sector"])
    frame = frame[frame["sector"].astype(str).ne("")].drop_duplicates()
    counts = frame.groupby("name")["sector"].nunique()
    single = frame[frame["name"].isin(counts[counts == 1].index)]
    return dict(zip(single["name"], single["sector"].astype(str), strict=True))


def _resolved_frame(pairs: pd.DataFrame, matches: list[Match]) -> pd.DataFrame:
    return pairs.assign(
        body_key=[m.body_key for m in matches],
        method=[m.method for m in matches],
        score=[m.score for m in matches],
        urn=pd.array([m.urn for m in matches], dtype="Int64"),
        canonical=[m.canonical for m in matches],
        runner_up=pd.Series([m.runner_up for m in matches], dtype=object),
        runner_up_score=pd.Series([m.runner_up_score for m in matches], dtype="float64"),
    )


def _rows(pairs: pd.DataFrame, codes: np.ndarray, index: pd.Index) -> pd.DataFrame:
    """Each row's resolution, from its pair's. Text columns are categorical: a row holds a
    code into the distinct pairs' values, not a copy of the text (at 10M rows, copies of
    ten columns were 41% of an ingest's peak memory)."""
    columns = ["published_name", "body_key", "body_name", "method", "score", "urn"]
    columns += ["published_urn", "urn_note", "runner_up", "runner_up_score"]
    distinct = pairs[columns].copy()
    for column in ("published_name", "body_key", "body_name", "method", "urn_note", "runner_up"):
        distinct[column] = distinct[column].astype("category")
    out = distinct.iloc[codes].set_axis(index)
    out["score"] = out["score"].astype("float64")
    return out


def _urn_notes(pairs: pd.DataFrame, untrusted: dict[int, UntrustedUrn]) -> pd.DataFrame:
    """``published_urn`` (the URN on the rows) and ``urn_note`` (why it was not trusted)."""
    published = pairs["row_urn"]
    notes = [
        untrusted[int(u)].reason if not pd.isna(u) and int(u) in untrusted else None
        for u in published
    ]
    return pairs.assign(published_urn=published, urn_note=pd.Series(notes, dtype=object))


def resolve_customers(
    names: pd.Series,
    urns: pd.Series,
    vocab: Vocabulary,
    customers: CustomerList | None = None,
    aliases: Path | None = CUSTOMER_ALIASES,
    *,
    threshold: float = FUZZY_THRESHOLD,
    margin: float = FUZZY_MARGIN,
    sectors: pd.Series | None = None,
    organisations: Path | None = GOVUK_ORGANISATIONS,
    weights: pd.Series | None = None,
) -> pd.DataFrame:
    """Resolve each row's customer to a body.

    Returns a frame aligned with ``names``: ``published_name``, ``body_key``, ``body_name``
    (display name), ``method`` (:data:`CUSTOMER_METHODS`), ``score`` (100 for exact
    methods, the rapidfuzz score for ``fuzzy_list`` and ``typo``, NaN otherwise), ``urn``
    (the body's URN where known), ``published_urn`` (the URN on the row), ``urn_note`` (why
    that URN was not trusted, :mod:`loaders.bodies.resolution.trust`, else null),
    ``runner_up`` (the nearest other customer-list body, ``name (URN n)``; for an
    ``ambiguous`` name every body it could be) and ``runner_up_score``. ``sectors`` are the
    sectors the releases give the rows: they tell a renamed body from unrelated bodies
    sharing a URN, and which of several bodies of one name a name is. ``organisations`` is
    the GOV.UK register (:mod:`loaders.bodies.lineage`). ``weights`` (aligned with
    ``names``) are the rows each entry stands for, so distinct inputs with their row counts
    resolve exactly as the rows would (only the counts of rows weigh; by default one each).
    """
    overrides = read_customer_aliases(aliases, vocab)
    index = build_list_index(customers, vocab) if customers is not None else None
    untrusted = untrusted_urns(names, urns, sectors, vocab, overrides, index)
    pairs, codes = _pairs(names, urns, weights)
    lying = pairs["row_urn"].isin(list(untrusted)).fillna(False).to_numpy(dtype=bool)
    list_names, list_sectors = list_facts(customers)
    ctx = CustomerContext(
        vocab=vocab,
        urn_names=_urn_names(pairs[~lying], vocab),
        aliases=overrides,
        index=index,
        threshold=threshold,
        margin=margin,
        registers=build_registers(index, customers, vocab, organisations),
        list_names=list_names,
        list_sectors=list_sectors,
        name_sectors=_name_sectors(names, sectors),
    )
    by_name: dict[str, Match] = {}
    matches = []
    for name, urn, lies in zip(pairs["published_name"], pairs["row_urn"], lying, strict=True):
        if not pd.isna(urn) and not lies:
            matches.append(Match(urn_key(urn), "urn", 100.0, int(urn)))
            continue
        if name not in by_name:
            by_name[name] = resolve_name(name, ctx)
        matches.append(by_name[name])
    pairs = _urn_notes(_resolved_frame(pairs, matches), untrusted)
    listed = list_display(pairs, customers, vocab) if customers is not None else None
    pairs["body_name"] = pairs["body_key"].map(display_names(pairs, listed))
    pairs["body_name"] = pairs["body_name"].astype(object).fillna(NOT_STATED)
    return _rows(pairs, codes, names.index)


def resolve_suppliers(
    names: pd.Series,
    vocab: Vocabulary,
    aliases: Path | None = SUPPLIER_ALIASES,
    weights: pd.Series | None = None,
) -> pd.DataFrame:
    """Resolve each row's supplier: an override, else a published name it says it is one
    with (:mod:`loaders.bodies.resolution.suppliers`), else its normalised key (no fuzzy
    merging).

    Returns the same columns as :func:`resolve_customers` (``urn`` always null);
    ``weights`` as there.
    """
    pairs, codes = _pairs(names, None, weights)
    overrides = read_supplier_aliases(aliases, vocab)
    keys = [normalise.supplier_key(n, vocab) for n in pairs["published_name"]]
    rows = pd.Series(pairs["rows"].to_numpy()).groupby(keys).sum().to_dict()
    linked = linked_suppliers(pairs["published_name"], rows, vocab)
    matches = []
    for key in keys:
        if key in overrides:
            canonical = overrides[key]
            body_key = normalise.supplier_key(canonical, vocab)
            matches.append(Match(body_key, "override", 100.0, None, canonical))
        elif key in linked:
            body_key, method = linked[key]
            matches.append(Match(overrides.get(body_key, body_key), method, 100.0))
        else:
            matches.append(Match(key or None, "name_key" if key else "none"))
    pairs = _urn_notes(_resolved_frame(pairs, matches), {})
    pairs["body_name"] = pairs["body_key"].map(display_names(pairs, None)).fillna(NOT_STATED)
    return _rows(pairs, codes, names.index)


def match_report(
    kind: str, resolved: pd.DataFrame, spend_gbp: pd.Series, lines: np.ndarray | None = None
) -> pd.DataFrame:
    """One row per published name and body it resolved to: method, score, rows and pounds.

    ``resolved`` has one row per spend row, or, with ``lines`` (each spend row's position in
    ``resolved``), one row per distinct input, so the rows' answers are never copied per row.
    ``spend_gbp`` (£, one per spend row) is summed per group in row order, as grouping the
    rows themselves would. A name published with several URNs (or with and without one) has
    a row per body; a name published with a URN not trusted has a row naming that URN
    (``published_urn``) and why (``urn_note``: ``placeholder URN``, ``names of unrelated
    bodies`` or ``shared with a test or dummy organisation``). ``runner_up`` and
    ``runner_up_score`` name the nearest other body (every candidate of an ``ambiguous``
    name).
    """
    keys = ["published_name", "body_key", "body_name", "urn", "method", "score"]
    keys += ["published_urn", "urn_note", "runner_up", "runner_up_score"]
    lines = np.arange(len(resolved)) if lines is None else np.asarray(lines)
    groups = resolved.groupby(keys, dropna=False, sort=True).ngroup().to_numpy()
    spend = pd.Series(np.asarray(spend_gbp, dtype="float64"))
    sums = spend.groupby(groups[lines], sort=True).agg(["size", "sum"])
    line_of = np.zeros(len(np.unique(groups)), dtype=np.intp)
    line_of[groups] = np.arange(len(groups))  # a line of each group (all alike in the keys)
    table = resolved.iloc[line_of[sums.index.to_numpy()]][keys].reset_index(drop=True)
    table["rows"] = sums["size"].to_numpy().astype("int64")
    table["spend_gbp"] = sums["sum"].to_numpy().round(2)
    table.insert(0, "kind", kind)
    return CANONICAL["matches"].typed(table)


def method_counts(matches: pd.DataFrame, kind: str) -> dict[str, dict[str, float | int]]:
    """Published names, rows and pounds resolved by each method, for the load report."""
    table = matches[matches["kind"] == kind]
    methods = CUSTOMER_METHODS if kind == "customer" else SUPPLIER_METHODS
    out: dict[str, dict[str, float | int]] = {}
    for method in methods:
        chosen = table[table["method"] == method]
        if len(chosen):
            out[method] = {
                "names": int(chosen["published_name"].nunique()),
                "rows": int(chosen["rows"].sum()),
                "spend_gbp": round(float(chosen["spend_gbp"].sum()), 2),
            }
    return out


def customer_bodies(
    customers: CustomerList | None, display: pd.Series | None = None
) -> pd.DataFrame:
    """The customer list's bodies (the denominator of adoption), one row per URN.

    ``display`` (body key -> name) gives the names shown in the spend, so a body reads the
    same everywhere; other names are tidied list names. Empty when no list is given.
    """
    table = CANONICAL["customers"]
    if customers is None:
        return table.empty()
    frame = customers.bodies.drop_duplicates("urn")[table.columns].reset_index(drop=True)
    names = frame["name"].map(tidy_list_name)
    if display is not None:
        shown = pd.Series([urn_key(u) for u in frame["urn"]], dtype=object).map(display)
        names = shown.astype(object).fillna(names)  # none shown: all-NaN floats, not names
    frame["name"] = names
    typed = table.typed(frame)
    for column in table.columns[1:]:  # blank text is no value
        typed[column] = typed[column].mask(typed[column].eq(""))
    return typed


def sector_by_body_key(customers: CustomerList) -> pd.Series:
    """Sector of each URN body key (``urn:<URN>``), where the customer list gives one."""
    sectors = customers.sector_by_urn()
    return pd.Series(sectors.to_numpy(), index=[urn_key(u) for u in sectors.index], dtype=object)
