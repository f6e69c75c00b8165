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
from pathlib import Path
from typing import Any

from tests.loaders.ocds.builders import write_json

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


# --- a pipeline year: three authorities, what followed -------------------------------------

MOJ = buyer("Ministry of Justice", "GB-PPON-PZMJ-4821-QTRK", "publicAuthorityCentralGovernment")
KENT = buyer("Kent County Council", "GB-PPON-PKCC-3917-HWNB",
             "publicAuthoritySubCentralGovernment")  # fmt: skip
NYORKS = buyer("North Yorkshire Council", "GB-PPON-PNYC-3370-DALE",
               "publicAuthoritySubCentralGovernment")  # fmt: skip


def uk1(notice, ocid, date, party, title, amount, gross, future, tags=("planning",)) -> dict:
    """A pipeline notice (UK1) of one planned procurement."""
    return fts(notice, ocid, list(tags), date, party, "UK1",
               planned(title, amount, gross, future))  # fmt: skip


def pipeline_files(folder: Path) -> list[Path]:
    """MoJ's three UK1s of 12 May 2026 (two pages of one window), Kent's late UK1, North
    Yorkshire's UK1 edited then withdrawn; UK2, UK3 and UK4 following on MoJ's ocids."""
    first = [
        uk1(
            "990101-2026",
            "0f0101",
            "2026-05-12T10:15:03+01:00",
            MOJ,
            "Grounds maintenance",
            4_000_000,
            4_800_000,
            "2026-10-01T23:59:59+01:00",
        ),
        uk1(
            "990102-2026",
            "0f0102",
            "2026-05-12T10:16:40+01:00",
            MOJ,
            "Case management",
            None,
            3_000_000,
            "2027-01-15T23:59:59Z",
        ),
    ]
    second = [
        uk1(
            "990103-2026",
            "0f0103",
            "2026-05-12T10:18:22+01:00",
            MOJ,
            "Court security",
            12_500_000,
            15_000_000,
            "2027-06-01T23:59:59+01:00",
        ),
        uk1(
            "990350-2026",
            "0f0104",
            "2026-06-15T14:02:11+01:00",
            KENT,
            "Highways drainage",
            6_000_000,
            7_200_000,
            "2026-11-02T23:59:59Z",
        ),
    ]
    later = [
        fts("990420-2026", "0f0101", ["planning"], "2026-06-20T09:30:00+01:00", MOJ, "UK2",
            planned("Grounds maintenance", 4_100_000, future="2026-09-30T23:59:59+01:00")),
        fts("990610-2026", "0f0101", ["planning"], "2026-08-03T11:20:00+01:00", MOJ, "UK3",
            planned("Grounds maintenance", 4_100_000)),
        fts("990801-2026", "0f0101", ["tender"], "2026-09-15T11:00:00+01:00", MOJ, "UK4",
            {"title": "Grounds maintenance", "status": "active"}),
        fts("990870-2026", "0f0101", ["tenderUpdate"], "2026-10-05T15:40:00+01:00", MOJ, "UK4",
            {"title": "Grounds maintenance", "status": "active",
             "amendments": [{"id": "990870-2026"}]}),
        fts("990802-2026", "0f0102", ["tender"], "2026-09-16T09:05:00+01:00", MOJ, "UK4",
            {"title": "Case management", "status": "active"}),
        uk1("990120-2026", "0f0601", "2026-05-20T11:00:00+01:00", NYORKS, "Vehicle maintenance",
             3_500_000, 4_200_000, "2026-11-01T23:59:59Z"),
        uk1("990700-2026", "0f0601", "2026-07-08T15:30:00+01:00", NYORKS, "Vehicle maintenance",
             2_800_000, 3_360_000, "2027-02-01T23:59:59Z", tags=("planningUpdate",)),
        fts("991200-2026", "0f0601", ["tenderCancellation"], "2026-10-14T10:05:00+01:00", NYORKS,
            "UK12", {"status": "withdrawn"}, with_buyer=False),
    ]  # fmt: skip
    paths = [write_json(folder / "p1.json", package(first, next_cursor=990102)),
             write_json(folder / "p2.json", package(second)),
             write_json(folder / "later.json", package(later))]  # fmt: skip
    return paths


def cf_planned(folder: Path) -> Path:
    """Contracts Finder planning notices of 2025-26: two planned procurements of Leeds (one
    tendered 70 days later) and an early engagement notice (tender status planning)."""
    leeds = {"id": "b", "name": "Leeds City Council"}
    releases = [
        {"ocid": "ocds-b5fd17-0001", "id": "p1", "date": "2025-05-06T09:00:00Z",
         "tag": ["planning"], "buyer": leeds,
         "tender": {"status": "planned", "title": "Parks", "value": {"amount": 250000.0}}},
        {"ocid": "ocds-b5fd17-0001", "id": "t1", "date": "2025-07-15T09:00:00Z",
         "tag": ["tender"], "tender": {"status": "active"}},
        {"ocid": "ocds-b5fd17-0002", "id": "p2", "date": "2025-06-08T09:00:00Z",
         "tag": ["planning"], "buyer": leeds, "tender": {"status": "planned",
                                                         "title": "Libraries"}},
        {"ocid": "ocds-b5fd17-0003", "id": "p3", "date": "2025-06-09T09:00:00Z",
         "tag": ["planning"], "buyer": leeds, "tender": {"status": "planning",
                                                         "title": "Engagement"}},
    ]  # fmt: skip
    return write_json(folder / "cf.json", package(releases))
