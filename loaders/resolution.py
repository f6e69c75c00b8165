"""One name per body: resolve published customer and supplier spellings to body keys.

Spend files spell one body many ways (``Department For Work And Pensions``, ``DWP``), so
counting names is not counting bodies. Customers are resolved per distinct published name,
in order of trust, and every match is recorded with its method and score:

1. ``urn``: the row's ``customer_urn`` (CCS releases give one); key ``urn:<URN>``;
2. ``urn_name``: the same name (normalised key) is published elsewhere with one URN only;
3. ``override``: ``data/reference/customer_aliases.csv`` maps a published spelling to a body
   (and optionally its URN), for abbreviations and renames only an analyst can know;
4. ``exact_list``: the name's match key equals a current or former name in the customer list
   that points at exactly one URN;
5. ``fuzzy_list``: the nearest customer-list name (rapidfuzz), only when its score reaches
   :data:`FUZZY_THRESHOLD`, it beats every other body by :data:`FUZZY_MARGIN`, and the two
   names agree token for token (:func:`tokens_agree`): generic words such as *agency* or
   *council* never carry a match on their own, so ``Highways Agency`` is not ``Loughs
   Agency``;
6. ``name_key``: otherwise the normalised name itself, as published (``none`` if blank).

A wrong merge is worse than a missed one: the fuzzy step is deliberately strict, measured on
real data by ``python -m benchmarks.customer_matching``.

Suppliers: ``override`` from ``data/reference/supplier_aliases.csv``, else ``name_key`` (the
normalised key already drops ``Ltd``, ``Limited``, ``plc``). No fuzzy supplier merging: on
real releases near-identical supplier names are mostly different firms.

Everything works per distinct name (thousands), never per row (hundreds of thousands).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from loaders import normalise
from loaders.customers import CustomerList
from loaders.errors import LoaderInputError
from loaders.parsing import clean_name, name_key
from loaders.reference import REFERENCE_DIR, Vocabulary

CUSTOMER_ALIASES = REFERENCE_DIR / "customer_aliases.csv"
SUPPLIER_ALIASES = REFERENCE_DIR / "supplier_aliases.csv"
CUSTOMER_METHODS = ("urn", "urn_name", "override", "exact_list", "fuzzy_list", "name_key", "none")
SUPPLIER_METHODS = ("override", "name_key", "none")
NOT_STATED = "(not stated)"
MATCH_COLUMNS = [
    "kind", "published_name", "body_key", "body_name", "urn", "method", "score", "rows",
    "spend_gbp",
]  # fmt: skip
BODY_COLUMNS = ["urn", "name", "sector", "organisation_type", "active"]

# Measured with benchmarks/customer_matching.py (the July 2014 release, the bundled sample's
# names and a hide-the-true-body trap, against the September 2016 URN list): every match the
# token guard let through was right, the lowest at 55 ("Wigan Council" -> "Wigan Metropolitan
# Borough Council"); without the guard even scores of 90-95 were wrong half the time. The
# guard decides; the threshold only refuses names that are mostly optional words.
FUZZY_THRESHOLD = 55.0
FUZZY_MARGIN = 5.0

# Match-key normalisation: safe rewrites applied to list names and published names alike.
_LEGAL_FORMS = ("limited", "ltd", "plc", "llp", "the")  # trailing: "Royal Parks Foundation, The"
_EXPANSIONS = {
    "ccg": "clinical commissioning group",
    "csu": "commissioning support unit",
    "pct": "primary care trust",
    "her majestys": "hm",
    "his majestys": "hm",
}
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
_NON_DISTINCTIVE = FREE_TOKENS | OPTIONAL_TOKENS | GENERIC_TOKENS
_KIND_TOKENS = GENERIC_TOKENS | (OPTIONAL_TOKENS - {"of", "for", "in", "on", "at", "to", "uk"})
_TRAILING_THE = re.compile(r"^(?P<rest>.+?),?\s+the$", re.IGNORECASE)
_SMALL_WORDS = frozenset({"and", "of", "for", "the", "in", "on", "at", "to", "by", "upon"})
_TITLE_WORDS = frozenset({"st", "dr"})  # short words that are not initials


class Match(NamedTuple):
    """How one published name was resolved."""

    body_key: str | None
    method: str
    score: float | None = None
    urn: int | None = None
    canonical: str | None = None  # body name given by an override


class Candidate(NamedTuple):
    """A customer-list name scored against a published name."""

    urn: int
    name: str
    score: float
    agrees: bool


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
    grouped = pd.Series(urns.to_numpy()).groupby(keys.to_numpy(), sort=False)
    return {str(k): tuple(sorted({int(u) for u in group})) for k, group in grouped}


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


def _alias_rows(path: Path | None, columns: tuple[str, ...]) -> list[dict[str, str]]:
    if path is None:
        return []
    try:
        with Path(path).open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = set(columns) - set(reader.fieldnames or [])
            if missing:
                raise LoaderInputError(path, f"missing column(s) {', '.join(sorted(missing))}")
            return [{k: clean_name(v) for k, v in row.items() if k} for row in reader]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise LoaderInputError(path, f"cannot read the alias file: {exc}") from exc


class Alias(NamedTuple):
    """A body of the override file: its canonical name, URN if given, and every spelling."""

    body: str
    urn: int | None
    names: tuple[str, ...]  # the body name first, then its aliases


@dataclass(frozen=True)
class CustomerAliases:
    """The customer override file, looked up by customer key of an alias or a body name."""

    by_alias: dict[str, Alias]
    by_body: dict[str, Alias]


def read_customer_aliases(path: Path | None, vocab: Vocabulary) -> CustomerAliases:
    """Read ``alias,body,urn,note`` rows (``None``: no overrides)."""
    groups: dict[str, list[dict[str, str]]] = {}
    for row in _alias_rows(path, ("alias", "body", "urn")):
        if row["body"] and normalise.customer_key(row["alias"], vocab):
            groups.setdefault(normalise.customer_key(row["body"], vocab), []).append(row)
    by_alias: dict[str, Alias] = {}
    by_body: dict[str, Alias] = {}
    for body_key, rows in groups.items():
        urns = [int(u) for u in (r["urn"].removesuffix(".0") for r in rows) if u.isdigit()]
        names = (rows[0]["body"], *(r["alias"] for r in rows))
        alias = Alias(rows[0]["body"], urns[0] if urns else None, names)
        by_body[body_key] = alias
        by_alias.update({normalise.customer_key(r["alias"], vocab): alias for r in rows})
    return CustomerAliases(by_alias, by_body)


def read_supplier_aliases(path: Path | None, vocab: Vocabulary) -> dict[str, str]:
    """``alias,supplier,note`` rows as supplier key of the alias -> supplier name."""
    out: dict[str, str] = {}
    for row in _alias_rows(path, ("alias", "supplier")):
        key = normalise.supplier_key(row["alias"], vocab)
        if key and row["supplier"]:
            out[key] = row["supplier"]
    return out


def _pairs(names: pd.Series, urns: pd.Series | None) -> tuple[pd.DataFrame, np.ndarray]:
    """Distinct (published name, URN) pairs with their row counts, and each row's pair."""
    frame = pd.DataFrame(
        {
            "published_name": names.fillna("").astype(str).to_numpy(),
            "row_urn": pd.array(
                [pd.NA] * len(names) if urns is None else urns.to_numpy(), dtype="Int64"
            ),
        }
    )
    grouped = frame.groupby(["published_name", "row_urn"], dropna=False, sort=True)
    codes = grouped.ngroup().to_numpy()
    pairs = grouped.size().rename("rows").reset_index()
    return pairs, codes


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


