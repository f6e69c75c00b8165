"""Alerts without email: what each update changed for each buyer, supplier, department and
area,
kept across updates in ``STORE/alerts.json`` (the app serves each as an Atom feed).

At each ``python -m loaders update``, :func:`body_events` compares the previous store with the
new one body by body (pure: it reads only its arguments), and :func:`with_update` adds those
events to the history the previous store kept (the latest :data:`KEEP_UPDATES` updates).
Events, per feed (``buyer``, ``supplier``, ``department``) and body:

- ``new spend``: spend in framework-months the previous store did not have (a new release);
- ``first purchase`` (a buyer) / ``first sale`` (a supplier): a body with spend in the new
  store and none before;
- ``lapsed``: a buyer whose latest purchase was within :data:`LAPSE_MONTHS` months of the
  previous store's latest month and is no longer within them of the new store's;
- ``new notices``: processes (ocids) of the buyer new in this store, on any notice platform
  (Contracts Finder, Find a Tender, Public Contracts Scotland, Sell2Wales), named in the title;
- ``revision``: a month of the body's spend (framework by framework) that moved by at least
  the revision threshold (£1,000 by default) between the stores.

A department's feed holds the events of its bodies (``data/reference/departments.csv``);
an area's (``region``: a region or nation, by name; ``combined_authority``: by code) the
events of the buyers matched to its register bodies
(:func:`~loaders.bodies.registers.areas.buyer_places`).
Amounts are GBP ex VAT, rounded to the penny; months are ``YYYY-MM``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from loaders.bodies.counting import known_bodies
from loaders.bodies.departments import NO_DEPARTMENT, departments_of_customers
from loaders.bodies.registers.areas import AREA_KINDS
from loaders.changes import REVISION_THRESHOLD_GBP, StoreTables
from loaders.core.text import in_words

ALERTS_FILE = "alerts.json"
ALERTS_FORMAT = 1
KEEP_UPDATES = 24  # updates kept in the history (a year of fortnightly updates)
LAPSE_MONTHS = 12
LISTED = 5  # months, notices or bodies named in one event (the others counted)
NOTICE_COLUMNS = ["ocid", "customer_key", "customer", "title"]
KINDS = {"customer": "buyer", "supplier": "supplier"}


def _pounds(value: float) -> str:
    sign = "-" if value < 0 else ""
    return f"{sign}£{abs(value):,.2f}"


def _listed(items: list[str], noun: str) -> str:
    shown = items[:LISTED]
    more = len(items) - len(shown)
    return "; ".join(shown) + (f"; and {more} other {noun}" if more else "")


def _event(feed: str, key: str, name: str, kind: str, title: str, amount: float | None,
           **extra: Any) -> dict[str, Any]:  # fmt: skip
    return {"feed": feed, "key": str(key), "name": str(name), "kind": kind, "title": title,
            "amount_gbp": None if amount is None else round(float(amount), 2), **extra}  # fmt: skip


def _by_body_month(spend: pd.DataFrame, kind: str) -> pd.Series:
    """Spend per (body key, framework, month) of bodies of ``kind``."""
    rows = known_bodies(spend, f"{kind}_key")
    keys = [rows[f"{kind}_key"].astype(str).rename("key"),
            rows["framework"].astype("string").fillna("(no framework)").rename("framework"),
            rows["month"].dt.strftime("%Y-%m").rename("month")]  # fmt: skip
    return rows["spend_gbp"].groupby(keys).sum()


def _names(spend: pd.DataFrame, kind: str) -> dict[str, str]:
    rows = known_bodies(spend, f"{kind}_key")
    return dict(zip(rows[f"{kind}_key"].astype(str), rows[kind].astype(str), strict=True))


def _new_spend(before: pd.Series, after: pd.Series, feed: str, names: dict) -> list[dict]:
    months_before = set(zip(before.index.get_level_values("framework"),
                            before.index.get_level_values("month"), strict=True))  # fmt: skip
    pairs = zip(after.index.get_level_values("framework"), after.index.get_level_values("month"),
                strict=True)  # fmt: skip
    added = after[[pair not in months_before for pair in pairs]]
    events = []
    for key, part in added.groupby(level="key"):
        months = sorted(set(part.index.get_level_values("month")))
        span = months[0] if len(months) == 1 else f"{months[0]} to {months[-1]}"
        total = float(part.sum())
        events.append(_event(feed, key, names.get(key, key), "new spend",
                             f"{_pounds(total)} of new spend reported for {span}", total,
                             months=months))  # fmt: skip
    return events


def _revisions(before: pd.Series, after: pd.Series, feed: str, names: dict, threshold: float):
    both = pd.concat({"before": before, "after": after}, axis=1, join="inner")
    change = both["after"] - both["before"]
    # the change assigned before the cut: assigned to an empty frame, a Series brings its
    # index with it (every month of every body, as a "revision" of £nan)
    moved = both.assign(change=change)[change.abs().round(2) >= threshold]
    events = []
    for key, part in moved.groupby(level="key"):
        part = part.reindex(part["change"].abs().sort_values(ascending=False).index)
        lines = [f"{f} {m}: {_pounds(r.before)} -> {_pounds(r.after)}"
                 for (_, f, m), r in part.iterrows()]  # fmt: skip
        total = float(part["change"].sum())
        events.append(_event(feed, key, names.get(key, key), "revision",
                             f"{len(part)} month(s) revised by £1,000 or more: "
                             f"{_listed(lines, 'months')}", total))  # fmt: skip
    return events


def _firsts(before: pd.Series, after: pd.Series, feed: str, names: dict) -> list[dict]:
    known = set(before.index.get_level_values("key"))
    verb = "purchase" if feed == "buyer" else "sale"
    events = []
    for key, part in after.groupby(level="key"):
        if key in known:
            continue
        first = min(part.index.get_level_values("month"))
        events.append(_event(feed, key, names.get(key, key), f"first {verb}",
                             f"First {verb} through the frameworks: {_pounds(float(part.sum()))}"
                             f" from {first}", float(part.sum()), first_month=first))  # fmt: skip
    return events


def _last_months(series: pd.Series) -> pd.Series:
    months = series[series.ne(0)].index.to_frame(index=False)
    return months.groupby("key")["month"].max() if len(months) else pd.Series(dtype=str)


def _lapsed(before: pd.Series, after: pd.Series, names: dict) -> list[dict]:
    if before.empty or after.empty:
        return []

    def cut(series: pd.Series) -> str:
        latest = pd.Timestamp(max(series.index.get_level_values("month")) + "-01")
        return (latest - pd.DateOffset(months=LAPSE_MONTHS - 1)).strftime("%Y-%m")

    was, now = _last_months(before), _last_months(after)
    active_before = set(was[was >= cut(before)].index)
    lapsed = now[(now < cut(after)) & now.index.isin(active_before)]
    return [_event("buyer", key, names.get(key, key), "lapsed",
                   f"No purchase through the frameworks since {last} ({LAPSE_MONTHS} months or "
                   "more)", None, last_month=last) for key, last in lapsed.items()]  # fmt: skip


def _platforms(part: pd.DataFrame) -> str:
    """The platforms of some notices in words (stores before format 10 hold Contracts
    Finder's only, with no ``platform`` column)."""
    found = sorted(part["platform"].dropna().astype(str).unique()) if "platform" in part else []
    return in_words(found or ["Contracts Finder"])


def _notices(previous: StoreTables | None, new: StoreTables) -> list[dict]:
    notices = new.notices
    if notices is None or "customer_key" not in notices.columns or notices.empty:
        return []
    seen = set() if previous is None or previous.notices is None else set(
        previous.notices["ocid"].astype(str))  # fmt: skip
    fresh = notices[~notices["ocid"].astype(str).isin(seen)]
    fresh = known_bodies(fresh, "customer_key")
    events = []
    for key, part in fresh.groupby(fresh["customer_key"].astype(str)):
        titles = [str(t) for t in part.get("title", pd.Series(dtype=str)).fillna("(untitled)")]
        name = str(part["customer"].iloc[0]) if "customer" in part else key
        events.append(_event("buyer", key, name, "new notices",
                             f"{len(part)} new notice(s) on {_platforms(part)}: "
                             f"{_listed(titles, 'notices')}", None, count=len(part)))  # fmt: skip
    return events


def _under(event: dict, feed: str, key: str, name: str) -> dict:
    """A buyer's event again in the feed ``feed`` of a body (``key``, ``name``) it belongs to,
    naming the buyer."""
    title = event["title"]
    return {**event, "feed": feed, "key": key, "name": name, "body": event["name"],
            "title": f"{event['name']}: {title[0].lower()}{title[1:]}"}  # fmt: skip


def _departments(events: Iterable[dict], table: pd.DataFrame | None) -> list[dict]:
    """Each buyer event again in the feed of the buyer's department, naming the buyer."""
    buyer_events = [e for e in events if e["feed"] == "buyer"]
    if not buyer_events:
        return []
    names = pd.Series([e["name"] for e in buyer_events])
    departments = departments_of_customers(names, table=table)
    return [_under(e, "department", dept, dept)
            for e, dept in zip(buyer_events, departments, strict=True)
            if dept != NO_DEPARTMENT]  # fmt: skip


def _areas(events: Iterable[dict], places: pd.DataFrame | None) -> list[dict]:
    """Each buyer event again in the feed of the region and of the combined authority of the
    register body the buyer is matched to (``places``:
    :func:`~loaders.bodies.registers.areas.buyer_places`)."""
    if places is None or places.empty:
        return []
    by_buyer = places.drop_duplicates("customer_key").set_index("customer_key")
    found = []
    for event in (e for e in events if e["feed"] == "buyer" and e["key"] in by_buyer.index):
        place = by_buyer.loc[event["key"]]
        names = {"region": place["region"], "combined_authority": place["combined_authority_name"]}
        found += [_under(event, kind, place[kind], names[kind]) for kind in AREA_KINDS
                  if place[kind]]  # fmt: skip
    return found


def body_events(
    previous: StoreTables | None,
    new: StoreTables,
    threshold_gbp: float = REVISION_THRESHOLD_GBP,
    departments: pd.DataFrame | None = None,
    places: pd.DataFrame | None = None,
) -> list[dict[str, Any]]:
    """The events of this update, body by body (see the module docstring); ``departments``
    is the body -> department table (default ``data/reference/departments.csv``), ``places``
    the areas of the new store's matched buyers
    (:func:`~loaders.bodies.registers.areas.buyer_places`; ``None``: no area events)."""
    previous_spend = previous.spend if previous is not None else StoreTables().spend
    events: list[dict[str, Any]] = []
    for kind, feed in KINDS.items():
        before, after = _by_body_month(previous_spend, kind), _by_body_month(new.spend, kind)
        names = {**_names(previous_spend, kind), **_names(new.spend, kind)}
        if previous is not None:
            events += _new_spend(before, after, feed, names)
            events += _revisions(before, after, feed, names, threshold_gbp)
            events += _firsts(before, after, feed, names)
            if kind == "customer":
                events += _lapsed(before, after, names)
    events += _notices(previous, new)
    return events + _departments(events, departments) + _areas(events, places)


def with_update(
    history: dict[str, Any] | None, events: list[dict[str, Any]], generated_at: str
) -> dict[str, Any]:
    """The alerts history with this update's events first (the latest :data:`KEEP_UPDATES`
    updates kept); ``history`` is the previous store's ``alerts.json`` (``None``: none)."""
    updates = list((history or {}).get("updates", []))
    updates.insert(0, {"generated_at": generated_at, "events": events})
    return {"format": ALERTS_FORMAT, "updates": updates[:KEEP_UPDATES]}
