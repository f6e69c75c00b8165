"""Other readings of a published customer name, tier by tier, when it matches no body as
written (see :mod:`loaders.bodies.resolution.names` for the order of trust).

1. the whole name as an acronym or a former name in the registers (the customer list's
   acronyms and initials, GOV.UK abbreviations and renames: :mod:`loaders.bodies.lineage`), a
   trailing acronym, a descriptor of kind, short forms of words, a name written index-style
   or with characters lost (:mod:`.readings`);
2. its parts: brackets, and a unit or a parent body joined to a body;
3. spelling corrections (:mod:`.typos`), and register names a typo away.

Within a tier every reading is looked up; the tier decides only when its readings name one
body (or a body and the bodies it is part of in the GOV.UK register: ``DVLA (DfT)`` is the
DVLA). Readings naming unrelated bodies leave the name ``ambiguous`` and the match report
lists them; a part naming a kind of body that is none of those named stops the tier.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from loaders.bodies.departments import DEPARTMENT_TYPES
from loaders.bodies.resolution.context import (
    CustomerContext,
    Hit,
    Match,
    ambiguous,
    in_sectors,
    override,
)
from loaders.bodies.resolution.keys import (
    BODY_KIND_TOKENS,
    UNIT_TOKENS,
    match_key,
    tokens_agree_allowing_typos,
    urn_key,
)
from loaders.bodies.resolution.readings import (
    Reading,
    bracket_readings,
    descriptor_readings,
    inverted_readings,
    looks_like_acronym,
    lost_character_readings,
    segment_readings,
    short_form_readings,
    trailing_acronym_readings,
)
from loaders.bodies.resolution.typos import corrected
from loaders.core import normalise

# When readings of one tier name several bodies, the match is reported by the least certain.
_LEAST_CERTAIN_FIRST = ("typo", "part", "fuzzy_list", "acronym", "renamed", "trimmed")
TYPO_CUTOFF = 88.0  # least score of a register name a typo away (list-side typos)
_CONJUNCTION = re.compile(r"\s+(?:&|and)\s+", re.IGNORECASE)


def _register_slugs(text: str, key: str, ctx: CustomerContext) -> tuple[tuple[str, ...], str]:
    """GOV.UK organisations a text names by title, else by abbreviation (three letters or
    more); the method that says how."""
    registers = ctx.registers
    if key in registers.titles:
        return registers.titles[key], "renamed"
    if len(key.replace(" ", "")) >= 3 and key in registers.abbreviations:
        return registers.abbreviations[key], "acronym"
    return (), ""


def _one_lineage(slugs: tuple[str, ...], ctx: CustomerContext) -> str | None:
    """The slug of the one body ``slugs`` name (names of one body, or entries of one title
    at their latest name), the one with the longest lineage; else ``None``."""
    register = ctx.registers.register
    lineages = {s: register.names_of(s) for s in slugs}
    latest = {match_key(names[0].title, ctx.vocab) for names in lineages.values()}
    if len(latest) != 1:
        return None
    return max(sorted(lineages), key=lambda s: len(lineages[s]))


def _slug_for(text: str, ctx: CustomerContext) -> str | None:
    """The GOV.UK organisation a text names by title or abbreviation, if exactly one body."""
    slugs, _ = _register_slugs(text, match_key(text, ctx.vocab), ctx)
    return _one_lineage(slugs, ctx) if slugs else None


def _urn_hit(urn: int, slug: str | None, method: str, score: float, ctx: CustomerContext) -> Hit:
    """A hit on a list URN, with the GOV.UK organisation of the reading or of the list name
    (so that two list entries of one organisation, ``Ofsted`` and ``Office for Standards in
    Education...``, count as one body)."""
    slug = slug or _slug_for(ctx.list_names.get(urn, ""), ctx)
    return Hit(urn, slug, urn_key(urn), method, score, None)


def _title_urns(title: str, ctx: CustomerContext) -> tuple[int, ...]:
    """List URNs of a register title, as written or without its brackets (``Heritage Lottery
    Fund (administered by the NHMF)``)."""
    if ctx.index is None:
        return ()
    urns = ctx.index.exact_urns(title, ctx.vocab)
    readings = bracket_readings(title)
    if not urns and readings and readings[0].method == "trimmed":
        urns = ctx.index.exact_urns(readings[0].text, ctx.vocab)
    return urns


def _register_hits(reading: Reading, key: str, ctx: CustomerContext) -> list[Hit]:
    """The body a reading names through the GOV.UK register: a list URN of one of its names
    (latest first), else the body itself at its latest name (only for an acronym or a
    renamed body: a title as written adds nothing)."""
    slugs, how = _register_slugs(reading.text, key, ctx)
    slug = _one_lineage(slugs, ctx) if slugs else None
    if slug is None:
        return []
    method = "acronym" if how == "acronym" or reading.method == "acronym" else reading.method
    names = ctx.registers.register.names_of(slug)
    renamed = [o for o in names if o.slug not in slugs]
    if method in ("trimmed", "register"):
        method = "renamed" if renamed else method
    if method == "register":
        return []  # a title as written, not renamed: the list lookup already failed
    for org in names:
        urns = _title_urns(org.title, ctx)
        if reading.sectors:
            urns = tuple(in_sectors(urns, reading.sectors, ctx))
        if len(urns) == 1:
            return [_urn_hit(urns[0], slug, method, 100.0, ctx)]
    acronym = how == "acronym" or reading.method == "acronym"
    if not acronym and names[0].slug in slugs:
        return []  # its latest name is the one written: the register adds no body
    title = names[0].title
    return [Hit(None, slug, normalise.customer_key(title, ctx.vocab), method, 100.0, title)]


def _override_hit(reading: Reading, ctx: CustomerContext) -> Hit | None:
    """The body an analyst's override gives the reading's text (``GLA``), if any."""
    alias = ctx.aliases.by_alias.get(normalise.customer_key(reading.text, ctx.vocab))
    if alias is None:
        return None
    found = override(alias, ctx)
    slug = _slug_for(alias.body, ctx)
    method = "acronym" if looks_like_acronym(reading.text) else reading.method
    if found.urn is not None:
        return _urn_hit(found.urn, slug, method, 100.0, ctx)
    return Hit(None, slug, str(found.body_key), method, 100.0, found.canonical)


def _listed_urns(reading: Reading, key: str, ctx: CustomerContext) -> tuple[int, ...]:
    """URNs of list names the reading's text is, as written, as a list acronym, as an alias
    of ``name_patterns.csv``, or with spaces squeezed out (``Visit England``)."""
    registers = ctx.registers
    urns = ctx.index.exact_urns(reading.text, ctx.vocab) if ctx.index is not None else ()
    if not urns and looks_like_acronym(reading.text):
        urns = registers.list_acronyms.get(key, ())
    return (
        urns
        or registers.pattern_aliases.get(key, ())
        or registers.squashed.get(key.replace(" ", ""), ())
    )


def _reading_hits(reading: Reading, ctx: CustomerContext, fuzzy: bool = True) -> list[Hit]:
    """The bodies one reading names (:func:`_named`), and for an acronym given with the
    words it abbreviates, only a body whose name reads like those words."""
    hits = _named(reading, ctx, fuzzy)
    if not reading.spelt_out:
        return hits
    wanted = match_key(reading.spelt_out, ctx.vocab)
    return [h for h in hits if fuzz.token_set_ratio(wanted, " ".join(_hit_words(h, ctx))) >= 80]


def _named(reading: Reading, ctx: CustomerContext, fuzzy: bool = True) -> list[Hit]:
    """The bodies one reading names: an analyst's override, the customer list as written,
    its acronyms, the GOV.UK register, then (``fuzzy``, never for acronyms or parts) the
    guarded fuzzy step."""
    if ctx.index is None:
        return []
    key = match_key(reading.text, ctx.vocab)
    if not key:
        return []
    given = _override_hit(reading, ctx)
    if given is not None:
        return [given]
    slug = _slug_for(reading.text, ctx)
    urns = _listed_urns(reading, key, ctx)
    if reading.sectors:
        urns = tuple(in_sectors(urns, reading.sectors, ctx))
    if len(urns) == 1:
        method = "trimmed" if reading.method == "register" else reading.method
        return [_urn_hit(urns[0], slug, method, 100.0, ctx)]
    if urns:
        return []  # several bodies of that name: the reading does not tell which
    found = _register_hits(reading, key, ctx)
    initials = ctx.registers.initials.get(key.replace(" ", ""), ())
    if not found and len(initials) == 1 and looks_like_acronym(reading.text):
        return [_urn_hit(initials[0], slug, "acronym", 100.0, ctx)]
    if found or not fuzzy or reading.method in ("acronym", "part", "register", "added"):
        return found
    best = ctx.index.fuzzy(key, ctx.threshold, ctx.margin)
    if best is None or (reading.sectors and not in_sectors([best.urn], reading.sectors, ctx)):
        return []
    method = reading.method if reading.method == "typo" else "fuzzy_list"
    return [_urn_hit(best.urn, slug, method, round(best.score, 1), ctx)]


def _variants(text: str, method: str, ctx: CustomerContext) -> list[Reading]:
    """A text without a descriptor, and with short forms spelt out (``Bona Vacantia
    Division`` -> ``Bona Vacantia``; ``Bassetlaw DC`` -> ``Bassetlaw District Council``);
    readings that add words keep saying so (they are looked up exactly, never fuzzily)."""
    key = match_key(text, ctx.vocab)
    found = descriptor_readings(key, ctx.registers.descriptors)
    found += short_form_readings(key, ctx.registers.short_forms)
    return [r._replace(method=method) if method == "part" and r.method != "added" else r
            for r in found]  # fmt: skip


def _whole_readings(name: str, ctx: CustomerContext) -> list[Reading]:
    """Readings of the whole name: through the registers as written, without a trailing
    acronym or a descriptor, and with short forms spelt out."""
    readings = [Reading(name, "register")] + trailing_acronym_readings(name)
    readings += inverted_readings(name) + lost_character_readings(name)
    return readings + _variants(name, "trimmed", ctx)


def _hit_words(hit: Hit, ctx: CustomerContext) -> set[str]:
    shown = ctx.list_names.get(hit.urn, "") if hit.urn is not None else hit.canonical or ""
    return set(match_key(shown, ctx.vocab).split())


def _overlaps(part: set[str], named: set[str]) -> bool:
    """Whether a part's words are a body's name, or within it, or hold it (singular and
    plural kinds alike: ``tribunal`` and ``tribunals``)."""
    part, named = {w.rstrip("s") for w in part}, {w.rstrip("s") for w in named}
    return part <= named or named <= part


def _part_readings(name: str, ctx: CustomerContext) -> list[tuple[Reading, bool | None]]:
    """The parts of a name (brackets, then parts between separators, each also without a
    descriptor and with short forms spelt out: ``None``, never stopping the match), and
    whether each part, naming nothing, stops the match even without a word for a kind of
    body: words in brackets that name no unit (``First-Tier Tribunal (Information Rights)``
    is not the First-Tier Tribunal)."""
    out = []
    seen = set()
    for reading in bracket_readings(name):
        seen.add(reading.text)
        qualifier = reading.method == "part" and not _names_a_unit(reading.text, ctx)
        out.append((reading, qualifier))
    for reading in segment_readings(name):
        if reading.text not in seen:
            seen.add(reading.text)
            out.append((reading, False))
    for reading, _ in list(out):
        out += [(v, None) for v in _variants(reading.text, "part", ctx)]
    return out


def _names_a_unit(text: str, ctx: CustomerContext) -> bool:
    """Whether words name a unit of a body or a state of it (``Digital Directorate``,
    ``Closed``), rather than a qualifier of its name (``Information Rights``)."""
    words = set(match_key(text, ctx.vocab).split())
    kinds = {w for d in ctx.registers.descriptors for w in d.words}
    return bool(words & (UNIT_TOKENS | kinds))


def _part_hits(name: str, ctx: CustomerContext) -> list[Hit]:
    """The bodies the parts of a name name; none when a part naming a kind of body
    (``HM Court and Tribunal Service Reform Programme (Ministry of Justice)``), or several
    bodies of one name, or (beside departments only) several words but no unit, names none
    of them: it may be a body the registers lack. A part that names nothing as a whole but
    joins another body with ``and`` adds that body (the name is then ambiguous)."""
    hits: list[Hit] = []
    unnamed = []
    named_texts = set()
    for reading, qualifier in _part_readings(name, ctx):
        found = _reading_hits(reading, ctx, fuzzy=reading.method == "trimmed")
        hits += found
        if found:
            named_texts |= {reading.text, reading.spelt_out}  # an acronym explains its words
        elif qualifier is not None and not looks_like_acronym(reading.text):
            words = set(match_key(reading.text, ctx.vocab).split())
            several = len(ctx.index.exact_urns(reading.text, ctx.vocab)) if ctx.index else 0
            stops = qualifier or bool(words & BODY_KIND_TOKENS) or several > 1
            unnamed.append((reading.text, words, stops))
    named = [_hit_words(h, ctx) for h in hits]
    departments = bool(hits) and all(_is_department(h, ctx) for h in hits)
    for text, words, a_body in unnamed:
        if text in named_texts or any(_variant_of(text, t, ctx) for t in named_texts):
            continue
        joined = _joined_bodies(text, ctx)
        if hits and any(not any(_same_body(j, h) for h in hits) for j in joined):
            return hits + joined  # another body joined to one named: never one of them alone
        if any(_overlaps(words, n) for n in named):
            continue
        if a_body or (departments and len(words) > 1 and not words & UNIT_TOKENS):
            return []
    return hits


def _joined_bodies(text: str, ctx: CustomerContext) -> list[Hit]:
    """The bodies the halves of a part joined by ``&`` or ``and`` name (``Charity Commission
    England & Wales & Charity Commission Northern Ireland``): beside another body named,
    they make the name one of two bodies, never read as one of them."""
    halves = [h.strip(" ,.") for h in _CONJUNCTION.split(text) if h.strip(" ,.")]
    if len(halves) < 2:
        return []
    return [h for half in halves for h in _reading_hits(Reading(half, "trimmed"), ctx)]


def _is_department(hit: Hit, ctx: CustomerContext) -> bool:
    """Whether a hit is a government department (in the GOV.UK register): a part of a name
    beside it that is neither a unit nor one word may be one of its bodies (``DCMS - Tate
    Gallery``), so the department is never taken for it."""
    org = ctx.registers.register.get(hit.slug) if hit.slug else None
    return org is not None and org.format in DEPARTMENT_TYPES


def _variant_of(text: str, other: str, ctx: CustomerContext) -> bool:
    """Whether ``other`` is ``text`` without a descriptor or with short forms spelt out."""
    return other in {r.text for r in _variants(text, "part", ctx)}


def _typo_hits(name: str, key: str, ctx: CustomerContext) -> list[Hit]:
    """Bodies a typo away: words no register name uses read as the nearest register word
    (the name so corrected read whole, then by its parts), else a register name whose words
    agree with the name's once a typo on either side is allowed
    (:func:`~loaders.bodies.resolution.keys.tokens_agree_allowing_typos`), scoring at least
    :data:`TYPO_CUTOFF` and clear of every other such body by the fuzzy margin."""
    hits: list[Hit] = []
    for fixes in ctx.registers.speller.fixes(key, name):
        text = corrected(name, fixes)
        found = [h for r in [Reading(text, "trimmed"), *_whole_readings(text, ctx)]
                 for h in _reading_hits(r, ctx)]  # fmt: skip
        hits += [h._replace(method="typo") for h in found or _part_hits(text, ctx)]
    if hits or ctx.index is None:
        return hits
    agreeing = [
        c
        for c in ctx.index.candidates(key, TYPO_CUTOFF - ctx.margin)
        if tokens_agree_allowing_typos(key, c.name)
    ]
    if not agreeing or agreeing[0].score < TYPO_CUTOFF:
        return []
    best = agreeing[0]
    if any(c.urn != best.urn and c.score > best.score - ctx.margin for c in agreeing):
        return []
    return [_urn_hit(best.urn, None, "typo", round(best.score, 1), ctx)]


def _same_body(a: Hit, b: Hit) -> bool:
    return (a.urn is not None and a.urn == b.urn) or (a.slug is not None and a.slug == b.slug)


def _bodies(hits: list[Hit]) -> list[list[Hit]]:
    """Hits grouped by body (the same URN or the same GOV.UK organisation)."""
    groups: list[list[Hit]] = []
    for hit in hits:
        joined = [g for g in groups if any(_same_body(hit, h) for h in g)]
        groups = [g for g in groups if g not in joined] + [[hit, *(h for g in joined for h in g)]]
    return groups


def _the_part(groups: list[list[Hit]], ctx: CustomerContext) -> list[Hit] | None:
    """The one body that is part of every other body named (DVLA beside the Department for
    Transport), in the GOV.UK register; else ``None``."""
    register = ctx.registers.register
    for group in groups:
        slugs = {h.slug for h in group if h.slug}
        ancestors = {a for s in slugs for a in register.ancestors(s)}
        others = [{h.slug for h in g if h.slug} for g in groups if g is not group]
        if slugs and all(other & ancestors for other in others):
            return group
    return None


def _decide(name: str, key: str, hits: list[Hit], ctx: CustomerContext) -> Match | None:
    """One body from a tier's hits, else ``ambiguous`` (several), else ``None`` (none)."""
    if not hits:
        return None
    groups = _bodies(hits)
    group = groups[0] if len(groups) == 1 else _the_part(groups, ctx)
    if group is None:
        return ambiguous(key, [g[0] for g in groups], ctx)
    order = {m: i for i, m in enumerate(_LEAST_CERTAIN_FIRST)}
    methods = ["trimmed" if h.method == "added" else h.method for h in group]
    method = min(methods, key=lambda m: order.get(m, len(order)))
    best = next((h for h in group if h.urn is not None), group[0])
    score = min(h.score for h in group)
    if method == "typo":
        shown = ctx.list_names.get(best.urn, best.canonical or "") if best.urn else ""
        score = round(fuzz.ratio(match_key(name, ctx.vocab), match_key(shown, ctx.vocab)), 1)
    return Match(best.body_key, method, score, best.urn, best.canonical)


def from_readings(name: str, ctx: CustomerContext) -> Match | None:
    """The body other readings of ``name`` name, tier by tier (see the module docstring)."""
    key = match_key(name, ctx.vocab)
    tiers = [
        lambda: [h for r in _whole_readings(name, ctx) for h in _reading_hits(r, ctx)],
        lambda: _part_hits(name, ctx),
        lambda: _typo_hits(name, key, ctx),
    ]
    for tier in tiers:
        found = _decide(name, normalise.customer_key(name, ctx.vocab), tier(), ctx)
        if found is not None:
            return found
    return None