def _list_display(pairs: pd.DataFrame, customers: CustomerList, vocab: Vocabulary) -> pd.Series:
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


def _display_names(pairs: pd.DataFrame, listed: pd.Series | None) -> pd.Series:
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


@dataclass(frozen=True)
class _CustomerContext:
    vocab: Vocabulary
    urn_names: dict[str, int]  # customer key published with a single URN -> URN
    aliases: CustomerAliases
    index: ListIndex | None
    threshold: float
    margin: float


def _urn_names(pairs: pd.DataFrame, vocab: Vocabulary) -> dict[str, int]:
    """Customer keys that releases publish with exactly one URN."""
    given = pairs.dropna(subset=["row_urn"])
    keys = [normalise.customer_key(n, vocab) for n in given["published_name"]]
    urns = pd.Series(given["row_urn"].astype("int64").to_numpy()).groupby(keys).unique()
    return {k: int(u[0]) for k, u in urns.items() if k and len(u) == 1}


def _known_urn(name: str, ctx: _CustomerContext) -> int | None:
    """A URN for a name from releases or an exact customer-list match, if there is one."""
    found = ctx.urn_names.get(normalise.customer_key(name, ctx.vocab))
    if found is None and ctx.index is not None:
        urns = ctx.index.exact_urns(name, ctx.vocab)
        found = urns[0] if len(urns) == 1 else None
    return found


