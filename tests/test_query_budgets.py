"""Query budgets of the pages that had none elsewhere, each checked at two history lengths.

A page's number of queries must not grow with the journal: each test loads the page on a
short journal, adds ten months of history (nights with cramps, days with exercise and own
factors, doses), and expects exactly the same count. Timings never go here: `make bench`
measures them (docs/benchmarks.md).

Budgets elsewhere: home (test_cramp_now), day list and day page (test_days), month, trends
and factor analysis (test_analysis), summary page (test_summary), exports (test_data_exports),
medications (test_medications), own factors (test_custom_factors), tips (test_learn_tips).

Every signed-in request starts with the session and the user (2 queries) and ends with the
session saved in a transaction (BEGIN, UPDATE, COMMIT: 3), as the idle timeout slides.
"""

from datetime import date, time, timedelta
from decimal import Decimal
from uuid import uuid4

import pytest
from django.urls import reverse

from journal.models import (
    CrampEpisode,
    CustomFactor,
    CustomFactorValue,
    DayFactors,
    DoseTaken,
    ExerciseSession,
    Experiment,
    ExperimentAnswer,
    ExperimentPause,
    FactorKind,
    Medication,
    MedicationKind,
    Night,
    Reminder,
    ShareLink,
)
from tests.conftest import london
from tests.experiments.support import experiment_for
from tests.reminders.support import push_device

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 20)  # 09:00 in London: the check-in night is the 19th
LAST_NIGHT = TODAY - timedelta(days=1)
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "cramp-panel"}


@pytest.fixture
def journal(alice, freeze_now):
    """Alice with a week of journal up to last night, two own factors and two medicines."""
    freeze_now(london(TODAY, 9, 0))
    CustomFactor.objects.create(user=alice, name="Tight bedsheets", kind=FactorKind.YES_NO)
    CustomFactor.objects.create(
        user=alice, name="Hours driving", kind=FactorKind.NUMBER, unit="hours"
    )
    Medication.objects.create(
        user=alice, name="Atorvastatin", drug_class="statin", started_on=date(2025, 1, 10)
    )
    Medication.objects.create(
        user=alice,
        name="Paracetamol",
        kind=MedicationKind.AS_NEEDED,
        started_on=date(2024, 1, 1),
    )
    grow(alice, LAST_NIGHT, 7)
    return alice


def grow(user, last: date, nights: int) -> None:
    """`nights` logged nights ending with `last`: sleep, cramps, a day with everything."""
    bedsheets, driving = CustomFactor.objects.for_user(user).order_by("name")
    paracetamol = Medication.objects.for_user(user).get(name="Paracetamol")
    for offset in range(nights):
        day = last - timedelta(days=offset)
        night = Night.objects.create(
            user=user,
            date=day,
            into_bed=london(day, 22, 30),
            tried_to_sleep=london(day, 22, 45),
            sleep_latency_min=15,
            awakenings=1,
            awake_after_onset_min=20,
            final_awakening=london(day + timedelta(days=1), 6, 30),
            out_of_bed=london(day + timedelta(days=1), 6, 45),
            quality=3,
        )
        for minute in range(offset % 3):
            episode = CrampEpisode.objects.create(
                night=night,
                started_at=london(day + timedelta(days=1), 2, minute),
                duration_seconds=90,
                pain=6,
                muscle="calf",
                side="left",
                relieved_by_stretching=True,
            )
            DoseTaken.objects.create(
                medication=paracetamol, taken_at=episode.started_at + timedelta(minutes=10)
            )
        factors = DayFactors.objects.create(
            user=user,
            date=day,
            fluids_ml=1800,
            alcohol_units=Decimal(1),
            caffeinated_drinks=2,
            hours_on_feet=Decimal(6),
            hours_sitting=Decimal(8),
        )
        ExerciseSession.objects.create(day=factors, kind="walking", minutes=30)
        CustomFactorValue.objects.create(day=factors, factor=bedsheets, yes=offset % 2 == 0)
        CustomFactorValue.objects.create(day=factors, factor=driving, number=Decimal(1))


