"""Resolve each row's customer and supplier to a body, and report how (see the package
docstring for the order of trust)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from loaders.bodies.customer_list import CustomerList
from loaders.bodies.resolution.aliases import (
    CUSTOMER_ALIASES,
    SUPPLIER_ALIASES,
    Alias,
    CustomerAliases,
    read_customer_aliases,
    read_supplier_aliases,
)
from loaders.bodies.resolution.display import (
    NOT_STATED,
    display_names,
    list_display,
    tidy_list_name,
)
from loaders.bodies.resolution.keys import match_key, urn_key
from loaders.bodies.resolution.list_index import (
    FUZZY_MARGIN,
    FUZZY_THRESHOLD,
    ListIndex,
    build_list_index,
)
from loaders.bodies.resolution.trust import UntrustedUrn, names_no_body, untrusted_urns
from loaders.catalogue import CANONICAL
from loaders.core import normalise
from loaders.core.vocabulary import Vocabulary

CUSTOMER_METHODS = ("urn", "urn_name", "override", "exact_list", "fuzzy_list", "name_key", "none")
SUPPLIER_METHODS = ("override", "name_key", "none")


class Match(NamedTuple):
    """How one published name was resolved."""

    body_key: str | None
    method: str
    score: float | None = None
    urn: int | None = None
    canonical: str | None = None  # body name given by an override


def _pairs(names: pd.Series, urns: pd.Series | None) -> tuple[pd.DataFrame, np.ndarray]:
    """Distinct (published name, URN) pairs with their row counts, and each row's pair."""
    frame = pd.DataFrame(
        {
            "published_name": names.fillna("").astype(str).to_numpy(),
            "row_urn": pd.array(
                [pd.NA] * len(names) if urns is None else urns.to_numpy(), dtype="Int64"
            ),
        }
    )
    grouped = frame.groupby(["published_name", "row_urn"], dropna=False, sort=True)
    codes = grouped.ngroup().to_numpy()
    pairs = grouped.size().rename("rows").reset_index()
    return pairs, codes


@dataclass(frozen=True)
class _CustomerContext:
    vocab: Vocabulary
    urn_names: dict[str, int]  # customer key published with a single URN -> URN
    aliases: CustomerAliases
    index: ListIndex | None
    threshold: float
    margin: float


def _urn_names(pairs: pd.DataFrame, vocab: Vocabulary) -> dict[str, int]:
    """Customer keys that releases publish with exactly one URN."""
    given = pairs.dropna(subset=["row_urn"])
    keys = [normalise.customer_key(n, vocab) for n in given["published_name"]]
    urns = pd.Series(given["row_urn"].astype("int64").to_numpy()).groupby(keys).unique()
    return {k: int(u[0]) for k, u in urns.items() if k and len(u) == 1}


def _known_urn(name: str, ctx: _CustomerContext) -> int | None:
    """A URN for a name from releases or an exact customer-list match, if there is one."""
    found = ctx.urn_names.get(normalise.customer_key(name, ctx.vocab))
    if found is None and ctx.index is not None:
        urns = ctx.index.exact_urns(name, ctx.vocab)
        found = urns[0] if len(urns) == 1 else None
    return found


def _override(alias: Alias, ctx: _CustomerContext) -> Match:
    """The body of an override: its URN if given, else found for its name or an alias."""
    urn = alias.urn
    for name in alias.names:
        if urn is not None:
            break
        urn = _known_urn(name, ctx)
    body_key = urn_key(urn) if urn is not None else normalise.customer_key(alias.body, ctx.vocab)
    return Match(body_key, "override", 100.0, urn, alias.body)


def _from_list(name: str, key: str, ctx: _CustomerContext) -> Match | None:
    """An exact or fuzzy customer-list match; ``name_key`` when the name is ambiguous."""
    if ctx.index is None:
        return None
    urns = ctx.index.exact_urns(name, ctx.vocab)
    if len(urns) == 1:
        return Match(urn_key(urns[0]), "exact_list", 100.0, urns[0])
    if urns:  # several bodies of that name: never guessed
        return Match(key, "name_key")
    if key in ctx.aliases.by_body:  # a body named in the override file, spelt as there
        return _override(ctx.aliases.by_body[key], ctx)
    best = ctx.index.fuzzy(match_key(name, ctx.vocab), ctx.threshold, ctx.margin)
    if best is not None:
        return Match(urn_key(best.urn), "fuzzy_list", round(best.score, 1), best.urn)
    return None


def _resolve_name(name: str, ctx: _CustomerContext) -> Match:
    """Resolve one published customer name (no URN on the row), in order of trust."""
    key = normalise.customer_key(name, ctx.vocab)
    if not key or names_no_body(name, ctx.vocab):  # "Unknown", "Various": no body at all
        return Match(None, "none")
    if key in ctx.urn_names:
        return Match(urn_key(ctx.urn_names[key]), "urn_name", 100.0, ctx.urn_names[key])
    if key in ctx.aliases.by_alias:
        return _override(ctx.aliases.by_alias[key], ctx)
    found = _from_list(name, key, ctx)
    if found is not None:
        return found
    if key in ctx.aliases.by_body:
        return _override(ctx.aliases.by_body[key], ctx)
    return Match(key, "name_key")


