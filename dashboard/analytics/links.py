"""One reader of links: a query string as a store can apply it, for the app, the notebook API
and the notebooks alike.

:func:`read_link` turns a link's query string into :class:`~dashboard.analytics.filters.
Filters` and a :class:`~dashboard.analytics.filters.Notice` for every value that cannot
apply. It knows the store, so

- choice values are matched to those the store holds, whatever their case
  (:func:`~dashboard.analytics.filters.read_query` with :meth:`Store.allowed_values`), and
  financial years to those of the data the page shows (spend, notices or both);
- names of customers and suppliers are split at commas unless a run of comma-separated parts
  names a body whole (``Department for Environment, Food and Rural Affairs``), the longest
  such run first; a run is never longer than the most commas any known name has, so reading
  a link takes time in proportion to its length;
- at most :data:`MAX_NAMES` names are read per parameter, the rest named in one notice, and a
  query string over :data:`MAX_QUERY_CHARS` is not read at all (one notice), so that a short
  link cannot hold a server's worker.

Results are memoised per store and query string.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING
from urllib.parse import parse_qs

from dashboard.analytics.filters import NAMES, PARAMS, Filters, Notice, read_query
from dashboard.analytics.held_periods import SPEND, nouns, years_held

if TYPE_CHECKING:
    from dashboard.analytics.store import Store

MAX_QUERY_CHARS = 2000  # a link's query string longer than this is not read at all
MAX_NAMES = 50  # names read per customer or supplier parameter; the rest are noticed

LinkReading = tuple[Filters, tuple[Notice, ...]]


@dataclass(frozen=True)
class QueryTooLong:
    """The notice for a query string over :data:`MAX_QUERY_CHARS`: ignored whole."""

    length: int
    param: str = "query"

    def __str__(self) -> str:
        return (f"every filter of the link ({self.length:,} characters: more than the "
                f"{MAX_QUERY_CHARS:,} a link may have)")  # fmt: skip


def _names_body(store: Store, kind: str, text: str) -> bool:
    index = store.body_index
    return bool(index.keys_named(kind, [text]) & index.known(kind))


def _longest_run(store: Store, kind: str, parts: list[str], start: int) -> int:
    """The end of the longest run of parts from ``start`` that names a body (``start + 1``
    when none does: the part alone)."""
    most = min(len(parts), start + 1 + store.body_index.most_commas(kind))
    for end in range(most, start + 1, -1):
        if _names_body(store, kind, ",".join(parts[start:end]).strip()):
            return end
    return start + 1


def names_in(store: Store, kind: str, values: list[str]) -> list[str]:
    """The names in a link's comma-separated values (see the module docstring)."""
    names: list[str] = []
    for value in values:
        parts = value.split(",")
        start = 0
        while start < len(parts):
            end = _longest_run(store, kind, parts, start)
            names.append(",".join(parts[start:end]).strip())
            start = end
    return [name for name in names if name]


def _named(store: Store, raw: dict[str, list[str]]) -> tuple[dict, tuple[Notice, ...]]:
    named: dict[str, tuple[str, ...]] = {}
    notices: tuple[Notice, ...] = ()
    for param in (p for p in PARAMS if p.kind == NAMES):
        texts = names_in(store, param.field, raw.get(param.url, []))
        if len(texts) > MAX_NAMES:
            rest = texts[MAX_NAMES:]
            reason = f"{len(rest):,} names past the first {MAX_NAMES} of a link, not read"
            notices += (Notice(param.url, ",".join(rest[:3]) + ",...", reason),)
            texts = texts[:MAX_NAMES]
        found = []
        for text in texts:
            if _names_body(store, param.field, text):
                found.append(text)
            else:
                notices += (Notice(param.url, text, f"not a {param.noun}"),)
        named[param.field] = tuple(dict.fromkeys(found))
    return named, notices


def read_link(
    store: Store, search: str | None, kinds: Sequence[str] = (SPEND,)
) -> tuple[Filters, tuple]:
    """The filters of a link's query string (``?fy=2016-17&customer=...``) as ``store`` can
    apply them on a page showing ``kinds`` of data (its financial years are those the kinds
    hold: :mod:`dashboard.analytics.held_periods`), and a notice for each value that cannot
    apply (see the module docstring). Memoised per store, kinds and query string."""
    if search and len(search) > MAX_QUERY_CHARS:
        return Filters(), (QueryTooLong(len(search)),)
    kinds = tuple(kinds)

    def compute() -> LinkReading:
        allowed = {**store.allowed_values(), "fy": years_held(store, kinds)}
        noun = f"financial year with {nouns(kinds)} (such as {_example(allowed['fy'])})"
        filters, notices = read_query(search or "", allowed, {"fy": noun})
        named, more = _named(store, parse_qs((search or "").lstrip("?")))
        return replace(filters, **named), notices + more

    return store.memoised("read-query", (kinds, search or ""), compute)


def _example(years: Sequence[str]) -> str:
    return years[-1] if years else "2016-17"
