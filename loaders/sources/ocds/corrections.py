"""Awards that correct each other within one procurement process.

Contracts Finder corrects an award notice by publishing a new notice for the same process:
the same ``ocid``, the same supplier(s), award date and contract period, a new award ``id``
(and usually a corrected value; a council corrected £18.8m to £188,487.31 six minutes later
in March 2025). Compiled, the process then holds both awards, and summing them counts the
award twice at two values. The rule here: among a process's awards that share suppliers,
award date, contract period and lots (``relatedLots``), the one published last is the award;
each earlier one is *superseded by* it, kept out of the award tables and listed in the load
report with its value. An award published twice identically is the same case (the copy
counts once). Awards without a supplier or an award date are never matched: nothing says
they are the same award. A process's awards are thus never summed across its corrections.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from loaders.sources.ocds.checks import parse_date

_NEVER = dt.datetime.min.replace(tzinfo=dt.UTC)


def _text(value: object) -> str | None:
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    text = str(value).strip()
    return text or None


def _suppliers(award: dict[str, Any]) -> tuple[str, ...]:
    refs = award.get("suppliers")
    refs = refs if isinstance(refs, list) else []
    keys = {_text(r.get("id")) or _text(r.get("name")) for r in refs if isinstance(r, dict)}
    return tuple(sorted(k for k in keys if k))


def _instant(value: object) -> dt.datetime | None:
    return parse_date(value) if isinstance(value, str) else None


def same_award_key(award: dict[str, Any]) -> tuple | None:
    """What makes two awards of a process the same award: suppliers, award date, contract
    period and lots; ``None`` when it has no supplier or no award date."""
    suppliers, date = _suppliers(award), _instant(award.get("date"))
    if not suppliers or date is None:
        return None
    period = award.get("contractPeriod") if isinstance(award.get("contractPeriod"), dict) else {}
    lots = award.get("relatedLots") if isinstance(award.get("relatedLots"), list) else []
    return (
        suppliers,
        date,
        _instant(period.get("startDate")),
        _instant(period.get("endDate")),
        tuple(sorted(str(lot) for lot in lots)),
    )


@dataclass(frozen=True)
class Superseded:
    """An award another one of its process replaces."""

    award_id: str
    superseded_by: str


def superseded_awards(
    awards: list[dict[str, Any]], first_seen: dict[str, dt.datetime]
) -> dict[str, Superseded]:
    """Award id -> how it is superseded, for the awards of one compiled process.

    ``first_seen`` gives when each award id was first published (its first release's
    date); the award's own ``datePublished`` breaks ties, then its place in the list.
    """
    groups: dict[tuple, list[tuple[tuple, str]]] = {}
    for place, award in enumerate(awards):
        award_id = _text(award.get("id")) if isinstance(award, dict) else None
        key = same_award_key(award) if award_id else None
        if key is None:
            continue
        published = first_seen.get(award_id, _NEVER)
        own = _instant(award.get("datePublished")) or _NEVER
        groups.setdefault(key, []).append(((published, own, place), award_id))
    out: dict[str, Superseded] = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        members.sort()
        latest = members[-1][1]
        for _, award_id in members[:-1]:
            if award_id != latest:
                out[award_id] = Superseded(award_id, latest)
    return out
