"""Plotly figure builders: a small query result in, a figure out (no Dash, no data access).

Colours are the Analysis Function palette; series are also told apart by pattern, dash or
marker so that colour is never the only cue. Hover text gives exact values.

Each figure is written as the plain dict plotly.js reads and wrapped in ``go.Figure`` without
validation (plotly's per-property checks and the copy of its default template cost tens of
milliseconds per figure). The layout names its template: the few parts of plotly's default
template that show on these charts (:func:`_template`), so the figures look as they always did
and each response carries about 1 KB of layout rather than 7 KB.
"""

from __future__ import annotations

import base64
import math
import textwrap
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

TWO_SERIES = ("#12436D", "#F46A25")
CATEGORICAL = ("#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1")
PATTERNS = ("", "/", ".", "x", "-", "+")
DASHES = ("solid", "dash", "dot", "dashdot")
MARKERS = ("circle", "square", "diamond", "triangle-up")
TEXT_COLOUR = "#0b0c0c"
MONEY_UNITS = ((1e9, "bn"), (1e6, "m"), (1e3, "k"))
MONEY_HOVER = "£%{y:,.2f}"
_PLOTLY_COLOURS = ("#636efa", "#EF553B", "#00cc96", "#ab63fa", "#FFA15A", "#19d3f3", "#FF6692",
                   "#B6E880", "#FF97FF", "#FECB52")  # fmt: skip
_INTEGER_TYPES = ((np.int8, "i1"), (np.int16, "i2"), (np.int32, "i4"))


def _axis_defaults() -> dict:
    return {
        "automargin": True,
        "gridcolor": "white",
        "linecolor": "white",
        "ticks": "",
        "title": {"standoff": 15},
        "zerolinecolor": "white",
        "zerolinewidth": 2,
    }


def _template() -> dict:
    """What plotly's default template gives bar and line charts (a new dict per figure).

    Its other parts (maps, 3-D scenes, colour scales, backgrounds and fonts that every figure
    here sets itself) change nothing on these charts and are left out.
    """
    return {
        "layout": {
            "autotypenumbers": "strict",
            "colorway": list(_PLOTLY_COLOURS),
            "hoverlabel": {"align": "left"},
            "hovermode": "closest",
            "title": {"x": 0.05},
            "xaxis": _axis_defaults(),
            "yaxis": _axis_defaults(),
        },
        "data": {
            "bar": [
                {
                    "type": "bar",
                    "marker": {
                        "line": {"color": "#E5ECF6", "width": 0.5},
                        "pattern": {"fillmode": "overlay", "size": 10, "solidity": 0.2},
                    },
                }
            ],
        },
    }


def _values(values: Iterable) -> dict | list:
    """A data array as plotly sends it: numbers as a base64 typed array, anything else a list."""
    series = values if isinstance(values, pd.Series) else pd.Series(list(values))
    if not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
        return series.tolist()
    if pd.api.types.is_integer_dtype(series) and not series.hasnans:
        array = series.to_numpy(dtype=np.int64)
        low, high = (int(array.min()), int(array.max())) if len(array) else (0, 0)
        for kind, code in _INTEGER_TYPES:
            if np.iinfo(kind).min <= low and high <= np.iinfo(kind).max:
                return _typed(array.astype(kind), code)
        return array.tolist()
    if series.dtype == np.float32:
        return _typed(series.to_numpy(), "f4")
    return _typed(series.to_numpy(dtype=np.float64, na_value=np.nan), "f8")


def _typed(array: np.ndarray, code: str) -> dict | list:
    if not len(array):
        return []
    return {"dtype": code, "bdata": base64.b64encode(array.tobytes()).decode("ascii")}


