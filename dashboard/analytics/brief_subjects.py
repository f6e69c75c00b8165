"""The subjects with a brief (:mod:`dashboard.analytics.brief`): a department (with its
agencies, arm's-length bodies and former bodies, against central government), a buyer
(against the buyers of its buyer group) and an area (a region or nation, or a combined
authority: the buyers matched to its register bodies, against non-Whitehall buyers).
Importing this module registers them."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from dashboard.analytics import buyers, departments, registers
from dashboard.analytics.brief import BriefKind, BriefSubject, money_words, register_brief_kind
from dashboard.analytics.filters import Filters
from dashboard.analytics.store import Store
from dashboard.analytics.suppliers import top_suppliers_in_view
from loaders.bodies.registers.areas import Area, in_areas
from loaders.core.text import in_words

SUPPLIER_COLUMNS = ["supplier", "sme_status", "spend_gbp"]
NAMED_FORMER = 3  # former bodies named in a brief's note (the others counted)
NO_BUYER = "(no buyer)"  # the customer filter of an area no buyer is matched in: no line


def _suppliers(table: pd.DataFrame) -> pd.DataFrame:
    return table[SUPPLIER_COLUMNS].reset_index(drop=True) if len(table) else table


def department_subject(store: Store, name: str) -> BriefSubject | None:
    """The department ``name`` names (title, spelling or GOV.UK slug), else ``None``."""
    department = departments.chosen_department(store, Filters(name=name))
    if department is None:
        return None

    def notes(filters: Filters) -> list[str]:
        former = departments.former_bodies(store, replace(filters, name=department))
        text = (f"{department} is counted as it is organised today (GOV.UK), with its "
                "agencies, arm's-length bodies and former bodies")  # fmt: skip
        if former:
            named = [body for body, _ in former[:NAMED_FORMER]]
            more = len(former) - len(named)
            text += "; in this period including " + "; ".join(named)
            text += f" and {more} other{'s' if more > 1 else ''}" if more else ""
        return [text + "."]

    return BriefSubject(
        name=department,
        lines=lambda filters: store.filtered(filters, "spend", department=department),
        compare_lines=lambda filters: departments.central_rows(store, filters),
        compare_label="central government",
        suppliers=lambda filters, n: _suppliers(
            top_suppliers_in_view(store, filters, n, department=department)
        ),
        notes=notes,
    )


def _group_words(store: Store, group: str) -> tuple[tuple[str, ...], str]:
    """The buyer groups a buyer is compared with, and their name in words."""
    vocab = store.vocab
    words = {vocab.buyer_group("central").name: "central government",
             vocab.buyer_group("non-whitehall").name: "non-Whitehall buyers"}  # fmt: skip
    if group in words:
        return (group,), words[group]
    return (), "all buyers"


def _of_buyers(store: Store, name: str, keys: tuple[str, ...], group: str,
               **extra: object) -> BriefSubject:  # fmt: skip
    """A subject made of the buyers ``keys``, compared with the buyers of ``group`` (its
    buyer group's name); ``extra``: the subject's notes and page filters."""
    groups, words = _group_words(store, group)

    def own(filters: Filters) -> Filters:
        return replace(filters, customer=keys)

    return BriefSubject(
        name=name,
        lines=lambda filters: store.filtered(own(filters), "spend"),
        compare_lines=lambda filters: store.filtered(
            replace(filters, buyer_group=groups), "spend"
        ),  # fmt: skip
        compare_label=words,
        suppliers=lambda filters, n: _suppliers(top_suppliers_in_view(store, own(filters), n)),
        **extra,
    )


def buyer_subject(store: Store, name: str) -> BriefSubject | None:
    """The buyer ``name`` names (a name, a spelling, a URN or a body key), else ``None``."""
    key = buyers.buyer_key(store, name)
    if key is None:
        return None
    facts = buyers.buyer_facts(store, key)
    return _of_buyers(store, facts["name"], (key,), facts["buyer_group"])


def _area_notes(store: Store, area: Area, keys: tuple[str, ...], lines: pd.DataFrame,
                filters: Filters) -> list[str]:  # fmt: skip
    """Which bodies an area's brief counts (``keys``: its buyers; ``lines``: theirs in the
    period), and the buyers no area holds."""
    bodies = store.register_bodies
    located = bodies[in_areas(bodies, bodies, area.kind, [area.code])]
    if area.kind == "combined_authority":
        where = f"constituent councils of {area.name} (not the combined authority's own spend)"
    else:
        where = f"{in_words(sorted(located['group'].str.lower().unique()))} in {area.name}"
    buying = lines.loc[lines["spend_gbp"].ne(0), "customer_key"].nunique()
    count, spend = registers.unplaced_buyers(store, filters)
    return [
        f"Counted: the spend of the {_plural(len(keys), 'buyer')} matched to one of the "
        f"{len(located)} register bodies that are {where}, placed as the registers place them "
        f"today; {buying} bought in this period.",
        f"{_plural(count, 'non-Whitehall buyer')} ({money_words(spend)} in this period) "
        f"matched to no register body {'is' if count == 1 else 'are'} in no area: some may be "
        f"in {area.name}.",
    ]


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def area_subject(store: Store, name: str) -> BriefSubject | None:
    """The region, nation or combined authority ``name`` names (name, code or slug:
    :func:`~dashboard.analytics.registers.find_area`): its buyers
    (:func:`~dashboard.analytics.registers.area_buyers`) against non-Whitehall buyers; else
    ``None``."""
    area = registers.find_area(store, name)
    if area is None:
        return None
    found = registers.area_buyers(store, area)
    keys = found or (NO_BUYER,)

    def notes(filters: Filters) -> list[str]:
        lines = store.filtered(replace(filters, customer=keys), "customer")
        return _area_notes(store, area, found, lines, filters)

    return _of_buyers(store, area.name, keys, store.vocab.buyer_group("non-whitehall").name,
                      notes=notes, page_filters=Filters(**{area.kind: (area.name,)}))  # fmt: skip


DEPARTMENT = register_brief_kind(BriefKind("department", "Department", "/department",
                                           department_subject))  # fmt: skip
BUYER = register_brief_kind(BriefKind("buyer", "Buyer", "/buyer", buyer_subject))
AREA = register_brief_kind(BriefKind("area", "Area", "/places", area_subject,
                                     "a region, nation or combined authority: its name, code "
                                     "or slug",
                                     "not all the spend of the public bodies in {subject}, and "
                                     "only that of buyers matched to a register body"))  # fmt: skip
