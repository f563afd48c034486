"""Importing the JSON export: the round trip, and every way a file is refused unchanged."""

import copy
import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import IntegrityError
from django.urls import reverse

from journal.demo import DEMO_PASSWORD
from journal.experiments.design import schedule
from journal.models import CrampEpisode, DayFactors, Experiment, Night, RedFlagChecklist, User
from journal.portability.json_export import export_journal
from tests.test_data_exports import NOW, journal_rows, unusual_journal, unzip

pytestmark = pytest.mark.django_db


def post_import(client, content: bytes, password: str = "alice-password-1"):
    upload = SimpleUploadedFile("cramp-journal-2026-11-22.json", content, "application/json")
    return client.post(reverse("data_import"), {"file": upload, "password": password})


def file_errors(response) -> list[str]:
    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()["file"]
    return [message for error in errors for message in error.messages]


def as_bytes(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode()


@pytest.fixture
def backup(db, freeze_now) -> dict:
    """The export of another account with an unusual journal, to import into alice's."""
    freeze_now(NOW)
    carol = User.objects.create_user(
        "carol@example.com", "carol-password-1", time_zone="Europe/London"
    )
    unusual_journal(carol)
    return export_journal(carol, NOW)


@pytest.fixture
def unchanged(alice):
    """Checks, after the test, that alice's account and journal are as they were."""
    rows = journal_rows(alice)
    profile = (alice.first_name, alice.theme, alice.time_zone, alice.date_of_birth)
    yield
    alice.refresh_from_db()
    assert journal_rows(alice) == rows
    assert (alice.first_name, alice.theme, alice.time_zone, alice.date_of_birth) == profile


def test_export_import_export_gives_the_same_journal(client, freeze_now):
    freeze_now(NOW)
    call_command("seed_demo", months=3, stdout=StringIO())
    demo = User.objects.get(email="demo@example.com")
    unusual_journal(demo)  # unusual text and both daylight-saving nights, outside the demo's range
    demo.fluid_unit, demo.fluid_restricted, demo.theme = "floz", True, "dim"
    demo.dim_at_night, demo.night_hours_start, demo.night_hours_end = True, 21, 6
    demo.date_of_birth = date(1951, 2, 3)
    demo.save()
    client.force_login(demo)
    first = client.post(reverse("data_export_json"), {"password": DEMO_PASSWORD})
    first_csv = unzip(client.post(reverse("data_export_csv"), {"password": DEMO_PASSWORD}))

    newcomer = User.objects.create_user("new@example.com", "new-password-1")
    client.force_login(newcomer)
    freeze_now(NOW + timedelta(days=1))  # so that a time recorded on import would show
    response = post_import(client, first.content, password="new-password-1")
    freeze_now(NOW)
    assert response.status_code == 302
    assert response["Location"] == reverse("day_list")
    page = client.get(response["Location"]).content.decode()
    rows = journal_rows(demo)
    assert (
        f"Imported {rows['Night']} nights with {rows['CrampEpisode']} cramps, "
        f"{rows['DayFactors']} days of factors, {rows['CustomFactor']} custom factors, "
        f"{rows['Medication']} medications with {rows['DoseTaken']} doses, "
        "2 red-flag checklists and 2 experiments." in page
    )

    second = client.post(reverse("data_export_json"), {"password": "new-password-1"})
    before, after = json.loads(first.content), json.loads(second.content)
    assert before.pop("account")["email"] == "demo@example.com"
    assert after.pop("account")["email"] == "new@example.com"
    assert after == before
    assert after["profile"]["date_of_birth"] == "1951-02-03"
    assert (after["profile"]["theme"], after["profile"]["night_hours_start"]) == ("dim", 21)
    second_csv = unzip(client.post(reverse("data_export_csv"), {"password": "new-password-1"}))
    assert {name: text for name, text in second_csv.items() if name != "README.txt"} == {
        name: text for name, text in first_csv.items() if name != "README.txt"
    }
    assert journal_rows(newcomer) | {"User": 1} == journal_rows(demo)


def schedules(user: User) -> list[tuple]:
    """Each experiment of `user` with its factor's name, pauses, answers and block schedule."""
    experiments = (
        Experiment.objects.for_user(user)
        .select_related("factor")
        .prefetch_related("pauses", "answers")
        .order_by("start")
    )
    return [
        (
            experiment.change,
            experiment.factor and experiment.factor.name,
            experiment.seed,
            experiment.stopped_on,
            experiment.created_at,
            [(pause.first, pause.last) for pause in experiment.pauses.all()],
            [(answer.night, answer.did_it) for answer in experiment.answers.all()],
            schedule(experiment.design(NOW.date())),
        )
        for experiment in experiments
    ]


def test_an_imported_experiment_keeps_its_seed_and_so_its_schedule(alice_client, alice, backup):
    carol = User.objects.get(email="carol@example.com")
    assert post_import(alice_client, as_bytes(backup)).status_code == 302
    imported = schedules(alice)
    assert imported == schedules(carol)
    assert [experiment[2] for experiment in imported] == [12345, 2**31 - 1]  # the seeds
    own = Experiment.objects.get(user=alice, change="custom")
    assert own.factor is not None and own.factor.user == alice  # the new account's own factor


def test_an_export_from_before_experiments_imports_without_any(alice_client, alice, backup):
    del backup["experiments"]
    assert post_import(alice_client, as_bytes(backup)).status_code == 302
    assert not Experiment.objects.for_user(alice).exists()
    assert Night.objects.for_user(alice).count() == 2


def test_import_refuses_a_bad_experiment_and_saves_nothing(alice_client, backup, unchanged):
    backup["experiments"][0] |= {"change": "yoga", "blocks": 3}
    backup["experiments"][1]["factor"] = "Tonic water"
    errors = file_errors(post_import(alice_client, as_bytes(backup)))
    assert errors == [
        "Nothing was imported: the file has 3 problems.",
        "Experiment 1 (2026-02-01), “change”: Value 'yoga' is not a valid choice.",
        "Experiment 1 (2026-02-01), “blocks”: Value 3 is not a valid choice.",
        "Experiment 2 (2026-03-20), “factor”: names a custom factor that is not in the file’s "
        "“custom_factors”",
    ]


def test_import_holds_the_rules_of_experiments_that_the_database_holds(
    alice_client, backup, unchanged
):
    stretching, own = backup["experiments"]
    stretching |= {
        "seed": 2**31,
        "washout_nights": 4,  # of 7-night blocks
        "stopped_on": "2026-01-31",  # before the first night
        "factor": "=SUM(A1)",
    }
    stretching["pauses"].append({"first": "2026-02-10", "last": "2026-02-09"})
    stretching["answers"].append({"night": "2026-02-01", "did_it": False})
    own["factor"] = "Ünïcödé 🍌"  # answered with a number
    own["pauses"].append({"first": "2026-03-30", "last": None})
    errors = file_errors(post_import(alice_client, as_bytes(backup)))
    assert errors == [
        "Nothing was imported: the file has 8 problems.",
        "Experiment 1 (2026-02-01), “seed”: Ensure this value is less than or equal to 2147483647.",
        "Experiment 1 (2026-02-01), “washout_nights”: The washout must be shorter than half a "
        "block, to leave most of each block to analyse.",
        "Experiment 1 (2026-02-01), “stopped_on”: An experiment can’t be stopped before its "
        "first night.",
        "Experiment 1 (2026-02-01), “factor”: should be null: only an experiment of your own "
        "factor names one",
        "Experiment 1 (2026-02-01), pause 2 (2026-02-10), “last”: A pause can’t end before its "
        "first night.",
        "Experiment 1 (2026-02-01), answer 5 (2026-02-01): another answer of this experiment is "
        "for the same night",
        "Experiment 2 (2026-03-20), “factor”: names a factor answered with a number; an "
        "experiment tries a yes/no one",
        "Experiment 2 (2026-03-20), pause 2 (2026-03-30): another pause of this experiment is "
        "still on; one at a time",
    ]


def test_a_custom_experiment_must_name_a_factor(alice_client, backup, unchanged):
    del backup["experiments"][1]["factor"]
    (error,) = file_errors(post_import(alice_client, as_bytes(backup)))
    assert error == (
        "Nothing was imported. Experiment 2 (2026-03-20), “factor”: should name one of the "
        "file’s yes/no custom factors"
    )


def test_import_refuses_an_account_with_only_an_experiment(alice_client, alice, backup):
    Experiment.objects.create(
        user=alice,
        change="stretching",
        start=date(2026, 3, 1),
        seed=1,
        block_nights=7,
        blocks=2,
        washout_nights=2,
    )
    response = post_import(alice_client, as_bytes(backup))
    assert "Your journal already has records" in response.content.decode()
    assert Experiment.objects.for_user(alice).count() == 1


def test_the_import_page_asks_for_the_file_and_the_password(alice_client):
    html = alice_client.get(reverse("data_import")).content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert 'type="file" name="file"' in html
    assert 'type="password" name="password" autocomplete="current-password"' in html


def test_import_refuses_an_account_that_has_records(alice_client, alice, backup):
    Night.objects.create(user=alice, date=date(2026, 3, 1))
    rows = journal_rows(alice)
    page = alice_client.get(reverse("data_import")).content.decode()
    assert "Your journal already has records" in page
    assert 'type="file"' not in page
    response = post_import(alice_client, as_bytes(backup))
    assert "Your journal already has records" in response.content.decode()
    assert journal_rows(alice) == rows


def test_import_checks_the_password_before_reading_the_file(alice_client, backup, unchanged):
    response = post_import(alice_client, b"not even json", password="wrong")
    form = response.context["form"]
    assert form.errors == {"password": ["That is not your password. Please try again."]}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"name": "my notes"}', "This file is not a Cramp Journal export."),
        (b"[1, 2, 3]", "This file is not a Cramp Journal export."),
        (b'{"resourceType": "Bundle", "type": "collection"}', "This is the FHIR file"),
        (b"PK\x03\x04rest of a zip", "This is the zip of CSV files."),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "it is not text (UTF-8)"),
        (b'{"format": "cramp-journal", "version": 2}', "made by a newer version"),
        (b'{"format": "cramp-journal", "version": "1"}', "no valid format version"),
        (b'{"format": "cramp-journal", "version": 1, "nights": [{"date": NaN}]}', "not valid"),
    ],
)
def test_import_refuses_a_file_that_is_not_an_export(alice_client, unchanged, content, message):
    (error,) = file_errors(post_import(alice_client, content))
    assert error.startswith("Nothing was imported.")
    assert message in error


