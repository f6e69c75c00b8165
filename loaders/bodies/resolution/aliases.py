"""The analysts' override files: customer and supplier spellings mapped to bodies."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from loaders.bodies.resolution.readings import read_rows
from loaders.core import normalise
from loaders.core.parsing import clean_name
from loaders.core.vocabulary import REFERENCE_DIR, Vocabulary

CUSTOMER_ALIASES = REFERENCE_DIR / "customer_aliases.csv"
SUPPLIER_ALIASES = REFERENCE_DIR / "supplier_aliases.csv"


def _alias_rows(path: Path | None, columns: tuple[str, ...]) -> list[dict[str, str]]:
    if path is None:
        return []
    return [{k: clean_name(v) for k, v in row.items()} for row in read_rows(path, columns)]


class Alias(NamedTuple):
    """A body of the override file: its canonical name, URN if given, and every spelling."""

    body: str
    urn: int | None
    names: tuple[str, ...]  # the body name first, then its aliases


@dataclass(frozen=True)
class CustomerAliases:
    """The customer override file, looked up by customer key of an alias or a body name."""

    by_alias: dict[str, Alias]
    by_body: dict[str, Alias]


def read_customer_aliases(path: Path | None, vocab: Vocabulary) -> CustomerAliases:
    """Read ``alias,body,urn,note`` rows (``None``: no overrides)."""
    groups: dict[str, list[dict[str, str]]] = {}
    for row in _alias_rows(path, ("alias", "body", "urn")):
        if row["body"] and normalise.customer_key(row["alias"], vocab):
            groups.setdefault(normalise.customer_key(row["body"], vocab), []).append(row)
    by_alias: dict[str, Alias] = {}
    by_body: dict[str, Alias] = {}
    for body_key, rows in groups.items():
        urns = [int(u) for u in (r["urn"].removesuffix(".0") for r in rows) if u.isdigit()]
        names = (rows[0]["body"], *(r["alias"] for r in rows))
        alias = Alias(rows[0]["body"], urns[0] if urns else None, names)
        by_body[body_key] = alias
        by_alias.update({normalise.customer_key(r["alias"], vocab): alias for r in rows})
    return CustomerAliases(by_alias, by_body)


def read_supplier_aliases(path: Path | None, vocab: Vocabulary) -> dict[str, str]:
    """``alias,supplier,note`` rows as supplier key of the alias -> supplier name."""
    out: dict[str, str] = {}
    for row in _alias_rows(path, ("alias", "supplier")):
        key = normalise.supplier_key(row["alias"], vocab)
        if key and row["supplier"]:
            out[key] = row["supplier"]
    return out
