"""Alerts without email (issue 25, feature 10): each update's events body by body, against
hand-made stores before and after; the history kept across updates."""

from __future__ import annotations

import pandas as pd
import pytest

from loaders.alerts import KEEP_UPDATES, body_events, with_update
from loaders.changes import SPEND_COLUMNS, StoreTables


def _spend(*rows: tuple) -> pd.DataFrame:
    """Rows of (month, customer, supplier, amount), G-Cloud, keys as lower-case names."""
    frame = pd.DataFrame(
        [{"framework": "G-Cloud", "month": pd.Timestamp(f"{m}-01"), "spend_gbp": float(a),
          "customer_key": c.lower(), "customer": c, "supplier_key": s.lower(), "supplier": s}
         for m, c, s, a in rows],
        columns=SPEND_COLUMNS,
    )  # fmt: skip
    return frame.astype({"month": "datetime64[ns]", "spend_gbp": "float64"})


BEFORE = _spend(
    ("2013-05", "Home Office", "Acme", 5000),
    ("2013-06", "Leeds City Council", "Big", 2000),
    ("2014-04", "Home Office", "Acme", 100),
)
AFTER = _spend(
    ("2013-05", "Home Office", "Acme", 8000),  # revised by +£3,000
    ("2013-06", "Leeds City Council", "Big", 2500),  # revised by £500: below the threshold
    ("2014-04", "Home Office", "Acme", 100),
    ("2014-07", "Cabinet Office", "Newco", 4000),  # new month, new buyer, new supplier
    ("2014-07", "Home Office", "Acme", 300),  # new spend of a known buyer
    ("2014-08", "Home Office", "Acme", 50),
)
NOTICES = pd.DataFrame({"ocid": ["ocds-1", "ocds-2"], "customer_key": ["home office", None],
                        "customer": ["Home Office", "(not stated)"],
                        "title": ["Cloud hosting", "Other"]})  # fmt: skip
DEPARTMENTS = pd.DataFrame({
    "body": ["Home Office", "Cabinet Office"], "department": ["Home Office", "Cabinet Office"],
    "body_type": "Ministerial department", "status": "live", "note": "",
    "department_slug": ["home-office", "cabinet-office"],
})  # fmt: skip


@pytest.fixture(scope="module")
def events() -> list[dict]:
    previous = StoreTables(BEFORE, notices=NOTICES.iloc[0:0])
    return body_events(previous, StoreTables(AFTER, notices=NOTICES), departments=DEPARTMENTS)


def _of(events: list[dict], feed: str, key: str) -> dict[str, dict]:
    return {e["kind"]: e for e in events if e["feed"] == feed and e["key"] == key}


def test_a_buyers_new_spend_revision_and_notices(events):
    home = _of(events, "buyer", "home office")
    assert set(home) == {"new spend", "revision", "new notices"}
    assert home["new spend"]["amount_gbp"] == 350.0
    assert home["new spend"]["title"] == "£350.00 of new spend reported for 2014-07 to 2014-08"
    assert home["revision"]["amount_gbp"] == 3000.0
    assert "G-Cloud 2013-05: £5,000.00 -> £8,000.00" in home["revision"]["title"]
    assert home["new notices"]["title"] == "1 new notice(s) on Contracts Finder: Cloud hosting"
    leeds = _of(events, "buyer", "leeds city council")  # its £500 revision is below £1,000
    assert set(leeds) == {"lapsed"} and leeds["lapsed"]["last_month"] == "2013-06"


def test_first_purchase_and_first_sale(events):
    cabinet = _of(events, "buyer", "cabinet office")
    assert cabinet["first purchase"]["first_month"] == "2014-07"
    assert set(_of(events, "supplier", "newco")) == {"first sale", "new spend"}
    assert "first sale" not in _of(events, "supplier", "acme")


def test_a_department_feed_holds_its_bodies_events(events):
    department = _of(events, "department", "Home Office")
    assert set(department) == {"new spend", "revision", "new notices"}
    assert department["new spend"]["title"].startswith("Home Office: £350.00 of new spend")
    assert set(_of(events, "department", "Cabinet Office")) == {"first purchase", "new spend"}


def test_a_buyer_that_stops_buying_lapses():
    before = _spend(("2014-01", "Leeds City Council", "Big", 10), ("2014-02", "Home Office",
                                                                   "Acme", 10))  # fmt: skip
    after = _spend(("2014-01", "Leeds City Council", "Big", 10),
                   ("2015-02", "Home Office", "Acme", 10))  # fmt: skip
    events = body_events(StoreTables(before), StoreTables(after), departments=DEPARTMENTS)
    lapsed = [e for e in events if e["kind"] == "lapsed"]
    assert [(e["key"], e["last_month"]) for e in lapsed] == [("leeds city council", "2014-01")]


