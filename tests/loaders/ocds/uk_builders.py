"""Small hand-built notices of the UK platforms, shaped as the real ones are (never copies).

Find a Tender (``ocds-h6vhtk-``): release ``id`` = notice id ``nnnnnn-yyyy``; the notice type
on the notice's own document (planning, tender, award or contract documents by type); the
legal basis on the tender; buyers classified (``UK_CA_TYPE``); values with ``amountGross``.
Public Contracts Scotland (``ocds-r6ebe6-``): no release ``id``, notice reference on the
tender's notice document. Sell2Wales (``ocds-kuma6s-``): ids ``<ocid>-release-N``. Contracts
Finder (``ocds-b5fd17-``). Bodies are real public bodies; suppliers, ocids and amounts are
invented.
"""

from __future__ import annotations

import base64
from typing import Any

FTS = "https://www.find-tender.service.gov.uk"
ACT = {"scheme": "UKPGA", "id": "2023/54"}
PCR = {"scheme": "CELEX", "id": "32014L0024"}
SECTION_OF = {  # where each notice type's own document sits
    "UK1": "planning", "UK2": "planning", "UK3": "planning", "UK4": "tender",
    "UK5": "awards", "UK6": "awards", "UK7": "contracts", "UK8": "contracts",
    "UK9": "contracts", "UK10": "contracts", "UK11": "contracts", "UK12": "tender",
    "UK13": "tender", "UK14": "tender", "UK15": "tender", "UK16": "tender",
}  # fmt: skip


def buyer(name: str, pid: str, ca: str | None = None, **more: str) -> dict[str, Any]:
    """A buyer party; ``ca`` is its ``UK_CA_TYPE``; ``devolved`` / ``ted`` add those schemes."""
    classes = [{"scheme": "UK_CA_TYPE", "id": ca}] if ca else []
    if "devolved" in more:
        classes.append({"scheme": "UK_CA_DEVOLVED_REGULATIONS", "id": more["devolved"]})
    if "ted" in more:
        classes.append({"scheme": "TED_CA_TYPE", "id": more["ted"]})
    return {"id": pid, "name": name, "roles": ["buyer"], "details": {"classifications": classes}}


def supplier(name: str, pid: str, scale: str | None = "sme") -> dict[str, Any]:
    """A supplier party of ``scale`` (``sme`` / ``large``; ``None``: not given)."""
    party: dict[str, Any] = {"id": pid, "name": name, "roles": ["supplier"]}
    if scale:
        party["details"] = {"scale": scale}
    return party


def value(amount: float | None = None, gross: float | None = None, currency: str = "GBP"):
    """A value ex VAT (``amount``) and/or gross."""
    out: dict[str, Any] = {"currency": currency}
    if amount is not None:
        out["amount"] = amount
    if gross is not None:
        out["amountGross"] = gross
    return out


def doc(notice: str, notice_type: str | None = None, kind: str = "notice") -> dict[str, Any]:
    """The notice's own document (its page on Find a Tender)."""
    out = {"id": notice, "documentType": kind, "url": f"{FTS}/Notice/{notice}"}
    if notice_type:
        out["noticeType"] = notice_type
    return out


def fts(
    notice: str, ocid: str, tags: list[str], date: str, party: dict, notice_type: str | None,
    tender: dict | None = None, *, with_buyer: bool = True, **sections: Any,
) -> dict[str, Any]:  # fmt: skip
    """A Find a Tender release: ``notice`` its id, the notice type's document placed where
    that type places it (on ``awards[0]`` / ``contracts[0]`` when given)."""
    release: dict[str, Any] = {"id": notice, "ocid": f"ocds-h6vhtk-{ocid}", "date": date,
                               "tag": tags, "parties": [party, *sections.pop("parties", [])],
                               "tender": {"legalBasis": ACT, **(tender or {})}}  # fmt: skip
    if with_buyer:
        release["buyer"] = {"id": party["id"], "name": party["name"]}
    release.update(sections)
    section = SECTION_OF.get(notice_type or "", "tender")
    own = doc(notice, notice_type)
    if section in ("awards", "contracts") and release.get(section):
        release[section][0].setdefault("documents", []).append(own)
    elif notice_type:
        release.setdefault(section if section != "awards" else "tender", {})
        target = release["planning" if section == "planning" else "tender"]
        target.setdefault("documents", []).append(own)
    return release


def planned(title: str, amount=None, gross=None, future: str | None = None, **more) -> dict:
    """A planned tender (a pipeline or planned procurement notice's)."""
    tender = {"title": title, "status": "planned", "value": value(amount, gross),
              "lots": [{"id": "1", "status": "planned"}], **more}  # fmt: skip
    if future:
        tender["communication"] = {"futureNoticeDate": future}
    return tender


def award(aid: str, status: str | None, supplier_id: str, amount=None, gross=None, **more):
    """An award to one supplier (``status`` ``None``: none published)."""
    out: dict[str, Any] = {"id": aid, "suppliers": [{"id": supplier_id}], **more}
    if status:
        out["status"] = status
    if amount is not None or gross is not None:
        out["value"] = value(amount, gross)
    return out


def contract(aid: str, amount=None, gross=None, status: str = "active", **more) -> dict:
    """The contract of award ``aid``."""
    out = {"id": aid, "awardID": aid, "status": status, **more}
    if amount is not None or gross is not None:
        out["value"] = value(amount, gross)
    return out


def package(releases: list[dict], next_cursor: int | None = None, **meta: Any) -> dict:
    """A release package as the platforms' APIs return it (Find a Tender's ``links.next``
    cursor when ``next_cursor`` is given; no ``links`` on a last page)."""
    out: dict[str, Any] = {
        "uri": f"{FTS}/api/1.0/ocdsReleasePackages",
        "version": "1.1",
        "publisher": {"name": "Cabinet Office"},
        **meta,
        "releases": sorted(releases, key=lambda r: r["date"], reverse=True),
    }
    if next_cursor is not None:
        raw = f"updatedFrom=2026-05-01T00:00:00|updatedTo=2026-07-01|nextCursor={next_cursor}"
        out["links"] = {"next": f"{out['uri']}?cursor={base64.b64encode(raw.encode()).decode()}"}
    return out


def pcs(ocid: int, date: str, tags: list[str], party: dict, tender: dict, reference: str,
        **sections: Any) -> dict:  # fmt: skip
    """A Public Contracts Scotland release: no ``id``; its notice reference on the tender."""
    tender = {**tender, "documents": [{"id": reference, "documentType": "contractNotice"}]}
    release = {"ocid": f"ocds-r6ebe6-{ocid:010d}", "date": date, "tag": tags,
               "parties": [party, *sections.pop("parties", [])],
               "buyer": {"id": party["id"], "name": party["name"]}, "tender": tender}  # fmt: skip
    release.update(sections)
    return release
