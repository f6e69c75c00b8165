"""Add new spend releases to a store's spend tables: the same tables a full load would give,
from the new files alone and what the store keeps.

Only the new files are extracted. Their rows' published names are resolved together with
the distinct inputs of every row the store read (``spend_customer_inputs``,
``spend_supplier_inputs``, with their row counts, :mod:`.canonical`), so the new rows get
the bodies, sectors and SME status a full load would give them; the store's rows keep
theirs only if resolving again gives every stored input the same answer. The store's rows,
quarantine, revisions, release months and file reports are carried over; the totals of the
report, the match report and the register matches are worked out again from the whole
tables.

An append refuses (:class:`~loaders.sources.base.AppendRefused`, with the reason in one
line) whenever it cannot be sure of giving the full load's result, and a full load is done:

* the loaders, reference data, customer list, alias files or options changed since the store
  was built (``ingest_inputs`` of its report), or a ``releases.csv`` steers the releases;
* the store holds no inputs of its names (written before appends) or byte-identical copies;
* the new files are versions or parts of one release, or of a stored release;
* a new file covers a framework-month the store already has (a release revising months:
  the stored rows of those months would have to be superseded), or is not later than every
  stored month (it would rank below stored releases);
* the new rows change the answer for some stored input (a body's most common spelling, a
  dominant sector, a URN no longer trusted...).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from loaders.catalogue import CANONICAL
from loaders.catalogue.model import Catalogue, conforms
from loaders.catalogue.parts import StoredTable, appended
from loaders.catalogue.result import Frame, LoadResult
from loaders.core.frames import united
from loaders.core.vocabulary import Vocabulary
from loaders.sources.base import AppendRefused, LoadContext
from loaders.sources.ccs_spend.canonical import (
    CUSTOMER_INPUTS,
    INPUT_TABLES,
    SUPPLIER_INPUTS,
    Codes,
    Inputs,
    resolve_inputs,
    row_inputs,
    stack_inputs,
)
from loaders.sources.ccs_spend.checks import COMBINING_REASONS
from loaders.sources.ccs_spend.combine import ReleaseOrder, order_releases
from loaders.sources.ccs_spend.fingerprint import ingest_inputs
from loaders.sources.ccs_spend.manifest import find_manifests
from loaders.sources.ccs_spend.versions import ReleasePlan, plan_releases

WHAT_CHANGED = {
    "loaders_sha256": "the loaders or their reference data",
    "customer_list_sha256": "the customer list",
    "customer_aliases_sha256": "the customer aliases file",
    "supplier_aliases_sha256": "the supplier aliases file",
    "framework": "--framework",
    "supplier": "--supplier",
    "allow_empty": "--allow-empty",
}
MATCH_KEYS = ["kind", "published_name", "body_key", "body_name", "urn", "method", "score",
              "published_urn", "urn_note", "runner_up", "runner_up_score"]  # fmt: skip


def check_inputs(section: dict[str, Any], stored: Mapping, context: LoadContext) -> None:
    """Refuse unless the store was built from the same inputs besides its files, with the
    inputs of its names, no releases.csv and no copies."""
    if any(name not in stored for name in INPUT_TABLES):
        raise AppendRefused("the store was written before appends (no inputs of its names)")
    before, now = section.get("ingest_inputs") or {}, ingest_inputs(context)
    changed = [WHAT_CHANGED[k] for k in now if before.get(k, "?") != now[k]]
    if changed:
        raise AppendRefused(f"{', '.join(changed)} changed since the store was built")
    if section.get("manifests") or find_manifests(list(context.requested),
                                                  context.options.manifest):  # fmt: skip
        raise AppendRefused("a releases.csv steers the releases")
    if section.get("duplicates_skipped"):
        raise AppendRefused("the store holds byte-identical copies of files")


def order_new(
    extracts: list, section: dict[str, Any], stored: Mapping, vocab: Vocabulary
) -> tuple[ReleasePlan, ReleaseOrder]:
    """The new files' plan and their releases ranked above the stored ones (or a refusal)."""
    plan = plan_releases(extracts, {}, vocab)
    if plan.comparisons:
        raise AppendRefused("the new files are versions or parts of one release")
    labels = {f["release"] for f in section.get("files", [])}
    again = sorted(set(plan.release.values()) & labels)
    if again:
        raise AppendRefused(f"release {again[0]} is in the store already (a new version?)")
    months = stored["release_months"]
    old = set(zip(months["framework"].astype(str), months["month"], strict=True))
    for e in extracts:
        pairs = e.parsed[["framework", "month"]].drop_duplicates()  # a few per file
        new = set(zip(pairs["framework"].astype(str), pairs["month"], strict=True))
        if new & old:
            framework, month = min(new & old)
            raise AppendRefused(f"{e.path.name} revises stored months ({framework} "
                                f"{month:%Y-%m}, {len(new & old)} framework-month(s))")  # fmt: skip
        latest = months["month"].max() if len(months) else pd.Timestamp.min
        if not len(e.parsed) or e.parsed["month"].max() <= latest:
            raise AppendRefused(f"{e.path.name} is not later than every stored month")
    order = order_releases(extracts, plan)
    base = len(labels)
    return plan, ReleaseOrder(order.release, {r: base + i for r, i in order.rank.items()})


