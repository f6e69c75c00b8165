"""``/pipelines`` and ``/sme-bids`` rendered as the app renders them, their numbers checked
against counts made here on the hand-built notices, and reproduced by ``dashboard.api``."""

from __future__ import annotations

from pathlib import Path

import pytest

import loaders
from dashboard.analytics.links import read_link
from dashboard.analytics.store import Store
from dashboard.api import view_table
from dashboard.callbacks import period_options, render_page
from dashboard.pages import opportunities, pipelines, sme_bids
from tests.dashboard.test_callbacks import find
from tests.loaders.ocds.builders import write_json
from tests.loaders.ocds.uk_builders import (
    award,
    buyer,
    cf_planned,
    fts,
    package,
    pipeline_files,
    supplier,
)

DOS = Path(__file__).resolve().parents[4] / "shared" / "real-data" / "dos-opportunities-2018-07"
CASE02 = Path(__file__).resolve().parents[4] / "shared" / "field-cases" / "turn3" / "case02"
LEEDS = buyer("Leeds City Council", "GB-PPON-PLCC-7731-YRKS", "publicAuthoritySubCentralGovernment")


def _bids(folder: Path) -> Path:
    """A Procurement Act award of Leeds: 2 lots, 10 final-stage bids of which 4 from SMEs;
    two awards made (SME £250,000, large £400,000) and one pending (SME)."""
    stats = [{"id": str(i), "measure": m, "value": v, "relatedLot": lot}
             for i, (lot, m, v) in enumerate([("1", "finalStageBids", 6),
                                              ("1", "smeFinalStageBids", 3),
                                              ("2", "finalStageBids", 4),
                                              ("2", "smeFinalStageBids", 1)])]  # fmt: skip
    sup = [supplier("Aire Care Ltd", "s1", "sme"), supplier("Northern plc", "s2", "large")]
    release = fts("990900-2026", "0f0201", ["award"], "2026-09-01T17:02:45+01:00", LEEDS, "UK6",
                  {"title": "Carers"}, parties=sup, bids={"statistics": stats},
                  awards=[award("1", "active", "s1", 250_000), award("2", "active", "s2", 400_000),
                          award("3", "pending", "s1", 90_000)])  # fmt: skip
    return write_json(folder / "bids.json", package([release]))


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Store:
    folder = tmp_path_factory.mktemp("pipelines")
    paths = [*pipeline_files(folder), cf_planned(folder), _bids(folder)]
    return Store(loaders.write_store(loaders.load(paths), folder / "store"))


def _figures(page, ids: list[str]) -> list[str]:
    return [find(page, element_id).children for element_id in ids]


def test_the_headline_figures(store):
    page, _ = render_page(store, "/pipelines", "")
    assert page[0].children == "Pipelines under the Procurement Act 2023"
    ids = [pipelines.PIPE_AUTHORITIES, pipelines.PIPE_PLANNED, pipelines.PIPE_VALUE,
           pipelines.PIPE_LEAD, pipelines.PIPE_TENDERED]  # fmt: skip
    assert _figures(page, ids) == ["3", "5", "£26.0m", "165 days", "40.0%"]


def test_the_authorities_by_26_may_or_late_counted_by_hand(store):
    table = view_table(store, "pipe-publishers", "?fy=2026-27", labelled=False)
    plain = store.stored("pipeline")
    plain = plain[plain["pipeline_kind"].eq("pipeline notice")]
    counts = plain.groupby("customer", observed=True).size().to_dict()
    assert dict(zip(table["customer"], table["planned_procurements"], strict=True)) == counts
    assert dict(zip(table["customer"], table["published"], strict=True)) == {
        "Kent County Council": "Late", "Ministry of Justice": "By 26 May",
        "North Yorkshire Council": "By 26 May"}  # fmt: skip
    moj = table.set_index("customer").loc["Ministry of Justice"]
    assert (moj["value_gbp"], moj["value_gross_gbp"], moj["tendered"]) == (
        16_500_000, 22_800_000, 2)  # fmt: skip


def test_filters_choose_bodies_and_years(store):
    central = view_table(store, "pipe-procurements", "?buyer_group=central", labelled=False)
    assert set(central["customer"]) == {"Ministry of Justice"} and len(central) == 3
    assert view_table(store, "pipe-procurements", "?fy=2025-26", labelled=False).empty
    older = view_table(store, "pipe-older", "?fy=2025-26", labelled=False)
    assert list(older["title"]) == ["Parks", "Libraries"]
    assert list(older["days_to_tender"].fillna(-1)) == [70, -1]


def test_the_years_beside_each_other(store):
    table = view_table(store, "pipe-by-year", "", labelled=False)
    found = {(r.financial_year, r.pipeline_kind, r.platform): r.planned_procurements
             for r in table.itertuples()}  # fmt: skip
    assert found == {("2026-27", "pipeline notice", "Find a Tender"): 5,
                     ("2025-26", "planned procurement", "Contracts Finder"): 2}  # fmt: skip
    labelled = view_table(store, "pipe-by-year", "")
    assert "Pipeline year" in labelled.columns and "Value including VAT (£)" in labelled.columns


