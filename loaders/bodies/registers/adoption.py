"""Adoption measured against the registers: of the bodies that could buy in a period, which
never bought, which lapsed, which are new and which came back.

For a period (its first and last day) and every register body that existed in it (the
denominator, :func:`~loaders.bodies.registers.table.existing_between`):

- ``never``: no purchase up to the end of the period;
- ``lapsed``: bought before the period, not in it (with the month of its last purchase);
- ``new``: its first purchase falls in the period;
- ``returning``: bought before the period and in it.

A body bought in a month when any spend line of a buyer matched to it
(:func:`~loaders.bodies.registers.matching.match_buyers`) falls in that month, credits
included. Buyers matched to no register body are not here: they count as buyers in their
sector (the rest of the dashboard), never as register bodies.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from loaders.bodies.registers.table import existing_between

STATUSES = ("new", "returning", "lapsed", "never")
SME = "SME"  # the sme_status of spend with small and medium-sized suppliers
STATUS_LABELS = {
    "new": "New: first purchase in the period",
    "returning": "Returning: bought before and in the period",
    "lapsed": "Lapsed: bought before, not in the period",
    "never": "Never bought (up to the end of the period)",
}
BODY_COLUMNS = ["register", "code", "name", "group", "organisation_type", "nation", "region",
                "combined_authority"]  # fmt: skip
STATUS_COLUMNS = [*BODY_COLUMNS, "status", "first_month", "last_month_before",
                  "last_month_in_period", "spend_in_period_gbp"]  # fmt: skip


def register_spend(spend: pd.DataFrame, buyer_matches: pd.DataFrame) -> pd.DataFrame:
    """Spend (£ ex VAT), spend with SMEs (£) and lines per register body and month:
    ``register``, ``code``, ``month``, ``spend_gbp``, ``sme_spend_gbp``, ``transactions``.

    ``spend`` has ``customer_key``, ``month``, ``spend_gbp`` (optionally ``sme_status``, and
    ``transactions``: lines each row stands for); ``buyer_matches`` has ``customer_key``,
    ``register``, ``code``."""
    lines = spend[["customer_key", "month", "spend_gbp"]].assign(
        transactions=spend["transactions"] if "transactions" in spend else 1
    )
    if "sme_status" in spend:
        sme = spend["sme_status"].astype(object).eq(SME).to_numpy()
    else:
        sme = np.zeros(len(spend), dtype=bool)
    lines = lines.assign(customer_key=lines["customer_key"].astype(object),
                         sme_spend_gbp=lines["spend_gbp"].where(sme, 0.0))  # fmt: skip
    joined = lines.merge(buyer_matches[["customer_key", "register", "code"]], on="customer_key")
    table = joined.groupby(["register", "code", "month"], as_index=False, observed=True)[
        ["spend_gbp", "sme_spend_gbp", "transactions"]
    ].sum()
    return table.sort_values(["register", "code", "month"], ignore_index=True)


def adoption_status(
    bodies: pd.DataFrame, body_months: pd.DataFrame, first: dt.date, last: dt.date
) -> pd.DataFrame:
    """One row per register body that existed from ``first`` to ``last``
    (:data:`STATUS_COLUMNS`): its status (:data:`STATUSES`), first month ever bought, last
    month bought before the period, last month bought in it, spend in the period (£).

    ``bodies`` is the register table (:func:`~loaders.bodies.registers.table.
    read_register_bodies`); ``body_months`` is :func:`register_spend` over all time (spend
    after the period is ignored)."""
    alive = bodies.loc[existing_between(bodies, first, last), BODY_COLUMNS]
    start, end = pd.Timestamp(first), pd.Timestamp(last)
    months = body_months[body_months["month"] <= end]
    before = months[months["month"] < start]
    during = months[months["month"] >= start]
    keys = ["register", "code"]
    facts = pd.DataFrame(index=pd.MultiIndex.from_frame(alive[keys]))
    facts["first_month"] = months.groupby(keys)["month"].min()
    facts["last_month_before"] = before.groupby(keys)["month"].max()
    facts["last_month_in_period"] = during.groupby(keys)["month"].max()
    facts["spend_in_period_gbp"] = during.groupby(keys)["spend_gbp"].sum()
    if "sme_spend_gbp" in during:
        facts["sme_spend_in_period_gbp"] = during.groupby(keys)["sme_spend_gbp"].sum()
    facts = facts.reset_index()
    money = [c for c in ("spend_in_period_gbp", "sme_spend_in_period_gbp") if c in facts]
    facts[money] = facts[money].fillna(0.0)
    bought_before = facts["last_month_before"].notna()
    bought_in = facts["last_month_in_period"].notna()
    facts["status"] = "never"
    facts.loc[bought_before & ~bought_in, "status"] = "lapsed"
    facts.loc[~bought_before & bought_in, "status"] = "new"
    facts.loc[bought_before & bought_in, "status"] = "returning"
    table = alive.merge(facts, on=keys, how="left")
    extra = ["sme_spend_in_period_gbp"] if "sme_spend_in_period_gbp" in table else []
    return table[STATUS_COLUMNS + extra].reset_index(drop=True)


def adoption_summary(status: pd.DataFrame, by: str = "group") -> pd.DataFrame:
    """Per value of ``by`` (``group``, ``organisation_type``, ``region``...): bodies that
    could buy, bodies buying in the period (new + returning), each status, and the share
    buying (%)."""
    counts = pd.crosstab(status[by], status["status"]).reindex(columns=list(STATUSES),
                                                              fill_value=0)  # fmt: skip
    counts.columns = list(STATUSES)
    counts.insert(0, "bodies", counts.sum(axis=1))
    counts.insert(1, "buying", counts["new"] + counts["returning"])
    counts["share_buying_pct"] = 100 * counts["buying"] / counts["bodies"]
    return counts.reset_index()


OTHER_BUYER_COLUMNS = ["group", "customer_key", "customer", "register", "code", "reason",
                       "spend_in_period_gbp"]  # fmt: skip
REASON_CLOSED = "its register body did not exist in the period (closed, merged or not yet made)"
REASON_NOT_IN_REGISTER = "in no register; the customer list names its kind"


def other_buyers(
    status: pd.DataFrame,
    buyers: pd.DataFrame,
    buyer_matches: pd.DataFrame,
    list_groups: pd.Series,
    register_groups: dict[str, str],
) -> pd.DataFrame:
    """Buyers in the period of a group's kind that are not among its register bodies buying
    (:data:`OTHER_BUYER_COLUMNS`): a buyer matched to a register body that did not exist in
    the period (an NHS trust merged away, buying under its old name), or matched to none but
    of a kind the customer list puts in the group (``adoption_group``: the Isle of Man
    Constabulary is a police service, not a UK territorial force). Shown apart, never in a
    denominator.

    ``buyers`` has ``customer_key``, ``customer``, ``spend_gbp`` (in the period, one row per
    buyer); ``list_groups`` maps a buyer's key to its customer-list adoption group;
    ``register_groups`` maps a register to its group."""
    counted = set(zip(status["register"], status["code"], strict=True))
    joined = buyers.merge(buyer_matches[["customer_key", "register", "code"]],
                          on="customer_key", how="left")  # fmt: skip
    pairs = zip(joined["register"], joined["code"], strict=True)
    in_status = np.array([pair in counted for pair in pairs], dtype=bool)
    joined = joined[~in_status].copy()
    matched = joined["register"].notna()
    joined["group"] = joined["register"].map(register_groups)
    listed = joined["customer_key"].map(list_groups).fillna("")
    joined.loc[~matched, "group"] = listed[~matched]
    joined["reason"] = [REASON_CLOSED if m else REASON_NOT_IN_REGISTER for m in matched]
    joined = joined[joined["group"].fillna("").ne("")]
    joined = joined.rename(columns={"spend_gbp": "spend_in_period_gbp"})
    return joined[OTHER_BUYER_COLUMNS].sort_values(["group", "customer"], ignore_index=True)


def group_buyers(status: pd.DataFrame, others: pd.DataFrame) -> pd.DataFrame:
    """Per group: register bodies buying in the period, other buyers of the group's kind
    (:func:`other_buyers`) and buyers in all."""
    register = adoption_summary(status).set_index("group")["buying"]
    other = others.groupby("group")["customer_key"].nunique()
    table = pd.DataFrame({"register_bodies_buying": register, "other_buyers": other})
    table = table.fillna(0).astype("int64")
    table["buyers"] = table["register_bodies_buying"] + table["other_buyers"]
    return table.rename_axis("group").reset_index()


AREA_COLUMNS = ["area", "bodies", "buying", "share_buying_pct", "spend_gbp",
                "sme_share_value_pct"]  # fmt: skip


def area_summary(
    status: pd.DataFrame, by: str = "region", areas: set[str] | None = None
) -> pd.DataFrame:
    """Per area (``region``, or ``combined_authority``: its constituent councils) of the
    register bodies of ``status`` (:func:`adoption_status` with SME spend): bodies that could
    buy, bodies buying in the period, the share buying (%), their spend in the period (£) and
    the share of it with SMEs (% by value; NaN without spend). Bodies with no area are left
    out, and so are areas not in ``areas`` when it is given (see
    :func:`combined_authorities_in`: membership is today's, so a period shows only the
    combined authorities that existed in it)."""
    located = status[status[by].fillna("").ne("")]
    if areas is not None:
        located = located[located[by].isin(areas)]
    buying = located["status"].isin(["new", "returning"])
    grouped = located.assign(_buying=buying).groupby(by)
    table = pd.DataFrame({
        "bodies": grouped.size(),
        "buying": grouped["_buying"].sum(),
        "spend_gbp": grouped["spend_in_period_gbp"].sum(),
        "sme_gbp": grouped["sme_spend_in_period_gbp"].sum(),
    })  # fmt: skip
    table["share_buying_pct"] = 100 * table["buying"] / table["bodies"]
    spend = table["spend_gbp"].where(table["spend_gbp"].ne(0))
    table["sme_share_value_pct"] = 100 * table["sme_gbp"] / spend
    table = table.rename_axis("area").reset_index()
    return table[AREA_COLUMNS].sort_values("area", ignore_index=True)


def combined_authorities_in(status: pd.DataFrame) -> set[str]:
    """Codes of the combined authorities that existed in the period of ``status``."""
    return set(status.loc[status["register"].eq("combined-authority"), "code"])
