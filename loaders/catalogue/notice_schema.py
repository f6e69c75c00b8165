"""The notice tables: columns, meaning and dtypes, defined once (as
:mod:`loaders.catalogue.spend_schema`).

Dates are calendar dates and times in UK local time (Europe/London), without a zone, so that a
notice published at 00:30 BST on 1 July counts in July. Amounts are in GBP as published
(Contracts Finder values are ex VAT). Text from notices (titles, descriptions, names) is
kept exactly as published, mojibake and all: never interpreted as markup.
"""

from __future__ import annotations

import pandas as pd

DATE = "datetime64[us]"

# The releases table: every release read, whatever became of it.
RELEASE_FIELDS: dict[str, tuple[str, str]] = {
    "source_file": ("string", "File the release was read from"),
    "position": ("int64", "Its place among the releases of that file, from 1"),
    "ocid": ("string", "Open Contracting ID of its procurement process; null if it has none"),
    "release_id": ("string", "The release's id (unique within its ocid)"),
    "date": (DATE, "Publication date and time of the release (UK local time)"),
    "tags": ("string", "Release tags, '; '-separated (tender; award; awardUpdate...)"),
    "status": ("category", "loaded, duplicate (same ocid and id read before) or quarantined"),
    "reason": ("string", "Why it was quarantined (loaders.sources.ocds.checks.REASONS); else null"),
    "detail": ("string", "Where and what: the field at fault, or the copy it duplicates"),
}

NOTICE_FIELDS: dict[str, tuple[str, str]] = {
    "ocid": ("string", "Open Contracting ID: one procurement process"),
    "buyer_name": ("string", "Buyer name as published"),
    "buyer_id": ("string", "The buyer's party id in the notices (Contracts Finder GB-CFS-...)"),
    "buyer_identifier": ("string", "The buyer's registered identifier, scheme-id, where given"),
    "customer": ("string", "The body the buyer resolved to, named as in spend"),
    "customer_key": ("string", "Body key, as spend's customer_key (urn:<URN> or the name key)"),
    "customer_match": ("category", "How the buyer was resolved (as spend's customer_match)"),
    "customer_urn": ("Int64", "CCS customer URN of that body, where resolved to one"),
    "sector": ("category", "Canonical sector of the body; null when unknown"),
    "sector_method": ("category", "How the sector was found (as spend's sector_method)"),
    "buyer_group": ("category", "Central government, Non-Whitehall or Unclassified"),
    "department": ("string", "UK government department of the body (GOV.UK title); else null"),
    "stage": ("category", "Furthest stage reached: planning, tender, award, contract..."),
    "planning_date": (DATE, "First planning or early engagement notice published"),
    "tender_date": (DATE, "First tender notice (or amendment) published"),
    "award_date": (DATE, "First award notice published"),
    "first_published": (DATE, "First release of the process published"),
    "last_published": (DATE, "Latest release of the process published"),
    "lead_time_days": ("float64", "Days from the planning notice to the tender notice"),
    "title": ("string", "Title as published"),
    "description": ("string", "Description as published"),
    "cpv_code": ("string", "Main CPV code of the tender"),
    "cpv_division": ("string", "Its division: the first two digits"),
    "cpv_description": ("string", "The code's description as published"),
    "value_gbp": ("float64", "Tender value (maximum), GBP"),
    "min_value_gbp": ("float64", "Tender minimum value, GBP, where a range is given"),
    "sme_suitable": ("boolean", "Marked suitable for SMEs; null when not stated"),
    "vcse_suitable": ("boolean", "Marked suitable for VCSEs; null when not stated"),
    "procurement_method": ("category", "open, selective, limited, direct (OCDS codelist)"),
    "procurement_method_details": ("string", "The procedure as published"),
    "main_procurement_category": ("category", "goods, works or services"),
    "tender_status": ("category", "planning, active, complete, cancelled..."),
    "contract_start": (DATE, "Contract period start"),
    "contract_end": (DATE, "Contract period end"),
    "call_off_from": ("category", "framework agreement / dynamic purchasing system, by method"),
    "call_off": ("boolean", "A call-off from a framework agreement"),
    "frameworks_named": ("string", "RM numbers and framework names found, '; '-separated"),
    "framework": ("category", "Framework of the first recognised mention (G-Cloud...)"),
    "framework_iteration": ("category", "Its iteration (G-Cloud 14, DOS 6) where named"),
    "releases": ("int64", "Releases of the process loaded"),
    "release_ids": ("string", "Their ids, '; '-separated, oldest first"),
    "source_files": ("string", "Files they came from, '; '-separated"),
}

AWARD_FIELDS: dict[str, tuple[str, str]] = {
    "ocid": ("string", "Procurement process"),
    "award_id": ("string", "The award's id"),
    "status": ("category", "pending, active, cancelled or unsuccessful"),
    "award_date": (DATE, "Date of the award decision"),
    "published": (DATE, "First release carrying the award published"),
    "value_gbp": ("float64", "Awarded value, GBP"),
    "suppliers": ("string", "Supplier names, '; '-separated"),
    "supplier_count": ("int64", "Suppliers of the award"),
    "sme_suppliers": ("int64", "Of which SMEs"),
    "large_suppliers": ("int64", "Of which large"),
    "unknown_size_suppliers": ("int64", "Of which of unknown size (no scale given)"),
    "size_group": ("category", "SME, Large, Mixed or Unknown (see loaders.sources.ocds.classify)"),
    "customer": ("string", "The buyer's body (as in notices)"),
    "customer_key": ("string", "Its body key"),
    "sector": ("category", "Its sector"),
    "buyer_group": ("category", "Its buyer group"),
    "department": ("string", "Its department"),
}

AWARD_SUPPLIER_FIELDS: dict[str, tuple[str, str]] = {
    "ocid": ("string", "Procurement process"),
    "award_id": ("string", "The award"),
    "supplier_id": ("string", "The supplier's party id in the notices"),
    "supplier_name": ("string", "Supplier name as published"),
    "supplier_key": ("string", "Supplier key, as spend's supplier_key"),
    "supplier_identifier": ("string", "Registered identifier, scheme-id (GB-COH-...), where given"),
    "scale": ("string", "details.scale as published (sme, large); null if not given"),
    "size_status": ("category", "SME, Large or Unknown"),
}

TABLES = {
    "releases": RELEASE_FIELDS,
    "notices": NOTICE_FIELDS,
    "awards": AWARD_FIELDS,
    "award_suppliers": AWARD_SUPPLIER_FIELDS,
}


def apply_dtypes(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """``frame`` with exactly the columns of ``table`` (a key of :data:`TABLES`), typed."""
    fields = TABLES[table]
    out = frame.reindex(columns=list(fields)).copy()
    for column, (dtype, _) in fields.items():
        if dtype == "category":
            out[column] = out[column].astype(object).astype(dtype)  # categories of type str
        elif dtype == "boolean":
            out[column] = out[column].astype(object).astype("boolean")
        else:
            out[column] = out[column].astype(dtype)
    return out.reset_index(drop=True)


def empty_table(table: str) -> pd.DataFrame:
    """A table with no rows and the right columns and dtypes."""
    return apply_dtypes(pd.DataFrame(), table)
