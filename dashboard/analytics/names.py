"""Names as people write them: a name published in capitals (``BJSS LTD``) shown as
``BJSS Ltd``, an acronym kept, a legal form written as Companies House writes it.

Only names with no lower-case letter are changed, and a body's own mixed-case spelling (any
name it was published under) wins over the rule
(:meth:`~dashboard.analytics.bodies.BodyIndex.readable`). The rule, word by word:

- a word listed in ``data/reference/name_case.csv`` is written as listed (``LTD`` ->
  ``Ltd``, ``PLC`` -> ``plc``, ``AND`` -> ``and`` inside a name);
- a word of up to three letters, a word with no vowel (``BJSS``, ``DXW``) and a word with
  a digit (``I2N``) stay as published: they are acronyms or codes;
- any other word is capitalised (``THOUGHTWORKS`` -> ``Thoughtworks``), each part of a
  hyphenated or apostrophised word too (``O'NEIL-SMITH`` -> ``O'Neil-Smith``).

Add a row to the CSV to correct a word the rule gets wrong (a short word that is not an
acronym, an acronym with vowels).
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

from loaders.core.vocabulary import REFERENCE_DIR

NAME_CASE_FILE = REFERENCE_DIR / "name_case.csv"
_WORD = re.compile(r"\S+")
_LETTERS = re.compile(r"[A-Za-z]")
_VOWELS = set("AEIOUY")
_PART = re.compile(r"([A-Za-z]+)")
_EDGE = re.compile(r"^([^A-Za-z0-9]*)(.*?)([^A-Za-z0-9.]*)$")


@lru_cache(maxsize=2)
def written_words(path: Path = NAME_CASE_FILE) -> dict[str, str]:
    """Word in capitals -> how it is written (``name_case.csv``)."""
    with Path(path).open(encoding="utf-8", newline="") as handle:
        return {row["word"].upper(): row["written"] for row in csv.DictReader(handle)}


def in_capitals(name: str) -> bool:
    """Whether ``name`` has letters and none of them lower case."""
    return bool(_LETTERS.search(name)) and name == name.upper()


def _capitalised(word: str) -> str:
    return _PART.sub(lambda m: m[1][0] + m[1][1:].lower(), word)


def _word(word: str, first: bool, listed: dict[str, str]) -> str:
    before, core, after = _EDGE.match(word).groups()
    if core.upper() in listed:
        written = listed[core.upper()]
        return before + (written[0].upper() + written[1:] if first else written) + after
    letters = "".join(_LETTERS.findall(core))
    if len(letters) <= 3 or not (set(letters) & _VOWELS) or any(c.isdigit() for c in core):
        return word
    return before + _capitalised(core) + after


def readable_name(name: str, listed: dict[str, str] | None = None) -> str:
    """``name`` as people write it when it was published in capitals (see the module doc);
    any other name unchanged."""
    if not isinstance(name, str) or not in_capitals(name):
        return name
    listed = written_words() if listed is None else listed
    words = _WORD.findall(name)
    rewritten = [_word(w, i == 0, listed) for i, w in enumerate(words)]
    out, position = [], 0
    for original, new in zip(words, rewritten, strict=True):
        start = name.index(original, position)
        out.append(name[position:start] + new)
        position = start + len(original)
    return "".join(out) + name[position:]
