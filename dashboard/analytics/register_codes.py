"""Adoption against the registers on integer codes: each register body is its row position
in the register table, each month its month number, so a body's status in a period is a
few NumPy operations on sorted arrays instead of string joins and group-bys per request.

The rules are those of :mod:`loaders.bodies.registers.adoption` (its functions stay the
simple reference: tests check that these give the same tables over spend rows).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.analytics.counting import (
    MONTH_NUMBER,
    category_codes,
    distinct_below_with_slots,
    frame_of,
    group_sums,
    month_numbers_of,
)
from dashboard.analytics.selection import one_of
from loaders.bodies.registers.adoption import (
    BODY_COLUMNS,
    OTHER_BUYER_COLUMNS,
    REASON_CLOSED,
    REASON_NOT_IN_REGISTER,
    SME,
    STATUS_COLUMNS,
    STATUSES,
)
from loaders.bodies.registers.table import existing_between
from loaders.core import periods

NONE = -1  # no month


def body_positions(bodies: pd.DataFrame, buyer_matches: pd.DataFrame) -> pd.Series:
    """The register body (its row position in ``bodies``) each matched buyer counts for:
    int64 values indexed by ``customer_key`` (object). ``buyer_matches`` has
    ``customer_key``, ``register``, ``code`` (one row per buyer); matches to a body the
    table lacks are left out."""
    where = pd.MultiIndex.from_arrays(
        [bodies["register"].astype(object), bodies["code"].astype(object)]
    )
    wanted = pd.MultiIndex.from_arrays(
        [buyer_matches["register"].astype(object), buyer_matches["code"].astype(object)]
    )
    position = where.get_indexer(wanted)
    keys = buyer_matches["customer_key"].astype(object).to_numpy()
    found = position >= 0
    return pd.Series(position[found].astype("int64"), index=pd.Index(keys[found], dtype=object))


def positions_of(keys: pd.Series, positions: pd.Series) -> np.ndarray:
    """The register body position of each value of ``keys`` (customer keys; -1 for buyers
    matched to none and for nulls), looked up once per category."""
    codes, categories = category_codes(keys)
    found = positions.index.get_indexer(pd.Index(np.asarray(categories, dtype=object)))
    lookup = np.append(np.where(found >= 0, positions.to_numpy()[found], -1), -1)
    return lookup[codes]


@dataclass(frozen=True)
class BodyMonths:
    """Spend per register body and month, sorted by body then month (the arrays of
    :func:`~loaders.bodies.registers.adoption.register_spend`, bodies as positions)."""

    body: np.ndarray  # int64 row position in the register table
    month: np.ndarray  # int64 month number (loaders.core.periods.month_numbers)
    spend_gbp: np.ndarray  # £ ex VAT
    sme_spend_gbp: np.ndarray  # £ ex VAT with SMEs
    transactions: np.ndarray  # spend rows
    month_dtype: np.dtype  # the dtype months are shown in


# the columns body_months reads (month numbers when the table has them)
BODY_MONTH_COLUMNS = ("customer_key", "month", MONTH_NUMBER, "sme_status", "spend_gbp",
                      "transactions")  # fmt: skip


def body_months(lines: pd.DataFrame, positions: pd.Series) -> BodyMonths:
    """:class:`BodyMonths` of spend rows or aggregate lines (``customer_key``, ``month``,
    ``spend_gbp``, optionally ``sme_status`` and ``transactions``); ``positions`` is
    :func:`body_positions`. Lines of buyers matched to no register body are left out."""
    body = positions_of(lines["customer_key"], positions)
    keep = body >= 0
    months = month_numbers_of(lines)[keep]
    body = body[keep]
    if "sme_status" in lines:
        sme = one_of(lines["sme_status"], frozenset([SME]))[keep]
    else:
        sme = np.zeros(len(body), dtype=bool)
    amount = lines["spend_gbp"].to_numpy()[keep]
    count = lines["transactions"].to_numpy()[keep] if "transactions" in lines else 1
    count = np.broadcast_to(np.asarray(count, dtype="float64"), body.shape)
    low = int(months.min()) if len(months) else 0
    span = int(months.max()) - low + 1 if len(months) else 1
    cells, inverse = distinct_below_with_slots(
        body * span + (months - low), (int(body.max(initial=0)) + 1) * span
    )
    n = len(cells)
    return BodyMonths(
        body=cells // span,
        month=cells % span + low,
        spend_gbp=np.bincount(inverse, weights=amount, minlength=n),
        sme_spend_gbp=np.bincount(inverse, weights=np.where(sme, amount, 0.0), minlength=n),
        transactions=np.bincount(inverse, weights=count, minlength=n).round().astype("int64"),
        month_dtype=lines.dtypes.get("month", np.dtype("datetime64[ns]")),
    )


def as_frame(bodies: pd.DataFrame, months: BodyMonths) -> pd.DataFrame:
    """:class:`BodyMonths` as the table of
    :func:`~loaders.bodies.registers.adoption.register_spend` (``register``, ``code``,
    ``month``, ``spend_gbp``, ``sme_spend_gbp``, ``transactions``)."""
    table = pd.DataFrame({
        "register": bodies["register"].to_numpy()[months.body],
        "code": bodies["code"].to_numpy()[months.body],
        "month": _months(months.month, months.month_dtype),
        "spend_gbp": months.spend_gbp,
        "sme_spend_gbp": months.sme_spend_gbp,
        "transactions": months.transactions,
    })  # fmt: skip
    return table.sort_values(["register", "code", "month"], ignore_index=True)


def _runs(body: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions of the first and of the last line of each run of equal bodies."""
    if len(body) == 0:
        return np.zeros(0, "int64"), np.zeros(0, "int64")
    change = body[1:] != body[:-1]
    return np.flatnonzero(np.r_[True, change]), np.flatnonzero(np.r_[change, True])


