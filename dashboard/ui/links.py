"""Links to the page of a body, keeping the filters in view: a customer's buyer profile, a
supplier's profile, a department's page. Names in data tables are such links."""

from __future__ import annotations

from dataclasses import replace

from dashboard.analytics.filters import Filters, carried, to_query

NOT_A_BODY = ("(not stated)", "–", "")


def body_href(unit: str, name: str, filters: Filters) -> str | None:
    """The address of the page of the body ``name`` (``unit``: ``customer``, ``supplier`` or
    ``department``) with the filters that carry across pages; ``None`` for a missing name."""
    if name in NOT_A_BODY:
        return None
    kept = carried(filters)
    if unit == "supplier":
        return "/suppliers" + to_query(replace(kept, supplier=(name,)))
    page = "/buyer" if unit == "customer" else "/department"
    return page + to_query(replace(kept, name=name))


LINK_UNITS = ("customer", "supplier", "department")
