"""Areas: regions and nations, and combined authorities, and which bodies and buyers are in
one. The one definition the places page, the area brief and the area feeds share.

A register body is in the area its register row names: its ``region`` (a region of England
or a nation), its ``combined_authority`` (the code of the combined authority whose
constituent council it is; a combined authority itself is in its region, not in its own
area). Membership is today's, as the register records it. A buyer is in the areas of the
register body it is matched to (``register_matches``,
:func:`~loaders.bodies.registers.matching.match_buyers`); a buyer matched to none is in no
area.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from loaders.core.text import fold_text

AREA_KINDS = {"region": "Region or nation", "combined_authority": "Combined authority"}
AUTHORITY_REGISTER = "combined-authority"
PLACE_COLUMNS = ["customer_key", "region", "combined_authority", "combined_authority_name"]


@dataclass(frozen=True)
class Area:
    """One area: its kind (a key of :data:`AREA_KINDS`, the register column that places a
    body in it), its code (a region's name, a combined authority's code) and its name."""

    kind: str
    code: str
    name: str


def authorities(bodies: pd.DataFrame) -> pd.DataFrame:
    """The combined authorities of the register table ``bodies`` (``code``, ``name``)."""
    return bodies.loc[bodies["register"].eq(AUTHORITY_REGISTER), ["code", "name"]]


def area_codes(bodies: pd.DataFrame, kind: str, values: Iterable[str]) -> set[str]:
    """The codes of the areas of ``kind`` that ``values`` name (a combined authority by its
    code or name; a region by its name); a value naming none is kept as it is."""
    if kind != "combined_authority":
        return set(values)
    table = authorities(bodies)
    by_name = dict(zip(table["name"], table["code"], strict=True))
    return {by_name.get(v, v) for v in values}


def in_areas(table: pd.DataFrame, bodies: pd.DataFrame, kind: str, values: Iterable[str]):
    """Boolean mask of the rows of ``table`` (register bodies, with the register's ``region``
    and ``combined_authority`` columns) in one of the areas of ``kind`` that ``values``
    name."""
    return table[kind].isin(area_codes(bodies, kind, values))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold_text(text)).strip("-")


def all_areas(bodies: pd.DataFrame) -> list[Area]:
    """Every region or nation the register places a body in, then every combined
    authority."""
    regions = sorted(set(bodies["region"]) - {""})
    table = authorities(bodies).sort_values("name")
    return [Area("region", r, r) for r in regions] + [
        Area("combined_authority", c, n) for c, n in zip(table["code"], table["name"], strict=True)
    ]


def find_area(bodies: pd.DataFrame, text: str, kind: str | None = None) -> Area | None:
    """The area ``text`` names, by name, code or slug, in any case (``north-west``,
    ``GMCA``, ``Greater Manchester Combined Authority``), of ``kind`` if given; else
    ``None``."""
    wanted = _slug(text or "")
    if not wanted:
        return None
    for area in all_areas(bodies):
        if (kind is None or area.kind == kind) and wanted in {_slug(area.code), _slug(area.name)}:
            return area
    return None


def buyer_places(buyer_matches: pd.DataFrame, bodies: pd.DataFrame) -> pd.DataFrame:
    """Each matched buyer with the areas of its register body (:data:`PLACE_COLUMNS`; ``""``
    where the body is in none). ``buyer_matches`` has ``customer_key``, ``register`` and
    ``code`` (the stored ``register_matches``)."""
    located = bodies[["register", "code", "region", "combined_authority"]]
    places = buyer_matches[["customer_key", "register", "code"]].astype(object).merge(
        located, on=["register", "code"], how="left"
    )  # fmt: skip
    names = authorities(bodies).set_index("code")["name"]
    places = places.assign(
        customer_key=places["customer_key"].astype(str),
        region=places["region"].fillna(""),
        combined_authority=places["combined_authority"].fillna(""),
    )
    places["combined_authority_name"] = places["combined_authority"].map(names).fillna("")
    return places[PLACE_COLUMNS].reset_index(drop=True)


def area_buyers(buyer_matches: pd.DataFrame, bodies: pd.DataFrame, area: Area) -> list[str]:
    """The keys of the buyers in ``area`` (matched to a register body in it), sorted."""
    places = buyer_places(buyer_matches, bodies)
    return sorted(set(places.loc[in_areas(places, bodies, area.kind, [area.code]), "customer_key"]))
