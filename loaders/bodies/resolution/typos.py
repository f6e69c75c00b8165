"""Spelling corrections of published names: a word no register name uses, read as the one
register word nearest to it (``Home Ofice``, ``Bristl City Council``, ``Deaprtment of
Health``, ``Defrnce Infrastructure Organisation``).

A word is corrected only when no register name uses it (or one or two use it, as a
misspelling of a word twenty times commoner: the register's own typos), it has at least
:data:`MIN_LENGTH` letters, no digits, is not written in capitals inside a name that is not
(an acronym: ``NLEDP``), and the nearest register words differ from it by one edit
(two from :data:`LONG_WORD` letters on), begin with the same letter, and are few
(:data:`MAX_NEAREST`); a word of :data:`LONG_WORD` letters or more is also read in the
other number when the register's names use that (``Communication``, ``Communications``).
The corrected name must still name one body: the resolver looks it up exactly or through
the guarded fuzzy step, never more loosely.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from itertools import product

from rapidfuzz import process
from rapidfuzz.distance import OSA

MIN_LENGTH = 4
LONG_WORD = 8
MAX_NEAREST = 2  # more equally near words than this: no word is clearly meant
MAX_CORRECTED = 2  # words corrected in one name
RARE = 2  # a word used this often or less may be a misspelling of a far commoner one
COMMON_FACTOR = 20  # ... used at least this many times as often
_WORD = re.compile(r"^[a-z]+$")


@dataclass(frozen=True)
class Speller:
    """The words of the register's names with how often each is used, and a lookup of the
    nearest ones."""

    counts: dict[str, int]
    ordered: tuple[str, ...]  # the words, for rapidfuzz

    @classmethod
    def of(cls, keys: list[str]) -> Speller:
        """The speller of a list of match keys."""
        counts = Counter(w for key in keys for w in key.split())
        return cls(dict(counts), tuple(sorted(counts)))

    @property
    def words(self) -> frozenset[str]:
        """Every word the register's names use."""
        return frozenset(self.counts)

    def _misspelt(self, word: str) -> bool:
        """Whether the register's names do not use ``word``, or use it only as a rare
        misspelling of a word they use far more (``Goverment`` once, ``government`` in
        hundreds of names)."""
        seen = self.counts.get(word, 0)
        if not seen:
            return True
        if seen > RARE:
            return False
        return any(self.counts.get(w, 0) >= COMMON_FACTOR * seen for w in self.nearest(word, seen))

    def _number_of(self, word: str) -> tuple[str, ...]:
        """A long word the register's names also use in the other number (``communication``,
        ``communications``): both, the word as written first."""
        other = word[:-1] if word.endswith("s") else f"{word}s"
        return (word, other) if other in self.counts else ()

    def nearest(self, word: str, seen: int = 0) -> tuple[str, ...]:
        """The register words nearest to ``word`` (other than itself, and used more than
        ``seen`` times), if near and few enough."""
        limit = 2 if len(word) >= LONG_WORD else 1
        found = process.extract(
            word, self.ordered, scorer=OSA.distance, score_cutoff=limit, limit=None
        )
        found = [
            (w, d)
            for w, d, _ in found
            if w[:1] == word[:1] and w != word and self.counts.get(w, 0) > seen
        ]
        if not found:
            return ()
        best = min(d for _, d in found)
        nearest = tuple(sorted(w for w, d in found if d == best))
        return nearest if len(nearest) <= MAX_NEAREST else ()

    def corrections(self, key: str, published: str = "") -> list[str]:
        """``key`` with its unknown words replaced by their nearest register words (every
        combination); empty when no word could be corrected or too many would be."""
        fixes = self.fixes(key, published)
        return [" ".join(fixed.get(w, w) for w in key.split()) for fixed in fixes]

    def fixes(self, key: str, published: str = "") -> list[dict[str, str]]:
        """The corrections of :meth:`corrections` as word -> register word, one mapping per
        combination."""
        shouting = {w.lower() for w in published.split() if w.isupper() and len(w) > 1}
        mixed = not published.isupper()
        options: dict[str, tuple[str, ...]] = {}
        for word in dict.fromkeys(key.split()):
            unknown = (
                len(word) >= MIN_LENGTH
                and _WORD.match(word)
                and not (mixed and word in shouting)
                and self._misspelt(word)
            )
            nearest = self.nearest(word, self.counts.get(word, 0)) if unknown else ()
            if not nearest and len(word) >= LONG_WORD:
                nearest = self._number_of(word)
            if nearest:
                options[word] = nearest
        if not options or len(options) > MAX_CORRECTED:
            return []
        return [dict(zip(options, choice, strict=True)) for choice in product(*options.values())]


def corrected(text: str, fixes: dict[str, str]) -> str:
    """``text`` with each word of ``fixes`` (matched whatever its case) replaced."""
    for word, fixed in fixes.items():
        text = re.sub(rf"(?i)\b{re.escape(word)}\b", fixed, text)
    return text
