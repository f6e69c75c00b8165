"""Quarantine rules for single releases, in order: the first that applies gives the reason.

A release that fails one is kept in the ``releases`` table with status ``quarantined``, the
reason and a detail, and is not compiled; the rest of its file loads. Amounts without a
currency are taken as GBP (Contracts Finder publishes only pounds). An amount in another
currency is not a pound figure: it is left out of every pound figure (and listed, see
:func:`loaders.sources.ocds.release_facts.values_not_gbp`), but the release loads, since its
notice, buyer and other values still hold (Find a Tender tender notices give lot values in
AED beside a tender value in pounds, and real contracts abroad are priced in euros).
Only the release's own ``date`` (its publication) is checked against the clock: tender,
contract and budget periods in the future are normal.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

NOT_OBJECT = "not a JSON object"
LINKED = "linked release (only a url; nothing is fetched)"
NO_OCID = "no ocid"
NO_ID = "no release id"
NO_DATE = "no date"
BAD_DATE = "unreadable date"
FUTURE_DATE = "date in the future"
BAD_AMOUNT = "unreadable amount"
NOT_COMPILED = "process cannot be compiled"
REASONS = (
    NOT_OBJECT,
    LINKED,
    NO_OCID,
    NO_ID,
    NO_DATE,
    BAD_DATE,
    FUTURE_DATE,
    BAD_AMOUNT,
    NOT_COMPILED,
)


@dataclass(frozen=True)
class Problem:
    """Why a release is quarantined: one of :data:`REASONS`, and what was found."""

    reason: str
    detail: str = ""


def parse_date(value: object) -> dt.datetime | None:
    """An OCDS date-time (ISO 8601, ``Z`` or an offset) as an aware UTC datetime.

    A date-time without an offset is taken as UTC; ``None`` if ``value`` is not readable.
    """
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


def release_key(value: object) -> str | None:
    """A release's ``ocid`` or ``id`` as text: non-empty strings, or integers; else ``None``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _values(node: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every object holding an ``amount`` (OCDS Value objects), with its path."""
    if isinstance(node, dict):
        if "amount" in node:
            yield path or "(release)", node
        for key, child in node.items():
            yield from _values(child, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for i, child in enumerate(node):
            yield from _values(child, f"{path}[{i}]")


def _amount_problem(release: dict[str, Any]) -> Problem | None:
    for path, value in _values(release):
        amount = value.get("amount")
        if amount is not None and not isinstance(amount, dict):
            number = isinstance(amount, (int, float)) and not isinstance(amount, bool)
            if not number or not math.isfinite(amount):
                return Problem(BAD_AMOUNT, f"{path}.amount = {amount!r}")
    return None


def _date_problem(release: dict[str, Any], now: dt.datetime) -> Problem | None:
    if release.get("date") in (None, ""):
        return Problem(NO_DATE)
    date = parse_date(release["date"])
    if date is None:
        return Problem(BAD_DATE, repr(release["date"]))
    if date > now:
        return Problem(FUTURE_DATE, str(release["date"]))
    return None


def release_problem(release: object, now: dt.datetime) -> Problem | None:
    """The first quarantine rule ``release`` fails, or ``None`` if it can be loaded.

    ``now`` is an aware datetime: a release dated after it is quarantined.
    """
    if not isinstance(release, dict):
        return Problem(NOT_OBJECT, type(release).__name__)
    if "url" in release and "ocid" not in release:
        return Problem(LINKED, str(release["url"]))
    if release_key(release.get("ocid")) is None:
        return Problem(NO_OCID)
    if release_key(release.get("id")) is None:
        return Problem(NO_ID)
    return _date_problem(release, now) or _amount_problem(release)
