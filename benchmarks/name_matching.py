"""Name matching measured on a labelled set: ``python -m benchmarks.name_matching``.

``benchmarks/name_pairs.csv`` holds names as people wrote them in public data, each labelled
by hand with the body it names in the CCS customer URN list of September 2016 (or with the
body it must never be taken for), by kind of variation:

* buyers (``side`` = buyer): ``expected`` is ``urn:N`` (``|`` between URNs of one body the
  list holds twice), ``none`` (must resolve to no URN: the body is not in the list, or is
  hidden from it) or ``not:urn:N`` (must never resolve to that body); ``sector`` is the
  sector a release gives the name; ``hide`` takes bodies out of the list first (``urn:N``)
  or the list's ``Name Changes`` and ``Merges`` sheets (``history``: the name is an old
  value there, so the sheets would give the answer away);
* suppliers (``side`` = supplier): ``expected`` is ``same:NAME`` or ``apart:NAME``: resolved
  together with that other published name, the two must be one supplier, or two.

``source`` says where each name was published: ``dos`` (the Digital Marketplace's DOS
opportunities of July 2018, Organisation Name / Winning supplier), ``cf`` (Contracts Finder
notices of January 2025), ``gc14`` (the G-Cloud release of July 2014), ``cl18`` (the CCS
customer list of November 2018), ``urn16:Name Changes`` / ``urn16:Merges`` (old values in
the 2016 list's sheets), ``oreg`` (names from government lists that GDS mapped to GOV.UK
organisations: openregister/government-organisation-data ``maps/name.tsv``), ``govuk`` (a
former or later name of a body the GOV.UK register records as renamed), ``register`` (a
register name, with its own body hidden). Every name is public data under the Open
Government Licence; only the labels are ours.

It prints, per side and kind, how many pairs were matched, missed and wrongly merged; every
miss and wrong merge; and, on the real July 2014 release with the 2016 list, the share of
spend resolved to a URN and every name resolved other than exactly (method, spend, body).
Needs ``../shared/real-data`` (without it, it says so and stops).
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

import pandas as pd

from benchmarks.customer_matching import RELEASE, URN_LIST, published_names
from loaders.bodies.customer_list import CustomerList, read_customer_list
from loaders.bodies.resolution import resolve_customers, resolve_suppliers
from loaders.core.vocabulary import Vocabulary, load_vocabulary
from loaders.sources.ccs_spend.extract import extract_file

PAIRS = Path(__file__).resolve().parent / "name_pairs.csv"
EXACT = ("urn", "urn_name", "exact_list", "override")
OUTCOMES = ("matched", "missed", "wrongly merged")


def read_pairs(path: Path = PAIRS) -> pd.DataFrame:
    """The labelled set (see the module docstring), blanks as empty strings."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _urns(spec: str) -> set[int]:
    return {int(p[4:]) for p in spec.split("|") if p.startswith("urn:")}


def without(customers: CustomerList, hide: str) -> CustomerList:
    """The customer list without the bodies of ``hide`` (``urn:N|...``), or without its
    history sheets (``history``)."""
    if not hide:
        return customers
    names = customers.names
    if hide == "history":
        kept = names["how"].isin(["current name", "Inactive"])
        return replace(customers, names=names[kept].reset_index(drop=True))
    gone = _urns(hide)
    bodies = customers.bodies[~customers.bodies["urn"].isin(gone)].reset_index(drop=True)
    names = names[~names["urn"].isin(gone)].reset_index(drop=True)
    return replace(customers, bodies=bodies, names=names)


def buyer_outcome(expected: str, urn: object) -> str:
    """``matched``, ``missed`` or ``wrongly merged`` for a resolved URN (or null)."""
    found = None if pd.isna(urn) else int(urn)
    if expected == "none":
        return "matched" if found is None else "wrongly merged"
    if expected.startswith("not:"):
        return "wrongly merged" if found in _urns(expected[4:]) else "matched"
    if found is None:
        return "missed"
    return "matched" if found in _urns(expected) else "wrongly merged"


def resolve_buyers(pairs: pd.DataFrame, customers: CustomerList, vocab: Vocabulary) -> pd.DataFrame:
    """The buyer pairs with the resolver's ``method``, ``urn``, ``body`` and ``outcome``."""
    parts = []
    # one run per hidden set and sector: the resolver works per distinct name and sector
    for _, group in pairs.groupby(["hide", "sector"], sort=False):
        hide = group["hide"].iloc[0]
        sectors = group["sector"].replace("", None)
        resolved = resolve_customers(
            group["published_name"],
            pd.Series(pd.NA, index=group.index, dtype="Int64"),
            vocab,
            without(customers, hide),
            sectors=sectors,
        )
        parts.append(
            group.assign(
                method=resolved["method"].astype(str),
                urn=resolved["urn"],
                body=resolved["body_name"].astype(str),
            )
        )
    out = pd.concat(parts).sort_index()
    out["outcome"] = [buyer_outcome(e, u) for e, u in zip(out["expected"], out["urn"], strict=True)]
    return out


