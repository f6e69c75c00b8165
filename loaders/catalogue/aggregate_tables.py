"""The pre-aggregated tables of a store, declared from the spend table's own fields.

Every aggregate table sums ``spend_gbp`` and counts ``transactions`` (spend rows) over one
grain: the dimensions of :data:`DIMENSIONS` and, by grain, the customer body, the supplier
body or both (:data:`GRAINS`); each grain is kept by month and, as ``<grain>_fy``, by
financial year (a line's ``month`` is then the first month it covers). ``bodies`` lists
every customer and supplier body. They are built by :mod:`loaders.aggregates` and stored
under ``aggregates/``; their catalogue names are ``aggregates.<name>``.
"""

from __future__ import annotations

from loaders.catalogue.model import Catalogue, Field, Table

DIMENSIONS: tuple[str, ...] = (
    "month",
    "financial_year",
    "framework",
    "framework_iteration",
    "lot",
    "buyer_group",
    "sector",
    "sme_status",
    "department",
)
CUSTOMER = ("customer_key", "customer")
SUPPLIER = ("supplier_key", "supplier")
GRAINS: dict[str, tuple[str, ...]] = {
    "spend": (),
    "customer": CUSTOMER,
    "supplier": SUPPLIER,
    "pair": CUSTOMER + SUPPLIER,
}
YEARLY = ("spend", "customer", "supplier", "pair")  # also kept by financial year: <grain>_fy
MEASURES = ("spend_gbp", "transactions")
FOLDER = "aggregates"
BODIES = "bodies"
PREFIX = "aggregates."

_DEPARTMENT = Field(
    "department",
    "category",
    "code",
    "UK government department of the customer body (GOV.UK title); empty when none",
)
_MEASURES = (
    Field("spend_gbp", "float64", "gbp", "Spend of the rows summed, in pounds, ex VAT"),
    Field("transactions", "int64", "count", "Spend rows summed"),
)
_BODIES = Table(
    f"{PREFIX}{BODIES}",
    f"{FOLDER}/{BODIES}.parquet",
    "One row per customer or supplier body: its display name, pounds and rows",
    (
        Field("kind", "string", "code", "customer or supplier", ("customer", "supplier")),
        Field("key", "string", "key", "The body key (customer_key or supplier_key)"),
        Field("name", "string", "text", "Its display name"),
        *_MEASURES,
        Field("latest_sme_status", "string", "code", "A supplier's SME status now"),
        Field("sme_status_changed", "datetime64[ns]", "month", "First month of that status"),
        Field("previous_sme_status", "string", "code", "The status before that change"),
    ),
)


def table_name(name: str) -> str:
    """The catalogue name of an aggregate table (``customer_fy`` -> ``aggregates.customer_fy``)."""
    return f"{PREFIX}{name}"


def _grain_table(spend: Table, grain: str, yearly: bool) -> Table:
    fields = [spend.field(d) if d != "department" else _DEPARTMENT for d in DIMENSIONS]
    fields += [
        Field(f.name, "category", f.unit, f.meaning) for f in map(spend.field, GRAINS[grain])
    ]
    name = f"{grain}_fy" if yearly else grain
    period = "financial year" if yearly else "month"
    return Table(
        table_name(name),
        f"{FOLDER}/{name}.parquet",
        f"Spend and rows per {period}, dimensions{' and body' if GRAINS[grain] else ''}",
        (*fields, *_MEASURES),
    )


def aggregate_tables(spend: Table) -> Catalogue:
    """The aggregate tables of a store whose spend table is ``spend``."""
    tables = [_grain_table(spend, grain, False) for grain in GRAINS]
    tables += [_grain_table(spend, grain, True) for grain in YEARLY]
    return Catalogue([*tables, _BODIES])
