"""Versions and parts of one release, told apart by content, so that no release is counted
twice.

A file's release is what the manifest says (:mod:`loaders.sources.ccs_spend.manifest`), else the
date in its name (``G-Cloud-spend-Jan2019-v2.csv``: ``2019-01``); a name without a date gives none.
Releases of different dates are combined month by month, newest first
(:mod:`loaders.sources.ccs_spend.combine`). Files that could be one release (the same release, or
one of them undated) and cover some framework-months in common are compared on their rows there: the
rows that match on framework, month, supplier, customer and amount to the penny (whatever the files'
names, encodings or formats), as a share of the rows of the smaller of the two:

* at least :data:`VERSION_SHARE`: **versions** of one release. The latest is kept (version marker in
  the name, ``v2`` > ``v1``, ``Jan2019a`` > ``Jan2019``, ``revised``; else the one covering more
  months, then later months; else the later date in its name; else more rows, then the name, then
  the path), and every row of the others is superseded (reason ``superseded by a newer release``),
  listed with its revisions (:mod:`loaders.sources.ccs_spend.version_changes`);
* at most :data:`PART_SHARE`: **parts** of one release, all kept;
* in between: **ambiguous**. The newer file's rows are kept for the framework-months both
  cover, and the older file's rows there are set aside (reason ``overlaps another file
  (ambiguous versions)``), so the spend is never counted twice; both are named in the load
  report, and a manifest line settles it.

Names settle what content cannot: two files marked as different parts (``part1``, ``part2``)
of the same version are parts; files marked as different versions with no row in common
are ambiguous (not parts), with some in common versions. Byte-identical files are read once
(:func:`loaders.pipeline.load`). Every decision goes into the report's ``release_versions``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from loaders.core import normalise
from loaders.core.parsing import map_unique
from loaders.core.vocabulary import Vocabulary
from loaders.sources.ccs_spend.extract import FileExtract
from loaders.sources.ccs_spend.file_names import VersionMarker, part_marker, version_marker
from loaders.sources.ccs_spend.manifest import ManifestEntry, entry_for

VERSION_SHARE = 0.5
PART_SHARE = 0.05
VERSIONS, PARTS, AMBIGUOUS = "versions", "parts", "ambiguous"
FM = ["framework", "month"]


def release_label(extract: FileExtract) -> str | None:
    """Label of a file's release from its name: the date in it, else ``None``."""
    date = extract.file_date
    if date is None:
        return None
    return date.isoformat() if date.day != 1 else date.strftime("%Y-%m")


@dataclass(frozen=True, eq=False)
class _File:
    """What the comparison needs of one file (its row keys only when it is compared)."""

    key: str  # the file's path as text
    name: str
    label: str | None  # manifest release, else date label, else None
    entry: ManifestEntry | None
    marker: VersionMarker
    part: int | None
    order: tuple  # version order (higher is newer), without the manifest
    fm: np.ndarray  # distinct framework-months covered (hashes, as :func:`fm_hashes`)
    parsed: pd.DataFrame = field(repr=False)
    vocab: Vocabulary = field(repr=False)

    @cached_property
    def rows(self) -> pd.DataFrame:
        """``fm`` and ``row`` (hash of the match key) of each row, worked out when needed."""
        return _row_keys(self.parsed, self.vocab)


def _row_keys(parsed: pd.DataFrame, vocab: Vocabulary) -> pd.DataFrame:
    keys = pd.DataFrame(
        {
            "framework": parsed["framework"].astype(str).to_numpy(),
            "month": parsed["month"].to_numpy(),
            "supplier": map_unique(
                parsed["supplier"], lambda n: normalise.supplier_key(str(n), vocab)
            ).to_numpy(),
            "customer": map_unique(
                parsed["customer"], lambda n: normalise.customer_key(str(n), vocab)
            ).to_numpy(),
            "pennies": np.round(parsed["spend_gbp"].to_numpy() * 100).astype("int64"),
        }
    )
    return pd.DataFrame(
        {
            "fm": fm_hashes(parsed),
            "row": pd.util.hash_pandas_object(keys, index=False).to_numpy(),
        }
    )


