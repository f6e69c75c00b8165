"""The rules of UK notice platforms, read from ``data/reference`` into one immutable record.

- ``ocds_platforms.csv``: which platform an ocid prefix belongs to (Find a Tender
  ``ocds-h6vhtk``, Public Contracts Scotland ``ocds-r6ebe6``, Sell2Wales ``ocds-kuma6s``,
  Contracts Finder ``ocds-b5fd17``), the order in which a procurement published on several
  is counted on one (``rank``), and how a platform's notice pages name a notice;
- ``ocds_notice_types.csv``: the Procurement Act 2023 notice types (``UK1``...) with the stage
  each marks where its release tag would mislead (``none``: no stage), whether its awards
  are awards, and its part in a pipeline (``pipeline``, ``follow-up``, ``tender``,
  ``withdrawal``);
- ``ocds_legal_bases.csv``: ``tender.legalBasis`` (scheme and id) to a legal basis, and
  whether it is the Procurement Act 2023;
- ``ocds_award_statuses.csv``: OCDS award status to what the award is as it stands
  (``made``, ``pending``, ``cancelled``, ``unsuccessful``);
- ``ocds_buyer_classifications.csv``: a buyer's published classification (``UK_CA_TYPE``,
  ``TED_CA_TYPE``) to a sector and buyer group, used only where nothing else is known of
  the body (:mod:`loaders.sources.ocds.buyer_types`);
- ``pipeline_duty.csv``: the pipeline notice duty (its window, thresholds, first year).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from loaders.core.vocabulary import REFERENCE_DIR, simplify

ANY = "*"


@dataclass(frozen=True)
class Platform:
    """A notice platform: its ocid prefix, name, rank (1 counts first) and the pattern of its
    notice pages' URLs (group ``id``), which gives a ``release id`` or an ``ocid``."""

    prefix: str
    name: str
    rank: int
    notice_url: re.Pattern[str] | None
    notice_url_gives: str


@dataclass(frozen=True)
class NoticeType:
    """A Procurement Act notice type (``UK1``...) and what it means to the tables."""

    code: str
    name: str
    stage: str  # '' the release tags decide; 'none' no stage; else that stage
    awards: bool  # whether awards it carries are awards
    pipeline_role: str  # pipeline, follow-up, tender, withdrawal or ''


@dataclass(frozen=True)
class BuyerClass:
    """One row of ``ocds_buyer_classifications.csv`` (blank ``devolved`` / ``platform``:
    any; ``*``: any scheme or code)."""

    scheme: str
    code: str
    devolved: str
    platform: str
    sector: str | None
    buyer_group: str | None

    def matches(self, scheme: str, codes: tuple[str, ...], devolved: str, platform: str) -> bool:
        """Whether the row applies to a classification (its id and description as
        ``codes``) of a buyer under ``devolved`` regulations on ``platform``."""
        if self.devolved and self.devolved != devolved:
            return False
        if self.platform and self.platform != platform:
            return False
        if self.scheme == ANY:
            return True
        return self.scheme == scheme and (
            self.code == ANY or simplify(self.code) in {simplify(c) for c in codes if c}
        )


@dataclass(frozen=True)
class NoticeRules:
    """Everything of ``data/reference`` the UK notice platforms are read with."""

    platforms: tuple[Platform, ...]
    notice_types: Mapping[str, NoticeType]
    legal_bases: Mapping[tuple[str, str], tuple[str, bool]]
    award_standing: Mapping[str, str]  # award status ('' for none) -> standing
    buyer_classes: tuple[BuyerClass, ...]
    pipeline_duty: Mapping[str, str]

    def platform_of(self, ocid: object) -> Platform | None:
        """The platform whose prefix ``ocid`` starts with (``None``: unknown)."""
        if not isinstance(ocid, str):
            return None
        return next((p for p in self.platforms if ocid.startswith(p.prefix + "-")), None)

    def by_name(self, name: str) -> Platform | None:
        """The platform called ``name``."""
        return next((p for p in self.platforms if p.name == name), None)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


def _platforms(path: Path) -> tuple[Platform, ...]:
    return tuple(
        Platform(
            r["prefix"],
            r["platform"],
            int(r["rank"]),
            re.compile(r["notice_url_pattern"]) if r["notice_url_pattern"] else None,
            r["notice_url_gives"],
        )
        for r in _rows(path)
    )


@lru_cache(maxsize=4)
def load_notice_rules(reference_dir: Path = REFERENCE_DIR) -> NoticeRules:
    """Read the notice platforms' rules of ``reference_dir`` (see the module docstring)."""
    d = Path(reference_dir)
    types = {
        r["notice_type"]: NoticeType(
            r["notice_type"], r["name"], r["stage"], r["awards"] == "yes", r["pipeline_role"]
        )
        for r in _rows(d / "ocds_notice_types.csv")
    }
    bases = {
        (r["scheme"], r["id"]): (r["legal_basis"], r["procurement_act"] == "yes")
        for r in _rows(d / "ocds_legal_bases.csv")
    }
    classes = tuple(
        BuyerClass(r["scheme"], r["code"], r["devolved"], r["platform"],
                   r["sector"] or None, r["buyer_group"] or None)
        for r in _rows(d / "ocds_buyer_classifications.csv")
    )  # fmt: skip
    return NoticeRules(
        platforms=_platforms(d / "ocds_platforms.csv"),
        notice_types=MappingProxyType(types),
        legal_bases=MappingProxyType(bases),
        award_standing=MappingProxyType(
            {r["status"]: r["standing"] for r in _rows(d / "ocds_award_statuses.csv")}
        ),
        buyer_classes=classes,
        pipeline_duty=MappingProxyType(
            {r["key"]: r["value"] for r in _rows(d / "pipeline_duty.csv")}
        ),
    )
