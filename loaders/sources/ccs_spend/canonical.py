"""The rows' bodies, sectors and SME status, worked out once per distinct published input.

Resolving a customer depends on its published name, URN and sector; inferring its sector
on those and on how many rows of the other releases give its body a sector; a supplier
depends on its published name and SME status and on the row counts of the others
(:mod:`loaders.bodies.resolution`, :mod:`loaders.bodies.enrich`). So the rows are reduced to
their distinct inputs with the rows each stands for (:func:`row_inputs`), resolved with
those counts as weights (:func:`resolve_inputs`: exactly what resolving every row gives),
and the answers taken back to the rows (:func:`on_rows`).

The distinct inputs of every row read (superseded rows too) and their answers are stored
(``spend_customer_inputs``, ``spend_supplier_inputs``): appending a release resolves them
again with the new rows' inputs and compares (:mod:`loaders.update.append`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from pandas.api.extensions import ExtensionArray

from loaders.bodies.customer_list import CustomerList
from loaders.bodies.enrich import buyer_groups, infer_sectors, infer_sme
from loaders.bodies.resolution import resolve_customers, resolve_suppliers
from loaders.catalogue import Catalogue, read_declarations
from loaders.core.vocabulary import Vocabulary

INPUT_TABLES: Catalogue = read_declarations(Path(__file__).resolve().parent)
CUSTOMER_INPUTS = ("customer", "customer_urn", "sector")
SUPPLIER_INPUTS = ("supplier", "sme_status")
RESOLVER = ("published_name", "body_key", "body_name", "method", "score", "urn")
RESOLVER += ("published_urn", "urn_note", "runner_up", "runner_up_score")


@dataclass(frozen=True)
class Inputs:
    """Distinct customer inputs and supplier inputs, each with ``rows`` (rows it stands for)."""

    customers: pd.DataFrame
    suppliers: pd.DataFrame


@dataclass(frozen=True)
class Codes:
    """Each row's line in :class:`Inputs` (customers, suppliers)."""

    customers: np.ndarray
    suppliers: np.ndarray


def _value_codes(column: pd.Series) -> tuple[np.ndarray, int]:
    """Each row's value as a code, equal values equal codes, missing values one code (0)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes, count = column.cat.codes.to_numpy(), len(column.cat.categories)
    else:
        codes, uniques = pd.factorize(column, use_na_sentinel=True)
        count = len(uniques)
    return codes.astype("int64") + 1, count + 1


def _distinct(rows: pd.DataFrame, columns: tuple[str, ...]) -> tuple[pd.DataFrame, np.ndarray]:
    """The distinct combinations of ``columns`` in the order rows first hold them (as
    objects), and each row's line; found on codes, so no column is copied as objects."""
    key = np.zeros(len(rows), dtype="int64")
    for column in columns:  # numbered afresh at each step: the key never overflows
        codes, count = _value_codes(rows[column])
        key = pd.factorize(key * count + codes)[0].astype("int64")
    first = np.unique(key, return_index=True)[1]  # lines in order of first appearance
    distinct = rows[list(columns)].iloc[first].astype(object).reset_index(drop=True)
    distinct["rows"] = np.bincount(key, minlength=len(first)).astype("int64")
    return distinct, key


def row_inputs(rows: pd.DataFrame) -> tuple[Inputs, Codes]:
    """The distinct inputs of ``rows`` (parsed spend rows: :data:`CUSTOMER_INPUTS`,
    :data:`SUPPLIER_INPUTS`) with their row counts, and each row's line."""
    customers, customer_codes = _distinct(rows, CUSTOMER_INPUTS)
    suppliers, supplier_codes = _distinct(rows, SUPPLIER_INPUTS)
    return Inputs(customers, suppliers), Codes(customer_codes, supplier_codes)


def stack_inputs(first: Inputs, second: Inputs) -> Inputs:
    """The inputs of two sets of rows together (counts of inputs in both added)."""

    def stacked(a: pd.DataFrame, b: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
        both = pd.concat([a[[*columns, "rows"]], b[[*columns, "rows"]]], ignore_index=True)
        both = both.astype({c: object for c in columns})
        summed = both.groupby(list(columns), dropna=False, sort=False)["rows"].sum()
        return summed.reset_index().astype({"rows": "int64"})

    return Inputs(
        stacked(first.customers, second.customers, CUSTOMER_INPUTS),
        stacked(first.suppliers, second.suppliers, SUPPLIER_INPUTS),
    )


def resolve_inputs(
    inputs: Inputs,
    vocab: Vocabulary,
    customers: CustomerList | None,
    aliases: tuple[Path | None, Path | None],
) -> Inputs:
    """``inputs`` with their answers: the resolver's columns (:data:`RESOLVER`), and
    ``customer_urn_kept`` (the URN unless not trusted), ``sector_found``, ``sector_method``,
    ``sector_source`` and ``buyer_group`` for customers, ``sme_found`` and ``sme_source``
    for suppliers. Raises what the resolver raises for unreadable alias files."""
    cust = inputs.customers.reset_index(drop=True)
    weights = cust["rows"]
    bodies = resolve_customers(cust["customer"], cust["customer_urn"], vocab, customers,
                               aliases[0], sectors=cust["sector"], weights=weights)  # fmt: skip
    facts = pd.DataFrame(
        {
            "sector": cust["sector"],
            "customer": bodies["body_name"],
            "customer_key": bodies["body_key"],
            "customer_urn": cust["customer_urn"].mask(bodies["urn_note"].notna()),
        }
    )
    facts = infer_sectors(facts, vocab, customers, weights=weights)
    customer_out = pd.concat([cust, bodies[list(RESOLVER)]], axis=1).assign(
        customer_urn_kept=facts["customer_urn"],
        sector_found=facts["sector"],
        sector_method=facts["sector_method"],
        sector_source=facts["sector_source"],
        buyer_group=buyer_groups(facts["sector"], vocab),
    )
    supp = inputs.suppliers.reset_index(drop=True)
    found = resolve_suppliers(supp["supplier"], vocab, aliases[1], weights=supp["rows"])
    sme = infer_sme(
        pd.DataFrame({"sme_status": supp["sme_status"], "supplier_key": found["body_key"]}),
        weights=supp["rows"],
    )
    supplier_out = pd.concat([supp, found[list(RESOLVER)]], axis=1).assign(
        sme_found=sme["sme_status"], sme_source=sme["sme_source"]
    )
    return Inputs(customer_out, supplier_out)


def on_rows(
    resolved: Inputs, codes: Codes, whose: str, answer: str, categorical: bool = False
) -> ExtensionArray:
    """One answer (a column of :func:`resolve_inputs`) of the customer or supplier
    (``whose``) of each row, in row order. ``categorical``: as categories sorted by value,
    each row holding a code, not a copy of its text."""
    values = getattr(resolved, whose + "s")[answer]
    lines = getattr(codes, whose + "s")
    if categorical and not isinstance(values.dtype, pd.CategoricalDtype):
        values = values.astype(object).astype("category")  # as the catalogue's cast infers
    return values.take(lines).array


def input_tables(resolved: Inputs) -> dict[str, pd.DataFrame]:
    """The stored tables of the inputs and their answers (:data:`INPUT_TABLES`)."""
    return {
        "spend_customer_inputs": INPUT_TABLES["spend_customer_inputs"].typed(resolved.customers),
        "spend_supplier_inputs": INPUT_TABLES["spend_supplier_inputs"].typed(resolved.suppliers),
    }
