"""Other readings of a published name, spelling corrections, and the typo-tolerant guard."""

from __future__ import annotations

import pytest

from loaders.bodies.resolution.keys import tokens_agree, tokens_agree_allowing_typos
from loaders.bodies.resolution.readings import (
    bracket_readings,
    descriptor_readings,
    initials,
    inverted_readings,
    looks_like_acronym,
    lost_character_readings,
    read_descriptors,
    read_short_forms,
    segment_readings,
    short_form_readings,
    trailing_acronym_readings,
)
from loaders.bodies.resolution.typos import Speller, corrected

DESCRIPTORS = read_descriptors()
SHORT_FORMS = read_short_forms()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("TfL", True, id="mixed-case"),
        pytest.param("HMRC", True, id="capitals"),
        pytest.param("DE&S", True, id="ampersand"),
        pytest.param("Defra", False, id="one-capital-word"),
        pytest.param("Home Office", False, id="two-words"),
    ],
)
def test_acronyms_are_told_by_how_they_are_written(text, expected):
    assert looks_like_acronym(text) is expected


def test_initials_leave_small_words_out():
    assert initials("Driver and Vehicle Licensing Agency".split()) == "dvla"
    assert initials("Eastern Shires Purchasing Organisation".split()) == "espo"


def _texts(readings):
    return [(r.text, r.method) for r in readings]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param("Transport for London (TfL)",
                     [("Transport for London", "trimmed"), ("TfL", "acronym")], id="acronym-after"),
        pytest.param("Criminal Injuries Compensation Authority (Ministry of Justice)",
                     [("Criminal Injuries Compensation Authority", "trimmed"),
                      ("Ministry of Justice", "part")], id="parent-in-brackets"),
        pytest.param("Acas (Advisory, Conciliation and Arbitration Service)",
                     [("Advisory, Conciliation and Arbitration Service", "trimmed")],
                     id="acronym-before-its-words"),
        pytest.param("(Closed) Competition Commission",
                     [("Competition Commission", "trimmed"), ("Closed", "part")], id="state"),
        pytest.param("Home Office", [], id="no-brackets"),
    ],
)  # fmt: skip
def test_bracket_readings(name, expected):
    assert _texts(bracket_readings(name)) == expected


def test_an_acronym_of_the_words_before_it_carries_them():
    """``GLA`` after ``Greater London Authority`` is that authority's, not the Gangmasters
    Licensing Authority's that GOV.UK abbreviates alike."""
    acronym = bracket_readings("Greater London Authority (GLA) and London Councils")[1]
    assert (acronym.text, acronym.spelt_out) == ("GLA", "Greater London Authority")
    other = bracket_readings("Office of Water Services (Ofwat)")[1]
    assert other.spelt_out == ""


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param("Defence Infrastructure Organisation DIO",
                     ["Defence Infrastructure Organisation", "DIO"], id="initials"),
        pytest.param("Vehicle and Operator Services Agency - VOSA",
                     ["Vehicle and Operator Services Agency", "VOSA"], id="after-a-dash"),
        pytest.param("Ministry of Defence Abbey Wood", [], id="a-place-is-not-an-acronym"),
        pytest.param("NHS Leeds CCG", [], id="not-the-initials"),
    ],
)  # fmt: skip
def test_trailing_acronym_readings(name, expected):
    assert [r.text for r in trailing_acronym_readings(name)] == expected


def test_descriptors_are_dropped_with_the_sector_they_imply():
    readings = descriptor_readings("birmingham city council local authority", DESCRIPTORS)
    dropped = [r for r in readings if r.method == "trimmed"]
    assert [(r.text, set(r.sectors)) for r in dropped] == [
        ("birmingham city council", {"Local Government"})
    ]
    oxford = descriptor_readings("university of oxford hei", DESCRIPTORS)
    assert ("university of oxford", {"Education"}) in [(r.text, set(r.sectors)) for r in oxford]


