"""What a user meets around the numbers: honest links, 404s, downloads of every view, and
whether the figures are real or the synthetic sample."""

from __future__ import annotations

import base64
import io
import json

import pandas as pd
import pytest

import loaders
from dashboard.analytics.held_periods import years_held
from dashboard.analytics.store import Store
from dashboard.app import create_app
from dashboard.callbacks import download, nav_hrefs, render_page
from dashboard.pages import registry
from dashboard.ui import ids
from dashboard.ui.formatting import format_count, format_money
from dashboard.ui.frame import about_text, footer
from tests.builders import rows_2014, write_csv
from tests.dashboard.test_callbacks import find


def table_in(component):
    """The first data table (GovukTable) in a component tree."""
    if hasattr(component, "rows_json"):
        return component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if child is not None and not isinstance(child, str):
            found = table_in(child)
            if found is not None:
                return found
    return None


@pytest.fixture(scope="module")
def store(sample_store) -> Store:
    return Store(sample_store)


@pytest.fixture(scope="module")
def real_store(tmp_path_factory) -> Store:
    """A store of files that are not the bundled sample."""
    folder = tmp_path_factory.mktemp("real")
    release = write_csv(
        folder / "G-Cloud-Spend-2014-07.csv",
        rows_2014((3, "Acme", "Home Office", "2014-05-01", "100.10", "Central Government", "SME")),
    )
    return Store(loaders.write_store(loaders.load(release), folder / "store"))


@pytest.mark.slow
def test_unknown_paths_answer_404_and_pages_200(sample_store):
    client = create_app(sample_store).server.test_client()
    assert client.get("/nope").status_code == 404
    assert client.get("/department/extra").status_code == 404
    for page in registry.PAGES:
        assert client.get(page.path).status_code == 200
    assert client.get("/_dash-layout").status_code == 200


def test_header_links_keep_the_filters_but_not_a_pages_own(store):
    nav = registry.nav()
    hrefs = nav_hrefs(store, "/department", "?fy=2019-20&name=home-office&sme=SME", nav)
    # a page whose data hold no 2019-20 (the sample's bids: 2025) is linked without the year
    held = {p.path: "2019-20" in years_held(store, p.kinds) for p in registry.PAGES}
    assert not held["/sme-bids"]
    assert hrefs[:-1] == [f"{path}?fy=2019-20&sme=SME" if held[path] else f"{path}?sme=SME"
                          for path, _ in nav]  # fmt: skip
    assert hrefs[-1] == "/department"  # clear all filters: this page, no filters
    supplier = store.bodies.loc[store.bodies["kind"] == "supplier", "name"].iloc[0]
    hrefs = nav_hrefs(store, "/suppliers", f"?supplier={supplier}&sme=bogus", nav)
    assert hrefs[0] == "/"  # the supplier is the profile's own; a bad value is not carried


@pytest.mark.slow
def test_a_link_with_values_that_cannot_apply_says_which(store):
    page, _ = render_page(store, "/", "?fy=2019-20&sme=foo&from=banana")
    notice = find(page, ids.URL_NOTICE).children
    assert notice.startswith("Ignored: ")
    assert "sme=foo (not a supplier size: SME or Large)" in notice
    assert "from=banana (not a month (YYYY-MM))" in notice
    page, _ = render_page(store, "/", "?fy=2019-20")
    assert find(page, ids.URL_NOTICE) is None


def test_a_supplier_that_does_not_exist_is_said_so(store):
    page, _ = render_page(store, "/suppliers", "?supplier=Nobody+At+All+Ltd")
    assert (
        "supplier=Nobody At All Ltd (not a supplier in the data)"
        in find(page, ids.URL_NOTICE).children
    )


SEARCHES = ["", "?fy=2019-20&buyer_group=non-whitehall", "?name=ministry-of-justice&fy=2019-20",
            "?fy=2099-00"]  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize("search", SEARCHES)
@pytest.mark.parametrize("view_id", sorted(registry.VIEWS))
def test_every_view_downloads_as_csv_and_excel(store, view_id, search):
    if view_id.startswith("supplier-"):
        name = store.bodies.loc[store.bodies["kind"] == "supplier", "name"].iloc[0]
        search = f"{search}&supplier={name}" if search else f"?supplier={name}"
    csv = base64.b64decode(download(store, view_id, "csv", search)["content"])
    excel = download(store, view_id, "xlsx", search)
    sheets = pd.read_excel(
        io.BytesIO(base64.b64decode(excel["content"])), sheet_name=None, engine="calamine"
    )
    assert "About" in sheets
    if csv.strip(b"\xef\xbb\xbf\r\n"):  # a view with nothing to show may have no columns
        table = pd.read_csv(io.BytesIO(csv), encoding="utf-8-sig")
        first = next(iter(sheets.values()))
        assert list(first.columns) == list(table.columns) and len(first) == len(table)


def test_downloaded_money_is_rounded_to_the_penny_and_still_reconciles(store):
    payload = download(store, "spend-by-period", "csv", "?fy=2016-17")
    text = base64.b64decode(payload["content"]).decode("utf-8-sig")
    table = pd.read_csv(io.StringIO(text))
    for value in text.splitlines()[1].split(",")[1:]:
        assert len(value.partition(".")[2]) <= 2
    groups = [c for c in table.columns if c.endswith("(£)") and c != "Total (£)"]
    assert (table[groups].sum(axis=1) - table["Total (£)"]).abs().max() < 0.011


