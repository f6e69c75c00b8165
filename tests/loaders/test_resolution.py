"""One name per body: published customer and supplier names resolved to bodies."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import loaders
from loaders.bodies.customer_list import read_customer_list
from loaders.bodies.resolution import (
    CUSTOMER_ALIASES,
    FUZZY_THRESHOLD,
    build_list_index,
    customer_bodies,
    match_key,
    match_report,
    resolve_customers,
    resolve_suppliers,
    tidy_list_name,
    tokens_agree,
)
from loaders.catalogue import CANONICAL
from loaders.core.errors import LoaderInputError
from loaders.core.vocabulary import load_vocabulary
from loaders.sources.ccs_spend.report import describe
from tests.builders import (
    ccs_row,
    ccs_rows,
    rows_2014,
    write_csv,
    write_customer_list,
    write_xlsx,
)

VOCAB = load_vocabulary()
BODIES = [
    (10001, "Department for Work And Pensions", "Central Government", "Department"),
    (10002, "Loughs Agency", "Devolved Administrations", "Cross-border body"),
    (10003, "Cornwall Council", "Local Government", "Unitary Authority"),
    (10004, "Living Streets", "Not for Profit", "Charity"),
    (10005, "Knowsley Metropolitan Borough Council", "Local Government", "Metropolitan District"),
    (10006, "NHS Leeds", "Health", "PCT - Commissioning"),
    (10007, "Leeds City College", "Education", "Colleges of Further Education"),
    (10008, "Health and Safety Executive", "Central Government", "NDPB"),
    (10009, "Health and Safety Executive", "Central Government", "Executive Agency"),
    (10010, "ABUNDANT LIFE CHRISTIAN CENTRE", "Not for Profit", "TBA"),
    (10011, "Royal Parks Foundation The", "Not for Profit", "Charity"),
    (10012, "HM Revenue & Customs", "Central Government", "Non Ministerial Department"),
    (10013, "Durham County Council", "Local Government", "County"),
    (10014, "Leeds Metropolitan University", "Education", "Universities"),
]


@pytest.fixture
def list_path(tmp_path):
    renamed = [("Cornwall County Council", "Cornwall Council", 10003)]
    return write_customer_list(tmp_path / "customers.xlsx", BODIES, changes=renamed)


@pytest.fixture
def customers(list_path):
    return read_customer_list(list_path, VOCAB)


def _aliases(tmp_path, rows, header="alias,body,urn,note"):
    path = tmp_path / "aliases.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def _resolve(names, customers=None, urns=None, aliases=None, **kwargs):
    names = pd.Series(names, dtype=object)
    urns = pd.Series(urns if urns is not None else [None] * len(names), dtype="Int64")
    return resolve_customers(names, urns, VOCAB, customers, aliases, **kwargs)


def test_a_urn_on_the_row_names_the_body(customers):
    names = ["DWP", "DEPARTMENT FOR WORK AND PENSIONS", "No URN"]
    out = _resolve(names, customers, urns=[10001, 10001, None], aliases=CUSTOMER_ALIASES)
    assert list(out["body_key"][:2]) == ["urn:10001", "urn:10001"]
    assert list(out["method"]) == ["urn", "urn", "name_key"]
    assert out["body_name"][0] == "Department for Work And Pensions"  # the list's name
    assert out["urn_note"].isna().all()


def test_without_a_list_a_urn_body_shows_its_most_common_spelling():
    out = _resolve(["Home Office", "HOME OFFICE", "Home Office"], urns=[7, 7, 7])
    assert set(out["body_name"]) == {"Home Office"}
    assert set(out["body_key"]) == {"urn:7"}


def test_a_name_published_with_one_urn_elsewhere_gets_that_urn():
    out = _resolve(["Cabinet Office", "cabinet office", "Kent Police"], urns=[42, None, None])
    assert list(out["body_key"]) == ["urn:42", "urn:42", "kent police"]
    assert list(out["method"]) == ["urn", "urn_name", "name_key"]


def test_override_file_maps_abbreviations_to_the_body(tmp_path, customers):
    aliases = _aliases(
        tmp_path,
        [
            "DWP,Department for Work and Pensions,,abbreviation",
            "HMRC,HM Revenue and Customs,10012,abbreviation with URN",
            "Meteorological Office,Met Office,,former name",
        ],
    )
    names = ["DWP", "HMRC", "Department for Work and Pensions", "Meteorological Office",
             "Met Office"]  # fmt: skip
    with_list = _resolve(names, customers, aliases=aliases)
    assert list(with_list["body_key"][:3]) == ["urn:10001", "urn:10012", "urn:10001"]
    assert list(with_list["method"]) == [
        "override", "override", "exact_list", "override", "override",
    ]  # fmt: skip
    assert with_list["body_key"][3] == with_list["body_key"][4] == "met office"
    without = _resolve(names, None, aliases=aliases)
    assert list(without["body_key"][:3]) == [
        "department for work and pensions", "urn:10012", "department for work and pensions",
    ]  # fmt: skip
    assert without["body_name"][0] == "Department for Work and Pensions"


def test_an_override_body_spelt_as_in_the_file_finds_the_list_body_through_an_alias(tmp_path):
    path = write_customer_list(
        tmp_path / "list.xlsx", bodies=[(501, "Meteorological Office", "Central Government", "")]
    )
    customers = read_customer_list(path, VOCAB)
    aliases = _aliases(tmp_path, ["Meteorological Office,Met Office,,former name"])
    out = _resolve(["Met Office", "Meteorological Office"], customers, aliases=aliases)
    assert list(out["body_key"]) == ["urn:501", "urn:501"]
    assert list(out["method"]) == ["override", "override"]


def test_override_file_must_have_its_columns(tmp_path):
    bad = _aliases(tmp_path, ["DWP,Department for Work and Pensions"], header="alias,name")
    with pytest.raises(LoaderInputError, match="missing column"):
        _resolve(["DWP"], aliases=bad)


def test_former_names_from_name_changes_match_exactly(customers):
    out = _resolve(["Cornwall County Council", "The Royal Parks Foundation"], customers)
    assert list(out["body_key"]) == ["urn:10003", "urn:10011"]
    assert list(out["method"]) == ["exact_list", "exact_list"]
    assert list(out["body_name"]) == ["Cornwall Council", "The Royal Parks Foundation"]


def test_one_bodys_current_name_and_anothers_former_name_is_never_guessed(tmp_path):
    """The 2016 list: ``English Heritage`` is the current name of the charity set up in 2015
    and the former name of Historic England, which spent under it before. Which body a row
    means depends on its date, so the name is left unresolved, never guessed."""
    path = write_customer_list(
        tmp_path / "customers.xlsx",
        [(10043532, "English Heritage", "Not for Profit", "Charity"),
         (10006177, "Historic England", "Central Government", "NDPB")],
        changes=[("English Heritage", "Historic England", 10006177)],
    )  # fmt: skip
    out = _resolve(["English Heritage", "Historic England"], read_customer_list(path, VOCAB))
    assert list(out["body_key"]) == ["english heritage", "urn:10006177"]
    assert list(out["method"]) == ["ambiguous", "exact_list"]


def test_a_name_shared_by_several_urns_is_never_guessed(customers):
    out = _resolve(["Health and Safety Executive"], customers)
    assert out["method"][0] == "ambiguous"
    assert out["body_key"][0] == "health and safety executive"


def test_fuzzy_match_accepted_above_the_threshold(customers):
    out = _resolve(["Knowsley Borough Council"], customers)
    assert out["method"][0] == "fuzzy_list"
    assert out["body_key"][0] == "urn:10005"
    assert out["score"][0] >= FUZZY_THRESHOLD
    assert out["body_name"][0] == "Knowsley Metropolitan Borough Council"


@pytest.mark.parametrize(
    "published",
    [
        pytest.param("Highways Agency", id="highways-is-not-loughs"),
        pytest.param("10 Downing Street", id="downing-street-is-not-living-streets"),
        pytest.param("Leeds City Council", id="council-is-not-college-nor-nhs"),
        pytest.param("University of Leeds", id="university-is-not-leeds-met"),
        pytest.param("Durham City Council", id="city-is-not-county"),
        pytest.param("Leeds", id="bare-place-name"),
    ],
)
def test_fuzzy_traps_are_rejected(customers, published):
    out = _resolve([published], customers, threshold=0.0)  # whatever the score
    assert out["method"][0] == "name_key"
    assert not out["body_key"][0].startswith("urn:")


@pytest.mark.parametrize(
    ("query", "candidate", "agree"),
    [
        pytest.param("highways agency", "loughs agency", False, id="generic-word-only"),
        pytest.param("10 downing street", "living streets", False, id="distinctive-differ"),
        pytest.param("knowsley borough council", "knowsley metropolitan borough council", True,
                     id="qualifier-missing-one-side"),
        pytest.param("leeds city council", "nhs leeds", False, id="optional-words-both-sides"),
        pytest.param("leeds city council", "leeds city college", False, id="kind-differs"),
        pytest.param("durham city council", "durham county council", False, id="city-vs-county"),
        pytest.param("department of education", "department for education", False,
                     id="of-vs-for"),
        pytest.param("university of durham", "durham university", True, id="word-order"),
        pytest.param("maritime coast guard agency", "maritime and coastguard agency", True,
                     id="words-run-together"),
        pytest.param("salford", "nhs salford", False, id="no-kind-word-in-common"),
        pytest.param("aintree university hospital nhs foundation trust",
                     "aintree university hospitals nhs foundation trust", True, id="plural-kind"),
        pytest.param("hertford regional college", "hereford regional college", False,
                     id="one-letter-place-names"),
    ],
)  # fmt: skip
def test_tokens_agree(query, candidate, agree):
    assert tokens_agree(query, candidate) is agree


def test_two_agreeing_bodies_within_the_margin_make_a_name_ambiguous(tmp_path):
    path = write_customer_list(
        tmp_path / "list.xlsx",
        bodies=[
            (1, "Wigan Borough Council", "Local Government", ""),
            (2, "Wigan District Council", "Local Government", ""),
        ],
    )
    index = build_list_index(read_customer_list(path, VOCAB), VOCAB)
    assert index.fuzzy(match_key("Wigan Council", VOCAB)) is None
    assert index.fuzzy(match_key("Wigan Council", VOCAB), hide=frozenset({2})).urn == 1


def test_match_key_tidies_forms_publishers_disagree_on():
    assert match_key("Royal Parks Foundation, The", VOCAB) == "royal parks foundation"
    assert match_key("HS2 Ltd.", VOCAB) == "hs2"
    assert match_key("NHS Greater Preston CCG", VOCAB) == (
        "nhs greater preston clinical commissioning group"
    )
    assert match_key("Her Majesty's Revenue & Customs", VOCAB) == "hm revenue and customs"


@pytest.mark.parametrize(
    ("listed", "shown"),
    [
        ("Royal Parks Foundation The", "The Royal Parks Foundation"),
        ("ABUNDANT LIFE CHRISTIAN CENTRE", "Abundant Life Christian Centre"),
        ("29 CDO REGT RA", "29 CDO Regt RA"),
        ("ST JOHNS SCHOOL OF THE ARTS", "St Johns School of the Arts"),
        ("Department of Energy & Climate Change", "Department of Energy & Climate Change"),
    ],
)
def test_tidy_list_name(listed, shown):
    assert tidy_list_name(listed) == shown


@pytest.mark.slow
def test_display_prefers_the_list_name_in_the_best_casing_published(customers):
    out = _resolve(
        ["Department for Work and Pensions", "DEPARTMENT FOR WORK AND PENSIONS"], customers
    )
    assert set(out["body_name"]) == {"Department for Work and Pensions"}


def test_supplier_override_and_no_fuzzy_merging(tmp_path):
    aliases = _aliases(
        tmp_path,
        ["SCC (Specialist Computer Centre),Specialist Computer Centre,abbreviation"],
        header="alias,supplier,note",
    )
    names = pd.Series(
        ["SCC (Specialist Computer Centre)", "SPECIALIST COMPUTER CENTRE", "Acuma Solutions Ltd",
         "Jumar Solutions Ltd", "Acuma Solutions Limited", ""]
    )  # fmt: skip
    out = resolve_suppliers(names, VOCAB, aliases)
    assert list(out["body_key"][:5]) == [
        "specialist computer centre", "specialist computer centre", "acuma solutions",
        "jumar solutions", "acuma solutions",
    ]  # fmt: skip
    assert list(out["method"]) == ["override", *["name_key"] * 4, "none"]
    assert out["body_name"][1] == "Specialist Computer Centre"
    assert pd.isna(out["body_key"][5]) and out["body_name"][5] == "(not stated)"


def test_match_report_has_one_row_per_name_and_body(customers):
    names = ["DWP", "Department For Work And Pensions", "Department for Work and Pensions",
             "Department for Work and Pensions", "Acme Council"]  # fmt: skip
    resolved = _resolve(names, customers, urns=[10001, None, None, None, None])
    report = match_report("customer", resolved, pd.Series([1.0, 2.0, 3.0, 4.0, 5.5]))
    assert list(report.columns) == CANONICAL["matches"].columns
    table = report.set_index("published_name")
    assert table.loc["Department for Work and Pensions", "rows"] == 2
    assert table.loc["Department for Work and Pensions", "spend_gbp"] == 7.0
    assert table.loc["Department for Work and Pensions", "method"] == "exact_list"
    assert table.loc["DWP", "method"] == "urn"
    assert table.loc["DWP", "urn"] == 10001
    assert table.loc["Acme Council", "method"] == "name_key"
    assert pd.isna(table.loc["Acme Council", "urn"]) and pd.isna(table.loc["Acme Council", "score"])
    assert set(report["body_name"][report["urn"].eq(10001).fillna(False)]) == {
        "Department for Work and Pensions"
    }


@pytest.mark.slow
def test_spelling_variants_count_as_one_body(tmp_path, list_path):
    release = write_csv(
        tmp_path / "G-Cloud-Spend-2014-07.csv",
        rows_2014(
            (4, "Acme Ltd", "Department For Work And Pensions", "2014-05-01", 10, "", "SME"),
            (4, "ACME LIMITED", "Department for Work and Pensions", "2014-05-01", 20, "", "SME"),
            (4, "Acme", "DWP", "2014-06-01", 30, "", "SME"),
            (4, "Acme", "Cornwall County Council", "2014-06-01", 40, "", "SME"),
        ),
    )
    for customers in (None, list_path):
        result = loaders.load(release, customers=customers)
        assert result.spend["customer_key"].nunique() == 2
        assert result.report["headline"]["distinct_customers"] == 2
        assert result.report["headline"]["distinct_suppliers"] == 1
    spend = result.spend.set_index("source_row").sort_index()
    assert set(spend.loc[[2, 3, 4], "customer"]) == {"Department for Work and Pensions"}
    assert list(spend["customer_match"].astype(str)) == [
        "exact_list", "exact_list", "override", "exact_list",
    ]  # fmt: skip
    assert spend.loc[5, "customer_key"] == "urn:10003"
    assert spend.loc[5, "sector_method"] == "customer_list_name"  # sector found via the body
    matching = result.report["customer_matching"]
    assert matching["exact_list"] == {"names": 3, "rows": 3, "spend_gbp": 70.0}
    assert "Customer names resolved to bodies by: override 1 names" in describe(result.report)


@pytest.mark.slow
def test_a_ccs_release_with_urns_and_an_older_release_without(tmp_path):
    write_xlsx(
        tmp_path / "spend-2021-03.xlsx",
        ccs_rows(
            [ccs_row(77, "Cabinet Office", "Central Government", "Acme Ltd", "SME",
                     "RM1557.12", "G-Cloud 12", 2, "Cloud Software", "2021-01-01", 100.0)]
        ),
    )  # fmt: skip
    write_csv(
        tmp_path / "G-Cloud-Spend-2014-07.csv",
        rows_2014((4, "Acme", "CABINET OFFICE", "2014-05-01", 5, "Central Government", "SME")),
    )
    result = loaders.load(tmp_path)
    assert set(result.spend["customer_key"]) == {"urn:77"}
    assert set(result.spend["customer"]) == {"Cabinet Office"}
    methods = result.matches.set_index("published_name")["method"]
    assert methods["CABINET OFFICE"] == "urn_name" and methods["Cabinet Office"] == "urn"


@pytest.mark.slow
def test_store_round_trip_of_matches_and_customers(tmp_path, list_path):
    release = write_csv(
        tmp_path / "G-Cloud-Spend-2014-07.csv",
        rows_2014((4, "Acme", "DWP", "2014-05-01", 10, "Central Government", "SME")),
    )
    result = loaders.load(release, customers=list_path)
    assert len(result.customers) == len(BODIES)
    bodies = result.customers.set_index("urn")
    assert bodies.loc[10001, "name"] == "Department for Work and Pensions"  # as in the spend
    assert bodies.loc[10010, "name"] == "Abundant Life Christian Centre"
    assert pd.isna(bodies.loc[10001, "active"])
    loaders.write_store(result, tmp_path / "store")
    stored = loaders.read_store(tmp_path / "store")
    pd.testing.assert_frame_equal(stored.matches, result.matches)
    pd.testing.assert_frame_equal(stored.customers, result.customers)
    assert stored.report["customer_matching"] == result.report["customer_matching"]
    without = loaders.load(release)
    assert list(without.customers.columns) == ["urn", "name", "sector", "organisation_type",
                                               "active", "region", "county"]  # fmt: skip
    assert without.customers.empty
    loaders.write_store(without, tmp_path / "store2")
    assert loaders.read_store(tmp_path / "store2").customers.empty


def test_a_region_given_as_an_organisation_type_is_a_region(tmp_path):
    path = write_customer_list(
        tmp_path / "list.xlsx",
        [(1, "Leeds City Council", "Local Government", "Region: Yorkshire & Humberside"),
         (2, "Kent County Council", "Local Government", "County Council")],
        counties={1: "West Yorkshire", 2: "Kent"},
    )  # fmt: skip
    bodies = read_customer_list(path, VOCAB).bodies.set_index("urn")
    assert bodies.loc[1, ["organisation_type", "region", "county"]].tolist() == [
        "", "Yorkshire & Humberside", "West Yorkshire"
    ]  # fmt: skip
    assert bodies.loc[2, ["organisation_type", "region", "county"]].tolist() == [
        "County Council", "", "Kent"
    ]  # fmt: skip


def test_customer_bodies_without_a_list_is_an_empty_frame_with_its_columns():
    frame = customer_bodies(None)
    assert frame.empty and list(frame.columns) == ["urn", "name", "sector", "organisation_type",
                                                   "active", "region", "county"]  # fmt: skip
    assert str(frame["urn"].dtype) == "Int64"


@pytest.mark.slow
def test_a_store_of_an_older_format_is_refused_with_one_message(tmp_path):
    release = write_csv(
        tmp_path / "x.csv", rows_2014((4, "Acme", "DWP", "2014-05-01", 10, "Police", "SME"))
    )
    store = loaders.write_store(loaders.load(release), tmp_path / "store")
    report = json.loads((store / "load_report.json").read_text())
    del report["store_format"]  # as stores written before the format was recorded
    (store / "load_report.json").write_text(json.dumps(report))
    with pytest.raises(loaders.LoaderInputError, match="store format 2.*rebuild it"):
        loaders.read_store(store)


def test_the_matching_benchmark_skips_without_the_real_data(tmp_path, monkeypatch, capsys):
    from benchmarks import customer_matching

    monkeypatch.setattr(customer_matching, "RELEASE", tmp_path / "absent.csv")
    assert customer_matching.main([]) == 0
    assert "Skipped: the real data is absent" in capsys.readouterr().out


@pytest.mark.parametrize(
    "published",
    ["Unknown", "UNKNOWN ", "Customer not known", "Various", "Various customers", "N/A",
     "Customer Unknown", "-"],
)  # fmt: skip
def test_a_name_that_names_no_body_is_nobodys_purchase(published, customers):
    """``Unknown``, ``Various``: the row's pounds stay, but it has no customer body, so it
    is never counted as a buyer; a real body's name merely containing the word is kept."""
    out = _resolve([published, "Unknown Council Services Ltd"], customers)
    assert pd.isna(out["body_key"][0]) and out["method"][0] == "none"
    assert out["body_name"][0] == "(not stated)"
    assert out["body_key"][1] == "unknown council services ltd"


