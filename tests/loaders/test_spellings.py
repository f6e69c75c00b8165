"""Spellings and names: one canonical lot per spelling, one key per body whatever its accents
and typographic punctuation."""

from __future__ import annotations

import pytest

import loaders
from loaders.bodies.resolution import match_key
from loaders.core.normalise import canonical_lot, customer_key, supplier_key
from loaders.core.parsing import fold_text, name_key
from loaders.core.vocabulary import load_vocabulary, simplify
from tests.builders import HEADER_2017, write_csv

VOCAB = load_vocabulary()
SAAS, IAAS, PAAS = (
    "Software as a Service (SaaS)",
    "Infrastructure as a Service (IaaS)",
    "Platform as a Service (PaaS)",
)
SCS = "Specialist Cloud Services"


@pytest.mark.parametrize(
    ("published", "iteration", "lot"),
    [
        ("SaaS Services", "G-Cloud 6", SAAS),
        ("IaaS Services", "G-Cloud 6", IAAS),
        ("PaaS Services", "G-Cloud 6", PAAS),
        ("SAAS", "G-Cloud 6", SAAS),
        ("Saas", "G-Cloud 6", SAAS),
        (" software as a service ", "G-Cloud 5", SAAS),
        ("SCS", "G-Cloud 7", SCS),
        ("Specialist cloud services ", "G-Cloud 7", SCS),
        ("Specialist Cloud Service", "G-Cloud 7", SCS),
        ("Lot 3 - SaaS", "G-Cloud 7", SAAS),
        ("Lot 4: Specialist Cloud Services", "G-Cloud 7", SCS),
        ("Lot 03", "G-Cloud 7", SAAS),
        ("SaaS (Lot 3)", "G-Cloud 7", SAAS),
        ("Cloud hosting - lot 1", "G-Cloud 10", "Cloud Hosting"),
        ("3", "G-Cloud 10", "Cloud Support"),
        ("Cloud Support Services", "G-Cloud 10", "Cloud Support"),
        ("cloud hosting", "G-Cloud 11", "Cloud Hosting"),
    ],
)
def test_each_lot_spelling_is_one_canonical_lot(published, iteration, lot):
    assert canonical_lot(published, "G-Cloud", iteration, VOCAB) == lot


@pytest.mark.slow
def test_a_release_with_lot_spellings_totals_one_lot_each(tmp_path):
    lots = ["Software as a Service (SaaS)", "SaaS Services", "SAAS ", "Saas", "SCS",
            "Specialist Cloud Services", "specialist cloud services ", "IaaS Services"]  # fmt: skip
    rows = [HEADER_2017] + [
        ["G-Cloud 6", lot, "Acme Ltd", "Central Government", "Home Office", "d", "01/01/16",
         f"£{1000 * (i + 1):,.2f}", "SME"]
        for i, lot in enumerate(lots)
    ]  # fmt: skip
    spend = loaders.load(write_csv(tmp_path / "G-Cloud-spend-Feb2016.csv", rows)).spend
    by_lot = spend.groupby("lot", observed=True)["spend_gbp"].sum().to_dict()
    assert by_lot == {SAAS: 10_000.0, SCS: 18_000.0, IAAS: 8_000.0}


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Clément Consulting Ltd", "Clement Consulting Ltd"),
        ("King’s College London", "King's College London"),
        ("King‘s College London", "Kings College London"),
        ("Tyne – Wear Council", "Tyne - Wear Council"),
        ("Tyne — Wear Council", "Tyne-Wear Council"),
        ("Société Générale UK", "Societe Generale UK"),
        ("Straße Systems", "Strasse Systems"),
        ("Ørsted", "Orsted"),
        ("ＡＢＣ Ltd", "ABC Ltd"),
        ("ClÃ©ment Consulting Ltd", "Clement Consulting Ltd"),  # UTF-8 read as cp1252
    ],
)
def test_keys_fold_accents_and_typographic_punctuation(a, b):
    assert name_key(a) == name_key(b)
    assert customer_key(a, VOCAB) == customer_key(b, VOCAB)
    assert supplier_key(a, VOCAB) == supplier_key(b, VOCAB)
    assert match_key(a, VOCAB) == match_key(b, VOCAB)
    assert simplify(a) == simplify(b)


def test_fold_text_keeps_letters_and_reads_misdecoded_apostrophes():
    assert fold_text("Information CommissionerÕs Office") == "information commissioner's office"
    assert fold_text("Kingâ€™s") == "king's"
    assert fold_text("Zoë") == "zoe"


@pytest.mark.slow
def test_one_body_is_one_key_in_the_loaded_frame(tmp_path):
    rows = [HEADER_2017] + [
        ["G-Cloud 6", "SaaS", supplier, "Central Government", customer, "d", "01/01/16", "£1.00",
         "SME"]
        for supplier, customer in [
            ("Clément Consulting Ltd", "King’s College Hospital"),
            ("Clement Consulting Limited", "King's College Hospital"),
            ("CLÉMENT CONSULTING", "Kings College Hospital"),
        ]
    ]  # fmt: skip
    spend = loaders.load(write_csv(tmp_path / "G-Cloud-spend-Feb2016.csv", rows)).spend
    assert spend["supplier_key"].nunique() == 1 and spend["customer_key"].nunique() == 1
