"""Lineage of public bodies: renamed, merged and succeeded bodies, from the GOV.UK register.

``data/reference/govuk_organisations.csv`` (written by ``python -m loaders organisations``
from the GOV.UK organisations API, :mod:`loaders.bodies.govuk_organisations`) gives each
organisation its title, abbreviation, status and, when closed, why and its successors.

* A **renamed** body is one body across its names: GOV.UK closed it as ``changed_name`` and
  its one successor took over from it alone (``Health and Social Care Information Centre``
  -> ``NHS Digital``; ``Identity and Passport Service`` -> ``HM Passport Office``).
* A **succeeded** body (``replaced``, ``merged``, ``split``, or renamed into a body that
  took over from others too) is a body of its own, counted as itself in its own years,
  linked to the bodies that took over its work: ``Vehicle and Operator Services Agency`` is
  now part of the ``Driver and Vehicle Standards Agency``.

The customer list's own ``Name Changes`` and ``Merges`` sheets give former names of one URN
(:mod:`loaders.bodies.customer_list`); this register adds the bodies the list never held.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from loaders.core import normalise
from loaders.core.errors import LoaderInputError
from loaders.core.vocabulary import REFERENCE_DIR, Vocabulary

GOVUK_ORGANISATIONS = REFERENCE_DIR / "govuk_organisations.csv"
RENAMED = "changed_name"


@dataclass(frozen=True)
class Organisation:
    """One organisation of the GOV.UK register."""

    slug: str
    title: str
    abbreviation: str
    format: str
    status: str  # live, closed, exempt, joining, transitioning
    closed_status: str  # changed_name, replaced, merged, split, no_longer_exists, ...
    closed_at: str  # YYYY-MM-DD, or empty
    successors: tuple[str, ...]  # slugs
    parents: tuple[str, ...]  # slugs

    @property
    def closed(self) -> bool:
        """Whether GOV.UK records the organisation as closed."""
        return self.status == "closed"


@dataclass(frozen=True)
class Register:
    """The GOV.UK register by slug, with each organisation's predecessors."""

    organisations: dict[str, Organisation]
    predecessors: dict[str, tuple[str, ...]]

    def get(self, slug: str) -> Organisation | None:
        """The organisation of a slug, if the register has it."""
        return self.organisations.get(slug)

    def renamed_to(self, slug: str) -> Organisation | None:
        """The body's next name, when GOV.UK closed it as renamed into one body that took
        over from it alone; else ``None``."""
        org = self.organisations.get(slug)
        if org is None or org.closed_status != RENAMED or len(org.successors) != 1:
            return None
        after = org.successors[0]
        if self.predecessors.get(after) != (slug,) or after not in self.organisations:
            return None
        return self.organisations[after]

    def names_of(self, slug: str) -> list[Organisation]:
        """Every name of the one body ``slug`` is a name of, latest first: its later names,
        itself, then its earlier names (renames only)."""
        later: list[Organisation] = []
        current = self.organisations.get(slug)
        seen = {slug}
        while current is not None:
            after = self.renamed_to(current.slug)
            if after is None or after.slug in seen:
                break
            seen.add(after.slug)
            later.insert(0, after)
            current = after
        earlier = []
        frontier = [slug]
        while frontier:
            step = [p for s in frontier for p in self.predecessors.get(s, ())]
            step = [p for p in step if p not in seen and self.renamed_to(p) is not None]
            seen.update(step)
            earlier += [self.organisations[p] for p in step]
            frontier = step
        own = [self.organisations[slug]] if slug in self.organisations else []
        return later + own + earlier

    def succeeded_by(self, slug: str) -> list[Organisation]:
        """The bodies that took over a closed body's work when it was not simply renamed
        (each at its latest name); empty for a live or renamed body."""
        org = self.organisations.get(slug)
        if org is None or not org.closed or self.renamed_to(slug) is not None:
            return []
        out = []
        for successor in org.successors:
            if successor in self.organisations:
                out.append(self.names_of(successor)[0])
        return out

    def ancestors(self, slug: str) -> list[str]:
        """Slugs of the bodies ``slug`` is part of: its parents, their parents, and so on."""
        out: list[str] = []
        frontier = list(self.organisations[slug].parents) if slug in self.organisations else []
        while frontier:
            parent = frontier.pop(0)
            if parent in out or parent == slug or parent not in self.organisations:
                continue
            out.append(parent)
            frontier += list(self.organisations[parent].parents)
        return out


