"""Building the register table from hand-made publisher files: each publisher's layout, the
hand-kept corrections and additions, reorganisations, and errors that name the file."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from loaders.bodies.registers.build import build_registers, write_registers
from loaders.bodies.registers.table import (
    existing_between,
    read_register_bodies,
    register_counts,
)
from loaders.core.errors import LoaderInputError
from tests.loaders.registers.builders import record_hash, register_folder


def _row(bodies, register, code):
    found = bodies[(bodies["register"] == register) & (bodies["code"] == code)]
    assert len(found) == 1, (register, code)
    return found.iloc[0]


def test_each_publisher_file_gives_its_register(tmp_path):
    bodies = build_registers(register_folder(tmp_path))
    assert bodies.groupby("register").size().to_dict() == {
        "central-government": 3,  # the court is not a central government body
        "combined-authority": 1,
        "fire-authority": 2,
        "nhs-trust": 3,
        "police-force": 2,
        "principal-council": 6,
    }
    kent = _row(bodies, "principal-council", "KEN")
    assert (kent["organisation_type"], kent["region"], kent["gss_code"]) == (
        "County council", "South East", "E10000016")  # fmt: skip
    assert _row(bodies, "principal-council", "MAN")["combined_authority"] == "GMCA"
    assert _row(bodies, "combined-authority", "GMCA")["organisation_type"] == "Combined authority"


def test_nhs_trusts_kind_nation_and_dates_come_from_the_ods_file(tmp_path):
    bodies = build_registers(register_folder(tmp_path))
    east_kent = _row(bodies, "nhs-trust", "RVV")
    assert (east_kent["organisation_type"], east_kent["nhs_region"], east_kent["nation"]) == (
        "NHS foundation trust", "South East", "England")  # fmt: skip
    barnet = _row(bodies, "nhs-trust", "RVL")
    assert (barnet["organisation_type"], barnet["end_date"]) == ("NHS trust", "2014-07-01")
    assert _row(bodies, "nhs-trust", "RT4")["nation"] == "Wales"
    assert east_kent["stem"] == "EAST KENT HOSPITALS UNIVERSITY"


def test_govuk_closures_with_and_without_a_date(tmp_path):
    bodies = build_registers(register_folder(tmp_path))
    highways = _row(bodies, "central-government", "highways-agency")
    assert (highways["end_date"], highways["end_date_unknown"]) == ("2015-03-31", "")
    undated = _row(bodies, "central-government", "go-nw")
    assert (undated["end_date"], undated["end_date_unknown"]) == ("", "yes")
    assert _row(bodies, "central-government", "home-office")["alt_names"] == ""  # HO: too short


def test_abolished_councils_end_the_day_before_their_successor_and_take_its_region(tmp_path):
    folder = register_folder(tmp_path)
    write_registers(build_registers(folder), folder)
    bodies = read_register_bodies(folder / "bodies.csv")
    dorset = _row(bodies, "principal-council", "DOR")
    assert dorset["end_date"] == dt.datetime(2019, 3, 31)  # published as the vesting day
    assert dorset["region"] == "South West"
    councils = bodies[bodies["register"].eq("principal-council")]
    in_2018 = councils[existing_between(councils, dt.date(2018, 4, 1), dt.date(2019, 3, 31))]
    in_2019 = councils[existing_between(councils, dt.date(2019, 4, 1), dt.date(2020, 3, 31))]
    assert set(in_2018["code"]) == {"KEN", "DOR", "WDO", "MAN", "BFS"}
    assert set(in_2019["code"]) == {"KEN", "DST", "MAN", "BFS"}


def test_hand_kept_corrections_additions_exclusions_aliases_and_areas(tmp_path):
    folder = register_folder(
        tmp_path,
        corrections=[["principal-council", "BFS", "start_date", "", "one council throughout"]],
        additions=[["police-force", "police-scotland", "Police Scotland",
                    "Territorial police force", "2013-04-01", "", "Scotland", "Scotland", "",
                    "Scotland", "", "Police and Fire Reform (Scotland) Act 2012"]],
        exclusions=[["central-government", "go-nw", "closed regional office"]],
        aliases=[["fire-authority", "027", "London Fire Commissioner", "since 2018"]],
        areas=[["police-force", "kent", "England", "South East"]],
    )  # fmt: skip
    write_registers(build_registers(folder), folder)
    bodies = read_register_bodies(folder / "bodies.csv")
    counts = register_counts(bodies, dt.date(2014, 4, 1), dt.date(2015, 3, 31))
    councils = counts[counts["register"].eq("principal-council")]["bodies"].sum()
    assert councils == 5  # Kent, Dorset, West Dorset, Manchester and Belfast (start removed)
    assert _row(bodies, "principal-council", "BFS")["start_date"] is pd.NaT
    assert _row(bodies, "police-force", "police-scotland")["source"] == "additions.csv"
    assert "go-nw" not in set(bodies["code"])
    assert "London Fire Commissioner" in _row(bodies, "fire-authority", "027")["aliases"]
    assert _row(bodies, "police-force", "kent")["region"] == "South East"


def test_a_changed_publisher_file_stops_the_build_naming_it(tmp_path):
    folder = register_folder(tmp_path)
    with (folder / "sources/police.tsv").open("a", encoding="utf-8") as handle:
        handle.write("surrey\tSurrey Police\n")
    with pytest.raises(LoaderInputError, match=r"police\.tsv: differs from the file recorded"):
        build_registers(folder)


@pytest.mark.parametrize(
    ("hand_kept", "message"),
    [
        pytest.param({"corrections": [["police-force", "nowhere", "name", "X", "s"]]},
                     r"corrections\.csv, row 2: names no register body", id="correction"),
        pytest.param({"aliases": [["police-force", "nowhere", "X", "n"]]},
                     r"aliases\.csv, row 2: names no register body", id="alias"),
        pytest.param({"exclusions": [["police-force", "nowhere", "r"]]},
                     r"exclusions\.csv: names no register body", id="exclusion"),
        pytest.param({"additions": [["police-force", "kent", "Kent Police", "x", "", "", "", "",
                                     "", "", "", "s"]]},
                     r"police-force:kent' is listed twice", id="duplicate"),
        pytest.param({"additions": [["police-force", "x", "X Police", "x", "2013-13-01", "", "",
                                     "", "", "", "", "s"]]},
                     r"police-force:x: start_date '2013-13-01' is not YYYY-MM-DD",
                     id="bad date"),
    ],
)  # fmt: skip
def test_bad_hand_kept_rows_name_the_file_and_row(tmp_path, hand_kept, message):
    with pytest.raises(LoaderInputError, match=message):
        build_registers(register_folder(tmp_path, **hand_kept))


def test_an_unknown_council_type_names_the_row_and_column(tmp_path):
    folder = register_folder(tmp_path)
    path = folder / "sources/la.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",NID,", ",PARISH,"), "utf-8")
    record_hash(folder, "sources/la.csv")
    with pytest.raises(LoaderInputError, match=r"la\.csv, row 8, column 'local-authority-type'"):
        build_registers(folder)