def _override(alias: Alias, ctx: _CustomerContext) -> Match:
    """The body of an override: its URN if given, else found for its name or an alias."""
    urn = alias.urn
    for name in alias.names:
        if urn is not None:
            break
        urn = _known_urn(name, ctx)
    body_key = urn_key(urn) if urn is not None else normalise.customer_key(alias.body, ctx.vocab)
    return Match(body_key, "override", 100.0, urn, alias.body)


def _from_list(name: str, key: str, ctx: _CustomerContext) -> Match | None:
    """An exact or fuzzy customer-list match; ``name_key`` when the name is ambiguous."""
    if ctx.index is None:
        return None
    urns = ctx.index.exact_urns(name, ctx.vocab)
    if len(urns) == 1:
        return Match(urn_key(urns[0]), "exact_list", 100.0, urns[0])
    if urns:  # several bodies of that name: never guessed
        return Match(key, "name_key")
    if key in ctx.aliases.by_body:  # a body named in the override file, spelt as there
        return _override(ctx.aliases.by_body[key], ctx)
    best = ctx.index.fuzzy(match_key(name, ctx.vocab), ctx.threshold, ctx.margin)
    if best is not None:
        return Match(urn_key(best.urn), "fuzzy_list", round(best.score, 1), best.urn)
    return None


def _resolve_name(name: str, ctx: _CustomerContext) -> Match:
    """Resolve one published customer name (no URN on the row), in order of trust."""
    key = normalise.customer_key(name, ctx.vocab)
    if not key:
        return Match(None, "none")
    if key in ctx.urn_names:
        return Match(urn_key(ctx.urn_names[key]), "urn_name", 100.0, ctx.urn_names[key])
    if key in ctx.aliases.by_alias:
        return _override(ctx.aliases.by_alias[key], ctx)
    found = _from_list(name, key, ctx)
    if found is not None:
        return found
    if key in ctx.aliases.by_body:
        return _override(ctx.aliases.by_body[key], ctx)
    return Match(key, "name_key")


def _resolved_frame(pairs: pd.DataFrame, matches: list[Match]) -> pd.DataFrame:
    return pairs.assign(
        body_key=[m.body_key for m in matches],
        method=[m.method for m in matches],
        score=[m.score for m in matches],
        urn=pd.array([m.urn for m in matches], dtype="Int64"),
        canonical=[m.canonical for m in matches],
    )


def _rows(pairs: pd.DataFrame, codes: np.ndarray, index: pd.Index) -> pd.DataFrame:
    out = pairs.iloc[codes][["published_name", "body_key", "body_name", "method", "score", "urn"]]
    out = out.set_axis(index)
    out["score"] = out["score"].astype("float64")
    return out


def resolve_customers(
    names: pd.Series,
    urns: pd.Series,
    vocab: Vocabulary,
    customers: CustomerList | None = None,
    aliases: Path | None = CUSTOMER_ALIASES,
    *,
    threshold: float = FUZZY_THRESHOLD,
    margin: float = FUZZY_MARGIN,
) -> pd.DataFrame:
    """Resolve each row's customer to a body.

    Returns a frame aligned with ``names``: ``published_name``, ``body_key``, ``body_name``
    (display name), ``method``, ``score`` (100 for exact methods, the rapidfuzz score for
    ``fuzzy_list``, NaN otherwise) and ``urn`` (the body's URN where known).
    """
    pairs, codes = _pairs(names, urns)
    ctx = _CustomerContext(
        vocab=vocab,
        urn_names=_urn_names(pairs, vocab),
        aliases=read_customer_aliases(aliases, vocab),
        index=build_list_index(customers, vocab) if customers is not None else None,
        threshold=threshold,
        margin=margin,
    )
    by_name: dict[str, Match] = {}
    matches = []
    for name, urn in zip(pairs["published_name"], pairs["row_urn"], strict=True):
        if not pd.isna(urn):
            matches.append(Match(urn_key(urn), "urn", 100.0, int(urn)))
            continue
        if name not in by_name:
            by_name[name] = _resolve_name(name, ctx)
        matches.append(by_name[name])
    pairs = _resolved_frame(pairs, matches)
    listed = _list_display(pairs, customers, vocab) if customers is not None else None
    pairs["body_name"] = pairs["body_key"].map(_display_names(pairs, listed))
    pairs["body_name"] = pairs["body_name"].fillna(NOT_STATED)
    return _rows(pairs, codes, names.index)


