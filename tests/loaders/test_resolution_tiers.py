"""Names as people write them, resolved against a hand-built customer list and GOV.UK
register: typos, brackets, descriptors, acronyms, renames, parts of bodies, and the names
that must never merge."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from loaders.bodies.customer_list import read_customer_list
from loaders.bodies.resolution import match_report, resolve_customers, resolve_suppliers
from loaders.catalogue import CANONICAL
from loaders.core.vocabulary import load_vocabulary
from tests.builders import write_customer_list, write_register

VOCAB = load_vocabulary()
MATCH_COLUMNS = CANONICAL["matches"].columns
CG, LG, HEALTH = "Central Government", "Local Government", "Health"
BODIES = [
    (20001, "Department for Transport", CG, "Department"),
    (20002, "Driver and Vehicle Licensing Agency", CG, "Executive Agency"),
    (20003, "Home Office", CG, "Department"),
    (20004, "Greater London Authority", LG, "TBA"),
    (20005, "Gangmasters Licensing Authority", CG, "NDPB"),
    (20006, "Bristol City Council", LG, ""),
    (20007, "Bassetlaw District Council", LG, ""),
    (20008, "Kettering General Hospital NHS Foundation Trust", HEALTH, "Acute Trust"),
    (20009, "Stockport NHS Foundation Trust", HEALTH, "Acute Trust"),
    (20011, "First Tier Tribunal", CG, "TBA"),
    (20012, "Criminal Injuries Compensation Authority", CG, "Executive Agency"),
    (20013, "Ministry of Justice", CG, "Department"),
    (20014, "Eastern Shires Purchasing Organisation", LG, "TBA"),
    (20015, "Technology Strategy Board", CG, "NDPB"),
    (20016, "London Borough of Brent Council", LG, ""),
    (20017, "Department for Business Entergy & Industrial Strategy", CG, "Department"),
    (20018, "Workers Educational Association", "Not for Profit", "Charity"),
    (20019, "Workers Educational Association", "Devolved Administrations", "Education"),
    (20020, "Loughs Agency", "Devolved Administrations", "TBA"),
    (20021, "Living Streets", "Not for Profit", "Charity"),
    (20022, "The Charity Commission", CG, "Department"),
    (20023, "Charity Commission for Northern Ireland", "Devolved Administrations", "TBA"),
    (20024, "Foreign & Commonwealth Office", CG, "Department"),
    (20025, "VisitEngland", CG, "NDPB"),
    (20026, "Information Commissioner's Office", CG, "Department"),
    (20027, "Department for Culture, Media and Sport", CG, "Department"),
]
INACTIVE = [("Active", "Inactive", 20030, "Driving Standards Agency")]
DEPARTMENT, AGENCY, NDPB = "Ministerial department", "Executive agency", "Other"
REGISTER = [
    ("department-for-transport", "Department for Transport", "DfT", DEPARTMENT, "live", "", "",
     "", ""),
    ("driver-and-vehicle-licensing-agency", "Driver and Vehicle Licensing Agency", "DVLA", AGENCY,
     "live", "", "", "", "department-for-transport"),
    ("driver-and-vehicle-standards-agency", "Driver and Vehicle Standards Agency", "DVSA", AGENCY,
     "live", "", "", "", "department-for-transport"),
    ("vehicle-and-operator-services-agency", "Vehicle and Operator Services Agency", "VOSA", AGENCY,
     "closed", "replaced", "2014-04-01", "driver-and-vehicle-standards-agency",
     "department-for-transport"),
    ("driving-standards-agency", "Driving Standards Agency", "DSA", AGENCY, "closed", "replaced",
     "2014-04-01", "driver-and-vehicle-standards-agency", "department-for-transport"),
    ("defence-safety-authority", "Defence Safety Authority", "DSA", NDPB, "live", "", "", "", ""),
    ("home-office", "Home Office", "", DEPARTMENT, "live", "", "", "", ""),
    ("gangmasters-licensing-authority", "Gangmasters Licensing Authority", "GLA", NDPB, "closed",
     "changed_name", "2017-04-30", "gangmasters-and-labour-abuse-authority", "home-office"),
    ("gangmasters-and-labour-abuse-authority", "Gangmasters and Labour Abuse Authority", "GLAA",
     NDPB, "live", "", "", "", "home-office"),
    ("technology-strategy-board", "Technology Strategy Board", "TSB", NDPB, "closed",
     "changed_name", "2014-08-15", "innovate-uk", ""),
    ("innovate-uk", "Innovate UK", "", NDPB, "live", "", "", "", ""),
    ("ministry-of-justice", "Ministry of Justice", "MOJ", DEPARTMENT, "live", "", "", "", ""),
    ("criminal-injuries-compensation-authority", "Criminal Injuries Compensation Authority",
     "CICA", AGENCY, "live", "", "", "", "ministry-of-justice"),
    ("foreign-commonwealth-office", "Foreign & Commonwealth Office", "FCO", DEPARTMENT, "live",
     "", "", "", ""),
    ("department-for-culture-media-sport", "Department for Culture, Media and Sport", "DCMS",
     DEPARTMENT, "live", "", "", "", ""),
    ("tate", "Tate", "", NDPB, "live", "", "", "", "department-for-culture-media-sport"),
]  # fmt: skip


@pytest.fixture(scope="module")
def customers(tmp_path_factory):
    path = tmp_path_factory.mktemp("list") / "customers.xlsx"
    return read_customer_list(write_customer_list(path, BODIES, inactive=INACTIVE), VOCAB)


@pytest.fixture(scope="module")
def register(tmp_path_factory):
    return write_register(tmp_path_factory.mktemp("register") / "organisations.csv", REGISTER)


def _resolve(names, customers, register, sectors=None):
    names = pd.Series(names, dtype=object)
    urns = pd.Series([None] * len(names), dtype="Int64")
    sectors = None if sectors is None else pd.Series(sectors, dtype=object)
    return resolve_customers(
        names, urns, VOCAB, customers, None, sectors=sectors, organisations=register
    )


@pytest.mark.parametrize(
    ("published", "urn", "methods"),
    [
        pytest.param("Bristl City Council", 20006, {"typo"}, id="typo-distinctive-word"),
        pytest.param("Home Ofice", 20003, {"typo"}, id="typo-kind-word"),
        pytest.param("Department for Business, Energy & Industrial Strategy", 20017, {"typo"},
                     id="typo-in-the-register"),
        pytest.param("Eastern Shires Purchasing Organisation (ESPO)", 20014, {"trimmed", "acronym"},
                     id="brackets-acronym"),
        pytest.param("Criminal Injuries Compensation Authority (Ministry of Justice)", 20012,
                     {"trimmed", "part"}, id="brackets-parent"),
        pytest.param("(Closed) Bassetlaw District Council", 20007, {"trimmed", "part"},
                     id="descriptor-state"),
        pytest.param("Bassetlaw DC", 20007, {"trimmed"}, id="short-form"),
        pytest.param("Kettering General Hospital", 20008, {"trimmed"}, id="descriptor-added"),
        pytest.param("Information Commissioner?s Office", 20026, {"trimmed"},
                     id="lost-apostrophe"),
        pytest.param("Visit England", 20025, {"trimmed"}, id="spaced"),
        pytest.param("Brent Council", 20016, {"trimmed"}, id="london-borough-pattern"),
        pytest.param("DVLA", 20002, {"acronym"}, id="acronym-govuk"),
        pytest.param("ESPO", 20014, {"acronym"}, id="acronym-initials-of-list-name"),
        pytest.param("Innovate UK", 20015, {"renamed"}, id="renamed-govuk"),
        pytest.param("Gangmasters and Labour Abuse Authority (GLAA)", 20005, {"renamed", "acronym"},
                     id="renamed-with-acronym"),
        pytest.param("DVLA (DfT), Swansea, South Wales", 20002, {"acronym", "part"},
                     id="agency-beside-its-department"),
        pytest.param("Consular Directorate, Foreign and Commonwealth Office", 20024, {"part"},
                     id="unit-of-a-department"),
        pytest.param("Driving Standards Agency", 20030, {"exact_list"}, id="inactive-sheet"),
    ],
)  # fmt: skip
def test_names_as_people_write_them_resolve(customers, register, published, urn, methods):
    out = _resolve([published], customers, register)
    assert out["body_key"][0] == f"urn:{urn}"
    assert out["method"][0] in methods


@pytest.mark.parametrize(
    ("published", "never"),
    [
        pytest.param("Highways Agency", 20020, id="highways-is-not-loughs"),
        pytest.param("10 Downing Street", 20021, id="downing-street-is-not-living-streets"),
        pytest.param("Greater London Authority (GLA) and London Councils", 20005,
                     id="gla-is-not-the-gangmasters"),
        pytest.param("NHS Stockport", 20009, id="pct-is-not-the-hospital-trust"),
        pytest.param("First-Tier Tribunal (Information Rights)", 20011, id="qualifier-in-brackets"),
        pytest.param("HM Court and Tribunal Service Reform Programme (Ministry of Justice)", 20013,
                     id="a-body-the-list-lacks-is-not-its-department"),
        pytest.param("DCMS - Tate Gallery", 20027, id="a-body-of-a-department"),
        pytest.param("Vehicle and Operator Services Agency", None,
                     id="succeeded-counted-as-itself"),
        pytest.param("DSA", None, id="abbreviation-of-two-bodies"),
        pytest.param("Bristl City Council", 20006, id="typo-with-its-body-hidden"),
    ],
)  # fmt: skip
def test_names_that_must_never_merge(customers, register, published, never, tmp_path):
    if published == "Bristl City Council":  # hide the body: anything found is another body
        hidden = [b for b in BODIES if b[0] != never]
        customers = read_customer_list(write_customer_list(tmp_path / "l.xlsx", hidden), VOCAB)
        never = None
    out = _resolve([published], customers, register)
    if never is None:
        assert pd.isna(out["urn"][0])
    else:
        assert out["body_key"][0] != f"urn:{never}"


def test_a_name_of_two_bodies_is_ambiguous_and_lists_them(customers, register):
    name = "Charity Commission England & Wales (CCEW) & Charity Commission Northern Ireland"
    out = _resolve([name], customers, register)
    assert out["body_key"][0] != "urn:20023"  # one of two bodies alone is never taken
    name = "Charity Commission (CCEW) & Charity Commission for Northern Ireland"
    out = _resolve([name], customers, register)
    assert out["method"][0] == "ambiguous"
    assert pd.isna(out["urn"][0])
    assert "URN 20022" in out["runner_up"][0] and "URN 20023" in out["runner_up"][0]


def test_the_release_sector_picks_one_of_several_bodies_of_a_name(customers, register):
    name = ["Workers Educational Association"]
    out = _resolve(name, customers, register, sectors=["Not for Profit"])
    assert (out["body_key"][0], out["method"][0]) == ("urn:20018", "exact_sector")
    assert out["runner_up"][0] == "Workers Educational Association (URN 20019)"
    unknown = _resolve(name, customers, register)
    assert (unknown["method"][0], unknown["body_key"][0]) == (
        "ambiguous", "workers educational association")  # fmt: skip
    assert "URN 20018" in unknown["runner_up"][0] and "URN 20019" in unknown["runner_up"][0]


def test_a_name_given_two_sectors_is_never_picked_by_sector(customers, register):
    name = ["Workers Educational Association"] * 2
    out = _resolve(name, customers, register, sectors=["Not for Profit", "Education"])
    assert set(out["method"]) == {"ambiguous"}


def test_a_renamed_body_without_a_urn_is_one_body_across_its_names(tmp_path, register):
    bodies = [b for b in BODIES if b[0] != 20015]  # the list has neither name
    customers = read_customer_list(write_customer_list(tmp_path / "l.xlsx", bodies), VOCAB)
    out = _resolve(["Innovate UK", "Technology Strategy Board", "TSB"], customers, register)
    assert out["urn"].isna().all()
    assert set(out["body_key"]) == {"innovate uk"}
    assert set(out["body_name"]) == {"Innovate UK"}


def test_every_match_by_name_reports_the_runner_up(customers, register):
    out = _resolve(["Bristl City Council", "Home Office"], customers, register)
    report = match_report("customer", out, pd.Series([10.0, 20.0]))
    assert {"runner_up", "runner_up_score"} <= set(report.columns)
    typo = report[report["published_name"].eq("Bristl City Council")].iloc[0]
    assert typo["method"] == "typo" and 0 < typo["score"] <= 100


def test_a_match_report_from_before_the_runner_up_reads_with_nulls():
    old = pd.DataFrame(
        {c: ["x"] if c not in ("urn", "published_urn", "score", "rows", "spend_gbp") else [1]
         for c in MATCH_COLUMNS if c not in ("runner_up", "runner_up_score")}
    )  # fmt: skip
    out = CANONICAL["matches"].typed(old, strict=False)
    assert list(out.columns) == MATCH_COLUMNS
    assert out["runner_up"].isna().all() and out["runner_up_score"].isna().all()


def test_the_inactive_sheet_names_urns_no_longer_live(tmp_path):
    """The 2016 list logs status changes newest first: a URN whose latest change made it
    inactive, and that the live list lacks, keeps its name; one made active again does not
    need it, nor does a live URN."""
    inactive = [
        ("Active", "Inactive", 30001, "Remploy Limited"),
        ("Inactive", "Active", 30002, "Frimley Health NHS Foundation Trust"),
        ("Active", "Inactive", 30002, "Frimley Health NHS Foundation Trust"),
        ("Active", "Inactive", 20003, "Home Office"),
    ]
    path = write_customer_list(tmp_path / "l.xlsx", BODIES, inactive=inactive)
    names = read_customer_list(path, VOCAB).names
    added = names[names["how"].eq("Inactive")]
    assert list(zip(added["name"], added["urn"], strict=True)) == [("Remploy Limited", 30001)]


def test_a_later_lists_acronyms_name_its_bodies(tmp_path):
    path = tmp_path / "customers.csv"
    path.write_text(
        "urn,customername,acronym,sector,subsector,active\n"
        "40001,The Royal Parks,RPA,Central Government,Executive Agency,True\n"
        "40002,Luton Citizens Advice Bureau,CAB,Wider Public Sector,Charity,True\n"
        "40003,Westminster Citizens Advice Bureau,CAB,Wider Public Sector,Charity,True\n",
        encoding="utf-8",
    )
    customers = read_customer_list(path, VOCAB)
    assert list(customers.bodies["acronym"]) == ["RPA", "CAB", "CAB"]
    out = _resolve(["RPA", "CAB"], customers, None)
    assert list(out["body_key"][:1]) == ["urn:40001"]
    assert pd.isna(out["urn"][1])  # an acronym of two bodies names neither


def test_each_rows_resolution_holds_codes_into_its_distinct_names_not_copies():
    """Issue 24 (ingest memory): the per-row frame repeats each distinct name's resolution
    as categorical codes; its values are those of the plain per-name resolution."""
    vocab = load_vocabulary()
    names = pd.Series(["Home Office", "HOME OFFICE", None, "Kent Police"] * 50, dtype=object)
    urns = pd.Series([7, 7, None, None] * 50, dtype="Int64")
    rows = resolve_customers(names, urns, vocab, aliases=None)
    once = resolve_customers(names[:4], urns[:4], vocab, aliases=None)
    for column in ("body_key", "body_name", "method", "published_name"):
        assert isinstance(rows[column].dtype, pd.CategoricalDtype)
        assert rows[column].astype(object).tolist() == once[column].astype(object).tolist() * 50
    suppliers = resolve_suppliers(pd.Series(["BJSS LTD", "Bjss Limited"] * 3), vocab, None)
    assert isinstance(suppliers["body_key"].dtype, pd.CategoricalDtype)
    assert len(set(suppliers["body_key"])) == 1


def test_a_match_report_from_distinct_inputs_is_the_report_of_their_rows(customers, register):
    """The load resolves each distinct input once and reports from it with each row's line:
    the same table, to the penny, as reporting from one resolved row per spend row (names
    in several lines, one spelt otherwise, a line no row uses)."""
    names = ["Home Office", "Bristl City Council", "Home Office", "HOME OFFICE", "Leeds"]
    lines_resolved = _resolve(names, customers, register)
    lines = np.array([0, 1, 2, 0, 3, 3, 1, 0])  # line 4 stands for no row
    spend = pd.Series([0.1, 0.2, 1e9, 0.3, -5.0, 5.005, 12.34, 1 / 3])
    keys = [c for c in MATCH_COLUMNS if c not in ("kind", "rows", "spend_gbp")]
    per_row = lines_resolved.take(lines).reset_index(drop=True).assign(spend_gbp=spend)
    plain = per_row.groupby(keys, dropna=False, sort=True)["spend_gbp"].agg(["size", "sum"])
    plain = plain.reset_index().rename(columns={"size": "rows", "sum": "spend_gbp"})
    plain["spend_gbp"] = plain["spend_gbp"].round(2)
    expected = CANONICAL["matches"].typed(plain.assign(kind="customer"))
    assert_frame_equal(match_report("customer", per_row, spend), expected, check_exact=True)
    got = match_report("customer", lines_resolved, spend, lines)
    assert_frame_equal(got, expected, check_exact=True)
    assert got["rows"].sum() == len(lines) and "Leeds" not in set(got["published_name"])
    assert got.loc[got["published_name"].eq("Home Office"), "spend_gbp"].sum() == round(
        0.1 + 0.3 + 1 / 3 + 1e9, 2
    )
