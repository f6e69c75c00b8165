"""Customer matching measured on real data: ``python -m benchmarks.customer_matching``.

Reads the July 2014 G-Cloud release and the September 2016 CCS customer URN list from
``../shared/real-data`` (nothing is copied into the project; without that folder it says so
and stops) and prints:

1. coverage: the share of distinct published customer names and of spend resolved by each
   method, with the override file and with the customer list alone;
2. fuzzy candidates for hand-checking, the best per name with its score, the margin to the
   next body, and the release's sector beside the matched body's, for three sets of names:

   * ``residual``: the release's names that match no list name exactly;
   * ``trap``: the release's names that do, with that body hidden, so anything found is
     another URN: right only where the list holds the same body twice;
   * ``sample``: the bundled sample's names (real bodies, 2012 to 2025, many not in the 2016
     list) that match no list name exactly;

   once with the token guard (what the loader does) and once without it (plain best score);
3. the number of matches per score band, with and without the guard;
4. timings: reading the list, indexing it, resolving the release, and 1,000 names that all
   reach the fuzzy step.

Judging each listed match right or wrong is left to the reader, as a careful analyst would:
the numbers in the load report's own docs came from doing exactly that.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from loaders.bodies.customer_list import CustomerList, read_customer_list
from loaders.bodies.resolution import (
    CUSTOMER_ALIASES,
    FUZZY_MARGIN,
    FUZZY_THRESHOLD,
    ListIndex,
    build_list_index,
    match_key,
    resolve_customers,
)
from loaders.core.vocabulary import Vocabulary, load_vocabulary
from loaders.pipeline import input_files
from loaders.sources.ccs_spend.extract import extract_file

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "real-data"
RELEASE = REAL / "gcloud-release-2014-07" / "G-Cloud-Spend-14-07-14-v2-For-import.csv"
URN_LIST = REAL / "ccs-customer-urn-list-2016-09" / "2016-09-01_customer_URN_list.xlsx"
SAMPLE = ROOT / "data" / "sample"
BANDS = [0, 55, 60, 70, 75, 80, 85, 90, 95, 100.01]


def published_names(paths: list[Path], vocab: Vocabulary) -> pd.DataFrame:
    """Rows of the given releases: published customer name, URN, sector and spend."""
    parts = [extract_file(p, vocab, None).parsed for p in paths]
    return pd.concat(parts, ignore_index=True)[["customer", "customer_urn", "sector", "spend_gbp"]]


def coverage(rows: pd.DataFrame, resolved: pd.DataFrame) -> pd.DataFrame:
    """Distinct names and spend by method, with shares."""
    frame = resolved.assign(spend_gbp=rows["spend_gbp"].to_numpy())
    table = frame.groupby("method").agg(
        names=("published_name", "nunique"), rows=("method", "size"), spend_gbp=("spend_gbp", "sum")
    )
    table["names_pct"] = 100 * table["names"] / frame["published_name"].nunique()
    table["spend_pct"] = 100 * table["spend_gbp"] / frame["spend_gbp"].sum()
    return table.sort_values("spend_gbp", ascending=False).round(1)


def _sector_of(customers: CustomerList) -> tuple[pd.Series, pd.Series]:
    bodies = customers.bodies.drop_duplicates("urn").set_index("urn")
    return bodies["name"], bodies["sector"]


def best_candidates(
    names: pd.DataFrame, index: ListIndex, customers: CustomerList, vocab: Vocabulary, group: str
) -> pd.DataFrame:
    """Best candidate per name, with and without the guard (``trap`` hides the exact body)."""
    body_name, body_sector = _sector_of(customers)
    out = []
    for name, release_sector in zip(names["customer"], names["sector"], strict=True):
        exact = index.exact_urns(name, vocab)
        if bool(exact) != (group == "trap"):
            continue
        key = match_key(name, vocab)
        found = index.candidates(key, 0.0, hide=frozenset(exact))
        for guard, pool in (("guard", [c for c in found if c.agrees]), ("no guard", found)):
            if not pool:
                continue
            best = pool[0]
            rival = max((c.score for c in pool[1:] if c.urn != best.urn), default=0.0)
            out.append(
                {
                    "set": group,
                    "guard": guard,
                    "published_name": name,
                    "matched_body": body_name.get(best.urn),
                    "via_list_name": best.name,
                    "score": round(best.score, 1),
                    "margin": round(best.score - rival, 1),
                    "release_sector": release_sector,
                    "body_sector": body_sector.get(best.urn),
                }
            )
    return pd.DataFrame(out)


def _by_name(rows: pd.DataFrame) -> pd.DataFrame:
    sector = rows.groupby("customer")["sector"].agg(
        lambda s: s.mode().iloc[0] if s.notna().any() else None
    )
    return sector.rename("sector").reset_index()


def bands(candidates: pd.DataFrame) -> pd.DataFrame:
    """Best candidates per score band, set and guard (accepted = at least the margin)."""
    frame = candidates[candidates["margin"] >= FUZZY_MARGIN].copy()
    frame["band"] = pd.cut(frame["score"], BANDS, right=False)
    return pd.crosstab(frame["band"], [frame["guard"], frame["set"]])


def time_it(label: str, timings: dict[str, float], work):
    """Run ``work()``, note its duration under ``label`` and return its result."""
    start = time.perf_counter()
    result = work()
    timings[label] = round(time.perf_counter() - start, 2)
    return result


def rotated_names(customers: CustomerList, count: int = 1000) -> list[str]:
    """``count`` list names with their first word moved last: none matches exactly."""
    picked = customers.bodies["name"].sample(count, random_state=np.random.default_rng(1))
    return [" ".join(n.split()[1:] + n.split()[:1]) for n in picked]


def main(argv: list[str] | None = None) -> int:
    """Print coverage, fuzzy candidates, precision bands and timings (see the module doc)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.customer_matching")
    parser.add_argument("--all", action="store_true", help="list no-guard candidates too")
    args = parser.parse_args(argv)
    if not (RELEASE.is_file() and URN_LIST.is_file()):
        print(f"Skipped: the real data is absent ({REAL}); nothing to measure.")
        return 0
    pd.set_option("display.width", 250)
    pd.set_option("display.max_rows", 2000)
    pd.set_option("display.max_colwidth", 60)
    vocab = load_vocabulary()
    timings: dict[str, float] = {}
    customers = time_it("read URN list", timings, lambda: read_customer_list(URN_LIST, vocab))
    index = time_it("index URN list", timings, lambda: build_list_index(customers, vocab))
    rows = published_names([RELEASE], vocab)
    urns = rows["customer_urn"]
    print(f"Release: {RELEASE.name}, {len(rows):,} rows, {rows['customer'].nunique()} names.")
    print(f"URN list: {len(customers.bodies):,} bodies, {len(index.keys):,} names indexed.")
    print(f"Fuzzy threshold {FUZZY_THRESHOLD}, margin {FUZZY_MARGIN}.\n")
    for label, aliases in (("with the override file", CUSTOMER_ALIASES), ("list only", None)):
        resolved = time_it(
            f"resolve release ({label})",
            timings,
            lambda a=aliases: resolve_customers(rows["customer"], urns, vocab, customers, a),
        )
        with_urn = resolved["urn"].notna()
        print(
            f"Coverage {label}:\n{coverage(rows, resolved).to_string()}\n"
            f"Resolved to a URN: {resolved.loc[with_urn, 'published_name'].nunique()} names, "
            f"{100 * rows.loc[with_urn, 'spend_gbp'].sum() / rows['spend_gbp'].sum():.1f}% "
            "of spend.\n"
        )
    sample = published_names(
        [p for p in input_files([SAMPLE])["ccs_spend"] if "urn_list" not in p.name],
        vocab,
    )
    candidates = pd.concat(
        [
            best_candidates(_by_name(rows), index, customers, vocab, "residual"),
            best_candidates(_by_name(rows), index, customers, vocab, "trap"),
            best_candidates(_by_name(sample), index, customers, vocab, "sample"),
        ],
        ignore_index=True,
    )
    shown = candidates if args.all else candidates[candidates["guard"] == "guard"]
    print("Best fuzzy candidates (judge each):")
    print(shown.sort_values(["guard", "score"], ascending=[True, False]).to_string(index=False))
    print(f"\nCandidates per score band (margin >= {FUZZY_MARGIN}):\n{bands(candidates)}\n")
    names = rotated_names(customers)
    time_it(
        "fuzzy step, 1,000 names",
        timings,
        lambda: [index.fuzzy(match_key(n, vocab)) for n in names],
    )
    print("Timings (seconds):")
    for label, seconds in timings.items():
        print(f"  {label}: {seconds}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
