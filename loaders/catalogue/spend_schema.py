"""The canonical spend frame: its columns, their meaning and their dtypes.

Other tools read these exact column names, so they are defined once here.
"""

from __future__ import annotations

import pandas as pd

# column -> (dtype, description)
SPEND_FIELDS: dict[str, tuple[str, str]] = {
    "month": ("datetime64[ns]", "Month of spend, as its first day"),
    "financial_year": ("category", "UK financial year, April to March, e.g. 2013-14"),
    "framework": ("category", "G-Cloud, Digital Outcomes and Specialists, Digital Services, ..."),
    "framework_iteration": ("category", "Iteration such as G-Cloud 3 or DOS 2; null if unknown"),
    "lot": ("category", "Lot name, in the spelling of its iteration"),
    "supplier": ("string", "Supplier name as displayed (override name, else most common spelling)"),
    "supplier_key": ("string", "Supplier body key (normalised name), for counting suppliers"),
    "customer": (
        "string",
        "Customer body name as displayed: customer-list name where matched, else override name, "
        "else most common published spelling",
    ),
    "customer_key": (
        "string",
        "Customer body key, for counting distinct bodies: urn:<URN> where resolved to a URN, "
        "else the normalised name",
    ),
    "customer_urn": (
        "Int64",
        "CCS customer URN where the release gives one it can trust (null for a placeholder or "
        "a URN shared by unrelated bodies: see the match report's urn_note)",
    ),
    "customer_match": (
        "category",
        "How the customer was resolved to a body: urn, urn_name, override, exact_list, "
        "exact_sector, renamed, acronym, trimmed, fuzzy_list, part, typo, ambiguous, name_key "
        "or none (loaders.bodies.resolution)",
    ),
    "sme_status": ("category", "SME, Large or Unknown"),
    "sme_source": ("category", "release, inferred (from other releases) or none"),
    "sector": ("category", "Canonical customer sector; null when unknown"),
    "buyer_group": ("category", "Central government, Non-Whitehall or Unclassified"),
    "sector_source": ("category", "release, inferred or none"),
    "sector_method": (
        "category",
        "How the sector was found: release, urn, other_release, customer_list_name, "
        "name_rule or none",
    ),
    "spend_gbp": ("float64", "Evidenced spend in pounds, ex VAT; negative for credits"),
    "description": ("string", "Product or service description where published"),
    "source_file": ("string", "File the row was read from"),
    "source_row": ("int64", "Row number a spreadsheet user sees in that file"),
    "release": ("category", "Release the row came from (date in the file name, else the file)"),
}

SPEND_COLUMNS: list[str] = list(SPEND_FIELDS)

QUARANTINE_COLUMNS: list[str] = [
    "source_file",
    "source_row",
    "release",
    "reason",
    "column",
    "detail",
    "framework",
    "customer",
    "supplier",
    "month_raw",
    "spend_raw",
    "spend_gbp",
]

REVISION_COLUMNS: list[str] = [
    "framework",
    "month",
    "first_release",
    "first_published_gbp",
    "current_release",
    "current_gbp",
    "change_gbp",
    "releases",
]

# Each framework-month's total in every release that published it (the revisions triangle):
# ``current`` marks the release whose rows are loaded for that month; ``release_rank`` orders
# releases oldest first (an older version of a release just before the version kept).
RELEASE_MONTH_COLUMNS = [
    "framework", "month", "release", "release_rank", "total_gbp", "rows", "current",
]  # fmt: skip

# What each superseded version of a release changed in the version kept.
VERSION_CHANGE_COLUMNS = [
    "release", "older_file", "newer_file", "framework", "month", "supplier", "customer",
    "older_gbp", "newer_gbp", "change_gbp", "change",
]  # fmt: skip

# The match report (how each published name was resolved to a body) and the customer
# list's bodies (the denominator of adoption).
# ``published_urn`` is the URN the rows carried and ``urn_note`` why it was not trusted
# (``placeholder URN``, ``names of unrelated bodies``, ``shared with a test or dummy
# organisation``; null when trusted or absent: loaders.bodies.resolution.trust).
MATCH_COLUMNS = [
    "kind", "published_name", "body_key", "body_name", "urn", "method", "score", "rows",
    "spend_gbp", "published_urn", "urn_note", "runner_up", "runner_up_score",
]  # fmt: skip
# Columns added after stores were first written: null when a store predates them.
_LATER_MATCH_COLUMNS = ("runner_up", "runner_up_score")
BODY_COLUMNS = ["urn", "name", "sector", "organisation_type", "active", "region", "county"]
# Every name of the customer list's bodies, current and former (``how``: current name, or the
# sheet that gave a former one: Name Changes, Merges): names people may still search by.
CUSTOMER_NAME_COLUMNS = ["urn", "name", "how"]


