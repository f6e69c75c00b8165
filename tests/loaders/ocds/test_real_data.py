"""The January 2025 Contracts Finder releases in ../shared/real-data (skipped when absent).

Each figure of the folder's README is pinned twice: as the loaders give it, and by an
independent count in plain Python on the JSON below (no code of the loaders), which must
agree with it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

import loaders
from dashboard.analytics.notice_figures import opportunity_figures

REAL = Path(__file__).resolve().parents[4] / "shared" / "real-data"
JANUARY = REAL / "contracts-finder-ocds-2025-01" / "contracts-finder-ocds-2025-01.json"

pytestmark = [
    pytest.mark.real_data,
    pytest.mark.skipif(
        not JANUARY.is_file(),
        reason="../shared/real-data is absent: real published files are not shipped",
    ),
]


# --- the independent count: plain Python on the JSON ---------------------------------------


def _merge(old: dict, new: dict) -> dict:
    """Later values over earlier ones; lists of objects with ids merged by id."""
    out = dict(old)
    for key, value in new.items():
        before = out.get(key)
        if isinstance(value, dict) and isinstance(before, dict):
            out[key] = _merge(before, value)
        elif (
            isinstance(value, list)
            and isinstance(before, list)
            and all(isinstance(x, dict) and "id" in x for x in value + before)
        ):
            by_id = {x["id"]: x for x in before}
            for x in value:
                by_id[x["id"]] = _merge(by_id.get(x["id"], {}), x)
            out[key] = list(by_id.values())
        else:
            out[key] = value
    return out


def _plain_count() -> dict:
    releases = json.loads(JANUARY.read_text(encoding="utf-8"))["releases"]
    by_ocid = defaultdict(list)
    for r in releases:
        by_ocid[r["ocid"]].append(r)
    processes = {}
    for ocid, rs in by_ocid.items():
        current: dict = {}
        for r in sorted(rs, key=lambda r: r["date"]):
            current = _merge(current, r)
        processes[ocid] = current
    groups = defaultdict(lambda: [0, 0.0])
    for p in processes.values():
        scale = {x["id"]: (x.get("details") or {}).get("scale") for x in p["parties"]}
        for a in p.get("awards", []):
            scales = [scale.get(s["id"]) for s in a["suppliers"]]
            if scales and all(s == "sme" for s in scales):
                group = "SME"
            elif scales and all(s == "large" for s in scales):
                group = "Large"
            elif not any(scales):
                group = "Unknown"
            else:
                group = "other"
            groups[group][0] += 1
            groups[group][1] += a["value"]["amount"]
    return {
        "releases": len(releases),
        "processes": len(processes),
        "groups": dict(groups),
        "sme_suitable": sum(p["tender"]["suitability"]["sme"] is True for p in processes.values()),
        "call_offs": sum(
            p["tender"].get("procurementMethodDetails") == "Call-off from a framework agreement"
            for p in processes.values()
        ),
        "planning": len({r["ocid"] for r in releases if "planning" in r["tag"]}),
    }


# --- the loaders -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def january() -> loaders.LoadResult:
    return loaders.load(JANUARY)


@pytest.fixture(scope="module")
def plain() -> dict:
    return _plain_count()


@pytest.mark.slow
def test_every_release_is_loaded(january, plain):
    totals = january.report["ocds"]["totals"]
    assert totals["releases_read"] == plain["releases"] == 100
    assert (totals["releases_loaded"], totals["releases_duplicate"]) == (100, 0)
    assert totals["releases_quarantined"] == 0 and totals["reconciles"]


def test_processes(january, plain):
    assert len(january.notices) == plain["processes"] == 94


def test_awards_by_size_group(january, plain):
    counts = january.awards["size_group"].astype(object).value_counts().to_dict()
    assert counts == {"Large": 26, "SME": 19, "Unknown": 12}
    assert {g: n for g, (n, _) in plain["groups"].items()} == counts
    assert len(january.awards) == 57


def test_sme_share_of_awards_by_count_and_value(january, plain):
    f = opportunity_figures(january.notices, january.awards, january.ocds_releases)
    assert round(f.awards_sme_share_count, 1) == 33.3
    assert round(f.awards_sme_share_value, 1) == 51.7
    assert round(f.awards_sme_value_gbp / 1e6, 1) == 63.0
    assert round(f.awards_value_gbp / 1e6, 1) == 121.9
    sme_value = plain["groups"]["SME"][1]
    all_value = sum(v for _, v in plain["groups"].values())
    assert f.awards_sme_value_gbp == pytest.approx(sme_value, abs=0.005)
    assert f.awards_value_gbp == pytest.approx(all_value, abs=0.005)
    assert f.awards_sme_share_count == pytest.approx(100 * plain["groups"]["SME"][0] / 57)


def test_tenders_suitable_for_smes(january, plain):
    f = opportunity_figures(january.notices, january.awards, january.ocds_releases)
    assert (f.sme_suitable, f.suitability_stated) == (plain["sme_suitable"], 94) == (77, 94)


def test_call_offs(january, plain):
    assert int(january.notices["call_off"].sum()) == plain["call_offs"] == 6


def test_processes_with_a_planning_notice(january, plain):
    assert int(january.notices["planning_date"].notna().sum()) == plain["planning"] == 3


def test_page_figures_for_january(january):
    by_id = opportunity_figures(
        january.notices, january.awards, january.ocds_releases, "2025-01-01", "2025-02-01"
    ).by_id()
    assert (by_id["opp-notices"], by_id["opp-awards"], by_id["opp-call-offs"]) == (94, 57, 6)
