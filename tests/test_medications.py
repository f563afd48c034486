import re
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from journal.forms.medications import DoseForm
from journal.models import DoseTaken, Medication, MedicationKind, User
from journal.views.medications import (
    record_dose_once,
)
from tests.conftest import html_of

pytestmark = pytest.mark.django_db

CRAMP_NOTE = "discuss it with your doctor"
NOW = datetime(2026, 3, 10, 21, 30, tzinfo=UTC)  # a Tuesday evening, GMT in London


@pytest.fixture(autouse=True)
def _fixed_clock(freeze_now):
    """“Today” and “now” are fixed, so date defaults never straddle midnight mid-test."""
    freeze_now(NOW)


def today_for(user: User) -> date:
    return timezone.localdate(timezone=user.tzinfo)


def add_medication(user: User, name: str = "Ramipril", **fields) -> Medication:
    values = {"dose": Decimal(5), "dose_unit": "mg", "started_on": date(2025, 1, 6)} | fields
    return Medication.objects.create(user=user, name=name, **values)


def add_as_needed(user: User, name: str = "Paracetamol") -> Medication:
    return add_medication(user, name, dose=Decimal(500), kind=MedicationKind.AS_NEEDED)


def add_dose(medication: Medication, taken_at: datetime, quantity: int = 1) -> DoseTaken:
    return DoseTaken.objects.create(medication=medication, taken_at=taken_at, quantity=quantity)


def medication_data(**overrides) -> dict[str, str]:
    return {
        "name": "Atorvastatin",
        "dose": "20",
        "dose_unit": "mg",
        "drug_class": "statin",
        "kind": "regular",
        "started_on": "2026-02-01",
        "stopped_on": "",
        "notes": "",
    } | overrides


def dose_data(**overrides) -> dict[str, str]:
    # 03:15 in London on a summer night is 02:15 UTC.
    return {"taken_at": "2025-07-10T03:15", "quantity": "2", "token": str(uuid.uuid4())} | overrides


# --- The list -----------------------------------------------------------------------------


def test_list_without_medications_invites_adding_one(alice_client):
    html = html_of(alice_client.get(reverse("medications")))
    assert "Nothing listed yet" in html
    assert reverse("medication_add") in html
    assert "<h2>Past</h2>" not in html


def test_list_shows_current_first_then_past_with_dates(alice_client, alice):
    today = today_for(alice)
    add_medication(alice, "Magnesium", stopped_on=date(2025, 2, 6), drug_class="supplement")
    add_medication(alice, "Ramipril")
    add_medication(alice, "Bisoprolol", stopped_on=today + timedelta(days=7))
    add_medication(alice, "Iron", stopped_on=today - timedelta(days=1))
    response = alice_client.get(reverse("medications"))
    assert [m.name for m in response.context["current"]] == ["Bisoprolol", "Ramipril"]
    assert [m.name for m in response.context["past"]] == ["Iron", "Magnesium"]
    html = html_of(response)
    assert html.index("Ramipril") < html.index("<h2>Past</h2>") < html.index("Magnesium")
    assert "6 Jan 2025 to 6 Feb 2025 (last day taken)" in html
    assert "5 mg · Taken regularly" in html
    assert "Supplement or vitamin" in html
    assert f"last day taken {today + timedelta(days=7):%-d %b %Y}" in html


@pytest.mark.parametrize(
    ("started", "stopped", "group"),
    [
        (0, None, "current"),  # starts today
        (-10, 0, "current"),  # today is the last day taken
        (0, 0, "current"),  # a one-day course, today
        (-10, -1, "past"),  # the last day taken was yesterday
        (1, None, "planned"),  # starts tomorrow
    ],
)
def test_the_list_puts_a_medicine_under_current_on_each_day_it_is_taken(
    alice_client, alice, started, stopped, group
):
    today = today_for(alice)
    add_medication(
        alice,
        "Iron",
        started_on=today + timedelta(days=started),
        stopped_on=None if stopped is None else today + timedelta(days=stopped),
    )
    context = alice_client.get(reverse("medications")).context
    groups = {name: [m.name for m in context[name]] for name in ("current", "planned", "past")}
    assert groups == {name: ["Iron"] if name == group else [] for name in groups}
    html = html_of(alice_client.get(reverse("medications")))
    if group == "planned":
        assert "<h2>Starting later</h2>" in html
        assert f"Starts {today + timedelta(days=1):%-d %b %Y}" in html


