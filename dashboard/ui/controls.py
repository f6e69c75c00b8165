"""Translate between the filter controls' values and :class:`Filters` (pure, no Dash).

Values travel as a mapping of control id -> value, built by iterating the filter contract
(:data:`~dashboard.analytics.filters.PARAMS`), never by position. Customers and suppliers are
typed as names (several separated by semicolons) and kept in the URL as normalised keys,
which have no commas, so links stay short and unambiguous.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from dashboard.analytics.filters import (
    FY,
    MONTH,
    NAMES,
    PARAMS,
    PERIOD,
    SINGLE_KINDS,
    TEXT,
    Filters,
)

NAME_SEPARATOR = ";"
ALL = "all"  # the value of the "all years" / "first month" / "latest month" choices


def _names(text: str | None, key_of: Callable[[str], str]) -> tuple[str, ...]:
    parts = [p.strip() for p in (text or "").split(NAME_SEPARATOR)]
    return tuple(dict.fromkeys(key_of(p) for p in parts if p and key_of(p)))


def _fy(value: object, previous: Filters) -> tuple[str, ...]:
    """The chosen year; a link's several years survive edits to other controls."""
    if value in (None, "", ALL):
        return ()
    if previous.fy and previous.fy[0] == value:
        return previous.fy
    return (str(value),)


def filters_from_controls(
    values: Mapping[str, object],
    key_of: Mapping[str, Callable[[str], str]],
    period_chosen: bool = True,
    previous: Filters | None = None,
) -> Filters:
    """Filters from control values (control id -> value); ``key_of`` gives the normalised
    key of a ``customer`` and a ``supplier`` name.

    The period switch shows the period in use even when the URL leaves it to the default;
    unless ``period_chosen`` (the user changed the switch), the URL's choice is kept.
    Parameters without a control (a page's ``name``) keep ``previous`` values.
    """
    previous = previous or Filters()
    chosen: dict[str, object] = {}
    fy = _fy(values.get(_control("fy")), previous)
    for param in PARAMS:
        value = values.get(param.control) if param.control else None
        if param.control is None:
            chosen[param.field] = getattr(previous, param.field)
        elif param.kind == PERIOD:
            keep = period_chosen and value
            chosen[param.field] = str(value) if keep else previous.period
        elif param.kind == FY:
            chosen[param.field] = fy
        elif param.kind == MONTH:
            chosen[param.field] = str(value) if value not in (None, "", ALL) and not fy else None
        elif param.kind == NAMES:
            chosen[param.field] = _names(str(value or ""), key_of[param.field])
        else:
            chosen[param.field] = tuple(value or ())
    return Filters(**chosen)


def _control(field: str) -> str | None:
    return next(p.control for p in PARAMS if p.field == field)


def controls_from_filters(
    filters: Filters, names: Mapping[str, Mapping[str, str]]
) -> dict[str, object]:
    """Control values (control id -> value) showing ``filters``; ``names`` maps body keys
    of each ``customer`` and ``supplier`` to display names where known."""
    separator = f"{NAME_SEPARATOR} "
    values: dict[str, object] = {}
    for param in PARAMS:
        if param.control is None or param.kind == TEXT:
            continue
        value = getattr(filters, param.field)
        if param.kind == PERIOD:
            values[param.control] = filters.shown_by
        elif param.kind == FY:
            values[param.control] = value[0] if value else ALL
        elif param.kind in SINGLE_KINDS:
            values[param.control] = value or ALL
        elif param.kind == NAMES:
            shown = names.get(param.field, {})
            values[param.control] = separator.join(shown.get(k, k) for k in value)
        else:
            values[param.control] = list(value)
    return values
