"""Invented Find a Tender notices and Digital Marketplace opportunities for the sample's
bodies: SYNTHETIC, so that the pipelines and SME bids pages have something to show.

- ``FTS_FILENAME``: one release package shaped as a page of Find a Tender's
  ``ocdsReleasePackages`` API (ocids ``ocds-h6vhtk-``, notice ids ``nnnnnn-2025``): pipeline
  notices (UK1) of the 2025-26 pipeline year by some of the sample's ministerial
  departments, councils and NHS bodies, on time (1 April to 26 May) or late, each followed
  or not by a market engagement (UK2) or tender (UK4) notice, a few edited or withdrawn
  (UK12); and contract award notices (UK6) with bid statistics per lot, some awards still in
  their standstill period (pending).
- ``DOS_FILENAME``: the Digital Marketplace's export of Digital Outcomes and Specialists
  opportunities (the real file's header), 2016 to 2018: applications from SMEs and large
  organisations, and the winner's size and contract amount when awarded.

Drawn from their own generator (``default_rng([SEED, PLATFORM_SEED_PART])``) after every
other file is written, so those stay byte-identical.
"""

from __future__ import annotations

import csv
import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from data.make_sample import settings as s

FTS_PREFIX = "ocds-h6vhtk-"
ACT = {"scheme": "UKPGA", "id": "2023/54"}
DAY = timedelta(days=1)
BST = "+01:00"
DOS_HEADER = ["ID", "Opportunity", "Link", "Framework", "Category", "Specialist",
              "Organisation Name", "Buyer Domain", "Location Of The Work", "Published At",
              "Open For", "Expected Contract Length", "Applications from SMEs",
              "Applications from Large Organisations", "Total Organisations", "Status",
              "Winning supplier", "Size of supplier", "Contract amount",
              "Contract start date"]  # fmt: skip


