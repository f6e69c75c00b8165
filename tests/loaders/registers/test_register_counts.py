"""The shipped register table: rebuilt from the publishers' files it equals what is committed,
and the number of bodies existing in each financial year is pinned (sources in
data/reference/registers/SOURCES.md)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from loaders.bodies.registers.build import BODIES_FILE, REGISTERS_DIR, build_registers
from loaders.bodies.registers.table import (
    existing_between,
    read_register_bodies,
    read_register_list,
    register_counts,
)


@pytest.fixture(scope="module")
def bodies() -> pd.DataFrame:
    return read_register_bodies()


def _fy(start: int) -> tuple[dt.date, dt.date]:
    return dt.date(start, 4, 1), dt.date(start + 1, 3, 31)


def _totals(bodies: pd.DataFrame, start: int) -> dict[str, int]:
    alive = bodies[existing_between(bodies, *_fy(start))]
    return alive.groupby("register").size().to_dict()


def test_the_committed_table_is_what_the_build_script_makes():
    built = build_registers()
    committed = pd.read_csv(REGISTERS_DIR / BODIES_FILE, dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(built.astype(object), committed.astype(object))


@pytest.mark.parametrize(
    ("start", "councils"),
    [
        pytest.param(2012, 433, id="2012-13"),
        pytest.param(2014, 433, id="2014-15: 353 England, 22 Wales, 32 Scotland, 26 NI"),
        pytest.param(2015, 418, id="2015-16: Northern Ireland's 26 councils become 11"),
        pytest.param(2019, 408, id="2019-20: Dorset, BCP, Suffolk, Somerset West and Taunton"),
        pytest.param(2020, 404, id="2020-21: Buckinghamshire"),
        pytest.param(2021, 398, id="2021-22: North and West Northamptonshire"),
        pytest.param(2023, 382, id="2023-24: Cumbria, North Yorkshire, Somerset"),
    ],
)
def test_principal_councils_per_financial_year(bodies, start, councils):
    assert _totals(bodies, start)["principal-council"] == councils


def test_principal_councils_of_2014_15_by_type(bodies):
    table = register_counts(bodies, *_fy(2014))
    councils = table[table["register"].eq("principal-council")]
    assert dict(zip(councils["organisation_type"], councils["bodies"], strict=True)) == {
        "County council": 27,
        "District council": 201,
        "Unitary authority": 56,
        "Metropolitan district": 36,
        "London borough": 32,
        "City of London Corporation": 1,
        "Welsh council": 22,
        "Scottish council": 32,
        "Northern Ireland district council": 26,
    }


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        pytest.param(
            2012,
            {
                "police-force": 52,
                "fire-authority": 58,
                "nhs-trust": 247,
                "combined-authority": 2,
                "central-government": 504,
            },
            id="2012-13: eight Scottish forces and services",
        ),  # fmt: skip
        pytest.param(
            2014,
            {
                "police-force": 45,
                "fire-authority": 51,
                "nhs-trust": 244,
                "combined-authority": 6,
                "central-government": 489,
            },
            id="2014-15",
        ),  # fmt: skip
        pytest.param(
            2016,
            {
                "police-force": 45,
                "fire-authority": 50,
                "nhs-trust": 237,
                "combined-authority": 10,
                "central-government": 463,
            },
            id="2016-17: Dorset and Wiltshire combined",
        ),  # fmt: skip
        pytest.param(
            2021,
            {
                "police-force": 45,
                "fire-authority": 49,
                "nhs-trust": 214,
                "combined-authority": 11,
                "central-government": 453,
            },
            id="2021-22: Hampshire and Isle of Wight combined",
        ),  # fmt: skip
    ],
)
def test_other_registers_per_financial_year(bodies, start, expected):
    totals = _totals(bodies, start)
    assert {register: totals[register] for register in expected} == expected


def test_police_forces_are_the_territorial_forces_only(bodies):
    police = bodies[bodies["register"].eq("police-force") & existing_between(bodies, *_fy(2014))]
    by_nation = police.groupby("nation").size().to_dict()
    assert by_nation == {"England": 39, "Wales": 4, "Scotland": 1, "Northern Ireland": 1}
    names = set(police["name"])
    assert "Police Scotland" in names and "Police Service of Northern Ireland" in names
    assert not any("Transport" in n or "Defence" in n or "Nuclear" in n for n in names)


def test_every_register_body_has_a_known_group_and_every_council_a_region(bodies):
    groups = {r.group for r in read_register_list()}
    assert set(bodies["group"]) <= groups
    located = bodies[bodies["register"].isin(["principal-council", "police-force",
                                              "fire-authority"])]  # fmt: skip
    assert located["region"].ne("").all()
    assert located["nation"].ne("").all()


def test_members_of_combined_authorities_are_principal_councils(bodies):
    authorities = set(bodies.loc[bodies["register"].eq("combined-authority"), "code"])
    members = bodies[bodies["combined_authority"].ne("")]
    assert set(members["register"]) == {"principal-council"}
    assert set(members["combined_authority"]) <= authorities
    gmca = members[members["combined_authority"].eq("GMCA")]
    assert len(gmca) == 10
