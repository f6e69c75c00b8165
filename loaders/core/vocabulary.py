"""Reference metadata read from ``data/reference``: header aliases and spelling dictionaries.

Everything that changes between published releases (header spellings, sector, SME,
framework and lot spellings) lives in CSV files beside the data, not in code. This module
reads them once into an immutable :class:`Vocabulary` that the pipeline is given.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from loaders.core.text import fold_text

REFERENCE_DIR = Path(__file__).resolve().parents[2] / "data" / "reference"

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def simplify(text: object) -> str:
    """Lower-case ``text`` and drop everything but letters and digits (a matching key).

    ``"Evidenced Spend (ex VAT)"`` and ``"evidenced spend ex vat"`` both give
    ``"evidencedspendexvat"``; ``"&"`` counts as ``"and"``; accents are folded (``é`` is ``e``).
    """
    if text is None:
        return ""
    return _NON_ALNUM.sub("", fold_text(str(text)).replace("&", "and"))


@dataclass(frozen=True)
class FrameworkFamily:
    """A framework name prefix; a number after it (arabic or roman) names the iteration."""

    key: str
    framework: str
    iteration_prefix: str
    needs_number: bool


@dataclass(frozen=True)
class LotRule:
    """One spelling of a lot, valid for a range of framework iterations."""

    framework: str
    key: str
    lot: str
    first_iteration: int
    last_iteration: int


@dataclass(frozen=True)
class Layout:
    """A known published layout: its name and the simplified headers it carries."""

    name: str
    header_keys: frozenset[str]
    description: str
    date_order: str = ""  # day-first / month-first: how its numeric dates are written


@dataclass(frozen=True)
class BuyerGroup:
    """A buyer group of ``buyer_groups.csv``: its name in the spend frame, its code in links
    (``central``) and its label in filter controls; in the file's order."""

    name: str
    code: str
    label: str

    @property
    def column(self) -> str:
        """The code as a column-name part: ``non-whitehall`` -> ``non_whitehall``."""
        return self.code.replace("-", "_")


@dataclass(frozen=True)
class Vocabulary:
    """All reference metadata the loaders need, read from one folder."""

    header_aliases: Mapping[str, str]  # simplified header -> canonical field
    alias_spellings: Mapping[str, tuple[str, ...]]  # canonical field -> published headers
    layouts: tuple[Layout, ...]
    sectors: Mapping[str, str]  # simplified spelling -> canonical sector
    buyer_groups: Mapping[str, str]  # canonical sector -> buyer group (sector_groups.csv)
    buyer_group_list: tuple[BuyerGroup, ...]  # every buyer group, in order (buyer_groups.csv)
    sme_statuses: Mapping[str, str]  # simplified spelling -> SME / Large / Unknown
    framework_families: tuple[FrameworkFamily, ...]  # longest key first
    framework_numbers: Mapping[str, tuple[str, str | None]]  # simplified number -> names
    lots: tuple[LotRule, ...]
    supplier_suffixes: tuple[str, ...]
    leading_articles: tuple[str, ...]
    sector_name_rules: tuple[tuple[re.Pattern[str], str], ...]
    source_dir: Path
    file_name_words: frozenset[str] = frozenset()  # never a supplier's name in a file name
    file_name_version_words: frozenset[str] = frozenset()  # mark a re-issued file
    placeholder_urns: tuple[re.Pattern[str], ...] = ()  # customer URNs no body owns
    placeholder_names: tuple[re.Pattern[str], ...] = ()  # test and dummy organisations
    no_names: tuple[re.Pattern[str], ...] = ()  # names that name no body ("Unknown")
    # simplified agreement number of one lot (RM1557.13L4) -> that lot's number ("4")
    framework_number_lots: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def buyer_group(self, code: str) -> BuyerGroup:
        """The buyer group with this code (``central``, ``non-whitehall``, ``unclassified``)."""
        for group in self.buyer_group_list:
            if group.code == code:
                return group
        raise KeyError(f"no buyer group with code {code!r} in buyer_groups.csv")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


def _mapping(path: Path, key: str, value: str) -> Mapping[str, str]:
    return MappingProxyType({simplify(r[key]): r[value] for r in _rows(path)})


