"""Suppliers: the largest suppliers and their buyers, concentration (top-N share,
Herfindahl–Hirschman index), SME share without the largest, suppliers active and new, and one
supplier's profile.

Shares are of each supplier's net spend (credits netted off); suppliers whose net spend is
negative or nil count as zero in concentration measures. Pure functions take spend rows or
aggregate lines; those taking a :class:`~dashboard.analytics.store.Store` read the smallest
aggregate table that answers them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.analytics.counting import (
    category_codes,
    codes_of,
    counted,
    distinct_below,
    first_positions,
    frame_of,
    period_codes,
)
from dashboard.analytics.filters import Filters
from dashboard.analytics.spend import UNKNOWN_SECTOR
from dashboard.analytics.store import Store
from loaders.bodies.counting import count_bodies, known_bodies

TOP_N = 10


def supplier_summary(spend: pd.DataFrame, limit: int | None = None) -> pd.DataFrame:
    """One row per supplier in ``spend`` (the ``limit`` largest if given): key, name and SME
    status (of its first line), spend and transactions; largest spend first, ties by name.
    Counted on the supplier codes of every line (lines of no known supplier have the last
    code and are left out), so the lines are never copied."""
    spend = counted(spend)
    codes, keys = codes_of(spend["supplier_key"])
    n = len(keys)
    present = np.flatnonzero(np.bincount(codes, minlength=n)[:-1])  # the last code: none
    net = np.bincount(codes, spend["spend_gbp"].to_numpy(), n)
    if limit is not None and len(present) > limit:  # keep the largest, and any tied with them
        floor = np.partition(net[present], len(present) - limit)[len(present) - limit]
        present = present[net[present] >= floor]
    lines = first_positions(codes, n)[present]
    count = spend["transactions"].to_numpy().astype("float64")
    names = spend["supplier"].iloc[lines].astype(object).to_numpy()
    by_name = pd.factorize(names, sort=True)[0]
    by_name[by_name < 0] = len(by_name)  # no name: last, as pandas sorts
    order = np.lexsort((by_name, -net[present]))
    table = frame_of({
        "supplier_key": keys[present][order],
        "supplier": names[order],
        "sme_status": spend["sme_status"].iloc[lines].astype(object).to_numpy()[order],
        "spend_gbp": net[present][order],
        "transactions": np.bincount(codes, count, n)[present][order].round().astype("int64"),
    })  # fmt: skip
    return table if limit is None else table.head(limit)


def top_suppliers(
    spend: pd.DataFrame,
    limit: int,
    pairs: pd.DataFrame | None = None,
    summary: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The ``limit`` suppliers with most spend: status, spend, share, buyers, transactions.

    Buyers are counted from ``spend`` when it has customers, else from ``pairs`` (rows or
    a table with both bodies, already narrowed to the same filters). ``summary`` is
    ``supplier_summary(spend, limit)`` when the caller has it already.
    """
    table = supplier_summary(spend, limit) if summary is None else summary
    source = spend if "customer_key" in spend.columns else pairs
    if source is None and not table.empty:
        raise ValueError("top_suppliers needs customers: rows, or pairs of bodies")
    keys = pd.Index(table["supplier_key"].to_numpy(), dtype=object)
    buyers = np.zeros(len(table), "int64") if source is None else buyers_per_supplier(
        source, keys).to_numpy()  # fmt: skip
    return frame_of({
        "supplier": table["supplier"].to_numpy(),
        "sme_status": table["sme_status"].to_numpy(),
        "spend_gbp": table["spend_gbp"].to_numpy(),
        "share_pct": 100 * table["spend_gbp"].to_numpy() / spend["spend_gbp"].sum(),
        "buyers": buyers,
        "transactions": table["transactions"].to_numpy(),
    })  # fmt: skip


