"""Nothing is lost: every row is loaded, superseded or quarantined with a reason, to the penny."""

from __future__ import annotations

import math
from decimal import Decimal

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import loaders
from tests.builders import HEADER_2017, write_csv
from tests.loaders.test_supplier_returns import G_CLOUD_10


def _row(month: str, spend: str, customer: str = "Home Office", supplier: str = "Acme"):
    return ["G-Cloud 8", "Cloud Support", supplier, "Central Government", customer, "d", month,
            spend, "SME"]  # fmt: skip


def test_blank_totals_footnote_and_bad_rows_are_quarantined_with_reasons(tmp_path):
    rows = [
        ["G-Cloud spend, management information"],
        [],
        HEADER_2017,
        _row("01/04/17", "£100.00"),
        [""] * 9,
        _row("01/04/17", "TBC"),
        _row("sometime", "£5.00"),
        _row("", "£7.00"),
        _row("01/04/17", ""),
        _row("01/01/1990", "£9.00"),
        ["Total", "", "", "", "", "", "", "£121.00", ""],
        ["Source: supplier returns to CCS"],
    ]
    path = write_csv(tmp_path / "G-Cloud-spend-2017-05.csv", rows)
    result = loaders.load(path)
    assert list(result.spend["spend_gbp"]) == [100.0]
    quarantine = result.quarantine.set_index("source_row")
    assert quarantine["reason"].to_dict() == {
        5: "blank row",
        6: "unparseable spend",
        7: "unparseable month",
        8: "missing month",
        9: "missing spend",
        10: "month out of range",
        11: "totals row",
        12: "note or footnote row",
    }
    assert quarantine.loc[6, "column"] == "Evidenced Spend"
    assert quarantine.loc[6, "detail"] == "TBC"
    assert quarantine.loc[7, "column"] == "Return Month"
    report = result.report["files"][0]
    assert report["header_row"] == 3
    assert report["rows_read"] == 9
    assert report["rows_loaded"] == 1 and report["rows_quarantined"] == 8
    # the file's own Total row is a check on the file, not spend read and set aside
    assert report["spend_read_gbp"] == 100 + 5 + 7 + 9
    assert report["spend_quarantined_gbp"] == 5 + 7 + 9
    assert report["quarantined_by_reason"]["totals row"] == {"rows": 1, "spend_gbp": 0.0}
    assert report["data_rows_total_gbp"] == 121.0
    assert report["rows_with_unreadable_spend"] == 1
    assert report["reconciles"] is True
    assert report["declared_total_gbp"] == 121.0
    assert report["declared_total_agrees"] is True


def test_store_total_plus_quarantine_equals_every_pound_written(tmp_path):
    rows = [HEADER_2017, _row("01/04/17", "£0.10"), _row("01/04/17", "£0.20"), _row("x", "0.3")]
    result = loaders.load(write_csv(tmp_path / "a.csv", rows))
    loaded = math.fsum(result.spend["spend_gbp"])
    quarantined = math.fsum(result.quarantine["spend_gbp"].dropna())
    assert round(loaded + quarantined, 2) == 0.6
    assert result.report["totals"]["spend_read_gbp"] == 0.6


amounts = st.decimals(min_value=Decimal("-99999.99"), max_value=Decimal("999999.99"), places=2)
# Each cell is (text as published, pounds it holds or None when it holds no readable amount).
cells = st.one_of(
    amounts.map(lambda d: (f"{d:.2f}", d)),
    amounts.map(lambda d: (f"£{d:,.2f}" if d >= 0 else f"(£{-d:,.2f})", d)),
    st.sampled_from([("", None), ("n/a", None), ("£1,2", None)]),
)
rows_strategy = st.lists(
    st.tuples(cells, st.sampled_from(["01/04/17", "Jan-17", "41000", "??", ""])),
    min_size=1,
    max_size=25,
)