def resolve_suppliers(
    names: pd.Series, vocab: Vocabulary, aliases: Path | None = SUPPLIER_ALIASES
) -> pd.DataFrame:
    """Resolve each row's supplier: an override, else its normalised key (no fuzzy merging).

    Returns the same columns as :func:`resolve_customers` (``urn`` always null).
    """
    pairs, codes = _pairs(names, None)
    overrides = read_supplier_aliases(aliases, vocab)
    matches = []
    for name in pairs["published_name"]:
        key = normalise.supplier_key(name, vocab)
        if key in overrides:
            canonical = overrides[key]
            body_key = normalise.supplier_key(canonical, vocab)
            matches.append(Match(body_key, "override", 100.0, None, canonical))
        else:
            matches.append(Match(key or None, "name_key" if key else "none"))
    pairs = _resolved_frame(pairs, matches)
    pairs["body_name"] = pairs["body_key"].map(_display_names(pairs, None)).fillna(NOT_STATED)
    return _rows(pairs, codes, names.index)


def empty_matches() -> pd.DataFrame:
    """A match report with no rows."""
    return apply_match_dtypes(pd.DataFrame({c: [] for c in MATCH_COLUMNS}))


def apply_match_dtypes(frame: pd.DataFrame) -> pd.DataFrame:
    """Cast a match report to its columns and dtypes (also after reading it back)."""
    out = frame[MATCH_COLUMNS].copy()
    for column in ("kind", "published_name", "body_key", "body_name", "method"):
        out[column] = out[column].astype("string")
    out["urn"] = out["urn"].astype("Int64")
    out["score"] = out["score"].astype("float64")
    out["rows"] = out["rows"].astype("int64")
    out["spend_gbp"] = out["spend_gbp"].astype("float64")
    return out


def match_report(kind: str, resolved: pd.DataFrame, spend_gbp: pd.Series) -> pd.DataFrame:
    """One row per published name and body it resolved to: method, score, rows and pounds.

    A name published with several URNs (or with and without one) has a row per body.
    """
    frame = resolved.assign(spend_gbp=spend_gbp.to_numpy())
    keys = ["published_name", "body_key", "body_name", "urn", "method", "score"]
    table = (
        frame.groupby(keys, dropna=False, sort=True)
        .agg(rows=("spend_gbp", "size"), spend_gbp=("spend_gbp", "sum"))
        .reset_index()
    )
    table["spend_gbp"] = table["spend_gbp"].round(2)
    table.insert(0, "kind", kind)
    return apply_match_dtypes(table)


def method_counts(matches: pd.DataFrame, kind: str) -> dict[str, dict[str, float | int]]:
    """Published names, rows and pounds resolved by each method, for the load report."""
    table = matches[matches["kind"] == kind]
    methods = CUSTOMER_METHODS if kind == "customer" else SUPPLIER_METHODS
    out: dict[str, dict[str, float | int]] = {}
    for method in methods:
        chosen = table[table["method"] == method]
        if len(chosen):
            out[method] = {
                "names": int(chosen["published_name"].nunique()),
                "rows": int(chosen["rows"].sum()),
                "spend_gbp": round(float(chosen["spend_gbp"].sum()), 2),
            }
    return out


def customer_bodies(
    customers: CustomerList | None, display: pd.Series | None = None
) -> pd.DataFrame:
    """The customer list's bodies (the denominator of adoption), one row per URN.

    ``display`` (body key -> name) gives the names shown in the spend, so a body reads the
    same everywhere; other names are tidied list names. Empty when no list is given.
    """
    if customers is None:
        frame = pd.DataFrame({c: [] for c in BODY_COLUMNS})
    else:
        frame = customers.bodies.drop_duplicates("urn")[BODY_COLUMNS].reset_index(drop=True)
        names = frame["name"].map(tidy_list_name)
        if display is not None:
            shown = pd.Series([urn_key(u) for u in frame["urn"]]).map(display)
            names = shown.fillna(names)
        frame["name"] = names
    return apply_body_dtypes(frame)


def apply_body_dtypes(frame: pd.DataFrame) -> pd.DataFrame:
    """Cast a customer-bodies frame to its columns and dtypes; blank text becomes null."""
    out = frame[BODY_COLUMNS].copy()
    out["urn"] = out["urn"].astype("Int64")
    for column in BODY_COLUMNS[1:]:
        text = out[column].astype("string")
        out[column] = text.mask(text.eq(""))
    return out


def sector_by_body_key(customers: CustomerList) -> pd.Series:
    """Sector of each URN body key (``urn:<URN>``), where the customer list gives one."""
    sectors = customers.sector_by_urn()
    return pd.Series(sectors.to_numpy(), index=[urn_key(u) for u in sectors.index], dtype=object)