@pytest.mark.slow
def test_the_sample_says_it_is_synthetic_and_claims_no_licence(store, real_store):
    assert store.synthetic and not real_store.synthetic
    assert about_text(store).startswith("SYNTHETIC SAMPLE DATA")
    assert "Open Government Licence" not in str(footer(store))
    assert "Open Government Licence" in str(footer(real_store))
    assert about_text(real_store).startswith("Management information")
    excel = download(store, "spend-by-sector", "xlsx", "")
    about = pd.read_excel(
        io.BytesIO(base64.b64decode(excel["content"])), sheet_name="About", engine="calamine"
    )
    text = " ".join(about.iloc[:, 0].astype(str))
    assert "SYNTHETIC SAMPLE DATA" in text and "Open Government Licence" not in text


@pytest.mark.slow
def test_a_buyer_page_through_its_url_and_names_that_link(store):
    page, _ = render_page(store, "/buyer", "?name=Leeds+City+Council&fy=2019-20")
    assert page[0].children == "Leeds City Council"
    rows = store.spend[(store.spend["customer"] == "Leeds City Council")
                       & (store.spend["financial_year"] == "2019-20")]  # fmt: skip
    assert find(page, "buyer-total-spend").children == format_money(rows["spend_gbp"].sum())
    assert find(page, "buyer-suppliers").children == format_count(rows["supplier_key"].nunique())
    everything = store.spend[store.spend["customer"] == "Leeds City Council"]
    assert find(page, "buyer-first-purchase").children == everything["month"].min().strftime(
        "%Y-%m"
    )
    assert " of " in find(page, "buyer-peers").children
    cells = json.loads(table_in(find(page, "section-buyer-suppliers")).rows_json)
    assert cells[0][0][1].startswith("/suppliers?fy=2019-20&supplier=")  # a link, filters kept


def test_a_misspelt_buyer_offers_the_closest_bodies(store):
    page, _ = render_page(store, "/buyer", "?name=Leeds+Citty+Council")
    offered = find(page, ids.DID_YOU_MEAN)
    assert "No buyer matches “Leeds Citty Council”" in str(offered)
    assert "/buyer?name=Leeds%20City%20Council" in str(offered)


def test_a_misspelt_filter_name_offers_the_closest_bodies(store):
    page, _ = render_page(store, "/", "?customer=Hom+Ofice")
    offered = str(find(page, ids.DID_YOU_MEAN))
    assert "Home Office" in offered and "/?customer=Home%20Office" in offered


def test_a_misspelt_department_offers_the_closest(store):
    page, _ = render_page(store, "/department", "?name=ministry-of-justise")
    assert page[0].children == "Departments"
    assert "Ministry of Justice" in str(find(page, ids.DID_YOU_MEAN))


def test_adoption_lists_the_bodies_that_could_buy_and_have_not(store):
    page, _ = render_page(store, "/adoption", "?fy=2019-20")
    assert find(page, "section-not-yet-buying") is not None


def test_data_quality_says_what_the_latest_update_changed(sample_store, tmp_path):
    import shutil

    copy = tmp_path / "store"
    shutil.copytree(sample_store, copy)
    changes = {
        "generated_at": "2026-11-30T02:00:00+00:00", "revision_threshold_gbp": 1000.0,
        "files_added": [{"file": "new.xlsx", "layout": "x", "release": "2025-10", "sha256": "0"}],
        "files_removed": [], "months_added": [], "months_removed": [],
        "months_revised": [{"framework": "G-Cloud", "month": "2025-08", "before_gbp": 100.0,
                            "after_gbp": 2100.0, "change_gbp": 2000.0}],
        "months_revised_below_threshold": 0,
        "new_buyers": {"count": 1, "bodies": [{"key": "k", "name": "Somewhere Council"}]},
        "new_suppliers": {"count": 0, "bodies": []}, "new_layouts": [], "notices_added": 0,
        "total_before_gbp": 0.0, "total_after_gbp": 0.0,
    }  # fmt: skip
    (copy / "changes.json").write_text(json.dumps(changes), encoding="utf-8")
    page, _ = render_page(Store(copy), "/data-quality", "")
    text = str(page)
    assert "What changed in the latest update" in text and "Somewhere Council" in text
    assert json.loads(table_in(find(page, "section-latest-changes")).rows_json)[0][:2] == [
        "G-Cloud", "2025-08"
    ]  # fmt: skip


def test_the_revisions_triangle_gives_each_months_total_in_each_release(store):
    from dashboard.analytics import quality

    triangle = quality.revisions_triangle(store)
    months = store.release_months
    row = triangle.iloc[len(triangle) // 2]
    for column in (c for c in triangle.columns if c.startswith("in_")):
        release = column.removeprefix("in_").removesuffix("_gbp")
        published = months[(months["release"].astype(str) == release)
                           & (months["framework"] == row["framework"])
                           & (months["month"].dt.strftime("%Y-%m") == row["month"])]  # fmt: skip
        expected = published["total_gbp"].sum() if len(published) else None
        assert (pd.isna(row[column]) and expected is None) or row[column] == pytest.approx(expected)
    assert set(triangle.loc[triangle["provisional"] == "Yes", "month"]) == set(
        store.provisional_months()
    )