def _months(numbers: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """Month numbers as first days of months (``NONE`` as NaT), in ``dtype``."""
    dates = periods.months_of_numbers(np.where(numbers == NONE, 0, numbers))
    return np.where(numbers == NONE, np.datetime64("NaT"), dates).astype(dtype)


def status(bodies: pd.DataFrame, months: BodyMonths, first: dt.date, last: dt.date) -> pd.DataFrame:
    """:func:`~loaders.bodies.registers.adoption.adoption_status` of ``bodies`` (the
    register table) from :class:`BodyMonths` over all time: one row per body that existed
    from ``first`` to ``last`` (:data:`STATUS_COLUMNS` and ``sme_spend_in_period_gbp``),
    in the register table's order, indexed by the body's row position in ``bodies``."""
    n = len(bodies)
    start = int(periods.month_numbers([pd.Timestamp(first)])[0])
    end = int(periods.month_numbers([pd.Timestamp(last)])[0])
    upto = months.month <= end
    body, month = months.body[upto], months.month[upto]
    facts = {name: np.full(n, NONE, "int64") for name in MONTH_FACTS}
    starts, _ = _runs(body)
    facts["first_month"][body[starts]] = month[starts]  # months ascend within a body
    for name, chosen in (("last_month_before", month < start), ("last_month_in_period",
                                                                 month >= start)):  # fmt: skip
        _, ends = _runs(body[chosen])
        facts[name][body[chosen][ends]] = month[chosen][ends]
    during = month >= start
    spend = np.bincount(body[during], months.spend_gbp[upto][during], minlength=n)
    sme = np.bincount(body[during], months.sme_spend_gbp[upto][during], minlength=n)
    alive = np.flatnonzero(existing_between(bodies, first, last))
    before = facts["last_month_before"][alive] != NONE
    bought = facts["last_month_in_period"][alive] != NONE
    state = np.select([before & bought, before, bought], ["returning", "lapsed", "new"], "never")
    table = {column: bodies[column].to_numpy()[alive] for column in BODY_COLUMNS}
    table["status"] = state.astype(object)
    table.update({name: _months(facts[name][alive], months.month_dtype) for name in MONTH_FACTS})
    table["spend_in_period_gbp"] = spend[alive]
    table["sme_spend_in_period_gbp"] = sme[alive]
    table = frame_of(table, pd.Index(alive, name="position"))
    return table[[*STATUS_COLUMNS, "sme_spend_in_period_gbp"]]


MONTH_FACTS = ("first_month", "last_month_before", "last_month_in_period")


def buyers(lines: pd.DataFrame, candidates: pd.Index | None = None) -> pd.DataFrame:
    """Each buyer of ``lines`` (key and name pairs, as published) with its spend (£):
    ``customer_key``, ``customer``, ``spend_gbp``; lines of no known buyer left out, and
    those of buyers not in ``candidates`` (body keys) when it is given."""
    if candidates is None:
        lines = lines[lines["customer_key"].notna()]
    else:
        lines = lines[one_of(lines["customer_key"], frozenset(candidates))]
    table = group_sums(
        {"customer_key": lines["customer_key"], "customer": lines["customer"]},
        {"spend_gbp": lines["spend_gbp"].to_numpy()},
    )
    return table  # group_sums keeps text as Python objects


def other_buyers(
    status_table: pd.DataFrame,
    buyer_table: pd.DataFrame,
    matches: pd.DataFrame,
    positions: pd.Series,
    list_groups: pd.Series,
    register_groups: dict[str, str],
) -> pd.DataFrame:
    """:func:`~loaders.bodies.registers.adoption.other_buyers` on positions, without a
    join: ``status_table`` is :func:`status` (indexed by body position), ``buyer_table``
    the buyers of the period (:func:`buyers`), ``matches`` the register match of each buyer
    (:func:`matches_by_buyer`) and ``positions`` :func:`body_positions`."""
    largest = max(positions.to_numpy().max(initial=-1), status_table.index.max(skipna=True)
                  if len(status_table) else -1)  # fmt: skip
    counted = np.zeros(int(largest) + 2, dtype=bool)  # the last slot (-1): no body
    counted[status_table.index.to_numpy()] = True
    keys = buyer_table["customer_key"].to_numpy()
    position = positions.reindex(keys).fillna(-1).to_numpy().astype("int64")
    rows = buyer_table[~counted[position]]
    found = matches.reindex(rows["customer_key"].to_numpy())
    matched = found["register"].notna().to_numpy()
    group = found["register"].map(register_groups).to_numpy()
    listed = rows["customer_key"].map(list_groups).fillna("").to_numpy()
    table = pd.DataFrame({
        "group": np.where(matched, group, listed),
        "customer_key": rows["customer_key"].to_numpy(),
        "customer": rows["customer"].to_numpy(),
        "register": found["register"].to_numpy(),
        "code": found["code"].to_numpy(),
        "reason": np.where(matched, REASON_CLOSED, REASON_NOT_IN_REGISTER),
        "spend_in_period_gbp": rows["spend_gbp"].to_numpy(),
    })  # fmt: skip
    table = table[table["group"].fillna("").ne("").to_numpy()]
    return table[OTHER_BUYER_COLUMNS].sort_values(["group", "customer"], ignore_index=True)


def candidates(
    status_table: pd.DataFrame, matches: pd.DataFrame, positions: pd.Series, list_groups: pd.Series
) -> pd.Index:
    """The buyers (keys) that can be among :func:`other_buyers` of ``status_table``: matched
    to a register body not counted in the period (or to one the table lacks), or matched to
    none and of a kind the customer list names (``list_groups`` not empty)."""
    uncounted = positions.index[~np.isin(positions.to_numpy(), status_table.index.to_numpy())]
    listed = list_groups.index[list_groups.ne("").to_numpy()].difference(matches.index)
    chosen = pd.Index(matches.index.difference(positions.index)).union(uncounted)
    return chosen.union(listed)


def matches_by_buyer(buyer_matches: pd.DataFrame) -> pd.DataFrame:
    """``register`` and ``code`` (objects) of each matched buyer, indexed by
    ``customer_key`` (one row per buyer)."""
    table = buyer_matches[["customer_key", "register", "code"]].astype(object)
    return table.set_index("customer_key")


def summary(status_table: pd.DataFrame, by: str = "group") -> pd.DataFrame:
    """:func:`~loaders.bodies.registers.adoption.adoption_summary` counted with arrays: per
    value of ``by`` (sorted; bodies with none left out), bodies that could buy, buying (new
    + returning), each status (:data:`STATUSES`) and the share buying (%)."""
    labels, values = pd.factorize(status_table[by], sort=True, use_na_sentinel=True)
    state = pd.Categorical(status_table["status"], categories=list(STATUSES)).codes
    kept = (labels >= 0) & (state >= 0)
    cells = np.bincount(labels[kept] * len(STATUSES) + state[kept],
                        minlength=len(values) * len(STATUSES))  # fmt: skip
    cells = cells.reshape(len(values), len(STATUSES)).astype("int64")
    bodies = cells.sum(axis=1)
    present = bodies > 0
    cells, bodies = cells[present], bodies[present]
    column = dict(zip(STATUSES, cells.T, strict=True))
    buying = column["new"] + column["returning"]
    return frame_of({
        by: np.asarray(values, dtype=object)[present], "bodies": bodies, "buying": buying,
        **column, "share_buying_pct": 100 * buying / bodies,
    })  # fmt: skip


def listed(status_table: pd.DataFrame, group_order: dict[str, int],
           status_order: dict[str, int]) -> pd.DataFrame:  # fmt: skip
    """``status_table`` sorted by group (``group_order``), status (``status_order``) and
    name, stably, with its months as ``YYYY-MM`` (empty when none)."""
    by_name = pd.factorize(status_table["name"], sort=True)[0]
    ranks = [status_table[c].map(order).to_numpy(dtype="float64", na_value=np.nan)
             for c, order in (("status", status_order), ("group", group_order))]  # fmt: skip
    order = np.lexsort((by_name, *ranks))
    table = {column: status_table[column].to_numpy()[order] for column in status_table.columns}
    for column in MONTH_FACTS:
        months = np.datetime_as_string(table[column].astype("datetime64[M]"))
        table[column] = np.where(months == "NaT", "", months).astype(object)
    return frame_of(table)
