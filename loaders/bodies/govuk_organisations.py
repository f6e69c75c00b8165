"""Tables built from saved pages of the GOV.UK organisations API.

``python -m loaders departments --from-govuk pages/ --out data/reference/departments.csv``
walks each organisation up its parents to the nearest live department and keeps the rows of
the current table that GOV.UK does not give (spellings used by spend files, units, old
bodies), unless ``--replace``.

``python -m loaders organisations --from-govuk pages/ --out
data/reference/govuk_organisations.csv --retrieved DATE --origin TEXT`` writes the register
itself (:mod:`loaders.bodies.lineage` reads it): every organisation's title, abbreviation,
status and successors, with where and when the copy was taken and its licence.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from loaders.bodies.departments import (
    BODY_TYPES,
    COLUMNS,
    DEPARTMENT_TYPES,
    problems,
    read_departments,
    with_keys,
)
from loaders.core import normalise
from loaders.core.errors import LoaderInputError
from loaders.core.vocabulary import Vocabulary, load_vocabulary


@dataclass
class _Org:
    slug: str
    title: str
    format: str
    closed: bool
    closed_at: str
    parents: list[str] = field(default_factory=list)
    superseding: list[str] = field(default_factory=list)
    abbreviation: str = ""
    status: str = ""  # live, closed, exempt, joining, transitioning
    closed_status: str = ""  # changed_name, replaced, merged, split, no_longer_exists, ...

    @property
    def is_department(self) -> bool:
        return self.format in DEPARTMENT_TYPES


def _slug_of(ref: object) -> str:
    """Slug of an organisation reference (``{"id": ".../organisations/slug", ...}``)."""
    if isinstance(ref, dict):
        url = ref.get("id") or ref.get("web_url") or ""
    else:
        url = str(ref or "")
    return url.rstrip("/").rsplit("/", 1)[-1]


def _org(record: dict) -> _Org:
    details = record.get("details") or {}
    slug = details.get("slug") or _slug_of(record)
    return _Org(
        slug=slug,
        title=str(record.get("title") or "").strip(),
        format=str(record.get("format") or "").strip(),
        closed=details.get("govuk_status") == "closed",
        closed_at=str(details.get("closed_at") or "")[:10],
        parents=[_slug_of(r) for r in record.get("parent_organisations") or []],
        superseding=[_slug_of(r) for r in record.get("superseding_organisations") or []],
        abbreviation=" ".join(str(details.get("abbreviation") or "").split()),
        status=str(details.get("govuk_status") or "").strip(),
        closed_status=str(details.get("govuk_closed_status") or "").strip(),
    )


def _results(document: object, source: Path) -> list[dict]:
    pages = document if isinstance(document, list) else [document]
    records: list[dict] = []
    for page in pages:
        if isinstance(page, dict) and isinstance(page.get("results"), list):
            records.extend(r for r in page["results"] if isinstance(r, dict))
        elif isinstance(page, dict) and "title" in page and "format" in page:
            records.append(page)  # a list of organisations rather than of pages
        else:
            raise LoaderInputError(source, "not a GOV.UK organisations API page")
    return records


def _page_files(path: Path) -> list[Path]:
    if path.is_dir():
        files = sorted([*path.glob("*.json"), *path.glob("*.jsonl")])
        if not files:
            raise LoaderInputError(path, "no .json or .jsonl files in this folder")
        return files
    if not path.is_file():
        raise LoaderInputError(path, "no such file or folder")
    return [path]


def _read_organisations(path: Path) -> dict[str, _Org]:
    orgs: dict[str, _Org] = {}
    for file in _page_files(path):
        try:
            text = file.read_text(encoding="utf-8")
            if file.suffix.lower() == ".jsonl":  # one organisation per line
                document = [json.loads(line) for line in text.splitlines() if line.strip()]
            else:
                document = json.loads(text)
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise LoaderInputError(file, f"not readable JSON ({exc})") from exc
        for record in _results(document, file):
            org = _org(record)
            if org.slug and org.title:
                orgs.setdefault(org.slug, org)
    if not orgs:
        raise LoaderInputError(path, "no organisations found")
    return orgs


def _next_step(org: _Org, orgs: dict[str, _Org]) -> _Org | None:
    """One step up: parent for a body, successor for a closed department or orphan."""
    parents = [orgs[s] for s in org.parents if s in orgs]
    successors = [orgs[s] for s in org.superseding if s in orgs]
    if org.closed and successors and (org.is_department or not parents):
        return successors[0]
    if org.closed and successors and parents[0].is_department and parents[0].closed:
        return successors[0]  # its own successor knows where its functions went
    return parents[0] if parents else None


def _top_department(org: _Org, orgs: dict[str, _Org]) -> _Org | None:
    """The live department ``org`` rolls up to: itself, up its parents, or via successors."""
    seen: set[str] = set()
    current: _Org | None = org
    while current is not None and current.slug not in seen:
        if current.is_department and not current.closed:
            return current
        seen.add(current.slug)
        current = _next_step(current, orgs)
    return None


def _body_type(govuk_format: str) -> str:
    if govuk_format in BODY_TYPES:
        return govuk_format
    return "Tribunal" if "tribunal" in govuk_format.lower() else "Other"


def _note(org: _Org, top: _Org, orgs: dict[str, _Org]) -> str:
    if not org.closed:
        return ""
    successors = [orgs[s].title for s in org.superseding if s in orgs]
    when = f" {org.closed_at}" if org.closed_at else ""
    replaced = f"; superseded by {', '.join(successors)}" if successors else ""
    return f"Closed{when}{replaced}; counted under {top.title}"


def departments_from_govuk_json(path: str | Path, vocab: Vocabulary | None = None) -> pd.DataFrame:
    """The body -> department table from saved GOV.UK organisations API pages.

    ``path`` is one page (``{"results": [...], ...}``), a JSON list of pages, or a folder of
    page files. Each organisation walks up its parents to the nearest live department
    (ministerial or non-ministerial, so a non-ministerial department is its own parent); a
    closed department, or a closed body without a parent, goes to its first superseding
    organisation's department. Organisations that reach no department (devolved governments,
    the Prime Minister's Office) are left out. Columns as in ``departments.csv``.
    """
    orgs = _read_organisations(Path(path))
    rows = []
    for org in orgs.values():
        top = _top_department(org, orgs)
        if top is None:
            continue
        rows.append(
            {
                "body": org.title,
                "department": top.title,
                "body_type": _body_type(org.format),
                "status": "closed" if org.closed else "live",
                "note": _note(org, top, orgs),
                "department_slug": top.slug,
            }
        )
    frame = with_keys(pd.DataFrame(rows, columns=COLUMNS), vocab or load_vocabulary())
    frame = frame.sort_values("status", kind="stable", key=lambda s: s != "live")
    frame = frame.drop_duplicates("key")
    frame = frame.assign(_own=frame["body"] != frame["department"])
    frame = frame.sort_values(["department", "_own", "body"])
    return frame[COLUMNS].reset_index(drop=True)


def _kept_rows(existing: Path, fresh: pd.DataFrame, vocab: Vocabulary) -> pd.DataFrame:
    """Rows of the current table that GOV.UK does not give (spellings, units, old bodies)."""
    if not existing.is_file():
        return fresh.iloc[0:0]
    current = read_departments(existing, vocab)
    fresh_keys = {normalise.customer_key(b, vocab) for b in fresh["body"]}
    slugs = dict(zip(fresh["department"], fresh["department_slug"], strict=False))
    kept = current[~current["key"].isin(fresh_keys) & current["department"].isin(slugs)]
    return kept.assign(department_slug=kept["department"].map(slugs))[COLUMNS]


def write_csv_atomically(frame: pd.DataFrame, out: Path, comments: Sequence[str] = ()) -> None:
    """Write ``frame`` as CSV to ``out`` through a temporary file, so readers never see half;
    ``comments`` (lines starting ``#``) head the file."""
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.writelines(f"{line}\n" for line in comments)
            frame.to_csv(stream, index=False, lineterminator="\n")
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _check_or_raise(frame: pd.DataFrame, path: Path) -> None:
    for problem in problems(frame):
        raise LoaderInputError(path, problem)


@dataclass(frozen=True)
class Refreshed:
    """The table written by :func:`refresh_departments` and where its rows came from."""

    table: pd.DataFrame
    from_govuk: int
    kept: int


def refresh_departments(
    source: Path, out: Path, replace: bool = False, vocab: Vocabulary | None = None
) -> Refreshed:
    """Rebuild ``out`` from the GOV.UK organisations pages in ``source`` (file or folder),
    keeping the current table's rows GOV.UK lacks unless ``replace``; written atomically.

    Raises :class:`LoaderInputError` naming the file for unusable pages or a table that
    fails its checks (``out`` is then untouched), ``OSError`` if ``out`` cannot be written.
    """
    vocab = vocab or load_vocabulary()
    fresh = departments_from_govuk_json(source, vocab)
    kept = fresh.iloc[0:0] if replace else _kept_rows(out, fresh, vocab)
    table = pd.concat([fresh, kept], ignore_index=True)
    with_keys(table, vocab).pipe(_check_or_raise, out)
    write_csv_atomically(table, out)
    return Refreshed(table=table, from_govuk=len(fresh), kept=len(kept))


# --- the register itself ------------------------------------------------------------------

ORGANISATION_COLUMNS = [
    "slug", "title", "abbreviation", "format", "status", "closed_status", "closed_at",
    "successors", "parents",
]  # fmt: skip
LICENCE = "Open Government Licence v3.0 (Crown copyright)"


def _repaired(text: str) -> str:
    """Text whose UTF-8 bytes were read one by one (``Peopleâ\x80\x99s``) read back right."""
    if not any("\x80" <= c <= "\x9f" for c in text):
        return text
    try:
        return text.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return text


def organisations_from_govuk_json(*paths: str | Path) -> pd.DataFrame:
    """Every organisation of saved GOV.UK organisations API pages, one row each, by slug.

    ``paths`` are copies taken at different times, newest first: each organisation is as the
    newest copy holding it gives it, with the parents of every copy (a body moved between
    departments was part of each in its time). Columns :data:`ORGANISATION_COLUMNS`:
    ``successors`` and ``parents`` are slugs joined by ``;`` (successors only of closed
    organisations); ``closed_at`` is ``YYYY-MM-DD``. Raises :class:`LoaderInputError` naming
    the file for unusable pages.
    """
    newest: dict[str, _Org] = {}
    parents: dict[str, list[str]] = {}
    for path in paths:
        for slug, org in _read_organisations(Path(path)).items():
            newest.setdefault(slug, org)
            known = parents.setdefault(slug, [])
            known += [p for p in org.parents if p not in known]
    rows = [
        {
            "slug": org.slug,
            "title": " ".join(_repaired(org.title).split()),
            "abbreviation": org.abbreviation,
            "format": org.format,
            "status": org.status,
            "closed_status": org.closed_status if org.closed else "",
            "closed_at": org.closed_at,
            "successors": ";".join(org.superseding) if org.closed else "",
            "parents": ";".join(parents[org.slug]),
        }
        for org in newest.values()
    ]
    frame = pd.DataFrame(rows, columns=ORGANISATION_COLUMNS)
    return frame.sort_values("slug", ignore_index=True)


@dataclass(frozen=True)
class Copy:
    """One saved copy of the GOV.UK organisations API: the file, when it was taken, and
    where it came from."""

    path: Path
    retrieved: str
    origin: str = ""


def provenance_lines(copies: Sequence[Copy]) -> list[str]:
    """The comment lines heading the register file: what it is, where and when from, licence."""
    return [
        "# GOV.UK organisations register: title, abbreviation, status, successors and parents",
        "# of every organisation on GOV.UK (read by loaders.bodies.lineage).",
        "# source: https://www.gov.uk/api/organisations (every page)",
        *(f"# copy retrieved {c.retrieved}: {c.origin or c.path.name}" for c in copies),
        f"# licence: {LICENCE}",
        "# generated by: python -m loaders organisations --from-govuk FILE --retrieved DATE "
        "--origin TEXT [--from-govuk ...] --out THIS_FILE (newest copy first)",
    ]


def refresh_organisations(copies: Sequence[Copy], out: Path) -> pd.DataFrame:
    """Write the register of the GOV.UK copies (newest first) to ``out`` (atomically), headed
    by :func:`provenance_lines`; returns the table. Raises :class:`LoaderInputError` for
    unusable pages, ``OSError`` if ``out`` cannot be written."""
    table = organisations_from_govuk_json(*(c.path for c in copies))
    write_csv_atomically(table, out, provenance_lines(copies))
    return table
