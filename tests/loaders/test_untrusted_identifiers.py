"""Identifiers that lie: placeholder URNs and URNs shared by unrelated bodies resolve by name;
renamed bodies keep their URN; a GOV.UK slug of two departments is not trusted."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

import loaders
from loaders.aggregates import build_aggregates
from loaders.bodies.customer_list import read_customer_list
from loaders.bodies.departments import find_department, read_departments
from loaders.bodies.resolution import CUSTOMER_ALIASES, build_list_index
from loaders.bodies.resolution.aliases import read_customer_aliases
from loaders.bodies.resolution.trust import (
    PLACEHOLDER,
    TEST_BODY,
    UNRELATED,
    is_placeholder,
    untrusted_urns,
)
from loaders.core.errors import LoaderInputError
from loaders.core.vocabulary import load_vocabulary
from tests.builders import HEADER_CCS, write_customer_list, write_xlsx
from tests.loaders.test_resolution import BODIES

VOCAB = load_vocabulary()
APRIL = dt.datetime(2021, 4, 1)


def _row(urn, customer, sector, spend, month=APRIL):
    return [urn, customer, sector, "Alpha Cloud Ltd", "SME", "RM1557.12", "G-Cloud 12", 2,
            "Cloud Software", month, spend]  # fmt: skip


def _load(tmp_path, rows, **kwargs) -> loaders.LoadResult:
    return loaders.load(write_xlsx(tmp_path / "CCS-spend-2021-05.xlsx", [HEADER_CCS, *rows]),
                        **kwargs)  # fmt: skip


@pytest.mark.slow
def test_placeholder_urns_shared_by_unrelated_buyers_resolve_by_name(tmp_path):
    result = _load(
        tmp_path,
        [
            _row(99999999, "Little Snoring Parish Council", "Local Government", 1000),
            _row(99999999, "Barsetshire Academy Trust", "Education", 2000),
            _row(99999999, "Department for Work and Pensions", "Central Government", 3000),
            _row("00000000", "Wessex Fire and Rescue Service", "Fire and Rescue", 4000),
            _row(10012345, "Cabinet Office", "Central Government", 5000),
        ],
    )
    spend = result.spend
    assert spend["customer_key"].nunique() == 5
    central = spend["buyer_group"].astype(str).eq("Central government")
    assert spend.loc[central, "spend_gbp"].sum() == 8000
    assert spend["customer_urn"].dropna().tolist() == [10012345]  # placeholders not kept
    (first, second) = result.report["untrusted_identifiers"]
    assert (first["value"], first["reason"], first["rows"], first["spend_gbp"]) == (
        "0", PLACEHOLDER, 1, 4000.0)  # fmt: skip
    assert second["value"] == "99999999" and second["names"] == [
        "Barsetshire Academy Trust", "Department for Work and Pensions",
        "Little Snoring Parish Council"]  # fmt: skip
    matches = result.matches.set_index("published_name")
    assert matches.loc["Barsetshire Academy Trust", "published_urn"] == 99999999
    assert matches.loc["Barsetshire Academy Trust", "urn_note"] == PLACEHOLDER
    assert pd.isna(matches.loc["Cabinet Office", "urn_note"])
    assert "99999999 not trusted (placeholder URN)" in result.describe()


@pytest.mark.slow
def test_a_urn_of_unrelated_bodies_is_not_trusted_but_a_renamed_body_keeps_its_urn(tmp_path):
    result = _load(
        tmp_path,
        [
            _row(10055555, "Leeds City Council", "Local Government", 1),
            _row(10055555, "Home Office", "Central Government", 2),
            _row(10066666, "Department for Communities and Local Government", "Central Government",
                 4, dt.datetime(2017, 4, 1)),
            _row(10066666, "Ministry of Housing, Communities and Local Government",
                 "Central Government", 8),
            _row(10077777, "Cornwall Council", "Local Government", 16),
            _row(10077777, "CORNWALL COUNCIL ", "Local Government", 32),
        ],
    )  # fmt: skip
    keys = result.spend.groupby("customer_key")["spend_gbp"].sum().to_dict()
    assert keys == {
        "leeds city council": 1,
        "home office": 2,
        "urn:10066666": 12,
        "urn:10077777": 48,
    }
    (item,) = result.report["untrusted_identifiers"]
    assert (item["value"], item["reason"]) == ("10055555", UNRELATED)


def _untrusted(names, urns, sectors=None, customers=None, aliases=None):
    index = build_list_index(customers, VOCAB) if customers is not None else None
    return untrusted_urns(
        pd.Series(names, dtype=object),
        pd.Series(urns, dtype="Int64"),
        None if sectors is None else pd.Series(sectors, dtype=object),
        VOCAB,
        read_customer_aliases(aliases, VOCAB),
        index,
    )


@pytest.mark.slow
def test_names_that_disagree_without_sectors_are_not_trusted_unless_the_list_says_so(tmp_path):
    names = ["Kernow Council", "Cornwall Council"]
    assert set(_untrusted(names, [10003, 10003])) == {10003}
    renamed = [("Kernow Council", "Cornwall Council", 10003)]
    customers = read_customer_list(
        write_customer_list(tmp_path / "list.xlsx", BODIES, changes=renamed), VOCAB
    )
    assert _untrusted(names, [10003, 10003], customers=customers) == {}


def test_a_test_organisation_beside_a_real_body_makes_the_urn_untrusted_names_of_none_do_not():
    sectors = ["Central Government"] * 2
    found = _untrusted(["Cabinet Office", "Test Organisation"], [5, 5], sectors)
    assert found[5].reason == TEST_BODY
    assert _untrusted(["Cabinet Office", "Unknown", "N/A", "TBC"], [5] * 4) == {}
    assert _untrusted(["Test Organisation"], [6]) == {}  # one body, whatever it is


def test_an_analysts_override_counts_as_its_bodys_name():
    names = ["DWP", "Department for Work and Pensions"]
    assert set(_untrusted(names, [7, 7])) == {7}
    assert _untrusted(names, [7, 7], aliases=CUSTOMER_ALIASES) == {}


def test_a_name_the_customer_list_gives_another_urn_is_not_trusted_even_with_one_sector(
    tmp_path,
):
    customers = read_customer_list(write_customer_list(tmp_path / "list.xlsx", BODIES), VOCAB)
    names = ["Cornwall Council", "Durham County Council"]  # 10003 and 10013 in the list
    sectors = ["Local Government"] * 2
    assert set(_untrusted(names, [10003, 10003], sectors, customers)) == {10003}


@pytest.mark.parametrize(
    ("urn", "placeholder"),
    [(0, True), (33333333, True), (99999999, True), (11111111, True), (12345678, True),
     (10012345, False), (3333, False), (10000000, False)],
)  # fmt: skip
def test_placeholder_patterns(urn, placeholder):
    assert is_placeholder(urn, VOCAB) is placeholder


@pytest.mark.slow
def test_a_placeholder_urn_never_gives_its_list_sector(tmp_path):
    bodies = [(33333333, "Some Academy", "Education", "Academy")]
    customers = write_customer_list(tmp_path / "list.xlsx", bodies=bodies)
    result = _load(tmp_path, [_row(33333333, "Home Office", None, 5)], customers=customers)
    assert result.spend["sector"].astype(str).tolist() == ["Central Government"]  # by name
    assert result.spend["sector_method"].astype(str).tolist() == ["name_rule"]


def test_a_slug_of_two_departments_is_refused_and_never_trusted(tmp_path):
    table = pd.DataFrame(
        {
            "body": ["Home Office", "Cabinet Office"],
            "department": ["Home Office", "Cabinet Office"],
            "body_type": ["Ministerial department"] * 2,
            "status": ["live"] * 2,
            "note": [""] * 2,
            "department_slug": ["central-offices", "central-offices"],
        }
    )
    path = tmp_path / "departments.csv"
    table.to_csv(path, index=False)
    with pytest.raises(LoaderInputError, match="GOV.UK slugs of two departments"):
        read_departments(path)
    assert find_department("central-offices", table) is None  # neither, by slug or name
    assert find_department("Cabinet Office", table) == "Cabinet Office"


@pytest.mark.slow
def test_the_department_of_a_buyer_behind_a_placeholder_urn_gets_its_spend(tmp_path):
    result = _load(
        tmp_path,
        [
            _row(33333333, "Barsetshire Academy Trust", "Education", 2000),
            _row(33333333, "Department for Work and Pensions", "Central Government", 3000),
        ],
    )
    spend = build_aggregates(result.spend).tables["spend"]
    by_department = spend.groupby("department", observed=True)["spend_gbp"].sum()
    assert by_department["Department for Work and Pensions"] == 3000