def test_a_statin_gets_a_neutral_note_that_points_to_the_doctor(alice_client, alice):
    add_medication(alice, "Atorvastatin", drug_class="statin")
    html = html_of(alice_client.get(reverse("medications")))
    assert "has been linked with cramps in some people" in html
    assert "1.16 times" in html  # the catalogue's evidence note
    assert "If you think it plays a part, discuss it with your doctor." in html
    assert "Don’t stop or change a medicine without their advice." in html
    assert "stop taking" not in html.lower()


def test_a_class_not_linked_to_cramps_gets_no_note(alice_client, alice):
    add_medication(alice, "Ramipril", drug_class="other")
    add_medication(alice, "Magnesium", drug_class="supplement", kind=MedicationKind.SUPPLEMENT)
    assert CRAMP_NOTE not in html_of(alice_client.get(reverse("medications")))


def test_a_past_linked_medication_is_marked_without_the_full_note(alice_client, alice):
    add_medication(alice, "Simvastatin", drug_class="statin", stopped_on=date(2025, 3, 1))
    html = html_of(alice_client.get(reverse("medications")))
    assert "badge-attention" in html
    assert CRAMP_NOTE not in html


def test_as_needed_medication_shows_its_last_doses_and_a_dose_form(alice_client, alice):
    paracetamol = add_as_needed(alice)
    first = datetime(2026, 1, 1, 22, 0, tzinfo=UTC)
    for day in range(7):
        add_dose(paracetamol, first + timedelta(days=day))
    add_medication(alice, "Ramipril")
    response = alice_client.get(reverse("medications"))
    html = html_of(response)
    assert "The last 5 of 7 doses:" in html
    assert "Wed 7 Jan 2026, 22:00" in html  # newest first
    assert "Sat 3 Jan 2026, 22:00" in html
    assert "Fri 2 Jan 2026, 22:00" not in html
    assert html.count("Took a dose") == 1  # only the as-needed medication has the form
    assert 'type="datetime-local"' in html
    assert f'id="doses-{paracetamol.pk}"' in html
    assert 'hx-post="{}"'.format(reverse("dose_add", args=[paracetamol.pk])) in html
    form = response.context["current"][0].dose_form  # Paracetamol, then Ramipril
    assert form["quantity"].value() == 1
    assert 'name="taken_at" value="2026-03-10T21:30"' in html  # now, in London (GMT)


def test_the_dose_time_is_entered_in_the_users_own_time_zone(client, bob):
    medication = add_as_needed(bob)
    client.force_login(bob)
    html = html_of(client.get(reverse("medications")))
    assert 'name="taken_at" value="2026-03-10T17:30"' in html  # New York, summer time (UTC-4)
    client.post(reverse("dose_add", args=[medication.pk]), dose_data(taken_at="2026-03-10T03:00"))
    assert DoseTaken.objects.get().taken_at == datetime(2026, 3, 10, 7, 0, tzinfo=UTC)


def test_pages_have_no_inline_scripts_or_styles(alice_client, alice):
    medication = add_as_needed(alice)
    add_dose(medication, datetime(2026, 1, 1, 22, tzinfo=UTC))
    for url in (
        reverse("medications"),
        reverse("medication_add"),
        reverse("medication_edit", args=[medication.pk]),
        reverse("medication_stop", args=[medication.pk]),
    ):
        html = html_of(alice_client.get(url))
        assert " style=" not in html
        assert not re.search(r"<script(?![^>]*\bsrc=)", html)
        assert not re.search(r"\son[a-z]+=", html)


# --- Add and edit -------------------------------------------------------------------------


