"""The parsed rows keep their text as categories from each file to the spend table.

Each file's extract holds its text columns as categoricals (codes, not one Python object a
row), the files are stacked with their categories united, and the distinct inputs of the
rows are found on the codes. Each step is compared with the plain object computation it
replaces.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from loaders.catalogue.model import Field
from loaders.core.frames import stacked
from loaders.core.parsing import Coded
from loaders.core.vocabulary import load_vocabulary
from loaders.sources.ccs_spend.canonical import row_inputs
from loaders.sources.ccs_spend.extract import extract_file

NAMES = ["Home Office", "home office", "Acme Ltd", "", None, "Zeta", "Cabinet Office"]
texts = st.lists(st.sampled_from(NAMES), min_size=0, max_size=25)


def _objects(values) -> list:
    """Values as plain objects, every missing value as ``None``."""
    return [None if pd.isna(v) else v for v in pd.Series(values, dtype=object)]


@given(texts)
def test_a_coded_column_as_categories_holds_each_rows_value(cells):
    coded = Coded.of(np.array(cells, dtype=object))
    clean = lambda v: (v or "").strip().upper() or None  # noqa: E731
    values = coded.categorical(clean)
    assert _objects(values) == _objects(coded.map(clean))
    assert set(values.categories) == {v for v in _objects(coded.map(clean)) if v is not None}


def test_categories_are_only_the_values_rows_hold():
    coded = Coded.of(np.array(["a", "b", "c"], dtype=object)).subset(np.array([0, 0, 2]))
    assert list(coded.categorical().categories) == ["a", "c"]
    assert _objects(coded.categorical()) == ["a", "a", "c"]


def _frame(cells: list) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "name": pd.Categorical(cells),
            "amount": np.arange(len(cells), dtype="float64"),
        }
    )


@given(st.lists(texts, min_size=1, max_size=5))
def test_stacked_files_keep_their_values_and_unite_their_categories(files):
    frames = [_frame(cells) for cells in files]
    plain = pd.concat([f.astype({"name": object}) for f in frames], ignore_index=True)
    out = stacked(frames)
    assert _objects(out["name"]) == _objects(plain["name"])
    assert out["amount"].tolist() == plain["amount"].tolist()
    assert list(out.index) == list(range(len(plain)))
    if any(len(f) for f in frames):
        assert isinstance(out["name"].dtype, pd.CategoricalDtype)
        categories = list(out["name"].cat.categories)
        assert categories == sorted({v for v in _objects(plain["name"]) if v is not None})


def test_stacking_beside_an_empty_object_frame_keeps_the_categories():
    empty = pd.DataFrame({"name": pd.Series(dtype=object), "amount": pd.Series(dtype="float64")})
    out = stacked([_frame(["b", "a"]), empty, _frame(["c"])])
    assert isinstance(out["name"].dtype, pd.CategoricalDtype)
    assert _objects(out["name"]) == ["b", "a", "c"]


rows_strategy = st.lists(
    st.tuples(
        st.sampled_from(["Home Office", "Acme", "", None]),
        st.sampled_from([None, 1, 2, 10029409]),
        st.sampled_from(["Central Government", None, "Health"]),
        st.sampled_from(["Supplier A", "Supplier B", None]),
        st.sampled_from(["SME", "Large", None]),
    ),
    max_size=30,
)


def _rows(cells: list, categorical: bool) -> pd.DataFrame:
    columns = ["customer", "customer_urn", "sector", "supplier", "sme_status"]
    frame = pd.DataFrame(cells, columns=columns).astype({"customer_urn": "Int64"})
    for column in ("customer", "sector", "supplier", "sme_status"):
        frame[column] = frame[column].astype("category" if categorical else object)
    return frame


def _by_grouping(frame: pd.DataFrame, columns: list[str]) -> tuple[list, list]:
    """The reference: the distinct inputs as a grouping of objects numbers them."""
    objects = frame[columns].astype(object)
    codes = objects.groupby(columns, dropna=False, sort=False).ngroup().to_numpy()
    first = np.unique(codes, return_index=True)[1]
    distinct = [tuple(_objects(objects.iloc[i])) for i in first]
    return distinct, codes.tolist()


@settings(max_examples=60)
@given(rows_strategy, st.booleans())
def test_distinct_inputs_on_codes_equal_a_grouping_of_objects(cells, categorical):
    frame = _rows(cells, categorical)
    inputs, codes = row_inputs(frame)
    for table, lines, columns in (
        (inputs.customers, codes.customers, ["customer", "customer_urn", "sector"]),
        (inputs.suppliers, codes.suppliers, ["supplier", "sme_status"]),
    ):
        distinct, expected = _by_grouping(frame, columns)
        assert [tuple(_objects(r)) for r in table[columns].itertuples(index=False)] == distinct
        assert lines.tolist() == expected
        assert table["rows"].tolist() == np.bincount(expected, minlength=len(distinct)).tolist()


def test_the_catalogue_drops_categories_no_row_uses_as_a_fresh_cast_would():
    column = pd.Series(pd.Categorical(["b", "a", "b"], categories=["a", "b", "c"]))[[0, 2]]
    cast = Field("x", "category", "code", "").cast(column.reset_index(drop=True))
    fresh = column.astype(object).astype("category").reset_index(drop=True)
    pd.testing.assert_series_equal(cast, fresh)


def test_an_extract_holds_its_text_columns_as_categories(tmp_path):
    path = tmp_path / "RM1557viii-spend.csv"
    path.write_text(
        "Customer Name,Supplier Name,Customer Sector,SME Status,Lot Name,Framework Name,"
        "Customer Invoice Date,Evidenced Spend,Product_Service_Description\n"
        "Home Office,Acme Ltd,Central Government,SME,Cloud Hosting,G-Cloud 9,01/05/2017,"
        "100.00,Hosting\n"
        "Wigan Council,Acme Ltd,Local Government,SME,Cloud Support,G-Cloud 9,01/05/2017,"
        "50.00,\n"
    )
    parsed = extract_file(path, load_vocabulary()).parsed
    for column in ("framework", "lot", "supplier", "customer", "sector", "description"):
        assert isinstance(parsed[column].dtype, pd.CategoricalDtype), column
    assert _objects(parsed["customer"]) == ["Home Office", "Wigan Council"]
    assert _objects(parsed["description"]) == ["Hosting", ""]


def test_a_column_null_in_every_row_is_cast_as_a_fresh_cast_would():
    """Its categories keep no type (Parquet stores the column as null, as before)."""
    column = pd.Series(pd.Categorical.from_codes([-1, -1], categories=["Lot 1", "Lot 2"]))
    cast = Field("x", "category", "code", "").cast(column)
    pd.testing.assert_series_equal(cast, column.astype(object).astype("category"))
    assert cast.cat.categories.dtype == object
