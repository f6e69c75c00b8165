"""Match customer-list bodies and spend buyers to register bodies, and say how.

Order of trust:

1. ``urn``: a buyer resolved to a customer-list URN (key ``urn:<URN>``, see
   :mod:`loaders.bodies.resolution`) takes the register body that URN was matched to;
2. a code the body's record publishes (GSS for councils, ODS for NHS trusts) when the input
   has a ``gss_code`` or ``ods_code`` column (no CCS list or spend release publishes one yet);
3. names: the body's name (then, for customer-list bodies, its former names in the list's
   merges and name changes sheets; for buyers, every spelling it was published under) has a
   key (:func:`loaders.bodies.resolution.match_key`) naming exactly one register body
   (:mod:`loaders.bodies.registers.names`: the register's name, an alternative name, or a
   name form such as ``Police and Crime Commissioner for Kent``);
4. near names: the same names through the customer-list resolver's guarded fuzzy match
   (:class:`loaders.bodies.resolution.ListIndex`: rapidfuzz score at least
   :data:`~loaders.bodies.resolution.FUZZY_THRESHOLD`, clear of every other body, and the
   words agreeing one for one, so ``Hillingdon Hospital NHS Trust`` is ``The Hillingdon
   Hospitals NHS Trust`` but ``Kent Fire and Rescue`` is not Kent County Council), for names
   that name the kind of body of a register (its ``alt_name_pattern``).

Customer-list bodies that are not public bodies (``kind``: Private Sector Enabler rows, test
records) are never matched, nor are buyers carrying their URN: a company allowed to buy is
never a council, whatever its name.

A body matching no register body is in no register: it can still buy, and counts as a buyer
in its sector, never as a register body. The ``how`` column of every match says which step
and which kind of name matched.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pandas as pd

from loaders.bodies.customer_list import PUBLIC_BODY, CustomerList
from loaders.bodies.registers.names import name_index, unique_keys
from loaders.bodies.registers.table import read_register_list
from loaders.bodies.resolution import ListIndex, build_list_index, match_key
from loaders.core.vocabulary import Vocabulary

LIST_MATCH_COLUMNS = ["urn", "name", "sector", "register", "code", "how", "matched_name"]
BODY_MATCH_COLUMNS = ["customer_key", "customer", "register", "code", "how", "matched_name"]
CODE_COLUMNS = {"gss_code": "GSS code", "ods_code": "ODS code"}


def _keyed(names: pd.Series, vocab: Vocabulary) -> pd.Series:
    keys = {n: match_key(str(n), vocab) for n in names.dropna().unique()}
    return names.map(keys).fillna("")


def _by_name(
    frame: pd.DataFrame, name_column: str, index: pd.DataFrame, vocab: Vocabulary, label: str
) -> pd.DataFrame:
    """``frame`` rows whose name has a key naming one register body, with that body."""
    keyed = frame.assign(_key=_keyed(frame[name_column], vocab))
    targets = unique_keys(index)[["key", "register", "code", "how"]]
    found = keyed.merge(targets, left_on="_key", right_on="key")
    found["how"] = f"{label} = " + found["how"]
    found["matched_name"] = found[name_column]
    return found.drop(columns=["_key", "key"])


def fuzzy_index(index: pd.DataFrame, vocab: Vocabulary) -> tuple[ListIndex, pd.DataFrame]:
    """The resolver's guarded fuzzy index over the unambiguous keys of register names (and
    of name forms, for registers marked ``fuzzy_on_forms``: the guard lets a near name drop
    optional words such as *county*, so ``Cambridge County Council`` would be near the form
    ``Cambridge Council``), and the register body (``register``, ``code``) of each id."""
    names = unique_keys(index)
    on_forms = {r.code for r in read_register_list() if r.fuzzy_on_forms}
    names = names[names["rank"].lt(2) | names["register"].isin(on_forms)]
    targets = names[["register", "code"]].drop_duplicates().reset_index(drop=True)
    ids = pd.Series(range(len(targets)), index=pd.MultiIndex.from_frame(targets))
    entries = pd.DataFrame({
        "name": names["key"], "name_key": names["key"],
        "urn": ids.loc[list(zip(names["register"], names["code"], strict=True))].to_numpy(),
    })  # fmt: skip
    as_list = CustomerList(path=Path("registers"), bodies=pd.DataFrame(), names=entries)
    return build_list_index(as_list, vocab), targets


def _in_scope(names: pd.Series) -> pd.Series:
    """Names that name the kind of body of some register (``alt_name_pattern``)."""
    patterns = [re.compile(r.alt_name_pattern, re.IGNORECASE)
                for r in read_register_list() if r.alt_name_pattern]  # fmt: skip
    return names.fillna("").astype(str).map(lambda n: any(p.search(n) for p in patterns))


def _by_fuzzy(
    frame: pd.DataFrame,
    name_column: str,
    fuzzy: Callable[[], tuple[ListIndex, pd.DataFrame]],
    vocab: Vocabulary,
    label: str,
) -> pd.DataFrame:
    """``frame`` rows whose name is near exactly one register body's name (guarded);
    ``fuzzy`` gives the index (:func:`fuzzy_index`), built only when a name is in scope."""
    candidates = frame[_in_scope(frame[name_column]).to_numpy(dtype=bool)]
    if candidates.empty:
        return pd.DataFrame()
    lookup, targets = fuzzy()
    found = {}
    for name in candidates[name_column].unique():
        best = lookup.fuzzy(match_key(str(name), vocab))
        if best is not None:
            found[name] = (best.urn, best.score)
    if not found:
        return pd.DataFrame()
    hits = candidates[candidates[name_column].isin(found)].copy()
    ids = hits[name_column].map(lambda n: found[n][0])
    hits["register"] = targets["register"].to_numpy()[ids]
    hits["code"] = targets["code"].to_numpy()[ids]
    scores = hits[name_column].map(lambda n: f"{found[n][1]:.0f}")
    hits["how"] = f"{label} ~ register name (fuzzy, score " + scores + ")"
    hits["matched_name"] = hits[name_column]
    return hits


def _by_code(frame: pd.DataFrame, bodies: pd.DataFrame) -> pd.DataFrame:
    """``frame`` rows whose published GSS or ODS code is a register body's."""
    parts = []
    for column, label in CODE_COLUMNS.items():
        if column not in frame.columns:
            continue
        coded = bodies[bodies[column].ne("")][["register", "code", column]]
        found = frame.merge(coded, on=column)
        parts.append(found.assign(how=label, matched_name=found[column]))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def _done(steps: list[pd.DataFrame], key: str) -> set:
    """The ``key`` values the steps so far have matched."""
    return {value for step in steps if not step.empty for value in step[key]}


