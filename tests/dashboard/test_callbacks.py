"""Callbacks called as plain functions on the sample store."""

from __future__ import annotations

import base64
import io

import pandas as pd
import pytest

from dashboard.analytics.filters import parse_query
from dashboard.analytics.store import Store
from dashboard.callbacks import download, render_page, sync_filters
from dashboard.pages import adoption, department, overview, suppliers
from dashboard.pages.registry import VIEWS
from dashboard.ui import ids
from dashboard.ui.formatting import format_count, format_money, format_share

NO_CONTROLS = dict.fromkeys(ids.FILTER_CONTROLS)


def find(component, element_id):
    """The component with ``element_id`` in a Dash component tree, or None."""
    if getattr(component, "id", None) == element_id:
        return component
    children = getattr(component, "children", None)
    if isinstance(component, (list, tuple)):
        children = component
    if isinstance(children, (list, tuple)):
        for child in children:
            found = find(child, element_id)
            if found is not None:
                return found
    elif children is not None and not isinstance(children, str):
        return find(children, element_id)
    return None


@pytest.fixture(scope="module")
def data(sample_store) -> Store:
    return Store(sample_store)


@pytest.mark.slow
def test_overview_headlines_match_an_independent_calculation(data):
    page, style = render_page(data, "/", "?fy=2016-17&buyer_group=non-whitehall")
    spend = data.spend
    rows = spend[(spend["financial_year"] == "2016-17") & (spend["buyer_group"] == "Non-Whitehall")]
    total = rows["spend_gbp"].sum()
    sme = rows["sme_status"] == "SME"
    assert style == "app-columns"
    assert find(page, overview.KPI_TOTAL).children == format_money(total)
    # the group's share of every group's spend in the year, not of itself (100%)
    every = spend.loc[spend["financial_year"] == "2016-17", "spend_gbp"].sum()
    assert find(page, overview.KPI_NON_WHITEHALL).children == format_share(100 * total / every)
    assert find(page, overview.KPI_CENTRAL) is None
    assert find(page, overview.KPI_SME_VALUE).children == format_share(
        100 * rows.loc[sme, "spend_gbp"].sum() / total
    )
    assert find(page, overview.KPI_SME_VOLUME).children == format_share(100 * sme.mean())
    assert find(page, overview.KPI_BUYERS).children == format_count(rows["customer_key"].nunique())
    assert find(page, overview.KPI_AS_AT).children == spend["month"].max().strftime("%b %Y")


def test_data_quality_page_hides_the_filters(data):
    page, style = render_page(data, "/data-quality", "")
    assert style == "app-columns app-columns--no-filters"
    assert "reconciles" in find(page, "quality-summary").children


def test_unknown_path_is_a_page_not_found(data):
    page, _ = render_page(data, "/nowhere", "")
    assert page[0].children == "Page not found"


def test_url_sets_the_controls_on_load(data):
    out = sync_filters(data, None, "?fy=2013-14&sme=SME&buyer_group=central", NO_CONTROLS)
    values = dict(zip(ids.FILTER_CONTROLS, out[1:], strict=True))
    assert values[ids.FY] == "2013-14"
    assert values[ids.SME] == ["SME"]
    assert values[ids.BUYER_GROUP] == ["Central government"]
    assert values[ids.PERIOD] == "month"


def test_changing_a_control_writes_the_url(data):
    shown = sync_filters(data, None, "?fy=2013-14", NO_CONTROLS)[1:]
    controls = dict(zip(ids.FILTER_CONTROLS, shown, strict=True))
    controls[ids.BUYER_GROUP] = ["Non-Whitehall"]
    out = sync_filters(data, ids.BUYER_GROUP, "?fy=2013-14", controls)
    assert out[0] == "?fy=2013-14&buyer_group=non-whitehall"


def test_downloads_contain_the_numbers_shown(data):
    search = "?fy=2016-17"
    payload = download(data, "spend-by-period", "csv", search)
    # the name cites the sample, the view, the filters and the data-as-at month
    name = "SYNTHETIC-sample_spend-by-period_fy-2016-17_data-as-at-2025-09.csv"
    assert payload["filename"] == name
    table = pd.read_csv(io.BytesIO(base64.b64decode(payload["content"])), encoding="utf-8-sig")
    shown, _ = VIEWS["spend-by-period"].labelled(data, parse_query(search))
    assert list(table.columns) == ["Data", *shown.columns]  # every row says it is synthetic
    assert set(table["Data"]) == {"SYNTHETIC SAMPLE: invented figures, not to be quoted"}
    assert table["Total (£)"].sum() == pytest.approx(shown["Total (£)"].sum())
    spend = data.spend
    assert table["Total (£)"].sum() == pytest.approx(
        spend.loc[spend["financial_year"] == "2016-17", "spend_gbp"].sum()
    )
    excel = download(data, "spend-by-period", "xlsx", search)
    sheet = pd.read_excel(
        io.BytesIO(base64.b64decode(excel["content"])), sheet_name=None, engine="calamine"
    )
    assert sheet["Spend by buyer group"]["Total (£)"].sum() == pytest.approx(
        table["Total (£)"].sum()
    )


def test_row_download_is_capped_and_traceable(data):
    payload = download(data, "rows", "csv", "?supplier=<img src=x onerror=alert(1)>")
    rows = pd.read_csv(io.BytesIO(base64.b64decode(payload["content"])), encoding="utf-8-sig")
    assert set(rows["supplier"]) == {"<img src=x onerror=alert(1)>"}
    assert {"source_file", "source_row", "release"} <= set(rows.columns)


