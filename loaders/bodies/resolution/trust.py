"""Identifiers that lie: customer URNs that do not name one body.

Releases give a URN on many rows, and a URN is the strongest evidence of which body a row
is, unless the URN is not really that body's:

* a **placeholder** typed to get past a required field (``0``, ``00000000``, ``33333333``,
  ``99999999``: the ``customer_urn`` patterns of ``data/reference/placeholders.csv``);
* a URN whose published names are **unrelated bodies**. Names that name no body
  (``Unknown``, ``N/A``: ``no_name`` patterns) are left out; the others are grouped when they
  agree token for token (:func:`~loaders.bodies.resolution.keys.tokens_agree`: spelling variants
  agree; an analyst's override, ``DWP``, counts as its body's name). Several groups are
  still one body, renamed, when the customer list gives every group's name for that URN
  (current or former names), or when the release gives every group the same sector (and
  the customer list does not put a group's name under another URN only): the Department
  for Communities and Local Government and the Ministry of Housing, Communities and Local
  Government share one URN and one sector. Groups of different sectors, or without sectors
  to tell, are unrelated bodies (``33333333`` for a parish council, an academy trust and the
  Department for Work and Pensions); so is a test or dummy organisation (``customer_name``
  patterns: ``Test Organisation``) beside any other name.

Rows carrying an untrusted URN are resolved by their name, as if they had none, and the
match report names the URN and why it was not trusted (``published_urn``, ``urn_note``).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from loaders.bodies.resolution.aliases import CustomerAliases
from loaders.bodies.resolution.keys import match_key, tokens_agree
from loaders.bodies.resolution.list_index import ListIndex
from loaders.core import normalise
from loaders.core.vocabulary import Vocabulary

PLACEHOLDER = "placeholder URN"
UNRELATED = "names of unrelated bodies"
TEST_BODY = "shared with a test or dummy organisation"


@dataclass(frozen=True)
class UntrustedUrn:
    """A URN not trusted, why, and the names published with it."""

    urn: int
    reason: str
    names: tuple[str, ...]


def is_placeholder(urn: int, vocab: Vocabulary) -> bool:
    """Whether a URN matches a ``customer_urn`` pattern of ``placeholders.csv``."""
    text = str(int(urn))
    return any(pattern.match(text) for pattern in vocab.placeholder_urns)


def names_no_body(name: str, vocab: Vocabulary) -> bool:
    """Whether a published name names no body (``Unknown``, ``Various``, ``Customer not
    known``: the ``no_name`` patterns of ``placeholders.csv``, case ignored)."""
    return any(pattern.search(name.strip()) for pattern in vocab.no_names)


def _test_body(name: str, vocab: Vocabulary) -> bool:
    return any(pattern.search(name.strip()) for pattern in vocab.placeholder_names)


def _groups(keys: list[str]) -> list[list[str]]:
    """Match keys grouped so that each agrees with some key of its group."""
    groups: list[list[str]] = []
    for key in keys:
        joined = [g for g in groups if any(tokens_agree(key, other) for other in g)]
        merged = [key] + [k for g in joined for k in g]
        groups = [g for g in groups if g not in joined] + [merged]
    return groups


def _list_keys(index: ListIndex | None) -> dict[int, set[str]]:
    """URN -> match keys of its current and former names in the customer list."""
    keys: dict[int, set[str]] = {}
    if index is not None:
        for key, urn in zip(index.keys.tolist(), index.urns.tolist(), strict=True):
            keys.setdefault(int(urn), set()).add(str(key))
    return keys


@dataclass(frozen=True)
class _Context:
    vocab: Vocabulary
    aliases: CustomerAliases
    listed: dict[int, set[str]]  # URN -> match keys of its current and former list names
    by_key: dict[str, tuple[int, ...]]  # list match key -> URNs


def _key(name: str, ctx: _Context) -> str:
    """Match key of a published name, an override read as its body's name."""
    alias = ctx.aliases.by_alias.get(normalise.customer_key(name, ctx.vocab))
    return match_key(alias.body if alias else name, ctx.vocab)


def _one_body(urn: int, groups: list[list[str]], sectors: list[set], ctx: _Context) -> bool:
    """Whether name groups published with one URN are one body (renamed)."""
    listed = ctx.listed.get(urn, set())
    if listed and all(any(tokens_agree(k, n) for k in g for n in listed) for g in groups):
        return True
    elsewhere = any(
        ctx.by_key.get(k) and urn not in ctx.by_key[k] for group in groups for k in group
    )
    known = [s for s in sectors if len(s) == 1]
    return not elsewhere and len(known) == len(groups) and len(set.union(*known)) == 1


def untrusted_urns(
    names: pd.Series,
    urns: pd.Series,
    sectors: pd.Series | None,
    vocab: Vocabulary,
    aliases: CustomerAliases,
    index: ListIndex | None = None,
) -> dict[int, UntrustedUrn]:
    """The URNs of rows (``names``, ``urns``, the release's ``sectors``) not to be trusted;
    ``index`` is the customer list's (:func:`~loaders.bodies.resolution.build_list_index`)."""
    frame = pd.DataFrame(
        {
            "name": names.fillna("").astype(str).to_numpy(),
            "urn": pd.array(urns.to_numpy(), dtype="Int64"),
            "sector": None if sectors is None else sectors.astype(object).to_numpy(),
        }
    ).dropna(subset=["urn"])
    frame = frame.drop_duplicates()
    named = frame["name"].map(lambda n: bool(n.strip()) and not names_no_body(n, vocab))
    frame = frame[named.astype(bool)]
    counts = frame.groupby("urn")["name"].nunique()
    placeholders = {int(u) for u in frame["urn"].unique() if is_placeholder(int(u), vocab)}
    suspects = set(counts[counts > 1].index.astype(int)) | placeholders
    ctx = _Context(vocab, aliases, _list_keys(index), dict(index.exact) if index else {})
    found: dict[int, UntrustedUrn] = {}
    for urn, rows in frame[frame["urn"].isin(suspects)].groupby("urn", sort=True):
        urn = int(urn)
        published = tuple(sorted(set(rows["name"])))
        if urn in placeholders:
            found[urn] = UntrustedUrn(urn, PLACEHOLDER, published)
            continue
        keyed = rows.assign(key=rows["name"].map(lambda n: _key(n, ctx)))
        groups = _groups(sorted(set(keyed["key"]) - {""}))
        if len(groups) < 2:
            continue
        if any(_test_body(n, vocab) for n in published):
            found[urn] = UntrustedUrn(urn, TEST_BODY, published)
            continue
        sectors_of = [set(keyed.loc[keyed["key"].isin(g), "sector"].dropna()) for g in groups]
        if not _one_body(urn, groups, sectors_of, ctx):
            found[urn] = UntrustedUrn(urn, UNRELATED, published)
    return found


def untrusted_report(matches: pd.DataFrame) -> list[dict[str, object]]:
    """The report's ``untrusted_identifiers``: each customer URN not trusted, why, the names
    published with it (each resolved by name) and their rows and pounds."""
    table = matches[matches["kind"].eq("customer") & matches["urn_note"].notna()]
    out = []
    for urn, group in table.groupby("published_urn", sort=True):
        out.append(
            {
                "identifier": "customer URN",
                "value": str(int(urn)),
                "reason": str(group["urn_note"].iloc[0]),
                "names": sorted(map(str, group["published_name"].unique())),
                "bodies": sorted(map(str, group["body_name"].unique())),
                "rows": int(group["rows"].sum()),
                "spend_gbp": round(float(group["spend_gbp"].sum()), 2),
            }
        )
    return out