def _resolved_frame(pairs: pd.DataFrame, matches: list[Match]) -> pd.DataFrame:
    return pairs.assign(
        body_key=[m.body_key for m in matches],
        method=[m.method for m in matches],
        score=[m.score for m in matches],
        urn=pd.array([m.urn for m in matches], dtype="Int64"),
        canonical=[m.canonical for m in matches],
    )


def _rows(pairs: pd.DataFrame, codes: np.ndarray, index: pd.Index) -> pd.DataFrame:
    columns = ["published_name", "body_key", "body_name", "method", "score", "urn"]
    columns += ["published_urn", "urn_note"]
    out = pairs.iloc[codes][columns].set_axis(index)
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
) -> pd.DataFrame:
    """Resolve each row's customer to a body.

    Returns a frame aligned with ``names``: ``published_name``, ``body_key``, ``body_name``
    (display name), ``method``, ``score`` (100 for exact methods, the rapidfuzz score for
    ``fuzzy_list``, NaN otherwise), ``urn`` (the body's URN where known),
    ``published_urn`` (the URN on the row) and ``urn_note`` (why that URN was not trusted,
    :mod:`loaders.bodies.resolution.trust`, else null). ``sectors`` are the sectors the releases
    give the rows, which tell a renamed body from unrelated bodies sharing a URN.
    """
    overrides = read_customer_aliases(aliases, vocab)
    index = build_list_index(customers, vocab) if customers is not None else None
    untrusted = untrusted_urns(names, urns, sectors, vocab, overrides, index)
    pairs, codes = _pairs(names, urns)
    lying = pairs["row_urn"].isin(list(untrusted)).fillna(False).to_numpy(dtype=bool)
    ctx = _CustomerContext(
        vocab=vocab,
        urn_names=_urn_names(pairs[~lying], vocab),
        aliases=overrides,
        index=index,
        threshold=threshold,
        margin=margin,
    )
    by_name: dict[str, Match] = {}
    matches = []
    for name, urn, lies in zip(pairs["published_name"], pairs["row_urn"], lying, strict=True):
        if not pd.isna(urn) and not lies:
            matches.append(Match(urn_key(urn), "urn", 100.0, int(urn)))
            continue
        if name not in by_name:
            by_name[name] = _resolve_name(name, ctx)
        matches.append(by_name[name])
    pairs = _urn_notes(_resolved_frame(pairs, matches), untrusted)
    listed = list_display(pairs, customers, vocab) if customers is not None else None
    pairs["body_name"] = pairs["body_key"].map(display_names(pairs, listed))
    pairs["body_name"] = pairs["body_name"].astype(object).fillna(NOT_STATED)
    return _rows(pairs, codes, names.index)


def resolve_suppliers(
    names: pd.Series, vocab: Vocabulary, aliases: Path | None = SUPPLIER_ALIASES
) -> pd.DataFrame:
    """Resolve each row's supplier: an override, else its normalised key (no fuzzy merging).

    Returns the same columns as :func:`resolve_customers` (``urn`` always null).
    """
    pairs, codes = _pairs(names, None)
    overrides = read_supplier_aliases(aliases, vocab)
    matches = []
    for name in pairs["published_name"]:
        key = normalise.supplier_key(name, vocab)
        if key in overrides:
            canonical = overrides[key]
            body_key = normalise.supplier_key(canonical, vocab)
            matches.append(Match(body_key, "override", 100.0, None, canonical))
        else:
            matches.append(Match(key or None, "name_key" if key else "none"))
    pairs = _urn_notes(_resolved_frame(pairs, matches), {})
    pairs["body_name"] = pairs["body_key"].map(display_names(pairs, None)).fillna(NOT_STATED)
    return _rows(pairs, codes, names.index)


def match_report(kind: str, resolved: pd.DataFrame, spend_gbp: pd.Series) -> pd.DataFrame:
    """One row per published name and body it resolved to: method, score, rows and pounds.

    A name published with several URNs (or with and without one) has a row per body; a
    name published with a URN not trusted has a row naming that URN (``published_urn``) and
    why (``urn_note``: ``placeholder URN``, ``names of unrelated bodies`` or ``shared with a
    test or dummy organisation``).
    """
    frame = resolved.assign(spend_gbp=spend_gbp.to_numpy())
    keys = ["published_name", "body_key", "body_name", "urn", "method", "score"]
    keys += ["published_urn", "urn_note"]
    table = (
        frame.groupby(keys, dropna=False, sort=True)
        .agg(rows=("spend_gbp", "size"), spend_gbp=("spend_gbp", "sum"))
        .reset_index()
    )
    table["spend_gbp"] = table["spend_gbp"].round(2)
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
        shown = pd.Series([urn_key(u) for u in frame["urn"]]).map(display)
        names = shown.fillna(names)
    frame["name"] = names
    typed = table.typed(frame)
    for column in table.columns[1:]:  # blank text is no value
        typed[column] = typed[column].mask(typed[column].eq(""))
    return typed


def sector_by_body_key(customers: CustomerList) -> pd.Series:
    """Sector of each URN body key (``urn:<URN>``), where the customer list gives one."""
    sectors = customers.sector_by_urn()
    return pd.Series(sectors.to_numpy(), index=[urn_key(u) for u in sectors.index], dtype=object)