def test_add_form_defaults_and_choices(alice_client, alice):
    html = html_of(alice_client.get(reverse("medication_add")))
    assert 'type="date" name="started_on" value="2026-03-10"' in html
    assert 'type="date" name="stopped_on"' in html
    assert ">Last day taken:</label>" in html
    assert "The last day you took it" in html
    assert "Statin: e.g. atorvastatin, simvastatin, rosuvastatin</option>" in html
    # Nothing is chosen for the user: the type starts empty (and is required).
    assert '<option value="" selected>Choose a type</option>' in html
    assert '<option value="other">Other</option>' in html


def test_start_date_defaults_to_today_where_the_user_lives(alice_client, alice):
    alice.time_zone = "Pacific/Auckland"  # already Wednesday morning there
    alice.save()
    html = html_of(alice_client.get(reverse("medication_add")))
    assert 'type="date" name="started_on" value="2026-03-11"' in html


def test_add_saves_for_the_user_and_says_so(alice_client, alice):
    response = alice_client.post(reverse("medication_add"), medication_data(), follow=True)
    assert response.redirect_chain == [(reverse("medications"), 302)]
    medication = Medication.objects.get()
    assert (medication.user, medication.name, medication.dose) == (alice, "Atorvastatin", 20)
    assert medication.started_on == date(2026, 2, 1)
    html = html_of(response)
    assert "Atorvastatin added." in html
    assert CRAMP_NOTE in html  # a statin was chosen


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"stopped_on": "2026-01-31"}, "stopped_on", "The last day taken can’t be before the"),
        ({"dose": "0"}, "dose", "A dose must be more than zero."),
        ({"dose": "-5"}, "dose", "A dose must be more than zero."),
        ({"name": ""}, "name", "Enter the name of the medicine or supplement."),
        ({"started_on": ""}, "started_on", "Enter the date you started."),
        ({"started_on": "31/02/2026"}, "started_on", "Enter a valid date."),
    ],
)
def test_add_shows_errors_next_to_the_field_and_keeps_values(
    alice_client, overrides, field, message
):
    data = medication_data(notes="From the GP", **overrides)
    response = alice_client.post(reverse("medication_add"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert errors[field][0].startswith(message)
    html = html_of(response)
    assert f'id="id_{field}_error"' in html  # rendered beside its field
    assert 'value="mg"' in html
    assert "From the GP</textarea>" in html
    assert '<option value="statin" selected>' in html
    assert not Medication.objects.exists()


def test_edit_shows_saved_values_and_saves_changes(alice_client, alice):
    medication = add_medication(alice, "Ramipril", drug_class="other")
    url = reverse("medication_edit", args=[medication.pk])
    html = html_of(alice_client.get(url))
    assert 'value="Ramipril"' in html
    assert 'name="dose" value="5"' in html  # not 5.00
    assert 'name="started_on" value="2025-01-06"' in html
    assert CRAMP_NOTE not in html
    data = medication_data(name="Losartan", drug_class="arb", started_on="2025-01-06")
    response = alice_client.post(url, data, follow=True)
    assert "Losartan saved." in html_of(response)
    medication.refresh_from_db()
    assert medication.drug_class == "arb"
    assert CRAMP_NOTE in html_of(response)  # the list now shows the note
    assert CRAMP_NOTE in html_of(alice_client.get(url))  # and so does its own page


def test_edit_errors_keep_the_heading_of_the_saved_record(alice_client, alice):
    medication = add_medication(alice, "Ramipril")
    url = reverse("medication_edit", args=[medication.pk])
    response = alice_client.post(url, medication_data(name="", dose="0"))
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"name", "dose"}
    assert "<h1>Edit Ramipril</h1>" in html_of(response)
    medication.refresh_from_db()
    assert medication.dose == 5


# --- Stop and delete ----------------------------------------------------------------------


def test_stop_page_asks_for_the_date_with_today_as_default(alice_client, alice):
    medication = add_medication(alice, "Atorvastatin", drug_class="statin")
    html = html_of(alice_client.get(reverse("medication_stop", args=[medication.pk])))
    assert f'type="date" name="stopped_on" value="{today_for(alice):%Y-%m-%d}"' in html
    assert ">Last day taken:</label>" in html
    assert "Don’t stop or change a prescribed medicine without your doctor’s advice." in html
    assert "stop taking" not in html.lower()


def test_stop_page_never_defaults_to_a_date_before_the_start(alice_client, alice):
    starts = today_for(alice) + timedelta(days=3)
    medication = add_medication(alice, started_on=starts)
    html = html_of(alice_client.get(reverse("medication_stop", args=[medication.pk])))
    assert f'name="stopped_on" value="{starts:%Y-%m-%d}"' in html


def test_stop_keeps_the_medication_in_the_history(alice_client, alice):
    medication = add_medication(alice, "Ramipril")
    response = alice_client.post(
        reverse("medication_stop", args=[medication.pk]), {"stopped_on": "2026-03-02"}, follow=True
    )
    assert "Ramipril marked as stopped: last taken on 2 Mar 2026. It stays in your history." in (
        html_of(response)
    )
    medication.refresh_from_db()
    assert medication.stopped_on == date(2026, 3, 2)
    assert [m.name for m in response.context["past"]] == ["Ramipril"]
    assert "6 Jan 2025 to 2 Mar 2026" in html_of(response)


@pytest.mark.parametrize(
    ("stopped_on", "message"),
    [
        ("2025-01-05", "The last day taken can’t be before the start date."),
        ("", "Enter the last day you took it."),
    ],
)
def test_stop_refuses_a_missing_or_early_date(alice_client, alice, stopped_on, message):
    medication = add_medication(alice)
    response = alice_client.post(
        reverse("medication_stop", args=[medication.pk]), {"stopped_on": stopped_on}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["stopped_on"] == [message]
    medication.refresh_from_db()
    assert medication.stopped_on is None


def test_delete_asks_first_and_points_to_stopping(alice_client, alice):
    medication = add_as_needed(alice)
    add_dose(medication, datetime(2026, 1, 1, 22, tzinfo=UTC))
    response = alice_client.get(reverse("medication_delete", args=[medication.pk]))
    assert response.templates[0].name == "confirm_delete.html"
    html = html_of(response)
    assert "<h1>Delete Paracetamol?</h1>" in html
    assert "and the 1 dose recorded for it" in html
    assert "mark it as stopped instead: that keeps it in your history" in html
    assert f'href="{reverse("medications")}"' in html
    assert Medication.objects.exists()


def test_delete_removes_the_medication_and_its_doses(alice_client, alice):
    medication = add_as_needed(alice)
    add_dose(medication, datetime(2026, 1, 1, 22, tzinfo=UTC))
    response = alice_client.post(reverse("medication_delete", args=[medication.pk]), follow=True)
    assert "Paracetamol deleted." in html_of(response)
    assert not Medication.objects.exists()
    assert not DoseTaken.objects.exists()


# --- Doses --------------------------------------------------------------------------------


def test_took_a_dose_without_javascript_redirects_with_a_message(alice_client, alice):
    medication = add_as_needed(alice)
    url = reverse("dose_add", args=[medication.pk])
    response = alice_client.post(url, dose_data(), follow=True)
    assert response.redirect_chain == [(reverse("medications"), 302)]
    dose = DoseTaken.objects.get()
    assert dose.medication == medication
    assert dose.taken_at == datetime(2025, 7, 10, 2, 15, tzinfo=UTC)  # 03:15 BST
    assert dose.quantity == 2
    assert "Recorded: Paracetamol × 2 on Thu 10 Jul 2025 at 03:15." in html_of(response)


def test_took_a_dose_with_htmx_returns_only_that_medications_dose_list(alice_client, alice):
    medication = add_as_needed(alice)
    other = add_as_needed(alice, "Ibuprofen")
    url = reverse("dose_add", args=[medication.pk])
    data = dose_data()
    response = alice_client.post(url, data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "HX-Request" in response["Vary"]
    html = html_of(response)
    assert "<html" not in html
    assert html.strip().startswith(f'<section id="doses-{medication.pk}"')
    assert f"doses-{other.pk}" not in html
    assert 'role="status"' in html
    assert "Thu 10 Jul 2025, 03:15" in html
    assert "The last" not in html and "Doses recorded:" in html
    assert data["token"] not in html  # a fresh form for the next dose
    assert DoseTaken.objects.count() == 1
    # The status is in the partial; nothing is left over for the next full page.
    assert 'class="messages"' not in html_of(alice_client.get(reverse("medications")))


def test_the_same_dose_form_sent_twice_records_one_dose(alice_client, alice):
    medication = add_as_needed(alice)
    url = reverse("dose_add", args=[medication.pk])
    data = dose_data()
    alice_client.post(url, data)
    response = alice_client.post(url, data, follow=True)
    assert DoseTaken.objects.count() == 1
    assert "That dose was already recorded." in html_of(response)
    htmx = alice_client.post(url, data, headers={"HX-Request": "true"})
    assert "That dose was already recorded." in html_of(htmx)
    assert DoseTaken.objects.count() == 1


def test_two_dose_forms_record_two_doses(alice_client, alice):
    medication = add_as_needed(alice)
    url = reverse("dose_add", args=[medication.pk])
    alice_client.post(url, dose_data())
    alice_client.post(url, dose_data(), headers={"HX-Request": "true"})
    assert DoseTaken.objects.count() == 2


def test_an_old_form_sent_again_much_later_records_nothing(alice_client, alice):
    medication = add_as_needed(alice)
    url = reverse("dose_add", args=[medication.pk])
    old = dose_data()
    alice_client.post(url, old)
    for _ in range(25):
        alice_client.post(url, dose_data())
    alice_client.post(url, old)
    assert DoseTaken.objects.count() == 26


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"quantity": "0"}, "quantity", "Enter a number from 0.01 to 100, like 1.5."),
        ({"quantity": "101"}, "quantity", "Enter a number from 0.01 to 100, like 1.5."),
        ({"quantity": ""}, "quantity", "Enter how many you took, e.g. 1."),
        ({"taken_at": ""}, "taken_at", "Enter when you took it."),
        ({"taken_at": "2025-03-30T01:30"}, "taken_at", "The clocks changed at about that time"),
        ({"taken_at": "2025-10-26T01:30"}, "taken_at", "The clocks changed at about that time"),
        ({"taken_at": "2099-01-01T03:00"}, "taken_at", "That time is still to come."),
        ({"token": "not-a-token"}, "token", "This form is out of date."),
    ],
)
def test_dose_errors_show_next_to_the_field(alice_client, alice, overrides, field, message):
    medication = add_as_needed(alice)
    url = reverse("dose_add", args=[medication.pk])
    data = dose_data(**overrides)
    response = alice_client.post(url, data)
    assert response.status_code == 200
    form = response.context["current"][0].dose_form
    assert list(form.errors) == [field]
    assert form.errors[field][0].startswith(message)
    html = html_of(response)
    assert "<html" in html  # the whole page, with the error in place
    if field != "token":
        assert f'id="dose-{medication.pk}-{field}_error"' in html

    partial = alice_client.post(url, data, headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert "<html" not in html_of(partial)
    assert message in html_of(partial)
    assert not DoseTaken.objects.exists()


def test_dose_errors_keep_what_was_typed(alice_client, alice):
    medication = add_as_needed(alice)
    url = reverse("dose_add", args=[medication.pk])
    data = dose_data(quantity="0", taken_at="2025-07-10T03:15")
    for headers in ({}, {"HX-Request": "true"}):
        html = html_of(alice_client.post(url, data, headers=headers))
        assert 'name="taken_at" value="2025-07-10T03:15"' in html
        assert 'name="quantity" value="0"' in html
        assert f'name="token" value="{data["token"]}"' in html  # still unused: same form


def test_a_double_tap_arriving_at_once_records_one_dose(alice, alice_client):
    """Both requests validate before either saves: the unique token refuses the second."""
    medication = add_as_needed(alice)
    data = dose_data()
    with timezone.override(alice.tzinfo):
        forms = [DoseForm(data, medication=medication) for _ in range(2)]
        assert all(form.is_valid() and not form.already_recorded for form in forms)
        assert record_dose_once(forms[0]) is True
        assert record_dose_once(forms[1]) is False
    assert DoseTaken.objects.count() == 1


def test_doses_are_only_for_medicines_taken_as_needed(alice_client, alice):
    medication = add_medication(alice, "Ramipril", kind=MedicationKind.REGULAR)
    url = reverse("dose_add", args=[medication.pk])
    response = alice_client.post(url, dose_data(), follow=True)
    assert "Doses are recorded only for medicines taken as needed" in html_of(response)
    htmx = alice_client.post(url, dose_data(), headers={"HX-Request": "true"})
    assert htmx["HX-Redirect"] == reverse("medications")
    assert not DoseTaken.objects.exists()


def test_delete_a_dose(alice_client, alice):
    medication = add_as_needed(alice)
    dose = add_dose(medication, datetime(2026, 1, 10, 3, 10, tzinfo=UTC), quantity=2)
    url = reverse("dose_delete", args=[dose.pk])
    html = html_of(alice_client.get(url))
    assert "This removes the dose Paracetamol × 2 on Sat 10 Jan 2026 at 03:10." in html
    response = alice_client.post(url, follow=True)
    assert "Dose deleted" in html_of(response)
    assert not DoseTaken.objects.exists()
    assert Medication.objects.exists()


# --- Ownership and methods ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "method", "target"),
    [
        ("medication_edit", "get", "medication"),
        ("medication_edit", "post", "medication"),
        ("medication_stop", "get", "medication"),
        ("medication_stop", "post", "medication"),
        ("medication_delete", "get", "medication"),
        ("medication_delete", "post", "medication"),
        ("dose_add", "post", "medication"),
        ("dose_delete", "get", "dose"),
        ("dose_delete", "post", "dose"),
    ],
)
def test_another_users_records_are_not_found(client, alice, bob, name, method, target):
    medication = add_as_needed(alice)
    dose = add_dose(medication, datetime(2026, 1, 1, 22, tzinfo=UTC))
    pk = {"medication": medication.pk, "dose": dose.pk}[target]
    client.force_login(bob)
    data = medication_data() | dose_data() | {"stopped_on": "2026-03-01"}
    response = getattr(client, method)(reverse(name, args=[pk]), data)
    assert response.status_code == 404
    medication.refresh_from_db()
    assert (medication.name, medication.stopped_on) == ("Paracetamol", None)
    assert DoseTaken.objects.count() == 1


