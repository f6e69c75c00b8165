"""What the pages read less of per request (issue 24) gives what simple row-level computations
give, on seeded random filter sets of the bundled sample (the benchmark's own generator):
month numbers added once as a table is read, adjacent financial years taken as one slice,
a department's lines found by position, the department ranking grouped on codes, suppliers
facing the wider public sector as integer cells, register spend joined only for matched
buyers, other buyers kept per set of line filters, and first purchase months."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from dashboard.analytics import adoption, departments, registers
from dashboard.analytics.counting import (
    MONTH_NUMBER,
    month_labels,
    months_of,
    period_codes,
    with_month_numbers,
)
from dashboard.analytics.filters import Filters, spend_filters, whole_years, without_time
from dashboard.analytics.selection import _period_rows, apply_filters, joined_slices, time_mask
from dashboard.analytics.store import Store, grain_for
from loaders.bodies.departments import NO_DEPARTMENT, departments_of_customers
from loaders.bodies.registers.adoption import other_buyers, register_spend
from loaders.bodies.resolution import urn_key
from tests.dashboard.frames import same
from tests.dashboard.seeded import seeded_filter_sets

PAGES = ("overview", "adoption", "department", "suppliers")


def _rows(data: Store, filters: Filters) -> pd.DataFrame:
    """Spend rows passing ``filters``, each with its department (as the loader assigns it)."""
    rows = data.rows(filters)
    return rows.assign(department=departments_of_customers(rows["customer"], data.vocab))


@pytest.fixture(scope="module")
def data(sample_store) -> Store:
    return Store(sample_store)


@pytest.fixture(scope="module")
def filter_sets(data, sample_store) -> list[Filters]:
    """Twenty-four seeded random filter sets, read as the app reads links."""
    extra = ("?fy=2016-17,2017-18", "?fy=2015-16,2017-18,2018-19&period=quarter")
    return seeded_filter_sets(data, sample_store, 24, 24, extra)


@pytest.mark.parametrize("grain", ["spend", "customer", "pair_fy"])
@pytest.mark.parametrize("period", ["month", "quarter", "fy"])
def test_period_codes_from_month_numbers_equal_those_from_dates(data, grain, period):
    table = data.table(grain)
    assert MONTH_NUMBER in table.columns
    codes, labels = period_codes(table, period)
    dated = table.assign(month=months_of(table)).drop(columns=[MONTH_NUMBER])
    dates_codes, dates_labels = period_codes(dated, period)
    assert labels == dates_labels
    np.testing.assert_array_equal(codes, dates_codes)


def test_month_numbers_are_left_out_when_a_month_is_missing():
    frame = pd.DataFrame({"month": pd.to_datetime(["2019-04-01", None]), "spend_gbp": [1.0, 2]})
    assert MONTH_NUMBER not in with_month_numbers(frame).columns
    assert with_month_numbers(frame.iloc[:1])[MONTH_NUMBER].tolist() == [2019 * 12 + 3]


@pytest.mark.parametrize(
    ("bounds", "joined"),
    [
        pytest.param([(0, 5)], [(0, 5)], id="one"),
        pytest.param([(0, 5), (5, 9)], [(0, 9)], id="adjacent"),
        pytest.param([(0, 5), (6, 9)], [(0, 5), (6, 9)], id="gap"),
        pytest.param([(0, 5), (5, 5), (5, 8), (9, 9)], [(0, 8), (9, 9)], id="empty-between"),
    ],
)
def test_joined_slices(bounds, joined):
    assert joined_slices(bounds) == joined


def test_period_slices_equal_the_time_mask(data, filter_sets):
    table = data.table("customer")
    for filters in filter_sets:
        rows, where = _period_rows(table, filters, sorted_by_month=True)
        sliced = rows if where is None else rows.iloc[where]
        same(sliced, table[time_mask(table, filters)])
        unsorted, where = _period_rows(table, filters, sorted_by_month=False)
        same(unsorted if where is None else unsorted.iloc[where], sliced)


def test_filtered_lines_of_chosen_columns_equal_those_columns_of_every_line(data, filter_sets):
    """Rows found first and taken once, only the columns asked for: the same lines as a
    mask over every column, on slices, on positions and on unsorted rows alike."""
    wanted = ["customer_key", MONTH_NUMBER, "spend_gbp"]
    for filters in filter_sets:
        grain = grain_for("customer", filters)  # as the store chooses: pair if a supplier
        table = data.table(grain)
        every = apply_filters(table, filters, data.vocab, sorted_by_month=True)
        for sorted_by_month in (True, False):
            some = apply_filters(table, filters, data.vocab, sorted_by_month=sorted_by_month,
                                 columns=wanted)  # fmt: skip
            pd.testing.assert_frame_equal(some, every[wanted])  # the index too
        name = departments.ranking(data, Filters())["department"].iloc[0]
        lines = data.lines_of(grain, name)
        by_positions = apply_filters(table, filters, data.vocab, sorted_by_month=True,
                                     positions=lines, columns=wanted)  # fmt: skip
        by_mask = apply_filters(table, filters, data.vocab, sorted_by_month=True,
                                department=name)  # fmt: skip
        pd.testing.assert_frame_equal(by_positions, by_mask[wanted])


def test_department_ranking_equals_a_row_level_grouping(data, filter_sets):
    for filters in filter_sets:
        rows = _rows(data, filters)
        rows = rows[rows["department"].astype(object).ne(NO_DEPARTMENT)]
        expected = (
            rows.groupby(rows["department"].astype(str))["spend_gbp"]
            .sum()
            .sort_values(ascending=False)
        )
        table = departments.ranking(data, filters)
        assert table["department"].tolist() == expected.index.tolist()
        np.testing.assert_allclose(table["spend_gbp"], expected.to_numpy(), atol=1e-6)
        assert table["rank"].tolist() == list(range(1, len(table) + 1))
        assert table["transactions"].sum() == len(rows)


def _facing_share_from_rows(rows: pd.DataFrame, name: str, period: str, vocab) -> pd.Series:
    """The non-Whitehall-facing share per period of one department, with strings and sets
    (each line's period label and supplier key compared as text)."""
    labels = month_labels(months_of(rows), period).astype(str)
    buyer_group = rows["buyer_group"].astype(object)
    selling = buyer_group.eq(vocab.buyer_group("non-whitehall").name)
    facing = set(zip(labels[selling], rows.loc[selling, "supplier_key"].astype(str), strict=True))
    mine = rows["department"].astype(object).eq(name).to_numpy()
    faces = [(p, s) in facing for p, s in zip(labels[mine],
                                              rows.loc[mine, "supplier_key"].astype(str),
                                              strict=True)]  # fmt: skip
    invoiced = rows.loc[mine, "spend_gbp"].clip(lower=0)
    frame = pd.DataFrame({"period": labels[mine].to_numpy(), "invoiced": invoiced.to_numpy(),
                          "facing": invoiced.to_numpy() * np.array(faces, bool)})  # fmt: skip
    table = frame.groupby("period").sum()
    return 100 * table["facing"] / table["invoiced"].where(table["invoiced"].ne(0))


def test_suppliers_facing_the_wider_public_sector_equal_a_row_level_count(data, filter_sets):
    names = departments.ranking(data, Filters())["department"].head(3).tolist()
    checked = 0
    for filters in filter_sets:
        for name in names:
            chosen = replace(filters, name=name)
            table = departments.comparison(data, chosen)
            # the pair lines themselves: credits are netted within a line before the
            # invoiced share clips them, so rows would give another (older) figure
            rows = data.filtered(departments.without_department(filters), "pair",
                                 months=chosen.by_months)  # fmt: skip
            expected = _facing_share_from_rows(rows, name, chosen.shown_by, data.vocab)
            shown = table.set_index("period")["non_whitehall_facing_pct"]
            np.testing.assert_allclose(
                shown.reindex(expected.index).to_numpy(float), expected.to_numpy(float),
                atol=1e-6,
            )  # fmt: skip
            checked += len(expected)
    assert checked > 0


def test_register_spend_of_matched_buyers_equals_the_join_of_every_row(data, filter_sets):
    matches = data.stored("register_matches")
    assert len(matches)
    for filters in filter_sets:
        shown = registers.body_months(data, filters)
        rows = data.rows(without_time(spend_filters(filters)))
        expected = register_spend(rows, matches)
        same(shown, expected)


def test_first_purchase_months_equal_the_row_level_minimum(data, filter_sets):
    for filters in filter_sets:
        profile = adoption.profiles_in_view(data, filters, all_time=True)
        rows = data.rows(without_time(filters))
        rows = rows[rows["customer_key"].notna()]
        first = rows.groupby(rows["customer_key"].astype(str))["month"].min()
        assert profile["customer_key"].astype(str).tolist() == first.index.tolist()
        assert profile["first_month"].tolist() == first.tolist()


def test_other_buyers_kept_per_line_filters_equal_those_of_the_rows(data, filter_sets):
    customers = data.customers
    groups = customers["adoption_group"].fillna("").astype(str)
    list_groups = pd.Series(groups.to_numpy(), index=[urn_key(u) for u in customers["urn"]])
    register_groups = {r.code: r.group for r in registers.read_register_list()}
    for filters in filter_sets:
        for group in ((), ("Principal councils",), ("NHS trusts",)):
            chosen = replace(filters, adoption_group=group)
            shown = registers.other_buyers_in_view(data, chosen)
            rows = data.rows(spend_filters(chosen))
            rows = rows[rows["customer_key"].notna()]
            buyers = rows.groupby(["customer_key", "customer"], as_index=False, observed=True)[
                "spend_gbp"
            ].sum()
            expected = other_buyers(registers.status_in_view(data, chosen), buyers,
                                    data.stored("register_matches"), list_groups,
                                    register_groups)  # fmt: skip
            if group:
                expected = expected[expected["group"].isin(group)]
            expected = expected.drop(columns=["customer_key", "register", "code"])
            same(shown, expected)


@pytest.mark.parametrize("grain", ["spend", "customer", "supplier", "pair"])
def test_a_departments_lines_by_position_equal_the_department_mask(data, filter_sets, grain):
    names = [*departments.ranking(data, Filters())["department"].head(4), "No such department"]
    for filters in filter_sets[::2]:
        for name in names:
            for months in (False, True):
                shown = data.filtered(filters, grain, department=name, months=months)
                table_name = grain_for(grain, filters)
                if not months and whole_years(filters):
                    table_name += "_fy"
                table = data.table(table_name)
                expected = table[table["department"].astype(object).eq(name).to_numpy()]
                expected = apply_filters(expected, filters, data.vocab,
                                         bodies=data.resolve_bodies(filters))  # fmt: skip
                pd.testing.assert_frame_equal(shown, expected)
