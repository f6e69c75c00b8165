"""Figure builders and data tables: what the page draws, pinned on small hand-made tables."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from plotly.io.json import to_json_plotly

from dashboard.analytics.store import Store
from dashboard.callbacks import render_page
from dashboard.ui import figures
from dashboard.ui.tables import GovukTable, data_table, table_component

ASSETS = Path(figures.__file__).parent.parent / "assets"
PERIODS = pd.DataFrame(
    {
        "period": ["2019-20", "2020-21"],
        "Central government": [1.5, 2.25],
        "Non-Whitehall": [3.0, 4.0],
        "new": [3, 400],
        "old": [-1, 2],
    }
)
MAX_RESPONSE_BYTES = 150_000


def numbers(array: dict | list) -> list:
    """The values of a data array as plotly.js reads it (base64 typed array or list)."""
    if isinstance(array, list):
        return array
    dtypes = {"f8": "<f8", "f4": "<f4", "i1": "i1", "i2": "<i2", "i4": "<i4"}
    return np.frombuffer(base64.b64decode(array["bdata"]), dtype=dtypes[array["dtype"]]).tolist()


def shared_layout(title: str, y_title: str, height: int = 380) -> dict:
    """The layout every chart had before figures were written as plain dicts."""
    return {
        "meta": {"title": title},
        "font": {"family": "arial, sans-serif", "color": "#0b0c0c", "size": 14},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "height": height,
        "margin": {"l": 60, "r": 20, "t": 30, "b": 50},
        "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
        "hoverlabel": {"font": {"family": "arial, sans-serif"}},
        "yaxis": {
            "title": {"text": y_title},
            "gridcolor": "#dddddd",
            "zerolinecolor": "#b1b4b6",
            "tickprefix": "£" if "£" in y_title else "",
        },
        "xaxis": {"gridcolor": "#ffffff", "type": "category"},
    }


def money_axis(layout: dict, axis: str, ticks: list[float], labels: list[str]) -> dict:
    """``layout`` with a pounds axis labelled as the text writes money."""
    layout[axis].update(tickvals=ticks, ticktext=labels, tickprefix="")
    return layout


def count_axis(layout: dict, axis: str = "yaxis", **extra: object) -> dict:
    """``layout`` with an axis of whole numbers."""
    layout[axis].update(tickformat=",d", rangemode="tozero", **extra)
    return layout


def drawn(figure: go.Figure) -> tuple[list[dict], dict]:
    """Traces with their arrays decoded, and the layout without its template."""
    as_json = json.loads(to_json_plotly(figure))
    traces = [
        {key: numbers(value) if key in ("x", "y") else value for key, value in trace.items()}
        for trace in as_json["data"]
    ]
    layout = {key: value for key, value in as_json["layout"].items() if key != "template"}
    return traces, layout


def test_stacked_bars_keep_colours_patterns_and_exact_hover_values():
    figure = figures.stacked_by_group(PERIODS, ["Central government", "Non-Whitehall"], "T")
    traces, layout = drawn(figure)
    assert traces == [
        {
            "type": "bar",
            "name": group,
            "x": ["2019-20", "2020-21"],
            "y": values,
            "marker": {"color": colour, "pattern": {"shape": shape, "fgcolor": "#ffffff"}},
            "hovertemplate": f"{group}<br>%{{x}}: £%{{y:,.2f}}<extra></extra>",
        }
        for group, values, colour, shape in (
            ("Central government", [1.5, 2.25], "#12436D", ""),
            ("Non-Whitehall", [3.0, 4.0], "#28A197", "/"),
        )
    ]
    expected = money_axis(shared_layout("T", "Spend (£)"), "yaxis", [0, 2, 4, 6, 8],
                          ["£0", "£2", "£4", "£6", "£8"])  # fmt: skip
    assert layout == {**expected, "barmode": "stack"}
    counts = figures.stacked_by_group(PERIODS, ["new"], "T", y_title="Buyers")
    assert counts.data[0].hovertemplate == "new<br>%{x}: %{y:,}<extra></extra>"
    assert counts.layout.yaxis.tickprefix == ""
    assert counts.layout.yaxis.tickformat == ",d"


def test_grouped_bars_and_single_bars():
    grouped = figures.grouped_bars(
        PERIODS["period"], PERIODS, {"new": "New", "old": "Returning"}, "T", "Buyers"
    )
    traces, layout = drawn(grouped)
    assert [(t["name"], t["y"], t["marker"]["color"], t["marker"]["pattern"]) for t in traces] == [
        ("New", [3, 400], "#12436D", {"shape": "", "fgcolor": "#ffffff"}),
        ("Returning", [-1, 2], "#F46A25", {"shape": "/", "fgcolor": "#ffffff"}),
    ]
    assert traces[0]["hovertemplate"] == "New<br>%{x}: %{y:,}<extra></extra>"
    assert layout == {**count_axis(shared_layout("T", "Buyers")), "barmode": "group"}
    single, layout = drawn(figures.bars(PERIODS["period"], PERIODS["new"], "T", "Spend (£)"))
    assert single == [
        {
            "type": "bar",
            "x": ["2019-20", "2020-21"],
            "y": [3, 400],
            "marker": {"color": "#12436D"},
            "hovertemplate": "%{x}: £%{y:,.2f}<extra></extra>",
        }
    ]
    assert layout == money_axis(
        shared_layout("T", "Spend (£)"),
        "yaxis",
        [0, 100, 200, 300, 400],
        ["£0", "£100", "£200", "£300", "£400"],
    )
    few = figures.bars(PERIODS["period"], pd.Series([1, 3]), "T", "Buyers")
    assert (few.layout.yaxis.tickformat, few.layout.yaxis.dtick) == (",d", 1)


def test_lines_tell_series_apart_by_dash_and_marker():
    shares, layout = drawn(
        figures.share_lines(PERIODS, {"new": "By value", "old": "By volume"}, "T")
    )
    assert [(t["line"], t["marker"], t["mode"]) for t in shares] == [
        ({"color": "#12436D", "dash": "solid", "width": 3}, {"symbol": "circle", "size": 8},
         "lines+markers"),
        ({"color": "#F46A25", "dash": "dash", "width": 3}, {"symbol": "square", "size": 8},
         "lines+markers"),
    ]  # fmt: skip
    assert shares[1]["hovertemplate"] == "By volume<br>%{x}: %{y:.1f}%<extra></extra>"
    expected = shared_layout("T", "Share (%)")
    expected["yaxis"].update(rangemode="tozero", ticksuffix="%")
    assert layout == expected
    series = {"2024-25": PERIODS["Central government"], "2025-26": PERIODS["Non-Whitehall"]}
    running, layout = drawn(figures.money_lines(PERIODS["period"], series, "T"))
    assert [(t["name"], t["y"]) for t in running] == [("2024-25", [1.5, 2.25]), ("2025-26", [3, 4])]
    assert running[0]["hovertemplate"] == "2024-25<br>%{x}: £%{y:,.2f}<extra></extra>"
    assert layout == money_axis(shared_layout("T", "Spend (£)"), "yaxis", [0, 1, 2, 3, 4],
                                ["£0", "£1", "£2", "£3", "£4"])  # fmt: skip


def test_horizontal_bars_put_the_largest_at_the_top():
    labels = pd.Series([f"Supplier {n}" for n in range(12)])
    traces, layout = drawn(figures.horizontal_bars(labels, pd.Series(range(12, 0, -1)), "T"))
    assert traces == [
        {
            "type": "bar",
            "x": list(range(12, 0, -1)),
            "y": labels.tolist(),
            "customdata": labels.tolist(),
            "hovertext": labels.tolist(),
            "orientation": "h",
            "marker": {"color": "#12436D"},
            "hovertemplate": "%{hovertext}: £%{x:,.2f}<extra></extra>",
        }
    ]
    expected = shared_layout("T", "", height=60 + (12 + 17) * 12)
    expected["margin"]["l"] = 10
    expected["yaxis"].update(autorange="reversed", type="category", automargin=True)
    expected["xaxis"] = {
        "title": {"text": "Spend (£)"},
        "gridcolor": "#ffffff",
        "tickprefix": "£",
        "type": "linear",
    }
    assert layout == money_axis(expected, "xaxis", [0, 2.5, 5, 7.5, 10, 12.5],
                                ["£0", "£2.5", "£5.0", "£7.5", "£10.0", "£12.5"])  # fmt: skip
    few = figures.horizontal_bars(labels[:2], pd.Series([1, 2]), "T", x_title="Buyers")
    assert few.layout.height == 300
    assert few.data[0].hovertemplate == "%{hovertext}: %{x:,}<extra></extra>"


def test_long_bar_labels_are_wrapped_whole_never_cut():
    name = "Department for Environment, Food and Rural Affairs Digital Services"
    figure = figures.horizontal_bars(pd.Series([name, "Acme"]), pd.Series([2, 1]), "T")
    trace = figure.data[0]
    assert (
        trace.y[0] == "Department for<br>Environment, Food and<br>Rural Affairs Digital<br>Services"
    )
    assert all(len(line) <= figures.LABEL_WIDTH for line in trace.y[0].split("<br>"))
    assert trace.hovertext[0] == name  # the hover gives it whole
    assert figure.layout.height == max(300, 60 + 12 * 2 + 17 * 5)


@pytest.mark.parametrize(
    ("low", "high", "labels"),
    [
        pytest.param(0, 20e6, ["£0", "£5m", "£10m", "£15m", "£20m"], id="millions"),
        pytest.param(0, 1.4e9, ["£0", "£0.5bn", "£1.0bn", "£1.5bn"], id="billions"),
        pytest.param(0, 14.97e9, ["£0", "£5bn", "£10bn", "£15bn"], id="tens-of-billions"),
        pytest.param(-2e6, 17e6, ["-£5m", "£0", "£5m", "£10m", "£15m", "£20m"], id="credits"),
        pytest.param(0, 45_000, ["£0", "£10k", "£20k", "£30k", "£40k", "£50k"], id="thousands"),
        pytest.param(0, 2_300, ["£0", "£500", "£1,000", "£1,500", "£2,000", "£2,500"], id="pounds"),
        pytest.param(0, 0, ["£0"], id="nothing"),
    ],
)
def test_money_axis_ticks_read_like_the_text(low, high, labels):
    assert figures.money_ticks(low, high)[1] == labels


def test_empty_figure_says_so_without_axes():
    traces, layout = drawn(figures.empty_figure("T"))
    expected = shared_layout("T", "")
    expected["xaxis"]["visible"] = False
    expected["yaxis"]["visible"] = False
    expected["annotations"] = [
        {"text": "No spend matches these filters", "showarrow": False, "font": {"size": 16}}
    ]
    assert traces == [] and layout == expected


def test_figures_carry_a_small_template_of_their_own():
    figure = figures.bars(PERIODS["period"], PERIODS["new"], "T", "Buyers")
    template = figure.to_plotly_json()["layout"]["template"]
    assert template["layout"]["hovermode"] == "closest"
    assert template["layout"]["hoverlabel"] == {"align": "left"}
    assert template["layout"]["xaxis"]["automargin"] is True
    assert template["data"]["bar"][0]["marker"]["line"] == {"color": "#E5ECF6", "width": 0.5}
    assert not {"geo", "scene", "polar", "colorscale"} & set(template["layout"])
    assert len(to_json_plotly(figure.layout)) < 2_000
    figure.layout.template.layout.hovermode = "x"
    again = figures.bars(PERIODS["period"], PERIODS["new"], "T", "Buyers")
    assert again.layout.template.layout.hovermode == "closest"


@pytest.mark.parametrize(
    "build",
    [
        lambda: figures.stacked_by_group(PERIODS, ["Central government", "Non-Whitehall"], "T"),
        lambda: figures.grouped_bars(PERIODS["period"], PERIODS, {"new": "N"}, "T", "Buyers"),
        lambda: figures.bars(PERIODS["period"], PERIODS["new"], "T", "Spend (£)"),
        lambda: figures.share_lines(PERIODS, {"new": "a", "old": "b"}, "T"),
        lambda: figures.horizontal_bars(PERIODS["period"], PERIODS["old"], "T"),
        lambda: figures.money_lines(PERIODS["period"], {"a": PERIODS["new"]}, "T"),
        lambda: figures.empty_figure("T"),
    ],
)
def test_unvalidated_figures_pass_plotly_validation_and_stay_editable(build):
    figure = build()
    assert isinstance(figure, go.Figure)
    go.Figure(figure.to_plotly_json())  # plotly's full validation raises on any bad property
    assert figure.update_layout(height=500).layout.height == 500


def test_data_arrays_are_sent_as_plotly_sends_them():
    assert figures._values(pd.Series([1, 2, 300])) == {"dtype": "i2", "bdata": "AQACACwB"}
    assert figures._values(pd.Series([1, 2**40])) == [1, 2**40]
    assert numbers(figures._values(pd.Series([1.5, None]))) == pytest.approx(
        [1.5, np.nan], nan_ok=True
    )
    assert figures._values(pd.Series(["a", "b"])) == ["a", "b"]
    assert figures._values(pd.Series([], dtype="float64")) == []


TABLE = pd.DataFrame(
    {
        "Supplier": ["<script>alert(1)</script>", "A & B <b>Ltd</b>", None],
        "Spend (£)": [1234.5, -2.0, float("nan")],
        "Share of spend (%)": [12.345, 0.0, None],
        "Buyers": [1200, 3, 0],
        "URN": pd.array([10029409, None, 7], dtype="Int64"),
    }
)


UNITS = ["text", "gbp", "pct", "count", "id"]


def test_table_cells_are_the_formatted_texts_with_numeric_columns_marked():
    table = table_component(TABLE, "Top suppliers: all months", UNITS)
    assert isinstance(table, GovukTable)
    assert table.caption == "Top suppliers: all months"
    assert table.className == "govuk-table app-table"
    assert table.columns == ["Supplier", "Spend (£)", "Share of spend (%)", "Buyers", "URN"]
    assert table.numeric == [False, True, True, True, True]
    assert json.loads(table.rows_json) == [
        ["<script>alert(1)</script>", "£1,234.50", "12.3%", "1,200", "10029409"],
        ["A & B <b>Ltd</b>", "-£2.00", "0.0%", "3", "–"],
        ["–", "–", "–", "0", "7"],
    ]


def test_cells_are_text_never_markup():
    payload = to_json_plotly(data_table(TABLE, "Caption <i>here</i>"))
    assert "<script" not in payload and "<b>" not in payload and "<td" not in payload
    rows = json.loads(
        json.loads(payload)["props"]["children"][1]["props"]["children"]["props"]["rows_json"]
    )
    assert rows[0][0] == "<script>alert(1)</script>"
    script = (ASSETS / "30-table.js").read_text(encoding="utf-8")
    assert "dangerouslySetInnerHTML" not in script and "innerHTML" not in script


def test_the_table_is_a_scrollable_labelled_region_with_a_row_limit_note():
    wrapper = data_table(TABLE, "Caption", limit=2)
    note, hint, region = wrapper.children
    assert note.children == "Showing the first 2 of 3 rows; the downloads have them all."
    # a hint the browser shows when the table is wider than the screen (30-table.js)
    assert hint.hidden and "app-table-hint" in hint.className and "sideways" in hint.children
    assert (region.className, region.role, region.tabIndex) == (
        "app-table-scroll app-print-rows-10",
        "region",
        0,
    )
    assert getattr(region, "aria-label") == "Caption"
    assert len(json.loads(region.children.rows_json)) == 2
    assert len(data_table(TABLE, "Caption").children) == 2
    note, _, region = data_table(TABLE, "Caption", printed=2).children
    assert note.children == "Printed: the first 2 of 3 rows; the downloads have them all."
    assert "app-print-only" in note.className and "app-print-rows-2" in region.className
    empty = data_table(TABLE.iloc[0:0], "Caption")
    assert empty.children.children == "Nothing to show: no rows."


def test_the_browser_side_component_matches_the_python_one():
    script = (ASSETS / "30-table.js").read_text(encoding="utf-8")
    component = table_component(TABLE, "Caption").to_plotly_json()
    assert component["namespace"] == "dashboard" and component["type"] == "GovukTable"
    assert re.search(r"window\.dashboard = .*GovukTable: GovukTable", script)
    for prop in ("caption", "columns", "numeric", "rows_json", "className", "id"):
        assert f"props.{prop}" in script
    for name in (
        "govuk-table__header",
        "govuk-table__cell",
        "govuk-visually-hidden",
        "govuk-table__head",
        "govuk-table__body",
        "govuk-table__row",
        'scope: "col"',
    ):
        assert name in script  # fmt: skip


def test_a_table_of_two_hundred_rows_stays_small():
    wide = pd.concat([TABLE] * 70, ignore_index=True)
    assert len(to_json_plotly(data_table(wide, "Caption")).encode()) < 20 * 200 * len(TABLE.columns)


@pytest.fixture(scope="module")
def data(sample_store) -> Store:
    return Store(sample_store)


@pytest.mark.parametrize(
    "path",
    ["/", "/adoption", "/suppliers", "/department?name=ministry-of-justice", "/data-quality"],
)
@pytest.mark.slow
@pytest.mark.parametrize("search", ["", "?period=month", "?fy=2019-20&buyer_group=non-whitehall"])
def test_every_page_response_stays_under_150_kb(data, path, search):
    pathname, _, own = path.partition("?")
    query = "&".join(part for part in (own, search.lstrip("?")) if part)
    page, _ = render_page(data, pathname, f"?{query}" if query else "")
    assert len(to_json_plotly(page).encode()) <= MAX_RESPONSE_BYTES


@pytest.mark.parametrize("unit", ["customer", "supplier", "department"])
@pytest.mark.parametrize(
    "name",
    ["Leeds City Council", "Department for Environment, Food and Rural Affairs",
     "A&B / C? 100% Ltd", "Zürich #1 + co", "(not stated)", ""],
)  # fmt: skip
def test_links_written_once_per_table_are_the_links_written_one_by_one(unit, name):
    from dataclasses import replace

    from dashboard.analytics.filters import Filters, carried, to_query
    from dashboard.ui.links import PAGE_OF_UNIT, body_hrefs

    filters = Filters(fy=("2019-20",), framework=("G-Cloud",), sme=("SME",),
                      customer=("Home Office",), name="Cabinet Office")  # fmt: skip
    page, field = PAGE_OF_UNIT[unit]
    value = (name,) if field == "supplier" else name
    expected = None if name in ("(not stated)", "") else (
        page + to_query(replace(carried(filters), **{field: value})))  # fmt: skip
    assert body_hrefs(unit, filters)(name) == expected
