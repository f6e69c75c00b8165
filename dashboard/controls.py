"""Translate between filter controls' values and :class:`Filters` (pure, no Dash).

Customers and suppliers are typed as names (several separated by semicolons) and kept in the
URL as normalised keys, which have no commas, so links stay short and unambiguous.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from dashboard.filters import Filters

NAME_SEPARATOR = ";"
ALL = "all"  # the value of the "all years" / "first month" / "latest month" choices


def _names(text: str | None, key_of: Callable[[str], str]) -> tuple[str, ...]:
    parts = [p.strip() for p in (text or "").split(NAME_SEPARATOR)]
    return tuple(dict.fromkeys(key_of(p) for p in parts if p and key_of(p)))


def filters_from_controls(
    values: Sequence[object],
    customer_key: Callable[[str], str],
    supplier_key: Callable[[str], str],
    period_chosen: bool = True,
    previous: Filters | None = None,
) -> Filters:
    """Filters from control values in :data:`dashboard.ids.FILTER_CONTROLS` order.

    The period switch shows the period in use even when the URL leaves it to the default;
    unless ``period_chosen`` (the user changed the switch), the URL's choice is kept.
    """
    (period, fy, date_from, date_to, framework, iteration, lot, buyer_group, sector, sme,
     customer, supplier) = values  # fmt: skip
    fy, date_from, date_to = (None if v == ALL else v for v in (fy, date_from, date_to))
    earlier = previous or Filters()
    if fy and earlier.fy and earlier.fy[0] == fy:
        chosen_years = earlier.fy  # a link's several years survive edits to other controls
    else:
        chosen_years = (str(fy),) if fy else ()
    return Filters(
        period=str(period) if period_chosen and period else (previous or Filters()).period,
        fy=chosen_years,
        date_from=str(date_from) if date_from and not fy else None,
        date_to=str(date_to) if date_to and not fy else None,
        framework=tuple(framework or ()),
        iteration=tuple(iteration or ()),
        lot=tuple(lot or ()),
        buyer_group=tuple(buyer_group or ()),
        sector=tuple(sector or ()),
        sme=tuple(sme or ()),
        customer=_names(str(customer or ""), customer_key),
        supplier=_names(str(supplier or ""), supplier_key),
        department=(previous or Filters()).department,
    )


def controls_from_filters(
    filters: Filters,
    customer_names: Mapping[str, str],
    supplier_names: Mapping[str, str],
) -> list[object]:
    """Control values showing ``filters`` (keys shown as display names where known)."""
    separator = f"{NAME_SEPARATOR} "
    return [
        filters.shown_by,
        filters.fy[0] if filters.fy else ALL,
        filters.date_from or ALL,
        filters.date_to or ALL,
        list(filters.framework),
        list(filters.iteration),
        list(filters.lot),
        list(filters.buyer_group),
        list(filters.sector),
        list(filters.sme),
        separator.join(customer_names.get(k, k) for k in filters.customer),
        separator.join(supplier_names.get(k, k) for k in filters.supplier),
    ]