def _stored_inputs(stored: Mapping) -> Inputs:
    return Inputs(stored["spend_customer_inputs"], stored["spend_supplier_inputs"])


def _lines(both: pd.DataFrame, second: pd.DataFrame, columns: tuple[str, ...]) -> np.ndarray:
    """The line in ``both`` of each line of ``second`` (same inputs)."""
    keys = both[list(columns)].astype(object).reset_index(drop=True)
    wanted = second[list(columns)].astype(object)
    index = pd.MultiIndex.from_frame(keys.fillna("\0none"))
    found = index.get_indexer(pd.MultiIndex.from_frame(wanted.fillna("\0none")))
    if (found < 0).any():
        raise ValueError("an input of the new rows is missing from the inputs resolved")
    return found


def _renames(stored: Mapping, resolved: Inputs) -> dict[str, dict[str, tuple]]:
    """The bodies whose display name the new rows change (kind -> body key -> (old name,
    new name));
    refuses if a stored input now resolves otherwise in any other way, or if an old name
    does not tell its body (two bodies shown alike)."""
    renames: dict[str, dict[str, str]] = {}
    for kind, (name, columns, frame) in {
        "customer": ("spend_customer_inputs", CUSTOMER_INPUTS, resolved.customers),
        "supplier": ("spend_supplier_inputs", SUPPLIER_INPUTS, resolved.suppliers),
    }.items():
        table = INPUT_TABLES[name]
        before = table.typed(stored[name]).drop(columns="rows")
        now = table.typed(frame.head(len(before))).drop(columns="rows")
        differs = ~((before == now) | (before.isna() & now.isna()))
        other = differs.drop(columns="body_name").any(axis=1).to_numpy()
        if other.any():
            first = before.loc[other, columns[0]].iloc[0]
            raise AppendRefused(f"the new rows change how {int(other.sum())} stored {kind} "
                                f"name(s) resolve (e.g. {first!r})")  # fmt: skip
        renamed = differs["body_name"].to_numpy()
        if renamed.any():
            shown = before.dropna(subset=["body_key"]).drop_duplicates("body_key")
            old = set(before.loc[renamed, "body_name"].dropna())
            if shown["body_name"].isin(old).sum() > len(old):
                raise AppendRefused(f"two stored {kind} bodies are shown alike")
            changed = now[renamed].drop_duplicates("body_key")
            was = shown.set_index("body_key")["body_name"]
            renames[kind] = {
                k: (was[k], v)
                for k, v in zip(changed["body_key"], changed["body_name"], strict=True)
            }
    return renames


def _set_rows(frame: pd.DataFrame, rows: np.ndarray, column: str, values: np.ndarray) -> None:
    """``frame[column]`` set to ``values`` at ``rows`` (a categorical column gains the new
    values as categories first; the table's typing drops those no row uses any more)."""
    if isinstance(frame[column].dtype, pd.CategoricalDtype):
        known = frame[column].cat.categories
        new = pd.Index(pd.unique(values)).dropna().difference(known)
        if len(new):
            frame[column] = frame[column].cat.add_categories(new)
    frame.loc[rows, column] = values


def keyless_names(stored: Mapping, resolved: Inputs) -> set[str]:
    """The names rows without a body are shown by (``(not stated)``...), in the store's
    inputs and the inputs resolved with the new rows."""
    frames = [stored["spend_customer_inputs"], stored["spend_supplier_inputs"],
              resolved.customers, resolved.suppliers]  # fmt: skip
    return {str(n) for f in frames for n in f.loc[f["body_key"].isna(), "body_name"].dropna()}


def by_name(renames: dict[str, dict[str, tuple]], keyless: set[str]) -> bool:
    """Whether the stored rows of the bodies ``renames`` renames can be told by their old
    names alone (as the names recorded in a stored table's parts change them): no row
    without a body is shown by one of those names."""
    return not any(old in keyless for changes in renames.values() for old, _ in changes.values())


