"""Which UK government department each public body belongs to, for department scorecards.

``data/reference/departments.csv`` maps a body (agency, arm's-length body, former body, or a
spelling that spend files use) to its parent department, by GOV.UK title, with the
department's GOV.UK slug. Closed bodies count under the department they belonged to; bodies
of a closed department count under the department that took over its functions, as the
``note`` says. The table can be rebuilt from a saved copy of the GOV.UK organisations API
(:mod:`loaders.bodies.govuk_organisations`):

    python -m loaders departments --from-govuk pages/ --out data/reference/departments.csv

Spend rows are matched on ``customer_key`` (the key the loaders give every customer), then on
a looser key without legal forms and a trailing article (``Student Loans Company Limited``,
``Coal Authority The``) where that looser key names only one department.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from loaders.core import normalise
from loaders.core.errors import LoaderInputError
from loaders.core.parsing import name_key
from loaders.core.vocabulary import REFERENCE_DIR, Vocabulary, load_vocabulary

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


# --- the reference table ------------------------------------------------------------------


def problems(frame: pd.DataFrame) -> Iterator[str]:
    """What is wrong with a body -> department table (with ``key``), one message each."""
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
    slugs = frame[frame["department_slug"].ne("")].groupby("department_slug")["department"]
    shared = slugs.nunique()
    if (shared > 1).any():
        yield f"GOV.UK slugs of two departments: {sorted(shared[shared > 1].index)[:5]}"


def with_keys(frame: pd.DataFrame, vocab: Vocabulary) -> pd.DataFrame:
    """``frame`` with ``key`` (as ``customer_key`` of the body) and ``loose_key`` added."""
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
    frame = with_keys(frame[COLUMNS].apply(lambda col: col.str.strip()), vocab)
    for problem in problems(frame):
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
    return with_keys(departments, vocab)


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
    A slug that the table gives several departments is not trusted (the name decides), as
    a URN shared by unrelated bodies is not (:mod:`loaders.bodies.resolution.trust`).
    """
    text = str(name_or_slug or "").strip()
    if not text:
        return None
    vocab = vocab or load_vocabulary()
    departments = _keyed(departments, vocab)
    by_slug = departments.loc[departments["department_slug"] == text.lower(), "department"]
    named = set(by_slug)
    if len(named) == 1:  # a slug naming several departments is not trusted: by name
        return named.pop()
    key = normalise.customer_key(text, vocab)
    rows = departments[departments["body_type"].isin(DEPARTMENT_TYPES)]
    by_name = rows.loc[rows["key"] == key, "department"]
    return str(by_name.iloc[0]) if len(by_name) else None


NO_DEPARTMENT = ""  # customers that are not part of a UK government department


def departments_of_customers(
    names: pd.Series, vocab: Vocabulary | None = None, table: pd.DataFrame | None = None
) -> pd.Series:
    """The department of each customer display name ("" when not part of one).

    Names are keyed once per distinct name, so this is cheap for millions of rows.
    """
    vocab = vocab or load_vocabulary()
    table = read_departments(vocab=vocab) if table is None else table
    names = names if isinstance(names.dtype, pd.CategoricalDtype) else names.astype("category")
    unique = pd.Series(names.cat.categories.astype(object))
    keys = unique.map(lambda n: normalise.customer_key(str(n), vocab))
    found = department_of(keys, table, vocab).fillna(NO_DEPARTMENT)
    lookup = np.append(found.astype(object).to_numpy(), NO_DEPARTMENT)  # null name -> last
    return pd.Series(lookup[names.cat.codes.to_numpy()], index=names.index, dtype=object)
