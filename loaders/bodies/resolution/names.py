"""Resolve one published customer name (no trusted URN on its rows) to a body.

In order of trust (the package docstring lists the methods): the same name published with
one URN; the analysts' overrides; the customer list's names as written (and, when several
bodies share the name, the one of the sector the release gives, else ``ambiguous``); the
guarded fuzzy step; then other readings of the name, tier by tier
(:mod:`loaders.bodies.resolution.tiers`). Every match found by name carries the nearest
other list body and its score (the runner-up).
"""

from __future__ import annotations

from loaders.bodies.resolution.context import (
    CustomerContext,
    Match,
    ambiguous,
    in_sectors,
    listed,
    override,
)
from loaders.bodies.resolution.keys import match_key, urn_key
from loaders.bodies.resolution.tiers import from_readings
from loaders.bodies.resolution.trust import names_no_body
from loaders.core import normalise


def from_list(name: str, key: str, ctx: CustomerContext) -> Match | None:
    """An exact (or sector-chosen) or fuzzy customer-list match; ``ambiguous`` when several
    bodies bear the name and the release's sector does not pick one."""
    if ctx.index is None:
        return None
    urns = ctx.index.exact_urns(name, ctx.vocab)
    if len(urns) == 1:
        return Match(urn_key(urns[0]), "exact_list", 100.0, urns[0])
    if urns:  # several bodies of that name: the release's sector may name one, else none
        chosen = in_sectors(urns, [ctx.name_sectors.get(name, "")], ctx)
        if len(chosen) == 1:
            return Match(urn_key(chosen[0]), "exact_sector", 100.0, chosen[0])
        return ambiguous(key, urns, ctx)
    if key in ctx.aliases.by_body:  # a body named in the override file, spelt as there
        return override(ctx.aliases.by_body[key], ctx, name)
    best = ctx.index.fuzzy(match_key(name, ctx.vocab), ctx.threshold, ctx.margin)
    if best is not None:
        return Match(urn_key(best.urn), "fuzzy_list", round(best.score, 1), best.urn)
    return None


def with_runner_up(match: Match, name: str, ctx: CustomerContext) -> Match:
    """``match`` with the nearest other customer-list body and its score (the nearest body
    of all for an unresolved name); ambiguous names keep their list of candidates."""
    if ctx.index is None or match.method in ("ambiguous", "none", "urn"):
        return match
    found = ctx.index.nearest_other(match_key(name, ctx.vocab), match.urn)
    if found is None:
        return match
    return match._replace(runner_up=listed(found[0], ctx), runner_up_score=round(found[1], 1))


def resolve_name(name: str, ctx: CustomerContext) -> Match:
    """Resolve one published customer name (no URN on the row), in order of trust."""
    key = normalise.customer_key(name, ctx.vocab)
    if not key or names_no_body(name, ctx.vocab):  # "Unknown", "Various": no body at all
        return Match(None, "none")
    if key in ctx.urn_names:
        return Match(urn_key(ctx.urn_names[key]), "urn_name", 100.0, ctx.urn_names[key])
    if key in ctx.aliases.by_alias:
        return override(ctx.aliases.by_alias[key], ctx, name)
    found = from_list(name, key, ctx) or from_readings(name, ctx)
    if found is not None:
        return with_runner_up(found, name, ctx)
    if key in ctx.aliases.by_body:
        return override(ctx.aliases.by_body[key], ctx, name)
    return with_runner_up(Match(key, "name_key"), name, ctx)
