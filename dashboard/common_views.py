"""Tables shown on more than one page, read from the smallest aggregate that answers them."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from dashboard import queries
from dashboard.data import DashboardData
from dashboard.filters import Filters
from dashboard.tables import rename_year_to_date


def year_to_date_table(
    data: DashboardData, filters: Filters, department: str | None = None
) -> pd.DataFrame:
    """Spend by month of the financial year to the latest month in view, against the same
    months a year earlier (of one department's bodies if given); only those two years'
    monthly lines are read."""
    in_view = data.filtered(filters, "spend", months=True, department=department)
    if not in_view.empty:
        reference = in_view["month"].max()
    elif department is None:
        reference = data.latest_month
    else:
        every = data.filtered_all_time(filters, "spend", department=department, months=True)
        reference = None if every.empty else every["month"].max()
    if reference is None:
        return pd.DataFrame()
    this_year = queries.financial_year_of(reference)
    years = (queries.previous_financial_year(this_year), this_year)
    both = replace(queries.without_time(filters), fy=years)
    rows = data.filtered(both, "spend", months=True, department=department)
    return rename_year_to_date(queries.year_to_date(rows, reference))
