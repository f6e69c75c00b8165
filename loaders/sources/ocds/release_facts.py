"""What one release says of itself, read before releases are merged into a process.

A compiled process accumulates every notice's documents, values and statuses, so what a
single notice said (its notice type, the value and expected date it gave, the tender status
it set) is read here, release by release, into the ``ocds_releases`` table:

- ``platform``: by the ocid's prefix (``ocds_platforms.csv``), else the loading source's;
- ``notice_type``: the ``noticeType`` of the release's own notice document (the document
  whose ``id`` is the release id, else the first with a ``noticeType``), found in
  ``planning``, ``tender``, ``awards[]`` or ``contracts[]`` documents (Find a Tender: ``UK1``
  ... ``UK16``; absent from 2015-regulations and other platforms' notices);
- ``tender_status``, the tender value ex VAT and gross (``amount``, ``amountGross``; pounds
  only) and ``tender.communication.futureNoticeDate`` (the date the next notice is expected);
- ``values_not_gbp``: every value object in another currency (left out of pound figures);
- ``cross_references``: what the release says of the same procurement on another platform
  (:func:`cross_references`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from typing import Any

from loaders.sources.ocds.notice_rules import NoticeRules

JOIN = "; "
CURRENCY = "GBP"
# "2024/S 000-034328": an Official Journal number of the UK e-notification service (S 000),
# i.e. Find a Tender notice 034328-2024; other S numbers are pre-2021 TED notices
OJ_NUMBER = re.compile(r"\b(?P<year>\d{4})/S\s*000-(?P<number>\d{6})\b")
OJ_PLATFORM = "Find a Tender"
_SECTIONS = ("planning", "tender")
_LISTS = ("awards", "contracts")


def _obj(node: object, key: str) -> dict[str, Any]:
    value = node.get(key) if isinstance(node, dict) else None
    return value if isinstance(value, dict) else {}


def _list(node: object, key: str) -> list[Any]:
    value = node.get(key) if isinstance(node, dict) else None
    return value if isinstance(value, list) else []


def documents(release: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The release's documents: planning, tender, then each award's and contract's."""
    for section in _SECTIONS:
        yield from (d for d in _list(_obj(release, section), "documents") if isinstance(d, dict))
    for name in _LISTS:
        for item in _list(release, name):
            yield from (d for d in _list(item, "documents") if isinstance(d, dict))


def notice_type(release: dict[str, Any]) -> str | None:
    """The release's own notice type (``UK1``...), or ``None`` when it publishes none."""
    typed = [d for d in documents(release) if isinstance(d.get("noticeType"), str)]
    own = [d for d in typed if str(d.get("id")) == str(release.get("id"))]
    found = (own or typed or [{}])[0].get("noticeType")
    return found.strip() if isinstance(found, str) and found.strip() else None


def gbp(value: dict[str, Any], key: str = "amount") -> float | None:
    """``value[key]`` as a float when the value is in pounds (or states no currency)."""
    amount = value.get(key)
    if isinstance(amount, bool) or not isinstance(amount, (int, float)):
        return None
    currency = value.get("currency")
    return float(amount) if currency in (None, CURRENCY) else None


def values_not_gbp(node: Any, path: str = "") -> Iterator[str]:
    """``tender.lots[0].value in AED`` for each value object in another currency."""
    if isinstance(node, dict):
        currency = node.get("currency")
        if isinstance(currency, str) and currency != CURRENCY and "amount" in node:
            yield f"{path or '(release)'} in {currency}"
        for key, child in node.items():
            yield from values_not_gbp(child, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for i, child in enumerate(node):
            yield from values_not_gbp(child, f"{path}[{i}]")


def _urls(release: dict[str, Any]) -> Iterator[str]:
    for link in _list(release, "links"):
        if isinstance(link, dict) and isinstance(link.get("href"), str):
            yield link["href"]
    for document in documents(release):
        if isinstance(document.get("url"), str):
            yield document["url"]


def _oj_numbers(release: dict[str, Any]) -> Iterator[re.Match[str]]:
    for process in _list(release, "relatedProcesses"):
        if not isinstance(process, dict) or str(process.get("scheme", "")).upper() != "EU-OJ":
            continue
        if "planning" in (process.get("relationship") or []):
            yield from OJ_NUMBER.finditer(str(process.get("identifier", "")))
    for text in (release.get("description"), _obj(release, "tender").get("description")):
        if isinstance(text, str):
            yield from OJ_NUMBER.finditer(text)


def cross_references(release: dict[str, Any], rules: NoticeRules) -> list[str]:
    """The same procurement on another platform, as the release names it: ``ocid:<ocid>``
    (an ocid of another platform in the release's links or document URLs, or a notice page
    that names an ocid) or ``release:<platform>:<id>`` (a notice page or Official Journal
    number that names a release). References to its own platform are left out; related
    processes other than the earlier notice of the same procurement (``planning``, scheme
    ``EU-OJ``) are never read: a framework or a renewal is another procurement."""
    own = rules.platform_of(release.get("ocid"))
    found: list[str] = []
    for url in _urls(release):
        for platform in rules.platforms:
            if platform is own:
                continue
            match = re.search(re.escape(platform.prefix) + r"-[0-9A-Za-z-]+", url)
            if match:
                found.append(f"ocid:{match.group(0)}")
            notice = platform.notice_url.search(url) if platform.notice_url else None
            if notice is None:
                continue
            if platform.notice_url_gives == "ocid":
                found.append(f"ocid:{platform.prefix}-{notice.group('id').lower()}")
            else:
                found.append(f"release:{platform.name}:{notice.group('id')}")
    if own is None or own.name != OJ_PLATFORM:
        for match in _oj_numbers(release):
            found.append(f"release:{OJ_PLATFORM}:{match['number']}-{match['year']}")
    return list(dict.fromkeys(found))


def derived_release_id(release: dict[str, Any]) -> str:
    """An id for a release published without one (Public Contracts Scotland): the reference
    of its own notice document (the first whose ``documentType`` is a notice, e.g.
    ``APR352786``), else ``sha256:`` and the start of the hash of its content, so that the
    same notice read twice is one release and two notices are two."""
    for document in documents(release):
        kind, ref = document.get("documentType"), document.get("id")
        if isinstance(kind, str) and kind.endswith("Notice") and isinstance(ref, (str, int)):
            if str(ref).strip():
                return str(ref).strip()
    body = json.dumps(release, sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]


def release_facts(release: object, rules: NoticeRules, default_platform: str) -> dict[str, Any]:
    """The columns of ``ocds_releases`` read from one release (see the module docstring);
    dates stay as published text."""
    if not isinstance(release, dict):
        return {"platform": default_platform}
    platform = rules.platform_of(release.get("ocid"))
    tender = _obj(release, "tender")
    value = _obj(tender, "value")
    status = tender.get("status")
    future = _obj(tender, "communication").get("futureNoticeDate")
    return {
        "platform": platform.name if platform else default_platform,
        "notice_type": notice_type(release),
        "tender_status": status if isinstance(status, str) and status else None,
        "value_gbp": gbp(value),
        "value_gross_gbp": gbp(value, "amountGross"),
        "future_notice_date": future if isinstance(future, str) else None,
        "values_not_gbp": JOIN.join(values_not_gbp(release)) or None,
        "cross_references": JOIN.join(cross_references(release, rules)) or None,
    }
