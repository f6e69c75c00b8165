"""Bid statistics of a process, lot by lot: how many bid, and how many of them were SMEs.

``bids.statistics[]`` holds ``{measure, value, relatedLot}``. Procurement Act contract award
notices give, per lot, ``bids``, ``finalStageBids``, ``smeFinalStageBids`` and
``vcseFinalStageBids`` (the UK extension's codes: an SME has fewer than 250 staff and a
turnover under £44m or a balance sheet under £38m); 2015-regulations notices give ``bids``
and ``smeBids`` (of all bids, not the final stage): the two are kept in separate columns and
never added together. A supplier bidding for several lots counts once per lot. Statistics
without a lot are of the whole process (``lot_id`` null).
"""

from __future__ import annotations

import math
from typing import Any

MEASURES = {  # OCDS measure -> column of the bids table
    "bids": "bids",
    "finalStageBids": "final_stage_bids",
    "smeFinalStageBids": "sme_final_stage_bids",
    "vcseFinalStageBids": "vcse_final_stage_bids",
    "smeBids": "sme_bids",
}


def _count(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return int(value) if math.isfinite(value) and value >= 0 and value == int(value) else None


def bid_rows(compiled: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per lot with statistics of the measures of :data:`MEASURES` (counts of bids;
    other measures, such as bid values, are left out)."""
    bids = compiled.get("bids")
    statistics = bids.get("statistics") if isinstance(bids, dict) else None
    lots: dict[str | None, dict[str, Any]] = {}
    for item in statistics if isinstance(statistics, list) else []:
        if not isinstance(item, dict) or item.get("measure") not in MEASURES:
            continue
        count = _count(item.get("value"))
        if count is None:
            continue
        lot = item.get("relatedLot")
        lot = str(lot) if isinstance(lot, (str, int)) and str(lot).strip() else None
        row = lots.setdefault(lot, {"ocid": compiled.get("ocid"), "lot_id": lot})
        row[MEASURES[item["measure"]]] = count
    return list(lots.values())
