"""Display names of bodies: the customer list's name in its best casing, an override's
name, else the most common published spelling."""

from __future__ import annotations

import re

import pandas as pd

from loaders.bodies.customer_list import CustomerList
from loaders.bodies.resolution.keys import urn_key
from loaders.core import normalise
from loaders.core.vocabulary import Vocabulary

NOT_STATED = "(not stated)"
_TRAILING_THE = re.compile(r"^(?P<rest>.+?),?\s+the$", re.IGNORECASE)
_SMALL_WORDS = frozenset({"and", "of", "for", "the", "in", "on", "at", "to", "by", "upon"})
_TITLE_WORDS = frozenset({"st", "dr"})  # short words that are not initials


def _is_shouting(name: str) -> bool:
    return name.isupper() or name.islower()


def tidy_list_name(name: str) -> str:
    """A customer-list name fit to display: ``X, The`` -> ``The X``; capitals tamed.

    Names in capitals (or lower case) are title-cased, keeping words of up to three letters
    as written (``NHS``, ``HQ``) and small words (``of``, ``and``) in lower case.
    """
    trailing = _TRAILING_THE.match(name)
    if trailing and " " in trailing["rest"].strip():
        name = "The " + trailing["rest"].strip()
    if not _is_shouting(name):
        return name
    words = []
    for position, word in enumerate(name.split(" ")):
        lower = word.lower()
        if position and lower in _SMALL_WORDS:
            words.append(lower)
        elif len(word) <= 3 and name.isupper() and lower not in _TITLE_WORDS:
            words.append(word)
        else:
            words.append(word[:1].upper() + word[1:].lower())
    return " ".join(words)


def _most_common_spelling(pairs: pd.DataFrame) -> pd.Series:
    """Per body key, its most common published spelling, mixed case preferred on ties."""
    spelled = pairs[pairs["published_name"].ne("") & pairs["body_key"].notna()]
    counts = spelled.groupby(["body_key", "published_name"], sort=False)["rows"].sum()
    counts = counts.rename("n").reset_index()
    counts["shouting"] = counts["published_name"].map(_is_shouting)
    best = counts.sort_values(
        ["body_key", "n", "shouting", "published_name"], ascending=[True, False, True, True]
    )
    return best.drop_duplicates("body_key").set_index("body_key")["published_name"]


def _casing_penalty(name: str) -> tuple[bool, int]:
    """How badly a name is cased: in capitals (or lower case), then capitalised small words."""
    words = name.split()[1:]
    return _is_shouting(name), sum(w.lower() in _SMALL_WORDS and w[:1].isupper() for w in words)


def list_display(pairs: pd.DataFrame, customers: CustomerList, vocab: Vocabulary) -> pd.Series:
    """Per URN body key, its customer-list name in the best casing found for those words.

    A published (or override) spelling with the same customer key as the tidied list name is
    used when it is better cased: ``Department for Work and Pensions`` over the list's ``...
    And ...``, but ``Department of Energy & Climate Change`` over ``Department Of Energy And``.
    """
    bodies = customers.bodies.drop_duplicates("urn")
    listed = pd.Series(
        [tidy_list_name(n) for n in bodies["name"]],
        index=[urn_key(u) for u in bodies["urn"]],
        dtype=object,
    )
    listed = listed[listed.index.isin(pairs["body_key"])]
    spellings = pd.concat(
        [
            pairs[["body_key", "published_name", "rows"]],
            pairs.dropna(subset=["canonical"])[["body_key", "canonical", "rows"]].set_axis(
                ["body_key", "published_name", "rows"], axis=1
            ),
        ]
    )
    spellings = spellings[spellings["body_key"].isin(listed.index)]
    counts = spellings.groupby(["body_key", "published_name"], as_index=False)["rows"].sum()
    best = listed.to_dict()
    for body, group in counts.groupby("body_key"):
        shown = listed[body]
        wanted = normalise.customer_key(shown, vocab)
        options = [shown] + [
            n
            for n in group.sort_values("rows", ascending=False)["published_name"]
            if normalise.customer_key(n, vocab) == wanted
        ]
        best[body] = min(options, key=_casing_penalty)  # ties keep the list name
    return pd.Series(best, dtype=object)


def display_names(pairs: pd.DataFrame, listed: pd.Series | None) -> pd.Series:
    """Display name of each body key: list name, else override name, else common spelling."""
    shown = _most_common_spelling(pairs)
    given = pairs.dropna(subset=["canonical", "body_key"])
    if not given.empty:
        canonical = (
            given.sort_values("rows", ascending=False)
            .drop_duplicates("body_key")
            .set_index("body_key")["canonical"]
        )
        shown = canonical.combine_first(shown)
    if listed is not None:
        shown = listed.combine_first(shown)
    return shown
