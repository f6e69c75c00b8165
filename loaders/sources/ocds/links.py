"""One procurement counted once across platforms.

Above-threshold procurements of Scottish and Welsh buyers are published on their platform
and forwarded to Find a Tender; English ones may be on Find a Tender and Contracts Finder.
Each platform mints its own ocid, so once every notice source has loaded, this step links
the processes that are one procurement, **by rule, strongest first**:

1. ``identifier``: a release names the other process: an ocid of another platform in its
   links or document URLs (Find a Tender's forwarded notices link to the Public Contracts
   Scotland notice), a notice page of another platform (a Contracts Finder award document
   pointing at the Find a Tender notice), an Official Journal number of the UK service
   (``2024/S 000-034328`` is Find a Tender notice ``034328-2024``)
   (:func:`loaders.sources.ocds.release_facts.cross_references`); or the buyer's own
   reference (``tender.id``) is the same, for the same resolved buyer;
2. ``strict match``, only between processes not linked by an identifier: the same resolved
   buyer, the same title (letters and digits), the same CPV division, and an award made
   each, dated within :data:`AWARD_DAYS` days of each other and valued within
   :data:`VALUE_TOLERANCE` (1%); a process with two such candidates on one platform is
   linked to neither.

Linked processes form one procurement, **counted as** the process of the platform ranked
first in ``ocds_platforms.csv`` (Find a Tender, then Public Contracts Scotland, Sell2Wales,
Contracts Finder; the earliest published on a tie): the others get ``duplicate_of``. An
award of a copy that is the same award as one of another process of the procurement (value
within 1%, or the same supplier where a value is missing) is a duplicate too; any other
award of a copy (the award of a procurement whose Find a Tender copy holds only the tender)
still counts. Every link is listed with its rule and reason (``notice_links`` and the
``"links"`` section of the load report).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from loaders.catalogue import CANONICAL
from loaders.core.vocabulary import simplify
from loaders.sources.ocds.award_standing import MADE
from loaders.sources.ocds.notice_rules import NoticeRules, load_notice_rules

IDENTIFIER, STRICT = "identifier", "strict match"
AWARD_DAYS = 31
VALUE_TOLERANCE = 0.01
JOIN = "; "
LISTED = 50  # links told in words (all are in the report's data and the notice_links table)


def close(a: float, b: float) -> bool:
    """Whether two pound values agree within :data:`VALUE_TOLERANCE` (both known)."""
    if pd.isna(a) or pd.isna(b):
        return False
    return abs(a - b) <= VALUE_TOLERANCE * max(abs(a), abs(b))


@dataclass
class Links:
    """The links found, and the union of the processes they join."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    parent: dict[str, str] = field(default_factory=dict)
    pairs: set[tuple[str, str]] = field(default_factory=set)

    def root(self, ocid: str) -> str:
        """The representative of ``ocid``'s group."""
        while self.parent.get(ocid, ocid) != ocid:
            ocid = self.parent[ocid]
        return ocid

    def add(self, a: str, b: str, rule: str, reason: str) -> None:
        """Link ``a`` and ``b`` (once, with the first reason; never a process to itself)."""
        pair = (min(a, b), max(a, b))
        if a == b or pair in self.pairs:
            return
        self.pairs.add(pair)
        if self.root(a) != self.root(b):
            self.parent[self.root(a)] = self.root(b)
        self.rows.append({"ocid": a, "linked_ocid": b, "rule": rule, "reason": reason})


def _named(releases: pd.DataFrame, notices: pd.DataFrame) -> Iterator[tuple[str, str, str]]:
    """``(ocid, other ocid, reason)`` for each cross reference of a loaded release to a
    process in the load."""
    loaded = releases[releases["status"].astype(object).eq("loaded")]
    known = set(notices["ocid"])
    by_release = {
        (str(p), str(r)): o
        for p, r, o in zip(loaded["platform"].astype(object), loaded["release_id"],
                           loaded["ocid"], strict=True)
    }  # fmt: skip
    named = loaded.dropna(subset=["cross_references"])
    for ocid, release_id, refs in zip(named["ocid"], named["release_id"],
                                      named["cross_references"], strict=True):  # fmt: skip
        for ref in str(refs).split(JOIN):
            kind, _, rest = ref.partition(":")
            if kind == "ocid":
                other = rest if rest in known else None
            else:
                platform, _, number = rest.partition(":")
                other = by_release.get((platform, number))
            if other is not None and other != ocid:
                yield ocid, other, f"release {release_id} of {ocid} names {ref}"


