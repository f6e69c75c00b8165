"""The data tables as Chromium draws them from one component per table: GOV.UK markup."""

from __future__ import annotations

import pytest

from dashboard.app import create_app

pytestmark = pytest.mark.browser
CELLS = """
const table = arguments[0];
const cells = (selector) => Array.from(table.querySelectorAll(selector));
return {
  caption: [table.caption.className, table.caption.textContent],
  scopes: cells("thead th").map((th) => th.getAttribute("scope")),
  headers: cells("thead th").map((th) => th.className),
  names: cells("thead th").map((th) => th.textContent),
  cells: cells("tbody tr:first-child td").map((td) => td.className),
  align: cells("tbody tr:first-child td").map((td) => getComputedStyle(td).textAlign),
  rows: cells("tbody tr").length,
};
"""


def test_tables_have_a_caption_header_cells_and_right_aligned_numbers(dash_duo, sample_store):
    dash_duo.start_server(
        create_app(sample_store), debug=True, use_reloader=False, dev_tools_hot_reload=False
    )
    table = dash_duo.wait_for_element("#section-spend-by-period table", timeout=30)
    heading = dash_duo.find_element("#section-spend-by-period h2").text
    drawn = dash_duo.driver.execute_script(CELLS, table)
    columns = len(drawn["headers"])
    # text first: the year and, the sample's latest year being a part year, its months
    assert drawn["names"][1] == "Months covered"
    text = 2
    assert drawn["caption"] == ["govuk-visually-hidden", heading]
    assert drawn["scopes"] == ["col"] * columns
    assert drawn["headers"] == ["govuk-table__header"] * text + [
        "govuk-table__header govuk-table__header--numeric"
    ] * (columns - text)
    assert drawn["cells"] == ["govuk-table__cell"] * text + [
        "govuk-table__cell govuk-table__cell--numeric"
    ] * (columns - text)
    assert drawn["align"] == ["left"] * text + ["right"] * (columns - text)
    assert drawn["rows"] > 1
    assert dash_duo.driver.find_elements("css selector", ".dash-fe-error__title") == []
    assert dash_duo.get_logs() == []
