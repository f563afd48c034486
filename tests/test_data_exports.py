"""The CSV, JSON and FHIR exports: contents, headers, password, query counts.

`unusual_journal` (also used by the import and deletion tests) builds a journal full of text
that trips up exports: formulas, emoji, right-to-left text, combining characters, quotes,
HTML, and nights across both daylight-saving changes of Europe/London; and two experiments,
one of them of a factor named like a formula.
"""

import csv
import io
import json
import zipfile
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse
from fhir.resources.R4B.bundle import Bundle

from journal.models import (
    RED_FLAG_QUESTIONS,
    CrampEpisode,
    CustomFactor,
    CustomFactorValue,
    DayFactors,
    DoseTaken,
    ExerciseSession,
    Experiment,
    ExperimentAnswer,
    ExperimentPause,
    Medication,
    Night,
    RedFlagChecklist,
    User,
)
from journal.portability import records
from journal.portability.csv_export import sheets
from journal.views import data as data_views
from tests.conftest import london

pytestmark = pytest.mark.django_db

NOW = london(date(2026, 11, 22), 9, 30)
PASSWORDS = {"alice@example.com": "alice-password-1", "bob@example.com": "bob-password-1"}
FORMULA = "=SUM(A1)"
EMOJI = "Calf like a rock 😖🦵, woke at 3 🌙"
RTL = "تشنج عضلي في الساق ‏(left)‏ and התכווצות"
COMBINING = "Cafe\u0301 noir, Z\u0324\u0354\u0367\u0311\u0313"
QUOTES = 'He said "stretch it", it\'s fine; a,b'
HTML = "<script>alert('x')</script><img src=x onerror=alert(1)>"
SPRING_NIGHT = date(2026, 3, 28)  # clocks go forward at 01:00 GMT on the 29th
AUTUMN_NIGHT = date(2025, 10, 25)  # clocks go back at 02:00 BST on the 26th
FIRST_0130 = datetime(2025, 10, 26, 0, 30, tzinfo=UTC)  # 01:30 BST
SECOND_0130 = datetime(2025, 10, 26, 1, 30, tzinfo=UTC)  # 01:30 GMT, an hour later


def answers(**given: str | None) -> dict[str, str | None]:
    """Every question answered no, but for those `given` (None: not answered)."""
    return {name: given.get(name, "no") for name in RED_FLAG_QUESTIONS}


