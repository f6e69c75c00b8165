"""The Digital Marketplace's own export of Digital Outcomes and Specialists opportunities
(``opportunity-data.csv``): applications from SMEs and large organisations, and who won
(:mod:`~loaders.sources.digital_marketplace.opportunities`). A CSV claimed by its header, so
it comes before the spend files (which claim every CSV by name) in the registry; buyers are
resolved to bodies as spend customers are (with no spend loaded before it: by the customer
list and the name rules).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from loaders.catalogue import CANONICAL, Catalogue
from loaders.core.files import file_sha256
from loaders.sources.base import LoadContext, Source, SourceLoad
from loaders.sources.digital_marketplace.opportunities import (
    is_opportunities_file,
    read_opportunities,
)
from loaders.sources.ocds.buyers import resolve_buyers

TABLE = "dos_opportunities"


def _file_report(path: Path, frame: pd.DataFrame) -> dict[str, Any]:
    awarded = frame[frame["status"].eq("awarded")]
    sizes = awarded["size_status"].value_counts()
    return {
        "file": path.name,
        "path": str(path),
        "sha256": file_sha256(path),
        "rows_read": int(len(frame)),
        "rows_loaded": int(len(frame)),
        "reconciles": True,
        "by_status": {str(k): int(v) for k, v in frame["status"].value_counts().items()},
        "applications_sme": int(frame["applications_sme"].sum()),
        "applications_total": int(frame["applications_total"].sum()),
        "awards_by_size": {str(k): int(v) for k, v in sizes.items()},
        "awarded_value_gbp": round(float(awarded["contract_value_gbp"].sum()), 2),
    }


def load(files: list[Path], context: LoadContext) -> SourceLoad:
    """Read each export into ``dos_opportunities``, buyers resolved to bodies."""
    if not files:
        return SourceLoad({}, {})
    frames = [read_opportunities(path, context.vocab) for path in files]
    frame = pd.concat(frames, ignore_index=True)
    buyers = resolve_buyers(
        frame["organisation_name"].astype(object), context.vocab, context.customers,
        context.aliases[0], spend=context.tables.get("spend"),
        matches=context.tables.get("matches"),
    )  # fmt: skip
    for column in ("customer", "customer_key", "sector", "buyer_group", "department"):
        frame[column] = buyers[column].to_numpy()
    report = {"files": [_file_report(p, f) for p, f in zip(files, frames, strict=True)]}
    return SourceLoad({TABLE: CANONICAL[TABLE].typed(frame, strict=False)}, report)


def describe(section: dict[str, Any]) -> list[str]:
    """The ``"digital_marketplace"`` section of the load report in words."""
    lines = [""]
    for f in section.get("files", []):
        share = 100 * f["applications_sme"] / f["applications_total"] if f[
            "applications_total"] else 0.0  # fmt: skip
        sizes = "; ".join(f"{k} {v:,}" for k, v in f["awards_by_size"].items())
        lines += [
            f"Digital Marketplace opportunities {f['file']}: {f['rows_read']:,} read, "
            f"{f['rows_loaded']:,} loaded; by status: "
            + "; ".join(f"{k} {v:,}" for k, v in f["by_status"].items()) + ".",
            f"  applications from SMEs {f['applications_sme']:,} of {f['applications_total']:,}"
            f" ({share:.1f}%); awards by winner's size: {sizes}; awarded value "
            f"£{f['awarded_value_gbp']:,.2f}.",
        ]  # fmt: skip
    return lines


def summary(section: dict[str, Any]) -> str | None:
    """One line after an ingest."""
    files = section.get("files", [])
    if not files:
        return None
    return (
        f"Read {sum(f['rows_read'] for f in files):,} DOS opportunities from {len(files)} file(s)."
    )


SOURCE = Source(
    name="digital_marketplace",
    claims=is_opportunities_file,
    load=load,
    tables=Catalogue([CANONICAL[TABLE]]),
    report_key="digital_marketplace",
    describe=describe,
    summary=summary,
)
