"""Alerts without email: an Atom feed of each buyer, supplier, department and area (a region
or nation, a combined authority), from the history each ``python -m loaders update`` keeps
in the store (``alerts.json``, :mod:`loaders.alerts`): new spend, a first purchase or sale,
a buyer that lapsed, new notices, months revised by £1,000 or more.

``GET /feeds/<kind>.atom?name=...`` (``name`` as the body's page reads it: a name, spelling,
URN, body key, department slug, region, combined authority name or code) answers the feed
(``application/atom+xml``), 404 when the name names nothing. Each page links to its feed.
Feeds are written with ``feedgen``; their links are absolute, from the address the request
came to.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from dash import Dash
from feedgen.feed import FeedGenerator
from flask import Response, abort, request

from dashboard.analytics import buyers, departments, registers
from dashboard.analytics.filters import Filters
from dashboard.analytics.store import Store
from loaders.bodies.registers.areas import AREA_KINDS

ALERTS_FILE = "alerts.json"  # written by python -m loaders update (loaders.alerts)
FEED_PATH = "/feeds/{kind}.atom"
SERVICE = "Framework spend analytics"


@dataclass(frozen=True)
class FeedKind:
    """A kind of body with a feed: its name, label, the page of one (``page?param=``), and
    how a name finds the key its events are filed under (``None``: none)."""

    name: str
    label: str
    page: str
    param: str
    key: Callable[[Store, str], str | None]
    shown: Callable[[Store, str], str]


def _buyer_key(store: Store, text: str) -> str | None:
    return buyers.buyer_key(store, text)


def _supplier_key(store: Store, text: str) -> str | None:
    return store.body_index.find("supplier", text) if text else None


def _department(store: Store, text: str) -> str | None:
    return departments.chosen_department(store, Filters(name=text))


FEED_KINDS: dict[str, FeedKind] = {}


def register_feed_kind(kind: FeedKind) -> FeedKind:
    """Give bodies of ``kind`` a feed (a later kind of the same name replaces it)."""
    FEED_KINDS[kind.name] = kind
    return kind


register_feed_kind(
    FeedKind(
        "buyer",
        "Buyer",
        "/buyer",
        "name",
        _buyer_key,
        lambda s, k: s.body_index.display_names("customer").get(k, k),
    )
)
register_feed_kind(
    FeedKind(
        "supplier",
        "Supplier",
        "/suppliers",
        "supplier",
        _supplier_key,
        lambda s, k: s.body_index.display_names("supplier").get(k, k),
    )
)
register_feed_kind(FeedKind("department", "Department", "/department", "name", _department,
                            lambda s, k: k))  # fmt: skip


def _area_feed(kind: str, label: str) -> FeedKind:
    """The feed kind of the areas of ``kind`` (``region``, ``combined_authority``): events
    filed under a region's name or a combined authority's code, linked to ``/places``."""

    def key(store: Store, text: str) -> str | None:
        area = registers.find_area(store, text, kind)
        return None if area is None else area.code

    def shown(store: Store, code: str) -> str:
        area = registers.find_area(store, code, kind)
        return code if area is None else area.name

    return FeedKind(kind, label, "/places", kind, key, shown)


for _kind, _label in AREA_KINDS.items():
    register_feed_kind(_area_feed(_kind, _label))


def feed_href(kind: str, name: str) -> str:
    """The address of the feed of the body ``name`` of ``kind`` (relative to the site)."""
    return FEED_PATH.format(kind=kind) + "?" + urlencode({"name": name})


def read_alerts(store: Store) -> dict:
    """The store's alerts history (``alerts.json``; empty when no update has run)."""
    path = store.store_dir / ALERTS_FILE
    if not path.is_file():
        return {"updates": []}
    return json.loads(path.read_text(encoding="utf-8"))


def _when(text: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def atom_feed(store: Store, kind: str, name: str, base: str) -> bytes | None:
    """The Atom feed (UTF-8 XML) of the body ``name`` of ``kind``, links under ``base``
    (``https://host``), or ``None`` when the name names none."""
    found = FEED_KINDS.get(kind)
    key = found.key(store, name) if found and name else None
    if found is None or key is None:
        return None
    shown = found.shown(store, key)
    page = f"{base}{found.page}?{urlencode({found.param: shown}, quote_via=quote)}"
    self_url = base + feed_href(kind, shown)
    history = read_alerts(store).get("updates", [])
    feed = FeedGenerator()
    feed.id(self_url)
    feed.title(f"{shown}: changes in spend through the frameworks")
    feed.subtitle(f"{found.label} alerts from {SERVICE}: new spend, first purchases, lapses, "
                  "new notices and revisions of £1,000 or more, at each update.")  # fmt: skip
    feed.author({"name": SERVICE})
    feed.link(href=page, rel="alternate")
    feed.link(href=self_url, rel="self")
    feed.language("en-GB")
    if history:
        feed.updated(_when(history[0]["generated_at"]))
    else:  # no update has run: the time the store was written
        written = (store.store_dir / "load_report.json").stat().st_mtime
        feed.updated(dt.datetime.fromtimestamp(written, dt.UTC))
    for update in history:
        when = _when(update.get("generated_at", ""))
        events = [e for e in update.get("events", []) if e.get("feed") == kind
                  and e.get("key") == key]  # fmt: skip
        for position, event in enumerate(events):
            entry = feed.add_entry(order="append")
            entry.id(f"{self_url}#{quote(update.get('generated_at', ''))}-{position}")
            entry.title(f"{event.get('kind', 'change').capitalize()}: {event.get('body', shown)}")
            entry.content(event.get("title", ""), type="text")
            entry.link(href=page, rel="alternate")
            entry.updated(when)
    return feed.atom_str(pretty=True)


def register_feeds(app: Dash, store: Store) -> None:
    """Serve ``/feeds/<kind>.atom?name=...`` from ``app``."""

    def serve(kind: str):
        body = atom_feed(store, kind, request.args.get("name", ""),
                         request.host_url.rstrip("/"))  # fmt: skip
        if body is None:
            abort(404)
        return Response(body, mimetype="application/atom+xml",
                        headers={"Cache-Control": "no-cache"})  # fmt: skip

    app.server.add_url_rule("/feeds/<kind>.atom", "atom-feed", serve)
