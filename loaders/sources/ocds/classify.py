"""Classify notices: stages from release tags, call-offs, frameworks named, award size groups.

Every rule lives in a CSV under ``data/reference/`` (``ocds_release_tags.csv``,
``ocds_stages.csv``, ``ocds_supplier_scales.csv``, ``ocds_call_offs.csv``,
``ocds_framework_mentions.csv``), read once into an immutable :class:`OcdsVocabulary`.

**Size group of an award** (from its suppliers' ``parties[].details.scale``):
``SME`` when every supplier is an SME, ``Large`` when every supplier is large, ``Mixed``
when the suppliers whose scale is given include both, ``Unknown`` otherwise: no supplier's
scale given, no supplier at all, or a partly-known set all of one size (``sme`` plus a
supplier of unknown scale is not known to be SME-only, so it is not counted as SME).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from loaders.catalogue import codes
from loaders.core import normalise
from loaders.core.vocabulary import REFERENCE_DIR, Vocabulary

SIZE_GROUPS = codes("awards", "size_group")  # SME, Large, Mixed, Unknown
SME, LARGE, MIXED, UNKNOWN = SIZE_GROUPS
FRAMEWORK_AGREEMENT = "framework agreement"


@dataclass(frozen=True)
class FrameworkNamed:
    """Frameworks a notice names: every mention found, and the first one recognised."""

    mentions: tuple[str, ...] = ()
    framework: str | None = None
    iteration: str | None = None


@dataclass(frozen=True)
class OcdsVocabulary:
    """The reference rules for notices, read from ``data/reference``."""

    stage_of_tag: Mapping[str, str]  # release tag -> stage ('' for none)
    stage_rank: Mapping[str, int]  # stage -> order (planning 1 ... implementation 5)
    size_of_scale: Mapping[str, str]  # lower-case partyScale -> SME / Large
    call_offs: tuple[tuple[re.Pattern[str], str], ...]  # method details pattern -> from what
    number_mentions: tuple[re.Pattern[str], ...]  # CCS agreement numbers
    name_mentions: tuple[re.Pattern[str], ...]  # framework names with an iteration


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


def _patterns(rows: list[dict[str, str]], kind: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(r["pattern"], re.IGNORECASE) for r in rows if r["kind"] == kind)


@lru_cache(maxsize=4)
def load_ocds_vocabulary(reference_dir: Path = REFERENCE_DIR) -> OcdsVocabulary:
    """Read the notice rules of ``reference_dir`` into an :class:`OcdsVocabulary`."""
    d = Path(reference_dir)
    mentions = _rows(d / "ocds_framework_mentions.csv")
    return OcdsVocabulary(
        stage_of_tag=MappingProxyType(
            {r["tag"]: r["stage"] for r in _rows(d / "ocds_release_tags.csv")}
        ),
        stage_rank=MappingProxyType(
            {r["stage"]: int(r["rank"]) for r in _rows(d / "ocds_stages.csv")}
        ),
        size_of_scale=MappingProxyType(
            {r["scale"].lower(): r["size_status"] for r in _rows(d / "ocds_supplier_scales.csv")}
        ),
        call_offs=tuple(
            (re.compile(r["pattern"], re.IGNORECASE), r["call_off_from"])
            for r in _rows(d / "ocds_call_offs.csv")
        ),
        number_mentions=_patterns(mentions, "number"),
        name_mentions=_patterns(mentions, "name"),
    )


def stages_of_tags(tags: Iterable[str], vocab: OcdsVocabulary) -> set[str]:
    """The stages a release's tags mark (``{"tender"}`` for ``["tenderAmendment"]``).

    Tags outside the OCDS codelist mark no stage.
    """
    return {vocab.stage_of_tag[t] for t in tags if vocab.stage_of_tag.get(t)}


def furthest_stage(stages: Iterable[str], vocab: OcdsVocabulary) -> str | None:
    """The latest stage reached (``award`` of planning, tender and award); ``None`` if none."""
    ranked = [s for s in stages if s in vocab.stage_rank]
    return max(ranked, key=vocab.stage_rank.__getitem__) if ranked else None


def size_status(scale: object, vocab: OcdsVocabulary) -> str:
    """``SME``, ``Large`` or ``Unknown`` for a party's published ``details.scale``."""
    if not isinstance(scale, str):
        return UNKNOWN
    return vocab.size_of_scale.get(scale.strip().lower(), UNKNOWN)


def size_group(statuses: Iterable[str]) -> str:
    """The size group of an award from its suppliers' size statuses (see the module doc)."""
    seen = list(statuses)
    known = {s for s in seen if s in (SME, LARGE)}
    if known == {SME, LARGE}:
        return MIXED
    if not seen or len(known) != 1 or any(s not in known for s in seen):
        return UNKNOWN
    return known.pop()


def call_off_from(details: object, vocab: OcdsVocabulary) -> str | None:
    """What a process calls off from, by its ``procurementMethodDetails``: ``framework
    agreement``, ``dynamic purchasing system`` or ``None``."""
    if not isinstance(details, str):
        return None
    for pattern, source in vocab.call_offs:
        if pattern.search(details):
            return source
    return None


def _mentions(text: str, vocab: OcdsVocabulary) -> list[str]:
    found: list[tuple[int, str]] = []
    for pattern in (*vocab.number_mentions, *vocab.name_mentions):
        found.extend((m.start(), m.group(0)) for m in pattern.finditer(text))
    return [value for _, value in sorted(found)]


def _canonical_mention(mention: str) -> str:
    """``RM1557.14`` for ``rm 1557.14``; names keep their spelling, spaces tidied."""
    compact = " ".join(mention.split())
    if compact[:2].lower() == "rm":
        return "RM" + compact[2:].replace(" ", "")
    return compact


def frameworks_named(
    texts: Iterable[object], vocab: Vocabulary, ocds_vocab: OcdsVocabulary
) -> FrameworkNamed:
    """CCS frameworks named in ``texts`` (method details, title, description, in that order).

    Agreement numbers are looked up in ``framework_numbers.csv`` and names read with the
    framework spellings of ``frameworks.csv`` (:mod:`loaders.core.normalise`); the first mention
    either recognises gives ``framework`` and ``iteration``. Numbers not in the table
    (``RM6187``) are kept as mentions with no framework.
    """
    mentions: list[str] = []
    for text in texts:
        if isinstance(text, str):
            for mention in map(_canonical_mention, _mentions(text, ocds_vocab)):
                if mention not in mentions:
                    mentions.append(mention)
    for mention in mentions:
        found = normalise.framework_from_number(mention, vocab) or normalise.framework_from_name(
            mention, vocab
        )
        if found:
            return FrameworkNamed(tuple(mentions), found[0], found[1])
    return FrameworkNamed(tuple(mentions))