def unusual_journal(user: User) -> None:
    """A small journal of `user` (in Europe/London) with every kind of record."""
    sheets_factor = CustomFactor.objects.create(user=user, name=FORMULA, kind="yes_no")
    bananas = CustomFactor.objects.create(user=user, name="Ünïcödé 🍌", kind="number", unit="+cups")
    CustomFactor.objects.create(user=user, name="@home", archived=True)

    spring = Night.objects.create(
        user=user,
        date=SPRING_NIGHT,
        into_bed=london(SPRING_NIGHT, 23, 0),
        tried_to_sleep=london(SPRING_NIGHT, 23, 15),
        sleep_latency_min=10,
        awakenings=2,
        awake_after_onset_min=25,
        final_awakening=london(date(2026, 3, 29), 7, 0),
        out_of_bed=london(date(2026, 3, 29), 7, 20),
        quality=3,
        notes=FORMULA,
    )
    CrampEpisode.objects.create(
        night=spring,
        started_at=london(date(2026, 3, 29), 0, 40),
        duration_seconds=150,
        muscle="calf",
        side="left",
        pain=7,
        minutes_back_to_sleep=20,
        relieved_by_stretching=True,
        relieved_by_walking=True,
        soreness_next_day=3,
        notes=EMOJI,
    )
    CrampEpisode.objects.create(
        night=spring,
        started_at=london(date(2026, 3, 29), 3, 10),
        muscle="foot",
        woke_me=False,
        relieved_by_nothing=True,
        notes=f"{RTL}\n{COMBINING}\n{QUOTES}",
    )
    autumn = Night.objects.create(user=user, date=AUTUMN_NIGHT, notes=HTML)
    for moment in (FIRST_0130, SECOND_0130):
        CrampEpisode.objects.create(night=autumn, started_at=moment, side="both", pain=2)

    day = DayFactors.objects.create(
        user=user,
        date=SPRING_NIGHT,
        fluids_ml=1500,
        alcohol_units=Decimal("2.5"),
        caffeinated_drinks=3,
        hours_on_feet=Decimal("7.9"),
        hours_sitting=Decimal("16.1"),
        notes="-2 glasses\tof water",
    )
    ExerciseSession.objects.create(day=day, kind="walking", minutes=30)
    ExerciseSession.objects.create(day=day, kind="yoga", minutes=20, intensity="light")
    CustomFactorValue.objects.create(day=day, factor=sheets_factor, yes=True)
    CustomFactorValue.objects.create(day=day, factor=bananas, number=Decimal("-2.50"))
    DayFactors.objects.create(
        user=user, date=AUTUMN_NIGHT, notes="\rcarriage return", no_exercise=True
    )

    Medication.objects.create(
        user=user,
        name='Mg "citrate" ‏ملح‏',
        dose=Decimal("1.5"),
        dose_unit="+mg",
        drug_class="supplement",
        kind="supplement",
        started_on=date(2026, 1, 10),
        stopped_on=date(2026, 3, 1),
        notes="@cmd",
    )
    inhaler = Medication.objects.create(
        user=user,
        name="Salbutamol",
        dose=Decimal(100),
        dose_unit="mcg",
        drug_class="short_acting_beta_agonist",
        kind="as_needed",
        started_on=date(2025, 6, 1),
    )
    DoseTaken.objects.create(medication=inhaler, taken_at=london(date(2026, 3, 29), 0, 50))
    DoseTaken.objects.create(medication=inhaler, taken_at=SECOND_0130, quantity=Decimal("2.25"))
    RedFlagChecklist.objects.create(user=user, answered_on=date(2026, 3, 1), **answers())
    RedFlagChecklist.objects.create(
        user=user,
        answered_on=date(2026, 4, 2),
        **answers(numbness="yes", swelling="not_sure", partner_jerks=None),
    )
    experiments(user, sheets_factor)


def experiments(user: User, yes_no: CustomFactor) -> None:
    """A stopped stretching experiment with a pause and answers (not every night answered), and
    one of `yes_no` with a pause still on and the largest seed."""
    stretching = Experiment.objects.create(
        user=user,
        change="stretching",
        start=date(2026, 2, 1),
        seed=12345,
        block_nights=7,
        blocks=4,
        washout_nights=2,
        stopped_on=date(2026, 2, 20),
    )
    ExperimentPause.objects.create(
        experiment=stretching, first=date(2026, 2, 5), last=date(2026, 2, 6)
    )
    for night, did_it in (
        (date(2026, 2, 1), True),
        (date(2026, 2, 2), False),
        (date(2026, 2, 8), True),
        (date(2026, 2, 12), False),
    ):
        ExperimentAnswer.objects.create(experiment=stretching, night=night, did_it=did_it)
    own = Experiment.objects.create(
        user=user,
        change="custom",
        factor=yes_no,
        start=date(2026, 3, 20),
        seed=2**31 - 1,
        block_nights=14,
        blocks=2,
        washout_nights=3,
    )
    ExperimentPause.objects.create(experiment=own, first=date(2026, 3, 25))


def journal_rows(user: User) -> dict[str, int]:
    """How many rows of each model of the app belong to `user` (every model says its owner)."""
    rows = {}
    for model in apps.get_app_config("journal").get_models():
        if model is User:
            rows["User"] = User.objects.filter(pk=user.pk).count()
            continue
        assert hasattr(model, "owner_path"), f"{model.__name__} does not say who owns it"
        rows[model.__name__] = model._default_manager.filter(**{model.owner_path: user.pk}).count()
    return rows


def download(client, user: User, kind: str, password: str | None = None):
    return client.post(
        reverse(f"data_export_{kind}"),
        {"password": PASSWORDS[user.email] if password is None else password},
    )