def _layout(title: str, y_title: str, height: int = 380, **extra: object) -> dict:
    """The layout every chart shares; ``extra`` adds or replaces top-level keys."""
    layout = {
        "template": _template(),
        "meta": {"title": title},  # the page heading above each chart says what it shows
        "font": {"family": "arial, sans-serif", "color": TEXT_COLOUR, "size": 14},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "height": height,
        "margin": {"l": 60, "r": 20, "t": 30, "b": 50},
        # above the chart: below it, a narrow screen's turned axis labels run into it
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
    layout.update(extra)
    return layout


def _nice_step(span: float, ticks: int = 5) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) giving about ``ticks`` ticks."""
    raw = span / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    return next(m * magnitude for m in (1, 2, 2.5, 5, 10) if raw <= m * magnitude)


def _decimals(number: float) -> int:
    return next((d for d in range(3) if abs(round(number, d) - number) < 1e-9), 2)


def money_ticks(low: float, high: float) -> tuple[list[float], list[str]]:
    """Round tick values covering ``low`` to ``high`` (and zero), labelled as the text writes
    money: ``£0``, ``£20m``, ``£1.5bn``, ``£500k``, ``-£2m``."""
    low, high = min(low, 0.0), max(high, 0.0)
    if high - low <= 0:
        return [0.0], ["£0"]
    step = _nice_step(high - low)
    first, last = math.floor(low / step + 1e-9), math.ceil(high / step - 1e-9)
    values = [n * step for n in range(first, last + 1)]
    largest = max(abs(v) for v in values)
    # thousands only from £10k: below that, whole pounds read better (£2,500, not £2.5k)
    unit, suffix = next(((u, s) for u, s in MONEY_UNITS if largest >= 10 * u or u > 1e3
                         and largest >= u), (1.0, ""))  # fmt: skip
    places = _decimals(step / unit)

    def text(value: float) -> str:
        if value == 0:
            return "£0"
        sign = "-" if value < 0 else ""
        return f"{sign}£{abs(value) / unit:,.{places}f}{suffix}"

    return values, [text(v) for v in values]


def _money_axis(axis: dict, values: Iterable[float]) -> None:
    """Tick values and labels for an axis of pounds (hover text keeps exact pence)."""
    numbers = [float(v) for v in values if v == v]
    ticks, labels = money_ticks(min(numbers, default=0.0), max(numbers, default=0.0))
    axis.update(tickvals=ticks, ticktext=labels, tickprefix="")


def _count_axis(axis: dict, values: Iterable[float]) -> None:
    """Whole numbers only on an axis of counts (never a fraction of a buyer)."""
    largest = max((float(v) for v in values if v == v), default=0.0)
    axis.update(tickformat=",d", rangemode="tozero")
    if largest <= 5:
        axis.update(dtick=1)


def _value_axis(axis: dict, title: str, values: Iterable[float]) -> None:
    """Ticks by what the axis counts: pounds, or whole numbers (shares keep their own)."""
    if "£" in title:
        _money_axis(axis, values)
    elif title and "%" not in title:
        _count_axis(axis, values)


def _stacked_totals(table: pd.DataFrame, columns: Iterable[str]) -> list[float]:
    """Per row, the sum of the positive and of the negative parts (a stack's two ends;
    nulls count nothing). In NumPy: pandas' clip and sum of a small table cost ~3 ms."""
    parts = table[list(columns)].to_numpy(dtype="float64", na_value=np.nan)
    positive, negative = np.clip(parts, 0, None), np.clip(parts, None, 0)
    return [*np.nansum(positive, axis=1).tolist(), *np.nansum(negative, axis=1).tolist()]


def _figure(traces: list[dict], layout: dict) -> go.Figure:
    """A plotly figure of already well-formed traces and layout, without re-validating them."""
    return go.Figure({"data": traces, "layout": layout}, _validate=False)


def _hover(y_title: str) -> str:
    return MONEY_HOVER if "£" in y_title else "%{y:,}"


def _bar_series(x: object, y: object, name: str, colour: str, pattern: str, hover: str) -> dict:
    return {
        "type": "bar",
        "name": name,
        "x": _values(x),
        "y": _values(y),
        "marker": {"color": colour, "pattern": {"shape": pattern, "fgcolor": "#ffffff"}},
        "hovertemplate": f"{name}<br>%{{x}}: {hover}<extra></extra>",
    }