@pytest.mark.slow
def test_adoption_page_headlines_match_an_independent_count(data):
    page, _ = render_page(data, "/adoption", "?fy=2019-20")
    spend = data.spend
    year = spend[spend["financial_year"] == "2019-20"]
    first_fy = spend.groupby("customer_key")["financial_year"].agg(lambda s: min(s.astype(str)))
    new_keys = set(first_fy[first_fy == "2019-20"].index)
    buyers = format_count(year["customer_key"].nunique())
    assert find(page, adoption.ADOPTION_BUYERS).children == buyers
    assert find(page, adoption.ADOPTION_NEW).children == format_count(len(new_keys))


def test_suppliers_page_headlines(data):
    page, _ = render_page(data, "/suppliers", "?fy=2019-20")
    year = data.spend[data.spend["financial_year"] == "2019-20"]
    totals = year.groupby("supplier_key")["spend_gbp"].sum().clip(lower=0)
    top10 = 100 * totals.nlargest(10).sum() / totals.sum()
    shares = 100 * totals / totals.sum()
    assert find(page, suppliers.SUPPLIERS_TOP10).children == format_share(top10)
    assert find(page, suppliers.SUPPLIERS_HHI).children == format_count(round((shares**2).sum()))
    count = format_count(year["supplier_key"].nunique())
    assert find(page, suppliers.SUPPLIERS_COUNT).children == count


def test_supplier_profile_page_for_one_supplier(data):
    key = data.spend.groupby("supplier_key")["spend_gbp"].sum().idxmax()
    rows = data.spend[data.spend["supplier_key"] == key]
    page, _ = render_page(data, "/suppliers", f"?supplier={key}")
    assert page[0].children == rows["supplier"].iloc[0]  # its name
    assert find(page, "section-supplier-buyers") is not None
    assert find(page, suppliers.SUPPLIER_TOTAL).children == format_money(rows["spend_gbp"].sum())
    assert find(page, suppliers.SUPPLIER_BUYERS).children == format_count(
        rows["customer_key"].nunique()
    )
    statuses = set(rows["sme_status"].astype(str)) - {"Unknown"}
    assert find(page, suppliers.SUPPLIER_SME).children in statuses
    assert find(page, suppliers.SUPPLIERS_TOP10) is None  # not market concentration


@pytest.mark.slow
def test_department_page_rolls_up_agencies(data):
    from loaders.bodies import departments
    from loaders.core import normalise

    page, _ = render_page(data, "/department", "?name=ministry-of-justice&fy=2019-20")
    assert page[0].children == "Ministry of Justice"
    assert "HM Prison and Probation Service" in str(find(page, "section-dept-bodies"))
    spend = data.spend[data.spend["financial_year"] == "2019-20"]
    keys = spend["customer"].astype(str).map(lambda n: normalise.customer_key(n, data.vocab))
    owner = departments.department_of(keys, departments.read_departments())
    moj = spend[owner.eq("Ministry of Justice").fillna(False).to_numpy()]
    assert find(page, department.DEPT_TOTAL).children == format_money(moj["spend_gbp"].sum())
    bodies = format_count(moj["customer_key"].nunique())
    assert find(page, department.DEPT_BODIES).children == bodies


@pytest.mark.slow
def test_department_by_name_or_slug_and_unknown_names(data):
    by_name, _ = render_page(data, "/department", "?name=Ministry of Justice")
    by_slug, _ = render_page(data, "/department", "?name=ministry-of-justice")
    total = department.DEPT_TOTAL
    assert find(by_name, total).children == find(by_slug, total).children
    unknown, _ = render_page(data, "/department", "?name=Ministry of Magic")
    assert unknown[0].children == "Departments"


def test_department_rank_among_departments(data):
    from dashboard.analytics.departments import ranking

    page, _ = render_page(data, "/department", "?name=ministry-of-justice")
    table = ranking(data, parse_query(""))
    expected = int(table.loc[table["department"] == "Ministry of Justice", "rank"].iloc[0])
    assert find(page, department.DEPT_RANK).children == format_count(expected)
    assert table["spend_gbp"].is_monotonic_decreasing


@pytest.mark.slow
@pytest.mark.parametrize("path", ["/", "/adoption", "/suppliers", "/department"])
def test_pages_with_no_matching_rows_say_so_rather_than_fail(data, path):
    page, _ = render_page(data, path, "?customer=nobody at all&name=ministry-of-justice")
    assert page[0].children


def test_a_link_with_several_years_keeps_them_when_another_control_changes(data):
    search = "?fy=2016-17,2017-18"
    shown = sync_filters(data, None, search, NO_CONTROLS)[1:]
    controls = dict(zip(ids.FILTER_CONTROLS, shown, strict=True))
    controls[ids.SME] = ["SME"]
    assert sync_filters(data, ids.SME, search, controls)[0] == "?fy=2016-17,2017-18&sme=SME"


def test_the_period_switch_always_shows_what_the_charts_use(data):
    shown = sync_filters(data, None, "", NO_CONTROLS)[1:]
    controls = dict(zip(ids.FILTER_CONTROLS, shown, strict=True))
    assert controls[ids.PERIOD] == "fy"
    controls[ids.FY] = "2019-20"  # picking one year draws the charts by month
    out = sync_filters(data, ids.FY, "", controls)
    assert out[0] == "?fy=2019-20"
    assert out[1 + ids.FILTER_CONTROLS.index(ids.PERIOD)] == "month"