def test_departments_with_no_pipeline_notice(store):
    table = view_table(store, "pipe-departments-without", "", labelled=False)
    assert set(table["financial_year"]) == {"2025-26", "2026-27"}
    assert "Ministry of Justice" not in set(table.loc[table["financial_year"].eq("2026-27"),
                                                      "department"])  # fmt: skip
    assert "Ministry of Justice" in set(table.loc[table["financial_year"].eq("2025-26"),
                                                  "department"])  # fmt: skip
    page, _ = render_page(store, "/pipelines", "")
    assert find(page, pipelines.PIPE_DEPARTMENTS).children == str(len(table))


def test_each_page_offers_the_years_of_its_own_data(store):
    def years(path: str) -> list[str]:
        return [o["value"] for o in period_options(store, path)[0]][1:]

    assert years("/pipelines") == ["2026-27", "2025-26"]  # the notices' years
    assert years("/sme-bids") == ["2026-27"]  # the years bid statistics were published
    assert years("/") == []  # no spend loaded
    filters, notices = read_link(store, "?fy=2025-26", sme_bids.PAGE.kinds)
    assert filters.fy == () and "not a financial year with bids or applications" in str(
        notices[0])  # fmt: skip
    assert read_link(store, "?fy=2025-26", pipelines.PAGE.kinds)[0].fy == ("2025-26",)


def test_sme_bids_against_wins_counted_by_hand(store):
    page, _ = render_page(store, "/sme-bids", "")
    assert _figures(page, ["bids-act-sme-share", "bids-act-awards", "bids-act-sme-value"]) == [
        "40.0%",
        "1 / 1 / 0",
        "38.5%",
    ]  # 4 of 10; £250,000 of £650,000; pending left out
    table = view_table(store, "bids-sme-shares", "", labelled=False).iloc[0]
    assert (table["bids"], table["sme_bids"], table["awards"]) == (10, 4, 2)
    by_group = view_table(store, "bids-by-buyer-group", "", labelled=False)
    assert list(by_group["group"]) == ["Non-Whitehall"]


def test_pages_without_their_data_say_what_to_load(tmp_path):
    empty = Store(loaders.write_store(loaders.load(cf_planned(tmp_path)), tmp_path / "s"))
    page, _ = render_page(empty, "/sme-bids", "")
    assert sme_bids.NO_BIDS in str(page)


@pytest.mark.skipif(not DOS.is_dir(), reason="../shared/real-data is absent")
def test_the_real_dos_export_in_the_app_and_the_api(tmp_path):
    store = Store(loaders.write_store(loaders.load(DOS / "opportunity-data.csv"), tmp_path / "s"))
    page, _ = render_page(store, "/sme-bids", "")
    ids = ["bids-dos-sme-share", "bids-dos-awards", "bids-dos-sme-value", "bids-dos-single"]
    assert _figures(page, ids) == ["79.3%", "447 / 159 / 10", "43.5%", "46"]
    assert "£198.8m of £457.1m" in str(page)
    row = view_table(store, "bids-sme-shares", "", labelled=False).iloc[0]
    assert (row["sme_bids"], row["bids"], round(row["sme_bid_share_pct"], 1)) == (
        24_944,
        31_467,
        79.3,
    )
    assert (row["awards_sme"], row["awards_large"], row["awards_unknown"]) == (447, 159, 10)
    assert (round(row["sme_value_gbp"] / 1e6, 1), round(row["awarded_value_gbp"] / 1e6, 1),
            round(row["sme_value_share_pct"], 1), row["single_applicant"]) == (
        198.8, 457.1, 43.5, 46)  # fmt: skip
    by_framework = view_table(store, "bids-by-framework", "", labelled=False)
    assert by_framework["awards"].sum() == 616


@pytest.mark.skipif(not CASE02.is_dir(), reason="../shared/field-cases/turn3 is absent")
def test_field_case_02_in_the_app(tmp_path):
    store = Store(loaders.write_store(loaders.load(CASE02 / "handed"), tmp_path / "s"))
    page, _ = render_page(store, "/opportunities", "")
    assert find(page, opportunities.OPP_AWARDS).children == "1"
    assert find(page, opportunities.OPP_AWARDS_SME_COUNT).children == "100.0%"
    assert find(page, opportunities.OPP_AWARDS_SME_VALUE).children == "100.0%"
    standing = view_table(store, "opp-awards-standing", "", labelled=False).set_index("standing")
    assert (standing.loc["made", "awards_value_gbp"], standing.loc["pending", "awards"]) == (
        100_000, 1)  # fmt: skip
