"""Quarantine rules for single releases: each bad release gets its reason."""

from __future__ import annotations

import datetime as dt

import pytest

from loaders.sources.ocds import checks
from tests.loaders.ocds.builders import NOW, award, release


def _without(key: str) -> dict:
    out = release()
    del out[key]
    return out


@pytest.mark.parametrize(
    "value, reason, detail",
    [
        pytest.param(["a list"], checks.NOT_OBJECT, "list", id="not-an-object"),
        pytest.param(
            {"url": "https://x.invalid/r", "date": "2025-01-01"},
            checks.LINKED,
            "https://x.invalid/r",
            id="linked",
        ),  # fmt: skip
        pytest.param(_without("ocid"), checks.NO_OCID, "", id="no-ocid"),
        pytest.param(release(ocid="  "), checks.NO_OCID, "", id="blank-ocid"),
        pytest.param(_without("id"), checks.NO_ID, "", id="no-id"),
        pytest.param(release(rid=True), checks.NO_ID, "", id="id-not-text"),
        pytest.param(_without("date"), checks.NO_DATE, "", id="no-date"),
        pytest.param(release(date="23/01/2025"), checks.BAD_DATE, "'23/01/2025'", id="bad-date"),
        pytest.param(
            release(date="2025-03-02T00:00:00Z"),
            checks.FUTURE_DATE,
            "2025-03-02T00:00:00Z",
            id="future-date",
        ),  # fmt: skip
        pytest.param(
            release(tender={"value": {"amount": "1,000", "currency": "GBP"}}),
            checks.BAD_AMOUNT,
            "tender.value.amount = '1,000'",
            id="amount-as-text",
        ),  # fmt: skip
        pytest.param(
            release(tender={"value": {"amount": float("nan"), "currency": "GBP"}}),
            checks.BAD_AMOUNT,
            "tender.value.amount = nan",
            id="amount-nan",
        ),  # fmt: skip
    ],
)
def test_bad_releases_are_quarantined_with_their_reason(value, reason, detail):
    assert checks.release_problem(value, NOW) == checks.Problem(reason, detail)


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(release(), id="good"),
        pytest.param(release(rid=7), id="integer-id"),
        pytest.param(release(date="2025-03-01T00:00:00Z"), id="dated-now"),
        pytest.param(release(tender={"value": {"amount": 5}}), id="no-currency-taken-as-gbp"),
        pytest.param(
            release(tender={"contractPeriod": {"endDate": "2030-01-01"}}),
            id="future-contract-period",
        ),  # fmt: skip
    ],
)
def test_good_releases_pass(value):
    assert checks.release_problem(value, NOW) is None


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("2025-01-23T14:59:07Z", dt.datetime(2025, 1, 23, 14, 59, 7), id="zulu"),
        pytest.param("2021-07-09T00:00:00+01:00", dt.datetime(2021, 7, 8, 23), id="offset"),
        pytest.param("2025-01-23", dt.datetime(2025, 1, 23), id="date-only-as-utc"),
    ],
)
def test_dates_are_read_as_utc(text, expected):
    assert checks.parse_date(text) == expected.replace(tzinfo=dt.UTC)


@pytest.mark.parametrize("value", ["", "soon", None, 20250123])
def test_unreadable_dates(value):
    assert checks.parse_date(value) is None


EUROS = {"amount": 10, "currency": "EUR"}
DIRHAMS = {"amount": 7, "currency": "AED"}


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(release(awards=[award("a1", 10.0, [], value=EUROS)]), id="award-in-euros"),
        pytest.param(release(planning={"budget": {"amount": {"amount": 5, "currency": "USD"}}}),
                     id="budget-in-dollars"),
        pytest.param(release(tender={"lots": [{"id": "1", "value": DIRHAMS}]}),
                     id="lot-in-dirhams"),
    ],
)  # fmt: skip
def test_a_value_in_another_currency_does_not_quarantine_the_release(value):
    """It is left out of pound figures (tables, release_facts), not the whole notice."""
    assert checks.release_problem(value, NOW) is None
