"""Which UK government department each public body belongs to, for department scorecards.

``data/reference/departments.csv`` maps a body (agency, arm's-length body, former body, or a
spelling that spend files use) to its parent department, by GOV.UK title, with the
department's GOV.UK slug. Closed bodies count under the department they belonged to; bodies
of a closed department count under the department that took over its functions, as the
``note`` says. The table can be rebuilt from a saved copy of the GOV.UK organisations API:

    python -m loaders.departments --from-govuk pages/ --out data/reference/departments.csv

Spend rows are matched on ``customer_key`` (the key the loaders give every customer), then on
a looser key without legal forms and a trailing article (``Student Loans Company Limited``,
``Coal Authority The``) where that looser key names only one department.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from loaders import normalise
from loaders.errors import LoaderInputError
from loaders.parsing import name_key
from loaders.reference import REFERENCE_DIR, Vocabulary, load_vocabulary

DEFAULT_PATH = REFERENCE_DIR / "departments.csv"
COLUMNS = ["body", "department", "body_type", "status", "note", "department_slug"]
DEPARTMENT_TYPES = ("Ministerial department", "Non-ministerial department")
BODY_TYPES = (
    *DEPARTMENT_TYPES,
    "Executive agency",
    "Executive non-departmental public body",
    "Advisory non-departmental public body",
    "Tribunal",
    "Public corporation",
    "Other",
)
STATUSES = ("live", "closed")
EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


# --- the reference table ------------------------------------------------------------------


def _problems(frame: pd.DataFrame) -> Iterator[str]:
    bad_type = sorted(set(frame["body_type"]) - set(BODY_TYPES))
    if bad_type:
        yield f"unknown body_type {bad_type}"
    bad_status = sorted(set(frame["status"]) - set(STATUSES))
    if bad_status:
        yield f"unknown status {bad_status}"
    if (frame["body"] == "").any() or (frame["department"] == "").any():
        yield "a row without a body or department"
    parents = frame.groupby("key")["department"].nunique()
    if (parents > 1).any():
        yield f"bodies under two departments: {sorted(parents[parents > 1].index)[:5]}"


def _with_keys(frame: pd.DataFrame, vocab: Vocabulary) -> pd.DataFrame:
    out = frame.copy()
    out["key"] = [normalise.customer_key(body, vocab) for body in out["body"]]
    out["loose_key"] = [_loose_key(key, vocab) for key in out["key"]]
    return out


def read_departments(
    path: str | Path = DEFAULT_PATH, vocab: Vocabulary | None = None
) -> pd.DataFrame:
    """Read the body -> department table, adding ``key`` (as ``customer_key``) and ``loose_key``.

    Raises :class:`LoaderInputError` naming the problem when the file is malformed (missing
    columns, unknown body types or statuses, a body under two departments).
    """
    vocab = vocab or load_vocabulary()
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise LoaderInputError(path, f"cannot read the departments table ({exc})") from exc
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise LoaderInputError(path, f"missing columns {missing}")
    frame = _with_keys(frame[COLUMNS].apply(lambda col: col.str.strip()), vocab)
    for problem in _problems(frame):
        raise LoaderInputError(path, problem)
    return frame


# --- matching spend rows ------------------------------------------------------------------


def _loose_key(key: str, vocab: Vocabulary) -> str:
    """``key`` without a trailing article or legal form (``coal authority the``, ``hs2 ltd``)."""
    words = key.split()
    if len(words) > 1 and words[-1] in vocab.leading_articles:
        words = words[:-1]
    return name_key(" ".join(words), drop_suffixes=vocab.supplier_suffixes)


def _keyed(departments: pd.DataFrame, vocab: Vocabulary) -> pd.DataFrame:
    """``departments`` with its ``key`` and ``loose_key`` columns, added if absent."""
    if {"key", "loose_key"} <= set(departments.columns):
        return departments
    return _with_keys(departments, vocab)


def _lookups(departments: pd.DataFrame) -> tuple[dict[str, str], dict[str, str]]:
    exact = dict(zip(departments["key"], departments["department"], strict=True))
    by_loose = departments.groupby("loose_key")["department"].unique()
    loose = {k: parents[0] for k, parents in by_loose.items() if len(parents) == 1}
    return exact, loose


def department_of(
    customer_keys: pd.Series, departments: pd.DataFrame, vocab: Vocabulary | None = None
) -> pd.Series:
    """The department (GOV.UK title) of each spend row's ``customer_key``; null if none.

    Null means the customer is not known to be part of a UK government department (councils,
    NHS trusts, Parliament, devolved governments, or a body missing from the table).
    """
    vocab = vocab or load_vocabulary()
    exact, loose = _lookups(_keyed(departments, vocab))
    found: dict[str, str | None] = {}
    for key in map(str, customer_keys.dropna().unique()):
        found[key] = exact.get(key) or loose.get(_loose_key(key, vocab))
    result = customer_keys.map(found)
    return result.astype("string").rename("department")


def find_department(
    name_or_slug: str, departments: pd.DataFrame, vocab: Vocabulary | None = None
) -> str | None:
    """The department named by a title, a spelling or a GOV.UK slug, else ``None``.

    ``"Ministry of Justice"``, ``"ministry of justice"``, ``"ministry-of-justice"`` and
    ``"MOJ"`` all give ``"Ministry of Justice"``; so does a former department's name
    (``"Department of Health"`` gives its successor). Agencies are not departments: ``None``.
    """
    text = str(name_or_slug or "").strip()
    if not text:
        return None
    vocab = vocab or load_vocabulary()
    departments = _keyed(departments, vocab)
    by_slug = departments.loc[departments["department_slug"] == text.lower(), "department"]
    if len(by_slug):
        return str(by_slug.iloc[0])
    key = normalise.customer_key(text, vocab)
    rows = departments[departments["body_type"].isin(DEPARTMENT_TYPES)]
    by_name = rows.loc[rows["key"] == key, "department"]
    return str(by_name.iloc[0]) if len(by_name) else None


# --- refreshing from the GOV.UK organisations API -----------------------------------------


@dataclass
class _Org:
    slug: str
    title: str
    format: str
    closed: bool
    closed_at: str
    parents: list[str] = field(default_factory=list)
    superseding: list[str] = field(default_factory=list)

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
        files = sorted(path.glob("*.json"))
        if not files:
            raise LoaderInputError(path, "no .json files in this folder")
        return files
    if not path.is_file():
        raise LoaderInputError(path, "no such file or folder")
    return [path]


def _read_organisations(path: Path) -> dict[str, _Org]:
    orgs: dict[str, _Org] = {}
    for file in _page_files(path):
        try:
            document = json.loads(file.read_text(encoding="utf-8"))
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
    frame = _with_keys(pd.DataFrame(rows, columns=COLUMNS), vocab or load_vocabulary())
    frame = frame.sort_values("status", kind="stable", key=lambda s: s != "live")
    frame = frame.drop_duplicates("key")
    frame = frame.assign(_own=frame["body"] != frame["department"])
    frame = frame.sort_values(["department", "_own", "body"])
    return frame[COLUMNS].reset_index(drop=True)


# --- command line -------------------------------------------------------------------------


def _kept_rows(existing: Path, fresh: pd.DataFrame, vocab: Vocabulary) -> pd.DataFrame:
    """Rows of the current table that GOV.UK does not give (spellings, units, old bodies)."""
    if not existing.is_file():
        return fresh.iloc[0:0]
    current = read_departments(existing, vocab)
    fresh_keys = {normalise.customer_key(b, vocab) for b in fresh["body"]}
    slugs = dict(zip(fresh["department"], fresh["department_slug"], strict=False))
    kept = current[~current["key"].isin(fresh_keys) & current["department"].isin(slugs)]
    return kept.assign(department_slug=kept["department"].map(slugs))[COLUMNS]


def write_csv_atomically(frame: pd.DataFrame, out: Path) -> None:
    """Write ``frame`` as CSV to ``out`` through a temporary file, so readers never see half."""
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            frame.to_csv(stream, index=False, lineterminator="\n")
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _check_or_raise(frame: pd.DataFrame, path: Path) -> None:
    for problem in _problems(frame):
        raise LoaderInputError(path, problem)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m loaders.departments",
        description="Rebuild the body -> department table from saved GOV.UK organisations pages.",
    )
    parser.add_argument("--from-govuk", required=True, type=Path, metavar="FILE_OR_DIR")
    parser.add_argument("--out", required=True, type=Path, metavar="CSV")
    parser.add_argument(
        "--replace",
        action="store_true",
        help="write only what GOV.UK gives; by default rows of the current --out file that "
        "GOV.UK lacks (spend-file spellings, units, old bodies) are kept",
    )
    return parser


def main(argv: Iterable[str] | None = None) -> int:
    """Run the command line; returns 0, or 2 with one line on stderr for unusable input."""
    args = _parser().parse_args(list(argv) if argv is not None else None)
    vocab = load_vocabulary()
    try:
        fresh = departments_from_govuk_json(args.from_govuk, vocab)
        kept = fresh.iloc[0:0] if args.replace else _kept_rows(args.out, fresh, vocab)
        table = pd.concat([fresh, kept], ignore_index=True)
        _with_keys(table, vocab).pipe(_check_or_raise, args.out)
        write_csv_atomically(table, args.out)
    except LoaderInputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as exc:
        print(f"error: cannot write {args.out}: {exc}", file=sys.stderr)
        return EXIT_FAILED
    print(
        f"Wrote {len(table)} bodies ({len(fresh)} from GOV.UK, {len(kept)} kept) under "
        f"{table['department'].nunique()} departments to {args.out}"
    )
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