def add_history(user) -> None:
    """Ten months more, all before the week the fixture made."""
    grow(user, LAST_NIGHT - timedelta(days=7), 300)


def checkin_form(client) -> dict:
    """What the check-in page's form would send for last night, unchanged."""
    response = client.get(reverse("checkin"))
    form = response.context["checkin"]
    data = {"action": "save", "version": form.version, "confirm_unusual": "on"}
    for part in form.forms:
        for bound in part if hasattr(part, "forms") else [part]:
            for field in bound:
                value = field.value()
                if value is None or value is False:
                    continue
                shown = "on" if value is True else field.field.widget.format_value(value)
                if shown is not None:
                    data[field.html_name] = shown
        if hasattr(part, "management_form"):
            for field in part.management_form:
                data[field.html_name] = field.value()
    return data


def expect_same_queries(client, user, django_assert_num_queries, budget, request) -> None:
    """`request(client)` runs `budget` queries on a short journal and on a long one."""
    with django_assert_num_queries(budget):
        request(client)
    add_history(user)
    with django_assert_num_queries(budget):
        request(client)


# --- Logging ------------------------------------------------------------------------------


def test_cramp_now_from_the_bedside_panel(alice_client, journal, django_assert_num_queries):
    def tap(client):
        data = {"token": uuid4(), "when": "now"}
        assert client.post(reverse("cramp_now"), data, **HTMX).status_code == 200

    tap(alice_client)  # tonight's night exists from now on, as it will after the first cramp
    # Token look-up, cramps so far tonight; in a savepoint: the running timer, stopping it (the
    # tap before is still timing), the night, the insert (the database's constraints check
    # it); the panel's two nights with their counts, and its running timer.
    expect_same_queries(alice_client, journal, django_assert_num_queries, 15, tap)


def test_cramp_now_without_javascript(alice_client, journal, django_assert_num_queries):
    def tap(client):
        response = client.post(reverse("cramp_now"), {"token": uuid4(), "when": "now"})
        assert response.status_code == 302

    tap(alice_client)
    # As from the panel, without the panel's nights and timer.
    expect_same_queries(alice_client, journal, django_assert_num_queries, 13, tap)


def test_cramp_edit_page(alice_client, journal, django_assert_num_queries):
    episode = CrampEpisode.objects.for_user(journal).latest("started_at")
    url = reverse("episode_edit", args=[episode.pk])

    def edit(client):
        assert client.get(url).status_code == 200

    # The cramp with its night and owner.
    expect_same_queries(alice_client, journal, django_assert_num_queries, 6, edit)


def test_checkin_page(alice_client, journal, django_assert_num_queries):
    def page(client):
        assert client.get(reverse("checkin")).status_code == 200

    # Night, day with its own-factor values and exercise, the active own factors, the
    # night's cramps, the exercise form's sessions, the experiment asking about the night.
    expect_same_queries(alice_client, journal, django_assert_num_queries, 13, page)


def test_checkin_save(alice_client, journal, django_assert_num_queries):
    # Night, day, its values and exercise, own factors; five constraint checks of the night
    # and six of the day; then the night and the day updated, each own factor's value looked
    # up and updated; the session save also keeps the message. Inside the test's transaction
    # every check and every update_or_create has its own savepoint (two statements more
    # each); in production the same save is 33 statements (docs/benchmarks.md).
    def measured(client):
        data = checkin_form(client)
        with django_assert_num_queries(61):
            assert client.post(reverse("checkin"), data).status_code == 302

    measured(alice_client)
    add_history(journal)
    measured(alice_client)


# --- Review -------------------------------------------------------------------------------


@pytest.mark.parametrize("range_key", ["1y", "all"])
def test_trends_over_long_ranges(alice_client, journal, django_assert_num_queries, range_key):
    def trends(client):
        assert client.get(reverse("trends"), {"range": range_key}).status_code == 200

    # First logged night, nights, cramps, medications, hours of night.
    expect_same_queries(alice_client, journal, django_assert_num_queries, 10, trends)