def unzip(response) -> dict[str, str]:
    """The files of a CSV export by name (without the folder), decoded."""
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        names = archive.namelist()
        assert {name.split("/")[0] for name in names} == {"cramp-journal-2026-11-22"}
        return {name.split("/")[1]: archive.read(name).decode("utf-8-sig") for name in names}


def table(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


@pytest.fixture
def alice_journal(alice, freeze_now):
    freeze_now(NOW)
    unusual_journal(alice)
    return alice


# --- CSV ----------------------------------------------------------------------------------


def test_csv_zip_has_one_documented_file_per_kind_of_record(alice_client, alice_journal):
    files = unzip(download(alice_client, alice_journal, "csv"))
    assert sorted(files) == [
        "README.txt",
        "cramps.csv",
        "custom_factor_values.csv",
        "custom_factors.csv",
        "days.csv",
        "doses.csv",
        "exercise.csv",
        "experiment_answers.csv",
        "experiment_pauses.csv",
        "experiments.csv",
        "medications.csv",
        "nights.csv",
        "red_flag_checklists.csv",
    ]
    readme = files["README.txt"]
    for sheet in sheets(alice_journal):
        section = readme.split(f"\n{sheet.filename}\n")[1].split(".csv\n")[0]
        header = next(csv.reader(io.StringIO(files[sheet.filename])))
        assert header == [column.name for column in sheet.columns]
        for name in header:
            assert f"\n{name}: " in section, f"{sheet.filename}: {name} is not documented"
    assert len(table(files["nights.csv"])) == 2
    assert len(table(files["cramps.csv"])) == 4
    checklists = table(files["red_flag_checklists.csv"])
    assert [row["partner_jerks"] for row in checklists] == ["no", ""]  # not answered: empty


def test_csv_neutralises_formulas_in_user_text_only(alice_client, alice_journal):
    files = unzip(download(alice_client, alice_journal, "csv"))
    nights = table(files["nights.csv"])
    assert nights[1]["notes"] == f"'{FORMULA}"
    assert nights[0]["notes"] == HTML  # text, which a spreadsheet shows as text
    factors = table(files["custom_factors.csv"])
    assert [factor["name"] for factor in factors] == [f"'{FORMULA}", "'@home", "Ünïcödé 🍌"]
    assert factors[2]["unit"] == "'+cups"
    days = table(files["days.csv"])
    assert [day["notes"] for day in days] == ["'\rcarriage return", "'-2 glasses\tof water"]
    medication = table(files["medications.csv"])[1]
    assert (medication["dose_unit"], medication["notes"]) == ("'+mg", "'@cmd")
    values = table(files["custom_factor_values.csv"])
    # Numbers the app writes are left alone, negative ones included.
    assert [(value["factor"], value["value"]) for value in values] == [
        (f"'{FORMULA}", "yes"),
        ("Ünïcödé 🍌", "-2.5"),
    ]
    rows = [
        row
        for name, text in files.items()
        if name.endswith(".csv")
        for row in csv.reader(io.StringIO(text, newline=""))
    ]
    for row in rows:
        for value in row:
            assert not value.startswith(("=", "+", "@", "\t", "\r")), value
            assert not value.startswith("-") or value == "-2.5", value


def test_csv_times_carry_the_users_offset_across_daylight_saving(alice_client, alice_journal):
    files = unzip(download(alice_client, alice_journal, "csv"))
    cramps = table(files["cramps.csv"])
    assert [(cramp["night"], cramp["started_at"]) for cramp in cramps] == [
        ("2025-10-25", "2025-10-26T01:30:00+01:00"),
        ("2025-10-25", "2025-10-26T01:30:00+00:00"),  # the same wall time, an hour later
        ("2026-03-28", "2026-03-29T00:40:00+00:00"),
        ("2026-03-28", "2026-03-29T03:10:00+01:00"),
    ]
    assert cramps[3]["notes"] == f"{RTL}\n{COMBINING}\n{QUOTES}"
    assert cramps[2]["notes"] == EMOJI
    assert (cramps[2]["relieved_by_stretching"], cramps[2]["relieved_by_heat"]) == ("yes", "no")
    assert cramps[3]["pain_0_to_10"] == ""  # not recorded
    spring = table(files["nights.csv"])[1]
    assert (spring["into_bed"], spring["out_of_bed"]) == (
        "2026-03-28T23:00:00+00:00",
        "2026-03-29T07:20:00+01:00",
    )
    # 23:00 GMT to 07:20 BST is 7 h 20 min; asleep 23:15 to 07:00 BST less 35 minutes.
    assert (spring["time_in_bed_minutes"], spring["total_sleep_minutes"]) == ("440", "370")
    doses = table(files["doses.csv"])
    assert [dose["taken_at"] for dose in doses] == [
        "2025-10-26T01:30:00+00:00",
        "2026-03-29T00:50:00+00:00",
    ]


def test_csv_volumes_are_in_the_users_unit(alice_client, alice_journal):
    alice_journal.fluid_unit = "floz"
    alice_journal.save()
    files = unzip(download(alice_client, alice_journal, "csv"))
    days = table(files["days.csv"])
    assert days[1]["fluids_fl_oz"] == "50.7"  # 1500 ml
    assert "fluids_ml" not in days[1]
    assert "Fluids are in fl oz." in " ".join(files["README.txt"].split())


def test_no_exercise_that_day_is_exported_apart_from_not_recorded(alice_client, alice_journal):
    files = unzip(download(alice_client, alice_journal, "csv"))
    autumn, spring = table(files["days.csv"])  # said "no exercise"; had two sessions
    assert (autumn["no_exercise"], spring["no_exercise"]) == ("yes", "no")
    readme = " ".join(files["README.txt"].split())
    assert "and this not ticked has its exercise not recorded" in readme
    data = json.loads(download(alice_client, alice_journal, "json").content)
    assert [day["no_exercise"] for day in data["days"]] == [True, False]


def test_csv_has_the_experiments_their_pauses_and_answers(alice_client, alice_journal):
    files = unzip(download(alice_client, alice_journal, "csv"))
    assert table(files["experiments.csv"]) == [
        {
            "start": "2026-02-01",
            "change": "stretching",
            "factor": "",
            "block_nights": "7",
            "blocks": "4",
            "washout_nights": "2",
            "stopped_on": "2026-02-20",
            "seed": "12345",
            "pauses": "1",
            "answers": "4",
            "set_up_at": "2026-11-22T09:30:00+00:00",
        },
        {
            "start": "2026-03-20",
            "change": "custom",
            "factor": f"'{FORMULA}",  # the user's text, kept from running as a formula
            "block_nights": "14",
            "blocks": "2",
            "washout_nights": "3",
            "stopped_on": "",
            "seed": "2147483647",
            "pauses": "1",
            "answers": "0",
            "set_up_at": "2026-11-22T09:30:00+00:00",
        },
    ]
    assert table(files["experiment_pauses.csv"]) == [
        {
            "experiment": "Stretching before bed",
            "experiment_start": "2026-02-01",
            "first": "2026-02-05",
            "last": "2026-02-06",
        },
        {
            "experiment": f"'{FORMULA}",
            "experiment_start": "2026-03-20",
            "first": "2026-03-25",
            "last": "",  # still on
        },
    ]
    # Only the nights answered; the blocks as the seed draws them, the pause left out.
    assert [list(row.values()) for row in table(files["experiment_answers.csv"])] == [
        ["Stretching before bed", "2026-02-01", "2026-02-01", "yes", "1", "change", "yes"],
        ["Stretching before bed", "2026-02-01", "2026-02-02", "no", "1", "change", "yes"],
        ["Stretching before bed", "2026-02-01", "2026-02-08", "yes", "1", "change", "no"],
        ["Stretching before bed", "2026-02-01", "2026-02-12", "no", "2", "usual", "no"],
    ]


def test_an_answer_outside_the_blocks_has_no_place_in_the_schedule(alice_client, alice_journal):
    own = Experiment.objects.get(user=alice_journal, change="custom")
    for night in (date(2026, 3, 26), date(2026, 3, 19)):  # paused; before the first night
        ExperimentAnswer.objects.create(experiment=own, night=night, did_it=True)
    files = unzip(download(alice_client, alice_journal, "csv"))
    rows = table(files["experiment_answers.csv"])[4:]
    assert [(row["night"], row["block"], row["condition"], row["washout"]) for row in rows] == [
        ("2026-03-19", "", "", ""),
        ("2026-03-26", "", "", ""),
    ]


def test_csv_export_is_the_same_every_time(alice_client, alice_journal):
    first = download(alice_client, alice_journal, "csv").content
    assert download(alice_client, alice_journal, "csv").content == first


# --- JSON ---------------------------------------------------------------------------------


def keys_anywhere(data) -> set[str]:
    if isinstance(data, dict):
        return set(data) | {key for value in data.values() for key in keys_anywhere(value)}
    if isinstance(data, list):
        return {key for value in data for key in keys_anywhere(value)}
    return set()


def test_json_export_is_complete_with_natural_keys(alice_client, alice_journal):
    data = json.loads(download(alice_client, alice_journal, "json").content)
    assert list(data) == [
        "format",
        "version",
        "exported_at",
        "account",
        "profile",
        "custom_factors",
        "medications",
        "nights",
        "days",
        "red_flag_checklists",
        "experiments",
    ]
    assert (data["format"], data["version"]) == ("cramp-journal", 1)
    assert data["exported_at"] == "2026-11-22T09:30:00+00:00"
    assert data["account"]["email"] == "alice@example.com"
    assert data["profile"]["time_zone"] == "Europe/London"
    parents = {"id", "pk", "user", "night", "day", "medication", "experiment", "client_token"}
    assert not parents & keys_anywhere(data | {"experiments": []})
    # An answer's "night" is the date it is about, not a link to a night.
    assert not (parents - {"night"}) & keys_anywhere(data["experiments"])
    spring = data["nights"][1]
    assert spring["date"] == "2026-03-28"
    assert spring["episodes"][0]["notes"] == EMOJI
    assert spring["episodes"][1]["notes"] == f"{RTL}\n{COMBINING}\n{QUOTES}"
    assert data["nights"][0]["notes"] == HTML
    assert data["days"][1]["custom_factor_values"] == [
        {"factor": FORMULA, "value": True},
        {"factor": "Ünïcödé 🍌", "value": -2.5},
    ]
    assert data["days"][1]["alcohol_units"] == 2.5
    assert [dose["quantity"] for dose in data["medications"][0]["doses"]] == [2.25, 1]
    assert [checklist["numbness"] for checklist in data["red_flag_checklists"]] == ["no", "yes"]
    assert [c["partner_jerks"] for c in data["red_flag_checklists"]] == ["no", None]


def test_json_export_has_the_experiments_with_their_pauses_and_answers(alice_client, alice_journal):
    data = json.loads(download(alice_client, alice_journal, "json").content)
    assert data["experiments"] == [
        {
            "change": "stretching",
            "start": "2026-02-01",
            "seed": 12345,
            "block_nights": 7,
            "blocks": 4,
            "washout_nights": 2,
            "stopped_on": "2026-02-20",
            "created_at": "2026-11-22T09:30:00+00:00",
            "factor": None,
            "pauses": [{"first": "2026-02-05", "last": "2026-02-06"}],
            # Nights not answered have no answer: not a "no".
            "answers": [
                {"night": "2026-02-01", "did_it": True},
                {"night": "2026-02-02", "did_it": False},
                {"night": "2026-02-08", "did_it": True},
                {"night": "2026-02-12", "did_it": False},
            ],
        },
        {
            "change": "custom",
            "start": "2026-03-20",
            "seed": 2**31 - 1,
            "block_nights": 14,
            "blocks": 2,
            "washout_nights": 3,
            "stopped_on": None,
            "created_at": "2026-11-22T09:30:00+00:00",
            "factor": FORMULA,  # by name, exactly as typed
            "pauses": [{"first": "2026-03-25", "last": None}],  # still on
            "answers": [],
        },
    ]


def test_every_field_of_every_model_is_exported_or_left_out_on_purpose():
    """A new field or model makes this fail until the export (and its import) say what to do."""
    kinds = {
        kind.model: kind
        for kind in (
            records.NIGHT,
            records.EPISODE,
            records.DAY,
            records.EXERCISE,
            records.FACTOR,
            records.FACTOR_VALUE,
            records.MEDICATION,
            records.DOSE,
            records.CHECKLIST,
            records.EXPERIMENT,
            records.PAUSE,
            records.ANSWER,
        )
    }
    for model in apps.get_app_config("journal").get_models():
        names = {field.name for field in model._meta.concrete_fields}
        if model.__name__ in records.NOT_EXPORTED_MODELS:
            continue
        if model is User:
            covered = {*records.PROFILE_FIELDS, *records.ACCOUNT_FIELDS}
        else:
            assert model in kinds, f"{model.__name__} is not in the exports"
            covered = {*kinds[model].fields, kinds[model].parent}
        missing = names - covered - set(records.NOT_EXPORTED)
        assert not missing, f"{model.__name__}: {missing} neither exported nor left out"


# --- FHIR ---------------------------------------------------------------------------------

VERIFIED_CODES = {
    ("http://snomed.info/sct", "55300003"),
    ("http://loinc.org", "72514-3"),
    ("http://loinc.org", "93832-4"),
}


def codings(data) -> list[dict]:
    if isinstance(data, dict):
        found = list(data.get("coding", []))
        return found + [coding for value in data.values() for coding in codings(value)]
    if isinstance(data, list):
        return [coding for value in data for coding in codings(value)]
    return []


def test_fhir_bundle_is_valid_r4_with_verified_codes_only(alice_client, alice_journal):
    alice_journal.first_name, alice_journal.last_name = "Alice", "O’Brien"
    alice_journal.date_of_birth = date(1950, 7, 1)
    alice_journal.save()
    response = download(alice_client, alice_journal, "fhir")
    assert response["Content-Type"] == "application/fhir+json; fhirVersion=4.0"
    data = json.loads(response.content)
    bundle = Bundle.model_validate(data)  # fhir.resources.R4B: FHIR 4.3, the R4 line
    assert bundle.type == "collection"
    resources = [entry["resource"] for entry in data["entry"]]
    kinds = [resource["resourceType"] for resource in resources]
    assert resources[0] == {
        "resourceType": "Patient",
        "name": [{"text": "Alice O’Brien", "given": ["Alice"], "family": "O’Brien"}],
        "birthDate": "1950-07-01",
    }
    assert kinds.count("Patient") == 1
    assert kinds.count("Observation") == 4 + 1  # four cramps, one night with a sleep diary
    assert kinds.count("MedicationStatement") == 2
    assert "Condition" not in kinds
    assert "G47.62" not in response.content.decode()
    assert {(coding["system"], coding["code"]) for coding in codings(data)} == VERIFIED_CODES
    patient = data["entry"][0]["fullUrl"]
    assert all(
        resource["subject"] == {"reference": patient}
        for resource in resources
        if resource["resourceType"] != "Patient"
    )


def test_fhir_cramp_observation(alice_client, alice_journal):
    data = json.loads(download(alice_client, alice_journal, "fhir").content)
    cramps = [
        entry["resource"]
        for entry in data["entry"]
        if entry["resource"].get("code", {}).get("text") == "Muscle cramp"
    ]
    assert [cramp["effectiveDateTime"] for cramp in cramps] == [
        "2025-10-26T01:30:00+01:00",
        "2025-10-26T01:30:00+00:00",
        "2026-03-29T00:40:00+00:00",
        "2026-03-29T03:10:00+01:00",
    ]
    cramp = cramps[2]
    assert cramp["code"]["coding"] == [
        {
            "system": "http://snomed.info/sct",
            "code": "55300003",
            "display": "Muscle cramp (finding)",
        }
    ]
    assert cramp["bodySite"] == {"text": "Calf, left leg"}
    components = {component["code"]["text"]: component for component in cramp["component"]}
    assert components["Pain (0 to 10)"]["valueInteger"] == 7
    assert components["Pain (0 to 10)"]["code"]["coding"][0]["code"] == "72514-3"
    assert components["Duration of the cramp"]["valueQuantity"] == {
        "value": 150,
        "unit": "seconds",
    }
    assert components["What relieved the cramp"]["valueString"] == "Stretching, Standing or walking"
    assert cramp["note"] == [{"text": EMOJI}]
    assert cramp["performer"] == [cramp["subject"]]  # patient-reported
    assert cramps[0]["bodySite"] == {"text": "both legs"}


def test_fhir_sleep_and_medications(alice_client, alice_journal):
    data = json.loads(download(alice_client, alice_journal, "fhir").content)
    resources = [entry["resource"] for entry in data["entry"]]
    (sleep,) = [r for r in resources if r.get("code", {}).get("text") == "Total sleep time"]
    assert sleep["code"]["coding"][0]["code"] == "93832-4"
    assert sleep["valueQuantity"] == {"value": 370, "unit": "minutes"}
    assert sleep["effectivePeriod"] == {
        "start": "2026-03-28T23:00:00+00:00",
        "end": "2026-03-29T07:20:00+01:00",
    }
    statements = [r for r in resources if r["resourceType"] == "MedicationStatement"]
    assert [
        (s["medicationCodeableConcept"]["text"], s["status"], s["effectivePeriod"])
        for s in statements
    ] == [
        ("Salbutamol", "active", {"start": "2025-06-01"}),
        ('Mg "citrate" ‏ملح‏', "completed", {"start": "2026-01-10", "end": "2026-03-01"}),
    ]
    assert statements[0]["dosage"] == [
        {"text": "100 mcg, taken as needed", "asNeededBoolean": True}
    ]


# --- Every export -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "filename", "content_type"),
    [
        ("csv", "cramp-journal-2026-11-22.zip", "application/zip"),
        ("json", "cramp-journal-2026-11-22.json", "application/json"),
        ("fhir", "cramp-journal-2026-11-22.fhir.json", "application/fhir+json; fhirVersion=4.0"),
    ],
)
def test_exports_are_private_attachments(alice_client, alice_journal, kind, filename, content_type):
    response = download(alice_client, alice_journal, kind)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("kind", ["csv", "json", "fhir"])
