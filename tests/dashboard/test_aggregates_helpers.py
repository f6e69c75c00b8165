"""Comparison helper shared by the aggregate tests."""

from __future__ import annotations

import pandas as pd


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
