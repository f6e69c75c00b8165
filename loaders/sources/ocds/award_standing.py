"""Awards as they stand, and the value each counts with.

An award is counted as **made** only when it stands: the standing of each award of a
compiled process is, in order,

1. ``not an award`` when every notice carrying it is of a type whose awards are not awards
   (``ocds_notice_types.csv``: a procurement termination notice's ``awards[0]``, a dynamic
   market's members);
2. ``cancelled`` when a contract of the award is cancelled (a procurement termination
   notice cancels the contract of an award published as active);
3. else by its status (``ocds_award_statuses.csv``): ``active`` or none published is
   ``made``; ``pending`` (standstill, or an intended direct award), ``cancelled`` and
   ``unsuccessful`` are kept apart and never counted; any other status is ``unknown``.

**Value** (pounds ex VAT, ``amount`` only; gross amounts are never turned into net ones):
the award's contracts' current value where published (a contract details notice gives
the value only in ``contracts[].value``; a contract change notice replaces it with the
changed total), else the award's own value. The value at signature (the contracts' value
in the first notice that gave one) is kept beside it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from loaders.catalogue import codes
from loaders.sources.ocds.notice_rules import NoticeRules
from loaders.sources.ocds.release_facts import gbp, notice_type

STANDINGS = codes("awards", "standing")
MADE, PENDING, CANCELLED, UNSUCCESSFUL, NOT_AN_AWARD, UNKNOWN = STANDINGS
COLUMNS = ("standing", "notice_type", "award_value_gbp", "contract_value_gbp",
           "signed_value_gbp", "value_gross_gbp", "standstill_end", "status_details")  # fmt: skip


def _list(node: object, key: str) -> list[dict[str, Any]]:
    value = node.get(key) if isinstance(node, dict) else None
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _obj(node: object, key: str) -> dict[str, Any]:
    value = node.get(key) if isinstance(node, dict) else None
    return value if isinstance(value, dict) else {}


def _award_ids(release: dict[str, Any]) -> set[str]:
    ids = {str(a["id"]) for a in _list(release, "awards") if "id" in a}
    return ids | {str(c["awardID"]) for c in _list(release, "contracts") if "awardID" in c}


def _contracts(node: dict[str, Any], award_id: str) -> list[dict[str, Any]]:
    return [c for c in _list(node, "contracts") if str(c.get("awardID")) == award_id]


def _total(contracts: list[dict[str, Any]], key: str = "amount") -> float | None:
    amounts = [gbp(_obj(c, "value"), key) for c in contracts]
    known = [a for a in amounts if a is not None]
    return float(sum(known)) if known else None


def _standstill_end(award: dict[str, Any]) -> str | None:
    period = award.get("standstillPeriod")
    periods = period if isinstance(period, list) else [period]
    ends = [p.get("endDate") for p in periods if isinstance(p, dict)]
    ends = [e for e in ends if isinstance(e, str) and e]
    return max(ends) if ends else None


def _standing(award: dict[str, Any], contracts, types: list[str | None], rules) -> str:
    kinds = [rules.notice_types.get(t) if t else None for t in types]
    if kinds and all(k is not None and not k.awards for k in kinds):
        return NOT_AN_AWARD
    if any(c.get("status") == "cancelled" for c in contracts):
        return CANCELLED
    status = award.get("status")
    status = status.strip() if isinstance(status, str) else ""
    return rules.award_standing.get(status, UNKNOWN)


def _signed(releases: list[dict[str, Any]], award_id: str) -> float | None:
    for release in releases:
        value = _total(_contracts(release, award_id))
        if value is not None:
            return value
    return None


def award_facts(
    compiled: dict[str, Any], releases: list[dict[str, Any]], rules: NoticeRules
) -> dict[str, dict[str, Any]]:
    """Award id -> :data:`COLUMNS` for each award of a compiled process; ``releases`` are the
    process's releases oldest first (the notices the award appeared in)."""
    typed = [(_award_ids(r), notice_type(r)) for r in releases]
    out: dict[str, dict[str, Any]] = {}
    for award in _list(compiled, "awards"):
        if "id" not in award:
            continue
        award_id = str(award["id"])
        contracts = _contracts(compiled, award_id)
        types = [kind for ids, kind in typed if award_id in ids]
        contract_value = _total(contracts)
        award_value = gbp(_obj(award, "value"))
        gross = _total(contracts, "amountGross")
        out[award_id] = {
            "standing": _standing(award, contracts, types, rules),
            "notice_type": next((t for t in reversed(types) if t), None),
            "award_value_gbp": award_value,
            "contract_value_gbp": contract_value,
            "signed_value_gbp": _signed(releases, award_id),
            "value_gross_gbp": gross if gross is not None else gbp(_obj(award, "value"),
                                                                    "amountGross"),
            "standstill_end": _standstill_end(award),
            "status_details": award.get("statusDetails") if isinstance(
                award.get("statusDetails"), str) else None,
        }  # fmt: skip
    return out


def annotate_awards(
    rows: list[dict[str, Any]],
    compiled: dict[str, Any],
    releases: list[dict[str, Any]],
    rules: NoticeRules,
) -> Iterator[dict[str, Any]]:
    """``rows`` (award rows of one process) with their standing and values: ``value_gbp``
    becomes the value the award counts with (see the module docstring)."""
    facts = award_facts(compiled, releases, rules)
    for row in rows:
        found = facts.get(str(row.get("award_id")), {})
        row.update({c: found.get(c) for c in COLUMNS})
        contract = found.get("contract_value_gbp")
        row["value_gbp"] = contract if contract is not None else found.get("award_value_gbp")
        yield row
