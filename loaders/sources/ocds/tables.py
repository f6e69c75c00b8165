"""Rows of the notice tables from one compiled release (one procurement process).

Plain dictionaries, one per notice, award and award supplier; :mod:`loaders.sources.ocds.load` makes
them frames, adds the stage dates from the release history and resolves the buyer. Fields
are read where OCDS 1.1 puts them: ``buyer`` (else the party with role ``buyer``),
``tender.title`` (else the release's ``title``), ``tender.classification``, ``tender.value``
and ``minValue``, ``tender.suitability`` (a Contracts Finder extension: ``sme``, ``vcse``),
``tender.procurementMethodDetails``, ``tender.contractPeriod``; awards' ``suppliers`` point
by ``id`` into ``parties``, whose ``details.scale`` gives their size. Where Procurement Act
notices put them elsewhere, the CPV code is the first item's CPV classification and the
contract period spans the lots' contract periods; amounts count only in pounds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from loaders.core.vocabulary import Vocabulary
from loaders.sources.ocds.checks import parse_date
from loaders.sources.ocds.classify import (
    FRAMEWORK_AGREEMENT,
    LARGE,
    SME,
    UNKNOWN,
    OcdsVocabulary,
    call_off_from,
    frameworks_named,
    size_group,
    size_status,
)
from loaders.sources.ocds.corrections import superseded_awards
from loaders.sources.ocds.notice_fields import notice_fields
from loaders.sources.ocds.notice_rules import NoticeRules, load_notice_rules
from loaders.sources.ocds.release_facts import gbp

JOIN = "; "


def _obj(node: object, *keys: str) -> dict[str, Any]:
    """The object at ``keys`` under ``node`` (``{}`` where missing or not an object)."""
    for key in keys:
        node = node.get(key) if isinstance(node, dict) else None
    return node if isinstance(node, dict) else {}


def _text(value: object) -> str | None:
    """Published text kept as it is (numbers as their digits); ``None`` if absent or blank."""
    if value is None or isinstance(value, (dict, list)):
        return None
    text = value if isinstance(value, str) else str(value)
    return text if text.strip() else None


def _flag(value: object) -> bool | None:
    return value if isinstance(value, bool) else None


def _amount(value: dict[str, Any]) -> float | None:
    return gbp(value)


def identifier(party: dict[str, Any]) -> str | None:
    """A party's registered identifier as ``scheme-id`` (``GB-COH-10266124``), if given."""
    ident = _obj(party, "identifier")
    scheme, number = _text(ident.get("scheme")), _text(ident.get("id"))
    return f"{scheme}-{number}" if scheme and number else None


