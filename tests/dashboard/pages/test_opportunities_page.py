"""The opportunities page, the department page's opportunities and the overview's
advertisers, rendered as the app renders them, against counts made here with plain pandas on
the store's notice tables."""

from __future__ import annotations

import pandas as pd
import pytest

import loaders
from dashboard.analytics.store import Store
from dashboard.callbacks import render_page
from dashboard.pages import buyer, department, opportunities, overview
from dashboard.pages.registry import VIEWS, nav
from dashboard.ui.formatting import format_count, format_share
from tests.builders import rows_2014, write_csv
from tests.dashboard.test_callbacks import find

FY_2024_25 = (pd.Timestamp("2024-04-01"), pd.Timestamp("2025-04-01"))


@pytest.fixture(scope="module")
def store(sample_store) -> Store:
    return Store(sample_store)


def _count(store: Store, period: tuple, keep=None) -> dict[str, str]:
    """The headline figures counted directly: processes with a loaded release published in
    the period, their suitability; awards first published in it; tenders first published in
    it and their planning notices."""
    start, end = period
    notices = store.notices if keep is None else store.notices[keep(store.notices)]
    releases = store.ocds_releases
    loaded = releases[(releases["status"] == "loaded") & (releases["date"] >= start)
                      & (releases["date"] < end)]  # fmt: skip
    processes = notices[notices["ocid"].isin(set(loaded["ocid"]))]
    stated = processes["sme_suitable"].dropna()
    awards = store.awards[store.awards["ocid"].isin(set(notices["ocid"]))]
    awards = awards[~awards["status"].isin(["cancelled", "unsuccessful"])
                    & (awards["published"] >= start) & (awards["published"] < end)]  # fmt: skip
    sme = awards[awards["size_group"] == "SME"]
    tendered = notices[(notices["tender_date"] >= start) & (notices["tender_date"] < end)]
    return {
        opportunities.OPP_NOTICES: format_count(len(processes)),
        opportunities.OPP_SME_SUITABLE: format_share(100 * stated.sum() / len(stated)),
        opportunities.OPP_AWARDS: format_count(len(awards)),
        opportunities.OPP_AWARDS_SME_COUNT: format_share(100 * len(sme) / len(awards)),
        opportunities.OPP_AWARDS_SME_VALUE: format_share(
            100 * sme["value_gbp"].sum() / awards["value_gbp"].sum()
        ),
        opportunities.OPP_CALL_OFFS: format_count(int(processes["call_off"].sum())),
        opportunities.OPP_PLANNING: format_share(
            100 * tendered["lead_time_days"].notna().sum() / len(tendered)
        ),
    }


@pytest.mark.parametrize(
    ("query", "keep"),
    [
        pytest.param("?fy=2024-25", None, id="a year"),
        pytest.param("?fy=2024-25&buyer_group=non-whitehall",
                     lambda n: n["buyer_group"] == "Non-Whitehall", id="non-whitehall"),
        pytest.param("?fy=2024-25&sector=Health", lambda n: n["sector"] == "Health",
                     id="a sector"),
    ],
)  # fmt: skip
@pytest.mark.slow
def test_headline_figures_match_a_count_of_the_notice_tables(store, query, keep):
    page, _ = render_page(store, "/opportunities", query)
    for element_id, value in _count(store, FY_2024_25, keep).items():
        assert find(page, element_id).children == value, element_id
    assert find(page, opportunities.OPP_LEAD_TIME).children.endswith("days")


@pytest.mark.slow
def test_the_page_is_in_the_navigation_with_its_views(store):
    assert ("/opportunities", "Opportunities") in nav()
    page, _ = render_page(store, "/opportunities", "")
    assert page[0].children == "Opportunities advertised on Contracts Finder and Find a Tender"
    for view in opportunities.CHARTS:
        assert VIEWS[view.id] is view
        assert find(page, f"section-{view.id}") is not None


def test_spend_only_filters_are_said_not_to_apply(store):
    page, _ = render_page(store, "/opportunities", "?fy=2024-25&framework=G-Cloud&sme=SME")
    assert "framework, sme filters of this link apply to spend only" in str(page)
    plain, _ = render_page(store, "/opportunities", "?fy=2024-25")
    for element_id in opportunities.HEADLINES.values():
        assert find(page, element_id).children == find(plain, element_id).children
    title = VIEWS["opp-top-buyers"].title(store.read_query("?fy=2024-25&sme=SME")[0])
    assert title == "Top advertising buyers: financial year 2024-25"


@pytest.mark.slow
def test_a_department_link_counts_its_bodies_and_an_unknown_one_nothing(store):
    page, _ = render_page(store, "/opportunities", "?fy=2024-25&name=home-office")
    home = _count(store, FY_2024_25, lambda n: n["department"] == "Home Office")
    assert find(page, opportunities.OPP_NOTICES).children == home[opportunities.OPP_NOTICES]
    assert "Home Office with its agencies" in str(page)
    page, _ = render_page(store, "/opportunities", "?name=nowhere")
    assert "No department matches “nowhere”" in str(page)
    assert find(page, opportunities.OPP_NOTICES).children == "0"


