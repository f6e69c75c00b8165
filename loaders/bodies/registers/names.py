"""Every name a register body goes by, keyed for matching, strongest first.

Keys are :func:`loaders.bodies.resolution.match_key` of:

0. ``register name``: the name the register gives;
1. ``register alternative name``: the other names it gives (mySociety's alternative council
   names, GOV.UK abbreviations, older ODS names), kept only when they name the kind of body
   (``alt_name_pattern`` of ``registers.csv``: a bare ``Kent`` is not Kent County Council),
   and the names of ``aliases.csv``, each kept by hand;
2. ``name form``: each of the body's stems in each form of ``name_forms.csv`` for its register and
   type (``Kent`` -> ``Kent Police``, ``Kent Constabulary``, ``Police and Crime
   Commissioner for Kent``).

A key names the bodies of its strongest rank; when that is more than one body the key is
ambiguous and names none (:func:`ambiguous_keys` lists them for the match report).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd

from loaders.bodies.registers.build import REGISTERS_DIR
from loaders.bodies.registers.publishers import ALT_SEPARATOR
from loaders.bodies.registers.table import read_register_list
from loaders.bodies.resolution import match_key
from loaders.core.vocabulary import Vocabulary

HOW = ("register name", "register alternative name", "name form")
INDEX_COLUMNS = ["key", "register", "code", "rank", "how", "name"]


def _forms(folder: Path) -> dict[tuple[str, str], list[str]]:
    forms: dict[tuple[str, str], list[str]] = {}
    with (folder / "name_forms.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            forms.setdefault((row["register"], row["organisation_type"]), []).append(row["form"])
    return forms


def _names_of(bodies: pd.DataFrame, folder: Path) -> pd.DataFrame:
    """(register, code, rank, name) of every name of every body."""
    patterns = {r.code: re.compile(r.alt_name_pattern, re.IGNORECASE) if r.alt_name_pattern
                else None for r in read_register_list(folder)}  # fmt: skip
    forms = _forms(folder)
    rows: list[tuple[str, str, int, str]] = []
    columns = ["register", "code", "name", "alt_names", "aliases", "stem", "organisation_type"]
    for register, code, name, alt_names, aliases, stem, kind in bodies[columns].itertuples(
        index=False
    ):
        rows.append((register, code, 0, name))
        rows.extend((register, code, 1, alias) for alias in aliases.split(ALT_SEPARATOR) if alias)
        pattern = patterns.get(register)
        rows.extend((register, code, 1, alt) for alt in alt_names.split(ALT_SEPARATOR)
                    if alt and (pattern is None or pattern.search(alt)))  # fmt: skip
        templates = forms.get((register, kind), []) + forms.get((register, "*"), [])
        rows.extend((register, code, 2, t.format(stem=one)) for one in stem.split(ALT_SEPARATOR)
                    if one for t in templates)  # fmt: skip
    return pd.DataFrame(rows, columns=["register", "code", "rank", "name"])


def name_index(
    bodies: pd.DataFrame, vocab: Vocabulary, folder: Path = REGISTERS_DIR
) -> pd.DataFrame:
    """Every key of every body's names (:data:`INDEX_COLUMNS`), each key kept at its
    strongest rank only; keys naming more than one body there are kept too (see
    :func:`unique_keys`)."""
    names = _names_of(bodies, folder)
    keys = {n: match_key(n, vocab) for n in names["name"].unique()}
    names["key"] = names["name"].map(keys)
    names = names[names["key"].ne("")]
    best = names.groupby("key")["rank"].transform("min")
    names = names[names["rank"].eq(best)].drop_duplicates(["key", "register", "code"])
    names["how"] = names["rank"].map(dict(enumerate(HOW)))
    return names[INDEX_COLUMNS].sort_values(["key", "register", "code"], ignore_index=True)


def unique_keys(index: pd.DataFrame) -> pd.DataFrame:
    """The keys of :func:`name_index` that name exactly one body."""
    bodies_per_key = index.groupby("key")["code"].transform("size")
    return index[bodies_per_key.eq(1)].reset_index(drop=True)


def ambiguous_keys(index: pd.DataFrame) -> pd.DataFrame:
    """The keys that name more than one body at their strongest rank, with those bodies."""
    bodies_per_key = index.groupby("key")["code"].transform("size")
    return index[bodies_per_key.gt(1)].reset_index(drop=True)