def renamed_store(
    stored: LoadResult, renames: dict[str, dict[str, tuple]], overlay: bool = True
) -> LoadResult:
    """The store's spend, quarantine and match report with bodies shown by their new names
    (``renames``: :func:`_renames`); the other tables as they are (read when asked for).
    With ``overlay``, stored spend rows still unread are renamed as they are read instead
    (:func:`spend_tables`)."""
    if not renames:
        return stored
    overlay = overlay and isinstance(stored.held_as("spend"), StoredTable)
    spend = None if overlay else stored["spend"].copy()
    quarantine, matches = stored["quarantine"].copy(), stored["matches"].copy()
    combining = quarantine["reason"].isin(COMBINING_REASONS).fillna(False).to_numpy()
    for kind, changes in renames.items():
        names = {key: new for key, (_, new) in changes.items()}
        by_old = dict(changes.values())
        if spend is not None:
            keys = spend[f"{kind}_key"]
            shown = keys.isin(list(names)).fillna(False).to_numpy()
            _set_rows(spend, shown, kind, keys[shown].astype(object).map(names).to_numpy())
        rows = combining & quarantine[kind].isin(list(by_old)).fillna(False).to_numpy()
        quarantine.loc[rows, kind] = quarantine.loc[rows, kind].map(by_old)
        of_kind = matches["kind"].eq(kind) & matches["body_key"].isin(list(names)).fillna(False)
        matches.loc[of_kind, "body_name"] = matches.loc[of_kind, "body_key"].map(names)
    changed = {"quarantine": quarantine, "matches": matches}
    if spend is not None:
        changed["spend"] = spend
    return stored.with_tables(changed, Catalogue(stored.catalogue[name] for name in changed))


def shown_names(renames: dict[str, dict[str, tuple]]) -> dict[str, dict[str, str]]:
    """The renames of :func:`_renames` as name changes by column (``customer``,
    ``supplier`` -> old display name -> new one), as a stored table shows them when read
    (:meth:`~loaders.catalogue.parts.StoredTable.renamed`)."""
    return {kind: dict(changes.values()) for kind, changes in renames.items() if changes}


def resolve_with_store(parsed: pd.DataFrame, stored: Mapping, context: LoadContext):
    """The new rows' inputs resolved with the store's: the resolved inputs of all rows, each
    new row's line in them, and the bodies whose display name changes (:func:`_renames`,
    which refuses any other change to a stored answer)."""
    new, codes = row_inputs(parsed)
    both = stack_inputs(_stored_inputs(stored), new)
    resolved = resolve_inputs(both, context.vocab, context.customers, context.aliases)
    renames = _renames(stored, resolved)
    lines = Codes(
        _lines(both.customers, new.customers, CUSTOMER_INPUTS)[codes.customers],
        _lines(both.suppliers, new.suppliers, SUPPLIER_INPUTS)[codes.suppliers],
    )
    return resolved, lines, renames


def merged_matches(stored: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """The match report of the stored and new rows together (rows and pounds added)."""
    both = pd.concat([stored, new], ignore_index=True)
    table = (
        both.groupby(MATCH_KEYS, dropna=False, sort=True)
        .agg(rows=("rows", "sum"), spend_gbp=("spend_gbp", "sum"))
        .reset_index()
    )
    table["spend_gbp"] = table["spend_gbp"].round(2)
    return CANONICAL["matches"].typed(table)


def _stacked(stored: pd.DataFrame, new: pd.DataFrame, name: str, by: list[str] | None = None):
    """A stored table and the new files' one after it, typed (categories united and sorted,
    as :meth:`~loaders.catalogue.model.Table.typed` gives them), sorted ``by`` if given."""
    table = CANONICAL[name]
    parts = [part if conforms(table, part) else table.typed(part) for part in (stored, new)]
    columns = {}
    for spec in table.fields:
        one, two = (part[spec.name] for part in parts)
        if spec.dtype == "category":
            columns[spec.name] = pd.Series(united([one.array, two.array]))
        else:
            columns[spec.name] = pd.concat([one, two], ignore_index=True)
    frame = pd.DataFrame(columns)
    if by:
        frame = frame.sort_values(by, kind="stable", ignore_index=True)
    return frame if conforms(table, frame) else table.typed(frame)


def spend_tables(
    stored: LoadResult, new: dict[str, pd.DataFrame], renames: dict[str, dict[str, tuple]]
) -> dict[str, Frame]:
    """The spend tables of the store and of the new files together, in a full load's order
    where it has one (revisions and release months by framework and month). The spend rows,
    quarantine and version changes are the stored ones with the new after them: kept as the
    store's parts and the new rows (:func:`~loaders.catalogue.parts.appended`), so neither
    read nor written again; bodies a new release renames (``renames``: :func:`_renames`)
    are shown by their new names in the stored rows as they are read."""

    def after(name: str) -> Frame:
        return appended(stored.held_as(name), new[name], CANONICAL[name])

    return {
        "spend": appended(
            stored.held_as("spend"), new["spend"], CANONICAL["spend"], shown_names(renames)
        ),  # fmt: skip
        "quarantine": after("quarantine"),
        "revisions": _stacked(
            stored["revisions"], new["revisions"], "revisions", ["framework", "month"]
        ),  # fmt: skip
        "release_months": _stacked(
            stored["release_months"],
            new["release_months"],
            "release_months",
            ["framework", "month", "release_rank"],
        ),
        "version_changes": after("version_changes"),
        "matches": merged_matches(stored["matches"], new["matches"]),
    }
