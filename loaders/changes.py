"""What changed between two stores: a pure comparison, and its summary in words.

:func:`compare_stores` takes the tables of the previous store and of the new one and gives
a JSON-ready dict (written as ``STORE/changes.json`` by ``python -m loaders update``):

- ``files_added`` / ``files_removed``: release files by content (SHA-256), with layout;
- ``months_added`` / ``months_removed``: framework-months present in one store only;
- ``months_revised``: framework-months whose total moved by at least
  ``revision_threshold_gbp`` (default £1,000: smaller moves are counted in
  ``months_revised_below_threshold``, not listed), before and after, largest move first;
- ``new_buyers`` / ``new_suppliers``: bodies (by ``customer_key`` / ``supplier_key``) with
  spend in the new store and none in the previous one, counted and named;
- ``new_layouts``: release layouts no file of the previous store had;
- ``notices_added``: OCDS processes (``ocid``) new in ``notices.parquet``, ``None`` when the
  new store has no notices table.

Amounts are GBP ex VAT, rounded to the penny; months are ``YYYY-MM``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from loaders.bodies.counting import body_keys, known_bodies

REVISION_THRESHOLD_GBP = 1000.0
SPEND_COLUMNS = ["framework", "month", "spend_gbp", "customer_key", "customer"]
SPEND_COLUMNS += ["supplier_key", "supplier"]


def _empty_spend() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype="string") for c in SPEND_COLUMNS})
    return frame.astype({"month": "datetime64[ns]", "spend_gbp": "float64"})


@dataclass(frozen=True)
class StoreTables:
    """The parts of a store the comparison reads.

    ``spend``: the canonical rows (at least :data:`SPEND_COLUMNS`); ``files``: the load
    report's file entries (``file``, ``sha256``, ``layout``, ``release``); ``notices``: a
    notices table with an ``ocid`` column, or ``None`` when the store has none;
    ``source_hashes``: SHA-256 of every spend and notice file the store was built from.
    """

    spend: pd.DataFrame = field(default_factory=_empty_spend)
    files: list[dict[str, Any]] = field(default_factory=list)
    notices: pd.DataFrame | None = None
    source_hashes: frozenset[str] = frozenset()


def _money(value: float) -> float:
    return round(float(value), 2)


def _monthly(spend: pd.DataFrame) -> pd.Series:
    """Spend by (framework, month) with plain string keys."""
    keys = [
        spend["framework"].astype("string").fillna("(no framework)").rename("framework"),
        spend["month"].dt.strftime("%Y-%m").rename("month"),
    ]
    return spend["spend_gbp"].groupby(keys).sum()


def _month_rows(totals: pd.Series) -> list[dict[str, Any]]:
    return [
        {"framework": framework, "month": month, "spend_gbp": _money(value)}
        for (framework, month), value in totals.sort_index().items()
    ]


def _months(before: pd.Series, after: pd.Series, threshold: float) -> dict[str, Any]:
    both = pd.concat({"before": before, "after": after}, axis=1, join="inner")
    change = both["after"] - both["before"]
    moved = change.abs().round(2) >= threshold
    revised = both[moved].assign(change=change[moved])
    revised = revised.reindex(revised["change"].abs().sort_values(ascending=False).index)
    return {
        "months_added": _month_rows(after[~after.index.isin(before.index)]),
        "months_removed": _month_rows(before[~before.index.isin(after.index)]),
        "months_revised": [
            {
                "framework": framework,
                "month": month,
                "before_gbp": _money(row["before"]),
                "after_gbp": _money(row["after"]),
                "change_gbp": _money(row["change"]),
            }
            for (framework, month), row in revised.iterrows()
        ],
        "months_revised_below_threshold": int(((change.abs().round(2) > 0) & ~moved).sum()),
    }


def _new_bodies(before: pd.DataFrame, after: pd.DataFrame, key: str, name: str) -> dict:
    known = body_keys(before, key)
    bodies = known_bodies(after[[key, name]], key).astype(str).drop_duplicates(key)
    new = bodies[~bodies[key].isin(known)].sort_values([name, key])
    return {
        "count": len(new),
        "bodies": [{"key": k, "name": n} for k, n in zip(new[key], new[name], strict=True)],
    }


def _file_rows(files: list[dict[str, Any]], shas: set[str]) -> list[dict[str, Any]]:
    keep = ("file", "layout", "release", "sha256")
    return [{k: f.get(k) for k in keep} for f in files if f.get("sha256") in shas]


def _layouts(files: list[dict[str, Any]]) -> set[str]:
    return {part for f in files for part in str(f.get("layout") or "").split("; ") if part}


def _ocids(notices: pd.DataFrame | None) -> set[str] | None:
    if notices is None or "ocid" not in notices.columns:
        return None
    return set(notices["ocid"].dropna().astype(str))


def _notices_added(previous: StoreTables, new: StoreTables) -> int | None:
    after = _ocids(new.notices)
    if after is None:
        return None
    return len(after - (_ocids(previous.notices) or set()))


def compare_stores(
    previous: StoreTables | None,
    new: StoreTables,
    threshold_gbp: float = REVISION_THRESHOLD_GBP,
) -> dict[str, Any]:
    """What ``new`` adds to or revises in ``previous`` (``None``: no store before).

    Pure: reads only its arguments. See the module docstring for the keys.
    """
    previous = previous or StoreTables()
    before_shas = {f.get("sha256") for f in previous.files}
    after_shas = {f.get("sha256") for f in new.files}
    monthly_before, monthly_after = _monthly(previous.spend), _monthly(new.spend)
    return {
        "revision_threshold_gbp": _money(threshold_gbp),
        "files_added": _file_rows(new.files, after_shas - before_shas),
        "files_removed": _file_rows(previous.files, before_shas - after_shas),
        **_months(monthly_before, monthly_after, threshold_gbp),
        "new_buyers": _new_bodies(previous.spend, new.spend, "customer_key", "customer"),
        "new_suppliers": _new_bodies(previous.spend, new.spend, "supplier_key", "supplier"),
        "new_layouts": sorted(_layouts(new.files) - _layouts(previous.files)),
        "notices_added": _notices_added(previous, new),
        "total_before_gbp": _money(previous.spend["spend_gbp"].sum()),
        "total_after_gbp": _money(new.spend["spend_gbp"].sum()),
    }


def _pounds(value: float) -> str:
    sign = "-" if value < 0 else ""
    return f"{sign}£{abs(value):,.2f}"


def _names(group: dict[str, Any], limit: int) -> str:
    names = [b["name"] for b in group["bodies"][:limit]]
    more = group["count"] - len(names)
    return ", ".join(names) + (f" and {more} more" if more > 0 else "")


def describe_changes(changes: dict[str, Any], limit: int = 10) -> str:
    """A short summary of :func:`compare_stores`'s result, at most ``limit`` items a list."""
    files = changes["files_added"]
    revised = changes["months_revised"]
    notices = changes["notices_added"]
    lines = [
        f"Files added: {len(files)}"
        + (f" ({', '.join(f['file'] for f in files[:limit])})" if files else ""),
        f"Months added: {len(changes['months_added'])}"
        + "".join(
            f"\n  {m['framework']} {m['month']} {_pounds(m['spend_gbp'])}"
            for m in changes["months_added"][:limit]
        ),  # fmt: skip
        f"Months revised by {_pounds(changes['revision_threshold_gbp'])} or more: {len(revised)}"
        + "".join(
            f"\n  {m['framework']} {m['month']}: {_pounds(m['before_gbp'])} -> "
            f"{_pounds(m['after_gbp'])} ({'+' if m['change_gbp'] >= 0 else ''}"
            f"{_pounds(m['change_gbp'])})"
            for m in revised[:limit]
        ),
        f"New buyers: {changes['new_buyers']['count']}"
        + (f" ({_names(changes['new_buyers'], limit)})" if changes["new_buyers"]["count"] else ""),
        f"New suppliers: {changes['new_suppliers']['count']}"
        + (
            f" ({_names(changes['new_suppliers'], limit)})"
            if changes["new_suppliers"]["count"]
            else ""
        ),
        "Layouts never seen before: " + (", ".join(changes["new_layouts"]) or "none"),
        "Notices added: " + ("no notices table" if notices is None else f"{notices:,}"),
    ]
    return "\n".join(lines)
