"""The body -> department table, its GOV.UK refresh, and rolling spend up to departments."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from loaders.bodies.departments import (
    BODY_TYPES,
    COLUMNS,
    DEFAULT_PATH,
    DEPARTMENT_TYPES,
    department_of,
    find_department,
    read_departments,
)
from loaders.bodies.govuk_organisations import departments_from_govuk_json
from loaders.cli import main as cli_main
from loaders.core.errors import LoaderInputError

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "govuk_organisations_sample.json"

# GOV.UK's ministerial departments (gov.uk/government/organisations, 2024-25).
MINISTERIAL_DEPARTMENTS = [
    "Attorney General's Office",
    "Cabinet Office",
    "Department for Business and Trade",
    "Department for Culture, Media & Sport",
    "Department for Education",
    "Department for Energy Security & Net Zero",
    "Department for Environment, Food & Rural Affairs",
    "Department for Science, Innovation & Technology",
    "Department for Transport",
    "Department for Work and Pensions",
    "Department of Health and Social Care",
    "Foreign, Commonwealth & Development Office",
    "HM Treasury",
    "Home Office",
    "Ministry of Defence",
    "Ministry of Housing, Communities & Local Government",
    "Ministry of Justice",
    "Northern Ireland Office",
    "Office of the Advocate General for Scotland",
    "Office of the Leader of the House of Commons",
    "Office of the Leader of the House of Lords",
    "Office of the Secretary of State for Scotland",
    "Office of the Secretary of State for Wales",
    "UK Export Finance",
]
NON_MINISTERIAL_DEPARTMENTS = [
    "The Charity Commission",
    "Competition and Markets Authority",
    "Crown Prosecution Service",
    "Food Standards Agency",
    "Forestry Commission",
    "Government Actuary's Department",
    "Government Legal Department",
    "HM Land Registry",
    "HM Revenue & Customs",
    "NS&I",
    "National Crime Agency",
    "Office of Rail and Road",
    "Ofgem",
    "Ofqual",
    "Ofsted",
    "Serious Fraud Office",
    "Supreme Court of the United Kingdom",
    "UK Statistics Authority",
    "Ofwat",
    "The National Archives",
]


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return read_departments()


# --- the CSV ------------------------------------------------------------------------------


def test_csv_has_the_documented_columns_and_vocabularies(table):
    raw = pd.read_csv(DEFAULT_PATH, dtype=str, keep_default_na=False)
    assert list(raw.columns) == COLUMNS
    assert set(table["body_type"]) <= set(BODY_TYPES)
    assert set(table["status"]) <= {"live", "closed"}
    assert (table["body"] != "").all() and (table["department"] != "").all()
    assert len(table) > 500


def test_every_parent_is_a_live_department_that_is_its_own_parent(table):
    own = table[table["body"] == table["department"]]
    assert set(own["body_type"]) <= set(DEPARTMENT_TYPES)
    assert (own["status"] == "live").all()
    assert set(table["department"]) == set(own["body"])


def test_no_body_has_two_parents(table):
    assert not table["key"].duplicated().any(), table.loc[table["key"].duplicated(), "body"]


def test_one_slug_per_department_and_one_department_per_slug(table):
    pairs = table[["department", "department_slug"]].drop_duplicates()
    assert not pairs["department"].duplicated().any()
    assert not pairs["department_slug"].duplicated().any()
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", s) for s in table["department_slug"])


@pytest.mark.parametrize(
    ("departments", "body_type"),
    [
        pytest.param(MINISTERIAL_DEPARTMENTS, "Ministerial department", id="ministerial"),
        pytest.param(
            NON_MINISTERIAL_DEPARTMENTS, "Non-ministerial department", id="non-ministerial"
        ),
    ],
)
def test_every_current_department_is_present(table, departments, body_type):
    own = table[(table["body"] == table["department"]) & (table["body_type"] == body_type)]
    assert sorted(set(departments) - set(own["body"])) == []
    assert sorted(set(own["body"]) - set(departments)) == []


def test_closed_bodies_and_alternative_names_say_why(table):
    closed = table[table["status"] == "closed"]
    assert (closed["note"] != "").all(), closed.loc[closed["note"] == "", "body"].tolist()
    other_department_rows = table[
        table["body_type"].isin(DEPARTMENT_TYPES) & (table["body"] != table["department"])
    ]
    assert (other_department_rows["note"] != "").all()


@pytest.mark.parametrize(
    ("body", "department"),
    [
        pytest.param("Highways Agency", "Department for Transport", id="highways-agency"),
        pytest.param("National Offender Management Service", "Ministry of Justice", id="noms"),
        pytest.param("Tribunals Service", "Ministry of Justice", id="tribunals-service"),
        pytest.param("Lancashire Probation Trust", "Ministry of Justice", id="probation-trust"),
        pytest.param(
            "Department for Business, Innovation & Skills",
            "Department for Business and Trade",
            id="bis",
        ),
        pytest.param("Valuation Office Agency", "HM Revenue & Customs", id="agency-of-an-nmd"),
        pytest.param(
            "UK Health Security Agency", "Department of Health and Social Care", id="ukhsa"
        ),
        pytest.param("Defence Equipment and Support", "Ministry of Defence", id="des"),
    ],
)
def test_well_known_bodies_are_under_the_right_department(table, body, department):
    assert table.set_index("body").loc[body, "department"] == department


def test_devolved_governments_nhs_trusts_and_councils_are_not_departments(table):
    keys = set(table["key"])
    for outside in ("scottish government", "welsh government", "northern ireland executive"):
        assert outside not in keys
    assert (
        not table["body"]
        .str.contains(r"NHS (?:Foundation )?Trust$|(?:City|County|Borough|District) Council")
        .any()
    )


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        pytest.param(
            lambda f: f.assign(body_type=f["body_type"].where(f.index > 0, "Quango")),
            "unknown body_type",
            id="bad-type",
        ),
        pytest.param(
            lambda f: pd.concat(
                [f, f.iloc[[1]].assign(body="HM TREASURY ", department="Home Office")]
            ),
            "two departments",
            id="two-parents",
        ),
        pytest.param(lambda f: f.drop(columns="department_slug"), "missing columns", id="column"),
    ],
)
def test_a_malformed_table_is_refused_with_the_reason(tmp_path, edit, problem):
    rows = pd.DataFrame(
        {
            "body": ["HM Treasury", "HM Treasury", "Home Office"],
            "department": ["HM Treasury", "HM Treasury", "Home Office"],
            "body_type": ["Ministerial department"] * 3,
            "status": ["live"] * 3,
            "note": [""] * 3,
            "department_slug": ["hm-treasury", "hm-treasury", "home-office"],
        }
    ).iloc[[0, 2]]
    path = tmp_path / "departments.csv"
    edit(rows).to_csv(path, index=False)
    with pytest.raises(LoaderInputError, match=problem):
        read_departments(path)


# --- department_of and find_department ----------------------------------------------------


def test_department_of_rolls_agencies_and_closed_bodies_up(table):
    keys = pd.Series(
        [
            "driver and vehicle licensing agency",
            "dvla",
            "highways agency",
            "leicester and rutland probation trust",
            "department for business innovation and skills",
            "student loans company limited",
            "coal authority the",
            "leeds city council",
            "national audit office",
            None,
        ],
        index=range(10, 20),
        dtype="string",
    )
    got = department_of(keys, table)
    assert got.index.equals(keys.index)
    assert got.tolist()[:7] == [
        "Department for Transport",
        "Department for Transport",
        "Department for Transport",
        "Ministry of Justice",
        "Department for Business and Trade",
        "Department for Education",
        "Department for Energy Security & Net Zero",
    ]
    assert got.iloc[7:].isna().all()


def test_department_of_on_a_hand_built_table():
    small = pd.DataFrame(
        {
            "body": ["Ministry of Justice", "Tribunals Service", "Legal Aid Agency"],
            "department": ["Ministry of Justice"] * 3,
            "body_type": ["Ministerial department", "Executive agency", "Executive agency"],
            "status": ["live", "closed", "live"],
            "note": ["", "Merged into HMCTS in 2011", ""],
            "department_slug": ["ministry-of-justice"] * 3,
        }
    )
    keys = pd.Series(["legal aid agency", "tribunals service", "the pensions regulator"])
    assert department_of(keys, small).tolist() == [
        "Ministry of Justice",
        "Ministry of Justice",
        pd.NA,
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        pytest.param("Ministry of Justice", "Ministry of Justice", id="title"),
        pytest.param("ministry of justice", "Ministry of Justice", id="lower-case"),
        pytest.param("ministry-of-justice", "Ministry of Justice", id="slug"),
        pytest.param(" MOJ ", "Ministry of Justice", id="abbreviation"),
        pytest.param("hm-revenue-customs", "HM Revenue & Customs", id="slug-without-and"),
        pytest.param("HM Revenue and Customs", "HM Revenue & Customs", id="and-for-ampersand"),
        pytest.param("department-for-work-pensions", "Department for Work and Pensions", id="dwp"),
        pytest.param("Department of Health", "Department of Health and Social Care", id="renamed"),
        pytest.param("Driver and Vehicle Licensing Agency", None, id="agency-is-not-one"),
        pytest.param("Leeds City Council", None, id="unknown"),
        pytest.param("", None, id="empty"),
    ],
)
def test_find_department(table, query, expected):
    assert find_department(query, table) == expected


# --- the GOV.UK organisations API ---------------------------------------------------------


@pytest.fixture(scope="module")
def from_fixture() -> pd.DataFrame:
    return departments_from_govuk_json(FIXTURE).set_index("body")


def test_govuk_pages_give_the_csv_columns(from_fixture):
    assert list(from_fixture.reset_index().columns) == COLUMNS
    assert set(from_fixture["body_type"]) <= set(BODY_TYPES)


@pytest.mark.parametrize(
    ("body", "department", "slug"),
    [
        pytest.param("Ministry of Justice", "Ministry of Justice", "ministry-of-justice", id="own"),
        pytest.param(
            "HM Prison and Probation Service",
            "Ministry of Justice",
            "ministry-of-justice",
            id="agency",
        ),
        pytest.param(
            "HM Prison Service", "Ministry of Justice", "ministry-of-justice", id="depth-2"
        ),
        pytest.param(
            "National Offender Management Service",
            "Ministry of Justice",
            "ministry-of-justice",
            id="closed-superseded",
        ),
        pytest.param(
            "Crown Prosecution Service",
            "Crown Prosecution Service",
            "crown-prosecution-service",
            id="nmd-is-its-own",
        ),
        pytest.param(
            "Department for Business, Innovation & Skills",
            "Department for Business and Trade",
            "department-for-business-and-trade",
            id="closed-department-twice",
        ),
        pytest.param(
            "Skills Funding Agency",
            "Department for Education",
            "department-for-education",
            id="closed-body-of-closed-department",
        ),
    ],
)
def test_govuk_organisations_roll_up(from_fixture, body, department, slug):
    row = from_fixture.loc[body]
    assert (row["department"], row["department_slug"]) == (department, slug)


def test_govuk_closed_bodies_are_marked_and_explained(from_fixture):
    noms = from_fixture.loc["National Offender Management Service"]
    assert noms["status"] == "closed"
    assert "HM Prison and Probation Service" in noms["note"]
    assert from_fixture.loc["Competition Appeal Tribunal", "body_type"] == "Tribunal"


def test_govuk_bodies_outside_departments_are_left_out(from_fixture):
    assert "The Scottish Government" not in from_fixture.index
    assert "Prime Minister's Office, 10 Downing Street" not in from_fixture.index


def _split_pages(tmp_path: Path) -> list[dict]:
    page = json.loads(FIXTURE.read_text(encoding="utf-8"))
    half = len(page["results"]) // 2
    return [
        {**page, "results": page["results"][:half], "current_page": 1, "pages": 2},
        {**page, "results": page["results"][half:], "current_page": 2, "pages": 2},
    ]


def test_govuk_list_of_pages_and_folder_of_pages_give_the_same_table(tmp_path):
    pages = _split_pages(tmp_path)
    as_list = tmp_path / "pages.json"
    as_list.write_text(json.dumps(pages), encoding="utf-8")
    folder = tmp_path / "pages"
    folder.mkdir()
    for number, page in enumerate(pages, start=1):
        (folder / f"organisations-{number}.json").write_text(json.dumps(page), encoding="utf-8")
    expected = departments_from_govuk_json(FIXTURE)
    pd.testing.assert_frame_equal(departments_from_govuk_json(as_list), expected)
    pd.testing.assert_frame_equal(departments_from_govuk_json(folder), expected)


# --- command line -------------------------------------------------------------------------


def test_cli_writes_a_table_that_reads_back(tmp_path, capsys):
    out = tmp_path / "departments.csv"
    assert (
        cli_main(["departments", "--from-govuk", str(FIXTURE), "--out", str(out), "--replace"]) == 0
    )
    written = read_departments(out)
    assert len(written) == 15 and "Wrote 15 bodies" in capsys.readouterr().out
    assert not list(tmp_path.glob(".*.tmp"))


def test_cli_keeps_the_current_tables_extra_rows(tmp_path):
    out = tmp_path / "departments.csv"
    pd.DataFrame(
        [["NOMS", "Ministry of Justice", "Executive agency", "closed", "Abbreviation", "moj"]],
        columns=COLUMNS,
    ).to_csv(out, index=False)
    assert cli_main(["departments", "--from-govuk", str(FIXTURE), "--out", str(out)]) == 0
    noms = read_departments(out).set_index("body").loc["NOMS"]
    assert noms["department_slug"] == "ministry-of-justice"


@pytest.mark.parametrize(
    "content",
    [
        pytest.param('{"results": [{"title": "Home Off', id="truncated"),
        pytest.param('{"error": "rate limited"}', id="not-an-api-page"),
        pytest.param('{"results": []}', id="no-organisations"),
        pytest.param(None, id="missing"),
    ],
)
def test_cli_exits_2_with_one_line_on_unusable_input(tmp_path, capsys, content):
    source = tmp_path / "organisations.json"
    if content is not None:
        source.write_text(content, encoding="utf-8")
    out = tmp_path / "departments.csv"
    out.write_text("untouched", encoding="utf-8")
    assert cli_main(["departments", "--from-govuk", str(source), "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and str(source) in err and "\n" not in err
    assert out.read_text(encoding="utf-8") == "untouched"


@pytest.mark.slow
def test_cli_as_a_module_prints_no_traceback(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_bytes(b"\xff\xfe not json")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "loaders",
            "departments",
            "--from-govuk",
            str(broken),
            "--out",
            str(tmp_path / "out.csv"),
        ],  # fmt: skip
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 2
    assert "Traceback" not in run.stderr and run.stderr.startswith("error: ")
