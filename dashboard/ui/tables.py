"""GOV.UK data tables: every cell as text, numbers formatted by the column's unit.

Text from the data is always passed as component children (rendered as text by React),
never as HTML.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
from dash import html
from dash.development.base_component import Component

from dashboard.analytics.filters import Filters
from dashboard.ui.formatting import format_count, format_pounds_exact, format_share
from dashboard.ui.links import LINK_UNITS, body_hrefs

TABLE_ROW_LIMIT = 200
# A printed table shows its first rows (the rest are in the downloads): fewer for the table
# beside a chart. The row counts are classes of assets/10-app.css.
PRINTED_ROWS = 10
SCROLL_HINT = "The table is wider than the screen: scroll it sideways to see every column."
PRINTED_CHART_ROWS = 6


def _missing(value: object) -> bool:
    if isinstance(value, float):
        return math.isnan(value)
    return value is None or value is pd.NA or value is pd.NaT


def _plain(value: object) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return format_count(value)
    return str(value)


FORMATS: dict[str, Callable[[object], str]] = {
    "gbp": lambda value: format_pounds_exact(float(value)),
    "pct": lambda value: format_share(float(value)),
    "count": _plain,
    "number": _plain,
    "text": _plain,
    "month": _plain,
    "date": _plain,
    "id": str,
    "customer": _plain,
    "supplier": _plain,
    "department": _plain,
}


def _unit_of(values: pd.Series) -> str:
    return "count" if pd.api.types.is_numeric_dtype(values.dtype) else "text"


def cell_texts(values: pd.Series, unit: str) -> list[str]:
    """The cells of one column as shown, formatted by ``unit`` (see :data:`FORMATS`)."""
    show = FORMATS[unit]
    # Python scalars, as a row-by-row walk gives them; ``tolist`` is the fast way for NumPy and
    # string columns.
    fast = isinstance(values.dtype, np.dtype) or pd.api.types.is_string_dtype(values.dtype)
    return [
        "–" if _missing(value) else show(value) for value in (values.tolist() if fast else values)
    ]


class GovukTable(Component):
    """A GOV.UK table drawn in the browser from the texts of its cells (``assets/30-table.js``).

    The same markup as ``html.Table`` of ``html.Th``/``html.Td`` (a hidden caption, header
    cells with ``scope="col"``, numeric columns right-aligned by the GOV.UK ``--numeric``
    classes), sent as one component instead of one per cell: an eighth of the bytes. Cells are
    text children in React, so data is never read as HTML.
    """

    _namespace = "dashboard"
    _type = "GovukTable"
    _prop_names = ("id", "caption", "columns", "numeric", "rows_json", "className")
    _base_nodes = ()
    _valid_wildcard_attributes = ()
    _children_props: list[str] = []  # read by Dash, never changed
    available_properties = _prop_names
    available_wildcard_properties = ()

    def __init__(
        self,
        caption: str,
        columns: list[str],
        numeric: list[bool],
        rows: list[list[str]],
        className: str = "govuk-table app-table",
        id: str | None = None,
    ) -> None:
        # The rows travel as one JSON text: Dash's encoder walks lists item by item in Python,
        # which costs more than the rest of a page for a table of a few hundred rows.
        rows_json = json.dumps(rows, ensure_ascii=False, separators=(",", ":"))
        props = {"caption": caption, "columns": columns, "numeric": numeric, "rows_json": rows_json}
        if id is not None:
            props["id"] = id
        super().__init__(className=className, **props)


def _linked(texts: list[str], unit: str, filters: Filters) -> list:
    """Cells that name a body as ``[text, href]`` (drawn as links), others as text."""
    cells: list = []
    href_of = body_hrefs(unit, filters)
    for text in texts:
        href = href_of(text)
        cells.append(text if href is None else [text, href])
    return cells


def table_component(
    table: pd.DataFrame,
    caption: str,
    units: Sequence[str] | None = None,
    limit: int = TABLE_ROW_LIMIT,
    filters: Filters | None = None,
) -> GovukTable:
    """The first ``limit`` rows of ``table`` as a :class:`GovukTable`, every value as text
    formatted by its column's unit (by default: counts for numbers, else text). With
    ``filters``, names of customers, suppliers and departments link to their pages (keeping
    those filters)."""
    columns = [str(c) for c in table.columns]
    shown = table.head(limit)
    units = list(units) if units is not None else [_unit_of(v) for _, v in shown.items()]
    texts = [
        cell_texts(values, unit) for (_, values), unit in zip(shown.items(), units, strict=True)
    ]
    if filters is not None:
        texts = [_linked(cells, unit, filters) if unit in LINK_UNITS else cells
                 for cells, unit in zip(texts, units, strict=True)]  # fmt: skip
    return GovukTable(
        caption=caption,
        columns=columns,
        numeric=[pd.api.types.is_numeric_dtype(dtype) for dtype in table.dtypes],
        rows=[list(row) for row in zip(*texts, strict=True)],
    )


def data_table(
    table: pd.DataFrame,
    caption: str,
    units: Sequence[str] | None = None,
    limit: int = TABLE_ROW_LIMIT,
    printed: int = PRINTED_ROWS,
    filters: Filters | None = None,
) -> html.Div:
    """A GOV.UK table of ``table`` (first ``limit`` rows; ``printed`` rows on paper), values
    as text.

    The caption names the table for screen readers; the section heading shows it on screen.
    """
    if table.empty:
        return html.Div(html.P("Nothing to show: no rows.", className="govuk-body"))
    note = []
    if len(table) > limit:
        note = [html.P(f"Showing the first {limit:,} of {len(table):,} rows; the downloads "
                       "have them all.", className="govuk-body-s")]  # fmt: skip
    if len(table) > printed:
        note.append(
            html.P(
                f"Printed: the first {printed} of {len(table):,} rows; the downloads have "
                "them all.",
                className="govuk-body-s app-print-only app-print-note",
            )
        )
    return html.Div(
        [
            *note,
            # shown by assets/30-table.js when the table is wider than the screen
            html.P(SCROLL_HINT, className="govuk-body-s app-table-hint", hidden=True),
            html.Div(
                table_component(table, caption, units, limit, filters),
                className=f"app-table-scroll app-print-rows-{printed}",
                tabIndex=0,
                role="region",
                **{"aria-label": caption},
            ),  # fmt: skip
        ]
    )