def test_import_refuses_a_broken_file(alice_client, backup, unchanged):
    content = as_bytes(backup)
    (error,) = file_errors(post_import(alice_client, content[: len(content) // 2]))
    assert error.startswith("Nothing was imported. This file is not valid JSON (")
    assert "It may be damaged or cut short." in error


def test_import_names_every_value_out_of_range_and_saves_nothing(alice_client, backup, unchanged):
    backup["nights"][1]["episodes"][0]["pain"] = 11
    backup["nights"][1]["quality"] = 9
    backup["days"][1]["fluids_ml"] = 9000
    backup["days"][1]["exercise"][0]["minutes"] = 0
    backup["medications"][0]["doses"][0]["quantity"] = 0
    backup["profile"]["night_boundary_hour"] = 24
    backup["red_flag_checklists"][0]["swelling"] = "maybe"
    errors = file_errors(post_import(alice_client, as_bytes(backup)))
    assert errors == [
        "Nothing was imported: the file has 7 problems.",
        "The profile, “night_boundary_hour”: Ensure this value is less than or equal to 23.",
        "Medication 1 (Salbutamol), dose 1 (2025-10-26T01:30:00+00:00), “quantity”: "
        "Ensure this value is greater than or equal to 0.01.",
        "Night 2 (2026-03-28), “quality”: Choose a sleep quality from 1 (very poor) to 5.",
        "Night 2 (2026-03-28), cramp 1 (2026-03-29T00:40:00+00:00), “pain”: "
        "Ensure this value is less than or equal to 10.",
        "Day 2 (2026-03-28), “fluids_ml”: Ensure this value is less than or equal to 8000.",
        "Day 2 (2026-03-28), exercise 1, “minutes”: "
        "Ensure this value is greater than or equal to 1.",
        "Red-flag checklist 1 (2026-03-01), “swelling”: Value 'maybe' is not a valid choice.",
    ]


def test_import_checks_the_type_of_every_value(alice_client, backup, unchanged):
    night = backup["nights"][1]
    night["episodes"][0] |= {"pain": "7", "woke_me": "yes", "colour": "red"}
    night["into_bed"] = "2026-03-28T23:00:00"
    backup["days"][1]["alcohol_units"] = True
    backup["medications"][1]["started_on"] = "2026-02-30"
    backup["custom_factors"] = "none"
    errors = file_errors(post_import(alice_client, as_bytes(backup)))
    assert set(errors[1:]) == {
        "The file: “custom_factors” should be a list [ … ]",
        'Medication 2 (Mg "citrate" ‏ملح‏), “started_on”: should be a date like 2026-03-04, '
        "not “2026-02-30”",
        "Night 2 (2026-03-28), “into_bed”: needs its UTC offset, like 2026-03-05T03:00:00+00:00",
        "Night 2 (2026-03-28), cramp 1 (2026-03-29T00:40:00+00:00): has an unknown key “colour”",
        "Night 2 (2026-03-28), cramp 1 (2026-03-29T00:40:00+00:00), “pain”: "
        "should be a whole number",
        "Night 2 (2026-03-28), cramp 1 (2026-03-29T00:40:00+00:00), “woke_me”: "
        "should be true or false",
        "Day 2 (2026-03-28), “alcohol_units”: should be a number",
        # The custom factors are gone, so the day's values name factors the file lacks.
        "Day 2 (2026-03-28), custom factor value 1 (=SUM(A1)): names a custom factor that is "
        "not in the file’s “custom_factors”",
        "Day 2 (2026-03-28), custom factor value 2 (Ünïcödé 🍌): names a custom factor that is "
        "not in the file’s “custom_factors”",
        "Experiment 2 (2026-03-20), “factor”: names a custom factor that is not in the file’s "
        "“custom_factors”",
    }


def test_import_applies_the_rules_that_span_records(alice_client, backup, unchanged):
    spring = backup["nights"][1]
    backup["nights"].append(copy.deepcopy(spring) | {"episodes": []})  # the same date again
    spring["episodes"][0]["started_at"] = "2026-03-28T11:00:00+00:00"  # the night before's
    backup["nights"][0]["episodes"] *= 11  # 22 cramps
    backup["custom_factors"].append({"name": "ünïcödé 🍌", "kind": "yes_no"})
    backup["days"][1]["custom_factor_values"][1]["value"] = True
    backup["days"][1]["custom_factor_values"].append({"factor": "=SUM(A1)", "value": False})
    errors = file_errors(post_import(alice_client, as_bytes(backup)))
    assert "Night 1 (2025-10-25): a night can hold at most 20 cramps" in errors
    assert "Night 3 (2026-03-28): another night has the same date" in errors
    assert (
        "Night 2 (2026-03-28), cramp 1 (2026-03-28T11:00:00+00:00): "
        "this time belongs to the night of 2026-03-27" in errors
    )
    assert (
        "Custom factor 4 (ünïcödé 🍌): another custom factor has this name (whatever the case)"
        in errors
    )
    assert (
        "Day 2 (2026-03-28), custom factor value 2 (Ünïcödé 🍌), “value”: should be a number"
        in errors
    )
    assert (
        "Day 2 (2026-03-28), custom factor value 3 (=SUM(A1)): "
        "this factor already has a value on this day" in errors
    )


def test_import_refuses_no_exercise_on_a_day_with_sessions(alice_client, backup, unchanged):
    backup["days"][1]["no_exercise"] = True  # the spring day has two sessions
    errors = file_errors(post_import(alice_client, as_bytes(backup)))
    assert errors == [
        "Nothing was imported. Day 2 (2026-03-28): “no_exercise” is true but the day has "
        "exercise sessions"
    ]


def test_an_export_from_before_no_exercise_imports_as_not_said(alice_client, alice, backup):
    for day in backup["days"]:
        del day["no_exercise"]
    assert post_import(alice_client, as_bytes(backup)).status_code == 302
    assert not DayFactors.objects.filter(user=alice, no_exercise=True).exists()


@pytest.mark.parametrize(
    ("notes", "message"),
    [
        ("before\x00after", "contains a NUL character, which can’t be stored"),
        ("\ud800", "is not valid text (it has a broken character)"),
        ("x" * 2001, "is 2001 characters long; at most 2000 can be stored"),
    ],
)
def test_import_refuses_text_that_cannot_be_stored(alice_client, backup, unchanged, notes, message):
    backup["nights"][0]["notes"] = notes
    content = json.dumps(backup).encode()  # ASCII escapes, so that a lone surrogate survives
    (error,) = file_errors(post_import(alice_client, content))
    assert error == f"Nothing was imported. Night 1 (2025-10-25), “notes”: {message}"


def test_a_failure_half_way_saves_nothing(alice_client, backup, unchanged, monkeypatch):
    backup["profile"] |= {"first_name": "Carol", "theme": "dark"}

    def fail(*args, **kwargs):
        # Everything else is written by now; this failure must take it all back.
        assert CrampEpisode.objects.exists()
        raise IntegrityError("the disk is full")

    monkeypatch.setattr(RedFlagChecklist.objects, "bulk_create", fail)
    (error,) = file_errors(post_import(alice_client, as_bytes(backup)))
    assert error == (
        "Nothing was imported. The file passed every check but could not be saved, so your "
        "account is as it was. Please try again."
    )


def test_each_user_imports_into_their_own_account_only(client, alice, bob, backup):
    Night.objects.create(user=alice, date=date(2026, 3, 1), notes="alice's")
    alice_rows = journal_rows(alice)
    client.force_login(bob)
    # Alice's password does not import into Bob's account.
    refused = post_import(client, as_bytes(backup), password="alice-password-1")
    assert "password" in refused.context["form"].errors
    assert not Night.objects.for_user(bob).exists()
    response = post_import(client, as_bytes(backup), password="bob-password-1")
    assert response.status_code == 302
    assert journal_rows(alice) == alice_rows
    assert Night.objects.for_user(bob).count() == 2
    bob.refresh_from_db()
    assert bob.email == "bob@example.com"  # the account keeps its own identity
    assert bob.check_password("bob-password-1")


def test_experiments_run_one_at_a_time_in_an_import_too(alice_client, backup, unchanged):
    stretching = backup["experiments"][0]
    # Not stopped, eight blocks of 7 nights from 1 February run to 28 March, past the 20th.
    stretching |= {"stopped_on": None, "blocks": 8}
    errors = file_errors(post_import(alice_client, as_bytes(backup)))
    assert errors == [
        "Nothing was imported. Experiment 2 (2026-03-20): starts before the experiment before "
        "it has ended; one at a time"
    ]


def test_a_drinking_more_experiment_is_refused_for_a_profile_that_limits_fluids(
    alice_client, backup, unchanged
):
    backup["profile"]["fluid_restricted"] = True
    backup["experiments"][0]["change"] = "fluids"
    (error,) = file_errors(post_import(alice_client, as_bytes(backup)))
    assert error == (
        "Nothing was imported. Experiment 1 (2026-02-01): is a drinking-more experiment, and "
        "the profile limits fluids"
    )
