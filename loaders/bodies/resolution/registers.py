"""What the customer-name resolver reads beside the customer list, built once per run: the
GOV.UK register's titles and abbreviations; the customer list's own acronyms, the initials
of its names, its names with spaces squeezed out (``VisitEngland``) and the aliases that
``data/reference/name_patterns.csv`` gives them (``Brent Council``); the descriptors and
short forms of ``data/reference``; and a speller of the registers' words."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from loaders.bodies.customer_list import CustomerList
from loaders.bodies.lineage import GOVUK_ORGANISATIONS, Register, read_register
from loaders.bodies.resolution.context import Registers
from loaders.bodies.resolution.keys import match_key
from loaders.bodies.resolution.list_index import ListIndex
from loaders.bodies.resolution.readings import (
    initials,
    looks_like_acronym,
    read_descriptors,
    read_rows,
    read_short_forms,
)
from loaders.bodies.resolution.typos import Speller
from loaders.core.vocabulary import REFERENCE_DIR, Vocabulary

MIN_ABBREVIATION = 3  # letters: two-letter abbreviations (EH, HA, SE) name too many things


def _grouped(pairs: list[tuple[str, object]]) -> dict[str, tuple]:
    out: dict[str, list] = {}
    for key, value in pairs:
        if key and value not in out.setdefault(key, []):
            out[key].append(value)
    return {k: tuple(v) for k, v in out.items()}


def _abbreviation_keys(register: Register, vocab: Vocabulary) -> dict[str, tuple[str, ...]]:
    """Match key of each GOV.UK abbreviation of three letters or more -> slugs. An
    abbreviation that is also a title (``Home Office``) stays a title only."""
    pairs = []
    for org in register.organisations.values():
        key = match_key(org.abbreviation, vocab) if org.abbreviation else ""
        if len(key.replace(" ", "")) >= MIN_ABBREVIATION:
            pairs.append((key, org.slug))
    return _grouped(pairs)


def _list_acronyms(customers: CustomerList | None, vocab: Vocabulary) -> dict[str, tuple]:
    """Match key of each acronym a customer list gives (later lists have the column) ->
    URNs."""
    if customers is None or "acronym" not in customers.bodies.columns:
        return {}
    bodies = customers.bodies.dropna(subset=["urn"])
    pairs = [
        (match_key(str(a), vocab), int(u))
        for a, u in zip(bodies["acronym"], bodies["urn"], strict=True)
        if isinstance(a, str) and looks_like_acronym(a)
    ]
    return _grouped(pairs)


NAME_PATTERNS = REFERENCE_DIR / "name_patterns.csv"
MIN_INITIALS = 4  # letters: shorter initials of list names collide too often to tell a body


def _list_entries(index: ListIndex | None) -> list[tuple[str, int]]:
    """(match key, URN) of every current and former name of the customer list."""
    if index is None:
        return []
    return list(zip(map(str, index.keys.tolist()), map(int, index.urns.tolist()), strict=True))


def _initials(entries: list[tuple[str, int]]) -> dict[str, tuple]:
    """Initials of each list name (small words left out) of :data:`MIN_INITIALS` letters or
    more -> URNs: ``eastern shires purchasing organisation`` -> ``espo``."""
    pairs = [(initials(key.split()), urn) for key, urn in entries]
    return _grouped([(k, u) for k, u in pairs if len(k) >= MIN_INITIALS])


def _pattern_aliases(entries: list[tuple[str, int]], path: Path) -> dict[str, tuple]:
    """Alias keys the patterns of ``name_patterns.csv`` give list names -> URNs."""
    rules = [(re.compile(r["pattern"]), r["alias"]) for r in read_rows(path, ("pattern", "alias"))]
    pairs = []
    for key, urn in entries:
        for pattern, alias in rules:
            found = pattern.match(key)
            if found:
                pairs.append((alias.format(**found.groupdict()), urn))
    return _grouped(pairs)


def build_registers(
    index: ListIndex | None,
    customers: CustomerList | None,
    vocab: Vocabulary,
    organisations: Path | None = GOVUK_ORGANISATIONS,
) -> Registers:
    """The resolver's registers for one run (``organisations``: the GOV.UK register file,
    ``None`` for none). Raises :class:`LoaderInputError` if a reference file is unusable."""
    register = read_register(organisations)
    titles = _grouped(
        [(match_key(o.title, vocab), o.slug) for o in register.organisations.values()]
    )
    abbreviations = {k: v for k, v in _abbreviation_keys(register, vocab).items()
                     if k not in titles}  # fmt: skip
    entries = _list_entries(index)
    keys = list(titles) + [k for k, _ in entries]
    return Registers(
        register=register,
        titles=titles,
        abbreviations=abbreviations,
        list_acronyms=_list_acronyms(customers, vocab),
        initials=_initials(entries),
        squashed=_grouped([(k.replace(" ", ""), u) for k, u in entries]),
        pattern_aliases=_pattern_aliases(entries, NAME_PATTERNS),
        descriptors=read_descriptors(),
        short_forms=read_short_forms(),
        speller=Speller.of(keys),
    )


def list_facts(customers: CustomerList | None) -> tuple[dict[int, str], dict[int, str]]:
    """URN -> customer-list name, and URN -> sector (where the list gives one)."""
    if customers is None:
        return {}, {}
    bodies = customers.bodies.dropna(subset=["urn"]).drop_duplicates("urn")
    urns = bodies["urn"].astype("int64").tolist()
    names = dict(zip(urns, bodies["name"].astype(str), strict=True))
    sectors = {u: str(s) for u, s in zip(urns, bodies["sector"], strict=True) if pd.notna(s)}
    return names, sectors