def test_the_export_view_itself_keeps_exports_out_of_caches(rf, alice, kind):
    """Not left to the middleware that marks signed-in pages, which reads the session cookie."""
    request = rf.post(reverse(f"data_export_{kind}"), {"password": "alice-password-1"})
    request.user = alice
    response = data_views.export(request, kind=kind)
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"].startswith('attachment; filename="cramp-journal-')


def test_the_date_in_the_filename_is_the_users_own(alice_client, alice, freeze_now):
    freeze_now(datetime(2026, 11, 22, 23, 30, tzinfo=UTC))  # already the 23rd in Tokyo
    alice.time_zone = "Asia/Tokyo"
    alice.save()
    response = download(alice_client, alice, "json")
    assert response["Content-Disposition"] == 'attachment; filename="cramp-journal-2026-11-23.json"'


@pytest.mark.parametrize("kind", ["csv", "json", "fhir"])
def test_a_wrong_password_downloads_nothing(alice_client, alice_journal, kind):
    response = download(alice_client, alice_journal, kind, password="not-my-password")
    assert response.status_code == 200
    assert "Content-Disposition" not in response
    assert response["Content-Type"].startswith("text/html")
    form = response.context["forms"][kind]
    assert form.errors["password"] == ["That is not your password. Please try again."]
    html = response.content.decode()
    # The message sits with this download's password field, which is marked invalid.
    section = html.split(f'id="{kind}"')[1].split("</section>")[0]
    assert "That is not your password" in section
    assert (
        f'aria-invalid="true" aria-describedby="{kind}-password_error" id="{kind}-password"'
        in section
    )
    empty = download(alice_client, alice_journal, kind, password="")
    assert empty.context["forms"][kind].errors["password"] == ["Enter your password."]


