"""The GOV.UK organisations register: written from saved API pages with its provenance, read
back, and each body's lineage (renamed, succeeded, part of)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from loaders.bodies.govuk_organisations import ORGANISATION_COLUMNS, organisations_from_govuk_json
from loaders.bodies.lineage import GOVUK_ORGANISATIONS, lineage_of, read_register, title_keys
from loaders.cli import main as cli_main
from loaders.core.errors import LoaderInputError
from loaders.core.vocabulary import load_vocabulary
from tests.builders import write_register

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "govuk_organisations_sample.json"
VOCAB = load_vocabulary()
AGENCY = "Executive agency"
ROWS = [
    ("dvsa", "Driver and Vehicle Standards Agency", "DVSA", AGENCY, "live", "", "", "", "dft"),
    ("vosa", "Vehicle and Operator Services Agency", "VOSA", AGENCY, "closed", "replaced",
     "2014-04-01", "dvsa", "dft"),
    ("dft", "Department for Transport", "DfT", "Ministerial department", "live", "", "", "", ""),
    ("ips", "Identity and Passport Service", "IPS", AGENCY, "closed", "changed_name",
     "2013-05-13", "hmpo", "ho"),
    ("hmpo", "HM Passport Office", "HMPO", AGENCY, "live", "", "", "", "ho"),
    ("ho", "Home Office", "", "Ministerial department", "live", "", "", "", ""),
    ("dcsf", "Department for Children, Schools and Families", "DCSF", "Ministerial department",
     "closed", "changed_name", "", "dfe", ""),
    ("dfes", "Department for Education and Skills", "DfES", "Ministerial department", "closed",
     "replaced", "", "dfe", ""),
    ("dfe", "Department for Education", "DfE", "Ministerial department", "live", "", "", "", ""),
]  # fmt: skip


@pytest.fixture
def register(tmp_path):
    return read_register(write_register(tmp_path / "organisations.csv", ROWS))


def _titles(orgs):
    return [o.title for o in orgs]


def test_a_renamed_body_is_one_body_across_its_names(register):
    names = ["HM Passport Office", "Identity and Passport Service"]  # latest first
    assert _titles(register.names_of("ips")) == names
    assert _titles(register.names_of("hmpo")) == names
    assert register.succeeded_by("ips") == []


def test_a_rename_into_a_body_that_took_over_others_too_is_a_succession(register):
    """GOV.UK says the DCSF ``changed_name`` into the DfE, but the DfE took over from the DfES
    as well: the DCSF is a body of its own, now part of the DfE."""
    assert register.renamed_to("dcsf") is None
    assert _titles(register.names_of("dcsf")) == ["Department for Children, Schools and Families"]
    assert _titles(register.succeeded_by("dcsf")) == ["Department for Education"]


def test_a_succeeded_body_is_linked_and_counted_as_itself(register):
    assert _titles(register.names_of("vosa")) == ["Vehicle and Operator Services Agency"]
    assert _titles(register.succeeded_by("vosa")) == ["Driver and Vehicle Standards Agency"]
    assert register.ancestors("vosa") == ["dft"]


def test_lineage_of_a_body_by_any_of_its_names(register):
    found = lineage_of(["VOSA", "Vehicle and Operator Services Agency"], VOCAB, register)
    assert found.now_part_of == ("Driver and Vehicle Standards Agency",)
    assert found.closed_at == "2014-04-01"
    assert lineage_of(["Identity and Passport Service"], VOCAB, register).renamed_to == (
        "HM Passport Office"
    )
    assert lineage_of(["HM Passport Office"], VOCAB, register) is None  # live
    assert lineage_of(["Somewhere Else"], VOCAB, register) is None
    by_key = title_keys(register, VOCAB)  # built once by a caller looking up many bodies
    for names in (["VOSA"], ["Identity and Passport Service"], ["HM Passport Office"]):
        assert lineage_of(names, VOCAB, register, by_key) == lineage_of(names, VOCAB, register)


def test_the_shipped_register_says_where_it_came_from_and_reads():
    head = GOVUK_ORGANISATIONS.read_text(encoding="utf-8").splitlines()[:8]
    text = "\n".join(head)
    for needed in ("source: https://www.gov.uk/api/organisations", "retrieved", "licence: Open"):
        assert needed in text
    register = read_register()
    assert len(register.organisations) > 1000
    vosa = register.get("vehicle-and-operator-services-agency")
    assert _titles(register.succeeded_by(vosa.slug)) == ["Driver and Vehicle Standards Agency"]
    nhs_digital = register.names_of("health-and-social-care-information-centre")[0]
    assert nhs_digital.title == "NHS Digital"


def test_a_register_without_a_column_is_refused_naming_the_file(tmp_path):
    path = tmp_path / "organisations.csv"
    path.write_text("# provenance\nslug,title\nx,X\n", encoding="utf-8")
    with pytest.raises(LoaderInputError, match="missing column"):
        read_register(path)


# --- written from the API pages -----------------------------------------------------------


def test_the_register_of_api_pages_has_abbreviations_statuses_and_successors():
    table = organisations_from_govuk_json(FIXTURE).set_index("slug")
    assert list(table.reset_index().columns) == ORGANISATION_COLUMNS
    noms = table.loc["national-offender-management-service"]
    assert (noms["abbreviation"], noms["status"], noms["closed_status"]) == (
        "NOMS", "closed", "replaced")  # fmt: skip
    assert noms["successors"] == "hm-prison-and-probation-service"
    assert table.loc["ministry-of-justice", "successors"] == ""  # live: no successors
    assert table.loc["hm-prison-and-probation-service", "parents"] == "ministry-of-justice"


def test_older_copies_add_the_parents_bodies_had_then(tmp_path):
    """A body moved between departments was part of each in its time: the newest copy gives
    its title and status, every copy its parents. An older copy may be JSON lines."""
    pages = json.loads(FIXTURE.read_text(encoding="utf-8"))
    older = [dict(r) for r in pages["results"] if r["details"]["slug"] == "insolvency-service"]
    older[0]["parent_organisations"] = [
        {"id": "https://www.gov.uk/api/organisations/department-for-business-innovation-skills"}
    ]
    older[0]["title"] = "The Insolvency Service (old title)"
    old_copy = tmp_path / "older.jsonl"
    old_copy.write_text("\n".join(json.dumps(r) for r in older) + "\n", encoding="utf-8")
    table = organisations_from_govuk_json(FIXTURE, old_copy).set_index("slug")
    insolvency = table.loc["insolvency-service"]
    assert "old title" not in insolvency["title"]  # the newest copy gives the title
    parents = ["department-for-business-and-trade", "department-for-business-innovation-skills"]
    assert insolvency["parents"].split(";") == parents


def test_cli_writes_the_register_with_its_provenance(tmp_path, capsys):
    out = tmp_path / "organisations.csv"
    code = cli_main(["organisations", "--from-govuk", str(FIXTURE), "--retrieved", "2024-07-05",
                     "--origin", "a test copy", "--out", str(out)])  # fmt: skip
    assert code == 0 and "Wrote 17 organisations" in capsys.readouterr().out
    text = out.read_text(encoding="utf-8")
    assert "# copy retrieved 2024-07-05: a test copy" in text and "# licence: Open" in text
    assert read_register(out).get("ministry-of-justice").abbreviation == "MOJ"


def test_cli_wants_a_date_for_each_copy(tmp_path, capsys):
    out = tmp_path / "organisations.csv"
    code = cli_main(["organisations", "--from-govuk", str(FIXTURE), "--from-govuk", str(FIXTURE),
                     "--retrieved", "2024-07-05", "--out", str(out)])  # fmt: skip
    assert code == 2 and "one --retrieved" in capsys.readouterr().err
    assert not out.exists()


def test_cli_exits_2_with_one_line_on_unusable_pages(tmp_path, capsys):
    source = tmp_path / "pages.json"
    source.write_text('{"error": "rate limited"}', encoding="utf-8")
    code = cli_main(["organisations", "--from-govuk", str(source), "--retrieved", "2024-07-05",
                     "--out", str(tmp_path / "out.csv")])  # fmt: skip
    err = capsys.readouterr().err.strip()
    assert code == 2 and err.startswith("error: ") and str(source) in err and "\n" not in err
