"""What a compiled process says in the fields of the UK notice platforms.

- **Legal basis** (``tender.legalBasis``, scheme and id): the Procurement Act 2023
  (``UKPGA`` ``2023/54``) or a 2015-era regulation (``CELEX`` directive numbers), named by
  ``ocds_legal_bases.csv``; an unknown pair is kept as published (``scheme id``); Contracts
  Finder publishes none (null).
- **The buyer's reference** (``tender.id`` when it is not the ocid itself).
- **The gross tender value** (``amountGross``: VAT included, never turned into an ex-VAT
  figure) and the **date of the next notice** (``tender.communication.futureNoticeDate``).
- **The buyer's classification** (``parties[].details.classifications`` of the buyer party):
  ``UK_CA_TYPE`` (Procurement Act notices), else ``TED_CA_TYPE`` (2015 regulations), with
  ``UK_CA_DEVOLVED_REGULATIONS`` (``GB-WLS``, ``GB-SCT``, ``GB-NIR``); read into sector and
  buyer group only where nothing else is known (:mod:`loaders.sources.ocds.buyer_types`).
"""

from __future__ import annotations

from typing import Any

from loaders.sources.ocds.notice_rules import NoticeRules
from loaders.sources.ocds.release_facts import gbp

BUYER_SCHEMES = ("UK_CA_TYPE", "TED_CA_TYPE")  # in order of preference
DEVOLVED_SCHEME = "UK_CA_DEVOLVED_REGULATIONS"


def _obj(node: object, key: str) -> dict[str, Any]:
    value = node.get(key) if isinstance(node, dict) else None
    return value if isinstance(value, dict) else {}


def _text(value: object) -> str | None:
    if isinstance(value, bool) or value is None or isinstance(value, (dict, list)):
        return None
    text = str(value).strip()
    return text or None


def legal_basis(tender: dict[str, Any], rules: NoticeRules) -> tuple[str | None, bool | None]:
    """The legal basis named as in ``ocds_legal_bases.csv``, and whether it is the Act."""
    basis = _obj(tender, "legalBasis")
    scheme, number = _text(basis.get("scheme")), _text(basis.get("id"))
    if scheme is None and number is None:
        return None, None
    known = rules.legal_bases.get((scheme or "", number or ""))
    if known is None:
        return " ".join(filter(None, [scheme, number])), None
    return known


def _classifications(party: dict[str, Any]) -> list[dict[str, Any]]:
    found = _obj(party, "details").get("classifications")
    return [c for c in found if isinstance(c, dict)] if isinstance(found, list) else []


def buyer_classification(party: dict[str, Any]) -> dict[str, str | None]:
    """``buyer_type_scheme``, ``buyer_type`` (the code, else the description as published)
    and ``devolved_regulations`` of a buyer party."""
    found = _classifications(party)
    chosen: dict[str, Any] = {}
    for scheme in BUYER_SCHEMES:
        chosen = next((c for c in found if c.get("scheme") == scheme), {})
        if chosen:
            break
    devolved = next((c for c in found if c.get("scheme") == DEVOLVED_SCHEME), {})
    return {
        "buyer_type_scheme": _text(chosen.get("scheme")),
        "buyer_type": _text(chosen.get("id")) or _text(chosen.get("description")),
        "devolved_regulations": _text(devolved.get("id")),
    }


def buyer_party(compiled: dict[str, Any], parties: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The buyer's party: the one ``buyer`` names, else the first with the role ``buyer``
    (Find a Tender's procurement termination notices give no ``buyer``)."""
    buyer = _obj(compiled, "buyer")
    if buyer and str(buyer.get("id")) in parties:
        return parties[str(buyer.get("id"))]
    return next((p for p in parties.values() if "buyer" in (p.get("roles") or [])), {})


def notice_fields(
    compiled: dict[str, Any], parties: dict[str, dict[str, Any]], rules: NoticeRules
) -> dict[str, Any]:
    """The UK platform fields of one compiled process (see the module docstring); dates stay
    as published text."""
    tender = _obj(compiled, "tender")
    basis, act = legal_basis(tender, rules)
    reference = _text(tender.get("id"))
    classification = buyer_classification(buyer_party(compiled, parties))
    return {
        "legal_basis": basis,
        "procurement_act": act,
        "buyer_reference": reference if reference != compiled.get("ocid") else None,
        "value_gross_gbp": gbp(_obj(tender, "value"), "amountGross"),
        "future_notice_date": _text(_obj(tender, "communication").get("futureNoticeDate")),
        **classification,
    }