def test_recording_a_dose_needs_a_post(alice_client, alice):
    medication = add_as_needed(alice)
    assert alice_client.get(reverse("dose_add", args=[medication.pk])).status_code == 405


@pytest.mark.parametrize("name", ["medications", "medication_add"])
def test_pages_need_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- Query budget -------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 8])
def test_list_queries_do_not_grow_with_medications_or_doses(
    alice_client, alice, django_assert_num_queries, count
):
    first = datetime(2026, 1, 1, 22, tzinfo=UTC)
    for number in range(count):
        medication = add_as_needed(alice, f"As needed {number}")
        for day in range(count):
            add_dose(medication, first + timedelta(days=day))
        add_medication(alice, f"Regular {number}", drug_class="statin")
        add_medication(alice, f"Past {number}", stopped_on=date(2025, 2, 1))
    # Session, user, medications with dose counts, their recent doses; the session saved in
    # a savepoint (three statements).
    with django_assert_num_queries(7):
        response = alice_client.get(reverse("medications"))
    assert len(response.context["current"]) == 2 * count


@pytest.mark.parametrize("count", [1, 8])
def test_htmx_dose_queries_do_not_grow_with_doses(
    alice_client, alice, django_assert_num_queries, count
):
    medication = add_as_needed(alice)
    first = datetime(2026, 1, 1, 22, tzinfo=UTC)
    for day in range(count):
        add_dose(medication, first + timedelta(days=day))
    url = reverse("dose_add", args=[medication.pk])
    # Session, user, medication, token look-up, quantity constraint check (3 with its
    # savepoint); savepoint, insert, release; the partial's medication and doses; the
    # session saved (3).
    with django_assert_num_queries(15):
        alice_client.post(url, dose_data(), headers={"HX-Request": "true"})
