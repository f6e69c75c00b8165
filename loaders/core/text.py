"""Folding text for keys: case, accents, typographic punctuation and mis-decoded text.

Public bodies and suppliers are typed on many keyboards and saved in many encodings; a key
must not depend on which (``Clément`` = ``Clement``, ``King’s`` = ``King's``, ``–`` = ``-``,
``ClÃ©ment`` = ``Clément``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

# Letters that Unicode does not decompose into a base letter and an accent.
_UNDECOMPOSED = str.maketrans({"ø": "o", "đ": "d", "ł": "l", "ħ": "h", "ı": "i", "ß": "ss",
                               "æ": "ae", "œ": "oe", "þ": "th", "ð": "d"})  # fmt: skip
# Typographic apostrophes (dropped like ``'``) and dashes (read as ``-``).
_APOSTROPHES = str.maketrans(dict.fromkeys("\u2019\u2018\u02bc\u2032\u00b4\u0060", "'"))
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"))


# ’ and ‘ decoded in the wrong encoding: UTF-8 read as cp1252, and Mac Roman read as cp1252
# (``Information CommissionerÕs Office`` in the July 2014 release).
_MISDECODED_APOSTROPHES = ("\u00e2\u20ac\u2122", "\u00e2\u20ac\u02dc", "\u00d5")


_MOJIBAKE = re.compile("[\u00c2\u00c3][\u0080-\u00bf\u0152-\u02dc\u2013-\u2122]|\u00e2\u20ac")


def _utf8_read_as_cp1252(text: str) -> str:
    """UTF-8 text that was decoded as cp1252 (``ClÃ©ment``) read back right, else as given."""
    if not _MOJIBAKE.search(text):
        return text
    try:
        return text.encode("cp1252").decode("utf-8")
    except UnicodeError:
        return text


def fold_text(text: str) -> str:
    """``text`` in lower case with accents and typographic punctuation folded away.

    ``Clément`` and ``Clement``, ``King’s`` and ``King's``, ``Tyne – Wear`` and ``Tyne - Wear``
    fold alike, so that one body has one key whatever keyboard typed its name; text decoded in
    the wrong encoding (``ClÃ©ment``, ``CommissionerÕs``) reads as it was written.
    """
    if text.isascii():
        return text.lower()
    text = _utf8_read_as_cp1252(text)
    for misread in _MISDECODED_APOSTROPHES:
        text = text.replace(misread, "'")
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.translate(_UNDECOMPOSED).translate(_APOSTROPHES).translate(_DASHES)


def in_words(items: Sequence[str]) -> str:
    """Items as a person lists them: ``A``, ``A and B``, ``A, B and C`` (empty: ``""``)."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
