"""Who counts as a buyer or a supplier: one definition for every count the product shows.

A **buyer** is a customer *body*: a distinct known ``customer_key`` among the lines counted
(spend rows, aggregate lines, notices, awards). Lines published under no name, or under a
name that names no body (``Unknown``, ``Various customers``: shown as ``(not stated)``), have
no body key: their pounds count in every total and share, but they are nobody's purchases,
never a buyer. A **supplier** is the same over ``supplier_key``. Every count of buyers,
suppliers, new buyers and advertisers, in the load report, ``update``'s changes and every
page of the app, goes through these functions (a test checks that they agree).

Counts on categorical columns use the category codes (no value is hashed again), so they
stay cheap on aggregate tables of millions of lines.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

BUYER_KEY = "customer_key"
SUPPLIER_KEY = "supplier_key"


def known_bodies(frame: pd.DataFrame, column: str = BUYER_KEY) -> pd.DataFrame:
    """The lines of ``frame`` whose body (``column``: a body-key column) is known; ``frame``
    itself when all are."""
    known = frame[column].notna().to_numpy()
    return frame if known.all() else frame[known]


def body_keys(frame: pd.DataFrame, column: str = BUYER_KEY) -> frozenset[str]:
    """The distinct known body keys of ``frame[column]``, as text."""
    values = frame[column]
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy()
        used = np.unique(codes[codes >= 0])
        return frozenset(str(v) for v in values.cat.categories[used])
    return frozenset(str(v) for v in values.dropna().unique())


def count_bodies(keys: pd.Series) -> int:
    """How many distinct known bodies a column of body keys holds (nulls are no body)."""
    if isinstance(keys.dtype, pd.CategoricalDtype):
        codes = keys.cat.codes.to_numpy()
        seen = np.zeros(len(keys.cat.categories), bool)
        seen[codes[codes >= 0]] = True
        return int(seen.sum())
    return int(keys.nunique(dropna=True))


def buyer_keys(frame: pd.DataFrame) -> frozenset[str]:
    """The buyers of ``frame``: its distinct known customer body keys."""
    return body_keys(frame, BUYER_KEY)


def supplier_keys(frame: pd.DataFrame) -> frozenset[str]:
    """The suppliers of ``frame``: its distinct known supplier body keys."""
    return body_keys(frame, SUPPLIER_KEY)


def count_buyers(frame: pd.DataFrame) -> int:
    """How many buyers (distinct known customer bodies) ``frame`` has."""
    return count_bodies(frame[BUYER_KEY])


def count_suppliers(frame: pd.DataFrame) -> int:
    """How many suppliers (distinct known supplier bodies) ``frame`` has."""
    return count_bodies(frame[SUPPLIER_KEY])