def parties_by_id(compiled: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The compiled release's parties by their ``id`` (as text)."""
    parties = compiled.get("parties")
    if not isinstance(parties, list):
        return {}
    return {str(p["id"]): p for p in parties if isinstance(p, dict) and "id" in p}


def _buyer(compiled: dict[str, Any], parties: dict[str, dict[str, Any]]) -> dict[str, Any]:
    buyer = _obj(compiled, "buyer")
    if not buyer:
        buyer = next((p for p in parties.values() if "buyer" in (p.get("roles") or [])), {})
    party = parties.get(str(buyer.get("id")), {})
    return {
        "buyer_name": _text(buyer.get("name")) or _text(party.get("name")),
        "buyer_id": _text(buyer.get("id")),
        "buyer_identifier": identifier(party),
    }


def _is_cpv(classification: object) -> bool:
    scheme = _text(classification.get("scheme")) if isinstance(classification, dict) else None
    return bool(scheme) and scheme.upper() == "CPV"


def _item_cpv(tender: dict[str, Any]) -> dict[str, Any]:
    """The first CPV classification of the tender's items (Procurement Act notices give
    it in ``items[].additionalClassifications``)."""
    items = tender.get("items")
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        extra = item.get("additionalClassifications")
        found = [item.get("classification"), *(extra if isinstance(extra, list) else [])]
        chosen = next((c for c in found if _is_cpv(c)), None)
        if chosen is not None:
            return chosen
    return {}


def _cpv(tender: dict[str, Any]) -> dict[str, Any]:
    classification = _obj(tender, "classification")
    if not _is_cpv(classification):
        classification = _item_cpv(tender)
    code = _text(classification.get("id")) if _is_cpv(classification) else None
    digits = code.strip()[:2] if code else ""
    return {
        "cpv_code": code,
        "cpv_division": digits if len(digits) == 2 and digits.isdigit() else None,
        "cpv_description": _text(classification.get("description")) if code else None,
    }


def _contract_period(tender: dict[str, Any]) -> tuple[str | None, str | None]:
    """The tender's contract period, else the span of its lots' (earliest start, latest
    end), as published text."""
    period = _obj(tender, "contractPeriod")
    if _text(period.get("startDate")) or _text(period.get("endDate")):
        return _text(period.get("startDate")), _text(period.get("endDate"))
    lots = tender.get("lots")
    periods = [_obj(lot, "contractPeriod") for lot in lots if isinstance(lot, dict)] if isinstance(
        lots, list) else []  # fmt: skip
    starts = [t for p in periods if (t := _text(p.get("startDate"))) and parse_date(t)]
    ends = [t for p in periods if (t := _text(p.get("endDate"))) and parse_date(t)]
    return (min(starts, key=parse_date) if starts else None,
            max(ends, key=parse_date) if ends else None)  # fmt: skip


@dataclass(frozen=True)
class Vocabularies:
    """The vocabularies notices are classified with."""

    spend: Vocabulary
    ocds: OcdsVocabulary
    rules: NoticeRules = field(default_factory=load_notice_rules)


def notice_row(compiled: dict[str, Any], vocabs: Vocabularies) -> dict[str, Any]:
    """The notice of one compiled release: buyer, tender, method, frameworks named.

    Dates stay as published text here (see :func:`loaders.sources.ocds.load.local_dates`).
    """
    tender = _obj(compiled, "tender")
    parties = parties_by_id(compiled)
    details = _text(tender.get("procurementMethodDetails"))
    title = _text(tender.get("title")) or _text(compiled.get("title"))
    description = _text(tender.get("description"))
    named = frameworks_named([details, title, description], vocabs.spend, vocabs.ocds)
    source = call_off_from(details, vocabs.ocds)
    suitability = _obj(tender, "suitability")
    start, end = _contract_period(tender)
    return {
        "ocid": compiled.get("ocid"),
        **_buyer(compiled, parties),
        "title": title,
        "description": description,
        **_cpv(tender),
        "value_gbp": _amount(_obj(tender, "value")),
        "min_value_gbp": _amount(_obj(tender, "minValue")),
        "sme_suitable": _flag(suitability.get("sme")),
        "vcse_suitable": _flag(suitability.get("vcse")),
        "procurement_method": _text(tender.get("procurementMethod")),
        "procurement_method_details": details,
        "main_procurement_category": _text(tender.get("mainProcurementCategory")),
        "tender_status": _text(tender.get("status")),
        "contract_start": start,
        "contract_end": end,
        "call_off_from": source,
        "call_off": source == FRAMEWORK_AGREEMENT,
        "frameworks_named": JOIN.join(named.mentions) or None,
        "framework": named.framework,
        "framework_iteration": named.iteration,
        **notice_fields(compiled, parties, vocabs.rules),
    }


@dataclass
class AwardRows:
    """The award rows and award-supplier rows of one process, and its awards superseded by
    a later award (:mod:`loaders.sources.ocds.corrections`), kept apart."""

    awards: list[dict[str, Any]] = field(default_factory=list)
    suppliers: list[dict[str, Any]] = field(default_factory=list)
    superseded: list[dict[str, Any]] = field(default_factory=list)


def _supplier_row(ref: dict[str, Any], parties, vocab: OcdsVocabulary) -> dict[str, Any]:
    party = parties.get(str(ref.get("id")), {})
    scale = _obj(party, "details").get("scale")
    return {
        "supplier_id": _text(ref.get("id")),
        "supplier_name": _text(ref.get("name")) or _text(party.get("name")),
        "supplier_identifier": identifier(party),
        "scale": _text(scale),
        "size_status": size_status(scale, vocab),
    }


def award_rows(
    compiled: dict[str, Any],
    vocab: OcdsVocabulary,
    first_seen: dict[str, dt.datetime] | None = None,
) -> AwardRows:
    """One row per award of a compiled release, and one per supplier of each award; an
    award superseded by a later one of the process goes to ``superseded`` instead (with
    the award that supersedes it). ``first_seen``: award id -> when it was first published."""
    out = AwardRows()
    parties = parties_by_id(compiled)
    awards = compiled.get("awards")
    awards = [a for a in awards if isinstance(a, dict)] if isinstance(awards, list) else []
    replaced = superseded_awards(awards, first_seen or {})
    for award in awards:
        key = {"ocid": compiled.get("ocid"), "award_id": _text(award.get("id"))}
        refs = award.get("suppliers")
        refs = [r for r in refs if isinstance(r, dict)] if isinstance(refs, list) else []
        suppliers = [{**key, **_supplier_row(r, parties, vocab)} for r in refs]
        statuses = [s["size_status"] for s in suppliers]
        if key["award_id"] in replaced:
            out.superseded.append(
                {**key, "value_gbp": _amount(_obj(award, "value")),
                 "award_date": _text(award.get("date")),
                 "suppliers": JOIN.join(s["supplier_name"] or "(not named)" for s in suppliers),
                 "superseded_by": replaced[key["award_id"]].superseded_by}
            )  # fmt: skip
            continue
        out.suppliers.extend(suppliers)
        out.awards.append(
            {
                **key,
                "status": _text(award.get("status")),
                "award_date": _text(award.get("date")),
                "value_gbp": _amount(_obj(award, "value")),
                "suppliers": JOIN.join(s["supplier_name"] or "(not named)" for s in suppliers)
                or None,
                "supplier_count": len(suppliers),
                "sme_suppliers": statuses.count(SME),
                "large_suppliers": statuses.count(LARGE),
                "unknown_size_suppliers": statuses.count(UNKNOWN),
                "size_group": size_group(statuses),
            }
        )
    return out