def _header_aliases(path: Path) -> tuple[Mapping[str, str], Mapping[str, tuple[str, ...]]]:
    aliases: dict[str, str] = {}
    spellings: dict[str, list[str]] = {}
    for row in _rows(path):
        aliases[simplify(row["alias"])] = row["field"]
        spellings.setdefault(row["field"], []).append(row["alias"])
    frozen = {field: tuple(names) for field, names in spellings.items()}
    return MappingProxyType(aliases), MappingProxyType(frozen)


def _framework_families(path: Path) -> tuple[FrameworkFamily, ...]:
    families = [
        FrameworkFamily(
            key=simplify(r["spelling"]),
            framework=r["framework"],
            iteration_prefix=r["iteration_prefix"],
            needs_number=r["needs_number"].lower() == "yes",
        )
        for r in _rows(path)
    ]
    return tuple(sorted(families, key=lambda f: -len(f.key)))


def _framework_numbers(path: Path) -> Mapping[str, tuple[str, str | None]]:
    return MappingProxyType(
        {
            simplify(r["number"]): (r["framework"], r["framework_iteration"] or None)
            for r in _rows(path)
        }
    )


def _framework_number_lots(path: Path) -> Mapping[str, str]:
    return MappingProxyType({simplify(r["number"]): r["lot"] for r in _rows(path) if r.get("lot")})


def _lots(path: Path) -> tuple[LotRule, ...]:
    return tuple(
        LotRule(
            framework=r["framework"],
            key=simplify(r["spelling"]),
            lot=r["lot"],
            first_iteration=int(r["first_iteration"]),
            last_iteration=int(r["last_iteration"]),
        )
        for r in _rows(path)
    )


def _layouts(path: Path) -> tuple[Layout, ...]:
    return tuple(
        Layout(
            name=r["layout"],
            header_keys=frozenset(simplify(h) for h in r["headers"].split("|")),
            description=r["description"],
            date_order=r.get("date_order", ""),
        )
        for r in _rows(path)
    )


def _name_rules(path: Path) -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(r["pattern"], re.IGNORECASE), r["sector"]) for r in _rows(path))


def _patterns(rows: list[dict[str, str]], applies_to: str) -> tuple[re.Pattern[str], ...]:
    flags = 0 if applies_to == "customer_urn" else re.IGNORECASE
    return tuple(re.compile(r["pattern"], flags) for r in rows if r["applies_to"] == applies_to)


@lru_cache(maxsize=4)
def load_vocabulary(reference_dir: Path = REFERENCE_DIR) -> Vocabulary:
    """Read every reference file in ``reference_dir`` into a :class:`Vocabulary`."""
    d = Path(reference_dir)
    aliases, spellings = _header_aliases(d / "column_aliases.csv")
    suffix_rows = _rows(d / "name_suffixes.csv")
    words = _rows(d / "file_name_words.csv")
    placeholders = _rows(d / "placeholders.csv")
    return Vocabulary(
        header_aliases=aliases,
        alias_spellings=spellings,
        layouts=_layouts(d / "layouts.csv"),
        sectors=_mapping(d / "sectors.csv", "spelling", "sector"),
        buyer_groups=MappingProxyType(
            {r["sector"]: r["buyer_group"] for r in _rows(d / "sector_groups.csv")}
        ),
        buyer_group_list=tuple(
            BuyerGroup(name=r["buyer_group"], code=r["code"], label=r["label"])
            for r in _rows(d / "buyer_groups.csv")
        ),
        sme_statuses=_mapping(d / "sme_status.csv", "spelling", "sme_status"),
        framework_families=_framework_families(d / "frameworks.csv"),
        framework_numbers=_framework_numbers(d / "framework_numbers.csv"),
        lots=_lots(d / "lots.csv"),
        supplier_suffixes=tuple(
            sorted(
                (r["suffix"] for r in suffix_rows if r["applies_to"] == "supplier"),
                key=lambda s: -len(s),
            )
        ),
        leading_articles=tuple(r["suffix"] for r in suffix_rows if r["applies_to"] == "both"),
        sector_name_rules=_name_rules(d / "sector_name_rules.csv"),
        source_dir=d,
        file_name_words=frozenset(r["word"].lower() for r in words),
        file_name_version_words=frozenset(
            r["word"].lower() for r in words if r["role"] == "version"
        ),
        placeholder_urns=_patterns(placeholders, "customer_urn"),
        placeholder_names=_patterns(placeholders, "customer_name"),
        no_names=_patterns(placeholders, "no_name"),
        framework_number_lots=_framework_number_lots(d / "framework_numbers.csv"),
    )