def buyers_per_supplier(pairs: pd.DataFrame, suppliers: pd.Index) -> pd.Series:
    """Distinct buyers of each of ``suppliers`` (body keys) in ``pairs``, counted on the
    lines' category codes (lines of no known buyer or supplier left out)."""
    if suppliers.empty:
        return pd.Series(0, index=suppliers, dtype="int64")
    supplier_codes, supplier_keys = category_codes(pairs["supplier_key"])
    customer_codes, customers = category_codes(pairs["customer_key"])
    supplier_keys = pd.Index(np.asarray(supplier_keys, dtype=object))
    wanted = np.flatnonzero(supplier_keys.isin(suppliers))
    slot = np.full(len(supplier_keys) + 1, -1)  # code -1 (no supplier) reads the last: none
    slot[wanted] = np.arange(len(wanted))  # the wanted suppliers numbered 0, 1, ...
    rows = slot[supplier_codes]
    keep = (rows >= 0) & (customer_codes >= 0)
    width = len(customers)
    seen = distinct_below(rows[keep] * width + customer_codes[keep], len(wanted) * width)
    buyers = np.bincount(seen // max(width, 1), minlength=len(wanted))
    counts = pd.Series(buyers, index=supplier_keys[wanted])
    return counts.reindex(suppliers, fill_value=0).astype("int64")


def _by_period_and_supplier(spend: pd.DataFrame, period: str):
    """Net spend and rows per period (rows) and supplier (columns), and the period labels
    (rows of no known supplier left out: they are nobody's sales)."""
    spend = known_bodies(spend, "supplier_key")
    period_index, labels = period_codes(spend, period)
    codes, suppliers = category_codes(spend["supplier_key"])
    cells = period_index * len(suppliers) + codes
    size = len(labels) * len(suppliers)
    shape = (len(labels), len(suppliers))
    net = np.bincount(cells, weights=spend["spend_gbp"].to_numpy(), minlength=size)
    rows = np.bincount(cells, minlength=size)
    return net.reshape(shape), rows.reshape(shape), labels


def supplier_totals(spend: pd.DataFrame) -> pd.Series:
    """Net spend per supplier (body key), largest first, negatives as zero (rows of no known
    supplier left out)."""
    spend = known_bodies(spend, "supplier_key")
    codes, suppliers = category_codes(spend["supplier_key"])
    present = np.bincount(codes, minlength=len(suppliers)) > 0
    net = np.bincount(codes, weights=spend["spend_gbp"].to_numpy(), minlength=len(suppliers))
    totals = pd.Series(net[present], index=np.asarray(suppliers, dtype=object)[present])
    return totals.clip(lower=0).sort_values(ascending=False, kind="stable")


def _top_share(net: np.ndarray, n: int) -> float:
    """Top-``n`` share of one row of net spend per supplier (negatives as zero)."""
    positive = np.clip(net, 0, None)
    whole = positive.sum()
    if whole <= 0:
        return float("nan")
    largest = np.sort(positive)[::-1][:n] if len(positive) <= n else -np.partition(-positive, n)[:n]
    return float(100 * largest.sum() / whole)


def _hhi(net: np.ndarray) -> float:
    positive = np.clip(net, 0, None)
    whole = positive.sum()
    return float(((100 * positive / whole) ** 2).sum()) if whole > 0 else float("nan")


def top_share(spend: pd.DataFrame, n: int = 10) -> float:
    """Percentage of spend that goes to the ``n`` largest suppliers."""
    return _top_share(supplier_totals(spend).to_numpy(), n)


def hhi(spend: pd.DataFrame) -> float:
    """Herfindahl–Hirschman index of supplier shares, 0 to 10,000 (shares in percent)."""
    return _hhi(supplier_totals(spend).to_numpy())


def concentration_by_period(spend: pd.DataFrame, period: str, n: int = 10) -> pd.DataFrame:
    """Per period: suppliers with spend, top-``n`` share and HHI."""
    net, rows, labels = _by_period_and_supplier(spend, period)
    return pd.DataFrame(
        {
            "period": labels,
            "suppliers": (rows > 0).sum(axis=1).astype("int64"),
            f"top_{n}_share_pct": [_top_share(line, n) for line in net],
            "hhi": [_hhi(line) for line in net],
        },
        columns=["period", "suppliers", f"top_{n}_share_pct", "hhi"],
    )


def sme_share_without_top(spend: pd.DataFrame, period: str, n: int = 10) -> pd.DataFrame:
    """SME share of spend per period, with all suppliers and without the ``n`` largest
    (largest over the whole data in view)."""
    largest = set(supplier_totals(spend).head(n).index)
    codes, suppliers = category_codes(spend["supplier_key"])
    largest_codes = np.fromiter((s in largest for s in suppliers), bool, len(suppliers))
    kept = (codes < 0) | ~largest_codes[np.maximum(codes, 0)]  # no known supplier: kept
    period_index, labels = period_codes(spend, period)
    amount = spend["spend_gbp"].to_numpy()
    sme = (spend["sme_status"].astype(object) == "SME").to_numpy()

    def share(rows: np.ndarray) -> np.ndarray:
        total = np.bincount(period_index[rows], weights=amount[rows], minlength=len(labels))
        small = np.bincount(
            period_index[rows & sme], weights=amount[rows & sme], minlength=len(labels)
        )
        present = np.bincount(period_index[rows], minlength=len(labels)) > 0
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(present & (total != 0), 100 * small / total, np.nan)

    return pd.DataFrame(
        {
            "period": labels,
            "sme_share_pct": share(np.ones(len(codes), bool)),
            f"sme_share_without_top_{n}_pct": share(kept),
        }
    )


def suppliers_active_and_new(spend_all_time: pd.DataFrame) -> pd.DataFrame:
    """Per financial year: suppliers with spend, and those with their first spend then."""
    if spend_all_time.empty:
        return pd.DataFrame(columns=["financial_year", "suppliers", "new_suppliers"])
    _, rows, labels = _by_period_and_supplier(spend_all_time, "fy")
    seen = rows > 0
    first = seen.argmax(axis=0)
    new = np.bincount(first[seen.any(axis=0)], minlength=len(labels))
    table = pd.DataFrame(
        {"suppliers": seen.sum(axis=1).astype("int64"), "new_suppliers": new.astype("int64")},
        index=pd.Index(labels, name="financial_year"),
    )
    return table.reset_index()


def supplier_profile(spend: pd.DataFrame, supplier_key: str) -> dict[str, pd.DataFrame]:
    """One supplier: its buyers, sectors, frameworks and lots, and spend by financial year."""
    rows = counted(spend[spend["supplier_key"].astype(object) == supplier_key])
    sector = rows["sector"].astype(object).fillna(UNKNOWN_SECTOR)

    def by(labels: pd.Series | list[pd.Series], name: list[str]) -> pd.DataFrame:
        table = rows.groupby(labels, observed=True)[["spend_gbp", "transactions"]].sum()
        table.index.names = name
        return table.reset_index().sort_values("spend_gbp", ascending=False, ignore_index=True)

    return {
        "buyers": by(rows["customer"].astype(str), ["customer"]),
        "sectors": by(sector, ["sector"]),
        "lots": by(
            [rows["framework"].astype(str), rows["lot"].astype(str)], ["framework", "lot"]
        ),  # fmt: skip
        "trend": by(rows["financial_year"].astype(str), ["financial_year"]).sort_values(
            "financial_year", ignore_index=True
        ),
    }


# --- queries of the store -------------------------------------------------------------------


def suppliers_headline(store: Store, filters: Filters) -> dict[str, float | int]:
    """Top-10 share (%), HHI and number of suppliers in view."""

    def compute() -> dict[str, float | int]:
        spend = store.filtered(filters, "supplier")
        return {
            "top10_share": top_share(spend, TOP_N),
            "hhi": hhi(spend),
            "suppliers": count_bodies(spend["supplier_key"]),
        }

    return store.memoised("suppliers-headline", filters, compute)


def top_suppliers_in_view(
    store: Store, filters: Filters, limit: int, department: str | None = None
) -> pd.DataFrame:
    """The ``limit`` suppliers with most spend in view (of one department's bodies if
    given), their buyers counted from the pairs of bodies of those suppliers only."""
    by_supplier = store.filtered(filters, "supplier", department=department)
    summary = supplier_summary(by_supplier, limit)
    keys = tuple(str(key) for key in summary["supplier_key"])
    pairs = store.filtered(filters, "pair", department=department, suppliers=keys) if keys else None
    table = top_suppliers(by_supplier, limit, pairs=pairs, summary=summary)
    return labelled_by_size_now(table, summary["supplier_key"], supplier_sizes(store))


def labelled_by_size_now(table: pd.DataFrame, keys: pd.Series, sizes: pd.DataFrame) -> pd.DataFrame:
    """``table`` (one row per supplier of ``keys``) with ``sme_status`` the supplier's size
    now, saying when it changed (``Large since 2017-01 (was SME)``). Shares elsewhere stay
    computed row by row with the size each row was published with."""
    where = sizes.index.get_indexer(np.asarray(keys, dtype=object))
    latest, changed, previous = (sizes[c].to_numpy() for c in ("latest", "changed", "previous"))
    notes = [size_note(latest[i], changed[i], previous[i])
             if i >= 0 and isinstance(latest[i], str) else old
             for i, old in zip(where, table["sme_status"], strict=True)]  # fmt: skip
    shown = {c: table[c].to_numpy() for c in table.columns}
    return frame_of({**shown, "sme_status": np.asarray(notes, dtype=object)}, table.index)


def profile_in_view(store: Store, filters: Filters) -> dict[str, pd.DataFrame]:
    """The profile tables of the supplier the filters name first (the other filters apply);
    empty tables when it names no known supplier."""

    def compute() -> dict[str, pd.DataFrame]:
        wanted = filters.supplier[0] if filters.supplier else ""
        key = store.body_index.find("supplier", wanted) if wanted else None
        return supplier_profile(store.filtered(filters, "pair"), key or "")

    return store.memoised("supplier-profile", filters, compute)


def supplier_sizes(store: Store) -> pd.DataFrame:
    """Each supplier's size as it is now (index: supplier key): ``latest`` SME status (of its
    latest month with one), the month it ``changed`` to it (``NaT`` if it never changed) and
    the ``previous`` status; from the store's bodies table, built at ingest (once per
    store)."""

    def compute() -> pd.DataFrame:
        bodies = store.bodies[store.bodies["kind"] == "supplier"]
        return pd.DataFrame(
            {
                "latest": bodies["latest_sme_status"].astype(object).fillna("Unknown").to_numpy(),
                "changed": pd.to_datetime(bodies["sme_status_changed"]).to_numpy(),
                "previous": bodies["previous_sme_status"].astype(object).to_numpy(),
            },
            index=pd.Index(
                bodies["key"].astype(object).to_numpy(), dtype=object, name="supplier_key"
            ),
        )

    return store.constant("supplier-sizes", compute)


def size_note(latest: object, changed: object, previous: object) -> str:
    """``Large since 2017-01 (was SME)``, or the status alone when it never changed."""
    if changed is None or pd.isna(changed):
        return str(latest)
    return f"{latest} since {pd.Timestamp(changed):%Y-%m} (was {previous})"


def supplier_headline(store: Store, filters: Filters) -> dict[str, object]:
    """The supplier a profile is about (the first the filters name): its name, spend (£) and
    distinct buyers in view, and its size as it is now (:func:`supplier_sizes`, over all its
    months). ``key`` is ``None`` when the name matches no supplier."""

    def compute() -> dict[str, object]:
        wanted = filters.supplier[0] if filters.supplier else ""
        key = store.body_index.find("supplier", wanted) if wanted else None
        if key is None:
            return {"key": None, "name": wanted}
        names = store.body_index.display_names("supplier")
        size = supplier_sizes(store).loc[key]
        pairs = store.filtered(filters, "pair")
        return {
            "key": key,
            "name": names.get(key, wanted),
            "spend_gbp": float(store.filtered(filters, "supplier")["spend_gbp"].sum()),
            "buyers": count_bodies(pairs["customer_key"]),
            "latest": size["latest"],
            "since": None if pd.isna(size["changed"]) else pd.Timestamp(size["changed"]),
            "previous": size["previous"],
        }

    return store.memoised("supplier-headline", filters, compute)
