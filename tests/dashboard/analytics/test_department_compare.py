"""Departments compared (``?compare=``): spend, share of central government, SME share and
suppliers facing the wider public sector per period, pinned on a hand-made frame; the
department's own row marked in the ranking."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.analytics import departments
from dashboard.analytics.filters import parse_query
from dashboard.analytics.store import Store
from loaders.core.vocabulary import load_vocabulary


def test_one_department_by_period_on_a_hand_made_frame():
    lines = pd.DataFrame(
        {
            "month": pd.to_datetime(["2019-04-01", "2019-05-01", "2019-07-01", "2020-04-01"]),
            "spend_gbp": [100.0, 300.0, -50.0, 200.0],
            "sme_status": ["SME", "Large", "SME", "SME"],
            "supplier_key": ["a", "b", "a", "c"],
        }
    )
    central = pd.Series({"2019-20": 1000.0, "2020-21": 400.0})
    vocab = load_vocabulary()
    pairs = pd.DataFrame(
        {
            "month": pd.to_datetime(["2019-06-01", "2020-05-01", "2019-06-01", "2020-06-01"]),
            "supplier_key": ["b", "c", "a", "a"],
            "buyer_group": [vocab.buyer_group("non-whitehall").name] * 2
            + [vocab.buyer_group("central").name] * 2,
        }
    )  # b faces the wider public sector in 2019-20, c in 2020-21; a only sells centrally
    facing = departments._facing_suppliers(pairs, "fy", vocab)
    table = departments._department_by_period(lines, "Home Office", "fy", central, facing)
    first = table.set_index("period").loc["2019-20"]
    assert first["spend_gbp"] == pytest.approx(350.0)
    assert first["share_of_central_pct"] == pytest.approx(35.0)
    assert first["sme_share_value_pct"] == pytest.approx(100 * 50 / 350)
    assert first["non_whitehall_facing_pct"] == pytest.approx(100 * 300 / 400)  # credits out
    second = table.set_index("period").loc["2020-21"]
    assert second[["share_of_central_pct", "non_whitehall_facing_pct"]].tolist() == [50.0, 100.0]


def test_comparison_and_ranking_on_the_sample(sample_store):
    store = Store(sample_store)
    filters = parse_query("?name=ministry-of-justice&compare=Home+Office&period=fy")
    table = departments.comparison(store, filters)
    assert list(dict.fromkeys(table["department"])) == ["Ministry of Justice", "Home Office"]
    assert table["non_whitehall_facing_pct"].between(0, 100).all()
    by_year = store.filtered(parse_query("?period=fy"), "spend")
    assert table["spend_gbp"].sum() < by_year["spend_gbp"].sum()
    ranked = departments.ranking_marked(store, filters).set_index("department")
    assert ranked.loc["Ministry of Justice", "department_is"] == "This department"
    assert ranked.loc["Home Office", "department_is"] == "Compared"
    assert (ranked["department_is"] == "").sum() == len(ranked) - 2
