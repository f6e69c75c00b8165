"""Bring published spellings to canonical values using the reference dictionaries.

Frameworks and iterations (``G-Cloudi``, ``GServices II``, ``RM1557.12``), lots (``3``,
``Lot 3``, ``SaaS``), sectors, SME status and organisation names. Values no dictionary knows
are kept as published (cleaned) and listed in the load report, never dropped.
"""

from __future__ import annotations

import re

from loaders.core.parsing import name_key
from loaders.core.vocabulary import FrameworkFamily, Vocabulary, simplify

_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50}
_ROMAN_NUMERAL = re.compile(r"^(x{0,3})(ix|iv|v?i{0,3})$")
_ITERATION_NUMBER = re.compile(r"(\d+)$")
# A lot written after an agreement number or a framework name: RM1557.13L4, RM1557.14 Lot 4,
# G-Cloud 13 Lot 4 (simplified: ...l4, ...lot4).
_LOT_AFTER = re.compile(r"^(?P<head>.+?\d)(?:lot|l)0*(?P<lot>\d{1,2})$")


def roman_to_int(text: str) -> int | None:
    """Value of a lower-case roman numeral up to 39 (``"iv"`` -> 4), else ``None``."""
    if not text or not _ROMAN_NUMERAL.match(text):
        return None
    total = 0
    for current, following in zip(text, text[1:] + " ", strict=True):
        value = _ROMAN[current]
        total += -value if following != " " and _ROMAN[following] > value else value
    return total


def _iteration_number(rest: str) -> int | None:
    if rest.isdigit():
        return int(rest)
    return roman_to_int(rest)


def _match_family(key: str, family: FrameworkFamily) -> tuple[str, str | None] | None:
    if not key.startswith(family.key):
        return None
    rest = key[len(family.key) :]
    if not rest:
        return None if family.needs_number else (family.framework, None)
    number = _iteration_number(rest)
    if number is None or number == 0:
        return None
    return family.framework, f"{family.iteration_prefix} {number}"


def _split_lot(key: str) -> tuple[str, str | None]:
    """``(key without a trailing lot, lot number)``: ``rm155713l4`` -> ``("rm155713", "4")``."""
    match = _LOT_AFTER.match(key)
    return (match["head"], match["lot"]) if match else (key, None)


def framework_from_name(value: object, vocab: Vocabulary) -> tuple[str, str | None] | None:
    """``(framework, iteration)`` for a published framework name, ``None`` if unknown.

    A lot after the name (``G-Cloud 13 Lot 4``) names a lot of that iteration: the
    iteration is read without it (the lot: :func:`lot_in_framework`).
    """
    key = simplify(value)
    if not key:
        return None
    for candidate in dict.fromkeys((key, _split_lot(key)[0])):
        for family in vocab.framework_families:
            found = _match_family(candidate, family)
            if found:
                return found
    return None


def framework_from_number(value: object, vocab: Vocabulary) -> tuple[str, str | None] | None:
    """``(framework, iteration)`` for a CCS agreement number such as ``RM1557.12``.

    An agreement number of one lot (``RM1557.13L4``, also written ``RM1557.13 Lot 4``) is
    that lot of the iteration: G-Cloud 13, never an unnumbered G-Cloud.
    """
    key = simplify(value)
    if not key:
        return None
    head, lot = _split_lot(key)
    for candidate in dict.fromkeys((key, f"{head}l{lot}" if lot else key, head)):
        if candidate in vocab.framework_numbers:
            return vocab.framework_numbers[candidate]
    for number, names in sorted(vocab.framework_numbers.items(), key=lambda kv: -len(kv[0])):
        if key.startswith(number) and names[1] is None:
            return names[0], None
    return None


def lot_in_framework(value: object, vocab: Vocabulary) -> str | None:
    """The lot number an agreement number or framework name carries (``RM1557.13L4``,
    ``G-Cloud 13 Lot 4``: ``"4"``), if it names a known agreement or framework."""
    key = simplify(value)
    if key in vocab.framework_number_lots:
        return vocab.framework_number_lots[key]
    head, lot = _split_lot(key)
    if lot is None:
        return None
    known = head in vocab.framework_numbers or framework_from_name(head, vocab) is not None
    return lot if known else None


def iteration_index(iteration: str | None) -> int:
    """The number at the end of an iteration label (``"G-Cloud 9"`` -> 9), 0 if none."""
    if not iteration:
        return 0
    match = _ITERATION_NUMBER.search(iteration)
    return int(match[1]) if match else 0


_LOT_PREFIX = re.compile(r"^lot0*(\d+)(.*)$")
_LOT_SUFFIX = re.compile(r"^(.+?)lot0*(\d+)$")
_LOT_SUFFIXES = ("services", "service")


def _lot_keys(value: object) -> list[str]:
    """Keys to look a published lot up by, most specific first.

    ``Lot 3`` is ``3``; ``Lot 3 - SaaS`` and ``SaaS (Lot 3)`` are ``saas``, then ``3``; a
    trailing ``Services``
    or ``Service`` may be dropped (``SaaS Services`` is ``saas``); leading zeros go
    (``03`` is ``3``). Case, spaces and punctuation never matter (:func:`simplify`).
    """
    key = simplify(value)
    prefixed = _LOT_PREFIX.match(key)
    suffixed = None if prefixed else _LOT_SUFFIX.match(key)
    if prefixed:
        name, number = prefixed[2], prefixed[1]
    else:
        name, number = (suffixed[1], suffixed[2]) if suffixed else (key, "")
    keys = [name] if name else []
    for suffix in _LOT_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            keys.append(name[: -len(suffix)])
            break
    return [k.lstrip("0") or k for k in [*keys, *([number] if number else [])]]


def canonical_lot(
    value: object, framework: str, iteration: str | None, vocab: Vocabulary
) -> str | None:
    """Canonical lot name for a published lot (number, ``Lot 3`` or name), ``None`` if unknown.

    Lot numbers mean different lots in different iterations (G-Cloud 9 renamed them), so the
    iteration number picks the rule; an unknown iteration counts as the earliest. Spellings
    (``SaaS Services``, ``Specialist cloud services ``, ``SCS``) are in ``lots.csv``; see
    :func:`_lot_keys` for the forms every spelling may take.
    """
    number = iteration_index(iteration)
    for key in _lot_keys(value):
        for rule in vocab.lots:
            if (
                rule.framework == framework
                and rule.key == key
                and rule.first_iteration <= number <= rule.last_iteration
            ):
                return rule.lot
    return None


def canonical_sector(value: object, vocab: Vocabulary) -> str | None:
    """Canonical sector for a published spelling, ``None`` if blank or unknown."""
    return vocab.sectors.get(simplify(value))


def canonical_sme(value: object, vocab: Vocabulary) -> str | None:
    """``SME``, ``Large`` or ``Unknown`` for a published spelling, ``None`` if blank/unknown."""
    return vocab.sme_statuses.get(simplify(value))


def customer_key(name: str, vocab: Vocabulary) -> str:
    """Normalised key of a customer name."""
    return name_key(name, leading=vocab.leading_articles)


def supplier_key(name: str, vocab: Vocabulary) -> str:
    """Normalised key of a supplier name, legal forms (``Ltd``, ``plc``) dropped."""
    return name_key(name, drop_suffixes=vocab.supplier_suffixes, leading=vocab.leading_articles)
