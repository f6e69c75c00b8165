"""Measure sector inference honestly: hide the sector a release gives, infer it, compare.

``python -m loaders check-sectors RELEASE --customers LIST`` prints, per inference method,
the share of spend it covers and how much of that it gets right (exact sector and buyer
group). A wrong sector is worse than ``Unclassified``, so precision matters more than cover.
"""

from __future__ import annotations

import pandas as pd

from loaders.bodies.customer_list import CustomerList
from loaders.bodies.enrich import buyer_groups, infer_sectors
from loaders.core.vocabulary import Vocabulary


def evaluate_sector_inference(
    spend: pd.DataFrame, vocab: Vocabulary, customers: CustomerList | None = None
) -> pd.DataFrame:
    """Per method: rows, share of spend, and spend-weighted accuracy against the release.

    Only rows whose sector came from the release are used. Sectors from other releases are
    not available in this test (there is one release), as when a release lacks the column.
    """
    truth = spend[spend["sector_source"].astype(object).eq("release")].copy()
    hidden = truth.assign(sector=None, customer_urn=pd.array([pd.NA] * len(truth), "Int64"))
    guessed = infer_sectors(hidden, vocab, customers)
    frame = pd.DataFrame(
        {
            "method": guessed["sector_method"].astype(object),
            "spend_gbp": truth["spend_gbp"],
            "sector_right": guessed["sector"].astype(object).eq(truth["sector"].astype(object)),
            "group_right": buyer_groups(guessed["sector"], vocab).eq(
                truth["buyer_group"].astype(object)
            ),
        }
    )
    total = frame["spend_gbp"].sum()
    rows = []
    for method, group in frame.groupby("method", sort=False):
        spend_gbp = group["spend_gbp"].sum()
        rows.append(
            {
                "method": method,
                "rows": len(group),
                "spend_share_pct": 100 * spend_gbp / total,
                "sector_correct_pct": 100
                * group.loc[group["sector_right"], "spend_gbp"].sum()
                / spend_gbp
                if method != "none"
                else float("nan"),
                "buyer_group_correct_pct": 100
                * group.loc[group["group_right"], "spend_gbp"].sum()
                / spend_gbp
                if method != "none"
                else float("nan"),
            }
        )
    return pd.DataFrame(rows).sort_values("spend_share_pct", ascending=False, ignore_index=True)