def _data_lines(handle: Iterable[str]) -> Iterable[str]:
    """The lines of a register file after its ``#`` provenance lines."""
    started = False
    for line in handle:
        if not started and line.startswith("#"):
            continue
        started = True
        yield line


def _split(text: str) -> tuple[str, ...]:
    return tuple(s for s in (text or "").split(";") if s)


def read_register(path: Path | str | None = GOVUK_ORGANISATIONS) -> Register:
    """Read a register file (``None``: an empty register).

    Raises :class:`LoaderInputError` naming the file when it cannot be read or lacks a
    column of :data:`loaders.bodies.govuk_organisations.ORGANISATION_COLUMNS`.
    """
    if path is None:
        return Register({}, {})
    return _read_register(str(path))


@lru_cache(maxsize=4)
def _read_register(path: str) -> Register:
    wanted = {"slug", "title", "abbreviation", "format", "status", "closed_status",
              "closed_at", "successors", "parents"}  # fmt: skip
    try:
        with Path(path).open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(_data_lines(handle))
            missing = wanted - set(reader.fieldnames or [])
            if missing:
                raise LoaderInputError(path, f"missing column(s) {', '.join(sorted(missing))}")
            rows = list(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise LoaderInputError(path, f"cannot read the organisations register: {exc}") from exc
    organisations = {
        row["slug"]: Organisation(
            slug=row["slug"],
            title=row["title"].strip(),
            abbreviation=row["abbreviation"].strip(),
            format=row["format"],
            status=row["status"],
            closed_status=row["closed_status"],
            closed_at=row["closed_at"],
            successors=_split(row["successors"]),
            parents=_split(row["parents"]),
        )
        for row in rows
        if row["slug"] and row["title"].strip()
    }
    predecessors: dict[str, list[str]] = {}
    for org in organisations.values():
        for successor in org.successors:
            predecessors.setdefault(successor, []).append(org.slug)
    return Register(organisations, {k: tuple(sorted(v)) for k, v in predecessors.items()})


@dataclass(frozen=True)
class Lineage:
    """What the register says of one body: closed when, and now part of which bodies."""

    title: str
    closed_at: str
    now_part_of: tuple[str, ...]  # titles of the bodies that took over its work
    renamed_to: str  # its latest name when it was renamed, else empty


def title_keys(register: Register, vocab: Vocabulary) -> dict[str, str]:
    """Each register title's customer key (:func:`loaders.core.normalise.customer_key`) ->
    the slug of the first organisation with that title: what :func:`lineage_of` looks names
    up in (a caller looking up many bodies builds it once and passes it)."""
    by_key: dict[str, str] = {}
    for org in register.organisations.values():
        by_key.setdefault(normalise.customer_key(org.title, vocab), org.slug)
    return by_key


def lineage_of(
    names: Iterable[str],
    vocab: Vocabulary,
    register: Register,
    by_key: dict[str, str] | None = None,
) -> Lineage | None:
    """The lineage of the body published under ``names`` (its display name first): the first
    name that is a register title. ``None`` when no name is, or the body is not closed.
    ``by_key`` is :func:`title_keys` of the register, when the caller has it."""
    by_key = title_keys(register, vocab) if by_key is None else by_key
    for name in names:
        slug = by_key.get(normalise.customer_key(name, vocab))
        org = register.get(slug) if slug else None
        if org is None:
            continue
        if not org.closed:
            return None
        latest = register.names_of(org.slug)[0]
        after = tuple(o.title for o in register.succeeded_by(org.slug))
        renamed = latest.title if latest.slug != org.slug else ""
        return Lineage(org.title, org.closed_at, after, renamed)
    return None
