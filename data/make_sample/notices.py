"""Invented Contracts Finder notices for the sample's bodies: SYNTHETIC OCDS releases.

One release package (``NOTICES_FILENAME``), shaped as a page of the Contracts Finder
``Published/Notices/OCDS/Search`` API, of procurement processes whose buyers are the
sample's bodies, spelt as the spend releases spell them that month (so they resolve to the
same bodies), and a few eligible bodies that never buy through the frameworks. Each process
follows a kind of ``notice_kinds.csv`` (its stages, procedure, and for call-offs the
framework family) on a subject of ``notice_subjects.csv``: planning (early engagement)
notices before some tenders, tender amendments, awards to the sample's suppliers (their
``details.scale`` from their SME status, or not given), award updates, and releases
published twice. Dates run from ``NOTICES_FIRST_MONTH`` to the sample's last month; amounts
are GBP.

Drawn from its own generator (``default_rng([SEED, NOTICES_SEED_PART])``) after the
spend files are written, so they stay byte-identical.
"""

from __future__ import annotations

import copy
import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from data.make_sample import settings as s
from data.make_sample.months import month_index, month_start
from data.make_sample.tables import Tables
from data.make_sample.typed_csv import read_rows

CF_PREFIX = "ocds-b5fd17-"  # Contracts Finder's OCID prefix
DAY = timedelta(days=1)


@dataclass(frozen=True)
class NoticeKind:
    """A kind of procurement process: its stages in order and its procedure."""

    kind: str
    weight: float
    stages: tuple[str, ...]  # planning, tender, award
    method: str  # OCDS procurementMethod ("" for none)
    details: str  # procurementMethodDetails as Contracts Finder words it
    call_off_family: str  # G-Cloud / DOS for call-offs, else ""
    value_scale: float  # multiplies the drawn value


@dataclass(frozen=True)
class NoticeSubject:
    """What is bought: CPV code and description, category and a title."""

    cpv_code: str
    cpv_description: str
    category: str
    title: str


def read_notice_sources(directory: Path) -> tuple[list[NoticeKind], list[NoticeSubject]]:
    """The kinds and subjects tables (``notice_kinds.csv``, ``notice_subjects.csv``)."""
    kinds = read_rows(
        directory,
        "notice_kinds.csv",
        {"kind": str, "weight": float, "stages": lambda t: tuple(t.split(";")),
         "procurement_method": str, "procurement_method_details": str,
         "call_off_family": str, "value_scale": float},
    )  # fmt: skip
    subjects = read_rows(
        directory,
        "notice_subjects.csv",
        {"cpv_code": str, "cpv_description": str, "category": str, "title": str},
    )
    return [NoticeKind(*row) for row in kinds], [NoticeSubject(*row) for row in subjects]


def stamp(when: datetime) -> str:
    """An OCDS date-time in UTC, as Contracts Finder writes them."""
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def _uuid(rng: np.random.Generator) -> str:
    return str(uuid.UUID(bytes=rng.bytes(16), version=4))


@dataclass
class _Process:
    """One process being drawn: its buyer, subject, kind and stage dates."""

    ocid: str
    notice: str  # the notice id its releases' ids start with
    buyer: dict[str, Any]
    kind: NoticeKind
    subject: NoticeSubject
    month: int
    dates: dict[str, datetime]


