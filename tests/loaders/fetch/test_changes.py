"""The comparison of two stores, on small hand-made tables."""

from __future__ import annotations

import pandas as pd
import pytest

from loaders.changes import StoreTables, compare_stores, describe_changes


def _spend(*rows: tuple) -> pd.DataFrame:
    """Rows of (framework, month, spend, customer, supplier); keys are lower-case names."""
    frame = pd.DataFrame(rows, columns=["framework", "month", "spend_gbp", "customer", "supplier"])
    frame["month"] = pd.to_datetime(frame["month"])
    frame["framework"] = frame["framework"].astype("category")
    frame["customer_key"] = frame["customer"].str.lower()
    frame["supplier_key"] = frame["supplier"].str.lower()
    return frame


def _file(name: str, sha: str, layout: str = "2014 GDS CSV") -> dict:
    return {"file": name, "sha256": sha, "layout": layout, "release": name[:7], "rows_read": 1}


BEFORE = StoreTables(
    spend=_spend(
        ("G-Cloud", "2014-05-01", 5000.0, "Home Office", "Acme"),
        ("G-Cloud", "2014-06-01", 2000.0, "Leeds City Council", "Big"),
        ("Digital Outcomes and Specialists", "2014-06-01", 700.0, "Home Office", "Acme"),
    ),
    files=[_file("2014-07.csv", "a")],
)
AFTER = StoreTables(
    spend=_spend(
        ("G-Cloud", "2014-05-01", 5000.0, "Home Office", "Acme"),
        ("G-Cloud", "2014-05-01", 3000.0, "Home Office", "Acme"),
        ("G-Cloud", "2014-06-01", 2000.5, "Leeds City Council", "Big"),
        ("Digital Outcomes and Specialists", "2014-06-01", 100.0, "Home Office", "Acme"),
        ("G-Cloud", "2014-07-01", 4000.0, "Cabinet Office", "Zed Ltd"),
    ),
    files=[_file("2014-07.csv", "a"), _file("2014-08.xlsx", "b", "CCS XLSX (spend month)")],
)


def test_months_revised_largest_first_above_the_threshold():
    changes = compare_stores(BEFORE, AFTER, threshold_gbp=500)
    assert changes["months_revised"] == [
        {"framework": "G-Cloud", "month": "2014-05", "before_gbp": 5000.0,
         "after_gbp": 8000.0, "change_gbp": 3000.0},
        {"framework": "Digital Outcomes and Specialists", "month": "2014-06",
         "before_gbp": 700.0, "after_gbp": 100.0, "change_gbp": -600.0},
    ]  # fmt: skip
    assert changes["months_revised_below_threshold"] == 1  # G-Cloud 2014-06 moved 50p
    assert changes["revision_threshold_gbp"] == 500.0


def test_months_added_and_removed():
    changes = compare_stores(BEFORE, AFTER)
    assert changes["months_added"] == [
        {"framework": "G-Cloud", "month": "2014-07", "spend_gbp": 4000.0}
    ]
    assert changes["months_removed"] == []
    assert compare_stores(AFTER, BEFORE)["months_removed"] == changes["months_added"]


def test_new_buyers_and_suppliers_by_body_key():
    changes = compare_stores(BEFORE, AFTER)
    assert changes["new_buyers"] == {
        "count": 1,
        "bodies": [{"key": "cabinet office", "name": "Cabinet Office"}],
    }
    assert changes["new_suppliers"] == {
        "count": 1,
        "bodies": [{"key": "zed ltd", "name": "Zed Ltd"}],
    }


def test_files_and_layouts_never_seen_before():
    changes = compare_stores(BEFORE, AFTER)
    assert [f["file"] for f in changes["files_added"]] == ["2014-08.xlsx"]
    assert changes["files_removed"] == []
    assert changes["new_layouts"] == ["CCS XLSX (spend month)"]


@pytest.mark.parametrize(
    ("before", "after", "added"),
    [
        pytest.param(None, None, None, id="no notices table"),
        pytest.param(None, ["o-1", "o-2", "o-2"], 2, id="first notices"),
        pytest.param(["o-1"], ["o-1", "o-2", "o-3"], 2, id="new processes only"),
    ],
)
def test_notices_added_counts_new_ocids(before, after, added):
    def tables(ocids):
        notices = None if ocids is None else pd.DataFrame({"ocid": ocids})
        return StoreTables(spend=BEFORE.spend, files=BEFORE.files, notices=notices)

    assert compare_stores(tables(before), tables(after))["notices_added"] == added


def test_no_previous_store_means_everything_is_added():
    changes = compare_stores(None, BEFORE)
    assert len(changes["months_added"]) == 3 and changes["months_revised"] == []
    assert changes["new_buyers"]["count"] == 2 and changes["total_before_gbp"] == 0.0
    assert changes["total_after_gbp"] == 7700.0


def test_the_same_store_changes_nothing():
    changes = compare_stores(BEFORE, BEFORE)
    assert changes["files_added"] == changes["months_added"] == changes["months_revised"] == []
    assert changes["new_buyers"]["count"] == changes["new_suppliers"]["count"] == 0


def test_description_names_revisions_and_buyers():
    text = describe_changes(compare_stores(BEFORE, AFTER, threshold_gbp=500))
    assert "Files added: 1 (2014-08.xlsx)" in text
    assert "G-Cloud 2014-05: £5,000.00 -> £8,000.00 (+£3,000.00)" in text
    assert "Digital Outcomes and Specialists 2014-06: £700.00 -> £100.00 (-£600.00)" in text
    assert "New buyers: 1 (Cabinet Office)" in text
    assert "Notices added: no notices table" in text
