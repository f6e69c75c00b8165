"""What the customer-name resolver works with: how a name was resolved (:class:`Match`), the
registers and context of one run, a body one reading names (:class:`Hit`), and the helpers
every step shares (overrides, sectors, how a list body is shown)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from loaders.bodies.lineage import Register
from loaders.bodies.resolution.aliases import Alias, CustomerAliases
from loaders.bodies.resolution.keys import urn_key
from loaders.bodies.resolution.list_index import ListIndex
from loaders.bodies.resolution.readings import Descriptor, ShortForms
from loaders.bodies.resolution.typos import Speller
from loaders.core import normalise
from loaders.core.vocabulary import Vocabulary

MAX_CANDIDATES = 3  # bodies listed for an ambiguous name


class Match(NamedTuple):
    """How one published name was resolved."""

    body_key: str | None
    method: str
    score: float | None = None
    urn: int | None = None
    canonical: str | None = None  # body name given by an override or a register
    runner_up: str | None = None  # next body (ambiguous: every candidate), "name (URN n)"
    runner_up_score: float | None = None


@dataclass(frozen=True)
class Registers:
    """What the resolver knows beside the customer list: GOV.UK titles and abbreviations,
    the list's own acronyms, descriptors, short forms, and the speller."""

    register: Register
    titles: dict[str, tuple[str, ...]]  # match key of a title -> slugs
    abbreviations: dict[str, tuple[str, ...]]  # match key of an abbreviation -> slugs
    list_acronyms: dict[str, tuple[int, ...]]  # match key of a list acronym -> URNs
    initials: dict[str, tuple[int, ...]]  # initials of list names (4 letters or more) -> URNs
    squashed: dict[str, tuple[int, ...]]  # list match keys without spaces -> URNs
    pattern_aliases: dict[str, tuple[int, ...]]  # aliases name_patterns.csv gives -> URNs
    descriptors: tuple[Descriptor, ...]
    short_forms: ShortForms
    speller: Speller


@dataclass(frozen=True)
class CustomerContext:
    """Everything one run of the resolver reads, built once per run."""

    vocab: Vocabulary
    urn_names: dict[str, int]  # customer key published with a single URN -> URN
    aliases: CustomerAliases
    index: ListIndex | None
    threshold: float
    margin: float
    registers: Registers
    list_names: dict[int, str]  # URN -> customer-list name
    list_sectors: dict[int, str]  # URN -> customer-list sector
    name_sectors: dict[str, str]  # published name -> the one sector releases give it


class Hit(NamedTuple):
    """A body one reading names."""

    urn: int | None
    slug: str | None  # the GOV.UK organisation, where known
    body_key: str
    method: str
    score: float
    canonical: str | None


def known_urn(name: str, ctx: CustomerContext, sector: str = "") -> int | None:
    """A URN for a name from releases or an exact customer-list match (of ``sector`` when
    the list has several bodies of the name), if there is one."""
    found = ctx.urn_names.get(normalise.customer_key(name, ctx.vocab))
    if found is None and ctx.index is not None:
        urns = ctx.index.exact_urns(name, ctx.vocab)
        urns = tuple(in_sectors(urns, [sector], ctx)) if len(urns) > 1 else urns
        found = urns[0] if len(urns) == 1 else None
    return found


def override(alias: Alias, ctx: CustomerContext, published: str = "") -> Match:
    """The body of an override: its URN if given, else found for its name or an alias (of
    the sector the release gives ``published``, when several bodies bear that name)."""
    urn = alias.urn
    sector = ctx.name_sectors.get(published, "")
    for name in alias.names:
        if urn is not None:
            break
        urn = known_urn(name, ctx, sector)
    body_key = urn_key(urn) if urn is not None else normalise.customer_key(alias.body, ctx.vocab)
    return Match(body_key, "override", 100.0, urn, alias.body)


def in_sectors(urns: Iterable[int], sectors: Iterable[str], ctx: CustomerContext) -> list[int]:
    """The URNs whose customer-list sector is one of ``sectors``."""
    wanted = set(sectors)
    return [u for u in urns if ctx.list_sectors.get(u) in wanted]


def listed(urn: int, ctx: CustomerContext) -> str:
    """A list body as a match report shows it: ``name (URN n)``."""
    return f"{ctx.list_names.get(urn, '?')} (URN {urn})"


def ambiguous(key: str, bodies: Iterable[int | Hit], ctx: CustomerContext) -> Match:
    """An unresolved name and the bodies (URNs, or hits of readings) it could be."""
    shown = [
        listed(b, ctx) if isinstance(b, int) else listed(b.urn, ctx) if b.urn else b.canonical
        for b in bodies
    ]
    text = "; ".join(str(s) for s in shown[:MAX_CANDIDATES] if s)
    return Match(key, "ambiguous", None, None, None, text or None)
