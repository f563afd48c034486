"""Messages of number and time fields in the app's own words (journal/forms/messages.py): the
range read from the validators journal/ranges.py gives the model, with its unit, one message
for every way a number can be wrong, and never Django's "Ensure this value…"."""

from datetime import date
from decimal import Decimal

import pytest
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.forms.utils import ErrorList

from journal import ranges
from journal.forms.accounts import AccountForm
from journal.forms.checkin import DayForm, ExerciseFormSet, NightForm
from journal.forms.cramps import CrampNowForm, EpisodeForm
from journal.forms.medications import DoseForm, MedicationForm
from journal.forms.messages import (
    TIME_MESSAGE,
    decimal_places_message,
    describe_number,
    limits,
    number_message,
)
from journal.models import DayFactors, Medication, Night

pytestmark = pytest.mark.django_db

NIGHT = date(2026, 3, 4)


def test_limits_are_the_narrowest_the_validators_allow():
    validators = [MinValueValidator(0), MinValueValidator(1), MaxValueValidator(30)]
    assert limits(validators) == (1, 30)
    assert limits([MaxValueValidator(5)]) == (None, 5)
    assert limits([]) == (None, None)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((0, 8000, "ml"), "Enter a whole number from 0 to 8,000 ml."),
        ((0, 1440, "minutes"), "Enter a whole number of minutes from 0 to 1,440."),
        ((0, 24, "hours", 1), "Enter a number of hours from 0 to 24, like 1.5."),
        ((0, Decimal("270.5"), "fl oz", 1), "Enter a number from 0 to 270.5 fl oz, like 1.5."),
        ((0, 30), "Enter a whole number from 0 to 30."),
        ((None, 100), "Enter a whole number up to 100."),
        ((1, None, "minutes"), "Enter a whole number of minutes of 1 or more."),
        ((None, None, "", 2), "Enter a number, like 1.5."),
    ],
)
def test_number_message(args, message):
    assert number_message(*args) == message


def test_too_many_decimals_says_how_many():
    assert decimal_places_message("hours", 1) == (
        "Enter a number of hours with at most 1 decimal place, like 1.5."
    )
    assert (
        decimal_places_message("", 2) == "Enter a number with at most 2 decimal places, like 1.5."
    )


def errors(form: forms.BaseForm, name: str) -> ErrorList:
    assert not form.is_valid()
    return form.errors[name]


def night_form(alice, **data) -> NightForm:
    return NightForm(data, instance=Night(user=alice, date=NIGHT), user=alice)


@pytest.mark.parametrize("typed", ["31", "-1", "2.5", "lots"])
def test_every_wrong_number_gets_the_same_plain_message(alice, typed):
    form = night_form(alice, awakenings=typed, sleep_latency_min="0", awake_after_onset_min="0")
    assert errors(form, "awakenings") == ["Enter a whole number from 0 to 30."]


def test_the_range_comes_from_the_model_field_validators(alice):
    """Change the model's range (journal/ranges.py) and the message follows: nothing repeats it."""
    field = Night._meta.get_field("sleep_latency_min")
    high = ranges.SLEEP_LATENCY_MINUTES.high
    assert limits(field.validators) == (0, high)
    form = night_form(alice, sleep_latency_min=str(high + 1), awakenings="0")
    assert errors(form, "sleep_latency_min") == [
        f"Enter a whole number of minutes from 0 to {high:,}."
    ]


def test_the_day_form_in_millilitres_and_hours(alice):
    data = {"fluids": "8001", "hours_on_feet": "24.5", "alcohol_units": "51"}
    data |= {"hours_sitting": "7.25", "caffeinated_drinks": "x"}
    form = DayForm(data, instance=DayFactors(user=alice, date=NIGHT), user=alice)
    assert not form.is_valid()
    assert form.errors == {
        "fluids": ["Enter a whole number from 0 to 8,000 ml."],
        "hours_on_feet": ["Enter a number of hours from 0 to 24, like 1.5."],
        "alcohol_units": ["Enter a number of units from 0 to 50, like 1.5."],
        "hours_sitting": ["Enter a number of hours with at most 1 decimal place, like 1.5."],
        "caffeinated_drinks": ["Enter a whole number of drinks from 0 to 30."],
    }


