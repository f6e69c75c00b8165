"""The filter panel: one control per parameter of the filter contract, laid out by
:data:`PANEL`; their state lives in the URL query string.

Each control is built by the kind of its parameter (:data:`dashboard.analytics.filters.PARAMS`):
radio buttons for the period, selects for years and months, checkboxes for choices and
buyer groups, text boxes with suggestions for customers and suppliers.
"""

from __future__ import annotations

from dataclasses import dataclass

import dash_bootstrap_components as dbc
from dash import html

from dashboard.analytics.filters import (
    FY,
    GROUP,
    MONTH,
    NAMES,
    PARAM_BY_FIELD,
    PERIOD,
    Param,
)
from dashboard.analytics.held_periods import SPEND, months_held, years_held
from dashboard.analytics.store import Store
from dashboard.ui import ids
from dashboard.ui.controls import ALL
from dashboard.ui.sections import more

OPTION_LIMIT = 3000  # names offered as suggestions in the customer and supplier boxes
PERIOD_OPTIONS = [
    {"label": "Financial years (April to March)", "value": "fy"},
    {"label": "Financial quarters (Q1 April to June)", "value": "quarter"},
    {"label": "Calendar months", "value": "month"},
]
NAME_HINT = "Type a name; separate several with a semicolon"


@dataclass(frozen=True)
class Control:
    """Where and how one parameter's control shows: its label, the text of its "all"
    choice (selects), a hint, and the values offered when not those of a store column."""

    field: str
    label: str
    blank: str = ""
    hint: str = ""
    offered: tuple[str, ...] = ()


@dataclass(frozen=True)
class Disclosure:
    """Controls shown on demand under ``summary``."""

    summary: str
    controls: tuple[Control, ...]
    hint: str = ""


PANEL: tuple[Control | Disclosure, ...] = (
    Control("period", "Show spend by"),
    Control("fy", "Financial year", blank="All financial years"),
    Disclosure(
        "Or choose months",
        (
            Control("date_from", "From month", blank="First month"),
            Control("date_to", "To month", blank="Latest month"),
        ),
        hint="A financial year, if chosen, overrides these months.",
    ),
    Control("buyer_group", "Buyer group"),
    Control("framework", "Framework"),
    Control("sme", "Supplier size", offered=("SME", "Large")),
    Disclosure("Iterations", (Control("iteration", "Framework iteration"),)),
    Disclosure("Lots", (Control("lot", "Lot"),)),
    Disclosure("Sectors", (Control("sector", "Customer sector"),)),
    Control("customer", "Customer", hint=NAME_HINT),
    Control("supplier", "Supplier", hint=NAME_HINT),
)


def _checklist(control_id: str, legend: str, options: list[dict[str, str]]) -> html.Fieldset:
    children = [
        html.Legend(legend, className="govuk-fieldset__legend govuk-fieldset__legend--s"),
        dbc.Checklist(
            id=control_id,
            options=options,
            value=[],
            class_name="app-checklist",
            input_class_name="app-checkbox",
            label_class_name="govuk-label app-checkbox-label",
        ),
    ]
    return html.Fieldset(children, className="govuk-fieldset app-filter-group")


def _options(options: list[str], blank: str) -> list[dict[str, str]]:
    return [{"label": blank, "value": ALL}] + [{"label": o, "value": o} for o in options]


def _select(control_id: str, label: str, options: list[str], blank: str) -> html.Div:
    return html.Div(
        className="govuk-form-group app-filter-group",
        children=[
            html.Label(label, htmlFor=control_id, className="govuk-label govuk-label--s"),
            dbc.Select(
                id=control_id,
                options=_options(options, blank),
                value=ALL,
                class_name="govuk-select app-select",
            ),
        ],
    )


def _blank(field: str) -> str:
    """The "all" choice of a period select, as :data:`PANEL` words it."""
    items = [c for item in PANEL for c in (item.controls if isinstance(item, Disclosure)
                                           else (item,))]  # fmt: skip
    return next(c.blank for c in items if c.field == field)


def period_choices(store: Store, kinds: tuple[str, ...] = (SPEND,)) -> list[list[dict]]:
    """The options of the financial-year, from-month and to-month selects for a page showing
    ``kinds`` of data (the years and months they hold; newest year first)."""
    years = list(reversed(years_held(store, kinds)))
    months = months_held(store, kinds)
    return [_options(years, _blank("fy")), _options(months, _blank("date_from")),
            _options(months, _blank("date_to"))]  # fmt: skip


def _name_box(control_id: str, label: str, hint: str, names: list[str]) -> html.Div:
    list_id = f"{control_id.removeprefix('filter-')}-names"
    return html.Div(
        className="govuk-form-group app-filter-group",
        children=[
            html.Label(
                [label, html.Span(hint, className="govuk-hint app-label-hint")],
                htmlFor=control_id,
                className="govuk-label govuk-label--s",
            ),
            dbc.Input(
                id=control_id,
                type="text",
                list=list_id,
                value="",
                debounce=True,
                autocomplete="off",
                class_name="govuk-input app-input",
            ),
            html.Datalist(id=list_id, children=[html.Option(value=n) for n in names]),
        ],
    )


def _period_switch(control_id: str, legend: str) -> html.Fieldset:
    return html.Fieldset(
        [
            html.Legend(legend, className="govuk-fieldset__legend--s"),
            dbc.RadioItems(
                id=control_id,
                options=PERIOD_OPTIONS,
                value="fy",
                class_name="app-checklist",
                input_class_name="app-radio",
                label_class_name="govuk-label app-checkbox-label",
            ),
        ],
        className="govuk-fieldset app-filter-group",
    )


def _choices(param: Param, control: Control, store: Store) -> list[dict[str, str]]:
    if param.kind == GROUP:
        return [{"label": g.label, "value": g.name} for g in store.vocab.buyer_group_list]
    values = control.offered or tuple(store.options(param.column))
    return [{"label": str(v), "value": str(v)} for v in values]


def _control(control: Control, store: Store):
    """The component of one parameter's control, by the kind of the parameter."""
    param = PARAM_BY_FIELD[control.field]
    if param.kind == PERIOD:
        return _period_switch(param.control, control.label)
    if param.kind == FY:
        years = list(reversed(years_held(store)))
        return _select(param.control, control.label, years, control.blank)
    if param.kind == MONTH:
        return _select(param.control, control.label, months_held(store), control.blank)
    if param.kind == NAMES:
        names = store.body_index.largest(param.field, OPTION_LIMIT)
        return _name_box(param.control, control.label, control.hint, names)
    return _checklist(param.control, control.label, _choices(param, control, store))


def _item(item: Control | Disclosure, store: Store):
    if isinstance(item, Control):
        return _control(item, store)
    inner = [_control(control, store) for control in item.controls]
    if item.hint:
        inner.append(html.P(item.hint, className="govuk-hint"))
    return more(item.summary, inner if len(inner) > 1 else inner[0])


def filter_panel(store: Store) -> html.Div:
    """Every filter control, laid out by :data:`PANEL`."""
    return html.Div(
        id=ids.FILTER_PANEL,
        className="app-filters",
        children=[
            html.H2("Filters", className="govuk-heading-m"),
            html.A("Clear all filters", href="/", id=ids.CLEAR_FILTERS, className="govuk-link"),
            *[_item(item, store) for item in PANEL],
        ],
    )