def _line_colour(index: int, count: int = 2) -> str:
    """Up to two series in the two-series colours; more in the categorical palette, in its
    order (so no two of up to six lines share a colour)."""
    palette = TWO_SERIES if count <= 2 else CATEGORICAL
    return palette[index % len(palette)]


def _line_series(x: object, y: object, name: str, index: int, hover: str, count: int = 2) -> dict:
    return {
        "type": "scatter",
        "name": name,
        "x": _values(x),
        "y": _values(y),
        "mode": "lines+markers",
        "line": {
            "color": _line_colour(index, count),
            "dash": DASHES[index % len(DASHES)],
            "width": 3,
        },  # fmt: skip
        "marker": {"symbol": MARKERS[index % len(MARKERS)], "size": 8},
        "hovertemplate": f"{name}<br>%{{x}}: {hover}<extra></extra>",
    }


def stacked_by_group(
    table: pd.DataFrame,
    groups: Mapping[str, str] | Sequence[str],
    title: str,
    y_title: str = "Spend (£)",
) -> go.Figure:
    """Stacked bars per ``period``, one series per buyer group: ``groups`` maps each column
    of ``table`` to its legend name (a list: columns named as the groups); spend, or counts
    of buyers."""
    hover = _hover(y_title)
    series = groups if isinstance(groups, Mapping) else {group: group for group in groups}
    traces = [
        _bar_series(table["period"], table[column], name, CATEGORICAL[i], PATTERNS[i], hover)
        for i, (column, name) in enumerate(series.items())
    ]
    layout = _layout(title, y_title, barmode="stack")
    _value_axis(layout["yaxis"], y_title, _stacked_totals(table, series))
    return _figure(traces, layout)


def grouped_bars(
    x: pd.Series, table: pd.DataFrame, series: Mapping[str, str], title: str, y_title: str
) -> go.Figure:
    """Bars side by side per period, one series per column of ``table`` (counts)."""
    traces = [
        _bar_series(x, table[column], label, TWO_SERIES[i % 2], PATTERNS[i], "%{y:,}")
        for i, (column, label) in enumerate(series.items())
    ]
    layout = _layout(title, y_title, barmode="group")
    _value_axis(layout["yaxis"], y_title, [v for c in series for v in table[c]])
    return _figure(traces, layout)


def bars(x: pd.Series, y: pd.Series, title: str, y_title: str) -> go.Figure:
    """One series of vertical bars (spend or counts)."""
    trace = {
        "type": "bar",
        "x": _values(x),
        "y": _values(y),
        "marker": {"color": CATEGORICAL[0]},
        "hovertemplate": f"%{{x}}: {_hover(y_title)}<extra></extra>",
    }
    layout = _layout(title, y_title)
    _value_axis(layout["yaxis"], y_title, y)
    return _figure([trace], layout)


TARGET_COLOUR = "#3D3D3D"


def share_lines(
    table: pd.DataFrame,
    series: Mapping[str, str],
    title: str,
    x: str = "period",
    target: tuple[str, str] | None = None,
) -> go.Figure:
    """Lines of percentages per period (column ``x``), e.g. SME share by value and volume;
    ``target`` (column, legend name): a level to compare with, drawn as a dark dotted step
    without markers (told apart by its dash and its name, never by colour alone)."""
    traces = [
        _line_series(table[x], table[column], label, i, "%{y:.1f}%", len(series))
        for i, (column, label) in enumerate(series.items())
    ]
    if target is not None and target[0] in table and table[target[0]].notna().any():
        column, name = target
        traces.append({
            "type": "scatter", "name": name, "x": _values(table[x]),
            "y": _values(table[column]), "mode": "lines",
            "line": {"color": TARGET_COLOUR, "dash": "dot", "width": 2, "shape": "hv"},
            "hovertemplate": f"{name}<br>%{{x}}: %{{y:.0f}}%<extra></extra>",
        })  # fmt: skip
    layout = _layout(title, "Share (%)")
    layout["yaxis"] = {"rangemode": "tozero", "ticksuffix": "%", **layout["yaxis"]}
    return _figure(traces, layout)


