"""One index of body names, for every lookup of a customer or supplier by name.

A link or a filter box names bodies the way people write them (``Home Office``,
``home office``, ``HOME OFFICE.``, ``urn:10029409``, ``10029409``, a spelling a release used,
``Acme Ltd`` for ``Acme Limited``); the store holds each body once under its key
(``urn:<URN>`` or a normalised name) with one display name. A :class:`BodyIndex` answers,
for a text, the keys of the bodies it names: the text itself as a key, its normalised key
(case, punctuation, ``&``/``and``, legal forms and, for customers, the customer-list match
key), and every body whose display name, or any name it was published under, has that key.
A former name (the customer list's) counts only when no body has the text as its display
name or a published spelling: ``Department for Business, Energy and Industrial Strategy``
is the department that spent under that name, not the successor whose list entry records
it as a former name.
Filters, profiles, the name boxes and the display of keys as names all use it; a name that
matches nothing gets :meth:`BodyIndex.suggest`: the closest bodies whose words agree, typos
allowed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pandas as pd
from rapidfuzz import fuzz, process

from dashboard.analytics.names import in_capitals, readable_name
from loaders.bodies.resolution import match_key
from loaders.bodies.resolution.keys import agrees_allowing_typos
from loaders.core import normalise
from loaders.core.vocabulary import Vocabulary

KINDS = ("customer", "supplier")
SUGGESTIONS = 5
SUGGESTION_CUTOFF = 60.0
# How strongly a name names a body, strongest first: its display name, a spelling it was
# published under, a former name. A lookup uses the strongest rank that names a body.
DISPLAY, PUBLISHED, FORMER = 0, 1, 2


@dataclass(frozen=True)
class Bodies:
    """Body keys named by the customer and supplier filters (``None``: no such filter)."""

    customers: frozenset[str] | None = None
    suppliers: frozenset[str] | None = None


@dataclass(frozen=True)
class BodyIndex:
    """Keys and display names of the customer and supplier bodies of one store.

    ``bodies`` has ``kind`` (``customer``/``supplier``), ``key`` and ``name`` columns, largest
    spend first (the store's aggregate ``bodies`` table); ``aliases`` (same columns, and an
    optional ``rank``: :data:`PUBLISHED` when absent, or :data:`FORMER`) adds other names of
    those bodies: the spellings they were published under (the store's match report), former
    names.
    """

    bodies: pd.DataFrame
    vocab: Vocabulary
    aliases: pd.DataFrame | None = None
    _by_name_key: dict[str, dict[str, dict[int, tuple[str, ...]]]] = field(default_factory=dict)
    _known: dict[str, frozenset[str]] = field(default_factory=dict)
    _shown: dict[str, dict[str, str]] = field(default_factory=dict)
    _choices: dict[str, tuple[pd.DataFrame, list[str]]] = field(default_factory=dict)
    _commas: dict[str, int] = field(default_factory=dict)
    _readable: dict[str, dict[str, str]] = field(default_factory=dict)

    def warm(self) -> None:
        """Build every lookup table now (a server does this before it forks its workers, so
        no request pays for it and the workers share them)."""
        for kind in KINDS:
            self._name_keys(kind)
            self._match_choices(kind)
            self.known(kind)
            self.display_names(kind)
            self.most_commas(kind)
            self.readable_names(kind)

    @classmethod
    def of_rows(cls, spend: pd.DataFrame, vocab: Vocabulary) -> BodyIndex:
        """The index of the bodies in spend rows (or any table with keys and names)."""
        parts = [
            pd.DataFrame(
                {"kind": kind, "key": spend[f"{kind}_key"].astype(str), "name": spend[kind]}
            ).drop_duplicates("key")
            for kind in KINDS
            if f"{kind}_key" in spend.columns
        ]
        return cls(pd.concat(parts, ignore_index=True), vocab)

    def key_of(self, kind: str) -> Callable[[str], str]:
        """The normalised key of a customer or supplier name."""
        if kind == "customer":
            return lambda name: normalise.customer_key(name, self.vocab)
        return lambda name: normalise.supplier_key(name, self.vocab)

    def _keys_of_text(self, kind: str, text: str) -> tuple[str, ...]:
        """The keys a text is looked up by: as written, normalised, and (customers) the
        customer-list match key; a bare URN as ``urn:<URN>``."""
        text = text.strip()
        keys = [text, self.key_of(kind)(text)]
        if kind == "customer":
            keys.append(match_key(text, self.vocab))
            if text.isdigit():
                keys.append(f"urn:{int(text)}")
        return tuple(dict.fromkeys(k for k in keys if k))

    def _of_kind(self, kind: str) -> pd.DataFrame:
        return self.bodies[self.bodies["kind"] == kind]

    def _names(self, kind: str) -> pd.DataFrame:
        """Every name of the bodies of ``kind`` (``key``, ``name``, ``rank``): display names
        first, then aliases."""
        shown = self._of_kind(kind)[["key", "name"]].assign(rank=DISPLAY)
        parts = [shown]
        if self.aliases is not None:
            aliases = self.aliases.loc[self.aliases["kind"] == kind]
            rank = aliases["rank"].fillna(PUBLISHED) if "rank" in aliases else PUBLISHED
            parts.append(aliases[["key", "name"]].assign(rank=rank))
        names = pd.concat(parts, ignore_index=True)
        names = names.astype({"key": str, "name": str, "rank": int})
        return names[names["name"].ne("")].drop_duplicates(["key", "name"])

    def _name_keys(self, kind: str) -> dict[str, dict[int, tuple[str, ...]]]:
        """Each lookup key of each name -> rank -> the body keys with that name."""
        if kind not in self._by_name_key:
            found: dict[str, dict[int, list[str]]] = {}
            names = self._names(kind)
            for key, name, rank in zip(names["key"], names["name"], names["rank"], strict=True):
                for lookup in self._keys_of_text(kind, name)[1:]:
                    found.setdefault(lookup, {}).setdefault(rank, []).append(key)
            self._by_name_key[kind] = {
                lookup: {rank: tuple(dict.fromkeys(keys)) for rank, keys in ranks.items()}
                for lookup, ranks in found.items()
            }
        return self._by_name_key[kind]

    def _named_by_rank(self, kind: str, text: str) -> dict[int, list[str]]:
        """Rank -> the known body keys ``text`` names at that rank (a key itself: display)."""
        known = self.known(kind)
        by_name = self._name_keys(kind)
        ranked: dict[int, list[str]] = {}
        for candidate in self._keys_of_text(kind, text):
            if candidate in known:
                ranked.setdefault(DISPLAY, []).append(candidate)
            for rank, keys in by_name.get(candidate, {}).items():
                ranked.setdefault(rank, []).extend(k for k in keys if k in known)
        return {rank: list(dict.fromkeys(keys)) for rank, keys in ranked.items() if keys}

    def keys_named(self, kind: str, texts: Iterable[str]) -> frozenset[str]:
        """Keys of the bodies of ``kind`` that ``texts`` name (by key, display name or
        published spelling; by former name only when none of those names a body).

        A text that names no body still gives its own normalised key, which matches
        nothing; the caller can tell by checking :meth:`known`.
        """
        found: set[str] = set()
        for text in texts:
            found.update(self._keys_of_text(kind, text))
            ranked = self._named_by_rank(kind, text)
            strong = [k for rank in (DISPLAY, PUBLISHED) for k in ranked.get(rank, ())]
            found.update(strong or ranked.get(FORMER, ()))
        return frozenset(found)

    def suggest(self, kind: str, text: str, limit: int = SUGGESTIONS) -> list[tuple[str, str]]:
        """``(key, display name)`` of the bodies closest to a name that matched nothing:
        rapidfuzz scores over every name they are known by, kept only when the words agree
        (:func:`~loaders.bodies.resolution.keys.agrees_allowing_typos`: a typo allowed, never a
        different body such as ``Loughs Agency`` for ``Highways Agency``), best first."""
        wanted = match_key(text, self.vocab)
        names, choices = self._match_choices(kind)
        found = process.extract(wanted, choices, scorer=fuzz.WRatio,
                                score_cutoff=SUGGESTION_CUTOFF, limit=limit * 10)  # fmt: skip
        shown = self.display_names(kind)
        known = self.known(kind)  # only bodies with spend have a page to suggest
        keys: list[str] = []
        for choice, _, position in found:
            key = names["key"].iloc[position]
            if key in known and key not in keys and agrees_allowing_typos(wanted, choice):
                keys.append(key)
        return [(key, shown.get(key, key)) for key in keys[:limit]]

    def _match_choices(self, kind: str) -> tuple[pd.DataFrame, list[str]]:
        """Every name of ``kind`` (:meth:`_names`) and its match key, built once."""
        if kind not in self._choices:
            names = self._names(kind)
            self._choices[kind] = (names, [match_key(n, self.vocab) for n in names["name"]])
        return self._choices[kind]

    def other_names(self, kind: str) -> pd.DataFrame:
        """The names other than its display name that each body of ``kind`` with spend is
        known by (``key``, ``name``, ``rank``: published spellings, former names)."""
        names = self._names(kind)
        return names[names["rank"].ne(DISPLAY) & names["key"].isin(self.known(kind))]

    def most_commas(self, kind: str) -> int:
        """The most commas any name of a body of ``kind`` has (a link's name is never a run
        of more comma-separated parts than that, plus one)."""
        if kind not in self._commas:
            names = self._names(kind)["name"]
            self._commas[kind] = int(names.str.count(",").max()) if len(names) else 0
        return self._commas[kind]

    def known(self, kind: str) -> frozenset[str]:
        """Every body key of ``kind``."""
        if kind not in self._known:
            self._known[kind] = frozenset(self._of_kind(kind)["key"].astype(str))
        return self._known[kind]

    def find(self, kind: str, text: str) -> str | None:
        """The key of the one body ``text`` names first: itself if it is a key, else the
        body whose display name, then published spelling, then former name has its
        normalised key (the first key in order within a rank); ``None`` if none does."""
        if text.strip() in self.known(kind):
            return text.strip()
        ranked = self._named_by_rank(kind, text)
        for rank in sorted(ranked):
            return sorted(ranked[rank])[0]
        return None

    def resolve(self, customers: tuple[str, ...], suppliers: tuple[str, ...]) -> Bodies:
        """The body keys the customer and supplier filters name."""
        return Bodies(
            customers=self.keys_named("customer", customers) if customers else None,
            suppliers=self.keys_named("supplier", suppliers) if suppliers else None,
        )

    def display_names(self, kind: str) -> dict[str, str]:
        """Body key, and normalised key of each display name, -> display name as people write
        it (:meth:`readable`; built once: do not change the dict returned)."""
        if kind not in self._shown:
            bodies = self._of_kind(kind)
            shown = [self.readable(kind, n) for n in bodies["name"].astype(str)]
            names = dict(zip(bodies["key"].astype(str), shown, strict=True))
            key_of = self.key_of(kind)
            names.update({key_of(n): n for n in shown})
            self._shown[kind] = names
        return self._shown[kind]

    def largest(self, kind: str, limit: int) -> list[str]:
        """Display names of the ``limit`` bodies with most spend, as people write them
        (:meth:`readable`), sorted by name."""
        names = self._of_kind(kind).head(limit)["name"].astype(str)
        return sorted(self.readable(kind, name) for name in names)

    def readable_names(self, kind: str) -> dict[str, str]:
        """Each display name published in capitals -> the name as people write it: a
        mixed-case name the same body was published under, else
        :func:`~dashboard.analytics.names.readable_name` (built once: do not change it)."""
        if kind not in self._readable:
            names = self._names(kind)
            shown = names[names["rank"] == DISPLAY]
            capitals = names["name"].map(in_capitals).astype(bool)  # bool even when empty
            caps = shown[capitals[shown.index]]
            mixed = names[~capitals & names["key"].isin(caps["key"])]
            spelled = mixed.sort_values("rank").drop_duplicates("key").set_index("key")["name"]
            self._readable[kind] = {
                name: spelled.get(key) or readable_name(name)
                for key, name in zip(caps["key"], caps["name"], strict=True)
            }
        return self._readable[kind]

    def readable(self, kind: str, name: str) -> str:
        """``name`` (a display name, or any name) as people write it (see
        :mod:`dashboard.analytics.names`)."""
        return self.readable_names(kind).get(name) or readable_name(name)
