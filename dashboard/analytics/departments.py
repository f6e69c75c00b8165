"""Departments: a department with its agencies and arm's-length bodies (and former bodies
whose work it took over), against the rest of government.

Which body belongs to which department is ``data/reference/departments.csv``, applied at
ingest (the aggregate tables carry a ``department`` column); see :mod:`loaders.bodies.departments`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from dashboard.analytics.counting import month_numbers_of, period_codes
from dashboard.analytics.filters import Filters, spend_filters
from dashboard.analytics.selection import one_of
from dashboard.analytics.spend import headline as spend_headline
from dashboard.analytics.store import Store
from loaders.bodies import departments
from loaders.bodies.counting import count_bodies
from loaders.bodies.departments import NO_DEPARTMENT
from loaders.bodies.resolution import match_key
from loaders.bodies.resolution.keys import agrees_allowing_typos
from loaders.core import normalise, periods


def department_table(store: Store) -> pd.DataFrame:
    """The body -> department reference table (read once per store)."""
    return store.constant("departments-table", departments.read_departments)


def chosen_department(store: Store, filters: Filters) -> str | None:
    """The department the ``name`` parameter names (title, spelling or GOV.UK slug), if any."""
    if not filters.name:
        return None
    wanted = Filters(name=filters.name)
    return store.memoised(
        "department-named",
        wanted,
        lambda: departments.find_department(filters.name, department_table(store), store.vocab),
    )


def named_department(store: Store, filters: Filters) -> Filters:
    """``filters`` with ``name`` the title of the department it names (``home-office`` ->
    ``Home Office``), unchanged when it names none."""
    name = chosen_department(store, filters)
    return replace(filters, name=name) if name and name != filters.name else filters


def department_rows(
    store: Store, filters: Filters, grain: str = "spend", months: bool = False
) -> pd.DataFrame:
    """Lines of the ``grain`` table of the chosen department and its bodies, filtered
    (``months``: from a monthly table); none when no department is chosen."""
    name = chosen_department(store, filters)
    if not name:
        return store.table(grain).iloc[0:0]
    return store.filtered(filters, grain, department=name, months=months)


def central_rows(store: Store, filters: Filters, months: bool = False) -> pd.DataFrame:
    """Central government's lines in view (none when the filters leave it out; ``months``:
    from the monthly table)."""
    central = store.vocab.buyer_group("central").name
    if filters.buyer_group and central not in filters.buyer_group:
        return store.table("spend").iloc[0:0]
    return store.filtered(replace(filters, buyer_group=(central,)), "spend", months=months)


def ranking(store: Store, filters: Filters) -> pd.DataFrame:
    """Every department's spend (£) and transactions in view, largest first, with its rank
    (memoised per set of line filters: the page's subject and peers do not change it).
    Do not change what is returned."""
    return store.memoised("department-ranking", spend_filters(filters),
                          lambda: department_ranking(store.filtered(filters, "spend")))  # fmt: skip


def department_ranking(spend: pd.DataFrame) -> pd.DataFrame:
    """Per department of ``spend`` lines (those of no department left out): rank, spend (£)
    and transactions, largest spend first (ties in the order of the departments' names)."""
    spend = spend[~one_of(spend["department"], frozenset([NO_DEPARTMENT]))]
    names = spend["department"]
    if isinstance(names.dtype, pd.CategoricalDtype):  # grouped on codes, not on strings
        names = names.cat.remove_unused_categories()
        names = names.cat.reorder_categories(sorted(names.cat.categories, key=str))
    by_department = spend.groupby(names, observed=True, sort=True)[["spend_gbp", "transactions"]]
    by_department = by_department.sum().sort_values("spend_gbp", ascending=False)
    table = by_department.reset_index()
    table.columns = ["department", "spend_gbp", "transactions"]
    table["department"] = table["department"].astype(object)
    table.insert(0, "rank", range(1, len(table) + 1))
    return table


def former_bodies(store: Store, filters: Filters) -> list[tuple[str, str]]:
    """The bodies of the chosen department with spend in view that have since closed or been
    renamed (``status`` closed in ``departments.csv``), each with its note (``Closed 2016;
    ...``): the department is shown as it is organised today, so a page of 2012 spend says
    whose spend it counts under today's name."""
    name = chosen_department(store, filters)
    if not name:
        return []
    table = department_table(store)
    closed = table[(table["department"] == name) & (table["status"] == "closed")]
    if closed.empty:
        return []
    rows = department_rows(store, filters, "customer")
    names = rows["customer"].astype(object).dropna().unique()
    keys = {normalise.customer_key(str(n), store.vocab) for n in names}
    keys |= set(rows["customer_key"].astype(object).dropna().astype(str))
    found = closed[closed["key"].isin(keys)]
    return [(str(b), str(n)) for b, n in zip(found["body"], found["note"], strict=True)]


def department_headline(store: Store, filters: Filters) -> dict[str, float | int | None]:
    """Total spend (£), SME share by value (%) against the central government average,
    bodies with spend, and rank among departments with spend."""

    def compute() -> dict[str, float | int | None]:
        rows = department_rows(store, filters)
        table = ranking(store, filters)
        position = table.loc[table["department"] == chosen_department(store, filters), "rank"]
        return {
            "total": float(rows["spend_gbp"].sum()),
            "sme_share_value": spend_headline(rows)["sme_share_value"],
            "government_sme_share_value": spend_headline(central_rows(store, filters))[
                "sme_share_value"
            ],
            "bodies": count_bodies(department_rows(store, filters, "customer")["customer_key"]),
            "rank": int(position.iloc[0]) if len(position) else None,
            "departments": int(len(table)),
        }

    return store.memoised("department-headline", filters, compute)


def suggest_departments(store: Store, text: str, limit: int = 5) -> list[str]:
    """The departments closest to a name that matched none (rapidfuzz over their titles and
    slugs, words agreeing with typos allowed), best first."""
    table = department_table(store)
    titles = sorted(set(table.loc[table["body_type"].isin(departments.DEPARTMENT_TYPES),
                                  "department"]))  # fmt: skip
    wanted = match_key(text.replace("-", " "), store.vocab)
    keys = [match_key(title, store.vocab) for title in titles]
    found = process.extract(wanted, keys, scorer=fuzz.WRatio, score_cutoff=60, limit=limit * 4)
    chosen = [titles[i] for key, _, i in found if agrees_allowing_typos(wanted, key)]
    return list(dict.fromkeys(chosen))[:limit]


COMPARE_COLUMNS = ["period", "department", "spend_gbp", "share_of_central_pct",
                   "sme_share_value_pct", "non_whitehall_facing_pct"]  # fmt: skip


def compared_departments(store: Store, filters: Filters) -> list[str]:
    """The chosen department, then the peers of ``compare`` (each once, the chosen one
    left out of the peers)."""
    chosen = chosen_department(store, filters)
    table = department_table(store)
    peers = [departments.find_department(name, table, store.vocab) for name in filters.compare]
    return list(dict.fromkeys(d for d in [chosen, *peers] if d))


def comparison(store: Store, filters: Filters) -> pd.DataFrame:
    """Per period (as the charts are drawn) and department (the chosen one and its peers):
    spend (£), its share of all central government spend (%), its SME share by value (%) and
    the share of its invoiced spend (credits left out, so the share stays within 0-100)
    with suppliers that also sold to non-Whitehall buyers in the same period (%: how far its
    suppliers face the wider public sector)."""
    chosen = compared_departments(store, filters)
    months = filters.by_months
    central = spend_by_period_of(central_rows(store, filters, months), filters.shown_by)
    # which suppliers sold to a non-Whitehall buyer in a period, from the supplier table: its
    # lines carry their customers' buyer group, so a supplier has a non-Whitehall line in a
    # period exactly when it has a non-Whitehall pair line then (the pair table, a line per
    # customer too, is several times larger). A department's own shares stay on pair lines:
    # the invoiced share clips credits line by line, and a pair line is one customer's.
    by_supplier = store.filtered(without_department(filters), "supplier", months=months)
    facing = _facing_suppliers(by_supplier, filters.shown_by, store.vocab)
    rows = []
    for name in chosen:
        lines = store.filtered(filters, "pair", department=name, months=months)
        rows.append(_department_by_period(lines, name, filters.shown_by, central, facing))
    if not rows:
        return pd.DataFrame(columns=COMPARE_COLUMNS)
    return pd.concat(rows, ignore_index=True)[COMPARE_COLUMNS]


def without_department(filters: Filters) -> Filters:
    """The filters with no page subject (every department's lines)."""
    return replace(filters, name=None, compare=())


def spend_by_period_of(lines: pd.DataFrame, period: str) -> pd.Series:
    """Spend (£) per period label of some lines."""
    codes, labels = period_codes(lines, period)  # on codes: no label per line
    sums = np.bincount(codes, weights=lines["spend_gbp"].to_numpy(), minlength=len(labels))
    return pd.Series(sums, index=pd.Index(labels, dtype=object), name="spend_gbp")


@dataclass(frozen=True)
class Facing:
    """(period, supplier) cells of suppliers that sold to a non-Whitehall buyer in a period:
    sorted integers ``period number * (suppliers + 1) + supplier code`` over the categories
    ``suppliers`` (code ``len(suppliers)`` for lines of no supplier key)."""

    cells: np.ndarray
    suppliers: pd.Index


def _supplier_codes(lines: pd.DataFrame, suppliers: pd.Index | None = None) -> np.ndarray:
    """Codes of the lines' supplier keys among ``suppliers`` (their own categories if none),
    ``len(suppliers)`` for a line with no key."""
    keys = lines["supplier_key"]
    if not isinstance(keys.dtype, pd.CategoricalDtype):
        keys = keys.astype(object).astype("category")
    if suppliers is not None and not keys.cat.categories.equals(suppliers):
        keys = keys.cat.set_categories(suppliers)
    codes = keys.cat.codes.to_numpy().astype("int64")
    size = len(keys.cat.categories)
    return np.where(codes < 0, size, codes)


def _cells(lines: pd.DataFrame, period: str, suppliers: pd.Index) -> np.ndarray:
    numbers = periods.period_numbers(month_numbers_of(lines), period)
    return numbers * (len(suppliers) + 1) + _supplier_codes(lines, suppliers)


def _facing_suppliers(lines: pd.DataFrame, period: str, vocab) -> Facing:
    """The (period, supplier) cells of suppliers that sold to a non-Whitehall buyer that
    period (integers, not strings: one pass over the supplier or pair lines in view)."""
    non_whitehall = vocab.buyer_group("non-whitehall").name
    selling = lines[one_of(lines["buyer_group"], frozenset([non_whitehall]))]
    keys = lines["supplier_key"]
    if isinstance(keys.dtype, pd.CategoricalDtype):
        suppliers = keys.cat.categories
    else:
        suppliers = pd.Index(sorted(keys.dropna().astype(str).unique()))
    return Facing(np.unique(_cells(selling, period, suppliers)), suppliers)


def _department_by_period(
    lines: pd.DataFrame, name: str, period: str, central: pd.Series, facing: Facing
) -> pd.DataFrame:
    codes, labels = period_codes(lines, period)  # summed on codes: one count a measure
    money = lines["spend_gbp"].to_numpy()
    sme = one_of(lines["sme_status"], frozenset(["SME"]))
    faces = np.isin(_cells(lines, period, facing.suppliers), facing.cells)
    invoiced = money.clip(min=0)

    def summed(values: np.ndarray) -> np.ndarray:
        return np.bincount(codes, weights=values, minlength=len(labels))

    table = pd.DataFrame({"period": pd.Series(labels, dtype=object), "spend": summed(money),
                          "sme": summed(money * sme), "invoiced": summed(invoiced),
                          "facing": summed(invoiced * faces)})  # fmt: skip
    spend_ = table["spend"].where(table["spend"].ne(0))
    invoiced_ = table["invoiced"].where(table["invoiced"].ne(0))
    return pd.DataFrame({
        "period": table["period"], "department": name, "spend_gbp": table["spend"],
        "share_of_central_pct": 100 * table["spend"] / table["period"].map(central),
        "sme_share_value_pct": 100 * table["sme"] / spend_,
        "non_whitehall_facing_pct": 100 * table["facing"] / invoiced_,
    })  # fmt: skip


def ranking_marked(store: Store, filters: Filters) -> pd.DataFrame:
    """:func:`ranking` with a ``department_is`` column: "This department" on the chosen
    department's row, "Compared" on its peers' (words, not colour alone)."""
    table = ranking(store, filters).copy()
    chosen = compared_departments(store, filters)
    marks = {name: "Compared" for name in chosen[1:]}
    if chosen:
        marks[chosen[0]] = "This department"
    table.insert(1, "department_is", [marks.get(d, "") for d in table["department"]])
    return table