def test_the_first_store_has_no_body_events_but_its_notices():
    events = body_events(None, StoreTables(AFTER, notices=NOTICES), departments=DEPARTMENTS)
    assert {e["kind"] for e in events} == {"new notices"}


def test_the_history_keeps_the_latest_updates_newest_first():
    history = None
    for n in range(KEEP_UPDATES + 3):
        history = with_update(history, [{"n": n}], f"2025-01-{n + 1:02d}")
    assert len(history["updates"]) == KEEP_UPDATES
    assert history["updates"][0] == {"generated_at": f"2025-01-{KEEP_UPDATES + 3:02d}",
                                     "events": [{"n": KEEP_UPDATES + 2}]}  # fmt: skip


def test_new_notices_name_the_platforms_they_were_published_on():
    from loaders.alerts import _platforms

    both = pd.DataFrame({"platform": ["Find a Tender", "Contracts Finder", "Find a Tender"]})
    assert _platforms(both) == "Contracts Finder and Find a Tender"
    assert _platforms(pd.DataFrame({"ocid": ["x"]})) == "Contracts Finder"  # format before 10
    tender = NOTICES.assign(platform="Find a Tender")
    events = body_events(None, StoreTables(AFTER, notices=tender), departments=DEPARTMENTS)
    title = _of(events, "buyer", "home office")["new notices"]["title"]
    assert title == "1 new notice(s) on Find a Tender: Cloud hosting"


PLACES = pd.DataFrame({
    "customer_key": ["leeds city council", "manchester city council", "kent county council"],
    "region": ["Yorkshire and The Humber", "North West", "South East"],
    "combined_authority": ["WYCA", "GMCA", ""],
    "combined_authority_name": ["West Yorkshire Combined Authority",
                                "Greater Manchester Combined Authority", ""],
})  # fmt: skip


def test_an_areas_feeds_hold_the_events_of_the_buyers_placed_in_it():
    before = _spend(("2014-04", "Leeds City Council", "Acme", 100),
                    ("2014-04", "Manchester City Council", "Acme", 200),
                    ("2014-04", "Kent County Council", "Acme", 300))  # fmt: skip
    after = _spend(("2014-04", "Leeds City Council", "Acme", 100),
                   ("2014-04", "Manchester City Council", "Acme", 200),
                   ("2014-04", "Kent County Council", "Acme", 300),
                   ("2014-05", "Leeds City Council", "Acme", 750),  # new spend in Yorkshire
                   ("2014-05", "Kent County Council", "Acme", 40),  # in no combined authority
                   ("2014-05", "Home Office", "Acme", 60))  # placed in no area  # fmt: skip
    events = body_events(StoreTables(before), StoreTables(after), departments=DEPARTMENTS,
                         places=PLACES)  # fmt: skip
    region = _of(events, "region", "Yorkshire and The Humber")["new spend"]
    authority = _of(events, "combined_authority", "WYCA")["new spend"]
    assert region["amount_gbp"] == authority["amount_gbp"] == 750.0
    assert authority["name"] == "West Yorkshire Combined Authority"
    assert authority["body"] == "Leeds City Council"
    assert authority["title"] == "Leeds City Council: £750.00 of new spend reported for 2014-05"
    assert _of(events, "region", "South East")["new spend"]["amount_gbp"] == 40.0
    areas = {(e["feed"], e["key"]) for e in events if e["feed"] in ("region", "combined_authority")}
    assert areas == {
        ("region", "Yorkshire and The Humber"),
        ("combined_authority", "WYCA"),
        ("region", "South East"),
    }  # not Manchester's, not the Home Office's
    assert not [e for e in body_events(StoreTables(before), StoreTables(after))
                if e["feed"] == "region"]  # no places given: no area events  # fmt: skip


@pytest.mark.parametrize(
    "after",
    [
        pytest.param(_spend(("2014-04", "Leeds City Council", "Acme", 100),
                            ("2014-05", "Leeds City Council", "Acme", 750)), id="new month only"),
        pytest.param(_spend(("2014-04", "Leeds City Council", "Acme", 600)), id="below threshold"),
        pytest.param(_spend(("2014-04", "Leeds City Council", "Acme", 100)), id="unchanged"),
    ],
)  # fmt: skip
def test_an_update_that_revises_nothing_has_no_revision(after):
    before = _spend(("2014-04", "Leeds City Council", "Acme", 100))
    events = body_events(StoreTables(before), StoreTables(after), places=PLACES)
    assert [e for e in events if e["kind"] == "revision"] == []
    assert not [e for e in events if "nan" in e["title"]]