def empty_matches() -> pd.DataFrame:
    """A match report with no rows."""
    return apply_match_dtypes(pd.DataFrame({c: [] for c in MATCH_COLUMNS}))


def apply_match_dtypes(frame: pd.DataFrame) -> pd.DataFrame:
    """Cast a match report to its columns and dtypes (also after reading it back)."""
    missing = {c: None for c in _LATER_MATCH_COLUMNS if c not in frame.columns}
    out = frame.assign(**missing)[MATCH_COLUMNS].copy()
    for column in ("kind", "published_name", "body_key", "body_name", "method", "urn_note",
                   "runner_up"):  # fmt: skip
        out[column] = out[column].astype("string")
    out["runner_up_score"] = out["runner_up_score"].astype("float64")
    out["urn"] = out["urn"].astype("Int64")
    out["published_urn"] = out["published_urn"].astype("Int64")
    out["score"] = out["score"].astype("float64")
    out["rows"] = out["rows"].astype("int64")
    out["spend_gbp"] = out["spend_gbp"].astype("float64")
    return out


def apply_body_dtypes(frame: pd.DataFrame) -> pd.DataFrame:
    """Cast a customer-bodies frame to its columns and dtypes; blank text becomes null."""
    out = frame[BODY_COLUMNS].copy()
    out["urn"] = out["urn"].astype("Int64")
    for column in BODY_COLUMNS[1:]:
        text = out[column].astype("string")
        out[column] = text.mask(text.eq(""))
    return out


def apply_spend_dtypes(frame: pd.DataFrame) -> pd.DataFrame:
    """Cast the canonical columns of ``frame`` to their dtypes, in canonical order (a
    missing column is a ``KeyError``)."""
    out = frame[SPEND_COLUMNS].copy()
    for column, (dtype, _) in SPEND_FIELDS.items():
        if dtype == "category":  # categories always of the default string dtype
            out[column] = out[column].astype(object).astype(dtype)
        else:
            out[column] = out[column].astype(dtype)
    return out


def apply_release_month_dtypes(frame: pd.DataFrame) -> pd.DataFrame:
    """Cast a release-months table to its columns and dtypes."""
    out = frame[RELEASE_MONTH_COLUMNS].copy()
    for column in ("framework", "release"):
        out[column] = out[column].astype("string")
    out["month"] = out["month"].astype("datetime64[ns]")
    out["release_rank"] = out["release_rank"].astype("float64")
    out["total_gbp"] = out["total_gbp"].astype("float64")
    out["rows"] = out["rows"].astype("int64")
    out["current"] = out["current"].astype(bool)
    return out


def empty_release_months() -> pd.DataFrame:
    """A release-months table with no rows."""
    return apply_release_month_dtypes(pd.DataFrame({c: [] for c in RELEASE_MONTH_COLUMNS}))


def apply_version_change_dtypes(frame: pd.DataFrame) -> pd.DataFrame:
    """Cast a version-changes table to its columns and dtypes."""
    out = frame[VERSION_CHANGE_COLUMNS].copy()
    for column in VERSION_CHANGE_COLUMNS:
        if column.endswith("_gbp"):
            out[column] = out[column].astype("float64")
        elif column == "month":
            out[column] = out[column].astype("datetime64[ns]")
        else:
            out[column] = out[column].astype("string")
    return out


def empty_version_changes() -> pd.DataFrame:
    """A version-changes table with no rows."""
    return apply_version_change_dtypes(pd.DataFrame({c: [] for c in VERSION_CHANGE_COLUMNS}))


def customer_names_frame(names: pd.DataFrame | None = None) -> pd.DataFrame:
    """The customer list's names (:data:`CUSTOMER_NAME_COLUMNS`) with their dtypes; empty
    without a list."""
    frame = pd.DataFrame({c: [] for c in CUSTOMER_NAME_COLUMNS}) if names is None else names
    out = frame[CUSTOMER_NAME_COLUMNS].copy()
    out["urn"] = out["urn"].astype("Int64")
    out["name"] = out["name"].astype("string")
    out["how"] = out["how"].astype("string")
    return out.reset_index(drop=True)