LABEL_WIDTH = 26  # characters per line of a bar's label (a narrow screen keeps room for bars)


def wrapped(label: str, width: int = LABEL_WIDTH) -> str:
    """A bar's label over lines of at most ``width`` characters (plotly's ``<br>``), whole
    words kept, so a long name is shown whole rather than cut at the chart's edge."""
    return "<br>".join(textwrap.wrap(str(label), width, break_long_words=False)) or str(label)


def horizontal_bars(
    labels: pd.Series,
    values: pd.Series,
    title: str,
    x_title: str = "Spend (£)",
    keys: Sequence | None = None,
) -> go.Figure:
    """One bar per category, largest at the top; long labels wrapped over lines (the hover
    text gives each whole). Each bar carries its key (``customdata``: ``keys``, else its
    label), the value a click on it filters by."""
    money = "£" in x_title
    shown = [wrapped(label) for label in labels]
    trace = {
        "type": "bar",
        "x": _values(values),
        "y": shown,
        "customdata": list(keys) if keys is not None else [str(label) for label in labels],
        "hovertext": [str(label) for label in labels],
        "orientation": "h",
        "marker": {"color": CATEGORICAL[0]},
        "hovertemplate": "%{hovertext}: "
        + ("£%{x:,.2f}" if money else "%{x:,}")
        + "<extra></extra>",
    }
    lines = sum(max(1, label.count("<br>") + 1) for label in shown)
    layout = _layout(title, "", height=max(300, 60 + 12 * len(shown) + 17 * lines))
    layout["margin"]["l"] = 10  # the axis's automargin makes room for the labels
    layout["yaxis"].update(autorange="reversed", type="category", automargin=True)
    # The category axis's white grid of the shared layout is kept on the value axis.
    layout["xaxis"] = {
        "title": {"text": x_title},
        "gridcolor": "#ffffff",
        "tickprefix": "£" if money else "",
        "type": "linear",
    }
    _value_axis(layout["xaxis"], x_title, values)
    return _figure([trace], layout)


def money_lines(
    x: pd.Series,
    series: Mapping[str, pd.Series],
    title: str,
    y_title: str = "Spend (£)",
    months: bool = False,
) -> go.Figure:
    """Lines of pounds per period, one per series (running totals of two years over the
    months of the financial year; a month's total as each release published it). With
    ``months`` (``x`` as ``YYYY-MM``) the axis is a time axis: a gap of months or years
    between points shows as a gap, not as the next category."""
    traces = [
        _line_series(x, values, label, i, MONEY_HOVER, len(series))
        for i, (label, values) in enumerate(series.items())
    ]
    layout = _layout(title, y_title)
    if months:
        layout["xaxis"] = {"gridcolor": "#ffffff", "type": "date", "tickformat": "%b %Y",
                           "hoverformat": "%b %Y"}  # fmt: skip
    _value_axis(layout["yaxis"], y_title, [v for values in series.values() for v in values])
    return _figure(traces, layout)


def empty_figure(title: str, message: str = "No spend matches these filters") -> go.Figure:
    """A figure that says there is nothing to show."""
    layout = _layout(
        title, "", annotations=[{"text": message, "showarrow": False, "font": {"size": 16}}]
    )
    layout["xaxis"]["visible"] = False
    layout["yaxis"]["visible"] = False
    return _figure([], layout)


PART_OPACITY = 0.5
LEVEL_LABELS = 6  # up to this many period labels, a part year's months go on a second line


