"""Supplier names that name one supplier, by evidence in the published names themselves.

Near-identical supplier names are mostly different firms (``QA Consulting Services`` is not
``PA Consulting Services``), so suppliers are never matched by similarity. Two published
names are read as one supplier only when one of them *says* it is the other:

* ``trimmed``: its words outside or inside brackets are another published name (``Ernst &
  Young LLP (EY)`` and ``Ernst & Young LLP``; ``Glue Reply (a trading division of Reply
  Ltd.)`` and ``Reply Ltd``), or it gives a trading name that is (``The Dextrous Web Ltd
  trading as dxw`` and ``dxw``; ``NCC Services Limited. Trading as NCC Group.``);
* ``renamed``: it gives a former name that is (``North Highland (formerly Qedis Consulting
  Ltd)`` and ``Qedis Consulting Ltd``);
* ``respaced``: it differs from another published name only in spaces and punctuation
  (``6 POINT 6`` and ``6point6 Ltd``).

Names so linked form one supplier, shown under its most published name. Everything works
per distinct name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from loaders.core import normalise
from loaders.core.vocabulary import Vocabulary

MIN_KEY = 3  # letters: a part shorter than this (``UK``) names no supplier
_BRACKETED = re.compile(r"[(\[]\s*([^()\[\]]*?)\s*[)\]]")
_TRADING = re.compile(r"\b(?:t/a|trading as|trades as|a trading (?:division|name) of)\b", re.I)
_FORMERLY = re.compile(r"^\s*(?:formerly|previously|was)\s+(?:known as\s+)?", re.IGNORECASE)


def _parts(name: str) -> list[tuple[str, str]]:
    """``(text, method)`` readings of a supplier name that may be another published name."""
    out: list[tuple[str, str]] = []
    inside = [m.group(1) for m in _BRACKETED.finditer(name)]
    outside = " ".join(_BRACKETED.sub(" ", name).split())
    if inside:
        out.append((outside, "trimmed"))
    for text in inside:
        if _FORMERLY.match(text):
            out.append((_FORMERLY.sub("", text), "renamed"))
        else:
            out += [(t, "trimmed") for t in _TRADING.split(text)]
    pieces = _TRADING.split(outside)
    if len(pieces) > 1:
        out += [(p, "trimmed") for p in pieces]
    return [(" ".join(t.strip(" .,").split()), m) for t, m in out if t.strip(" .,")]


def _squashed(key: str) -> str:
    return key.replace(" ", "")


class _Components:
    """Union-find over supplier keys."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        self.parent.setdefault(key, key)
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def join(self, a: str, b: str) -> None:
        self.parent[self.find(a)] = self.find(b)


def _evidence(
    name: str, key: str, known: set[str], squashed: dict[str, set[str]], vocab: Vocabulary
) -> list[tuple[str, str]]:
    """Other published keys a name says it is one with, and how."""
    if not key:
        return []
    found = []
    for text, method in _parts(name):
        other = normalise.supplier_key(text, vocab)
        if len(other.replace(" ", "")) >= MIN_KEY and other in known and other != key:
            found.append((other, method))
    found += [(other, "respaced") for other in squashed.get(_squashed(key), ()) if other != key]
    return found


def linked_suppliers(
    names: Iterable[str], rows: dict[str, int], vocab: Vocabulary
) -> dict[str, tuple[str, str]]:
    """Supplier key of a published name -> (key of the supplier it is one with, method), for
    names linked to another published name by the rules of the module docstring. ``rows``
    counts each key's rows: a linked supplier takes its most published key (then the
    shortest)."""
    keys = {name: normalise.supplier_key(name, vocab) for name in names}
    known = {k for k in keys.values() if k}
    squashed: dict[str, set[str]] = {}
    for key in known:
        squashed.setdefault(_squashed(key), set()).add(key)
    components = _Components()
    how: dict[str, str] = {}
    for name, key in keys.items():
        for other, method in _evidence(name, key, known, squashed, vocab):
            components.join(key, other)
            how.setdefault(key, method)
    groups: dict[str, list[str]] = {}
    for key in list(components.parent):
        groups.setdefault(components.find(key), []).append(key)
    out: dict[str, tuple[str, str]] = {}
    for members in groups.values():
        best = min(members, key=lambda k: (-rows.get(k, 0), len(k), k))
        for key in members:
            if key != best:
                out[key] = (best, how.get(key, how.get(best, "trimmed")))
    return out