@pytest.mark.slow
def test_department_page_has_the_opportunities_of_its_bodies(store):
    page, _ = render_page(store, "/department", "?name=ministry-of-justice&fy=2023-24")
    year = (pd.Timestamp("2023-04-01"), pd.Timestamp("2024-04-01"))
    moj = _count(store, year, lambda n: n["department"] == "Ministry of Justice")
    assert find(page, department.DEPT_OPP["notices"]).children == moj[opportunities.OPP_NOTICES]
    assert moj[opportunities.OPP_NOTICES] != "0"
    assert find(page, department.DEPT_OPP["awards"]).children == moj[opportunities.OPP_AWARDS]
    assert find(page, "section-dept-opportunities") is not None
    # on paper, the figures in one line (a department year prints on four pages)
    printed = [c for c in find(page, "section-dept-opportunities").children
               if "app-print-only" in (getattr(c, "className", "") or "")]  # fmt: skip
    assert f"Processes: {moj[opportunities.OPP_NOTICES]}" in str(printed[0].children)


@pytest.mark.slow
def test_a_department_year_without_notices_says_so(store):
    page, _ = render_page(store, "/department", "?name=ministry-of-justice&fy=2019-20")
    assert find(page, department.DEPT_OPP["notices"]).children == "0"
    assert "No notice or award of these bodies was published in the period." in str(page)


@pytest.mark.parametrize(
    "query", ["?fy=2024-25", "?fy=2024-25&buyer_group=non-whitehall&sector=Health"]
)
@pytest.mark.slow
def test_buyer_page_has_its_own_opportunities_whatever_the_buyer_filters(store, query):
    """A buyer's notices answer the period only: a link carrying buyer filters that leave
    the body out still shows the body's own processes."""
    page, _ = render_page(store, "/buyer", f"?name=Home%20Office&{query[1:]}")
    home_office = _count(store, FY_2024_25, lambda n: n["customer"] == "Home Office")
    assert home_office[opportunities.OPP_NOTICES] != "0"
    for name in ("notices", "awards", "sme_suitable_share", "call_offs"):
        wanted = home_office[{"notices": opportunities.OPP_NOTICES,
                              "awards": opportunities.OPP_AWARDS,
                              "sme_suitable_share": opportunities.OPP_SME_SUITABLE,
                              "call_offs": opportunities.OPP_CALL_OFFS}[name]]  # fmt: skip
        assert find(page, buyer.BUYER_OPP[name]).children == wanted, name
    title = "Buyer's procurement processes with a published notice: financial year 2024-25"
    assert buyer.OPPORTUNITIES.title(buyer_filters(store, query)) == title
    assert title in str(find(page, "section-buyer-opportunities"))
    table, _ = buyer.OPPORTUNITIES.labelled(store, buyer_filters(store, query))
    assert len(table) == int(home_office[opportunities.OPP_NOTICES])


def buyer_filters(store: Store, query: str):
    filters, _ = store.read_query(f"?name=Home%20Office&{query[1:]}")
    return filters


@pytest.mark.slow
def test_a_buyer_without_notices_in_the_year_says_so(store):
    page, _ = render_page(store, "/buyer", "?name=Home%20Office&fy=2019-20")
    assert find(page, buyer.BUYER_OPP["notices"]).children == "0"
    assert "No notice or award of this body was published in the period." in str(page)


@pytest.mark.slow
def test_overview_says_how_many_buyers_in_view_advertised(store):
    page, _ = render_page(store, "/", "?fy=2024-25")
    spend = store.spend
    buyers = set(spend.loc[spend["financial_year"] == "2024-25", "customer_key"].astype(str))
    releases = store.ocds_releases
    loaded = releases[(releases["status"] == "loaded") & releases["date"].between(
        *FY_2024_25, inclusive="left")]  # fmt: skip
    notices = store.notices
    advertising = set(notices.loc[notices["ocid"].isin(set(loaded["ocid"])), "customer_key"])
    assert len(buyers & advertising) > 0
    assert find(page, overview.KPI_ADVERTISERS).children == format_count(len(buyers & advertising))


@pytest.mark.slow
def test_a_store_without_notices_shows_no_opportunity_figures(tmp_path):
    release = write_csv(
        tmp_path / "G-Cloud-Spend-2014-07.csv",
        rows_2014((3, "Acme", "Home Office", "2014-05-01", "100", "Central Government", "SME")),
    )
    store = Store(loaders.write_store(loaders.load([release]), tmp_path / "store"))
    page, _ = render_page(store, "/", "")
    assert find(page, overview.KPI_ADVERTISERS) is None
    page, _ = render_page(store, "/department", "?name=home-office")
    assert find(page, department.DEPT_OPP["notices"]) is None
    page, _ = render_page(store, "/opportunities", "")
    assert find(page, opportunities.OPP_NOTICES) is None
    assert opportunities.NO_NOTICES_LOADED in str(page)


def test_the_call_offs_headline_names_the_largest_frameworks_and_any_tied():
    from dashboard.pages.notice_views import largest_counts

    counts = {"G-Cloud 12": 5, "(not named)": 4, "G-Cloud 14": 4, "G-Cloud 13": 4,
              "DOS 5": 1, "DOS 6": 2}  # fmt: skip
    assert largest_counts(counts) == (
        "G-Cloud 12: 5; (not named): 4; G-Cloud 14: 4; G-Cloud 13: 4; 2 others"
    )
    assert largest_counts({"G-Cloud 12": 2, "DOS 6": 1}) == "G-Cloud 12: 2; DOS 6: 1"
    assert largest_counts({"A": 3, "B": 2, "C": 1, "D": 1}) == "A: 3; B: 2; C: 1; D: 1"
    assert largest_counts({"A": 3, "B": 2, "C": 2, "D": 1}) == "A: 3; B: 2; C: 2; 1 other"
    assert largest_counts({}) == ""
