"""Data quality: the load report and the store's quality tables as small frames.

Where every row and pound of every file went, each file's own Total row as a check, how
versions of a release were told apart, identifiers not trusted, date columns read by their
layout's order, revisions between releases (and the triangle of each month's total in every
release), unclassified spend, how names were resolved, what the latest update changed, and
what each reading rule did in each file (hidden sheets, merged cells, formulas, accounting
amounts, nil returns, awards superseded by a later notice).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from dashboard.analytics.spend import UNKNOWN_SECTOR
from dashboard.analytics.store import Store
from loaders.core import periods

# Least certain first: the names an analyst should check (loaders.bodies.resolution).
METHOD_ORDER = {
    method: rank
    for rank, method in enumerate(
        ["typo", "part", "fuzzy_list", "ambiguous", "acronym", "renamed", "trimmed",
         "respaced", "exact_sector", "override", "exact_list", "urn_name", "urn", "name_key"]
    )
}  # fmt: skip
TRIANGLE_RELEASES = 12  # the latest releases shown side by side (the download has them all)


# Each file's rows and pounds by outcome, as the load report gives them (read = loaded +
# superseded + quarantined).
OUTCOME_KEYS = (
    "rows_read", "rows_loaded", "rows_superseded", "rows_quarantined",
    "spend_read_gbp", "spend_loaded_gbp", "spend_superseded_gbp", "spend_quarantined_gbp",
)  # fmt: skip


def files(store: Store) -> pd.DataFrame:
    """One row per file: layout, release, months, rows and pounds by outcome."""
    rows = [
        {
            "file": f["file"],
            "layout": f["layout"],
            "release": f["release"],
            "months": f"{f['months']['first']} to {f['months']['last']}",
            **{key: f[key] for key in OUTCOME_KEYS},
            "reconciles": "Yes" if f["reconciles"] else "No",
        }
        for f in store.report["files"]
    ]
    return pd.DataFrame(rows)


def file_checks(store: Store) -> pd.DataFrame:
    """Each file's own Total row against the sum of its rows: a check, not spend."""
    rows = [
        {
            "file": f["file"],
            "declared_total_gbp": f["declared_total_gbp"],
            "data_rows_total_gbp": f["data_rows_total_gbp"],
            "check": "agrees" if f["declared_total_agrees"] else "DISAGREES",
        }
        for f in store.report["files"]
        if f.get("declared_total_gbp") is not None
    ]
    return pd.DataFrame(rows, columns=["file", "declared_total_gbp", "data_rows_total_gbp",
                                       "check"])  # fmt: skip


def quarantine_reasons(store: Store) -> pd.DataFrame:
    """Rows set aside, per file and reason, with their pounds (a Total row carries none)."""
    rows = [
        {"file": f["file"], "reason": reason, "rows": seen["rows"], "spend_gbp": seen["spend_gbp"]}
        for f in store.report["files"]
        for reason, seen in f["quarantined_by_reason"].items()
    ]
    return pd.DataFrame(rows, columns=["file", "reason", "rows", "spend_gbp"])


def _listed(values: Any) -> str:
    return "; ".join(map(str, values)) if isinstance(values, list) else str(values or "")


def release_versions(store: Store) -> pd.DataFrame:
    """How files covering the same framework-months were told apart: versions (the latest
    kept), parts (all kept) or ambiguous (never summed), and why."""
    columns = ["release", "relation", "decided_by", "kept", "superseded", "set_aside", "reason"]
    rows = [
        {column: _listed(entry.get(column)) for column in columns}
        for entry in store.report.get("release_versions", [])
    ]
    return pd.DataFrame(rows, columns=columns)


def untrusted_identifiers(store: Store) -> pd.DataFrame:
    """Identifiers (customer URNs) not trusted: placeholders, or shared by unrelated names;
    their rows were resolved by name."""
    columns = ["identifier", "value", "reason", "names", "rows", "spend_gbp"]
    rows = [
        {**{c: entry.get(c) for c in columns}, "names": _listed(entry.get("names"))}
        for entry in store.report.get("untrusted_identifiers", [])
    ]
    return pd.DataFrame(rows, columns=columns)