def resolve_supplier_pairs(
    pairs: pd.DataFrame, vocab: Vocabulary, extra: list[str]
) -> pd.DataFrame:
    """The supplier pairs resolved together (with ``extra`` published names, as in a load)
    with each side's body key and the ``outcome``."""
    others = pairs["expected"].str.split(":", n=1).str[1]
    names = pd.Series([*pairs["published_name"], *others, *extra], dtype=object)
    resolved = resolve_suppliers(names, vocab)
    key = dict(zip(names, resolved["body_key"], strict=True))
    method = dict(zip(names, resolved["method"].astype(str), strict=True))
    same = [key[a] == key[b] for a, b in zip(pairs["published_name"], others, strict=True)]
    wants_same = pairs["expected"].str.startswith("same:")
    outcome = [
        ("matched" if s else "missed") if w else ("wrongly merged" if s else "matched")
        for s, w in zip(same, wants_same, strict=True)
    ]
    return pairs.assign(
        method=pairs["published_name"].map(method), body=pairs["published_name"].map(key),
        other=others, outcome=outcome,
    )  # fmt: skip


def table(results: pd.DataFrame) -> pd.DataFrame:
    """Pairs matched, missed and wrongly merged per side and kind."""
    counts = pd.crosstab([results["side"], results["kind"]], results["outcome"])
    counts = counts.reindex(columns=list(OUTCOMES), fill_value=0)
    counts.insert(0, "pairs", counts.sum(axis=1))
    counts["matched %"] = (100 * counts["matched"] / counts["pairs"]).round(0).astype(int)
    return counts


def core_share(results: pd.DataFrame) -> float:
    """Share (%) of buyer typos, brackets, descriptors and acronyms matched."""
    kinds = results[results["side"].eq("buyer") & results["kind"].isin(
        ["typo", "brackets", "descriptor", "acronym"])]  # fmt: skip
    return round(100 * float(kinds["outcome"].eq("matched").mean()), 1)


def real_release(customers: CustomerList, vocab: Vocabulary) -> None:
    """The July 2014 release: share of spend with a URN and every name resolved other
    than exactly, with its spend."""
    rows = published_names([RELEASE], vocab)
    start = time.perf_counter()
    resolved = resolve_customers(
        rows["customer"], rows["customer_urn"], vocab, customers, sectors=rows["sector"]
    )
    seconds = time.perf_counter() - start
    frame = resolved.assign(spend_gbp=rows["spend_gbp"].to_numpy(), sector=rows["sector"])
    share = 100 * frame.loc[frame["urn"].notna(), "spend_gbp"].sum() / frame["spend_gbp"].sum()
    print(f"\nJuly 2014 release, 2016 list: {share:.2f}% of spend resolved to a URN "
          f"(resolved in {seconds:.1f} s).")  # fmt: skip
    by_method = frame.groupby("method")["spend_gbp"].agg(["size", "sum"]).round(2)
    print(by_method.rename(columns={"size": "rows", "sum": "spend_gbp"}).to_string())
    other = frame[~frame["method"].isin(EXACT)]
    listed = (
        other.groupby(["published_name", "method", "body_name", "urn"], dropna=False)
        .agg(spend_gbp=("spend_gbp", "sum"), sector=("sector", "first"),
             runner_up=("runner_up", "first"))
        .reset_index()
        .sort_values("spend_gbp", ascending=False)
    )  # fmt: skip
    print("\nNames resolved other than exactly (check each):")
    print(listed.to_string(index=False))


def main(argv: list[str] | None = None) -> int:
    """Print the table by kind, the misses and wrong merges, and the real-release figures."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.name_matching")
    parser.add_argument("--all", action="store_true", help="list every pair, not only misses")
    args = parser.parse_args(argv)
    if not URN_LIST.is_file():
        print(f"Skipped: the real data is absent ({URN_LIST.parent}); nothing to measure.")
        return 0
    pd.set_option("display.width", 250)
    pd.set_option("display.max_colwidth", 70)
    vocab = load_vocabulary()
    pd.set_option("display.max_rows", 1000)
    customers = read_customer_list(URN_LIST, vocab)
    pairs = read_pairs()
    extra = []  # the release's supplier names, resolved beside the pairs as in a load
    if RELEASE.is_file():
        extra = sorted(set(extract_file(RELEASE, vocab, None).parsed["supplier"]))
    buyers = resolve_buyers(pairs[pairs["side"].eq("buyer")], customers, vocab)
    suppliers = resolve_supplier_pairs(pairs[pairs["side"].eq("supplier")], vocab, extra)
    results = pd.concat([buyers, suppliers])
    print(f"Labelled set: {PAIRS.name}, {len(pairs)} pairs.\n")
    print(table(results).to_string())
    print(f"\nBuyer typos, brackets, descriptors and acronyms matched: {core_share(results)}%")
    shown = results if args.all else results[results["outcome"].ne("matched")]
    columns = ["side", "kind", "published_name", "expected", "outcome", "method", "body"]
    print("\nPairs not matched:" if not args.all else "\nEvery pair:")
    print(shown[columns].to_string(index=False))
    if RELEASE.is_file():
        real_release(customers, vocab)
    return 0


if __name__ == "__main__":
    sys.exit(main())