def _file(extract: FileExtract, entries: dict[str, ManifestEntry], vocab: Vocabulary) -> _File:
    parsed = extract.parsed
    months = parsed["month"]
    entry = entry_for(extract.path, entries)
    return _File(
        key=str(extract.path),
        name=extract.path.name,
        label=entry.release if entry else release_label(extract),
        entry=entry,
        marker=version_marker(extract.path.name, vocab),
        part=part_marker(extract.path.name),
        order=(
            version_marker(extract.path.name, vocab),
            int(months.nunique()),
            months.max() if len(months) else pd.Timestamp.min,
            extract.file_date or dt.date.min,
            len(parsed),
            extract.path.name,
            str(extract.path),
        ),
        fm=np.unique(fm_hashes(parsed)),
        parsed=parsed,
        vocab=vocab,
    )


@dataclass(frozen=True)
class Comparison:
    """Two files that cover framework-months in common, and what they are to each other."""

    older: _File
    newer: _File
    relation: str  # VERSIONS, PARTS or AMBIGUOUS
    decided_by: str  # "content", "file names" or "manifest"
    shared_months: int  # framework-months both cover
    rows: tuple[int, int]  # rows of (older, newer) in those months
    matched: int  # rows that match on framework, month, supplier, customer and amount
    why_newer: str
    shared_fm: np.ndarray  # hashes of the shared framework-months


def _why_newer(older: _File, newer: _File) -> str:
    if older.entry and newer.entry:
        return f"version {newer.entry.version or 'given'} in the manifest"
    labels = ("marked " + (newer.marker.label() or "newer"), "covers more months",
              "covers later months", "has a later date in its name", "has more rows")  # fmt: skip
    for position, why in enumerate(labels):
        if older.order[position] != newer.order[position]:
            return why
    return "the same rows (a copy); kept by name order"


def _newer_first(a: _File, b: _File) -> tuple[_File, _File]:
    if a.entry and b.entry and a.entry.version_number() != b.entry.version_number():
        return (a, b) if a.entry.version_number() > b.entry.version_number() else (b, a)
    return (a, b) if a.order > b.order else (b, a)


def _content(a: _File, b: _File, shared: np.ndarray) -> tuple[str, tuple[int, int], int]:
    rows_a = a.rows.loc[np.isin(a.rows["fm"], shared), "row"]
    rows_b = b.rows.loc[np.isin(b.rows["fm"], shared), "row"]
    counts = pd.concat(
        [rows_a.value_counts().rename("a"), rows_b.value_counts().rename("b")], axis=1
    ).fillna(0)
    matched = int(counts.min(axis=1).sum())
    smallest = min(len(rows_a), len(rows_b))
    share = matched / smallest if smallest else 0.0
    relation = VERSIONS if share >= VERSION_SHARE else PARTS if share <= PART_SHARE else AMBIGUOUS
    return relation, (len(rows_a), len(rows_b)), matched


def _by_names(relation: str, a: _File, b: _File, matched: int) -> str | None:
    """What the names say where content cannot tell, else ``None``."""
    if a.part is not None and b.part is not None and a.part != b.part and a.marker == b.marker:
        return PARTS if relation != PARTS else None
    if a.marker != b.marker:
        if relation == PARTS:
            return AMBIGUOUS
        if relation == AMBIGUOUS and matched:
            return VERSIONS
    return None


def compare(a: _File, b: _File) -> Comparison | None:
    """What two files that may be one release are to each other (``None``: no framework-month
    in common, unless the manifest makes them versions or parts of one release)."""
    shared = np.intersect1d(a.fm, b.fm)
    listed = a.entry is not None and b.entry is not None and a.entry.release == b.entry.release
    if not len(shared) and not listed:
        return None
    newer, older = _newer_first(a, b)
    relation, rows, matched = _content(older, newer, shared)
    decided_by = "content"
    if listed:
        same = a.entry.version_number() == b.entry.version_number()
        relation, decided_by = (PARTS if same else VERSIONS), "manifest"
    elif named := _by_names(relation, older, newer, matched):
        relation, decided_by = named, "file names"
    return Comparison(
        older, newer, relation, decided_by, len(shared), rows, matched,
        _why_newer(older, newer), shared,
    )  # fmt: skip


