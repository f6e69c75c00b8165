"""Areas (issue 25): which register bodies and buyers a region, nation or combined authority
holds, one definition for the places page, the area brief and the area feeds."""

from __future__ import annotations

import pandas as pd
import pytest

from loaders.bodies.registers.areas import (
    Area,
    area_buyers,
    area_codes,
    buyer_places,
    find_area,
    in_areas,
)

BODIES = pd.DataFrame(
    [
        ("principal-council", "MAN", "Manchester City Council", "North West", "GMCA"),
        ("principal-council", "SLF", "Salford City Council", "North West", "GMCA"),
        ("principal-council", "CHE", "Cheshire East Council", "North West", ""),
        ("combined-authority", "GMCA", "Greater Manchester Combined Authority", "North West", ""),
        ("principal-council", "NEW", "Newcastle City Council", "North East", "NECA"),
        ("combined-authority", "NECA", "North East Combined Authority", "North East", ""),
        ("police-force", "wales-dyfed", "Dyfed-Powys Police", "Wales", ""),
        ("central-government", "home-office", "Home Office", "", ""),
    ],
    columns=["register", "code", "name", "region", "combined_authority"],
)
MATCHES = pd.DataFrame(
    {
        "customer_key": ["urn:1", "urn:2", "urn:3", "urn:4", "urn:5", "urn:6"],
        "register": ["principal-council", "principal-council", "combined-authority",
                     "police-force", "central-government", "principal-council"],
        "code": ["MAN", "CHE", "GMCA", "wales-dyfed", "home-office", "NEW"],
    }
)  # fmt: skip


@pytest.mark.parametrize(
    ("text", "kind", "found"),
    [
        pytest.param("North West", None, Area("region", "North West", "North West"), id="region"),
        pytest.param("north-west", None, Area("region", "North West", "North West"), id="slug"),
        pytest.param("WALES", None, Area("region", "Wales", "Wales"), id="nation in capitals"),
        pytest.param("gmca", None, Area("combined_authority", "GMCA",
                                        "Greater Manchester Combined Authority"), id="code"),
        pytest.param("Greater Manchester Combined Authority", "combined_authority",
                     Area("combined_authority", "GMCA", "Greater Manchester Combined Authority"),
                     id="name"),
        pytest.param("North East", None, Area("region", "North East", "North East"),
                     id="a region is not the combined authority named after it"),
        pytest.param("north-east-combined-authority", None,
                     Area("combined_authority", "NECA", "North East Combined Authority"),
                     id="and the other way round"),
        pytest.param("GMCA", "region", None, id="not of the kind asked"),
        pytest.param("Atlantis", None, None, id="nothing"),
        pytest.param("  ", None, None, id="blank"),
    ],
)  # fmt: skip
def test_an_area_is_found_by_name_code_or_slug(text, kind, found):
    assert find_area(BODIES, text, kind) == found


def test_a_combined_authority_holds_its_constituent_councils_not_itself():
    mask = in_areas(BODIES, BODIES, "combined_authority", ["Greater Manchester Combined Authority"])
    assert BODIES.loc[mask, "code"].tolist() == ["MAN", "SLF"]
    assert area_codes(BODIES, "combined_authority", ["GMCA", "North East Combined Authority"]) == {
        "GMCA", "NECA"}  # fmt: skip
    region = BODIES.loc[in_areas(BODIES, BODIES, "region", ["North West"]), "code"]
    assert region.tolist() == ["MAN", "SLF", "CHE", "GMCA"]


def test_each_matched_buyer_is_placed_in_the_areas_of_its_register_body():
    places = buyer_places(MATCHES, BODIES).set_index("customer_key")
    assert places.loc["urn:1"].tolist() == ["North West", "GMCA",
                                            "Greater Manchester Combined Authority"]  # fmt: skip
    assert places.loc["urn:2"].tolist() == ["North West", "", ""]  # no combined authority
    assert places.loc["urn:4"].tolist() == ["Wales", "", ""]
    assert places.loc["urn:5"].tolist() == ["", "", ""]  # central government: in no area
    gm = Area("combined_authority", "GMCA", "Greater Manchester Combined Authority")
    assert area_buyers(MATCHES, BODIES, gm) == ["urn:1"]
    assert area_buyers(MATCHES, BODIES, Area("region", "North West", "North West")) == [
        "urn:1", "urn:2", "urn:3"]  # fmt: skip
    assert area_buyers(MATCHES, BODIES, Area("region", "Scotland", "Scotland")) == []