class NoticeDraws:
    """Draws processes and their releases for the sample's bodies and suppliers."""

    def __init__(self, tables: Tables, kinds, subjects, rng: np.random.Generator) -> None:
        self.tables, self.kinds, self.subjects, self.rng = tables, kinds, subjects, rng
        self.end = datetime.combine(month_start(s.N_MONTHS), datetime.min.time()) - timedelta(
            seconds=1
        )
        self.serial = 0

    def _release_id(self, process: _Process) -> str:
        self.serial += 1
        return f"{process.notice}-{100000 + self.serial}"

    def buyer(self, number: int, month: int) -> dict[str, Any]:
        """A buyer party: an eligible non-buyer for the first few processes, else a body
        buying that month, drawn by its weight, named as it was then."""
        tables, rng = self.tables, self.rng
        if number < s.N_NON_BUYER_PROCESSES:
            names = tables.sources.customers.non_buyers["name"]
            position = int(rng.integers(len(names)))
            name, party = str(names.iloc[position]), 90000 + position
        else:
            customers = tables.customers
            active = customers[
                customers["kind"].eq("body") & customers["weight"].gt(0)
                & customers["start"].le(month) & customers["end"].ge(month)
            ]  # fmt: skip
            weights = active["weight"].to_numpy()
            position = int(rng.choice(active.index.to_numpy(), p=weights / weights.sum()))
            name, party = str(tables.names[position, month]), 10000 + position
        return {"id": f"GB-CFS-{party}", "name": name}

    def stage_dates(self, kind: NoticeKind, first: datetime) -> dict[str, datetime]:
        """When each stage of ``kind`` was published, from ``first``; stages that would
        fall after the sample's last month are not reached."""
        dates: dict[str, datetime] = {}
        when = first
        for stage in kind.stages:
            if when > self.end:
                break
            dates[stage] = when
            if stage == "planning":
                lead = self.rng.lognormal(s.PLANNING_LEAD_LOG_MEAN, 0.6)
                when = when + DAY * float(np.clip(lead, *s.PLANNING_LEAD_DAYS))
            elif stage == "tender":
                when = when + DAY * float(self.rng.integers(*s.AWARD_DELAY_DAYS))
        return dates

    def process(self, number: int) -> _Process:
        """One process: kind, month, buyer, subject and stage dates."""
        rng = self.rng
        weights = np.array([k.weight for k in self.kinds])
        kind = self.kinds[int(rng.choice(len(self.kinds), p=weights / weights.sum()))]
        month = int(rng.integers(month_index(s.NOTICES_FIRST_MONTH), s.N_MONTHS))
        start = datetime.combine(month_start(month), datetime.min.time())
        first = start + timedelta(
            days=int(rng.integers(28)), hours=int(rng.integers(8, 18)),
            minutes=int(rng.integers(60)), seconds=int(rng.integers(60)),
        )  # fmt: skip
        return _Process(
            ocid=CF_PREFIX + _uuid(rng),
            notice=_uuid(rng),
            buyer=self.buyer(number, month),
            kind=kind,
            subject=self.subjects[int(rng.integers(len(self.subjects)))],
            month=month,
            dates=self.stage_dates(kind, first),
        )

    def framework(self, process: _Process) -> pd.Series | None:
        """The latest iteration of the call-off's framework family open that month."""
        family = process.kind.call_off_family
        if not family:
            return None
        frameworks = self.tables.sources.frameworks
        open_then = frameworks[
            frameworks["family"].eq(family)
            & frameworks["start"].le(process.month) & frameworks["end"].ge(process.month)
        ]  # fmt: skip
        return open_then.loc[open_then["iteration"].astype(int).idxmax()]

    def tender(self, process: _Process) -> dict[str, Any]:
        """The tender block every release of the process carries (status set later)."""
        rng, kind, subject = self.rng, process.kind, process.subject
        title, description = subject.title, f"{subject.title} for {process.buyer['name']}."
        framework = self.framework(process)
        if framework is not None and rng.random() >= s.UNNAMED_FRAMEWORK_SHARE:
            title = f"{title} ({framework['framework_name']})"
            description += (
                f" Call-off from {framework['framework_name']} ({framework['framework_number']})."
            )
        value = float(rng.lognormal(s.TENDER_VALUE_LOG_MEAN, s.TENDER_VALUE_LOG_SD))
        value = max(round(value * kind.value_scale, -2), 1000.0)
        tender: dict[str, Any] = {
            "id": process.notice,
            "title": title,
            "description": description,
            "classification": {"scheme": "CPV", "id": subject.cpv_code,
                               "description": subject.cpv_description},
            "value": {"amount": value, "currency": "GBP"},
            "mainProcurementCategory": subject.category,
        }  # fmt: skip
        if rng.random() < s.MIN_VALUE_SHARE:
            tender["minValue"] = {"amount": round(value * 0.6, -2), "currency": "GBP"}
        if kind.method:
            tender["procurementMethod"] = kind.method
            tender["procurementMethodDetails"] = kind.details
        if rng.random() >= s.SUITABILITY_MISSING_SHARE:
            sme, vcse = rng.random() < s.SME_SUITABLE_SHARE, rng.random() < s.VCSE_SUITABLE_SHARE
            tender["suitability"] = {"sme": bool(sme), "vcse": bool(vcse)}
        begins = min(process.dates.values()) + DAY * 90
        tender["contractPeriod"] = {
            "startDate": stamp(begins),
            "endDate": stamp(begins + DAY * (365 * int(rng.integers(1, 4)) - 1)),
        }
        return tender

    def suppliers(self, month: int) -> list[dict[str, Any]]:
        """The supplier parties of one award: the sample's suppliers active that month."""
        rng, table = self.rng, self.tables.suppliers
        active = table[table["weight"].gt(0) & table["start"].le(month) & table["end"].ge(month)]
        count = int(rng.integers(2, 4)) if rng.random() < s.MULTI_SUPPLIER_SHARE else 1
        weights = active["weight"].to_numpy()
        chosen = rng.choice(active.index.to_numpy(), size=count, replace=False,
                            p=weights / weights.sum())  # fmt: skip
        parties = []
        for position in sorted(int(p) for p in chosen):
            party: dict[str, Any] = {"id": f"GB-CFS-{50000 + position}",
                                     "name": str(table.loc[position, "name"]),
                                     "roles": ["supplier"]}  # fmt: skip
            if rng.random() < s.REGISTERED_SUPPLIER_SHARE:
                party["identifier"] = {"scheme": "GB-COH", "id": f"{10_000_000 + position * 7919}"}
            if rng.random() >= s.NO_SCALE_SHARE:
                party["details"] = {"scale": "sme" if table.loc[position, "is_sme"] else "large"}
            parties.append(party)
        return parties

    def releases(self, process: _Process) -> list[dict[str, Any]]:
        """The releases of one process, oldest first."""
        buyer_party = {**process.buyer, "roles": ["buyer"]}
        tender = self.tender(process)

        def release(when: datetime, tag: str, status: str, **extra: Any) -> dict[str, Any]:
            shown = {**tender, "status": status}
            if tag == "planning":  # suitability is stated with the tender
                shown.pop("suitability", None)
            return {
                "ocid": process.ocid, "id": self._release_id(process), "date": stamp(when),
                "language": "en", "tag": [tag], "initiationType": "tender",
                "parties": [buyer_party, *extra.pop("suppliers", [])],
                "buyer": process.buyer, "tender": shown, **extra,
            }  # fmt: skip

        out = []
        dates = process.dates
        if "planning" in dates:
            out.append(release(dates["planning"], "planning", "planning"))
        if "tender" in dates:
            out.append(release(dates["tender"], "tender", "active"))
            if self.rng.random() < s.AMENDMENT_SHARE:
                amended = dates["tender"] + DAY * int(self.rng.integers(3, 15))
                tender["description"] += " Amended: the closing date has moved."
                out.append(release(amended, "tenderAmendment", "active"))
        if "award" in dates:
            suppliers = self.suppliers(process.month)
            amount = round(tender["value"]["amount"] * float(self.rng.uniform(0.7, 1.0)), 2)
            award = {
                "id": f"{process.ocid}-1", "status": "active",
                "date": stamp(dates["award"] - DAY * int(self.rng.integers(1, 10))),
                "datePublished": stamp(dates["award"]),
                "value": {"amount": amount, "currency": "GBP"},
                "suppliers": [{"id": p["id"], "name": p["name"]} for p in suppliers],
            }  # fmt: skip
            out.append(release(dates["award"], "award", "complete", suppliers=suppliers,
                               awards=[award]))  # fmt: skip
        return out

    def award_update(self, award_release: dict[str, Any]) -> dict[str, Any] | None:
        """An ``awardUpdate`` revising the award's value, 10 to 40 days later (none if that
        is after the sample's last month)."""
        when = datetime.strptime(award_release["date"], "%Y-%m-%dT%H:%M:%SZ")
        when += DAY * int(self.rng.integers(10, 41))
        if when > self.end:
            return None
        update = copy.deepcopy(award_release)
        update["id"] = f"{award_release['id'].rsplit('-', 1)[0]}-{900000 + self.serial}"
        self.serial += 1
        update["date"], update["tag"] = stamp(when), ["awardUpdate"]
        value = update["awards"][0]["value"]
        value["amount"] = round(value["amount"] * 1.08, 2)
        return update


