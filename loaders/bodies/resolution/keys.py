"""Match keys of body names, and whether two keys name the same body word for word."""

from __future__ import annotations

from rapidfuzz.distance import OSA
from rapidfuzz.fuzz import ratio

from loaders.bodies.resolution.readings import read_short_forms
from loaders.core.parsing import name_key
from loaders.core.vocabulary import Vocabulary

# Match-key normalisation: safe rewrites applied to list names and published names alike.
# Trailing: "Royal Parks Foundation, The", "Skills Development Scotland Co. Ltd", "Highways
# England Company Limited".
_LEGAL_FORMS = ("limited", "ltd", "plc", "llp", "co", "company", "the")
# Short forms always spelt out (``use`` = key in data/reference/name_short_forms.csv).
_EXPANSIONS = read_short_forms().in_key
# Tokens that may be missing on either side of a fuzzy match.
FREE_TOKENS = frozenset({"the", "and"})
# Tokens that may be missing, but on one side only: "NHS Leeds" is not "Leeds City Council",
# "Department of Education" (Northern Ireland) not "Department for Education", "University of
# Leeds" not "Leeds Metropolitan University", "Durham City" not "Durham County".
OPTIONAL_TOKENS = frozenset(
    {"nhs", "hm", "uk", "of", "for", "in", "on", "at", "to"}
    | {"metropolitan", "city", "county", "borough", "district", "council"}
)
# Kinds of body: they must agree but never make a candidate on their own.
GENERIC_TOKENS = frozenset(
    """academy agency association authority board bureau care centre center charity church
    clinical college commission commissioner commissioning committee community constabulary
    corporation court courts department directorate education executive fire foundation fund
    government group health healthcare hospital hospitals inspectorate institute library
    magistrates ministry museum national network office partnership police primary prison
    probation regional regulator rescue school service services society support tribunal
    tribunals trust unit university""".split()
)
# Kinds of organisation (not of unit): a part of a published name holding one names a body
# of its own (``HM Court and Tribunal Service Reform Programme (Ministry of Justice)``), while
# ``Consular Directorate, Foreign and Commonwealth Office`` names a unit of a body.
BODY_KIND_TOKENS = frozenset(
    """academy agency archives authority board bureau charity church college command commission
    commissioner constabulary corporation council court courts department executive foundation fund
    gallery galleries laboratory
    hospital hospitals inspectorate institute library ministry museum office ombudsman police
    regulator school service society trust tribunal tribunals university""".split()
)
# Units of a body: a part of a published name made of these (``Digital Directorate``) names a
# unit of the body beside it, not a body of its own.
UNIT_TOKENS = frozenset(
    """branch directorate division group headquarters hq portfolio programme project
    secretariat section team unit""".split()
)
_NON_DISTINCTIVE = FREE_TOKENS | OPTIONAL_TOKENS | GENERIC_TOKENS
_KIND_TOKENS = GENERIC_TOKENS | (OPTIONAL_TOKENS - {"of", "for", "in", "on", "at", "to", "uk"})


def urn_key(urn: int) -> str:
    """Body key of a CCS customer URN: ``urn:10007868``."""
    return f"urn:{int(urn)}"


def match_key(name: str, vocab: Vocabulary) -> str:
    """Key for matching names to the customer list: the customer key, made a little stricter.

    Trailing ``The`` and legal forms dropped (``Royal Parks Foundation, The``, ``HS2 Ltd``),
    ``CCG``/``CSU``/``PCT`` spelt out and ``Her Majesty's`` read as ``HM``.
    """
    text = " " + name_key(name, drop_suffixes=_LEGAL_FORMS, leading=vocab.leading_articles) + " "
    for short, long in _EXPANSIONS.items():
        text = text.replace(f" {short} ", f" {long} ")
    return text.strip()


def distinctive_tokens(key: str) -> set[str]:
    """Tokens of a match key that name *this* body rather than a kind of body."""
    return {t for t in key.split() if t not in _NON_DISTINCTIVE}


def _joins(tokens: list[str]) -> dict[str, set[int]]:
    """Concatenations of 2 or 3 adjacent tokens (``coast guard`` -> ``coastguard``)."""
    out: dict[str, set[int]] = {}
    for size in (2, 3):
        for start in range(len(tokens) - size + 1):
            out.setdefault("".join(tokens[start : start + size]), set(range(start, start + size)))
    return out


