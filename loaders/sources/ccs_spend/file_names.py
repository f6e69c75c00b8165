"""What a published file's name tells: its framework, its supplier, its version or part.

File names are the last resort: a column in the file, an option (``--framework``,
``--supplier``) or the manifest (``releases.csv``) always wins. Words that never name a
supplier and words that mark a re-issue live in ``data/reference/file_name_words.csv``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from loaders.core import normalise
from loaders.core.vocabulary import Vocabulary, simplify

_TOKEN = re.compile(r"[A-Za-z0-9&']+")
_VERSION = re.compile(r"(?<![a-z0-9])(?:v|ver|version|rev|revision)[\s_.-]?(\d{1,3})(?![0-9])")
_LETTER_SUFFIX = re.compile(r"\d([a-z])$")
_PART = re.compile(
    r"(?<![a-z0-9])(?:part|pt)[\s_.-]?(\d{1,3})(?![0-9])|(\d{1,3})[\s_-]?of[\s_-]?\d{1,3}"
)
_AGREEMENT_NUMBER = re.compile(r"^rm\d+[a-z]*$")
_AGREEMENT_IN_NAME = re.compile(r"(?<![a-z0-9])rm\d{3,5}(?:\.\d{1,2}|[ivx]{1,5})?(?![0-9])")
_MONTH = (
    "jan|january|feb|february|mar|march|apr|april|may|jun|june|jul|july|aug|august|sep|sept|"
    "september|oct|october|nov|november|dec|december"
)
# Dates and counters: 2019, 14th, Jan2019, 2019a, Q1, FY19, part2, roman numerals.
_NOT_A_NAME = re.compile(
    rf"^(?:\d+(?:st|nd|rd|th|[a-z])?|(?:{_MONTH})(?:\d{{2,4}}[a-z]?)?|q[1-4]|fy\d*|"
    r"(?:part|pt)\d*|[ivx]+)$"
)


def _tokens(name: str) -> list[str]:
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return _TOKEN.findall(stem)


def _framework_spans(tokens: list[str], vocab: Vocabulary) -> list[tuple[int, int, str]]:
    """(start, end, framework) of each run of 1-4 tokens naming a framework."""
    spans = []
    for size in (4, 3, 2, 1):
        for start in range(len(tokens) - size + 1):
            text = "".join(tokens[start : start + size])
            found = normalise.framework_from_name(text, vocab)
            if found and simplify(text) not in {"g", "gservices"}:
                spans.append((start, start + size, found[0]))
    return spans


def _agreement_in_name(name: str, vocab: Vocabulary) -> tuple[str, str | None] | None:
    """Framework and iteration of the one CCS agreement number a file name gives
    (``RM1557viii-invoices-2017-01.csv``: G-Cloud 8), if exactly one."""
    found = {
        number
        for text in _AGREEMENT_IN_NAME.findall(name.lower())
        if (number := normalise.framework_from_number(text, vocab))
    }
    return found.pop() if len(found) == 1 else None


def framework_from_file_name(name: str, vocab: Vocabulary) -> tuple[str, str | None] | None:
    """The framework (and iteration, where the name gives one) a file name announces:
    an agreement number (``RM1557.10``), else a framework name (``DOS-spend-Dec2017.csv``),
    if it names exactly one framework."""
    by_number = _agreement_in_name(name, vocab)
    tokens = [t for t in "".join(c if c.isalnum() else " " for c in name).split() if t]
    spans = _framework_spans(tokens, vocab)
    frameworks = {framework for _, _, framework in spans}
    if by_number and frameworks <= {by_number[0]}:
        return by_number
    if len(frameworks) != 1:
        return None
    iterations = set()
    for start, end, _ in spans:
        found = normalise.framework_from_name("".join(tokens[start:end]), vocab)
        if found and found[1]:
            iterations.add(found[1])
    return frameworks.pop(), iterations.pop() if len(iterations) == 1 else None


def _noise(token: str, vocab: Vocabulary) -> bool:
    lower = token.lower()
    return (
        lower in vocab.file_name_words
        or bool(_NOT_A_NAME.match(lower))
        or bool(_AGREEMENT_NUMBER.match(lower))
        or bool(_VERSION.fullmatch(lower))
    )


def supplier_from_file_name(name: str, vocab: Vocabulary) -> str | None:
    """The supplier a return's file name names, if any: ``Alpha Cloud Ltd - RM1557.10 -
    invoices March 2019.xlsx`` gives ``Alpha Cloud Ltd``.

    Framework names, agreement numbers, dates, version and part markers and the words of
    ``file_name_words.csv`` are dropped; what is left, in order, is the supplier. ``None``
    when nothing with a letter is left.
    """
    tokens = _tokens(name)
    framework = {i for start, end, _ in _framework_spans(tokens, vocab) for i in range(start, end)}
    kept = [t for i, t in enumerate(tokens) if i not in framework and not _noise(t, vocab)]
    if not any(any(c.isalpha() for c in t) for t in kept):
        return None
    return " ".join(kept)


@dataclass(frozen=True, order=True)
class VersionMarker:
    """How a file name marks a re-issue: ``v2`` > ``v1`` (also ``version 2``, ``rev2``); a
    letter after the date (``Jan2019a``, ``b`` after ``a``); a word such as ``revised``.
    Unmarked names are (0, 0, 0)."""

    number: int = 0
    letter: int = 0
    word: int = 0

    def label(self) -> str:
        """The marker as written (``v2``, ``a``, ``revised``), or ``""``."""
        parts = [f"v{self.number}"] if self.number else []
        parts += [chr(ord("a") + self.letter - 1)] if self.letter else []
        parts += ["revised"] if self.word else []
        return " ".join(parts)


def version_marker(name: str, vocab: Vocabulary) -> VersionMarker:
    """The version marker of a file name (see :class:`VersionMarker`)."""
    stem = name.lower().rsplit(".", 1)[0]
    number = _VERSION.search(stem)
    letter = _LETTER_SUFFIX.search(stem)
    words = {t.lower() for t in _tokens(name)} & vocab.file_name_version_words
    return VersionMarker(
        number=int(number[1]) if number else 0,
        letter=ord(letter[1]) - ord("a") + 1 if letter else 0,
        word=1 if words else 0,
    )


def part_marker(name: str) -> int | None:
    """The part number a file name gives (``part2``, ``pt 2``, ``2 of 3``), if any."""
    match = _PART.search(name.lower().rsplit(".", 1)[0])
    if not match:
        return None
    return int(match[1] or match[2])
