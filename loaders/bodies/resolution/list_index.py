"""The customer list indexed by match key, with guarded fuzzy lookup (rapidfuzz)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from loaders.bodies.customer_list import CustomerList
from loaders.bodies.resolution.keys import distinctive_tokens, match_key, tokens_agree
from loaders.core import normalise
from loaders.core.vocabulary import Vocabulary

# Measured with benchmarks/customer_matching.py (the July 2014 release, the bundled sample's
# names and a hide-the-true-body trap, against the September 2016 URN list): every match the
# token guard let through was right, the lowest at 55 ("Wigan Council" -> "Wigan Metropolitan
# Borough Council"); without the guard even scores of 90-95 were wrong half the time. The
# guard decides; the threshold only refuses names that are mostly optional words.
FUZZY_THRESHOLD = 55.0
FUZZY_MARGIN = 5.0


class Candidate(NamedTuple):
    """A customer-list name scored against a published name."""

    urn: int
    name: str
    score: float
    agrees: bool


@dataclass(frozen=True)
class ListIndex:
    """Customer-list names by customer key and match key, with a token index for fuzzy."""

    keys: np.ndarray  # match key of each (name, URN) entry
    urns: np.ndarray  # URN of each entry
    distinct: np.ndarray  # distinctive tokens of each entry (frozensets)
    exact: dict[str, tuple[int, ...]]  # match key -> URNs
    names: dict[str, tuple[int, ...]]  # customer key -> URNs
    blocks: dict[str, np.ndarray]  # distinctive token -> entry positions

    def exact_urns(self, name: str, vocab: Vocabulary) -> tuple[int, ...]:
        """URNs whose current or former name is ``name``: by customer key, else match key.

        The customer key is tried first because the list holds some bodies twice under
        spellings only the match key merges (``National Archives The``, ``The National
        Archives``).
        """
        found = self.names.get(normalise.customer_key(name, vocab))
        return found if found else self.exact.get(match_key(name, vocab), ())

    def _scored(self, key: str, cutoff: float, hide: frozenset[int]) -> list[tuple[int, float]]:
        """Entries sharing a distinctive token with ``key``: (position, score), best first."""
        blocks = [self.blocks[t] for t in distinctive_tokens(key) if t in self.blocks]
        if not blocks:
            return []
        positions = np.unique(np.concatenate(blocks))
        if hide:
            positions = positions[~np.isin(self.urns[positions], list(hide))]
        found = process.extract(
            key,
            self.keys[positions].tolist(),
            scorer=fuzz.token_sort_ratio,
            score_cutoff=cutoff,
            limit=None,
        )
        return [(int(positions[i]), float(score)) for _, score, i in found]

    def _agrees(self, key: str, position: int) -> bool:
        # a cheap necessary condition first: the entry's distinctive words are in the query
        # (as words, or as parts of a word they run together to)
        squashed = key.replace(" ", "")
        if not all(token in squashed for token in self.distinct[position]):
            return False
        return tokens_agree(key, str(self.keys[position]))

    def candidates(
        self, key: str, cutoff: float = 0.0, hide: frozenset[int] = frozenset()
    ) -> list[Candidate]:
        """List names sharing a distinctive token with ``key``, best score first.

        ``hide`` leaves out some URNs (to measure what the matcher does without the right one).
        """
        return [
            Candidate(int(self.urns[p]), str(self.keys[p]), score, self._agrees(key, p))
            for p, score in self._scored(key, cutoff, hide)
        ]

    def nearest_other(self, key: str, urn: int | None) -> tuple[int, float] | None:
        """The best-scoring list body other than ``urn`` sharing a distinctive token with
        ``key`` (no agreement asked: the runner-up a match report shows), and its score."""
        for position, score in self._scored(key, 0.0, frozenset()):
            if int(self.urns[position]) != urn:
                return int(self.urns[position]), score
        return None

    def fuzzy(
        self,
        key: str,
        threshold: float = FUZZY_THRESHOLD,
        margin: float = FUZZY_MARGIN,
        hide: frozenset[int] = frozenset(),
    ) -> Candidate | None:
        """The best agreeing candidate at or above ``threshold``, clear of every other body.

        Another agreeing body within ``margin`` of the best makes the name ambiguous.
        """
        best: Candidate | None = None
        for position, score in self._scored(key, max(threshold - margin, 0.0), hide):
            urn = int(self.urns[position])
            if best is not None and score <= best.score - margin:
                break
            if (best is not None and urn == best.urn) or not self._agrees(key, position):
                continue
            if best is not None or score < threshold:
                return None  # a second body agrees as well, or the best is too far
            best = Candidate(urn, str(self.keys[position]), score, True)
        return best


def _urns_by_key(keys: pd.Series, urns: pd.Series) -> dict[str, tuple[int, ...]]:
    found: dict[str, set[int]] = {}
    for key, urn in zip(keys.tolist(), urns.tolist(), strict=True):
        found.setdefault(str(key), set()).add(int(urn))
    return {k: tuple(sorted(v)) for k, v in found.items()}


def build_list_index(customers: CustomerList, vocab: Vocabulary) -> ListIndex:
    """Index every current and former name of the customer list by match key."""
    entries = pd.DataFrame(
        {
            "key": [match_key(n, vocab) for n in customers.names["name"]],
            "urn": customers.names["urn"].astype("int64").to_numpy(),
        }
    )
    entries = entries[entries["key"].ne("")].drop_duplicates().reset_index(drop=True)
    named = customers.names.assign(urn=customers.names["urn"].astype("int64"))
    positions: dict[str, list[int]] = {}
    for position, key in enumerate(entries["key"]):
        for token in distinctive_tokens(key):
            positions.setdefault(token, []).append(position)
    distinct = np.empty(len(entries), dtype=object)
    distinct[:] = [frozenset(distinctive_tokens(k)) for k in entries["key"]]
    return ListIndex(
        keys=entries["key"].to_numpy(dtype=object),
        urns=entries["urn"].to_numpy(),
        distinct=distinct,
        exact=_urns_by_key(entries["key"], entries["urn"]),
        names=_urns_by_key(named["name_key"], named["urn"]),
        blocks={t: np.asarray(p, dtype="int64") for t, p in positions.items()},
    )