def date_orders(store: Store) -> pd.DataFrame:
    """Date columns whose day-month order the values did not decide (read by the layout's
    documented order) or that contradicted themselves."""
    columns = ["file", "column", "order", "decided_by", "ambiguous_rows", "contradicting_rows"]
    return pd.DataFrame(store.report.get("date_orders_flagged", []), columns=columns)


def revisions(store: Store) -> pd.DataFrame:
    """Framework-months revised by later releases, largest change first."""
    table = store.revisions.copy()
    table["month"] = pd.to_datetime(table["month"]).dt.strftime("%Y-%m")
    table = table.sort_values("change_gbp", key=lambda s: s.abs(), ascending=False)
    return table.reset_index(drop=True)


def revisions_triangle(store: Store) -> pd.DataFrame:
    """Each framework-month's total in every release that published it, latest releases
    last (``in_<release>_gbp``), the latest month first; ``provisional`` marks the months
    late returns are likely still to revise."""
    months = store.release_months
    if months.empty:
        return pd.DataFrame()
    order = (
        months.groupby("release")["release_rank"].max().sort_values().index.astype(str).tolist()
    )[-TRIANGLE_RELEASES:]
    shown = months[months["release"].astype(str).isin(order)]
    wide = shown.pivot_table(index=["framework", "month"], columns="release",
                             values="total_gbp", aggfunc="sum", observed=True)  # fmt: skip
    wide = wide.reindex(columns=order).rename(columns=lambda r: f"in_{r}_gbp")
    wide = wide.reset_index().sort_values(["month", "framework"], ascending=[False, True])
    labels = wide["month"].map(periods.month_label)
    wide["provisional"] = labels.isin(store.provisional_months()).map({True: "Yes", False: ""})
    return wide.assign(month=labels).reset_index(drop=True)


def unclassified(store: Store) -> pd.DataFrame:
    """Spend of the unclassified buyer group by customer and sector, largest first."""
    bodies = store.table("customer_fy")
    name = store.vocab.buyer_group("unclassified").name
    chosen = bodies[bodies["buyer_group"].astype(object) == name]
    return (
        chosen.assign(sector=chosen["sector"].astype(object).fillna(UNKNOWN_SECTOR))
        .groupby(["customer", "sector"], observed=True)
        .agg(spend_gbp=("spend_gbp", "sum"), rows=("transactions", "sum"))
        .reset_index()
        .sort_values("spend_gbp", ascending=False, ignore_index=True)
    )


def matches(store: Store) -> pd.DataFrame:
    """Every published name and the body it was resolved to, least certain first."""
    table = store.matches
    if table.empty:
        return pd.DataFrame()
    order = table["method"].astype(str).map(METHOD_ORDER).fillna(len(METHOD_ORDER))
    table = table.assign(order=order).sort_values(
        ["order", "score", "spend_gbp"], ascending=[True, True, False]
    )
    return table.drop(columns="order").reset_index(drop=True)


def latest_changes(store: Store) -> pd.DataFrame:
    """The months the latest update revised (``changes.json``), largest change first."""
    revised = (store.changes or {}).get("months_revised", [])
    columns = ["framework", "month", "before_gbp", "after_gbp", "change_gbp"]
    return pd.DataFrame(revised, columns=columns)


RULE_COLUMNS = ["file", "rule", "what", "count", "unit", "spend_gbp"]


def rules_applied(store: Store) -> pd.DataFrame:
    """Per file, what each reading rule did: sheets not read because hidden (their rows and
    pounds), cells filled from merged cells, formulas worked out or not, accounting amounts
    and period months read, headers over two rows, nil returns; and, per notice file, the
    awards superseded by a later award of their process (their value, never counted)."""
    rows = [
        {"file": f["file"], **{c: entry.get(c) for c in RULE_COLUMNS[1:]}}
        for f in store.report["files"]
        for entry in f.get("rules_applied", [])
    ]
    for f in (store.report.get("ocds") or {}).get("files", []):
        if f.get("awards_superseded"):
            rows.append({
                "file": f["file"], "rule": "award superseded",
                "what": "awards re-published as a new notice of the same process: the earlier "
                        "award is listed, never counted",
                "count": f["awards_superseded"], "unit": "awards",
                "spend_gbp": f.get("awards_superseded_value_gbp"),
            })  # fmt: skip
    return pd.DataFrame(rows, columns=RULE_COLUMNS)
