"""The constant tables of the sample, read and typed from ``data/sample_sources/*.csv``.

:func:`read_sources` reads every file once into an immutable :class:`Sources` that the
generator is given. Each column is converted by the type its reader names
(:mod:`.typed_csv`); a missing file or column or a bad value raises :class:`SourceError`
naming the file and line. What each file holds: the inputs table in
``data/sample/README.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import pandas as pd

from data.make_sample.months import month_index
from data.make_sample.typed_csv import (
    SourceError,
    column,
    fy_start,
    grouped,
    mapping,
    month_label,
    one_of,
    optional_int,
    read_rows,
    read_text_frame,
    yes_no,
)


@dataclass(frozen=True)
class Release:
    """One published file: which frameworks and months it covers, and its layout."""

    key: str
    filename: str
    families: tuple[str, ...]
    first: str  # YYYY-MM
    last: str
    layout: str  # the writer: csv_2013, csv_2014, csv_2017, csv_dec2017, xlsx_2021, xlsx_2025


@dataclass(frozen=True)
class FixedSupplier:
    """A supplier with a hand-picked name and active window (``YYYY-MM`` months)."""

    name: str
    is_sme: bool
    first: str
    last: str


@dataclass(frozen=True)
class PlacedRow:
    """A hand-placed transaction: a one-release customer's, or a security test name's."""

    key: str  # the customer's name, or the test (xss_supplier, formula_customer)
    family: str
    month: str  # YYYY-MM
    amount: float | None  # GBP ex VAT; None: drawn at random


@dataclass(frozen=True)
class TruthTables:
    """The designed shape of the monthly truth and its descriptions."""

    rows: Mapping[str, Mapping[int, int]]  # family -> FY start year -> transactions
    spend_millions: Mapping[str, Mapping[int, float]]  # family -> FY -> GBP millions
    row_season: Mapping[int, float]  # calendar month (1-12) -> relative number of rows
    drifts: Mapping[str, tuple[float, float]]  # share -> (FY 2012-13 value, FY 2025-26 value)
    lot_phrases: Mapping[tuple[str, int], tuple[str, ...]]  # (lot scheme, lot) -> phrases
    default_phrases: tuple[str, ...]
    description_suffixes: tuple[str, ...]


@dataclass(frozen=True)
class SupplierTables:
    """What invented supplier names are built from, and the hand-picked suppliers."""

    first_words: tuple[str, ...]
    second_words: tuple[str, ...]
    sme_suffixes: tuple[str, ...]
    sme_suffix_weights: tuple[float, ...]
    large_name_patterns: tuple[str, ...]  # str.format patterns with {a} and {b}
    legal_suffix_words: tuple[str, ...]  # cut before names are compared
    fixed: tuple[FixedSupplier, ...]


@dataclass(frozen=True)
class CustomerTables:
    """Customers: real bodies, their changes, and what makes them buy."""

    bodies: pd.DataFrame  # name, sector, organisation_type, parent_department
    changes: pd.DataFrame  # event, body, other_name, month
    non_buyers: pd.DataFrame  # name, sector, organisation_type
    others: pd.DataFrame  # name, sector, urn_sector
    central_sectors: tuple[str, ...]
    org_type_weights: Mapping[str, float]
    buyer_sizes: Mapping[str, float]  # body name -> multiplier of its type's weight
    adoption_months: Mapping[str, float]  # central / other / created -> mean delay
    one_release: tuple[PlacedRow, ...]
    security_rows: tuple[PlacedRow, ...]


@dataclass(frozen=True)
class ReleaseTables:
    """The releases, their publication quirks and customer spelling styles."""

    releases: tuple[Release, ...]
    drop_shares: tuple[float, ...]  # rows missing, by months before the release's last
    stray_month_suffixes: tuple[str, ...]
    abbreviations: Mapping[str, str]
    fixed_name_styles: Mapping[tuple[str, str], str]  # (body, release key) -> style


@dataclass(frozen=True)
class UrnListTables:
    """How the Customer URN list spells names and sectors, and where bodies are."""

    names: Mapping[str, str]
    sectors: Mapping[str, str]
    uk_wide_sectors: tuple[str, ...]
    country_keywords: tuple[tuple[str, tuple[str, ...]], ...]  # first match wins


@dataclass(frozen=True)
class Sources:
    """Every table the generator reads from ``data/sample_sources``."""

    frameworks: pd.DataFrame  # indexed by key; start and end month indices added
    lots: pd.DataFrame  # lot_number int; count weights and amount multiplier float
    truth: TruthTables
    suppliers: SupplierTables
    customers: CustomerTables
    releases: ReleaseTables
    urn_list: UrnListTables


def read_frameworks(directory: Path) -> pd.DataFrame:
    """Framework iterations with their spend windows (month indices) and release labels."""
    frameworks = read_text_frame(directory, "frameworks.csv")
    try:
        frameworks["start"] = frameworks["spend_start"].map(month_index)
        frameworks["end"] = frameworks["spend_end"].map(month_index)
    except ValueError as error:
        raise SourceError(f"{directory / 'frameworks.csv'}: {error}") from None
    return frameworks.set_index("key")


def read_lots(directory: Path) -> pd.DataFrame:
    """Lots per lot scheme, with count weights and amount multipliers."""
    lots = read_text_frame(directory, "lots.csv")
    lots["lot_number"] = lots["lot_number"].astype(int)
    for name in ("count_weight_2012", "count_weight_2025", "amount_multiplier"):
        lots[name] = lots[name].astype(float)
    return lots


def read_truth(directory: Path) -> TruthTables:
    """``fy_targets``, ``row_season``, ``share_drifts`` and the description tables."""
    targets = read_rows(
        directory,
        "fy_targets.csv",
        {"family": str, "financial_year": fy_start, "rows": int, "spend_gbp_millions": float},
    )
    rows = grouped([(family, (year, n)) for family, year, n, _ in targets])
    spend = grouped([(family, (year, gbp)) for family, year, _, gbp in targets])
    drifts = read_rows(
        directory,
        "share_drifts.csv",
        {"share": str, "value_2012_13": float, "value_2025_26": float},
    )
    phrases = read_rows(
        directory,
        "description_phrases.csv",
        {"lot_scheme": str, "lot_number": optional_int, "phrase": str},
    )
    return TruthTables(
        rows=MappingProxyType({f: MappingProxyType(dict(pairs)) for f, pairs in rows.items()}),
        spend_millions=MappingProxyType(
            {f: MappingProxyType(dict(pairs)) for f, pairs in spend.items()}
        ),
        row_season=mapping(
            directory, "row_season.csv", {"calendar_month": int, "row_weight": float}
        ),
        drifts=MappingProxyType({share: (first, last) for share, first, last in drifts}),
        lot_phrases=MappingProxyType(
            grouped([((scheme, lot), text) for scheme, lot, text in phrases if scheme])
        ),
        default_phrases=tuple(text for scheme, _, text in phrases if not scheme),
        description_suffixes=column(directory, "description_suffixes.csv", "suffix"),
    )


def read_suppliers(directory: Path) -> SupplierTables:
    """Supplier word lists, suffixes, name patterns and the fixed suppliers."""
    words = grouped(read_rows(directory, "supplier_words.csv", {"part": str, "word": str}))
    suffixes = read_rows(directory, "sme_suffixes.csv", {"suffix": str, "weight": float})
    fixed = read_rows(
        directory,
        "fixed_suppliers.csv",
        {"name": str, "sme": yes_no, "first_month": month_label, "last_month": month_label},
    )
    return SupplierTables(
        first_words=words["first"],
        second_words=words["second"],
        sme_suffixes=tuple(suffix for suffix, _ in suffixes),
        sme_suffix_weights=tuple(weight for _, weight in suffixes),
        large_name_patterns=column(directory, "large_supplier_patterns.csv", "pattern"),
        legal_suffix_words=column(directory, "legal_suffix_words.csv", "word"),
        fixed=tuple(FixedSupplier(*row) for row in fixed),
    )


def read_customers(directory: Path) -> CustomerTables:
    """Bodies, their changes, other customers, buying weights and hand-placed rows."""
    sectors = read_rows(directory, "sectors.csv", {"sector": str, "central": yes_no})
    placed = {"family": str, "month": month_label}
    one_release = read_rows(directory, "one_release_customers.csv", {"name": str, **placed})
    security = read_rows(
        directory,
        "security_test_rows.csv",
        {"test": one_of("xss_supplier", "formula_customer"), **placed, "amount_gbp": float},
    )
    return CustomerTables(
        bodies=read_text_frame(directory, "bodies.csv"),
        changes=read_text_frame(directory, "body_changes.csv"),
        non_buyers=read_text_frame(directory, "eligible_non_buyers.csv"),
        others=read_text_frame(directory, "other_customers.csv"),
        central_sectors=tuple(sector for sector, central in sectors if central),
        org_type_weights=mapping(
            directory,
            "organisation_type_weights.csv",
            {"organisation_type": str, "weight": float},
        ),
        buyer_sizes=mapping(directory, "buyer_sizes.csv", {"name": str, "size_multiplier": float}),
        adoption_months=mapping(
            directory, "adoption_delays.csv", {"customer_group": str, "mean_months": float}
        ),
        one_release=tuple(PlacedRow(*row, None) for row in one_release),
        security_rows=tuple(PlacedRow(*row) for row in security),
    )


def read_releases(directory: Path) -> ReleaseTables:
    """Releases, provisional drops, stray month suffixes and spelling styles."""
    releases = read_rows(
        directory,
        "releases.csv",
        {
            "key": str,
            "filename": str,
            "families": lambda text: tuple(text.split(";")),
            "first_month": month_label,
            "last_month": month_label,
            "layout": str,
        },
    )
    drops = read_rows(
        directory, "provisional_drops.csv", {"months_before_last": int, "drop_share": float}
    )
    if [age for age, _ in drops] != list(range(len(drops))):
        raise SourceError(f"{directory / 'provisional_drops.csv'}: ages must run 0, 1, 2...")
    styles = read_rows(
        directory, "fixed_name_styles.csv", {"name": str, "release": str, "style": str}
    )
    return ReleaseTables(
        releases=tuple(Release(*row) for row in releases),
        drop_shares=tuple(share for _, share in drops),
        stray_month_suffixes=column(directory, "stray_month_suffixes.csv", "suffix"),
        abbreviations=mapping(directory, "abbreviations.csv", {"name": str, "abbreviation": str}),
        fixed_name_styles=MappingProxyType({(name, key): style for name, key, style in styles}),
    )


def read_urn_list(directory: Path) -> UrnListTables:
    """URN-list spellings of names and sectors, UK-wide sectors and country keywords."""
    sectors = read_rows(
        directory, "sectors.csv", {"sector": str, "uk_wide": yes_no, "urn_list_sector": str}
    )
    keywords = read_rows(directory, "country_keywords.csv", {"country": str, "keyword": str})
    return UrnListTables(
        names=mapping(directory, "urn_list_names.csv", {"name": str, "urn_list_name": str}),
        sectors=MappingProxyType({sector: urn for sector, _, urn in sectors if urn}),
        uk_wide_sectors=tuple(sector for sector, uk_wide, _ in sectors if uk_wide),
        country_keywords=tuple(grouped(keywords).items()),
    )


def read_sources(directory: Path) -> Sources:
    """Read and type every table in ``directory`` (``data/sample_sources``)."""
    return Sources(
        frameworks=read_frameworks(directory),
        lots=read_lots(directory),
        truth=read_truth(directory),
        suppliers=read_suppliers(directory),
        customers=read_customers(directory),
        releases=read_releases(directory),
        urn_list=read_urn_list(directory),
    )