def _single_body(found: pd.DataFrame, key: str) -> pd.DataFrame:
    """Keep the rows of ``key`` values whose matches all name one body (first match kept)."""
    if found.empty:
        return found
    bodies = found.groupby(key)[["register", "code"]].nunique().max(axis=1)
    return found[found[key].isin(bodies[bodies.eq(1)].index)].drop_duplicates(key)


def _first_match(steps: list[pd.DataFrame], key: str, columns: list[str]) -> pd.DataFrame:
    """Each ``key``'s match from the first step (strongest first) that found one."""
    found = [s for s in steps if not s.empty]
    if not found:
        return pd.DataFrame(columns=columns)
    matched = pd.concat(found, ignore_index=True).drop_duplicates(key)
    return matched[columns].sort_values(key, ignore_index=True)


def match_customer_list(
    customers: pd.DataFrame,
    former_names: pd.DataFrame,
    index: pd.DataFrame,
    vocab: Vocabulary,
    bodies: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Register body of each customer-list body that has one (:data:`LIST_MATCH_COLUMNS`).

    ``customers`` has ``urn``, ``name``, ``sector`` (a CCS list's bodies, optionally
    ``gss_code``/``ods_code``); ``former_names`` has ``urn`` and ``name`` (its merges and
    name changes); ``index`` is :func:`~loaders.bodies.registers.names.name_index`;
    ``bodies`` the register table, for matching by code."""
    steps = []
    if bodies is not None:
        steps.append(_by_code(customers, bodies))
    if "kind" in customers.columns:
        customers = customers[customers["kind"].fillna(PUBLIC_BODY).eq(PUBLIC_BODY)]
    customers = customers[[c for c in ("urn", "name", "sector", *CODE_COLUMNS)
                           if c in customers.columns]]  # fmt: skip
    steps.append(_by_name(customers, "name", index, vocab, "list name"))
    former = former_names[["urn", "name"]].merge(customers[["urn", "name", "sector"]], on="urn",
                                suffixes=("_former", ""))  # fmt: skip
    found_former = _by_name(former, "name_former", index, vocab, "former list name")
    steps.append(_single_body(found_former, "urn"))
    done = _done(steps, "urn")
    fuzzy = cache(lambda: fuzzy_index(index, vocab))
    steps.append(_by_fuzzy(customers[~customers["urn"].isin(done)], "name", fuzzy, vocab,
                           "list name"))  # fmt: skip
    return _first_match(steps, "urn", LIST_MATCH_COLUMNS)


def match_buyers(
    buyers: pd.DataFrame,
    list_matches: pd.DataFrame,
    index: pd.DataFrame,
    vocab: Vocabulary,
    spellings: pd.DataFrame | None = None,
    not_public: frozenset[int] = frozenset(),
) -> pd.DataFrame:
    """Register body of each buyer that has one (:data:`BODY_MATCH_COLUMNS`).

    ``buyers`` has ``customer_key`` and ``customer`` (its display name), one row per body;
    ``list_matches`` is :func:`match_customer_list` of the customer list the buyers were
    resolved against; ``spellings`` (``customer_key``, ``published_name``) the names the
    buyers were published under (the store's match report); ``not_public`` the URNs of
    customer-list bodies that are not public bodies (their buyers are never matched)."""
    buyers = buyers[["customer_key", "customer"]]
    keys = buyers["customer_key"].astype(str)
    urns = pd.to_numeric(keys.str.extract(r"^urn:(\d+)$")[0], errors="coerce").astype("Int64")
    public = ~urns.isin(list(not_public)).fillna(False).to_numpy(dtype=bool)
    buyers, keys, urns = buyers[public], keys[public], urns[public]
    by_urn = buyers.assign(urn=urns).merge(list_matches[["urn", "register", "code", "how"]],
                                           on="urn")  # fmt: skip
    by_urn["how"] = "urn: " + by_urn["how"]
    by_urn["matched_name"] = by_urn["customer_key"]
    steps = [by_urn, _by_name(buyers, "customer", index, vocab, "buyer name")]
    if spellings is not None and not spellings.empty:
        published = spellings[["customer_key", "published_name"]].merge(
            buyers[["customer_key", "customer"]], on="customer_key"
        )
        found = _by_name(published, "published_name", index, vocab, "published spelling")
        steps.append(_single_body(found, "customer_key"))
    done = _done(steps, "customer_key")
    fuzzy = cache(lambda: fuzzy_index(index, vocab))
    steps.append(_by_fuzzy(buyers[~buyers["customer_key"].isin(done)], "customer", fuzzy,
                           vocab, "buyer name"))  # fmt: skip
    return _first_match(steps, "customer_key", BODY_MATCH_COLUMNS)


def match_summary(matches: pd.DataFrame) -> pd.DataFrame:
    """Matches per register and way of matching (``register``, ``how``, ``matches``,
    ``register_bodies``: distinct register bodies reached)."""
    if matches.empty:
        return pd.DataFrame(columns=["register", "how", "matches", "register_bodies"])
    grouped = matches.groupby(["register", "how"])
    table = grouped.size().rename("matches").to_frame()
    table["register_bodies"] = grouped["code"].nunique()
    return table.reset_index()


def match_loaded(
    spend: pd.DataFrame,
    matches: pd.DataFrame,
    customers: pd.DataFrame,
    customer_names: pd.DataFrame,
    bodies: pd.DataFrame,
    vocab: Vocabulary,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Register matches of a load (or store): of its customer list's bodies
    (:func:`match_customer_list`) and of its buyers (:func:`match_buyers`).

    ``spend`` has ``customer_key`` and ``customer``; ``matches`` is the load's match report
    (``kind``, ``published_name``, ``body_key``); ``customers`` and ``customer_names`` are the
    customer list's bodies and names (empty without a list)."""
    index = name_index(bodies, vocab)
    former = customer_names[customer_names["how"].ne("current name")].astype({"name": object})
    listed = customers.astype({"name": object, "sector": object})
    list_matches = match_customer_list(listed, former, index, vocab, bodies)
    buyers = spend[["customer_key", "customer"]].dropna(subset=["customer_key"])
    buyers = buyers.drop_duplicates("customer_key").astype(object)
    spellings = matches[matches["kind"].eq("customer")].rename(columns={"body_key": "customer_key"})
    spellings = spellings[["customer_key", "published_name"]].dropna().astype(object)
    not_public = not_public_urns(customers)
    return list_matches, match_buyers(buyers, list_matches, index, vocab, spellings, not_public)


def not_public_urns(customers: pd.DataFrame) -> frozenset[int]:
    """The URNs of the customer-list bodies (``urn``, ``kind``) that are not public bodies
    (their buyers are never matched); none when the list gives no ``kind``."""
    if "kind" not in customers.columns:
        return frozenset()
    kinds = customers["kind"].fillna(PUBLIC_BODY)
    return frozenset(int(u) for u in customers.loc[kinds.ne(PUBLIC_BODY), "urn"])


def register_tables(
    spend: pd.DataFrame,
    matches: pd.DataFrame,
    customers: pd.DataFrame,
    customer_names: pd.DataFrame,
    vocab: Vocabulary,
) -> dict[str, pd.DataFrame]:
    """The stored tables ``register_matches`` and ``customer_register_matches`` of a load
    (:func:`match_loaded` against the shipped register table), typed by their declarations
    (:data:`loaders.bodies.registers.REGISTER_TABLES`)."""
    from loaders.bodies.registers import REGISTER_TABLES
    from loaders.bodies.registers.table import read_register_bodies

    list_matches, buyer_matches = match_loaded(
        spend, matches, customers, customer_names, read_register_bodies(), vocab
    )
    return {
        "register_matches": REGISTER_TABLES["register_matches"].typed(buyer_matches),
        "customer_register_matches": REGISTER_TABLES["customer_register_matches"].typed(
            list_matches
        ),
    }
