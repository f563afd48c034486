"""Recognising a medicine's type from its name: generic and brand names, any case, close
spellings, and no proposal for a name that is not a medicine we can classify."""

import csv

import pytest

from journal import medication_classes, medicine_names
from journal.medicine_names import recognise


def recognised(text: str) -> tuple[str, str, str, bool] | None:
    found = recognise(text)
    if found is None:
        return None
    return (found.typed, found.generic.name, found.entry.key, found.close_spelling)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        # Generic names, in any case, with a strength or a form after them.
        ("Simvastatin", ("Simvastatin", "simvastatin", "statin", False)),
        ("FUROSEMIDE 40 mg", ("FUROSEMIDE", "furosemide", "loop_diuretic", False)),
        ("ramipril", ("ramipril", "ramipril", "ace_inhibitor", False)),
        (
            "Bendroflumethiazide 2.5mg",
            ("Bendroflumethiazide", "bendroflumethiazide", "thiazide_diuretic", False),
        ),
        # Other generic names: US and older British ones.
        ("Albuterol", ("Albuterol", "salbutamol", "short_acting_beta_agonist", False)),
        ("Frusemide", ("Frusemide", "furosemide", "loop_diuretic", False)),
        ("acetaminophen", ("acetaminophen", "paracetamol", "pain_reliever", False)),
        # Brand names, from the dictionary.
        ("Lipitor", ("Lipitor", "atorvastatin", "statin", False)),
        ("lipitor 20mg", ("lipitor", "atorvastatin", "statin", False)),
        ("Lasix", ("Lasix", "furosemide", "loop_diuretic", False)),
        ("Ventolin Evohaler", ("Ventolin", "salbutamol", "short_acting_beta_agonist", False)),
        ("Symbicort", ("Symbicort", "budesonide/formoterol", "laba", False)),
        ("Tritace", ("Tritace", "ramipril", "ace_inhibitor", False)),
        ("Losec", ("Losec", "omeprazole", "proton_pump_inhibitor", False)),
        ("Eliquis", ("Eliquis", "apixaban", "anticoagulant", False)),
        # A brand the dictionary lacks, in our file.
        ("Seretide 250 Evohaler", ("Seretide", "fluticasone/salmeterol", "laba", False)),
        # Spelling variants the dictionary lists, and close misspellings.
        ("Atorvastatine", ("Atorvastatine", "atorvastatin", "statin", False)),
        ("simvastatn", ("simvastatn", "simvastatin", "statin", True)),
        ("Ramiprl", ("Ramiprl", "ramipril", "ace_inhibitor", True)),
        ("magnesum", ("magnesum", "magnesium", "supplement", True)),
        # Citalopram is reported with cramps, other SSRIs are not: each under its own type.
        ("Cipramil", ("Cipramil", "citalopram", "other_reported", False)),
        ("Zoloft", ("Zoloft", "sertraline", "ssri", False)),
    ],
)
def test_names_are_recognised_with_their_type(typed, expected):
    assert recognised(typed) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "xyzzy",
        "Tight bedsheets",
        "Blue inhaler",  # a description, not a name
        "vitamins",
        # Medicines of no type we can name with confidence: no proposal rather than a guess.
        "Aspirin",  # a pain reliever or, at 75 mg, an antiplatelet
        "Hydrocortisone cream",  # a medicine itself, not a misspelt prednisone
        "Amoxicillin",
        # Two medicines of different types in one name.
        "Amlodipine and atorvastatin",
        "Caduet",
    ],
)
def test_no_proposal_for_names_we_cannot_classify(typed):
    assert recognise(typed) is None


def test_every_row_of_the_data_file_is_recognised_as_itself():
    for generic in medicine_names.load_generics():
        for name in (generic.name, *generic.other_names):
            found = recognise(name.upper())
            assert found is not None and found.generic == generic, name
            assert found.entry is medication_classes.BY_KEY[found.entry.key]


def test_the_data_file_names_a_source_for_each_row_and_no_catch_all():
    with medicine_names.CLASSES_FILE.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    assert rows and all(row["source"].startswith("WHO ATC ") for row in rows)
    assert len({row["generic"] for row in rows}) == len(rows)  # each generic once
    assert "other" not in {row["class"] for row in rows}
    # Types linked with cramps and types that are not, both named.
    linked = {
        row["class"] for row in rows if medication_classes.BY_KEY[row["class"]].linked_to_cramps
    }
    assert {"statin", "loop_diuretic", "thiazide_diuretic", "laba"} <= linked
    assert {"ace_inhibitor", "proton_pump_inhibitor", "ssri", "biguanide"} <= {
        row["class"] for row in rows
    }


def test_an_unknown_class_in_the_data_file_is_an_error(tmp_path):
    bad = tmp_path / "classes.csv"
    bad.write_text(
        "generic,also_known_as,class,source\nmagic,,unicorn_dust,WHO ATC X\n", encoding="utf-8"
    )
    with pytest.raises(ValueError, match="line 2: unknown class 'unicorn_dust'"):
        medicine_names.load_generics(bad)


def test_brand_names_agree_with_the_librarys_own_finder():
    """The dictionary is read directly (its finder's index is too big to keep); this checks
    the reading against the finder itself."""
    from drug_named_entity_recognition import find_drugs

    for brand in ("Lipitor", "Zocor", "Lasix", "Ventolin", "Tritace", "Nexium", "Glucophage"):
        [(match, _, _)] = find_drugs([brand], is_ignore_case=True)
        library_generic = match["name"].lower()
        found = recognise(brand)
        assert library_generic in (found.generic.name, *found.generic.other_names), brand
