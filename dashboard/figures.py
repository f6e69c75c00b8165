"""Plotly figure builders: a small query result in, a figure out (no Dash, no data access).

Colours are the Analysis Function palette; series are also told apart by pattern, dash or
marker so that colour is never the only cue. Hover text gives exact values.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

TWO_SERIES = ("#12436D", "#F46A25")
CATEGORICAL = ("#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1")
PATTERNS = ("", "/", ".", "x", "-", "+")
DASHES = ("solid", "dash", "dot", "dashdot")
MARKERS = ("circle", "square", "diamond", "triangle-up")
TEXT_COLOUR = "#0b0c0c"
MONEY_HOVER = "£%{y:,.2f}"


def _layout(figure: go.Figure, title: str, y_title: str, height: int = 380) -> go.Figure:
    figure.update_layout(
        title=None,  # the page heading above each chart says what it shows
        meta={"title": title},
        font={"family": "arial, sans-serif", "color": TEXT_COLOUR, "size": 14},
        paper_bgcolor="#ffffff",
        plot_bgcolor="#ffffff",
        height=height,
        margin={"l": 60, "r": 20, "t": 30, "b": 50},
        legend={"orientation": "h", "y": -0.18, "x": 0},
        hoverlabel={"font": {"family": "arial, sans-serif"}},
        yaxis={
            "title": y_title,
            "gridcolor": "#dddddd",
            "zerolinecolor": "#b1b4b6",
            "tickprefix": "£" if "£" in y_title else "",
        },
        xaxis={"gridcolor": "#ffffff", "type": "category"},
    )
    return figure


def stacked_by_group(
    table: pd.DataFrame, groups: list[str], title: str, y_title: str = "Spend (£)"
) -> go.Figure:
    """Stacked bars per period, one series per buyer group (spend, or counts of buyers)."""
    hover = MONEY_HOVER if "£" in y_title else "%{y:,}"
    figure = go.Figure()
    for index, group in enumerate(groups):
        figure.add_bar(
            name=group,
            x=table["period"],
            y=table[group],
            marker={
                "color": CATEGORICAL[index],
                "pattern": {"shape": PATTERNS[index], "fgcolor": "#ffffff"},
            },
            hovertemplate=f"{group}<br>%{{x}}: {hover}<extra></extra>",
        )
    figure.update_layout(barmode="stack")
    return _layout(figure, title, y_title)


def grouped_bars(
    x: pd.Series, table: pd.DataFrame, series: dict[str, str], title: str, y_title: str
) -> go.Figure:
    """Bars side by side per period, one series per column of ``table`` (counts)."""
    figure = go.Figure()
    for index, (column, label) in enumerate(series.items()):
        figure.add_bar(
            name=label,
            x=x,
            y=table[column],
            marker={
                "color": TWO_SERIES[index % 2],
                "pattern": {"shape": PATTERNS[index], "fgcolor": "#ffffff"},
            },
            hovertemplate=f"{label}<br>%{{x}}: %{{y:,}}<extra></extra>",
        )
    figure.update_layout(barmode="group")
    return _layout(figure, title, y_title)


def bars(x: pd.Series, y: pd.Series, title: str, y_title: str) -> go.Figure:
    """One series of vertical bars (spend or counts)."""
    hover = MONEY_HOVER if "£" in y_title else "%{y:,}"
    figure = go.Figure(
        go.Bar(x=x, y=y, marker={"color": CATEGORICAL[0]},
               hovertemplate=f"%{{x}}: {hover}<extra></extra>")
    )  # fmt: skip
    return _layout(figure, title, y_title)


def share_lines(table: pd.DataFrame, series: dict[str, str], title: str) -> go.Figure:
    """Lines of percentages per period (e.g. SME share by value and by volume)."""
    figure = go.Figure()
    for index, (column, label) in enumerate(series.items()):
        figure.add_scatter(
            name=label,
            x=table["period"],
            y=table[column],
            mode="lines+markers",
            line={"color": TWO_SERIES[index % 2], "dash": DASHES[index], "width": 3},
            marker={"symbol": MARKERS[index], "size": 8},
            hovertemplate=f"{label}<br>%{{x}}: %{{y:.1f}}%<extra></extra>",
        )
    figure.update_yaxes(rangemode="tozero", ticksuffix="%")
    return _layout(figure, title, "Share (%)")


def horizontal_bars(
    labels: pd.Series, values: pd.Series, title: str, x_title: str = "Spend (£)"
) -> go.Figure:
    """One bar per category, largest at the top."""
    money = "£" in x_title
    figure = go.Figure(
        go.Bar(
            x=values,
            y=labels,
            orientation="h",
            marker={"color": CATEGORICAL[0]},
            hovertemplate="%{y}: " + ("£%{x:,.2f}" if money else "%{x:,}") + "<extra></extra>",
        )
    )
    figure.update_yaxes(autorange="reversed", type="category", title=None)
    figure.update_xaxes(title=x_title, gridcolor="#dddddd", tickprefix="£" if money else "")
    height = max(300, 60 + 28 * len(labels))
    figure = _layout(figure, title, "", height=height)
    figure.update_layout(margin={"l": 240}, xaxis={"type": "linear"}, yaxis={"type": "category"})
    return figure


def cumulative_lines(
    x: pd.Series, series: dict[str, pd.Series], title: str, y_title: str = "Spend (£)"
) -> go.Figure:
    """Running totals of two years over the months of the financial year."""
    figure = go.Figure()
    for index, (label, values) in enumerate(series.items()):
        figure.add_scatter(
            name=label,
            x=x,
            y=values,
            mode="lines+markers",
            line={"color": TWO_SERIES[index % 2], "dash": DASHES[index], "width": 3},
            marker={"symbol": MARKERS[index], "size": 8},
            hovertemplate=f"{label}<br>%{{x}}: {MONEY_HOVER}<extra></extra>",
        )
    return _layout(figure, title, y_title)


def empty_figure(title: str, message: str = "No spend matches these filters") -> go.Figure:
    """A figure that says there is nothing to show."""
    figure = go.Figure()
    figure.add_annotation(text=message, showarrow=False, font={"size": 16})
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    return _layout(figure, title, "")