def _expected_pounds(rows) -> Decimal:
    return sum((value for (_, value), _ in rows if value is not None), Decimal(0))


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@pytest.mark.slow
@given(rows=rows_strategy, split=st.integers(min_value=0, max_value=25), data=st.data())
def test_total_in_equals_loaded_plus_quarantined_under_row_order_and_file_splits(
    tmp_path_factory, rows, split, data
):
    shuffled = data.draw(st.permutations(rows))
    cut = min(split, len(shuffled))
    folder = tmp_path_factory.mktemp("release")
    parts = [shuffled[:cut], shuffled[cut:]]
    for number, part in enumerate(parts):
        body = [_row(month, spend, supplier=f"S{number}{i}") for i, ((spend, _), month) in
                enumerate(part)]  # fmt: skip
        write_csv(folder / f"part{number}.csv", [HEADER_2017, *body])
    result = loaders.load(folder, framework="G-Cloud", allow_empty=True)  # parts may give nothing
    expected = _expected_pounds(rows)
    loaded = Decimal(str(round(math.fsum(result.spend["spend_gbp"]), 2)))
    quarantined = Decimal(str(round(math.fsum(result.quarantine["spend_gbp"].dropna()), 2)))
    assert loaded + quarantined == expected
    assert result.report["totals"]["reconciles"] is True
    assert Decimal(str(result.report["totals"]["spend_read_gbp"])) == expected
    rows_out = len(result.spend) + len(result.quarantine)
    assert rows_out == sum(len(p) for p in parts)


@pytest.mark.slow
@pytest.mark.parametrize("order", ["forward", "reverse"])
def test_row_order_does_not_change_the_totals(tmp_path, order):
    body = [_row(f"01/0{m}/17", f"£{m}.5{m}") for m in range(1, 8)]
    if order == "reverse":
        body.reverse()
    result = loaders.load(write_csv(tmp_path / "x.csv", [HEADER_2017, *body]))
    assert result.report["totals"]["spend_loaded_gbp"] == sum(
        m + 0.5 + m / 100 for m in range(1, 8)
    )


credit_cells = st.one_of(
    amounts.map(lambda d: (f"{d:.2f}", d)),
    amounts.map(lambda d: (f"{abs(d):,.2f} CR" if d < 0 else f"£{d:,.2f}", d)),
    st.sampled_from([("£ -", Decimal(0)), ("TBC", None)]),
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(shown=st.lists(credit_cells, min_size=1, max_size=12),
       hidden=st.lists(credit_cells, min_size=0, max_size=12))  # fmt: skip
def test_every_pound_written_is_loaded_quarantined_or_in_a_hidden_sheet(
    tmp_path_factory, shown, hidden
):
    folder = tmp_path_factory.mktemp("returns")
    workbook = openpyxl.Workbook()
    for title, cells_ in (("Spend", shown), ("Old copy", hidden)):
        sheet = workbook.active if title == "Spend" else workbook.create_sheet(title)
        sheet.title = title
        sheet.append(HEADER_2017)
        for i, (text, _) in enumerate(cells_):
            sheet.append(_row("01/04/17", text, supplier=f"S{i}"))
    workbook["Old copy"].sheet_state = "hidden"
    workbook.save(folder / "G-Cloud-spend-2017-05.xlsx")
    write_csv(folder / "Delta Digital Ltd - RM1557.10 - March 2019.csv", [G_CLOUD_10])  # nil
    result = loaders.load(folder, allow_empty=True)  # every shown amount may be unreadable
    totals = result.report["totals"]
    loaded = Decimal(str(round(math.fsum(result.spend["spend_gbp"]), 2)))
    quarantined = Decimal(str(round(math.fsum(result.quarantine["spend_gbp"].dropna()), 2)))
    assert loaded + quarantined == _expected_pounds([(c, None) for c in shown])
    assert Decimal(str(totals["spend_in_hidden_sheets_gbp"])) == _expected_pounds(
        [(c, None) for c in hidden]
    )
    assert totals["reconciles"] is True and len(totals["nil_returns"]) == 1
    assert totals["rows_in_hidden_sheets"] == len(hidden)  # its data rows, readable or not