def test_fluids_in_ounces_have_the_range_in_ounces(alice):
    alice.fluid_unit = "floz"
    form = DayForm({"fluids": "271"}, instance=DayFactors(user=alice, date=NIGHT), user=alice)
    assert errors(form, "fluids") == ["Enter a number from 0 to 270.5 fl oz, like 1.5."]
    form = DayForm({"fluids": "64.5"}, instance=DayFactors(user=alice, date=NIGHT), user=alice)
    assert form.is_valid()  # one decimal place in ounces


def test_an_exercise_session_says_what_is_missing(alice):
    data = {
        "exercise-TOTAL_FORMS": "1",
        "exercise-INITIAL_FORMS": "0",
        "exercise-0-minutes": "0",
        "exercise-0-intensity": "moderate",
    }
    formset = ExerciseFormSet(data, instance=DayFactors(user=alice, date=NIGHT), prefix="exercise")
    assert not formset.is_valid()
    assert formset.forms[0].errors == {
        "kind": ["Choose the kind of exercise."],
        "minutes": ["Enter a whole number of minutes from 1 to 1,440."],
    }


def test_times_are_asked_for_as_hours_and_minutes(alice):
    form = night_form(alice, into_bed="half ten", awakenings="0")
    assert errors(form, "into_bed") == [TIME_MESSAGE]
    assert errors(CrampNowForm({"when": "at", "at_time": "25:00"}), "at_time") == [TIME_MESSAGE]


def test_the_cramp_form_in_minutes_and_a_pain_choice(alice):
    night = Night.objects.create(user=alice, date=NIGHT)
    data = {"started": "03:00", "minutes_back_to_sleep": "721", "pain": "11", "woke_me": "on"}
    form = EpisodeForm(
        data, instance=night.episodes.model(night=night), night_date=NIGHT, user=alice
    )
    assert not form.is_valid()
    assert form.errors["minutes_back_to_sleep"] == [
        "Enter a whole number of minutes from 0 to 720."
    ]
    assert form.errors["pain"] == ["Choose a whole number from 0 to 10."]


def test_a_message_the_form_wrote_itself_stays(alice):
    medication = Medication.objects.create(user=alice, name="Paracetamol", started_on=NIGHT)
    form = DoseForm({"quantity": "", "taken_at": "2026-03-04T03:00"}, medication=medication)
    assert errors(form, "quantity") == ["Enter how many you took, e.g. 1."]
    form = DoseForm({"quantity": "101", "taken_at": "2026-03-04T03:00"}, medication=medication)
    assert errors(form, "quantity") == ["Enter a number from 0.01 to 100, like 1.5."]


def test_a_decimal_without_a_range_is_bounded_by_its_digits(alice):
    form = MedicationForm({"name": "X", "dose": "1000000", "started_on": "2026-03-01"})
    assert errors(form, "dose") == ["Enter a number up to 999,999.99, like 1.5."]
    field = forms.DecimalField(max_digits=4, decimal_places=1, min_value=0)
    assert describe_number(field, unit="hours") == (
        "Enter a number of hours from 0 to 999.9, like 1.5."
    )


def test_the_fluid_target_in_the_unit_chosen(alice):
    data = {"time_zone": "UTC", "fluid_unit": "ml", "fluid_target": "100"}
    data |= {"night_boundary_hour": "12", "theme": "system"}
    form = AccountForm(data, instance=alice)
    assert errors(form, "fluid_target") == ["Enter a whole number from 250 to 8,000 ml."]


def test_no_form_of_the_app_uses_djangos_generic_number_messages(alice):
    """Every number field of every form gets a message of its own for each way to be wrong."""
    night = Night.objects.create(user=alice, date=NIGHT)
    medication = Medication.objects.create(user=alice, name="Paracetamol", started_on=NIGHT)
    every_form = [
        NightForm(instance=night, user=alice),
        DayForm(instance=DayFactors(user=alice, date=NIGHT), user=alice),
        ExerciseFormSet(instance=DayFactors(user=alice, date=NIGHT)).empty_form,
        EpisodeForm(instance=night.episodes.model(night=night), night_date=NIGHT, user=alice),
        DoseForm(medication=medication),
        MedicationForm(),
        AccountForm(instance=alice),
    ]
    for form in every_form:
        for name, field in form.fields.items():
            if isinstance(field, forms.IntegerField):
                for code in ("invalid", "min_value", "max_value"):
                    message = str(field.error_messages[code])
                    assert message.startswith(("Enter ", "Choose ")), (form, name, code)
                    assert "Ensure" not in message