def test_a_trust_kind_is_added_only_to_a_name_without_one():
    added = [r.text for r in descriptor_readings("east of england ambulance service", DESCRIPTORS)
             if r.method == "added"]  # fmt: skip
    assert "east of england ambulance service nhs trust" in added
    assert all(r.method != "added" for r in descriptor_readings("nhs stockport", DESCRIPTORS))


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        pytest.param("bassetlaw dc", ["bassetlaw district council"], id="one-word"),
        pytest.param("leeds cc", ["leeds city council", "leeds county council"], id="either"),
        pytest.param("kingston hospital nhs foundation trust",
                     ["kingston hospital nhs trust"], id="ending-of-several-words"),
        pytest.param("leeds city council", [], id="nothing-short"),
    ],
)  # fmt: skip
def test_short_form_readings(key, expected):
    readings = short_form_readings(key, SHORT_FORMS)
    assert [r.text for r in readings] == expected
    assert all(r.method == "added" for r in readings)  # looked up exactly, never fuzzily


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param("Consular Directorate, Foreign and Commonwealth Office",
                     ["Consular Directorate", "Foreign and Commonwealth Office"], id="comma"),
        pytest.param("DVLA/DfT", ["DVLA", "DfT"], id="slash"),
        pytest.param("Ambulance Radio Programme c/o Department of Health",
                     ["Ambulance Radio Programme", "Department of Health"], id="care-of"),
        pytest.param("Legal Aid Agency - Executive Agency of Ministry of Justice",
                     ["Legal Aid Agency", "Ministry of Justice"], id="executive-agency-of"),
        pytest.param("Government Digital Service, part of the Cabinet Office",
                     ["Government Digital Service", "Cabinet Office"], id="part-of"),
        pytest.param("Home Office", [], id="one-part"),
    ],
)  # fmt: skip
def test_segment_readings(name, expected):
    assert [r.text for r in segment_readings(name)] == expected


def test_index_style_names_and_lost_characters():
    assert [r.text for r in inverted_readings("Health, Department of")] == ["Department of Health"]
    assert [r.text for r in inverted_readings("Parliamentary Counsel, Office of the")] == [
        "Office of the Parliamentary Counsel"
    ]
    assert inverted_readings("West Berkshire Council, Newbury") == []
    texts = [r.text for r in lost_character_readings("Information Commissioner?s Office")]
    assert "Information Commissioner's Office" in texts
    assert lost_character_readings("Home Office") == []


SPELLER = Speller.of(
    ["home office", "bristol city council", "department of health", "defence agency",
     "defence infrastructure organisation", "goverment digital service",
     "hm government communications centre", "communication skills", "bath city council",
     "bats conservation trust", "baty trust"]
    + ["government office"] * 30
)  # fmt: skip


@pytest.mark.parametrize(
    ("key", "published", "expected"),
    [
        pytest.param("home ofice", "Home Ofice", ["home office"], id="missing-letter"),
        pytest.param("bristl city council", "Bristl City Council", ["bristol city council"],
                     id="distinctive-word"),
        pytest.param("deaprtment of health", "Deaprtment of Health", ["department of health"],
                     id="letters-swapped"),
        pytest.param("goverment digital service", "Goverment Digital Service",
                     ["government digital service"], id="the-registers-own-typo"),
        pytest.param("hm government communication centre", "HM Government Communication Centre",
                     ["hm government communication centre", "hm government communications centre"],
                     id="long-word-other-number"),
        pytest.param("nledp programme", "NLEDP Programme", [], id="an-acronym-is-not-a-typo"),
        pytest.param("kath city council", "Kath City Council", [], id="first-letter-differs"),
        pytest.param("batt city council", "Batt City Council", [],
                     id="three-words-equally-near"),
        pytest.param("home office", "Home Office", [], id="nothing-to-correct"),
    ],
)  # fmt: skip
def test_speller_corrects_only_clear_typos(key, published, expected):
    assert SPELLER.corrections(key, published) == expected


def test_corrections_apply_to_the_published_words():
    fixes = SPELLER.fixes("goverment digital service", "Goverment Digital Service")
    assert corrected("Goverment Digital Service, Cabinet Office", fixes[0]) == (
        "government Digital Service, Cabinet Office"
    )


@pytest.mark.parametrize(
    ("query", "candidate", "agree"),
    [
        pytest.param("department for business energy and industrial strategy",
                     "department for business entergy and industrial strategy", True,
                     id="typo-on-the-registers-side"),
        pytest.param("homes and communities agency", "home and communities agency", True,
                     id="one-letter"),
        pytest.param("highways agency", "loughs agency", False, id="strict-guard-holds"),
        pytest.param("10 downing street", "living streets", False, id="downing-street"),
        pytest.param("leeds city council", "leeds city college", False, id="council-college"),
        pytest.param("bath city council", "bats city council", False, id="short-words-exact"),
    ],
)  # fmt: skip
def test_tokens_agree_allowing_typos(query, candidate, agree):
    assert tokens_agree_allowing_typos(query, candidate) is agree
    if not agree:
        assert not tokens_agree(query, candidate)
