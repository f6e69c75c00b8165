"""The brief's three small charts, each with its numbers on it (a printed page has no hover):
spend by financial year, the SME share against a comparison and the government's
aspiration, and the largest suppliers of the year. Plain plotly dicts, fixed sizes, so the
three sit side by side on one A4 page."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from dashboard.ui.figures import CATEGORICAL, TARGET_COLOUR, TEXT_COLOUR, TWO_SERIES, wrapped
from dashboard.ui.formatting import format_money

WIDTH, HEIGHT = 225, 240  # pixels: three across the 186 mm (703 px) of A4 inside its margins
FONT = {"family": "arial, sans-serif", "color": TEXT_COLOUR, "size": 11}
SUPPLIER_LABEL = 22  # characters per line of a supplier's name


def _layout(**extra: object) -> dict:
    layout = {
        "width": WIDTH,
        "height": HEIGHT,
        "font": FONT,
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "margin": {"l": 8, "r": 8, "t": 24, "b": 8},
        "showlegend": False,
        "xaxis": {
            "type": "category",
            "automargin": True,
            "fixedrange": True,
            "tickangle": 0,
            "tickfont": {"size": 9},
        },
        "yaxis": {"visible": False, "fixedrange": True, "rangemode": "tozero"},
    }
    layout.update(extra)
    return layout


def spend_by_year(by_year: pd.DataFrame) -> go.Figure:
    """Bars of spend by financial year, each labelled with its amount; a part year lighter
    and hatched, its months under its year."""
    part = by_year["months"].ne("")
    pairs = zip(by_year["financial_year"], by_year["months"], strict=True)
    labels = [f"{year}<br>({months})" if months else year for year, months in pairs]
    trace = {
        "type": "bar",
        "x": labels,
        "y": by_year["spend_gbp"].tolist(),
        "text": [format_money(v) for v in by_year["spend_gbp"]],
        "textposition": "outside",
        "textfont": {"size": 10},
        "cliponaxis": False,
        "marker": {"color": CATEGORICAL[0], "opacity": [0.5 if p else 1 for p in part],
                   "pattern": {"shape": ["/" if p else "" for p in part],
                               "fgcolor": "#ffffff"}},
    }  # fmt: skip
    top = max([float(v) for v in by_year["spend_gbp"]] + [0.0])
    layout = _layout()
    layout["yaxis"]["range"] = [0, top * 1.25 or 1]
    return go.Figure({"data": [trace], "layout": layout}, _validate=False)


def _percent(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else (
        f"{float(value):.0f}%")  # fmt: skip


def sme_shares(sme: pd.DataFrame, subject: str, comparison: str) -> go.Figure:
    """The subject's SME share by year (labelled), the comparison's, and the aspiration as a
    dotted step; a small key under the lines names them in words."""
    years = sme["financial_year"].tolist()
    own, other = sme["subject_pct"].astype(float), sme["comparison_pct"].astype(float)
    above = (own >= other) | other.isna()  # the higher of the two labelled above its point
    traces = [
        {"type": "scatter", "x": years, "y": own.tolist(), "name": subject,
         "mode": "lines+markers+text", "text": [_percent(v) for v in own],
         "textposition": ["top center" if a else "bottom center" for a in above],
         "cliponaxis": False,
         "line": {"color": TWO_SERIES[0], "width": 3}, "marker": {"size": 7}},
        {"type": "scatter", "x": years, "y": other.tolist(), "name": comparison,
         "mode": "lines+markers+text", "text": [_percent(v) for v in other],
         "textposition": ["bottom center" if a else "top center" for a in above],
         "textfont": {"color": "#484949", "size": 10}, "cliponaxis": False,
         "line": {"color": TWO_SERIES[1], "width": 2, "dash": "dash"},
         "marker": {"size": 6, "symbol": "square"}},
    ]  # fmt: skip
    if sme["target_pct"].notna().any():
        traces.append({"type": "scatter", "x": years, "y": sme["target_pct"].tolist(),
                       "name": "aspiration", "mode": "lines",
                       "line": {"color": TARGET_COLOUR, "dash": "dot", "width": 2,
                                "shape": "hv"}})  # fmt: skip
    layout = _layout()
    layout["yaxis"]["range"] = [0, 115]
    return go.Figure({"data": traces, "layout": layout}, _validate=False)


def largest_suppliers(suppliers: pd.DataFrame) -> go.Figure:
    """The largest suppliers of the year, largest at the top, each labelled with its amount
    and its size (SME or Large)."""
    labels = [wrapped(f"{n} ({s})", SUPPLIER_LABEL) for n, s in
              zip(suppliers["supplier"], suppliers["sme_status"], strict=True)]  # fmt: skip
    trace = {
        "type": "bar",
        "orientation": "h",
        "x": suppliers["spend_gbp"].tolist(),
        "y": labels,
        "text": [format_money(v) for v in suppliers["spend_gbp"]],
        "textposition": "outside",
        "cliponaxis": False,
        "marker": {"color": CATEGORICAL[0]},
    }
    top = max([float(v) for v in suppliers["spend_gbp"]] + [0.0])
    layout = _layout()
    layout["xaxis"] = {"visible": False, "range": [0, top * 1.7 or 1], "fixedrange": True}
    layout["yaxis"] = {"autorange": "reversed", "automargin": True, "type": "category",
                       "fixedrange": True, "tickfont": {"size": 9}}  # fmt: skip
    return go.Figure({"data": [trace], "layout": layout}, _validate=False)
