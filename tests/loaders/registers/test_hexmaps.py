"""The hex cartograms of local authority districts: one layout per reorganisation, every
district council of a period on a hex, county councils listed beside the map."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pandas as pd
import pytest

from loaders.bodies.registers.hexmaps import (
    council_hexes,
    layout_for,
    not_drawn,
    read_hexes,
    read_layouts,
)
from loaders.bodies.registers.table import existing_between, read_register_bodies
from loaders.core.errors import LoaderInputError


@pytest.mark.parametrize(
    ("start", "file", "drawn", "counties", "other"),
    [
        pytest.param(2014, "uk-local-authority-districts-2018.hexjson", 381, 27, 25,
                     id="2014-15: Northern Ireland's 26 councils of 2014 are not on the map"),
        pytest.param(2015, "uk-local-authority-districts-2018.hexjson", 391, 27, 0, id="2015-16"),
        pytest.param(2019, "uk-local-authority-districts-2019.hexjson", 382, 26, 0, id="2019-20"),
        pytest.param(2020, "uk-local-authority-districts-2020.hexjson", 379, 25, 0, id="2020-21"),
        pytest.param(2021, "uk-local-authority-districts-2021.hexjson", 374, 24, 0, id="2021-22"),
        pytest.param(2023, "uk-local-authority-districts-2023.hexjson", 361, 21, 0, id="2023-24"),
    ],
)  # fmt: skip
def test_every_district_council_of_a_period_has_a_hex(start, file, drawn, counties, other):
    bodies = read_register_bodies()
    first, last = dt.date(start, 4, 1), dt.date(start + 1, 3, 31)
    councils = bodies[bodies["register"].eq("principal-council")
                      & existing_between(bodies, first, last)]  # fmt: skip
    layout = layout_for(last)
    assert layout.file == file
    _, hexes = read_hexes(layout)
    placed = council_hexes(councils, hexes)
    assert len(placed) == drawn
    assert not placed.duplicated(["q", "r"]).any()
    missing = not_drawn(councils, placed)["organisation_type"].value_counts().to_dict()
    assert missing.get("County council", 0) == counties
    assert sum(missing.values()) - counties == other


def test_a_former_gss_code_places_a_council_and_a_changed_file_is_refused(tmp_path):
    layout = read_layouts()[0]
    hexes = {"layout": "odd-r", "hexes": {"E08000020": {"n": "Gateshead", "q": 1, "r": 2}}}
    data = json.dumps(hexes).encode()
    (tmp_path / layout.file).write_bytes(data)
    (tmp_path / "hexmaps.csv").write_text(
        "file,first_day,layout_of,publisher,url,published,licence,licence_url,sha256\n"
        f"{layout.file},2009-04-01,test,p,u,2018,MIT,l,{hashlib.sha256(data).hexdigest()}\n",
        encoding="utf-8",
    )
    kind, table = read_hexes(layout_for(dt.date(2015, 3, 31), tmp_path), tmp_path)
    councils = pd.DataFrame(
        {
            "register": ["principal-council"],
            "code": ["GAT"],
            "gss_code": ["E08000037"],
            "former_gss_codes": ["E08000020"],
        }
    )
    placed = council_hexes(councils, table)
    assert (kind, placed[["code", "q", "r"]].values.tolist()) == ("odd-r", [["GAT", 1, 2]])
    (tmp_path / layout.file).write_bytes(data + b" ")
    with pytest.raises(LoaderInputError, match="differs from the file recorded"):
        read_hexes(layout_for(dt.date(2015, 3, 31), tmp_path), tmp_path)