def test_each_user_exports_only_their_own_journal(client, alice_journal, bob):
    client.force_login(bob)
    data = json.loads(download(client, bob, "json").content)
    assert data["account"]["email"] == "bob@example.com"
    assert all(data[key] == [] for key in ("nights", "days", "medications", "custom_factors"))
    assert data["red_flag_checklists"] == []
    files = unzip(download(client, bob, "csv"))
    assert EMOJI not in "".join(files.values())
    bundle = json.loads(download(client, bob, "fhir").content)
    assert [entry["resource"]["resourceType"] for entry in bundle["entry"]] == ["Patient"]
    # Bob's password does not open Alice's exports, and Alice's does not open Bob's.
    assert "Content-Disposition" not in download(client, bob, "json", password="alice-password-1")


# --- Query counts -------------------------------------------------------------------------


def grow_journal(user: User, nights: int) -> None:
    """`nights` nights, each with two cramps, a day with exercise and factor values, a dose
    of each of two medications and a checklist, and an experiment of every other night with a
    pause and an answer a night: every kind of record grows with `nights`."""
    yes_no = CustomFactor.objects.create(user=user, name=f"Yes {nights}")
    number = CustomFactor.objects.create(user=user, name=f"Number {nights}", kind="number")
    medications = [
        Medication.objects.create(user=user, name=f"Med {n}", started_on=date(2026, 1, 1))
        for n in range(2)
    ]
    for offset in range(nights):
        night_date = date(2026, 2, 1) + timedelta(days=offset)
        morning = night_date + timedelta(days=1)
        night = Night.objects.create(
            user=user,
            date=night_date,
            into_bed=london(night_date, 22, 0),
            tried_to_sleep=london(night_date, 22, 10),
            final_awakening=london(morning, 6, 0),
            out_of_bed=london(morning, 6, 30),
        )
        for hour in (1, 3):
            CrampEpisode.objects.create(night=night, started_at=london(morning, hour))
        day = DayFactors.objects.create(user=user, date=night_date, fluids_ml=1800)
        ExerciseSession.objects.create(day=day, kind="walking", minutes=30)
        CustomFactorValue.objects.create(day=day, factor=yes_no, yes=True)
        CustomFactorValue.objects.create(day=day, factor=number, number=Decimal(offset))
        for medication in medications:
            DoseTaken.objects.create(medication=medication, taken_at=london(morning, 2))
        RedFlagChecklist.objects.create(user=user, answered_on=night_date, **answers())
        if offset % 2:
            continue
        experiment = Experiment.objects.create(
            user=user,
            change="custom" if offset % 4 else "stretching",
            factor=yes_no if offset % 4 else None,
            start=night_date,
            seed=offset,
            block_nights=7,
            blocks=2,
            washout_nights=2,
        )
        ExperimentPause.objects.create(experiment=experiment, first=morning, last=morning)
        for answered in (night_date, morning + timedelta(days=1)):
            ExperimentAnswer.objects.create(experiment=experiment, night=answered, did_it=True)


# Each includes one look-up of the user by the password check, made like a log-in (axes).
@pytest.mark.parametrize(("kind", "queries"), [("csv", 18), ("json", 18), ("fhir", 10)])
def test_export_queries_do_not_grow_with_the_journal(
    alice_client, alice, kind, queries, django_assert_num_queries
):
    grow_journal(alice, 2)
    with django_assert_num_queries(queries):
        assert download(alice_client, alice, kind).status_code == 200
    Night.objects.all().delete()
    DayFactors.objects.all().delete()
    grow_journal(alice, 8)
    with django_assert_num_queries(queries):
        assert download(alice_client, alice, kind).status_code == 200
