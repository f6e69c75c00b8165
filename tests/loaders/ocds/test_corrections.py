"""Awards re-published as a new notice of the same process supersede the earlier award: the
earlier one is listed with its value, never counted; a process's awards are never summed
across its corrections (invented notices, in the shape of a real Contracts Finder pair)."""

from __future__ import annotations

import pytest

from loaders.core.vocabulary import load_vocabulary
from loaders.sources.ocds.load import load_notices
from tests.loaders.ocds.builders import NOW, award, package, party, release, write_json

VOCAB = load_vocabulary()
PERIOD = {"startDate": "2025-02-10T00:00:00Z", "endDate": "2025-06-30T23:59:59+01:00"}
SUPPLIERS = [party("S1", "Mersey Build Ltd", scale="large"), party("S2", "Oxton Joinery Ltd",
                                                                   scale="sme")]  # fmt: skip


def _notice(rid, date, *awards_):
    parties = [party("GB-CFS-1", "Ministry of Invented Affairs", "buyer"), *SUPPLIERS]
    return release(rid=rid, date=date, tags=("award",), parties=parties, awards=list(awards_))


def _award(aid, amount, supplier="S1", **extra):
    return award(aid, amount, [supplier], contractPeriod=PERIOD, **extra)


def _load(tmp_path, *pages):
    paths = [write_json(tmp_path / f"page{i}.json", package(p)) for i, p in enumerate(pages)]
    return load_notices(paths, VOCAB, now=NOW)


def test_a_corrected_value_supersedes_the_first_award(tmp_path):
    tables = _load(tmp_path, [
        _notice("n1", "2025-02-11T12:21:44Z", _award("a-1", 18_848_731.0)),
        _notice("n2", "2025-02-11T12:27:50Z", _award("a-2", 188_487.31)),
    ])  # fmt: skip
    assert tables.awards[["award_id", "value_gbp"]].values.tolist() == [["a-2", 188_487.31]]
    assert list(tables.award_suppliers["award_id"]) == ["a-2"]
    report = tables.report
    assert report["totals"]["awards"] == 1 and report["totals"]["awards_superseded"] == 1
    [listed] = report["superseded_awards"]
    assert (listed["award_id"], listed["value_gbp"], listed["superseded_by"]) == (
        "a-1", 18_848_731.0, "a-2")  # fmt: skip
    assert report["files"][0]["awards_superseded_value_gbp"] == 18_848_731.0


def test_an_award_published_twice_identically_counts_once(tmp_path):
    tables = _load(tmp_path, [
        _notice("n1", "2025-02-11T09:00:00Z", _award("a-1", 5_000.0)),
        _notice("n2", "2025-02-12T09:00:00Z", _award("a-2", 5_000.0)),
    ])  # fmt: skip
    assert tables.awards["value_gbp"].sum() == 5_000.0
    assert len(tables.awards) == 1


def test_a_chain_of_corrections_across_files_keeps_the_latest_and_counts_each_file(tmp_path):
    tables = _load(
        tmp_path,
        [_notice("n1", "2025-02-11T09:00:00Z", _award("a-1", 100.0))],
        [_notice("n2", "2025-02-12T09:00:00Z", _award("a-2", 110.0)),
         _notice("n3", "2025-02-13T09:00:00Z", _award("a-3", 120.0))],
    )  # fmt: skip
    assert tables.awards[["award_id", "value_gbp"]].values.tolist() == [["a-3", 120.0]]
    files = tables.report["files"]
    assert [f["awards_superseded"] for f in files] == [1, 1]
    assert [f["awards_superseded_value_gbp"] for f in files] == [100.0, 110.0]
    assert {a["superseded_by"] for a in tables.report["superseded_awards"]} == {"a-3"}


@pytest.mark.parametrize(
    ("second", "why"),
    [
        pytest.param(_award("a-2", 50.0, supplier="S2"), "another supplier", id="supplier"),
        pytest.param(_award("a-2", 50.0, date="2025-01-27T00:00:00Z"), "another award date",
                     id="award-date"),
        pytest.param(award("a-2", 50.0, ["S1"], contractPeriod={**PERIOD, "endDate":
                           "2026-06-30T00:00:00Z"}), "another contract period", id="period"),
        pytest.param(_award("a-2", 50.0, relatedLots=["2"]), "another lot", id="lot"),
    ],
)  # fmt: skip
def test_awards_that_differ_in_what_makes_an_award_are_both_counted(tmp_path, second, why):
    tables = _load(tmp_path, [
        _notice("n1", "2025-02-11T09:00:00Z", _award("a-1", 100.0)),
        _notice("n2", "2025-02-12T09:00:00Z", second),
    ])  # fmt: skip
    assert tables.awards["value_gbp"].sum() == 150.0, why
    assert tables.report["superseded_awards"] == []


def test_awards_without_an_award_date_are_never_taken_for_one_another(tmp_path):
    first, second = _award("a-1", 100.0), _award("a-2", 100.0)
    del first["date"], second["date"]
    tables = _load(tmp_path, [_notice("n1", "2025-02-11T09:00:00Z", first),
                              _notice("n2", "2025-02-12T09:00:00Z", second)])  # fmt: skip
    assert len(tables.awards) == 2
