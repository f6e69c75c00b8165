"""Matching customer-list bodies and buyers to register bodies: by name, name forms, former
names, published spellings and guarded near names; ambiguous names match nothing."""

from __future__ import annotations

import pandas as pd
import pytest

from loaders.bodies.registers.build import build_registers, write_registers
from loaders.bodies.registers.matching import match_buyers, match_customer_list, match_summary
from loaders.bodies.registers.names import ambiguous_keys, name_index
from loaders.bodies.registers.table import read_register_bodies
from loaders.core.vocabulary import load_vocabulary
from tests.loaders.registers.builders import register_folder

LIST = [
    (1, "Kent County Council", "KEN", "list name = register name"),
    (2, "Kent CC", "KEN", "list name = name form"),
    (3, "Kent Police Authority", "kent", "list name = name form"),
    (4, "Police and Crime Commissioner for Kent", "kent", "list name = name form"),
    (5, "Kent Fire and Rescue Service", "023", "list name = register name"),
    (6, "Kent County Council Libraries", None, None),
    (7, "Kent", None, None),
    (8, "East Kent Hospitals University NHS Foundation Trust", "RVV", "list name = register name"),
    (9, "East Kent Hospitals University NHS Trust", "RVV", "list name = name form"),
    (10, "Dorset Council", "DST", "list name = register name"),
    (11, "Dorset County Council", "DOR", "list name = register name"),
    (12, "City of Manchester Council", "MAN", "list name = name form"),
    (13, "West Dorset County Council", None, None),
    (14, "Highways England", "highways-agency", "former list name = register name"),
    (15, "County Hall Council", None, None),
    (16, "East Kent Hospital University NHS Foundation Trust", "RVV",
     "list name ~ register name (fuzzy, score 99)"),
    (17, "Manchester City Council", "MAN", "list name = register name"),
]  # fmt: skip


@pytest.fixture(scope="module")
def registers(tmp_path_factory):
    folder = register_folder(
        tmp_path_factory.mktemp("registers"),
        aliases=[
            ["principal-council", "KEN", "County Hall Council", "shared by two councils"],
            ["principal-council", "MAN", "County Hall Council", "shared by two councils"],
        ],
    )
    write_registers(build_registers(folder), folder)
    vocab = load_vocabulary()
    bodies = read_register_bodies(folder / "bodies.csv")
    return bodies, name_index(bodies, vocab, folder), vocab


@pytest.fixture(scope="module")
def list_matches(registers):
    bodies, index, vocab = registers
    customers = pd.DataFrame(
        {"urn": [u for u, *_ in LIST], "name": [n for _, n, *_ in LIST], "sector": "Any"}
    )
    former = pd.DataFrame({"urn": [14], "name": ["Highways Agency"]})
    return match_customer_list(customers, former, index, vocab, bodies).set_index("urn")


@pytest.mark.parametrize(("urn", "name", "code", "how"), LIST, ids=[n for _, n, *_ in LIST])
def test_customer_list_bodies(list_matches, urn, name, code, how):
    if code is None:
        assert urn not in list_matches.index
    else:
        assert (list_matches.loc[urn, "code"], list_matches.loc[urn, "how"]) == (code, how)


def test_a_name_shared_by_two_bodies_is_ambiguous_and_listed(registers):
    _, index, _ = registers
    ambiguous = ambiguous_keys(index)
    assert set(ambiguous.loc[ambiguous["key"].eq("county hall council"), "code"]) == {"KEN", "MAN"}


def test_buyers_by_urn_name_and_published_spelling(registers, list_matches):
    bodies, index, vocab = registers
    buyers = pd.DataFrame(
        {
            "customer_key": ["urn:1", "kent police", "kcc", "acme", "urn:999"],
            "customer": ["Kent County Council", "Kent Police", "KCC", "Acme", "Someone"],
        }
    )
    spellings = pd.DataFrame(
        {"customer_key": ["kcc", "kcc"], "published_name": ["KCC", "Kent County Council"]}
    )
    found = match_buyers(buyers, list_matches.reset_index(), index, vocab, spellings)
    found = found.set_index("customer_key")
    assert found.loc["urn:1", ["register", "code", "how"]].tolist() == [
        "principal-council", "KEN", "urn: list name = register name"]  # fmt: skip
    assert found.loc["kent police", "how"] == "buyer name = register name"
    assert found.loc["kcc", ["code", "how"]].tolist() == [
        "KEN",
        "published spelling = register name",
    ]
    assert "acme" not in found.index and "urn:999" not in found.index
    summary = match_summary(found.reset_index())
    assert summary["matches"].sum() == 3


def test_private_sector_enablers_and_test_records_are_never_register_bodies(registers):
    bodies, index, vocab = registers
    customers = pd.DataFrame(
        {
            "urn": [1, 2, 3],
            "name": ["Kent County Council", "Kent Police", "Kent Fire and Rescue Service"],
            "sector": "Any",
            "kind": ["public body", "private sector enabler", "test record"],
        }
    )
    former = pd.DataFrame({"urn": [], "name": []})
    found = match_customer_list(customers, former, index, vocab, bodies)
    assert found["urn"].tolist() == [1]
    buyers = pd.DataFrame({"customer_key": ["urn:2"], "customer": ["Kent Police"]})
    assert match_buyers(buyers, found, index, vocab, not_public=frozenset({2, 3})).empty
