"""Appending releases to a store gives the store a full load gives (issue 24 item 4): every
table, the report (but its time) and what the app reads; where an append cannot be sure,
it rebuilds and says why in one line; a failure mid-append leaves the previous store."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import loaders
from benchmarks.loader_probes.storing import RenameFault
from dashboard.analytics.store import Store
from loaders.catalogue import versions
from loaders.cli import main
from loaders.sources.base import LoadOptions
from loaders.update.append import load_or_append
from tests.builders import HEADER_CCS, write_csv, write_customer_list

pytestmark = pytest.mark.slow

# (name, URN) as published: one body under two spellings; then, drawn rarely, what changes
# how stored names resolve: a spelling without the URN, a URN an unrelated body also carries.
CUSTOMERS = [
    ("Home Office", 10001),
    ("HOME OFFICE", None),
    ("Leeds City Council", 20002),
    ("Department for Work and Pensions", None),
]
# Kent County Council: a buyer no stored release has, matched to a register when it comes.
RARE = [("Leeds City Council", None), ("Acme Academy Trust", 10001), ("Kent County Council", None)]
customer = st.integers(0, 20).map(lambda i: CUSTOMERS[i % 4] if i < 18 else RARE[i - 18])
SECTORS = ["Central Government", "Local Government", "Education", ""]
SUPPLIERS = ["Acme Ltd", "ACME Limited", "Beta Cloud (North) Ltd", "Beta Cloud Ltd", "Gamma plc"]
SME = ["SME", "Large", ""]

row = st.tuples(
    customer,
    st.sampled_from(SECTORS),
    st.sampled_from(SUPPLIERS),
    st.sampled_from(SME),
    st.integers(-5_000, 500_000),  # pennies
)
# Every name of the pools in every release (as monthly releases repeat most names), so that
# most new releases change only counts: which spelling shows a body, which sector dominates.
BASE = [(c, "", s, "", 100) for c, s in zip(CUSTOMERS, SUPPLIERS, strict=False)]
BASE.append((CUSTOMERS[0], "", SUPPLIERS[-1], "", 100))
revises = st.integers(0, 4).map(lambda n: n == 4)  # a release revising the month before: rare
release = st.tuples(st.lists(row, min_size=1, max_size=6), revises)


def _month(index: int) -> dt.date:
    return dt.date(2021 + (index + 4) // 12, (index + 4) % 12 + 1, 1)


def write_release(folder: Path, index: int, rows: list[tuple], revises: bool = False) -> Path:
    """The release of month ``index`` (from May 2021), named by its last day; ``revises``:
    its first row is for the month before (a release revising a stored month)."""
    month = _month(index)
    last = (pd.Timestamp(month) + pd.offsets.MonthEnd(0)).date()
    lines = [HEADER_CCS]
    folder.mkdir(parents=True, exist_ok=True)
    for number, ((name, urn), sector, supplier, sme, pennies) in enumerate(rows):
        when = _month(index - 1) if revises and number == 0 and index else month
        lot = ["RM1557.12", "G-Cloud 12", "3", "Cloud Support"]
        spent = [when.strftime("%d/%m/%Y"), f"{pennies / 100:.2f}"]
        lines.append([urn or "", name, sector, supplier, sme, *lot, *spent])
    return write_csv(folder / f"spend-{last.isoformat()}.csv", lines)


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        if isinstance(out[column].dtype, pd.CategoricalDtype):
            out[column] = out[column].astype(object)
    if out.empty:
        return out.reset_index(drop=True)
    return out.sort_values(list(out.columns), kind="stable", ignore_index=True)


# Tables an append carries (issue 24 item 4, round 2): equal to the rebuild's row for row,
# with their order, dtypes and categories, not only as sets of rows.
CARRIED = ("register_matches", "customer_register_matches")


def assert_same_store(appended: Path, rebuilt: Path) -> None:
    """Every table (typed as the app reads it), the catalogue and the report but its time;
    the aggregate and register tables in the same order too."""
    one, other = Store(appended), Store(rebuilt)
    ordered = [n for n in other.catalogue if n.startswith("aggregates.") or n in CARRIED]
    stored = loaders.read_store(appended), loaders.read_store(rebuilt)
    for name in ordered:
        pd.testing.assert_frame_equal(stored[0][name], stored[1][name], check_exact=False,
                                      rtol=0, atol=1e-5, obj=f"{name} (in order)")  # fmt: skip
    assert sorted(one.catalogue) == sorted(other.catalogue)
    for name in other.catalogue:
        pd.testing.assert_frame_equal(
            _plain(one.stored(name)), _plain(other.stored(name)), check_exact=False,
            rtol=0, atol=0.001, obj=name,
        )  # fmt: skip
    drop = ("generated_at", "file_signatures")  # signatures: taken when each load ran
    assert {k: v for k, v in one.report.items() if k not in drop} == {
        k: v for k, v in other.report.items() if k not in drop
    }


def ingest(paths: list[Path], store: Path, cache: Path, *, rebuild: bool = False):
    """What ``python -m loaders ingest`` does: append or load, then write; the note."""
    done = load_or_append(paths, store, rebuild=rebuild, options=LoadOptions(cache_dir=cache))
    loaders.write_store(done.result, store)
    return done


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(releases=st.lists(release, min_size=2, max_size=4), data=st.data())
def test_append_gives_the_store_a_rebuild_gives(tmp_path_factory, releases, data):
    folder = tmp_path_factory.mktemp("append")
    start = data.draw(st.integers(0, 11), label="first month (from May 2021)")  # a new year?
    paths = [write_release(folder / "files", start + i, BASE + rows, revises)
             for i, (rows, revises) in enumerate(releases)]  # fmt: skip
    k = data.draw(st.integers(1, len(paths) - 1), label="files in the store first")
    ingest(paths[:k], folder / "appended", folder / "cache")
    done = ingest(paths, folder / "appended", folder / "cache")
    ingest(paths, folder / "rebuilt", folder / "cache", rebuild=True)
    assert done.appended or done.reason  # appended, or said why not
    event("appended" if done.appended else f"rebuilt: {done.reason}")
    if done.appended:
        carried = "aggregates.spend" in done.result
        event("aggregates carried" if carried else "aggregates rebuilt (a department changed)")
    assert_same_store(folder / "appended", folder / "rebuilt")


@pytest.fixture
def months(tmp_path) -> list[Path]:
    """Three monthly releases whose rows change nothing stored when the third is added."""
    rows = [((("Home Office", 10001), "Central Government", "Acme Ltd", "SME", 10_050))]
    rows.append((("Leeds City Council", None), "", "Beta Cloud Ltd", "", 2_000))
    return [write_release(tmp_path / "files", i, rows) for i in range(3)]


def test_a_new_month_is_appended_and_equals_the_rebuild(months, tmp_path, capsys):
    store, cache = tmp_path / "store", tmp_path / "cache"
    ingest(months[:2], store, cache)
    done = ingest(months, store, cache)
    assert done.appended == (months[2],)
    assert done.note(store) == f"appended 1 new file(s) to {store}"
    ingest(months, tmp_path / "rebuilt", cache, rebuild=True)
    assert_same_store(store, tmp_path / "rebuilt")


def test_a_display_name_a_new_release_changes_is_changed_in_stored_rows(months, tmp_path):
    """'Acme Limited' becomes the most published spelling of the body: the stored rows show it."""
    store, cache = tmp_path / "store", tmp_path / "cache"
    ingest(months[:2], store, cache)
    later = [((("Home Office", 10001), "Central Government", "ACME Limited", "SME", 100))] * 5
    added = write_release(tmp_path / "files", 3, later)
    done = ingest([*months[:2], added], store, cache)
    assert done.appended
    assert set(loaders.read_store(store).spend["supplier"]) == {"ACME Limited", "Beta Cloud Ltd"}
    ingest([*months[:2], added], tmp_path / "rebuilt", cache, rebuild=True)
    assert_same_store(store, tmp_path / "rebuilt")


@pytest.mark.parametrize(
    "change, why",
    [
        pytest.param("replaced", "spend-2021-06-30.csv changed since the store was built",
                     id="a replaced version of a stored file"),
        pytest.param("customers", "the customer list changed since the store was built",
                     id="a changed customer list"),
        pytest.param("revises", "spend-2021-08-31.csv revises stored months (G-Cloud 2021-07, "
                     "1 framework-month(s))", id="a release revising a stored month"),
        pytest.param("earlier", "spend-2021-04-30.csv is not later than every stored month",
                     id="an earlier release"),
    ],
)  # fmt: skip
def test_what_an_append_cannot_be_sure_of_is_rebuilt_with_the_reason(
    months, tmp_path, capsys, change, why
):
    store = tmp_path / "store"
    home = (10001, "Home Office", "Central Government", "Ministerial Department")
    customers = write_customer_list(tmp_path / "customers.xlsx", [home])
    first = ["--customers", str(customers)]
    assert main(["ingest", *map(str, months), "--out", str(store), *first]) == 0
    paths, extra = list(months), first
    rows = [(("Home Office", 10001), "Central Government", "Acme Ltd", "SME", 1)]
    if change == "replaced":
        write_release(tmp_path / "files", 1, rows)
    elif change == "customers":
        leeds = (20002, "Leeds City Council", "Local Government", "Metropolitan District")
        write_customer_list(customers, [home, leeds])
        paths.append(write_release(tmp_path / "files", 3, rows))
    elif change == "revises":
        paths.append(write_release(tmp_path / "files", 3, rows, revises=True))
    else:
        paths.append(write_release(tmp_path / "files", -1, rows))
    capsys.readouterr()
    assert main(["ingest", *map(str, paths), "--out", str(store), *extra]) == 0
    assert f"rebuilt {store}: {why}" in capsys.readouterr().out.splitlines()
    rebuilt = tmp_path / "rebuilt"
    assert main(["ingest", *map(str, paths), "--out", str(rebuilt), *extra, "--rebuild"]) == 0
    assert_same_store(store, rebuilt)


def test_a_failure_mid_append_leaves_the_previous_version_current(months, tmp_path, monkeypatch):
    store, cache = tmp_path / "store", tmp_path / "cache"
    ingest(months[:2], store, cache)
    before = versions.current_version(store)
    import loaders.sources.ccs_spend.load as spend_load

    def broken(*args, **kwargs):
        raise RuntimeError("injected")

    with monkeypatch.context() as patch:
        patch.setattr(spend_load, "spend_tables", broken)
        with pytest.raises(RuntimeError, match="injected"):
            ingest(months, store, cache)
    assert versions.current_version(store) == before
    with RenameFault(1), pytest.raises(OSError, match="injected"):
        ingest(months, store, cache)
    assert versions.current_version(store) == before
    assert float(loaders.read_store(store).spend["spend_gbp"].sum()) == 241.0
    assert ingest(months, store, cache).appended  # and the next try appends


HEADER_2021 = ("Customer URN,Customer Name,Customer Sector,Supplier Name,SME Status,Framework "
               "Number,Framework Name,Lot Number,Lot Name,Spend Month,Evidenced Spend (ex VAT),"
               "Product/Service Description")  # fmt: skip


def test_a_release_with_iterations_appends_to_a_store_whose_iterations_are_all_unknown(tmp_path):
    """The kept version of January gives no iteration, lot or sector (a stored column null in
    every row); February's release gives them. Appending it once crashed uniting the stored
    column's untyped categories with text (a traceback, not a store)."""
    files = tmp_path / "files"
    files.mkdir()
    january = [
        "Home Office,,Acme Ltd,SME,,G-Cloud 11,2,Cloud Software,01/01/2021,100.00,Hosting",
        "Wigan Council,,Beta Ltd,Large,,G-Cloud 11,3,Cloud Support,01/01/2021,50.00,Support",
    ]
    revised = ["Home Office,,Acme Ltd,SME,,G-Cloud,,,01/01/2021,100.00,",
               "Wigan Council,,Beta Ltd,Large,,G-Cloud,,,01/01/2021,55.00,"]  # fmt: skip
    february = ["Home Office,,Acme Ltd,SME,,G-Cloud 11,2,Cloud Software,01/02/2021,100.00,Hosting"]
    paths = []
    for name, rows in (("G-Cloud-spend-Jan2021-v1.csv", january),
                       ("G-Cloud-spend-Jan2021-v2.csv", revised),
                       ("G-Cloud-spend-Feb2021.csv", february)):  # fmt: skip
        path = files / name
        path.write_text("\n".join([HEADER_2021, *("," + row for row in rows)]) + "\n")
        paths.append(path)
    store, cache = tmp_path / "store", tmp_path / "cache"
    ingest(paths[:2], store, cache)
    assert loaders.read_store(store).spend["framework_iteration"].isna().all()
    done = ingest(paths, store, cache)
    assert done.appended == (paths[2],)
    ingest(paths, tmp_path / "rebuilt", cache, rebuild=True)
    assert_same_store(store, tmp_path / "rebuilt")
    spend = loaders.read_store(store).spend
    assert spend["spend_gbp"].sum() == pytest.approx(255.00)
    assert sorted(spend["framework_iteration"].dropna().astype(str)) == ["G-Cloud 11"]