def _stamp(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%S") + BST


def _bodies(sources_dir: Path) -> pd.DataFrame:
    return pd.read_csv(sources_dir / "bodies.csv", dtype=str, keep_default_na=False)


def _party(name: str, number: int, ca: str) -> dict[str, Any]:
    return {"id": f"GB-PPON-SYN{number:05d}", "name": name, "roles": ["buyer"],
            "details": {"classifications": [{"scheme": "UK_CA_TYPE", "id": ca}]}}  # fmt: skip


def _authorities(bodies: pd.DataFrame, rng: np.random.Generator) -> list[dict[str, Any]]:
    """The authorities publishing pipelines: some departments, councils and NHS bodies."""
    departments = bodies[bodies["organisation_type"].eq("Ministerial Department")
                         & bodies["name"].eq(bodies["parent_department"])]  # fmt: skip
    councils = bodies[bodies["sector"].eq("Local Government")]
    health = bodies[bodies["sector"].eq("Health")]
    central, sub = "publicAuthorityCentralGovernment", "publicAuthoritySubCentralGovernment"
    chosen = []
    groups = ((departments, s.FTS_DEPARTMENTS, central), (councils, s.FTS_COUNCILS, sub),
              (health, s.FTS_HEALTH, central))  # fmt: skip
    for frame, count, ca in groups:
        for position in sorted(rng.choice(len(frame), count, replace=False)):
            chosen.append({"name": frame["name"].iloc[int(position)], "ca": ca})
    return [{**a, "party": _party(a["name"], i, a["ca"])} for i, a in enumerate(chosen)]


class _Notices:
    """Numbers notices and processes as Find a Tender does."""

    def __init__(self) -> None:
        self.notice, self.process = 0, 0

    def next_notice(self) -> str:
        self.notice += 1
        return f"{s.FTS_FIRST_NOTICE + self.notice:06d}-2025"

    def next_ocid(self) -> str:
        self.process += 1
        return f"{FTS_PREFIX}5a{self.process:04x}"


def _doc(notice: str, notice_type: str, when: datetime) -> dict[str, Any]:
    return {"id": notice, "documentType": "notice", "noticeType": notice_type,
            "url": f"https://www.find-tender.service.gov.uk/Notice/{notice}",
            "datePublished": _stamp(when)}  # fmt: skip


def _release(numbers, ocid, when, tags, party, notice_type, tender, section="planning", **more):
    notice = numbers.next_notice()
    release = {"id": notice, "ocid": ocid, "date": _stamp(when), "tag": tags,
               "initiationType": "tender", "parties": [party, *more.pop("parties", [])],
               "buyer": {"id": party["id"], "name": party["name"]},
               "tender": {"legalBasis": ACT, **tender}, **more}  # fmt: skip
    target = release.setdefault(section, {}) if section == "planning" else release["tender"]
    target["documents"] = [_doc(notice, notice_type, when)]
    return release


def _pipeline(authority, numbers, rng, end: datetime) -> list[dict[str, Any]]:
    """One authority's pipeline notices of 2025-26 and what followed them."""
    on_time = rng.random() < s.FTS_ON_TIME_SHARE
    first = datetime(2025, 4, 1, 9) + DAY * int(rng.integers(0, 56) if on_time
                                                else rng.integers(56, 160))  # fmt: skip
    out = []
    for n in range(int(rng.integers(1, 5))):
        ocid, when = numbers.next_ocid(), first + timedelta(minutes=3 * n)
        amount = round(float(rng.lognormal(15.6, 0.8)), -3) + 2_000_000
        value = {"amountGross": round(amount * 1.2), "currency": "GBP"}
        if rng.random() >= s.FTS_GROSS_ONLY_SHARE:
            value["amount"] = amount
        future = when + DAY * int(rng.integers(45, 400))
        tender = {"title": f"Planned procurement {n + 1} of {authority['name']}",
                  "status": "planned", "value": value,
                  "communication": {"futureNoticeDate": _stamp(future)},
                  "lots": [{"id": "1", "status": "planned"}]}  # fmt: skip
        out.append(_release(numbers, ocid, when, ["planning"], authority["party"], "UK1", tender))
        later = when + DAY * int(rng.integers(15, 60))
        draw = rng.random()
        if draw < s.FTS_WITHDRAWN_SHARE and later < end:
            out.append(_release(numbers, ocid, later, ["tenderCancellation"], authority["party"],
                                "UK12", {"status": "withdrawn"}, section="tender"))  # fmt: skip
        elif draw < s.FTS_ENGAGED_SHARE and later < end:
            out.append(_release(numbers, ocid, later, ["planning"], authority["party"], "UK2",
                                {**tender, "status": "planning"}))  # fmt: skip
        tendered = when + DAY * int(rng.integers(30, 170))
        if rng.random() < s.FTS_TENDERED_SHARE and tendered < end and draw >= s.FTS_WITHDRAWN_SHARE:
            out.append(_release(numbers, ocid, tendered, ["tender"], authority["party"], "UK4",
                                {**tender, "status": "active"}, section="tender"))  # fmt: skip
    return out


def _award(authority, numbers, rng, suppliers: pd.DataFrame) -> dict[str, Any]:
    """A contract award notice (UK6): lots with bid statistics, an award per lot."""
    when = datetime(2025, 6, 1, 10) + DAY * int(rng.integers(0, 110))
    lots, awards, statistics, parties = int(rng.integers(1, 4)), [], [], []
    pending = rng.random() < s.FTS_PENDING_SHARE
    for lot in range(1, lots + 1):
        final = int(rng.integers(2, 9))
        sme = int(rng.integers(0, final + 1))
        for measure, count in (("bids", final + int(rng.integers(0, 4))),
                               ("finalStageBids", final), ("smeFinalStageBids", sme)):  # fmt: skip
            statistics.append({"id": str(len(statistics) + 1), "measure": measure,
                               "value": count, "relatedLot": str(lot)})  # fmt: skip
        row = suppliers.iloc[int(rng.integers(len(suppliers)))]
        scale = "sme" if rng.random() < (sme / final) else "large"
        party = {"id": f"GB-COH-S{row.name:05d}", "name": row["name"], "roles": ["supplier"],
                 "details": {"scale": scale}}  # fmt: skip
        parties.append(party)
        award = {"id": str(lot), "status": "pending" if pending else "active",
                 "value": {"amount": round(float(rng.lognormal(12.5, 0.9)), -2),
                           "currency": "GBP"},
                 "suppliers": [{"id": party["id"], "name": party["name"]}],
                 "relatedLots": [str(lot)]}  # fmt: skip
        if pending:
            award["standstillPeriod"] = {"endDate": _stamp(when + DAY * 10)}
        awards.append(award)
    release = _release(numbers, numbers.next_ocid(), when, ["award", "contract"],
                       authority["party"], "UK6", {"title": "Support services", "status":
                                                   "complete"}, section="tender",
                       parties=parties, awards=awards, bids={"statistics": statistics})  # fmt: skip
    release["awards"][0]["documents"] = release["tender"].pop("documents")
    return release


def write_find_a_tender(path: Path, sources_dir: Path) -> Path:
    """Write the SYNTHETIC Find a Tender release package to ``path``."""
    rng = np.random.default_rng([s.SEED, s.PLATFORM_SEED_PART])
    authorities = _authorities(_bodies(sources_dir), rng)
    suppliers = pd.read_csv(sources_dir / "fixed_suppliers.csv", dtype=str, keep_default_na=False)
    numbers, end = _Notices(), datetime(2025, 9, 30, 18)
    releases = [r for a in authorities for r in _pipeline(a, numbers, rng, end)]
    for n in range(s.FTS_AWARDS):
        releases.append(_award(authorities[n % len(authorities)], numbers, rng, suppliers))
    package = {
        "uri": "https://www.find-tender.service.gov.uk/api/1.0/ocdsReleasePackages",
        "version": "1.1",
        "publishedDate": s.NOTICES_PUBLISHED,
        "publisher": {"name": "SYNTHETIC sample - invented notices (data/make_sample)"},
        "releases": sorted(releases, key=lambda r: r["date"], reverse=True),
    }
    path.write_text(json.dumps(package, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def _opportunity(number: int, bodies: pd.DataFrame, suppliers, rng) -> list[str]:
    body = bodies["name"].iloc[int(rng.integers(len(bodies)))]
    framework = "digital-outcomes-and-specialists" + ("" if number < s.DOS_FIRST_ITERATION
                                                      else "-2")  # fmt: skip
    published = datetime(2016, 5, 1) + DAY * int(number * 800 / s.DOS_OPPORTUNITIES)
    large = int(rng.integers(0, 8))
    sme = int(rng.integers(0, 25)) if rng.random() > 0.03 else 1
    total = sme + large
    status = str(rng.choice(["closed", "awarded", "cancelled", "unsuccessful"],
                            p=[0.6, 0.3, 0.06, 0.04]))  # fmt: skip
    winner, size, amount, start = "", "", "", ""
    if status == "awarded":
        row = suppliers.iloc[int(rng.integers(len(suppliers)))]
        winner = row["name"]
        size = str(rng.choice(["micro", "small", "medium", "large", ""],
                              p=[0.15, 0.35, 0.2, 0.28, 0.02]))  # fmt: skip
        amount = "" if size == "" else f"{round(float(rng.lognormal(12.3, 1.0)), 2)}"
        begin = published + DAY * int(rng.integers(30, 90))
        start = f"{begin.year}-{begin.month}-{begin.day}"
    category = str(rng.choice(["digital-outcomes", "digital-specialists",
                               "user-research-participants"], p=[0.45, 0.5, 0.05]))  # fmt: skip
    opportunity = 1000 + number
    return [str(opportunity), f"Invented opportunity {opportunity}",
            f"https://www.digitalmarketplace.service.gov.uk/digital-outcomes-and-specialists/"
            f"opportunities/{opportunity}", framework, category, "", body, "example.gov.uk",
            "London", published.strftime("%Y-%m-%d"), "2 weeks", "6 months",
            "" if sme == 0 and rng.random() < 0.3 else f"{sme}.0",
            "" if large == 0 else f"{large}.0", f"{total}.0", status, winner, size, amount,
            start]  # fmt: skip


def write_dos_opportunities(path: Path, sources_dir: Path) -> Path:
    """Write the SYNTHETIC Digital Marketplace opportunities export to ``path``."""
    rng = np.random.default_rng([s.SEED, s.PLATFORM_SEED_PART + 1])
    bodies = _bodies(sources_dir)
    bodies = bodies[bodies["sector"].isin(["Central Government", "Local Government", "Health"])]
    suppliers = pd.read_csv(sources_dir / "fixed_suppliers.csv", dtype=str, keep_default_na=False)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(DOS_HEADER)
        for number in range(s.DOS_OPPORTUNITIES):
            writer.writerow(_opportunity(number, bodies, suppliers, rng))
    return path
