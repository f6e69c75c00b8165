"""One index of body names, for every lookup of a customer or supplier by name.

A link or a filter box names bodies the way people write them (``Home Office``,
``home office``, ``urn:10029409``, a spelling the releases used); the store holds each body
once under its key (``urn:<URN>`` or a normalised name) with one display name. A
:class:`BodyIndex` answers, for a text, the keys of the bodies it names: the text itself as
a key, its normalised key, and every body whose display name has that normalised key. Filters,
supplier profiles, the name boxes and the display of keys as names all use it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pandas as pd

from loaders import normalise
from loaders.reference import Vocabulary

KINDS = ("customer", "supplier")


@dataclass(frozen=True)
class Bodies:
    """Body keys named by the customer and supplier filters (``None``: no such filter)."""

    customers: frozenset[str] | None = None
    suppliers: frozenset[str] | None = None


@dataclass(frozen=True)
class BodyIndex:
    """Keys and display names of the customer and supplier bodies of one store.

    ``bodies`` has ``kind`` (``customer``/``supplier``), ``key`` and ``name`` columns, largest
    spend first (the store's aggregate ``bodies`` table).
    """

    bodies: pd.DataFrame
    vocab: Vocabulary
    _by_name_key: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)

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

    def _of_kind(self, kind: str) -> pd.DataFrame:
        return self.bodies[self.bodies["kind"] == kind]

    def _name_keys(self, kind: str) -> dict[str, tuple[str, ...]]:
        """Normalised key of each display name -> the body keys shown with that name."""
        if kind not in self._by_name_key:
            key_of = self.key_of(kind)
            found: dict[str, list[str]] = {}
            bodies = self._of_kind(kind)
            for key, name in zip(bodies["key"], bodies["name"], strict=True):
                found.setdefault(key_of(str(name)), []).append(str(key))
            self._by_name_key[kind] = {name: tuple(keys) for name, keys in found.items()}
        return self._by_name_key[kind]

    def keys_named(self, kind: str, texts: Iterable[str]) -> frozenset[str]:
        """Keys of the bodies of ``kind`` that ``texts`` name (by key, name or spelling).

        A text that names no body still gives its own normalised key, which matches
        nothing; the caller can tell by checking :meth:`known`.
        """
        key_of, by_name = self.key_of(kind), self._name_keys(kind)
        found: set[str] = set()
        for text in texts:
            for candidate in (text.strip(), key_of(text)):
                found.add(candidate)
                found.update(by_name.get(candidate, ()))
        return frozenset(found)

    def known(self, kind: str) -> frozenset[str]:
        """Every body key of ``kind``."""
        return frozenset(self._of_kind(kind)["key"].astype(str))

    def find(self, kind: str, text: str) -> str | None:
        """The key of the one body ``text`` names first: itself if it is a key, else the
        body whose key or display name has its normalised key; ``None`` if none does."""
        known = self.known(kind)
        if text.strip() in known:
            return text.strip()
        for key in sorted(self.keys_named(kind, [text])):
            if key in known:
                return key
        return None

    def resolve(self, customers: tuple[str, ...], suppliers: tuple[str, ...]) -> Bodies:
        """The body keys the customer and supplier filters name."""
        return Bodies(
            customers=self.keys_named("customer", customers) if customers else None,
            suppliers=self.keys_named("supplier", suppliers) if suppliers else None,
        )

    def display_names(self, kind: str) -> dict[str, str]:
        """Body key, and normalised key of each display name, -> display name."""
        bodies = self._of_kind(kind)
        names = dict(zip(bodies["key"].astype(str), bodies["name"].astype(str), strict=True))
        key_of = self.key_of(kind)
        names.update({key_of(str(n)): str(n) for n in bodies["name"]})
        return names

    def largest(self, kind: str, limit: int) -> list[str]:
        """Display names of the ``limit`` bodies with most spend, sorted by name."""
        return sorted(self._of_kind(kind).head(limit)["name"].astype(str))
