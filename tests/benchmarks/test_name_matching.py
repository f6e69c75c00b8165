"""The name-matching benchmark: its labelled set is well formed everywhere; on the real data
(skipped when absent) buyer typos, brackets, descriptors and acronyms resolve in at least
90% of pairs, renames resolve to one body, and no pair is wrongly merged."""

from __future__ import annotations

import pytest

from benchmarks.customer_matching import RELEASE, URN_LIST
from benchmarks.name_matching import (
    buyer_outcome,
    core_share,
    read_pairs,
    resolve_buyers,
    resolve_supplier_pairs,
)
from loaders.bodies.customer_list import read_customer_list
from loaders.core.vocabulary import load_vocabulary

KINDS = {"typo", "brackets", "descriptor", "acronym", "semantic", "renamed", "parent",
         "special_character", "legal_suffix", "trading_name", "negative"}  # fmt: skip
SOURCES = {"dos", "cf", "gc14", "cl18", "oreg", "govuk", "register", "dos+gc14",
           "urn16:Name Changes", "urn16:Merges"}  # fmt: skip


def test_the_labelled_set_is_well_formed():
    pairs = read_pairs()
    assert set(pairs["side"]) == {"buyer", "supplier"}
    assert set(pairs["kind"]) <= KINDS and set(pairs["source"]) <= SOURCES
    buyers = pairs[pairs["side"].eq("buyer")]
    for kind, group in buyers.groupby("kind"):
        assert len(group) >= 15, kind  # enough pairs of each kind to measure
    expected = buyers["expected"]
    assert (expected.eq("none") | expected.str.match(r"^(not:)?urn:\d+(\|urn:\d+)*$")).all()
    suppliers = pairs[pairs["side"].eq("supplier")]
    assert suppliers["expected"].str.match(r"^(same|apart):.+").all()


@pytest.mark.parametrize(
    ("expected", "urn", "outcome"),
    [
        pytest.param("urn:1|urn:2", 2, "matched", id="either-urn-of-one-body"),
        pytest.param("urn:1", None, "missed", id="unresolved"),
        pytest.param("urn:1", 3, "wrongly merged", id="another-body"),
        pytest.param("none", None, "matched", id="kept-apart"),
        pytest.param("none", 3, "wrongly merged", id="any-urn-is-wrong"),
        pytest.param("not:urn:3", 4, "matched", id="not-the-decoy"),
        pytest.param("not:urn:3", 3, "wrongly merged", id="the-decoy"),
    ],
)
def test_outcomes(expected, urn, outcome):
    assert buyer_outcome(expected, urn) == outcome


@pytest.mark.real_data
@pytest.mark.skipif(not URN_LIST.is_file(), reason="../shared/real-data is absent")
def test_on_the_real_list_names_resolve_and_nothing_merges_wrongly():
    vocab = load_vocabulary()
    customers = read_customer_list(URN_LIST, vocab)
    pairs = read_pairs()
    buyers = resolve_buyers(pairs[pairs["side"].eq("buyer")], customers, vocab)
    suppliers = resolve_supplier_pairs(pairs[pairs["side"].eq("supplier")], vocab, [])
    assert not buyers["outcome"].eq("wrongly merged").any()
    assert not suppliers["outcome"].eq("wrongly merged").any()
    assert core_share(buyers) >= 90.0
    renamed = buyers[buyers["kind"].eq("renamed")]
    assert renamed["outcome"].eq("matched").all()
    assert RELEASE.is_file()
