"""The subjects with a brief (:mod:`dashboard.analytics.brief`): a department (with its
agencies, arm's-length bodies and former bodies, against central government) and a buyer
(against the buyers of its buyer group). Importing this module registers them; areas can
register the same way."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from dashboard.analytics import buyers, departments
from dashboard.analytics.brief import BriefKind, BriefSubject, register_brief_kind
from dashboard.analytics.filters import Filters
from dashboard.analytics.store import Store
from dashboard.analytics.suppliers import top_suppliers_in_view

SUPPLIER_COLUMNS = ["supplier", "sme_status", "spend_gbp"]
NAMED_FORMER = 3  # former bodies named in a brief's note (the others counted)


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


def buyer_subject(store: Store, name: str) -> BriefSubject | None:
    """The buyer ``name`` names (a name, a spelling, a URN or a body key), else ``None``."""
    key = buyers.buyer_key(store, name)
    if key is None:
        return None
    facts = buyers.buyer_facts(store, key)
    groups, words = _group_words(store, facts["buyer_group"])

    def own(filters: Filters) -> Filters:
        return replace(filters, customer=(key,))

    return BriefSubject(
        name=facts["name"],
        lines=lambda filters: store.filtered(own(filters), "spend"),
        compare_lines=lambda filters: store.filtered(
            replace(filters, buyer_group=groups), "spend"
        ),  # fmt: skip
        compare_label=words,
        suppliers=lambda filters, n: _suppliers(top_suppliers_in_view(store, own(filters), n)),
    )


DEPARTMENT = register_brief_kind(BriefKind("department", "Department", "/department",
                                           department_subject))  # fmt: skip
BUYER = register_brief_kind(BriefKind("buyer", "Buyer", "/buyer", buyer_subject))