def _category_x(trace) -> list[str] | None:
    x = trace.x
    if x is None or isinstance(x, dict) or getattr(trace, "orientation", None) == "h":
        return None
    return [str(v) for v in x]


def mark_part_periods(figure: go.Figure, notes: Mapping[str, str]) -> go.Figure:
    """Mark the periods the data cover only in part (``notes``: label -> months covered,
    ``{"2014-15": "Apr–Jun"}``) on a chart by period: the axis label says which months
    (``2014-15 (Apr–Jun)``), their bars are lighter (and hatched when one series), their
    line markers hollow, so a part year never reads as a collapse (never colour alone: the
    label says it)."""
    if not notes:
        return figure
    categories: list[str] = []
    for trace in figure.data:
        x = _category_x(trace)
        if x is None:
            continue
        categories += [c for c in x if c not in categories]
        part = [c in notes for c in x]
        if not any(part):
            continue
        if trace.type == "bar":
            trace.marker.opacity = [PART_OPACITY if p else 1.0 for p in part]
            if len(figure.data) == 1:
                trace.marker.pattern = {"shape": ["/" if p else "" for p in part],
                                        "fgcolor": "#ffffff", "solidity": 0.3}  # fmt: skip
        elif trace.type == "scatter":
            symbol = trace.marker.symbol or "circle"
            trace.marker.symbol = [f"{symbol}-open" if p else symbol for p in part]
    if categories:
        # few labels stand level (the months below the year); many are turned on a narrow
        # screen, where a second line would run into the next label
        joint = "<br>" if len(categories) <= LEVEL_LABELS else " "
        figure.layout.xaxis.tickvals = categories
        figure.layout.xaxis.ticktext = [
            f"{c}{joint}({notes[c]})" if c in notes else c for c in categories
        ]
    return figure


def legend_filters(figure: go.Figure) -> go.Figure:
    """A click on a legend entry shows that series alone (``toggleothers``): the app reads
    it as a filter to that series (a buyer group), so a double click does nothing else."""
    figure.layout.legend.itemclick = "toggleothers"
    figure.layout.legend.itemdoubleclick = False
    return figure


# Status of a council on the hex map: label, colour and marker (never colour alone).
HEX_STATUSES = (
    ("returning", "Returning: bought before and in the period", CATEGORICAL[0], "hexagon"),
    ("new", "New: first purchase in the period", CATEGORICAL[1], "hexagon-dot"),
    ("lapsed", "Lapsed: bought before, not in the period", CATEGORICAL[3], "hexagon-open"),
    ("never", "Never bought (to the end of the period)", "#b1b4b6", "hexagon-open-dot"),
)


def hex_map(table: pd.DataFrame, title: str, size: int = 14) -> go.Figure:
    """Councils as a hex cartogram: one hex per row at its HexJSON position (``q``, ``r``,
    odd rows shifted right half a hex, north up), one trace per ``status`` with its colour
    and marker; hover gives the name and status."""
    traces = []
    for status, label, colour, symbol in HEX_STATUSES:
        rows = table[table["status"].eq(status)]
        x = rows["q"] + 0.5 * (rows["r"] % 2)
        traces.append({
            "type": "scatter", "mode": "markers", "name": f"{label} ({len(rows)})",
            "x": x.tolist(), "y": rows["r"].tolist(), "text": rows["name"].tolist(),
            "hovertemplate": f"%{{text}}<br>{label}<extra></extra>",
            "marker": {"symbol": symbol, "size": size, "color": colour,
                       "line": {"color": colour, "width": 1.5}},
        })  # fmt: skip
    hidden = {"visible": False, "showgrid": False, "zeroline": False}
    layout = _layout(title, "", height=760, margin={"l": 10, "r": 10, "t": 30, "b": 10},
                     legend={"orientation": "v", "x": 0, "y": 1},
                     xaxis={**hidden, "type": "linear"},
                     yaxis={**hidden, "scaleanchor": "x", "scaleratio": 0.866})  # fmt: skip
    return _figure(traces, layout)
