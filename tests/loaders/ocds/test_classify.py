"""Stages, size groups, call-offs and frameworks named, from the reference rules."""

from __future__ import annotations

import pytest

from loaders.core.vocabulary import load_vocabulary
from loaders.sources.ocds.classify import (
    LARGE,
    MIXED,
    SME,
    UNKNOWN,
    call_off_from,
    frameworks_named,
    furthest_stage,
    load_ocds_vocabulary,
    size_group,
    size_status,
    stages_of_tags,
)

OCDS = load_ocds_vocabulary()
VOCAB = load_vocabulary()


@pytest.mark.parametrize(
    "statuses, group",
    [
        pytest.param([SME], SME, id="one-sme"),
        pytest.param([SME, SME, SME], SME, id="all-sme"),
        pytest.param([LARGE, LARGE], LARGE, id="all-large"),
        pytest.param([SME, LARGE], MIXED, id="mixed"),
        pytest.param([SME, LARGE, UNKNOWN], MIXED, id="mixed-with-an-unknown"),
        pytest.param([UNKNOWN, UNKNOWN], UNKNOWN, id="none-known"),
        pytest.param([], UNKNOWN, id="no-supplier"),
        pytest.param([SME, UNKNOWN], UNKNOWN, id="sme-and-unknown-is-not-sme"),
        pytest.param([LARGE, UNKNOWN], UNKNOWN, id="large-and-unknown-is-not-large"),
    ],
)
def test_size_group(statuses, group):
    assert size_group(statuses) == group


@pytest.mark.parametrize(
    "scale, status",
    [("sme", SME), ("SME", SME), ("micro", SME), ("large", LARGE), (None, UNKNOWN),
     ("", UNKNOWN), ("medium-ish", UNKNOWN), (3, UNKNOWN)],
)  # fmt: skip
def test_size_status_of_a_published_scale(scale, status):
    assert size_status(scale, OCDS) == status


@pytest.mark.parametrize(
    "details, source",
    [
        pytest.param("Call-off from a framework agreement", "framework agreement", id="cf"),
        pytest.param(" call-off from a FRAMEWORK agreement ", "framework agreement", id="case"),
        pytest.param(
            "Call-off from a dynamic purchasing system", "dynamic purchasing system", id="dps"
        ),  # fmt: skip
        pytest.param("Other - Direct Award from a Framework Contract", None, id="free-text"),
        pytest.param("Open procedure (below threshold)", None, id="open"),
        pytest.param(None, None, id="absent"),
    ],
)
def test_call_offs_by_method_details(details, source):
    assert call_off_from(details, OCDS) == source


@pytest.mark.parametrize(
    "texts, mentions, framework, iteration",
    [
        pytest.param(["Call-off", "G-Cloud 14 hosting"], ("G-Cloud 14",), "G-Cloud", "G-Cloud 14",
                     id="g-cloud-name"),  # fmt: skip
        pytest.param([None, "Support", "Awarded under RM1557.13 (G-Cloud 13)"],
                     ("RM1557.13", "G-Cloud 13"), "G-Cloud", "G-Cloud 13", id="number-first"),
        pytest.param(["", "DOS 6 outcome", ""], ("DOS 6",),
                     "Digital Outcomes and Specialists", "DOS 6", id="dos"),
        pytest.param(["", "Technology Products RM6068 and rm 6187", ""],
                     ("RM6068", "RM6187"), None, None, id="numbers-not-in-the-table"),
        pytest.param(["", "Uno, dos 2, tres", ""], (), None, None, id="lower-case-dos"),
        pytest.param(["", "framework agreement", "a framework"], (), None, None, id="bare-word"),
    ],
)  # fmt: skip
def test_frameworks_named(texts, mentions, framework, iteration):
    named = frameworks_named(texts, VOCAB, OCDS)
    assert (named.mentions, named.framework, named.iteration) == (mentions, framework, iteration)


def test_stages_of_tags_and_the_furthest():
    assert stages_of_tags(["tenderAmendment"], OCDS) == {"tender"}
    assert stages_of_tags(["planning", "compiled", "madeUp"], OCDS) == {"planning"}
    assert furthest_stage(["planning", "award", "tender"], OCDS) == "award"
    assert furthest_stage([], OCDS) is None
