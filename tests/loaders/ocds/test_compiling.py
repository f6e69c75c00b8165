"""Compiling a process's releases into its current state, and counting duplicates once."""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders.sources.ocds.checks import parse_date
from loaders.sources.ocds.compiling import (
    MERGE_RULES,
    ReleaseSpool,
    compile_releases,
    read_merge_rules,
)
from tests.loaders.ocds.builders import award, party, release

RULES = read_merge_rules()


def test_merge_rules_come_from_the_reference_file():
    assert RULES[("tag",)] == "omitWhenMerged"
    assert RULES[("tender", "items", "additionalClassifications")] == "wholeListMerge"
    assert MERGE_RULES.name == "ocds_merge_rules.csv"


def test_unknown_rule_is_refused(tmp_path):
    path = tmp_path / "rules.csv"
    path.write_text("path,rule,note\nawards,mergeByMagic,\n", encoding="utf-8")
    with pytest.raises(ValueError, match="mergeByMagic"):
        read_merge_rules(path)


def test_later_release_values_win_and_earlier_ones_stay():
    tender = release(rid="1", tender={"title": "Old", "description": "Kept", "status": "active"})
    amended = release(
        rid="2", date="2025-01-12T09:00:00Z", tags=("tenderAmendment",),
        tender={"title": "New", "status": "active"},
    )  # fmt: skip
    compiled = compile_releases([tender, amended], RULES)
    assert compiled["tender"] == {"title": "New", "description": "Kept", "status": "active"}
    assert compiled["tag"] == ["compiled"] and compiled["date"] == "2025-01-12T09:00:00Z"


def test_null_removes_a_field():
    first = release(rid="1", tender={"title": "T", "description": "D"})
    second = release(rid="2", date="2025-01-11T00:00:00Z", tender={"description": None})
    assert compile_releases([first, second], RULES)["tender"] == {"title": "T"}


def test_arrays_of_objects_with_ids_merge_by_id():
    first = release(
        rid="1", tags=("award",),
        parties=[party("S1", "Acme", scale="sme")],
        awards=[award("A1", 100.0, ["S1"])],
    )  # fmt: skip
    update = release(
        rid="2", date="2025-01-11T00:00:00Z", tags=("awardUpdate",),
        parties=[party("S2", "Bigco", scale="large")],
        awards=[award("A1", 120.0, ["S1"]), award("A2", 50.0, ["S2"])],
    )  # fmt: skip
    compiled = compile_releases([first, update], RULES)
    assert [(a["id"], a["value"]["amount"]) for a in compiled["awards"]] == [
        ("A1", 120.0),
        ("A2", 50.0),
    ]
    assert [p["id"] for p in compiled["parties"]] == ["S1", "S2"]


def test_arrays_without_ids_are_replaced_whole():
    first = release(
        rid="1", tender={"items": [{"id": "1", "deliveryAddresses": [{"region": "A"}]}]}
    )
    second = release(
        rid="2", date="2025-01-11T00:00:00Z",
        tender={"items": [{"id": "1", "deliveryAddresses": [{"region": "B"}]}]},
    )  # fmt: skip
    compiled = compile_releases([first, second], RULES)
    assert compiled["tender"]["items"][0]["deliveryAddresses"] == [{"region": "B"}]


def test_id_less_arrays_not_in_the_rules_are_replaced_whole_too():
    first = release(rid="1", tender={"notes": [{"text": "a"}]})
    second = release(rid="2", date="2025-01-11T00:00:00Z", tender={"notes": [{"text": "b"}]})
    assert compile_releases([first, second], RULES)["tender"]["notes"] == [{"text": "b"}]


def _spool_add(spool, value, source=("f.json", 1)):
    key = (value["ocid"], value["id"])
    return spool.add(key, parse_date(value["date"]), value, source)


def test_spool_orders_by_date_across_offsets_not_by_text():
    # 10:30+01:00 is 09:30 UTC: before 10:00Z, though its text sorts after
    later = release(rid="later", date="2025-01-10T10:00:00Z", tender={"title": "Later"})
    earlier = release(rid="earlier", date="2025-01-10T10:30:00+01:00", tender={"title": "Earlier"})
    with ReleaseSpool() as spool:
        _spool_add(spool, later)
        _spool_add(spool, earlier)
        [(ocid, releases)] = list(spool.processes())
    assert ocid == "ocds-inv-1" and [r["id"] for r in releases] == ["earlier", "later"]
    assert compile_releases(releases, RULES)["tender"]["title"] == "Later"


def test_spool_counts_a_release_id_once_and_says_where_it_was_first_read():
    first = release(rid="r1")
    with ReleaseSpool() as spool:
        assert _spool_add(spool, first, ("a.json", 3)) is None
        same = _spool_add(spool, release(rid="r1"), ("b.json", 7))
        differing = _spool_add(spool, release(rid="r1", tender={"title": "X"}), ("b.json", 8))
        other_process = _spool_add(spool, release(ocid="ocds-inv-2", rid="r1"))
        processes = list(spool.processes())
    assert (same.source_file, same.position, same.same_content) == ("a.json", 3, True)
    assert differing.same_content is False
    assert other_process is None  # ids are unique within an ocid only
    assert [(ocid, len(rs)) for ocid, rs in processes] == [("ocds-inv-1", 1), ("ocds-inv-2", 1)]


def test_spool_keys_order_does_not_make_a_copy_differ():
    a = {"ocid": "o", "id": "1", "date": "2025-01-01T00:00:00Z", "tag": ["tender"]}
    b = {"tag": ["tender"], "date": "2025-01-01T00:00:00Z", "id": "1", "ocid": "o"}
    with ReleaseSpool() as spool:
        _spool_add(spool, a)
        assert _spool_add(spool, b).same_content is True


def test_spool_file_is_removed_on_exit():
    with ReleaseSpool() as spool:
        folder = Path(spool._folder.name)
        assert folder.is_dir()
    assert not folder.exists()