def _candidates(files: list[_File]) -> list[tuple[_File, _File]]:
    """Pairs that may be one release: the same release label, or one of them undated (a
    manifest that gives both different releases keeps them apart)."""
    pairs = []
    for i, a in enumerate(files):
        for b in files[i + 1 :]:
            if a.label == b.label or a.label is None or b.label is None:
                pairs.append((a, b))
    return pairs


@dataclass
class ReleasePlan:
    """Which release each file belongs to, and what combining must set aside within one."""

    release: dict[str, str]  # file key -> release label
    superseded_by: dict[str, str] = field(default_factory=dict)  # older version -> kept file
    set_aside: dict[str, dict[int, str]] = field(default_factory=dict)  # file -> fm -> kept file
    comparisons: list[Comparison] = field(default_factory=list)
    status: dict[str, str] = field(default_factory=dict)  # file key -> its status in a release

    def row_status(
        self, file_keys: pd.Series, fm_of_rows: Callable[[], np.ndarray]
    ) -> tuple[np.ndarray, np.ndarray]:
        """Per row: ``version`` (its file is an older version), ``ambiguous`` (set aside) or
        None; and the file kept instead (None if kept). ``fm_of_rows`` gives the rows'
        framework-month hashes (:func:`fm_hashes`), worked out only if some are set aside."""
        status = np.full(len(file_keys), None, dtype=object)
        instead = np.full(len(file_keys), None, dtype=object)
        if not (self.superseded_by or self.set_aside):
            return status, instead
        # each row's file as a code: no text per row (categories, or factorised once)
        if isinstance(file_keys.dtype, pd.CategoricalDtype):
            codes, names = file_keys.cat.codes.to_numpy(), file_keys.cat.categories
        else:
            codes, names = pd.factorize(file_keys)
        code_of = {str(name): i for i, name in enumerate(names)}

        def rows_of(key: str) -> np.ndarray:
            return codes == code_of.get(key, -2)  # -2: no row's code (-1 is a missing file)

        for key, kept in self.superseded_by.items():
            rows = rows_of(key)
            status[rows], instead[rows] = "version", Path(kept).name
        fm = fm_of_rows() if self.set_aside else None
        for key, months in self.set_aside.items():
            rows = rows_of(key) & np.isin(fm, np.array(list(months), dtype=np.uint64))
            status[rows] = "ambiguous"
            instead[rows] = [months[int(m)] for m in fm[rows]]
        return status, instead


class _Groups:
    """Union-find of files into releases, never joining two different dated labels."""

    def __init__(self, files: list[_File]) -> None:
        self.parent = {f.key: f.key for f in files}
        self.labels = {f.key: {f.label} - {None} for f in files}

    def find(self, key: str) -> str:
        while self.parent[key] != key:
            key = self.parent[key]
        return key

    def join(self, a: str, b: str) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if len(self.labels[ra] | self.labels[rb]) > 1:
            return False
        self.parent[rb] = ra
        self.labels[ra] |= self.labels.pop(rb)
        return True


def _final(key: str, superseded_by: dict[str, str]) -> str:
    seen = {key}
    while key in superseded_by and superseded_by[key] not in seen:
        key = superseded_by[key]
        seen.add(key)
    return key


def _labels(files: list[_File], groups: _Groups, superseded: dict[str, str]) -> dict[str, str]:
    """The release label of each file: its group's dated label (of the files kept), else the
    names of the files kept."""
    members: dict[str, list[_File]] = {}
    for f in files:
        members.setdefault(groups.find(f.key), []).append(f)
    release = {}
    for group in members.values():
        current = [f for f in group if f.key not in superseded] or group
        dated = sorted({f.label for f in current if f.label})
        label = dated[0] if dated else " + ".join(sorted(f.name for f in current))
        release.update({f.key: label for f in group})
    return release