@pytest.mark.parametrize("months", [3, 12])
def test_summary_print_view(alice_client, journal, django_assert_num_queries, months):
    def page(client):
        assert client.get(reverse("summary_print"), {"months": months}).status_code == 200

    # First logged night (completeness counts from it), nights, cramps, medications, checklist,
    # the experiments (none here: so no pauses to fetch with them).
    expect_same_queries(alice_client, journal, django_assert_num_queries, 11, page)


def test_summary_print_view_with_an_experiment(alice_client, journal, django_assert_num_queries):
    an_experiment(journal)

    def page(client):
        assert "Experiments</h2>" in client.get(reverse("summary_print")).content.decode()

    # As without, and the experiment's pauses, its answers and its nights (with their cramps,
    # from the windows before its start): two queries more for each experiment shown, however
    # long the journal.
    expect_same_queries(alice_client, journal, django_assert_num_queries, 14, page)


@pytest.mark.parametrize("months", [3, 12])
def test_summary_pdf(alice_client, journal, django_assert_num_queries, months):
    def pdf(client):
        response = client.get(reverse("summary_pdf"), {"months": months})
        assert response["Content-Type"] == "application/pdf"

    # As the print view.
    expect_same_queries(alice_client, journal, django_assert_num_queries, 11, pdf)


@pytest.mark.parametrize("name", ["shared_summary", "shared_summary_pdf"])
def test_shared_summary(client, journal, django_assert_num_queries, name):
    link = ShareLink.objects.create(
        user=journal,
        start=TODAY - timedelta(days=365),
        end=LAST_NIGHT,
        expires_at=london(TODAY + timedelta(days=30), 9),
    )
    url = reverse(name, args=[link.token])

    def open_link(client):
        assert client.get(url).status_code == 200

    # No session: the link with its owner, the access recorded; first logged night, nights,
    # cramps, medications, checklist, the owner's experiments (none here).
    expect_same_queries(client, journal, django_assert_num_queries, 8, open_link)


# --- Reminders ----------------------------------------------------------------------------


def test_reminders_page(alice_client, journal, django_assert_num_queries):
    for kind in ("evening", "morning"):
        Reminder.objects.create(user=journal, kind=kind, at=time(8, 0), enabled=True)
    for number in range(3):
        push_device(journal, f"Phone {number}")

    def open_page(client):
        assert client.get(reverse("reminders")).status_code == 200

    # Session and user; both reminders in one query, and the devices in one; for each preview,
    # the experiment that might change its words; the session saved (in a savepoint: three
    # statements).
    expect_same_queries(alice_client, journal, django_assert_num_queries, 9, open_page)


# --- Experiments --------------------------------------------------------------------------


def an_experiment(user) -> Experiment:
    """Stretching, begun three weeks ago, with a pause and every night answered."""
    experiment = experiment_for(user, start=TODAY - timedelta(days=21), seed=2)
    ExperimentPause.objects.create(
        experiment=experiment, first=TODAY - timedelta(days=10), last=TODAY - timedelta(days=9)
    )
    for back in range(1, 22):
        ExperimentAnswer.objects.create(
            experiment=experiment, night=TODAY - timedelta(days=back), did_it=back % 2 == 0
        )
    return experiment


def test_experiment_page(alice_client, journal, django_assert_num_queries):
    url = reverse("experiment_detail", args=[an_experiment(journal).pk])

    def page(client):
        assert client.get(url).status_code == 200

    # Session and user; the experiment with its factor and owner, its pauses; the nights
    # since the windows before its start with their cramps; the answers; the session saved
    # (in a savepoint: three statements).
    expect_same_queries(alice_client, journal, django_assert_num_queries, 9, page)


def test_home_page_with_an_experiment_under_way(alice_client, journal, django_assert_num_queries):
    an_experiment(journal)

    def page(client):
        assert "Stretching nights" in client.get(reverse("home")).content.decode()

    # The home page's own queries (the nights, the timer, the tips' journal) and the
    # experiment with its pauses, twice (the page's line, and the tips leaving out the tip
    # under test): the same however long the journal.
    expect_same_queries(alice_client, journal, django_assert_num_queries, 20, page)
