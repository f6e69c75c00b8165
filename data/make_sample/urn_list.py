"""The CCS Customer URN list sample: live bodies, merges and name changes, laid out as in
the real 2016 list."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from data.make_sample.months import month_index, month_start
from data.make_sample.settings import URN_TBA_SHARE
from data.make_sample.sources import UrnListTables
from data.make_sample.tables import Tables
from data.make_sample.xlsx import write_xlsx

# fmt: off
URN_HEADER = ("URN", "Organisation Name", "Address Line 1", "Address Line 2", "Address Line 3",
              "County", "Country", "Post Code", "Sector", "Organisation Type")
MERGES_HEADER = ("Field / Event", "Old Value", "URN", "Organisation Name", "Edit Date")
NAME_CHANGES_HEADER = ("Field / Event", "Old Value", "New Value", "URN", "Edit Date")
# fmt: on


def country_for(name: str, sector: str, design: UrnListTables) -> str:
    """Country of a body from keywords in its name (UK for national bodies)."""
    for country, keywords in design.country_keywords:
        if any(keyword in name for keyword in keywords):
            return country
    return "United Kingdom" if sector in design.uk_wide_sectors else "England"


def live_entries(tables: Tables) -> pd.DataFrame:
    """Name, URN-list sector and organisation type of every live registered customer and
    eligible non-buyer (bodies merged away are not live)."""
    customers, urns = tables.customers, tables.urns
    changes = tables.sources.customers.changes
    merged = set(changes.query("event == 'merged'")["body"])
    registered = customers[customers["name"].isin(urns) & ~customers["name"].isin(merged)]
    entries = pd.concat(
        [
            pd.DataFrame(
                {
                    "name": registered["name"],
                    "sector": registered["sector"].where(
                        registered["kind"] == "body", registered["urn_sector"]
                    ),
                    "organisation_type": registered["organisation_type"],
                }
            ),
            tables.sources.customers.non_buyers,
        ],
        ignore_index=True,
    )
    entries["sector"] = entries["sector"].replace(tables.sources.urn_list.sectors)
    return entries


def urn_list_rows(tables: Tables, rng: np.random.Generator) -> list[list]:
    """Live URN list rows: live bodies, registered private customers and non-buyers."""
    design = tables.sources.urn_list
    entries = live_entries(tables)
    tba = rng.random(len(entries)) < URN_TBA_SHARE
    entries["organisation_type"] = entries["organisation_type"].where(~tba, "TBA")
    entries["organisation_type"] = entries["organisation_type"].replace("", "TBA")
    entries["urn"] = entries["name"].map(tables.urns)
    return [
        [
            row.urn,
            design.names.get(row.name, row.name),
            None,
            None,
            None,
            None,
            country_for(row.name, row.sector, design),
            None,
            row.sector,
            row.organisation_type,
        ]
        for row in entries.sort_values("urn").itertuples()
    ]


def edit_time(month: int, urn: int) -> datetime:
    """``Edit Date`` of a list change: the first of the month, at a working-hours time
    taken from the URN (the real list records the time of each edit)."""
    return datetime.combine(month_start(month), datetime.min.time()) + timedelta(
        hours=9, minutes=urn % 480
    )


def newest_first(rows: list[list]) -> list[list]:
    """History rows in the real list's order: latest ``Edit Date`` (last column) first."""
    return sorted(rows, key=lambda row: (row[-1], *map(str, row[:-1])), reverse=True)


def merge_rows(tables: Tables) -> list[list]:
    """Merges sheet as in the real list: the merged (old) body's name under ``Old Value``,
    then the surviving body's URN and name. The old URN is not given anywhere."""
    urns, names = tables.urns, tables.sources.urn_list.names
    merges = tables.sources.customers.changes.query("event == 'merged'")
    rows = [
        [
            "Organisation Merged",
            names.get(row.body, row.body),
            urns[row.other_name],
            names.get(row.other_name, row.other_name),
            edit_time(month_index(row.month), urns[row.body]),
        ]
        for row in merges.itertuples()
    ]
    return newest_first(rows)


def name_change_rows(tables: Tables) -> list[list]:
    """Name Changes sheet as in the real list: old name, new name, the body's URN."""
    urns, names = tables.urns, tables.sources.urn_list.names
    renames = tables.sources.customers.changes.query("event == 'renamed'").copy()
    renames["until"] = renames["month"].map(month_index)
    renames = renames.sort_values(["body", "until"])
    rows = []
    for body, history in renames.groupby("body", sort=False):
        new_names = [*history["other_name"].iloc[1:], names.get(body, body)]
        for old, new, until in zip(history["other_name"], new_names, history["until"], strict=True):
            rows.append(["Organisation Name", old, new, urns[body], edit_time(until, urns[body])])
    return newest_first(rows)


def write_urn_list(path: Path, tables: Tables, rng: np.random.Generator) -> None:
    """The CCS Customer URN list sample workbook (three sheets)."""
    sheets = {
        "Live Customer URN List": [list(URN_HEADER), *urn_list_rows(tables, rng)],
        "Merges": [list(MERGES_HEADER), *merge_rows(tables)],
        "Name Changes": [list(NAME_CHANGES_HEADER), *name_change_rows(tables)],
    }
    write_xlsx(path, sheets)
