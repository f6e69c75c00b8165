"""A minister's brief (issue 25, feature 8): the figures against plain pandas on the spend
rows, the headline in words, and the command that prints it."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

import loaders
from dashboard import brief_pdf
from dashboard.analytics import brief_subjects  # noqa: F401 - registers the kinds
from dashboard.analytics.brief import BRIEF_KINDS, brief, default_year, headline
from dashboard.analytics.store import Store
from dashboard.callbacks import page_frame, render_page
from dashboard.pages.brief import BRIEF_HEADLINE
from tests.builders import rows_2014, write_csv
from tests.dashboard.test_callbacks import find


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Store:
    """Home Office spend in 2012-13, 2013-14 and April-June 2014 (a part year), against
    central government (the Cabinet Office too) and a council."""
    folder = tmp_path_factory.mktemp("brief")
    write_csv(folder / "G-Cloud-Spend-2014-07.csv", rows_2014(
        (1, "Acme", "Home Office", "2012-05-01", "1000", "Central Government", "SME"),
        (2, "Acme", "Home Office", "2013-05-01", "1500", "Central Government", "SME"),
        (3, "BIGCO LTD", "Home Office", "2013-06-01", "500", "Central Government", "Large"),
        (4, "Big", "Cabinet Office", "2013-06-01", "2000", "Central Government", "Large"),
        (5, "Acme", "Home Office", "2014-05-01", "800", "Central Government", "SME"),
        (6, "Acme", "Home Office", "2013-04-01", "200", "Central Government", "SME"),
        (7, "Acme", "Leeds City Council", "2014-06-01", "300", "Local Government", "SME"),
    ))  # fmt: skip
    return Store(loaders.write_store(loaders.load([folder]), folder / "store"))


def test_the_kinds_with_a_brief():
    assert {"department", "buyer"} <= set(BRIEF_KINDS)


def test_a_department_brief_of_a_whole_year(store):
    spend = store.spend
    assert default_year(store) == "2013-14"  # 2014-15 holds April to June only
    figures = brief(store, "department", "home-office")
    year = spend[spend["financial_year"].eq("2013-14")]
    home = year[year["customer"].eq("Home Office")]
    assert figures.spend_gbp == pytest.approx(home["spend_gbp"].sum()) == 2200
    assert figures.previous_gbp == 1000 and figures.change_pct == pytest.approx(120)
    assert figures.sme_share == pytest.approx(100 * 1700 / 2200)
    assert figures.compare_share == pytest.approx(100 * 1700 / 4200)
    assert headline(figures) == ("£2k through the frameworks in 2013-14, up 120% on 2012-13; "
                                 "77% to SMEs, against 40% across central government.")  # fmt: skip
    assert figures.suppliers["supplier"].tolist() == ["Acme", "Bigco Ltd"]  # as people write it
    assert figures.by_year["months"].tolist() == ["May–Mar", ""]  # the data start in May 2012
    assert figures.target is not None and figures.target.words == "25% by 2015"  # by March 2014


def test_a_part_year_is_compared_with_the_same_months_a_year_earlier(store):
    figures = brief(store, "department", "Home Office", "2014-15")
    assert (figures.spend_gbp, figures.previous_gbp) == (800, 2200)  # April to June 2013
    assert headline(figures).startswith(
        "£800 through the frameworks in 2014-15 (Apr–Jun only, the months the data hold), "
        "down 64% on the same months of 2013-14")  # fmt: skip


def test_a_buyer_is_compared_with_its_buyer_group_and_a_first_year_says_so(store):
    figures = brief(store, "buyer", "Leeds City Council", "2014-15")
    assert figures.compare_label == "non-Whitehall buyers"
    first = brief(store, "department", "home-office", "2012-13")
    assert "the first year the data hold" in headline(first)
    assert brief(store, "department", "Ministry of Magic") is None


def test_the_brief_page(store):
    page, columns = render_page(store, "/department/brief", "?name=home-office&fy=2013-14")
    assert find(page, BRIEF_HEADLINE).children.startswith("£2k through the frameworks")
    assert "app-columns--no-filters" in columns
    assert page_frame(store, "/department/brief", "?name=home-office")[0]["title"] == (
        "Home Office – Department brief")  # fmt: skip
    text = str(page)
    for said in ("Data as at June 2014", "not all the spend of Home Office",
                 "counted as it is organised today", "supply chains"):  # fmt: skip
        assert said in text
    unknown, _ = render_page(store, "/department/brief", "?name=nowhere")
    assert "No department matches" in str(unknown)
    department, _ = render_page(store, "/department", "?name=home-office&fy=2013-14")
    link = find(department, "print-brief")
    assert link.href == "/department/brief?fy=2013-14&name=Home%20Office"


def test_the_print_command_runs_chromium_without_its_sandbox_as_root(tmp_path):
    command = brief_pdf.chromium_command("http://127.0.0.1:1/x", tmp_path / "b.pdf",
                                         "chromium", as_root=True)  # fmt: skip
    assert "--no-sandbox" in command and "--no-pdf-header-footer" in command
    assert "--no-sandbox" not in brief_pdf.chromium_command("u", tmp_path / "b.pdf", "c", False)
    assert brief_pdf.brief_path("buyer", "Leeds City Council", "2013-14") == (
        "/buyer/brief?name=Leeds+City+Council&fy=2013-14")  # fmt: skip


@pytest.mark.parametrize(
    ("args", "said"),
    [
        pytest.param(["--store", "{missing}", "--buyer", "x"], "is not a store", id="no store"),
        pytest.param(["--store", "{store}", "--department", "Ministry of Magic"],
                     "no department matches 'Ministry of Magic'", id="no such department"),
        pytest.param(["--store", "{store}", "--department", "home-office", "--chromium",
                      "no-such-browser"], "no Chromium found", id="no chromium"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_and_exit_2(store, tmp_path, capsys, args, said):
    args = [a.format(store=store.store_dir, missing=tmp_path / "none") for a in args]
    assert brief_pdf.main([*args, "--out", str(tmp_path / "b.pdf")]) == 2
    error = capsys.readouterr().err
    assert error.startswith("error: ") and said in error and error.count("\n") == 1


def test_spend_by_year_agrees_with_the_rows(store):
    figures = brief(store, "department", "home-office", "2013-14")
    rows = store.spend[store.spend["customer"].eq("Home Office")]
    expected = rows.groupby("financial_year")["spend_gbp"].sum()
    shown = figures.by_year.set_index("financial_year")["spend_gbp"]
    assert shown.tolist() == expected.loc[list(shown.index)].tolist() == [1000, 2200]


@pytest.mark.parametrize(
    ("before", "now", "said"),
    [
        (1_082_000, 21_770_000, "about 20 times 2012-13"),  # the Home Office, 2013-14 (real)
        (1_000, 3_400, "about 3.4 times 2012-13"),
        (1_000, 3_000, "about 3 times 2012-13"),
        (1_000, 2_990, "up 199% on 2012-13"),
        (1_000, 100, "down 90% on 2012-13"),
    ],
)
def test_a_large_rise_is_said_in_times(before, now, said):
    from dashboard.analytics.brief import _change

    figures = SimpleNamespace(previous_held=True, previous_label="2012-13",
                              change_pct=100 * (now - before) / before)  # fmt: skip
    assert _change(figures) == said