@pytest.mark.slow
def test_rows_under_no_name_are_loaded_to_the_penny_with_no_customer(tmp_path):
    rows = [
        ccs_row(77, "Cabinet Office", "Central Government", "Acme Ltd", "SME", "RM1557.12",
                "G-Cloud 12", 2, "Cloud Software", "2021-01-01", 100.10),
        ccs_row(None, "Unknown", "Central Government", "Acme Ltd", "SME", "RM1557.12",
                "G-Cloud 12", 2, "Cloud Software", "2021-01-01", 200.20),
        ccs_row(None, "Customer not known", "Local Government", "Acme Ltd", "SME",
                "RM1557.12", "G-Cloud 12", 2, "Cloud Software", "2021-02-01", 300.30),
        ccs_row(88, "Unknown", "Local Government", "Acme Ltd", "SME", "RM1557.12",
                "G-Cloud 12", 2, "Cloud Software", "2021-02-01", 400.40),
    ]  # fmt: skip
    write_xlsx(tmp_path / "spend-2021-03.xlsx", ccs_rows(rows))
    result = loaders.load(tmp_path)
    spend = result.spend
    assert round(spend["spend_gbp"].sum(), 2) == 1001.00
    unnamed = spend[spend["customer_key"].isna()]
    assert round(unnamed["spend_gbp"].sum(), 2) == 500.50
    assert set(unnamed["customer"]) == {"(not stated)"}
    # a URN on the row still names its body, whatever the name says
    assert set(spend["customer_key"].dropna()) == {"urn:77", "urn:88"}


def test_a_renamed_company_is_one_body_and_its_predecessor_agency_is_itself():
    """Highways England was renamed National Highways (2021): one body. The Highways Agency it
    replaced in 2015 is a body of its own, linked by the register, never merged."""
    out = _resolve(
        ["Highways England", "National Highways", "Highways Agency"], aliases=CUSTOMER_ALIASES
    )
    keys = out["body_key"].tolist()
    assert keys[0] == keys[1] and keys[2] != keys[0]