def build_releases(tables: Tables, sources_dir: Path, rng: np.random.Generator) -> list[dict]:
    """Every release of the package: each process's releases in date order, some award
    updates, then some releases published a second time."""
    kinds, subjects = read_notice_sources(sources_dir)
    draws = NoticeDraws(tables, kinds, subjects, rng)
    releases = [r for n in range(s.N_NOTICE_PROCESSES) for r in draws.releases(draws.process(n))]
    awarded = [r for r in releases if r["tag"] == ["award"]]
    for position in sorted(rng.choice(len(awarded), s.N_AWARD_UPDATES, replace=False)):
        update = draws.award_update(awarded[int(position)])
        if update is not None:
            releases.append(update)
    releases.sort(key=lambda r: (r["date"], r["id"]))
    again = sorted(rng.choice(len(releases), s.N_DUPLICATE_RELEASES, replace=False))
    return releases + [copy.deepcopy(releases[int(p)]) for p in again]


def write_notices(path: Path, tables: Tables, sources_dir: Path) -> Path:
    """Write the SYNTHETIC release package to ``path`` (UTF-8 JSON, one space indents)."""
    rng = np.random.default_rng([s.SEED, s.NOTICES_SEED_PART])
    package = {
        "uri": "https://www.contractsfinder.service.gov.uk/Published/Notices/OCDS/Search",
        "version": "1.1",
        "publishedDate": s.NOTICES_PUBLISHED,
        "publisher": {"name": "SYNTHETIC sample - invented notices (data/make_sample)"},
        "license": "",
        "publicationPolicy": "",
        "releases": build_releases(tables, sources_dir, rng),
    }
    path.write_text(json.dumps(package, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
