"""Search that forgives: one search over every kind of thing with a page (buyers, suppliers,
departments; areas can register later), by part of a name, an abbreviation, a former name,
a spelling it was published under or a URN, ranked.

Each searchable kind is a :class:`SearchKind` in :data:`SEARCH_KINDS` (``register_kind``
adds one): it lists its entries (:class:`Entry`: a key, the name shown, the other names it
is known by, its codes such as a URN, and a weight such as its spend) and names the page
that shows one (``page``, ``param``). :func:`search` scores every name of every entry
against the text and keeps each entry's best:

==========================================================  =====
the text is the name, another name or a code                  100
the text is the initials of a name (``DWP``, ``HMRC``)          95
a name starts with the text                                    90
every word of the text starts a word of a name                 80
the text is inside a name                                      70
a name is close to the text, typos allowed (rapidfuzz)     50-69
==========================================================  =====

Close names (typos) are offered only when no name holds the text. Ties go to the larger
weight (spend), then the name. Names are compared folded (case, accents, ``&``/``and``,
punctuation). The index is built once per store.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd
from rapidfuzz import fuzz, process

if TYPE_CHECKING:
    from dashboard.analytics.store import Store

EXACT, INITIALS, PREFIX, WORDS, INSIDE, CLOSE = 100, 95, 90, 80, 70, 50
CLOSE_CUTOFF = 80.0  # rapidfuzz score a name needs to count as close to the text
JOINING = {"and", "of", "for", "the", "in", "on", "at", "to", "by", "&"}
SEARCH_LIMIT = 30


@dataclass(frozen=True)
class Entry:
    """One thing a search can find: its key, the name shown, other names (published
    spellings, former names, abbreviations), codes (a URN), and a weight (its spend)."""

    key: str
    name: str
    aliases: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    weight: float = 0.0


@dataclass(frozen=True)
class SearchKind:
    """A kind of thing the search finds: its name and label, its entries in a store, and
    the page that shows one (``page?param=<name>``)."""

    name: str
    label: str
    entries: Callable[[Store], Iterable[Entry]]
    page: str
    param: str = "name"
    plural: str = ""

    @property
    def many(self) -> str:
        """The kind's name for several, in running text (``buyers``, ``combined
        authorities``)."""
        return (self.plural or f"{self.label}s").lower()


@dataclass(frozen=True)
class Hit:
    """A search result: the kind, the entry, its score and the name it matched on (when not
    the name shown: ``former name``...)."""

    kind: SearchKind
    entry: Entry
    score: float
    matched: str = ""


SEARCH_KINDS: dict[str, SearchKind] = {}


def register_kind(kind: SearchKind) -> SearchKind:
    """Make ``kind`` searchable (a later kind of the same name replaces it)."""
    SEARCH_KINDS[kind.name] = kind
    return kind


def fold(text: str) -> str:
    """``text`` as names are compared: lower case, accents and punctuation off, ``&`` as
    ``and``, spaces single."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    text = text.lower().replace("&", " and ")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def initialisms(name: str) -> set[str]:
    """What a name is abbreviated to: the initials of its words (``Department for Work and
    Pensions`` -> ``dwp``; ``Ministry of Defence`` -> ``md`` and, joining words counted,
    ``mod``), a word in capitals kept whole (``HM Revenue and Customs`` -> ``hmrc``)."""
    words = re.findall(r"[A-Za-z0-9&']+", str(name))
    if len(words) < 2:
        return set()

    def part(word: str) -> str:
        return word.lower() if word.isupper() and len(word) <= 4 else word[0].lower()

    main = "".join(part(w) for w in words if w.lower() not in JOINING)
    every = "".join(part(w) for w in words if w != "&")
    return {i for i in (main, every) if len(i) >= 2}


@dataclass
class _Index:
    """Every name of every entry, folded, with its entry (built once per store)."""

    kinds: list[SearchKind] = field(default_factory=list)
    entries: list[list[Entry]] = field(default_factory=list)
    rows: pd.DataFrame = field(default_factory=pd.DataFrame)


def _rows(kinds: Sequence[SearchKind], entries: Sequence[Sequence[Entry]]) -> pd.DataFrame:
    records = []
    for k, listed in enumerate(entries):
        for e, entry in enumerate(listed):
            names = [(entry.name, ""), *((a, a) for a in entry.aliases)]
            for name, matched in names:
                records.append((k, e, fold(name), matched, "name"))
                records += [(k, e, i, matched, "initials") for i in initialisms(name)]
            records += [(k, e, fold(code), code, "code") for code in entry.codes]
    frame = pd.DataFrame(records, columns=["kind", "entry", "text", "matched", "how"])
    return frame[frame["text"].ne("")].drop_duplicates(["kind", "entry", "text", "how"])


def build_index(store: Store, kinds: Sequence[SearchKind] | None = None) -> _Index:
    """The index of every entry of ``kinds`` (default: every registered kind) in ``store``."""
    kinds = list(kinds or SEARCH_KINDS.values())
    entries = [list(kind.entries(store)) for kind in kinds]
    return _Index(kinds, entries, _rows(kinds, entries))


def _scores(rows: pd.DataFrame, wanted: str) -> pd.Series:
    """The score of each row of the index for the folded text ``wanted``."""
    text = rows["text"]
    exact = text.eq(wanted)
    score = pd.Series(0.0, index=rows.index)
    score[exact] = EXACT
    score[exact & rows["how"].eq("initials")] = INITIALS
    names = rows["how"].eq("name")
    score[names & ~exact & text.str.startswith(wanted)] = PREFIX
    words = wanted.split()
    pattern = "".join(f"(?=.*\\b{re.escape(w)})" for w in words)
    by_words = names & text.str.contains(pattern, regex=True) & score.eq(0)
    score[by_words] = WORDS
    score[names & score.eq(0) & text.str.contains(wanted, regex=False)] = INSIDE
    rest = rows[names & score.eq(0)]
    if len(wanted) >= 4 and len(rest):
        close = process.extract(wanted, rest["text"].tolist(), scorer=fuzz.WRatio,
                                score_cutoff=CLOSE_CUTOFF, limit=None)  # fmt: skip
        for _, found, position in close:
            score[rest.index[position]] = CLOSE + (found - CLOSE_CUTOFF) * 19 / 20
    return score


def search(
    store: Store, text: str, limit: int = SEARCH_LIMIT, kinds: Sequence[str] | None = None
) -> list[Hit]:
    """The entries that ``text`` finds, best first (see the module docstring); only of
    ``kinds`` when given. Nothing for a text with no letter or digit."""
    wanted = fold(text)
    if not wanted:
        return []
    index = store.constant("search-index", lambda: build_index(store))
    rows = index.rows
    if kinds is not None:
        chosen = [k for k, kind in enumerate(index.kinds) if kind.name in kinds]
        rows = rows[rows["kind"].isin(chosen)]
    scored = rows.assign(score=_scores(rows, wanted))
    scored = scored[scored["score"] > 0].sort_values("score", ascending=False)
    if len(scored) and scored["score"].iloc[0] >= INSIDE:  # names found: no guesses beside
        scored = scored[scored["score"] >= INSIDE]
    best = scored.drop_duplicates(["kind", "entry"])
    hits = [
        Hit(index.kinds[k], index.entries[k][e], float(s), str(m))
        for k, e, s, m in zip(best["kind"], best["entry"], best["score"], best["matched"],
                              strict=True)
    ]  # fmt: skip
    hits.sort(key=lambda h: (-h.score, -h.entry.weight, h.entry.name))
    return hits[:limit]