def plan_releases(
    extracts: list[FileExtract], entries: dict[str, ManifestEntry], vocab: Vocabulary
) -> ReleasePlan:
    """Compare the files that may be one release and decide what each is (module docstring)."""
    files = [_file(e, entries, vocab) for e in extracts]
    found = [c for a, b in _candidates(files) if (c := compare(a, b)) is not None]
    found.sort(key=lambda c: -c.matched)
    groups = _Groups(files)
    comparisons = [c for c in found if groups.join(c.older.key, c.newer.key)]
    superseded = {c.older.key: c.newer.key for c in comparisons if c.relation == VERSIONS}
    superseded = {k: _final(k, superseded) for k in superseded}
    plan = ReleasePlan(_labels(files, groups, superseded), superseded, {}, comparisons)
    for c in comparisons:
        if c.relation == AMBIGUOUS and not {c.older.key, c.newer.key} & set(superseded):
            months = plan.set_aside.setdefault(c.older.key, {})
            months.update({int(m): c.newer.name for m in c.shared_fm})
    plan.status = _statuses(comparisons, superseded)
    return plan


def _statuses(comparisons: list[Comparison], superseded: dict[str, str]) -> dict[str, str]:
    status: dict[str, str] = {}
    rank = {"part": 0, "latest version": 1, "ambiguous": 2, "superseded version": 3}
    for c in comparisons:
        pairs = {
            PARTS: (("part", c.older), ("part", c.newer)),
            VERSIONS: (("superseded version", c.older), ("latest version", c.newer)),
            AMBIGUOUS: (("ambiguous", c.older), ("ambiguous", c.newer)),
        }[c.relation]
        for name, f in pairs:
            if f.key in superseded:
                name = "superseded version"
            if rank[name] >= rank.get(status.get(f.key, "part"), 0):
                status[f.key] = name
    return status


def fm_hashes(parsed: pd.DataFrame) -> np.ndarray:
    """The framework-month hash of each row (as :class:`_File` rows carry)."""
    keys = pd.DataFrame(
        {
            "framework": parsed["framework"].astype(str).to_numpy(),
            "month": parsed["month"].to_numpy(),
        }
    )
    return pd.util.hash_pandas_object(keys, index=False).to_numpy()


def decisions(plan: ReleasePlan) -> list[dict[str, Any]]:
    """The report's ``release_versions``: one entry per pair of files compared."""
    out = []
    for c in plan.comparisons:
        older, newer = c.older.name, c.newer.name
        share = c.matched / min(c.rows) if min(c.rows) else 0.0
        evidence = (
            f"{c.matched:,} of {c.rows[0]:,} rows of {older} and {c.rows[1]:,} of {newer} match "
            f"({share:.0%} of the smaller) in the {c.shared_months:,} framework-month(s) both "
            f"cover"
        )
        if c.relation == VERSIONS:
            outcome = (
                f"versions of one release: {newer} is kept ({c.why_newer}), {older} is superseded"
            )
        elif c.relation == PARTS:
            outcome = "parts of one release: both are kept"
        else:
            outcome = (
                f"ambiguous (neither versions nor parts): for those framework-months {newer}'s "
                f"rows are kept ({c.why_newer}) and {older}'s are set aside; state the answer "
                "in releases.csv"
            )
        out.append(
            {
                "release": plan.release[c.newer.key],
                "relation": c.relation,
                "decided_by": c.decided_by,
                "files": [older, newer],
                "kept": [newer] if c.relation != PARTS else [older, newer],
                "superseded": [older] if c.relation == VERSIONS else [],
                "set_aside": [older] if c.relation == AMBIGUOUS else [],
                "shared_framework_months": c.shared_months,
                "rows_compared": list(c.rows),
                "rows_matching": c.matched,
                "reason": f"{evidence}: {outcome} (decided by {c.decided_by})",
            }
        )
    return out
