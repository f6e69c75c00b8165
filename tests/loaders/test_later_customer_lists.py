"""Later CCS customer lists (two sectors, detail in the subsector; lower-case headers, an
``organisation`` name column, CSV or XLSX): sector and type from the subsector dictionary,
Private Sector Enabler rows apart, test records and inactive bodies marked."""

from __future__ import annotations

import pandas as pd
import pytest

from loaders.bodies.customer_list import (
    PRIVATE_SECTOR_ENABLER,
    PUBLIC_BODY,
    TEST_RECORD,
    inactive,
    read_customer_list,
)
from loaders.core.vocabulary import load_vocabulary
from tests.builders import write_csv, write_xlsx

VOCAB = load_vocabulary()
LATER = [
    # urn, name, sector, subsector, active -> sector, organisation type, kind, adoption group
    (10042248, "Stratford-on-Avon District Council", "Wider Public Sector", "District Council",
     "True", "Local Government", "District council", PUBLIC_BODY, "Principal councils"),
    (10000001, "Kent County Council", "Wider Public Sector", "County Council", "True",
     "Local Government", "County council", PUBLIC_BODY, "Principal councils"),
    (10019291, "Newham University Hospitals NHS Trust", "Wider Public Sector", "Acute Trust",
     "True", "Health", "Acute trust", PUBLIC_BODY, "NHS trusts"),
    (10000002, "Oxleas NHS Foundation Trust", "Wider Public Sector", "Mental Health Trust",
     "False", "Health", "Mental health trust", PUBLIC_BODY, "NHS trusts"),
    (10026562, "County Durham and Darlington Fire Rescue Service", "Wider Public Sector",
     "Fire and Rescue Services", "True", "Fire and Rescue", "Fire and rescue service",
     PUBLIC_BODY, "Fire and rescue services"),
    (10000003, "Kent Fire and Rescue Authority", "Wider Public Sector",
     "Fire and Rescue Authority", "True", "Fire and Rescue", "Fire and rescue authority",
     PUBLIC_BODY, "Fire and rescue services"),
    (10015494, "Isle of Man Constabulary", "Wider Public Sector", "Police Service", "True",
     "Police", "Police service", PUBLIC_BODY, "Police forces"),
    (10565195, "RAF", "Central Government", "MoD - RAF", "True", "Defence", "RAF",
     PUBLIC_BODY, ""),
    (10000004, "HMS Example", "Central Government", "Navy", "True", "Defence", "Navy",
     PUBLIC_BODY, ""),
    (10040863, "University of Essex", "Wider Public Sector", "Universities", "True",
     "Education", "University", PUBLIC_BODY, ""),
    (10000005, "Leeds City College", "Wider Public Sector", "Colleges of Further Education",
     "True", "Education", "Further education college", PUBLIC_BODY, ""),
    (10000006, "Froyle Parish Council", "Wider Public Sector", "Parish Council", "True",
     "Local Government", "Parish or town council", PUBLIC_BODY, ""),
    (10000007, "Acme Widgets Ltd", "Wider Public Sector", "Private Sector Enabler", "False",
     "Private Sector", "Private sector enabler", PRIVATE_SECTOR_ENABLER, ""),
    (10000008, "St Mary's Church", "Central Government", "Private Sector Enabler", "False",
     "Private Sector", "Private sector enabler", PRIVATE_SECTOR_ENABLER, ""),
    (10000009, "Sport England", "Central Government", "NDPB", "False", "Central Government",
     "Non-departmental public body", PUBLIC_BODY, ""),
    (10000010, "Somewhere Trust", "Wider Public Sector", "TBA", "True",
     "Wider Public Sector", "TBA", PUBLIC_BODY, ""),
    (33333333, "TEST ORG", "Wider Public Sector", "Health", "False", "Health", "Health",
     TEST_RECORD, ""),
    (20000000, "Testing", "Wider Public Sector", "Not for Profit", "False", "Not for Profit",
     "Not for Profit", TEST_RECORD, ""),
    (10000011, "Test Valley Borough Council", "Wider Public Sector", "District Council", "True",
     "Local Government", "District council", PUBLIC_BODY, "Principal councils"),
]  # fmt: skip


def _rows(header: list[str]) -> list[list[object]]:
    return [header] + [[u, n, "", "Town", s, sub, a] for u, n, s, sub, a, *_ in LATER]


@pytest.fixture(
    params=[
        pytest.param(("csv", ["urn", "customername", "acronym", "town", "sector", "subsector",
                              "active"]), id="lower-case CSV"),
        pytest.param(("xlsx", ["URN", "CustomerName", "Acronym", "Town", "Sector", "Subsector",
                               "Active"]), id="XLSX"),
        pytest.param(("csv", ["urn", "organisation", "acronym", "town", "sector", "subsector",
                              "active"]), id="organisation column"),
    ]
)  # fmt: skip
def later_list(request, tmp_path) -> pd.DataFrame:
    kind, header = request.param
    path = tmp_path / f"customers.{kind}"
    if kind == "csv":
        write_csv(path, _rows(header))
    else:
        write_xlsx(path, _rows(header), sheet="Customers")
    return read_customer_list(path, VOCAB).bodies.set_index("urn")


@pytest.mark.parametrize("row", LATER, ids=[r[1] for r in LATER])
def test_each_body_gets_its_sector_type_kind_and_group(later_list, row):
    urn, *_, sector, kind_of_body, kind, group = row
    body = later_list.loc[urn]
    assert (body["sector"], body["organisation_type"], body["kind"], body["adoption_group"]) == (
        sector, kind_of_body, kind, group)  # fmt: skip


def test_inactive_bodies_are_marked(later_list):
    marked = later_list.index[inactive(later_list["active"]).to_numpy()]
    expected = {u for u, _, _, _, active, *_ in LATER if active == "False"}
    assert set(marked) == expected


def test_a_region_in_the_subsector_is_a_region_not_a_type(tmp_path):
    path = write_csv(tmp_path / "customers.csv", [
        ["urn", "customername", "sector", "subsector", "active"],
        [1, "Oldham Council, Strategic Sourcing", "Wider Public Sector", "Region: North West",
         "True"],
        [2, "Wiltshire County Council", "Wider Public Sector", "Region:South West", "False"],
    ])  # fmt: skip
    bodies = read_customer_list(path, VOCAB).bodies.set_index("urn")
    assert bodies["region"].to_dict() == {1: "North West", 2: "South West"}
    assert bodies["organisation_type"].tolist() == ["", ""]
    assert bodies["sector"].tolist() == ["Wider Public Sector", "Wider Public Sector"]


def test_the_2016_list_keeps_its_published_sectors_and_types(tmp_path):
    from tests.builders import write_customer_list

    path = write_customer_list(tmp_path / "urn.xlsx", [
        (1, "2 Signal Regiment", "Central Government", "Army"),
        (2, "Kent County Council", "Local Government", "County Council"),
        (3, "Acme Ltd", "Private", "Private Sector Enabler"),
    ])  # fmt: skip
    bodies = read_customer_list(path, VOCAB).bodies.set_index("urn")
    assert bodies["sector"].tolist() == ["Central Government", "Local Government",
                                         "Private Sector"]  # fmt: skip
    assert bodies["organisation_type"].tolist() == ["Army", "County Council",
                                                    "Private Sector Enabler"]  # fmt: skip
    assert bodies["kind"].tolist() == [PUBLIC_BODY, PUBLIC_BODY, PRIVATE_SECTOR_ENABLER]
