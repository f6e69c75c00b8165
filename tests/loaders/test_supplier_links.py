"""Supplier names read as one supplier only where a published name says so."""

from __future__ import annotations

import pandas as pd
import pytest

from loaders.bodies.resolution import resolve_suppliers
from loaders.bodies.resolution.suppliers import linked_suppliers
from loaders.core.vocabulary import load_vocabulary

VOCAB = load_vocabulary()


def _keys(names):
    resolved = resolve_suppliers(pd.Series(names, dtype=object), VOCAB)
    return dict(zip(names, resolved["body_key"], strict=True)), resolved


@pytest.mark.parametrize(
    ("name", "other", "method"),
    [
        pytest.param("Ernst & Young LLP (EY)", "Ernst & Young LLP", "trimmed", id="brackets"),
        pytest.param("Glue Reply (a trading division of Reply Ltd.)", "Reply Ltd", "trimmed",
                     id="division-of"),
        pytest.param("THE DEXTROUS WEB LTD TRADING AS DXW", "dxw", "trimmed", id="trading-as"),
        pytest.param("NINIAN SOLUTIONS LTD T/A HUDDLE", "Huddle", "trimmed", id="t-a"),
        pytest.param("North Highland (formerly Qedis Consulting Ltd)", "Qedis Consulting Ltd",
                     "renamed", id="formerly"),
        pytest.param("6 POINT 6", "6point6 Ltd", "respaced", id="spaces"),
    ],
)  # fmt: skip
def test_a_name_that_says_it_is_another_is_one_supplier(name, other, method):
    keys, resolved = _keys([name, other, "Capgemini UK plc"])
    assert keys[name] == keys[other] != keys["Capgemini UK plc"]
    assert method in set(resolved["method"])


@pytest.mark.parametrize(
    ("name", "other"),
    [
        pytest.param("QA Consulting Services Limited", "PA Consulting Services Ltd",
                     id="one-letter"),
        pytest.param("Talent international UK Limited", "Tangent International Limited",
                     id="similar-words"),
        pytest.param("PA Consulting Services Limited (UK)", "UK Plc",
                     id="two-letters-name-nothing"),
        pytest.param("Engine Partners UK LLP (The Engine Group)", "Engine Partners Group",
                     id="different-words"),
    ],
)  # fmt: skip
def test_similar_names_stay_apart(name, other):
    keys, _ = _keys([name, other])
    assert keys[name] != keys[other]


def test_names_with_no_other_published_name_stay_as_they_are():
    keys, resolved = _keys(["Ernst & Young LLP (EY)"])
    assert list(resolved["method"]) == ["name_key"]


def test_a_linked_supplier_takes_its_most_published_key():
    linked = linked_suppliers(
        ["North Highland UK Ltd", "North Highland (formerly Qedis Consulting Ltd)"],
        {"north highland": 10, "north highland formerly qedis consulting": 1},
        VOCAB,
    )
    assert linked == {"north highland formerly qedis consulting": ("north highland", "trimmed")}
