"""A buyer's published classification as the last evidence of its sector and buyer group.

Find a Tender buyers classify themselves (``UK_CA_TYPE``: central government, sub-central
government, public undertaking, private utility; ``TED_CA_TYPE`` before the Procurement
Act), and everything published on Public Contracts Scotland or Sell2Wales is a devolved
body's. These are legal threshold categories, not Whitehall membership (NHS trusts are
central-government authorities for thresholds), so they rank **below** every other way
a sector is found (the spend releases, the customer list, the name rules: see
:mod:`loaders.sources.ocds.buyers`): ``ocds_buyer_classifications.csv`` is read only for
buyers whose sector is still unknown, giving a sector where it can be told and otherwise
only a buyer group (sector method ``buyer_type``). The platform-wide rows (scheme ``*``)
apply only to bodies that are not of a UK government department. Where the sector found
otherwise puts the body in another buyer group than its classification says, the
disagreement is kept for the load report.
"""

from __future__ import annotations

import pandas as pd

from loaders.bodies.enrich import buyer_groups
from loaders.core.vocabulary import Vocabulary
from loaders.sources.ocds.notice_rules import ANY, BuyerClass, NoticeRules

BUYER_TYPE = "buyer_type"  # sector method: the buyer's published classification
KEYS = ["buyer_type_scheme", "buyer_type", "devolved_regulations", "platform", "has_department"]


def classify(
    scheme: object, code: object, devolved: object, platform: object, has_department: bool,
    rules: NoticeRules,
) -> BuyerClass | None:  # fmt: skip
    """The first row of ``ocds_buyer_classifications.csv`` applying to a buyer."""
    text = lambda value: value if isinstance(value, str) else ""  # noqa: E731
    for row in rules.buyer_classes:
        if row.scheme == ANY and has_department:
            continue
        if row.matches(text(scheme), (text(code),), text(devolved), text(platform)):
            return row
    return None


def with_buyer_types(
    notices: pd.DataFrame, rules: NoticeRules, vocab: Vocabulary
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``notices`` (object columns) with sector, sector method and buyer group filled from
    the buyer's classification where the sector is unknown, and the buyers whose
    classification disagrees with the buyer group their sector gives (``ocid``, ``customer``,
    ``buyer_type``, ``buyer_group``, ``classified_as``)."""
    frame = notices.copy()
    keys = frame.reindex(columns=KEYS[:-1]).astype(object)
    keys["has_department"] = frame["department"].notna()
    combos = keys.drop_duplicates()
    found = {tuple(row): classify(*row, rules=rules) for row in combos.itertuples(index=False)}
    chosen = pd.Series([found[tuple(row)] for row in keys.itertuples(index=False)],
                       index=frame.index, dtype=object)  # fmt: skip
    sector_of = chosen.map(lambda c: c.sector if c else None)
    group_of = chosen.map(lambda c: c.buyer_group if c else None)
    unknown = frame["sector"].isna()
    fill_sector = unknown & sector_of.notna()
    frame.loc[fill_sector, "sector"] = sector_of[fill_sector]
    groups = buyer_groups(frame["sector"].astype(object), vocab)
    fill_group = unknown & sector_of.isna() & group_of.notna()
    groups[fill_group] = group_of[fill_group]
    frame["buyer_group"] = groups
    frame.loc[fill_sector | fill_group, "sector_method"] = BUYER_TYPE
    differs = ~unknown & group_of.notna() & group_of.ne(frame["buyer_group"])
    disagreements = frame.loc[differs, ["ocid", "customer", "buyer_type", "buyer_group"]]
    return frame, disagreements.assign(classified_as=group_of[differs])
