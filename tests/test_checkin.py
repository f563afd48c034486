"""The morning check-in: sleep diary across midnight, day factors, soft warnings, one save."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from journal.models import (
    SLEEP_TIMES,
    CustomFactor,
    CustomFactorValue,
    DayFactors,
    ExerciseSession,
    Night,
)
from tests.conftest import london
from tests.html_forms import form_as_served

pytestmark = pytest.mark.django_db

NIGHT = date(2026, 3, 4)  # the check-in on the morning of the 5th is about the night of the 4th


@pytest.fixture
def logged_in(client, alice, freeze_now):
    freeze_now(london(NIGHT + timedelta(days=1), 8, 0))
    client.force_login(alice)
    return client


def form_data(**overrides) -> dict:
    data = {
        "night-into_bed": "22:30",
        "night-tried_to_sleep": "22:45",
        "night-sleep_latency_min": "20",
        "night-awakenings": "2",
        "night-awake_after_onset_min": "35",
        "night-final_awakening": "06:15",
        "night-out_of_bed": "06:40",
        "night-quality": "3",
        "night-notes": "",
        "day-fluids": "1800",
        "day-alcohol_units": "",
        "day-caffeinated_drinks": "2",
        "day-hours_on_feet": "6.5",
        "day-hours_sitting": "7",
        "day-notes": "",
        "exercise-TOTAL_FORMS": "1",
        "exercise-INITIAL_FORMS": "0",
        "exercise-MIN_NUM_FORMS": "0",
        "exercise-MAX_NUM_FORMS": "1000",
        "exercise-0-kind": "walking",
        "exercise-0-minutes": "40",
        "exercise-0-intensity": "moderate",
        "action": "save",
    }
    return data | overrides


def post(client, night=NIGHT, **overrides):
    return client.post(reverse("checkin_for", args=[night]), form_data(**overrides))


def test_the_check_in_defaults_to_last_night(logged_in):
    response = logged_in.get(reverse("checkin"))
    assert response.context["night_date"] == NIGHT
    assert "Check-in for the night of Wednesday 4 March" in response.content.decode()


def test_a_full_check_in_saves_the_night_across_midnight_and_the_day(logged_in, alice):
    response = post(logged_in)
    assert response["Location"] == reverse("day_detail", args=[NIGHT])
    night = Night.objects.get(user=alice, date=NIGHT)
    assert night.into_bed == london(NIGHT, 22, 30)
    assert night.final_awakening == london(NIGHT + timedelta(days=1), 6, 15)
    # TIB 22:30 → 06:40 = 490 min; TST = 450 − 20 − 35 = 395 min; SE = 395 / 490 = 80.6 %
    assert night.metrics.time_in_bed_min == 490
    assert night.metrics.total_sleep_min == 395
    assert night.metrics.efficiency_pct == 80.6
    day = DayFactors.objects.get(user=alice, date=NIGHT)
    assert (day.fluids_ml, day.caffeinated_drinks, day.hours_on_feet) == (1800, 2, Decimal("6.5"))
    assert day.alcohol_units is None
    assert [(s.kind, s.minutes) for s in day.exercise.all()] == [("walking", 40)]
    page = logged_in.get(response["Location"]).content.decode()
    assert "6 h 35 min" in page and "80.6%" in page


def test_check_in_again_updates_instead_of_duplicating(logged_in, alice):
    post(logged_in)
    day = DayFactors.objects.get(user=alice)
    session = day.exercise.get()
    post(
        logged_in,
        **{
            "night-quality": "5",
            "exercise-TOTAL_FORMS": "2",
            "exercise-INITIAL_FORMS": "1",
            "exercise-0-id": str(session.pk),
            "exercise-0-day": str(day.pk),
            "exercise-0-DELETE": "on",
            "exercise-1-kind": "cycling",
            "exercise-1-minutes": "30",
            "exercise-1-intensity": "vigorous",
        },
    )
    assert Night.objects.get(user=alice).quality == 5
    assert DayFactors.objects.count() == 1
    assert [(s.kind, s.intensity) for s in ExerciseSession.objects.all()] == [
        ("cycling", "vigorous")
    ]


def test_times_out_of_order_are_refused_saying_which_and_keep_what_was_typed(logged_in):
    response = post(logged_in, **{"night-tried_to_sleep": "21:00"})
    assert response.status_code == 200
    errors = response.context["checkin"].night_form.errors
    assert errors["tried_to_sleep"] == [
        "Tried to sleep (21:00) looks earlier than into bed (22:30). Check the order of the times."
    ]
    assert 'value="21:00"' in response.content.decode()
    assert not Night.objects.exists()
    assert not DayFactors.objects.exists()  # nothing half-saved


def test_awake_minutes_longer_than_the_night_are_refused(logged_in):
    response = post(logged_in, **{"night-awake_after_onset_min": "600"})
    errors = response.context["checkin"].night_form.errors
    assert "more than the 7 h 30 min between" in errors["awake_after_onset_min"][0]
    assert not Night.objects.exists()


def test_some_times_but_not_all_are_refused(logged_in):
    response = post(logged_in, **{"night-out_of_bed": ""})
    errors = response.context["checkin"].night_form.errors
    assert errors["out_of_bed"] == ["Fill in this time too, or clear all four times."]


def test_a_night_without_a_sleep_diary_can_be_saved(logged_in, alice):
    empty = {
        f"night-{name}": ""
        for name in ("into_bed", "tried_to_sleep", "final_awakening", "out_of_bed")
    }
    post(logged_in, **empty)
    night = Night.objects.get(user=alice)
    assert night.into_bed is None
    assert night.metrics is None


def test_unusual_values_ask_for_confirmation_then_save(logged_in, alice):
    response = post(logged_in, **{"day-fluids": "4500", "night-awakenings": "12"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Fluids of 4,500 ml are unusually high." in html
    assert "You woke 12 times." in html
    assert 'name="confirm_unusual"' in html
    assert not DayFactors.objects.exists()
    post(logged_in, **{"day-fluids": "4500", "night-awakenings": "12", "confirm_unusual": "on"})
    assert DayFactors.objects.get(user=alice).fluids_ml == 4500


def test_fluids_in_us_ounces_are_stored_in_millilitres(logged_in, alice):
    alice.fluid_unit = "floz"
    alice.save()
    post(logged_in, **{"day-fluids": "64"})
    assert DayFactors.objects.get(user=alice).fluids_ml == 1893  # 64 × 29.5735 = 1892.7


def test_too_much_fluid_is_refused_in_the_users_unit(logged_in, alice):
    alice.fluid_unit = "floz"
    alice.save()
    response = post(logged_in, **{"day-fluids": "300"})
    assert response.context["checkin"].day_form.errors["fluids"] == [
        "Enter a number from 0 to 270.5 fl oz, like 1.5."
    ]


def test_quick_fluid_button_adds_a_cup_without_saving(logged_in):
    response = post(logged_in, **{"action": "add-fluid-250", "day-fluids": "1000"})
    assert response.context["checkin"].day_form["fluids"].value() == "1250"
    assert not DayFactors.objects.exists()
    response = post(logged_in, **{"action": "add-fluid-999", "day-fluids": "1000"})
    assert (
        response.context["checkin"].day_form["fluids"].value() == "1000"
    )  # only the offered sizes


def test_same_as_the_day_before_copies_factors_without_saving(logged_in, alice):
    factor = CustomFactor.objects.create(user=alice, name="Tight bedsheets")
    before = DayFactors.objects.create(
        user=alice, date=NIGHT - timedelta(days=2), fluids_ml=2100, hours_on_feet=Decimal(9)
    )
    ExerciseSession.objects.create(day=before, kind="running", minutes=25, intensity="vigorous")
    CustomFactorValue.objects.create(day=before, factor=factor, yes=True)
    response = post(logged_in, action="copy-previous")
    checkin = response.context["checkin"]
    assert checkin.day_form["fluids"].value() == 2100
    assert checkin.day_form["hours_on_feet"].value() == Decimal(9)
    assert checkin.exercise.forms[0]["kind"].value() == "running"
    assert checkin.custom[f"factor_{factor.pk}"].value() == "yes"
    assert "Copied from Monday 2 March" in response.content.decode()
    assert DayFactors.objects.count() == 1


def test_custom_factor_values_are_saved_and_cleared(logged_in, alice):
    bedsheets = CustomFactor.objects.create(user=alice, name="Tight bedsheets")
    driving = CustomFactor.objects.create(user=alice, name="Driving", kind="number", unit="hours")
    CustomFactor.objects.create(user=alice, name="Old idea", archived=True)
    page = logged_in.get(reverse("checkin")).content.decode()
    assert "Tight bedsheets" in page and "Driving (hours)" in page and "Old idea" not in page
    fields = {f"custom-factor_{bedsheets.pk}": "yes", f"custom-factor_{driving.pk}": "2.5"}
    post(logged_in, **fields)
    values = {v.factor.name: v.value for v in CustomFactorValue.objects.select_related("factor")}
    assert values == {"Tight bedsheets": True, "Driving": Decimal("2.5")}
    post(logged_in, **{f"custom-factor_{bedsheets.pk}": "", f"custom-factor_{driving.pk}": "3"})
    values = {v.factor.name: v.value for v in CustomFactorValue.objects.select_related("factor")}
    assert values == {"Driving": Decimal("3")}


def test_exercise_over_a_whole_day_is_refused(logged_in):
    response = post(logged_in, **{"exercise-0-minutes": "1441"})
    assert response.context["checkin"].exercise.forms[0].errors["minutes"]
    assert not DayFactors.objects.exists()


def add_history(alice) -> None:
    """Three earlier nights with a diary: into bed 23:51, 23:52 and 23:53, tried to sleep at
    00:10, woke for good at 07:00 and got up at 07:20."""
    for offset in range(1, 4):
        day = NIGHT - timedelta(days=offset)
        Night.objects.create(
            user=alice,
            date=day,
            into_bed=london(day, 23, 50 + offset),
            tried_to_sleep=london(day + timedelta(days=1), 0, 10),
            final_awakening=london(day + timedelta(days=1), 7, 0),
            out_of_bed=london(day + timedelta(days=1), 7, 20),
        )


def press(client, night=NIGHT, action="save", **headers):
    """Open the check-in, then press one of its buttons without touching anything."""
    url = reverse("checkin_for", args=[night])
    data = form_as_served(
        client.get(url).content.decode(), "checkin-form", press=("action", action)
    )
    return client.post(url, data, **headers)


def sleep_times(alice, night=NIGHT) -> list:
    return list(Night.objects.filter(user=alice, date=night).values_list(*SLEEP_TIMES))


def test_usual_times_are_shown_as_suggestions_and_the_inputs_stay_empty(logged_in, alice):
    add_history(alice)
    html = logged_in.get(reverse("checkin")).content.decode()
    form = html.split('id="checkin-form"', 1)[1]
    # The median across midnight: 23:52 of 23:51, 23:52 and 23:53.
    assert "Usually 23:52." in form and 'placeholder="usually 23:52"' in form
    assert "Usually 00:10." in form and "Usually 07:00." in form and "Usually 07:20." in form
    assert "the median of your last 3 nights with a sleep diary" in form
    assert 'value="23:52"' not in form and 'value="00:10"' not in form
    assert "Use my usual times" in form


def test_saving_an_untouched_check_in_saves_no_sleep_times(logged_in, alice):
    add_history(alice)
    response = press(logged_in)
    assert response["Location"] == reverse("day_detail", args=[NIGHT])
    assert sleep_times(alice) == [(None, None, None, None)]
    assert Night.objects.get(user=alice, date=NIGHT).metrics is None


def test_use_my_usual_times_fills_them_in_without_saving(logged_in, alice):
    add_history(alice)
    response = press(logged_in, action="use-usual")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Your usual times are filled in: check them and save." in html
    assert "Usually 23:52." in html  # still shown beside the time now in the box
    for name, clock in [
        ("into_bed", "23:52"),
        ("tried_to_sleep", "00:10"),
        ("final_awakening", "07:00"),
        ("out_of_bed", "07:20"),
    ]:
        assert f'name="night-{name}" value="{clock}"' in html
    assert not Night.objects.filter(date=NIGHT).exists()  # nothing saved
    # Saving the form as it came back saves them, on purpose.
    url = reverse("checkin_for", args=[NIGHT])
    post_data = form_as_served(html, "checkin-form", press=("action", "save"))
    assert logged_in.post(url, post_data).status_code == 302
    assert sleep_times(alice) == [
        (
            london(NIGHT, 23, 52),
            london(NIGHT + timedelta(days=1), 0, 10),
            london(NIGHT + timedelta(days=1), 7, 0),
            london(NIGHT + timedelta(days=1), 7, 20),
        )
    ]


def test_use_my_usual_times_keeps_a_time_already_typed(logged_in, alice):
    add_history(alice)
    response = post(
        logged_in,
        action="use-usual",
        **{"night-into_bed": "23:05", "night-tried_to_sleep": "", "night-final_awakening": ""},
        **{"night-out_of_bed": ""},
    )
    form = response.context["checkin"].night_form
    assert [form[name].value() for name in SLEEP_TIMES] == ["23:05", "00:10", "07:00", "07:20"]
    assert not Night.objects.filter(date=NIGHT).exists()


def test_use_my_usual_times_with_htmx_comes_back_in_the_form(logged_in, alice):
    add_history(alice)
    headers = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "checkin-form"}
    html = press(logged_in, action="use-usual", **headers).content.decode()
    assert "<html" not in html
    assert "Your usual times are filled in" in html and 'value="23:52"' in html


def test_a_night_with_its_own_diary_shows_its_own_times_and_no_suggestion(logged_in, alice):
    add_history(alice)
    Night.objects.create(
        user=alice,
        date=NIGHT,
        into_bed=london(NIGHT, 21, 40),
        tried_to_sleep=london(NIGHT, 22, 0),
        final_awakening=london(NIGHT + timedelta(days=1), 5, 30),
        out_of_bed=london(NIGHT + timedelta(days=1), 5, 45),
    )
    html = logged_in.get(reverse("checkin")).content.decode()
    for name, clock in [
        ("into_bed", "21:40"),
        ("tried_to_sleep", "22:00"),
        ("final_awakening", "05:30"),
        ("out_of_bed", "05:45"),
    ]:
        assert f'name="night-{name}" value="{clock}"' in html
    assert "Usually" not in html and "Use my usual times" not in html
    press(logged_in)  # saved again untouched: still its own times
    assert sleep_times(alice)[0][0] == london(NIGHT, 21, 40)


def test_without_earlier_nights_there_is_no_suggestion(logged_in, alice):
    html = logged_in.get(reverse("checkin")).content.decode()
    assert "Usually" not in html and "usually" not in html and "Use my usual times" not in html
    press(logged_in)
    assert sleep_times(alice) == [(None, None, None, None)]


def test_fluid_restricted_users_see_no_target(logged_in, alice):
    assert "Your daily target is 2,000 ml." in logged_in.get(reverse("checkin")).content.decode()
    alice.fluid_restricted = True
    alice.save()
    page = logged_in.get(reverse("checkin")).content.decode().lower()
    assert "daily target" not in page
    assert "drink more" not in page


def test_htmx_gets_the_form_partial_and_a_client_redirect_after_saving(logged_in):
    headers = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "checkin-form"}
    url = reverse("checkin_for", args=[NIGHT])
    response = logged_in.post(url, form_data(action="add-fluid-250"), **headers)
    assert "<html" not in response.content.decode()
    assert 'id="checkin-form"' in response.content.decode()
    response = logged_in.post(url, form_data(), **headers)
    assert response["HX-Redirect"] == reverse("day_detail", args=[NIGHT])


def test_live_sleep_metrics(logged_in):
    query = {key: value for key, value in form_data().items() if key.startswith("night-")}
    response = logged_in.get(reverse("checkin_metrics", args=[NIGHT]), query)
    html = response.content.decode()
    assert "<html" not in html
    assert "8 h 10 min" in html and "6 h 35 min" in html and "80.6%" in html
    query["night-out_of_bed"] = ""
    assert (
        "appear here once"
        in logged_in.get(reverse("checkin_metrics", args=[NIGHT]), query).content.decode()
    )


def test_a_night_that_has_not_begun_cannot_be_checked_in(logged_in):
    assert (
        logged_in.get(reverse("checkin_for", args=[NIGHT + timedelta(days=2)])).status_code == 404
    )


def test_a_save_from_a_stale_page_is_refused_without_losing_either_change(logged_in, alice):
    """Two tabs: the later save of a page opened earlier is stopped and shown, not lost."""
    first_tab = logged_in.get(reverse("checkin")).context["checkin"].version
    second_tab = first_tab
    post(logged_in, version=first_tab, **{"night-quality": "2"})  # first tab saves
    response = post(logged_in, version=second_tab, **{"night-quality": "5"})  # second tab
    assert response.status_code == 200
    assert "saved elsewhere after you opened this page" in response.content.decode()
    assert Night.objects.get(user=alice).quality == 2  # the first save stands
    checkin = response.context["checkin"]
    assert checkin.night_form["quality"].value() == "5"  # the second tab's input is kept
    post(logged_in, version=checkin.version, **{"night-quality": "5"})  # saved on purpose
    assert Night.objects.get(user=alice).quality == 5


def test_a_failure_half_way_through_saving_leaves_nothing_half_written(
    logged_in, alice, monkeypatch
):
    """The check-in saves the night, the day, exercise and own factors in one transaction."""
    from journal.forms.checkin import CustomValuesForm

    def fail(self, day):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(CustomValuesForm, "save", fail)  # the last of the four saves
    logged_in.raise_request_exception = True
    with pytest.raises(RuntimeError):
        post(logged_in)
    assert not Night.objects.exists()
    assert not DayFactors.objects.exists()
    assert not ExerciseSession.objects.exists()


# --- "No exercise that day" --------------------------------------------------------------------

NO_SESSION = {"exercise-0-kind": "", "exercise-0-minutes": "", "exercise-0-intensity": "moderate"}


def test_no_exercise_that_day_is_saved_when_ticked(logged_in, alice):
    response = post(logged_in, **NO_SESSION, **{"day-no_exercise": "on"})
    assert response.status_code == 302
    day = DayFactors.objects.get(user=alice, date=NIGHT)
    assert day.no_exercise and not day.exercise.exists()


def test_no_session_and_nothing_ticked_leaves_exercise_not_recorded(logged_in, alice):
    assert post(logged_in, **NO_SESSION).status_code == 302
    assert not DayFactors.objects.get(user=alice, date=NIGHT).no_exercise
    html = logged_in.get(reverse("day_detail", args=[NIGHT])).content.decode()
    assert "Exercise not recorded." in html


def test_no_exercise_and_a_session_together_are_refused_by_the_checkbox(logged_in, alice):
    response = post(logged_in, **{"day-no_exercise": "on"})  # with the walk of form_data
    assert response.status_code == 200
    errors = response.context["checkin"].day_form.errors["no_exercise"]
    assert errors == [
        "You ticked “No exercise that day” and entered a session: untick it, or remove the session."
    ]
    html = response.content.decode()
    assert "No exercise that day" in html and 'value="40"' in html  # nothing typed is lost
    assert not DayFactors.objects.exists()


def test_no_exercise_with_a_saved_session_deleted_is_fine(logged_in, alice):
    post(logged_in)
    day = DayFactors.objects.get(user=alice, date=NIGHT)
    session = day.exercise.get()
    response = post(
        logged_in,
        **{
            "day-no_exercise": "on",
            "exercise-TOTAL_FORMS": "2",
            "exercise-INITIAL_FORMS": "1",
            "exercise-0-id": str(session.pk),
            "exercise-0-day": str(day.pk),
            "exercise-0-DELETE": "on",
            "exercise-1-kind": "",
            "exercise-1-minutes": "",
            "exercise-1-intensity": "moderate",
        },
    )
    assert response.status_code == 302
    day.refresh_from_db()
    assert day.no_exercise and not day.exercise.exists()
    html = logged_in.get(reverse("day_detail", args=[NIGHT])).content.decode()
    assert "No exercise that day." in html


def test_same_as_the_day_before_copies_no_exercise(logged_in, alice):
    DayFactors.objects.create(user=alice, date=NIGHT - timedelta(days=1), no_exercise=True)
    checkin = post(logged_in, action="copy-previous").context["checkin"]
    assert checkin.day_form["no_exercise"].value() is True
