"""Acceptance on the real July 2014 release and the 2016 CCS customer list (skipped when
../shared/real-data is absent): who could buy comes from the registers, not the list."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

import loaders
from loaders.bodies.registers.adoption import adoption_status, adoption_summary, register_spend
from loaders.bodies.registers.matching import match_loaded
from loaders.bodies.registers.table import read_register_bodies
from loaders.core.vocabulary import load_vocabulary

REAL = Path(__file__).resolve().parents[4] / "shared" / "real-data"
RELEASE_2014 = REAL / "gcloud-release-2014-07"
URN_LIST = REAL / "ccs-customer-urn-list-2016-09" / "2016-09-01_customer_URN_list.xlsx"
FY_2014 = (dt.date(2014, 4, 1), dt.date(2015, 3, 31))

pytestmark = [
    pytest.mark.real_data,
    pytest.mark.skipif(
        not RELEASE_2014.is_dir() or not URN_LIST.is_file(),
        reason="../shared/real-data is absent: real published files are not shipped",
    ),
]


@pytest.fixture(scope="module")
def adoption():
    result = loaders.load(RELEASE_2014, customers=URN_LIST)
    bodies = read_register_bodies()
    list_matches, buyer_matches = match_loaded(
        result.spend, result.matches, result.customers, result.customer_names, bodies,
        load_vocabulary(),
    )  # fmt: skip
    months = register_spend(result.spend, buyer_matches)
    status = adoption_status(bodies, months, *FY_2014)
    return bodies, list_matches, buyer_matches, months, status


def test_principal_councils_that_could_buy_are_the_register_councils_of_2014(adoption):
    bodies, *_, status = adoption
    councils = status[status["group"].eq("Principal councils")]
    assert len(councils) == 433  # 353 England + 22 Wales + 32 Scotland + 26 Northern Ireland
    assert set(councils["register"]) == {"principal-council"}
    names = set(councils["name"])
    assert not any("Parish" in n or "Town Council" in n or "Housing" in n for n in names)


def test_no_body_of_a_group_is_outside_that_groups_register(adoption):
    bodies, list_matches, buyer_matches, _, status = adoption
    for group, rows in status.groupby("group"):
        registers = set(bodies.loc[bodies["group"].eq(group), "register"])
        assert set(rows["register"]) <= registers
        codes = set(bodies.loc[bodies["register"].isin(registers), "code"])
        assert set(rows["code"]) <= codes
    # the customer list's police stations and dog units are not police forces
    police = list_matches[list_matches["register"].eq("police-force")]
    assert not police["name"].str.contains("Station|Dog|Federation|Training").any()


def test_never_bought_in_2014_15_holds_no_body_with_spend_before_april_2015(adoption):
    *_, months, status = adoption
    never = status[status["status"].eq("never")]
    early = months[months["month"] < pd.Timestamp("2015-04-01")]
    assert never.merge(early, on=["register", "code"]).empty


def test_real_adoption_figures_of_2014_15(adoption):
    *_, status = adoption
    summary = adoption_summary(status).set_index("group")
    columns = ["bodies", "buying", "new", "returning", "lapsed", "never"]
    assert summary.loc["Principal councils", columns].tolist() == [433, 55, 17, 38, 60, 318]
    assert summary.loc["Police forces", columns].tolist() == [45, 6, 1, 5, 7, 32]
    assert summary.loc["Fire and rescue services", columns].tolist() == [51, 5, 0, 5, 8, 38]
    assert summary.loc["NHS trusts", columns].tolist() == [244, 22, 7, 15, 31, 191]
