"""Fill what a release lacks: customer sector and supplier SME status, always flagged.

Sector, for rows whose release gives none, in order of trust:

1. ``urn``: the row's customer URN in the customer list;
2. ``other_release``: the sector other loaded releases give the same customer (same key),
   when at least :data:`DOMINANT_SHARE` of its rows agree;
3. ``customer_list_name``: the customer was resolved to a customer-list body (key
   ``urn:<URN>``, see :mod:`loaders.bodies.resolution`), or its name key equals a current or former
   name in the customer list whose bodies all have one sector;
4. ``name_rule``: the first rule of ``data/reference/sector_name_rules.csv`` matching the name;
5. ``none``: left unknown, so the spend counts as Unclassified rather than guessed.

SME status is taken from other releases for the same supplier key, else ``Unknown``.
"""

from __future__ import annotations

import pandas as pd

from loaders.bodies.customer_list import CustomerList
from loaders.bodies.resolution import sector_by_body_key
from loaders.core.parsing import map_unique
from loaders.core.vocabulary import Vocabulary

DOMINANT_SHARE = 2 / 3
SECTOR_METHODS = ("release", "urn", "other_release", "customer_list_name", "name_rule", "none")


def dominant_value(
    keys: pd.Series,
    values: pd.Series,
    share: float = DOMINANT_SHARE,
    weights: pd.Series | None = None,
) -> pd.Series:
    """For each key, the value most of its rows carry, if at least ``share`` of them do.

    ``weights`` (aligned) are the rows each entry stands for; by default one each."""
    frame = pd.DataFrame(
        {"key": keys, "value": values, "n": 1 if weights is None else weights}
    ).dropna()
    if frame.empty:
        return pd.Series(dtype=object)
    counts = frame.groupby(["key", "value"], observed=True)["n"].sum().reset_index()
    counts["share"] = counts["n"] / counts.groupby("key", observed=True)["n"].transform("sum")
    best = counts.sort_values(["key", "n", "value"], ascending=[True, False, True])
    best = best.drop_duplicates("key")
    best = best[best["share"] >= share]
    return best.set_index("key")["value"]


def sector_from_name_rules(name: str, vocab: Vocabulary) -> str | None:
    """Sector given by the first name rule that matches ``name``, if any."""
    for pattern, sector in vocab.sector_name_rules:
        if pattern.search(name):
            return sector
    return None


def infer_sectors(
    spend: pd.DataFrame,
    vocab: Vocabulary,
    customers: CustomerList | None = None,
    weights: pd.Series | None = None,
) -> pd.DataFrame:
    """Return ``spend`` with ``sector``, ``sector_source`` and ``sector_method`` filled.

    Expects ``sector`` (null where the release gave none), ``customer``, ``customer_key`` and
    ``customer_urn``. Values the release gave are kept as they are. ``weights`` (aligned)
    are the rows each line stands for (distinct inputs with their row counts); by default
    one each.
    """
    out = spend.copy()
    method = pd.Series("release", index=out.index, dtype=object)
    method[out["sector"].isna()] = None
    sector = out["sector"].astype(object).copy()

    def fill(found: pd.Series, name: str) -> None:
        todo = sector.isna() & found.notna()
        sector[todo] = found[todo]
        method[todo] = name

    if customers is not None:
        fill(out["customer_urn"].map(customers.sector_by_urn()).astype(object), "urn")
    released = method.eq("release")
    known = dominant_value(
        out.loc[released, "customer_key"],
        out.loc[released, "sector"],
        weights=None if weights is None else weights[released],
    )
    fill(out["customer_key"].map(known).astype(object), "other_release")
    if customers is not None:
        by_key = pd.concat([customers.sector_by_name_key(), sector_by_body_key(customers)])
        fill(out["customer_key"].map(by_key).astype(object), "customer_list_name")
    fill(map_unique(out["customer"], lambda n: sector_from_name_rules(str(n), vocab)), "name_rule")
    method[method.isna()] = "none"
    out["sector"] = sector
    out["sector_method"] = method
    out["sector_source"] = method.map(
        lambda m: "release" if m == "release" else "none" if m == "none" else "inferred"
    )
    return out


def infer_sme(spend: pd.DataFrame, weights: pd.Series | None = None) -> pd.DataFrame:
    """Return ``spend`` with ``sme_status`` filled from other releases and ``sme_source`` set
    (``weights`` as :func:`infer_sectors`)."""
    out = spend.copy()
    status = out["sme_status"].astype(object).copy()
    given = status.notna()
    source = pd.Series("release", index=out.index, dtype=object)
    known = dominant_value(
        out.loc[given, "supplier_key"],
        status[given],
        share=0.5,
        weights=None if weights is None else weights[given],
    )
    found = out["supplier_key"].map(known).astype(object)
    todo = ~given & found.notna()
    status[todo] = found[todo]
    source[~given] = "none"
    source[todo] = "inferred"
    status[status.isna()] = "Unknown"
    out["sme_status"] = status
    out["sme_source"] = source
    return out


def buyer_groups(sector: pd.Series, vocab: Vocabulary) -> pd.Series:
    """Central government, Non-Whitehall or Unclassified for each sector (null: Unclassified)."""
    unclassified = vocab.buyer_group("unclassified").name
    return sector.map(vocab.buyer_groups).fillna(unclassified).astype(object)
