"""Links to the page of a body, keeping the filters in view: a customer's buyer profile, a
supplier's profile, a department's page. Names in data tables are such links."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from urllib.parse import quote

from dashboard.analytics.filters import Filters, carried, to_query

NOT_A_BODY = ("(not stated)", "–", "")


PAGE_OF_UNIT = {"customer": ("/buyer", "name"), "department": ("/department", "name"),
                "supplier": ("/suppliers", "supplier")}  # fmt: skip
_SLOT = "\x00"  # stands for the name while the rest of the address is written once


def body_href(unit: str, name: str, filters: Filters) -> str | None:
    """The address of the page of the body ``name`` (``unit``: ``customer``, ``supplier`` or
    ``department``) with the filters that carry across pages; ``None`` for a missing name."""
    return body_hrefs(unit, filters)(name)


def body_hrefs(unit: str, filters: Filters) -> Callable[[str], str | None]:
    """:func:`body_href` for many names under the same filters (a table's column): the
    address is written once, each name then quoted into its place."""
    page, field = PAGE_OF_UNIT[unit]
    value = (_SLOT,) if field == "supplier" else _SLOT
    template = page + to_query(replace(carried(filters), **{field: value}))
    before, _, after = template.partition(quote(_SLOT))

    def href(name: str) -> str | None:
        if name in NOT_A_BODY:
            return None
        return before + quote(name, safe=",") + after

    return href


LINK_UNITS = ("customer", "supplier", "department")
