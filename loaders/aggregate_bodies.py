"""The ``bodies`` aggregate table, from the monthly customer and supplier lines.

Every customer and supplier body with its display name, its pounds (ex VAT) and rows, and for
a supplier its SME status now (:func:`sme_status_now`). It is summed from the monthly lines
of the ``customer`` and ``supplier`` tables (:mod:`loaders.aggregates`), each body's lines
one after another in the tables' month order, so that an append, whose new lines come after
every stored one, adds them to the stored sums and gives the same figures bit for bit
(:func:`appended_bodies`): it never reads the spend rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from loaders.catalogue.aggregate_tables import CUSTOMER, MEASURES, SUPPLIER

KNOWN_SME_STATUSES = ("SME", "Large")
SME_COLUMNS = ("latest_sme_status", "sme_status_changed", "previous_sme_status")
KINDS = {"customer": CUSTOMER, "supplier": SUPPLIER}


def monthly_sme_status(lines: pd.DataFrame) -> pd.DataFrame:
    """Each supplier's SME status in each month it has one: the known status (SME or
    Large) most of its rows that month carry (ties: most pounds, then SME). ``lines`` are
    supplier lines (``supplier_key``, ``month``, ``sme_status``, ``spend_gbp``,
    ``transactions``). Returns ``supplier_key``, ``month``, ``sme_status``, by supplier and
    month."""
    status = lines["sme_status"].astype(object)
    known = lines[status.isin(KNOWN_SME_STATUSES).to_numpy(dtype=bool)].assign(sme_status=status)
    columns = ["supplier_key", "month", "sme_status"]
    if known.empty:
        return pd.DataFrame(columns=columns)
    known = known.assign(supplier_key=known["supplier_key"].astype(object))
    monthly = (
        known.groupby(columns, sort=True)
        .agg(size=("transactions", "sum"), total=("spend_gbp", "sum"))
        .reset_index()
        .sort_values(
            ["supplier_key", "month", "size", "total", "sme_status"],
            ascending=[True, True, False, False, False],
        )
        .drop_duplicates(["supplier_key", "month"])
    )
    return monthly[columns].reset_index(drop=True)


def sme_status_now(monthly: pd.DataFrame, before: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each supplier's SME status now and when it last changed, from its ``monthly`` status
    (:func:`monthly_sme_status`) and, for an append, ``before``: the stored status
    (:data:`SME_COLUMNS`, by supplier key) of months all earlier than those of ``monthly``.

    Returns, by supplier key: ``latest_sme_status`` (the status of its latest month with
    one), ``sme_status_changed`` (the first month of that status after a month with the
    other; null if it never changed) and ``previous_sme_status`` (the status before)."""
    earlier = pd.DataFrame(columns=["supplier_key", "month", "sme_status"])
    if before is not None and len(before):
        known = before[before["latest_sme_status"].notna().to_numpy(dtype=bool)]
        earlier = pd.DataFrame({"supplier_key": known.index.astype(object),
                                "month": pd.NaT, "sme_status": known["latest_sme_status"]
                                .astype(object).to_numpy()})  # fmt: skip
    history = pd.concat([df for df in (earlier, monthly) if len(df)] or [earlier],
                        ignore_index=True)  # fmt: skip
    if history.empty:
        return pd.DataFrame(columns=list(SME_COLUMNS), index=pd.Index([], name="supplier_key"))
    shifted = history.groupby("supplier_key", sort=False)["sme_status"].shift()
    changes = history.assign(previous=shifted)[shifted.notna() & shifted.ne(history["sme_status"])]
    last_change = changes.drop_duplicates("supplier_key", keep="last").set_index("supplier_key")
    out = history.drop_duplicates("supplier_key", keep="last").set_index("supplier_key")
    now = pd.DataFrame(
        {
            "latest_sme_status": out["sme_status"],
            "sme_status_changed": last_change["month"].reindex(out.index),
            "previous_sme_status": last_change["previous"].reindex(out.index),
        }
    )
    if before is not None and len(before):  # no change in the new months: the stored one
        unchanged = before.index.intersection(now.index).difference(last_change.index)
        for column in ("sme_status_changed", "previous_sme_status"):
            now[column] = now[column].astype(object)
            now.loc[unchanged, column] = before.loc[unchanged, column].astype(object)
    return now