def _unmatched(mine: list[str], theirs: list[str]) -> tuple[set[str], set[int]]:
    """Tokens of ``mine`` found nowhere in ``theirs``, and positions of ``theirs`` used."""
    their_set = set(theirs)
    their_joins = _joins(theirs)
    missing, used = set(), set()
    for token in mine:
        if token in their_set:
            continue
        if token in their_joins:
            used |= their_joins[token]
        else:
            missing.add(token)
    return missing, used


def _singular(tokens: list[str]) -> list[str]:
    """Kind words in the singular (``hospitals`` -> ``hospital``); other words as they are."""
    return [t[:-1] if t.endswith("s") and t[:-1] in GENERIC_TOKENS else t for t in tokens]


def tokens_agree(query: str, candidate: str) -> bool:
    """Whether two match keys name the same body, word for word.

    Every word must appear on the other side (or be two or three of its words run together;
    kind words may differ in number, ``Hospital`` and ``Hospitals``), except ``the`` and
    ``and``, and optional words (``nhs``, ``of``, ``city``, ``council``...) missing from one
    side only. A match that drops optional words must still agree on a word for the kind of
    body. So ``Knowsley Borough Council`` agrees with ``Knowsley Metropolitan Borough
    Council`` and ``University of Durham`` with ``Durham University``; ``Highways Agency``
    not with ``Loughs Agency``, ``Leeds City Council`` not with ``Leeds City College`` nor
    ``NHS Leeds``, ``Salford`` not with ``NHS Salford``.
    """
    q, c = _singular(query.split()), _singular(candidate.split())
    q_missing, q_joined = _unmatched(q, c)
    c_missing, c_joined = _unmatched(c, q)
    q_missing -= {q[i] for i in c_joined} | FREE_TOKENS
    c_missing -= {c[i] for i in q_joined} | FREE_TOKENS
    if (q_missing and c_missing) or not (q_missing | c_missing) <= OPTIONAL_TOKENS:
        return False
    if not (q_missing or c_missing):
        return True
    return bool(set(q) & set(c) & _KIND_TOKENS)


def agrees_allowing_typos(query: str, candidate: str, min_ratio: float = 80.0) -> bool:
    """The word-agreement rule of :func:`tokens_agree` for suggestions, where a user may have
    mistyped: every distinctive word of ``query`` is found in ``candidate`` (exactly, or as
    a close spelling: rapidfuzz ratio at least ``min_ratio``), and so is every word of the
    query that names a kind of body. ``Leeds Citty Council`` agrees with ``Leeds City
    Council``; ``Highways Agency`` does not agree with ``Loughs Agency``.
    """
    words = candidate.split()
    joined = "".join(words)

    def found(token: str) -> bool:
        return token in words or token in joined or any(ratio(token, w) >= min_ratio
                                                        for w in words)  # fmt: skip

    tokens = set(query.split())
    needed = distinctive_tokens(query) | (tokens & _KIND_TOKENS)
    return bool(needed or tokens) and all(found(t) for t in (needed or tokens - FREE_TOKENS))


def _near(word: str, other: str) -> bool:
    """Whether two words differ by a typo: one a plural of the other (four letters or more)
    or cut short by its last letter (five or more), or the same first letter, six letters or
    more and one edit apart (two from eight letters on), a swap of neighbours counting as
    one. ``bath`` and ``bats`` are two places."""
    if not (word.isalpha() and other.isalpha()) or min(len(word), len(other)) < 4:
        return False
    short, long = sorted((word, other), key=len)
    if long == short + "s" or (len(short) >= 5 and long[:-1] == short):
        return True  # a plural, or a word cut short by one letter (``Schoo``)
    if word[:1] != other[:1] or min(len(word), len(other)) < 6:
        return False
    return OSA.distance(word, other) <= (2 if max(len(word), len(other)) >= 8 else 1)


def tokens_agree_allowing_typos(query: str, candidate: str) -> bool:
    """:func:`tokens_agree` once each word of ``query`` missing from ``candidate`` is read as
    the one candidate word a typo away from it (on either side: ``department for business
    energy and industrial strategy`` agrees with the register's ``... entergy ...``). Every
    other rule of the guard holds: ``highways agency`` never agrees with ``loughs agency``.
    """
    words = candidate.split()
    aligned = []
    for token in query.split():
        if token in words:
            aligned.append(token)
            continue
        near = [w for w in set(words) if _near(token, w)]
        aligned.append(near[0] if len(near) == 1 else token)
    return tokens_agree(" ".join(aligned), candidate)
