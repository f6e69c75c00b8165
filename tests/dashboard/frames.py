"""Hand-built canonical spend frames for query tests."""

from __future__ import annotations

import pandas as pd

from loaders.catalogue import CANONICAL

BASE = {
    "framework": "G-Cloud",
    "framework_iteration": "G-Cloud 7",
    "lot": "Cloud Support",
    "customer_urn": None,
    "customer_match": "name_key",
    "sme_source": "release",
    "sector_source": "release",
    "sector_method": "release",
    "description": None,
    "source_file": "test.csv",
    "release": "2017-12",
}
GROUPS = {
    "Central Government": "Central government",
    "Defence": "Central government",
    "Local Government": "Non-Whitehall",
    "Health": "Non-Whitehall",
    None: "Unclassified",
}


def spend_frame(rows: list[tuple]) -> pd.DataFrame:
    """Rows of (month 'YYYY-MM', customer, sector, supplier, sme_status, spend_gbp)."""
    records = []
    for number, (month, customer, sector, supplier, sme, spend) in enumerate(rows, start=2):
        when = pd.Timestamp(month + "-01")
        start = when.year if when.month >= 4 else when.year - 1
        records.append(
            {
                **BASE,
                "month": when,
                "financial_year": f"{start}-{(start + 1) % 100:02d}",
                "customer": customer,
                "customer_key": customer.lower(),
                "sector": sector,
                "buyer_group": GROUPS[sector],
                "supplier": supplier,
                "supplier_key": supplier.lower(),
                "sme_status": sme,
                "spend_gbp": float(spend),
                "source_row": number,
            }
        )
    return CANONICAL["spend"].typed(pd.DataFrame(records))


def same(left: pd.DataFrame, right: pd.DataFrame) -> None:
    """Equal tables, ignoring index, dtypes and categorical-ness (floats to 1e-6)."""
    pd.testing.assert_frame_equal(
        left.reset_index(drop=True),
        right.reset_index(drop=True),
        check_dtype=False,
        check_categorical=False,
        check_names=False,
        atol=1e-6,
    )