def _totals(lines: pd.DataFrame, kind: str, start: pd.DataFrame | None) -> pd.DataFrame:
    """Per body of ``kind``: its name (from its first line, or ``start``'s), pounds and rows
    summed line after line in table order onto ``start``'s (a stored ``bodies`` slice by
    key; ``None``: from zero)."""
    key, name = KINDS[kind]
    known = lines[lines[key].notna().to_numpy(dtype=bool)]
    keys = known[key].astype(object).to_numpy()
    firsts = pd.DataFrame({"key": keys, "name": known[name].astype(object).to_numpy()})
    firsts = firsts.drop_duplicates("key")
    if start is not None:
        firsts = firsts[~firsts["key"].isin(start.index)]
        firsts = pd.concat([start["name"].astype(object).rename_axis("key").reset_index(),
                            firsts], ignore_index=True)  # fmt: skip
    firsts = firsts.sort_values("key", kind="stable", ignore_index=True)
    where = pd.Index(firsts["key"]).get_indexer(keys)
    out = {}
    for measure in MEASURES:
        values = np.zeros(len(firsts), "float64")
        if start is not None:
            found = start[measure].reindex(firsts["key"]).to_numpy(dtype="float64")
            values = np.where(np.isnan(found), 0.0, found)
        np.add.at(values, where, known[measure].to_numpy(dtype="float64"))  # in order
        out[measure] = values
    return firsts.assign(
        spend_gbp=out["spend_gbp"],
        transactions=out["transactions"].round().astype("int64"),
        kind=kind,
    )


def _table(customers: pd.DataFrame, suppliers: pd.DataFrame, sme: pd.DataFrame) -> pd.DataFrame:
    bodies = pd.concat([customers, suppliers], ignore_index=True)[
        ["kind", "key", "name", *MEASURES]
    ]
    bodies["name"] = bodies["name"].astype(object).astype("string")
    bodies["key"] = bodies["key"].astype(object).astype("string")
    sme = sme.copy()
    sme.index = sme.index.astype(object)
    is_supplier = bodies["kind"].eq("supplier").to_numpy()
    for column in SME_COLUMNS:
        dtype = "datetime64[ns]" if column.endswith("changed") else "string"
        found = sme[column].astype(dtype).reindex(bodies["key"].astype(object).to_numpy())
        values = pd.Series(found.to_numpy(), index=bodies.index).where(is_supplier)
        bodies[column] = values.astype(dtype)
    return bodies.sort_values(["kind", "spend_gbp"], ascending=[True, False], ignore_index=True)


def bodies_of_lines(customer: pd.DataFrame, supplier: pd.DataFrame) -> pd.DataFrame:
    """The ``bodies`` table of the monthly ``customer`` and ``supplier`` aggregate tables."""
    sme = sme_status_now(monthly_sme_status(supplier))
    return _table(_totals(customer, "customer", None), _totals(supplier, "supplier", None), sme)


def appended_bodies(
    stored: pd.DataFrame, customer: pd.DataFrame, supplier: pd.DataFrame
) -> pd.DataFrame:
    """The ``bodies`` table of a store (``stored``) with the monthly ``customer`` and
    ``supplier`` lines of new months, all later than the stored ones, added: what
    :func:`bodies_of_lines` gives for all the lines, from the stored table alone."""
    by_kind = {kind: stored[stored["kind"].eq(kind).to_numpy(dtype=bool)].set_index("key")
               for kind in KINDS}  # fmt: skip
    for frame in by_kind.values():
        frame.index = frame.index.astype(object)
    before = by_kind["supplier"][list(SME_COLUMNS)]
    sme = sme_status_now(monthly_sme_status(supplier), before)
    return _table(_totals(customer, "customer", by_kind["customer"]),
                  _totals(supplier, "supplier", by_kind["supplier"]), sme)  # fmt: skip
