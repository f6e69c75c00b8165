"""Small invented OCDS releases and the files that carry them (never real notices)."""

from __future__ import annotations

import copy
import datetime as dt
import gzip
import json
from pathlib import Path
from typing import Any

NOW = dt.datetime(2025, 3, 1, tzinfo=dt.UTC)
BUYER = {"id": "GB-CFS-1", "name": "Ministry of Invented Affairs"}


def party(pid: str, name: str, role: str = "supplier", scale: str | None = None) -> dict:
    """A party; ``scale`` becomes ``details.scale`` (sme / large) when given."""
    out: dict[str, Any] = {"id": pid, "name": name, "roles": [role]}
    if scale is not None:
        out["details"] = {"scale": scale}
    return out


def award(aid: str, amount: float | None, suppliers: list[str], **extra) -> dict:
    """An active award to the parties ``suppliers`` (ids), of ``amount`` GBP."""
    out: dict[str, Any] = {
        "id": aid,
        "status": "active",
        "date": "2025-01-20T00:00:00Z",
        "suppliers": [{"id": s} for s in suppliers],
    }
    if amount is not None:
        out["value"] = {"amount": amount, "currency": "GBP"}
    out.update(extra)
    return out


def release(
    ocid: str = "ocds-inv-1",
    rid: str = "r1",
    date: str = "2025-01-10T10:00:00Z",
    tags: tuple[str, ...] = ("tender",),
    **sections: Any,
) -> dict:
    """A release of ``ocid`` with a buyer and a small tender; ``sections`` add or replace
    top-level fields (``tender=...`` replaces the tender, ``awards=[...]``...)."""
    out: dict[str, Any] = {
        "ocid": ocid,
        "id": rid,
        "date": date,
        "tag": list(tags),
        "initiationType": "tender",
        "buyer": dict(BUYER),
        "parties": [party(BUYER["id"], BUYER["name"], "buyer")],
        "tender": {
            "id": "T1",
            "title": "Invented services",
            "status": "active",
            "suitability": {"sme": True, "vcse": False},
            "procurementMethod": "open",
            "procurementMethodDetails": "Open procedure (below threshold)",
            "value": {"amount": 1000.0, "currency": "GBP"},
        },
    }
    out.update(copy.deepcopy(sections))
    return out


def package(releases: list[Any], **meta: Any) -> dict:
    """A release package as a Contracts Finder search page returns it."""
    return {
        "uri": "https://example.invalid/Published/Notices/OCDS/Search",
        "version": "1.1",
        "publishedDate": "2025-01-31T00:00:00Z",
        "publisher": {"name": "Invented publisher"},
        "license": "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
        "releases": releases,
        **meta,
    }


def write_json(path: Path, document: Any, *, gzipped: bool = False) -> Path:
    """``document`` as JSON at ``path`` (gzipped if asked)."""
    data = json.dumps(document).encode("utf-8")
    path.write_bytes(gzip.compress(data) if gzipped else data)
    return path


def write_jsonl(path: Path, lines: list[Any], *, gzipped: bool = False) -> Path:
    """One JSON value a line at ``path``."""
    data = "".join(json.dumps(line) + "\n" for line in lines).encode("utf-8")
    path.write_bytes(gzip.compress(data) if gzipped else data)
    return path
