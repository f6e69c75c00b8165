"""What each superseded version of a release changed in the version kept (the table
``version_changes``: one row per framework, month, supplier and customer whose pounds
differ)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from loaders.catalogue import CANONICAL
from loaders.core import normalise
from loaders.core.parsing import map_unique
from loaders.core.vocabulary import Vocabulary
from loaders.sources.ccs_spend.versions import ReleasePlan


def _sums(rows: pd.DataFrame, vocab: Vocabulary) -> pd.DataFrame:
    """Pounds per framework, month, supplier and customer (keys), with a published spelling."""
    keyed = rows.assign(
        framework=rows["framework"].astype(str),
        supplier_key=map_unique(rows["supplier"], lambda n: normalise.supplier_key(str(n), vocab)),
        customer_key=map_unique(rows["customer"], lambda n: normalise.customer_key(str(n), vocab)),
    )
    return keyed.groupby(["framework", "month", "supplier_key", "customer_key"]).agg(
        supplier=("supplier", "first"), customer=("customer", "first"), gbp=("spend_gbp", "sum")
    )


def version_changes(plan: ReleasePlan, parsed: pd.DataFrame, vocab: Vocabulary) -> pd.DataFrame:
    """What each superseded version changed in the version kept: one row per framework,
    month, supplier and customer whose pounds differ (``revised``), that only the kept
    version has (``added``) or that only the older one had (``removed``).

    ``parsed`` holds the rows as published (before names are resolved), with ``file``.
    """
    parts = []
    for older, newer in plan.superseded_by.items():
        before = _sums(parsed[parsed["file"] == older], vocab)
        after = _sums(parsed[parsed["file"] == newer], vocab)
        both = before.merge(
            after, how="outer", left_index=True, right_index=True, suffixes=("_old", "_new")
        )
        old, new = both["gbp_old"], both["gbp_new"]
        changed = both[(new.fillna(0) - old.fillna(0)).round(2).ne(0) | old.isna() | new.isna()]
        if changed.empty:
            continue
        frame = changed.reset_index()
        parts.append(
            pd.DataFrame(
                {
                    "release": plan.release[newer],
                    "older_file": Path(older).name,
                    "newer_file": Path(newer).name,
                    "framework": frame["framework"],
                    "month": frame["month"],
                    "supplier": frame["supplier_new"].fillna(frame["supplier_old"]),
                    "customer": frame["customer_new"].fillna(frame["customer_old"]),
                    "older_gbp": frame["gbp_old"].round(2),
                    "newer_gbp": frame["gbp_new"].round(2),
                    "change_gbp": (frame["gbp_new"].fillna(0) - frame["gbp_old"].fillna(0)).round(
                        2
                    ),
                    "change": np.where(
                        frame["gbp_old"].isna(),
                        "added",
                        np.where(frame["gbp_new"].isna(), "removed", "revised"),
                    ),
                }
            )
        )
    if not parts:
        return CANONICAL["version_changes"].empty()
    return CANONICAL["version_changes"].typed(pd.concat(parts, ignore_index=True))
