"""The opportunities page on the January 2025 Contracts Finder releases in ../shared/real-data
loaded alone into a store (skipped when absent): the page's figures and tables, through the
app and the notebook API, against the plain-Python count of the loaders' real-data test."""

from __future__ import annotations

import pytest

import loaders
from dashboard.analytics.store import Store
from dashboard.api import view_table
from dashboard.callbacks import render_page
from dashboard.pages import opportunities
from dashboard.ui.formatting import format_count, format_share
from tests.dashboard.test_callbacks import find
from tests.loaders.ocds.test_real_data import JANUARY, _plain_count

pytestmark = [
    pytest.mark.real_data,
    pytest.mark.skipif(
        not JANUARY.is_file(),
        reason="../shared/real-data is absent: real published files are not shipped",
    ),
]
QUERY = "?from=2025-01&to=2025-01"


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Store:
    folder = tmp_path_factory.mktemp("january")
    return Store(loaders.write_store(loaders.load(JANUARY), folder / "store"))


@pytest.fixture(scope="module")
def plain() -> dict:
    return _plain_count()


@pytest.mark.slow
def test_headline_figures_of_january_2025(store, plain):
    page, _ = render_page(store, "/opportunities", QUERY)
    groups = plain["groups"]
    awards = sum(n for n, _ in groups.values())
    value = sum(v for _, v in groups.values())
    expected = {
        opportunities.OPP_NOTICES: format_count(plain["processes"]),  # 94
        opportunities.OPP_SME_SUITABLE: format_share(100 * plain["sme_suitable"] / 94),  # 81.9%
        opportunities.OPP_AWARDS: format_count(awards),  # 57
        opportunities.OPP_AWARDS_SME_COUNT: format_share(100 * groups["SME"][0] / awards),
        opportunities.OPP_AWARDS_SME_VALUE: format_share(100 * groups["SME"][1] / value),
        opportunities.OPP_CALL_OFFS: format_count(plain["call_offs"]),  # 6
        opportunities.OPP_PLANNING: "0.0%",  # 35 tenders, none after a planning notice
        opportunities.OPP_LEAD_TIME: "–",
    }
    for element_id, value_shown in expected.items():
        assert find(page, element_id).children == value_shown, element_id
    assert expected[opportunities.OPP_AWARDS_SME_VALUE] == "51.7%"


def test_chart_tables_through_the_notebook_api(store, plain):
    by_size = view_table(store, "opp-awards-by-size", QUERY, labelled=False)
    assert list(by_size["period"]) == ["2025-01"]
    row = by_size.iloc[0]
    assert (row["awards_sme"], row["awards_large"], row["awards_unknown"]) == (19, 26, 12)
    assert row["awards_mixed"] == 0  # shown, never hidden
    processes = view_table(store, "opp-processes-by-period", QUERY, labelled=False)
    assert processes["processes"].sum() == plain["processes"]
    assert processes["notices"].sum() == plain["releases"]
    call_offs = view_table(store, "opp-call-offs-by-framework", QUERY, labelled=False)
    assert call_offs["processes"].sum() == plain["call_offs"]