def _same_reference(notices: pd.DataFrame) -> Iterator[tuple[str, str, str]]:
    frame = notices.dropna(subset=["buyer_reference", "customer_key"])
    frame = frame.astype({"platform": object})
    for (reference, _), group in frame.groupby(["buyer_reference", "customer_key"], sort=True):
        if group["platform"].nunique() < 2:
            continue
        first = group.iloc[0]
        for _, other in group.iloc[1:].iterrows():
            if other["platform"] != first["platform"]:
                yield (
                    first["ocid"],
                    other["ocid"],
                    f"same buyer ({first['customer']}) and buyer's reference {reference}",
                )


def _same_award(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    """Whether an award of ``a`` and one of ``b`` are dated within :data:`AWARD_DAYS` days
    and valued within 1%."""
    for x in a.itertuples():
        for y in b.itertuples():
            if pd.isna(x.award_date) or pd.isna(y.award_date):
                continue
            near = abs((x.award_date - y.award_date).days) <= AWARD_DAYS
            if near and close(x.value_gbp, y.value_gbp):
                return True
    return False


def _strict_pairs(notices: pd.DataFrame, awards: pd.DataFrame, linked: set[str]) -> list:
    """``(a, b, row of a)`` for each pair of processes of two platforms that match strictly."""
    made = awards[awards["standing"].astype(object).eq(MADE)]
    frame = notices.dropna(subset=["customer_key", "title", "cpv_division"])
    frame = frame[frame["ocid"].isin(made["ocid"]) & ~frame["ocid"].isin(linked)]
    frame = frame.astype({"platform": object}).assign(title_key=frame["title"].map(simplify))
    by_ocid = {ocid: rows for ocid, rows in made.groupby("ocid", sort=False)}
    pairs = []
    for _, group in frame.groupby(["customer_key", "title_key", "cpv_division"], sort=True):
        rows = list(group.itertuples())
        for i, one in enumerate(rows):
            for other in rows[i + 1 :]:
                if one.platform != other.platform and _same_award(
                    by_ocid[one.ocid], by_ocid[other.ocid]
                ):
                    pairs.append((one, other))
    return pairs


def _strict(notices: pd.DataFrame, awards: pd.DataFrame, links: Links) -> None:
    """Link the strict matches of which each side has no other on the other's platform."""
    pairs = _strict_pairs(notices, awards, set(links.parent) | set(links.parent.values()))
    count: dict[tuple[str, str], int] = {}
    for one, other in pairs:
        for a, b in ((one, other), (other, one)):
            count[(a.ocid, b.platform)] = count.get((a.ocid, b.platform), 0) + 1
    for one, other in pairs:
        if count[(one.ocid, other.platform)] == 1 and count[(other.ocid, one.platform)] == 1:
            links.add(one.ocid, other.ocid, STRICT,
                      f"same buyer ({one.customer}), title, CPV division {one.cpv_division}, "
                      f"award date within {AWARD_DAYS} days and value within 1%")  # fmt: skip


def counted_as(notices: pd.DataFrame, links: Links, rules: NoticeRules) -> pd.Series:
    """Each process's ocid -> the ocid its procurement is counted as: of the processes
    linked together, the one on the platform ranked first, then the earliest published."""
    rank = {p.name: p.rank for p in rules.platforms}
    order = notices.assign(
        rank=notices["platform"].astype(object).map(rank).fillna(len(rank) + 1),
        group=notices["ocid"].map(links.root),
    ).sort_values(["group", "rank", "first_published", "ocid"], kind="stable")
    first = order.groupby("group", sort=False)["ocid"].transform("first")
    return pd.Series(first.to_numpy(), index=order["ocid"].to_numpy()).reindex(notices["ocid"])


def _supplier_keys(suppliers: pd.DataFrame) -> dict[tuple[str, str], frozenset[str]]:
    keys = suppliers.dropna(subset=["supplier_key"])
    return {
        (ocid, award): frozenset(group["supplier_key"].astype(str))
        for (ocid, award), group in keys.groupby(["ocid", "award_id"], sort=False)
    }


def _same(x: Any, y: Any, suppliers: dict) -> bool:
    if pd.notna(x.value_gbp) and pd.notna(y.value_gbp) and x.value_gbp and y.value_gbp:
        return close(x.value_gbp, y.value_gbp)
    mine = suppliers.get((x.ocid, x.award_id), frozenset())
    return bool(mine) and mine == suppliers.get((y.ocid, y.award_id), frozenset())


def duplicate_awards(
    awards: pd.DataFrame, counted: pd.Series, suppliers: pd.DataFrame
) -> pd.Series:
    """For each award (index of ``awards``): ``'<ocid> <award id>'`` of the same award kept
    on another process of its procurement, else null. ``counted`` is :func:`counted_as`;
    the counted process's awards are taken first; an award kept can stand for one award of
    each other process."""
    out = pd.Series(None, index=awards.index, dtype=object)
    made = awards[awards["standing"].astype(object).eq(MADE)]
    made = made.assign(procurement=made["ocid"].map(counted))
    sizes = counted.groupby(counted.to_numpy()).size()
    linked = made[made["procurement"].isin(sizes.index[sizes.to_numpy() > 1])]
    keys = _supplier_keys(suppliers[suppliers["ocid"].isin(linked["ocid"])])
    for procurement, group in linked.groupby("procurement", sort=False):
        kept: list[Any] = []
        ordered = sorted(group.groupby("ocid"), key=lambda g: (g[0] != procurement, g[0]))
        for _, process in ordered:
            taken: set[int] = set()
            for award in process.itertuples():
                found = next(
                    (i for i, k in enumerate(kept)
                     if i not in taken and k.ocid != award.ocid and _same(k, award, keys)),
                    None,
                )  # fmt: skip
                if found is None:
                    kept.append(award)
                    continue
                taken.add(found)
                out[award.Index] = f"{kept[found].ocid} {kept[found].award_id}"
    return out


def find_links(tables: dict[str, pd.DataFrame], rules: NoticeRules) -> Links:
    """Every link between the processes of the notice tables (see the module docstring)."""
    notices, links = tables["notices"], Links()
    for a, b, reason in _named(tables["ocds_releases"], notices):
        links.add(a, b, IDENTIFIER, reason)
    for a, b, reason in _same_reference(notices):
        links.add(a, b, IDENTIFIER, reason)
    _strict(notices, tables["awards"], links)
    return links


def _link_table(links: Links, notices: pd.DataFrame, counted: pd.Series) -> pd.DataFrame:
    platform = notices.set_index("ocid")["platform"].astype(object)
    frame = pd.DataFrame(links.rows, columns=["ocid", "linked_ocid", "rule", "reason"])
    frame["platform"] = frame["ocid"].map(platform)
    frame["linked_platform"] = frame["linked_ocid"].map(platform)
    frame["counted_ocid"] = frame["ocid"].map(counted)
    return CANONICAL["notice_links"].typed(frame)


def link_procurements(
    tables: dict[str, pd.DataFrame], rules: NoticeRules | None = None
) -> tuple[dict[str, pd.DataFrame], dict[str, Any]]:
    """The notice tables with each process's ``procurement_id`` and ``duplicate_of`` (and
    their awards', bids' and pipelines' ``duplicate_of``), the ``notice_links`` table, and
    the ``"links"`` section of the load report."""
    rules = rules or load_notice_rules()
    notices, awards = tables["notices"], tables["awards"]
    links = find_links(tables, rules)
    counted = counted_as(notices, links, rules)
    copy_of = counted.where(counted.ne(counted.index.to_series()))
    out = dict(tables)
    out["notices"] = CANONICAL["notices"].typed(notices.assign(
        procurement_id=counted.to_numpy(), duplicate_of=copy_of.to_numpy()))  # fmt: skip
    dupes = duplicate_awards(awards, counted, tables["award_suppliers"])
    out["awards"] = CANONICAL["awards"].typed(awards.assign(duplicate_of=dupes.to_numpy()))
    for name in ("bids", "pipeline"):
        frame = tables[name]
        out[name] = CANONICAL[name].typed(frame.assign(
            duplicate_of=frame["ocid"].map(copy_of).astype(object).to_numpy()))  # fmt: skip
    out["notice_links"] = _link_table(links, notices, counted)
    repeated = awards[dupes.notna()]
    report = {
        "processes": int(len(notices)),
        "procurements": int(counted.nunique()),
        "processes_counted_elsewhere": int(copy_of.notna().sum()),
        "awards_counted_elsewhere": int(len(repeated)),
        "awards_counted_elsewhere_value_gbp": round(float(repeated["value_gbp"].sum()), 2),
        "links": out["notice_links"]
        .astype(object)
        .where(out["notice_links"].notna(), None)
        .to_dict("records"),  # fmt: skip
    }
    return out, report


def describe_links(section: dict[str, Any]) -> list[str]:
    """The ``"links"`` section of the load report in words."""
    if not section or not section.get("links"):
        return []
    lines = [
        "",
        f"One procurement counted once across platforms: {section['processes']:,} processes "
        f"are {section['procurements']:,} procurements; {section['processes_counted_elsewhere']:,}"
        f" processes and {section['awards_counted_elsewhere']:,} awards "
        f"(£{section['awards_counted_elsewhere_value_gbp']:,.2f}) are counted on another "
        f"platform. Links made ({len(section['links']):,}, all in the notice_links table):",
    ]
    for link in section["links"][:LISTED]:
        lines.append(f"  {link['ocid']} ({link['platform']}) = {link['linked_ocid']} "
                     f"({link['linked_platform']}), {link['rule']}: {link['reason']}")  # fmt: skip
    if len(section["links"]) > LISTED:
        lines.append(f"  ... and {len(section['links']) - LISTED:,} more")
    return lines
