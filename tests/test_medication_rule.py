"""One rule for "taking a medicine that night": the stop date is the last day taken.

A medicine started on S and stopped on T is taken on S, on T and on every day between; not on
the day before S, nor on the day after T. Each place that decides it is checked at both ends.
"""

from datetime import UTC, date, datetime, timedelta

import pytest
from fhir.resources.R4B.medicationstatement import MedicationStatement

from journal.analysis import buckets, factors
from journal.learn import tips
from journal.models import Medication, taken_on
from journal.portability import fhir
from journal.summary import build_summary
from tests.conftest import london

pytestmark = pytest.mark.django_db

START, STOP = date(2026, 3, 2), date(2026, 3, 8)  # a Monday to the Sunday after
BEFORE, AFTER = START - timedelta(days=1), STOP + timedelta(days=1)
ENDS = [(BEFORE, False), (START, True), (STOP, True), (AFTER, False)]


@pytest.fixture
def statin(alice):
    return Medication.objects.create(
        user=alice, name="Atorvastatin", drug_class="statin", started_on=START, stopped_on=STOP
    )


@pytest.mark.parametrize(("day", "taken"), ENDS)
def test_the_model_and_the_queryset_agree_at_both_ends(alice, statin, day, taken):
    assert statin.taken_on(day) is taken
    assert taken_on(START, STOP, day) is taken
    assert list(Medication.objects.for_user(alice).taken_on(day)) == ([statin] if taken else [])


def test_a_one_day_course_is_taken_on_that_day_only(alice):
    once = Medication.objects.create(user=alice, name="Quinine", started_on=START, stopped_on=START)
    assert [once.taken_on(START + timedelta(days=d)) for d in (-1, 0, 1)] == [False, True, False]
    assert list(Medication.objects.taken_on(START)) == [once]
    assert not Medication.objects.taken_on(START + timedelta(days=1)).exists()


def test_without_a_stop_date_it_is_taken_from_the_start_on(alice):
    ongoing = Medication.objects.create(user=alice, name="Ramipril", started_on=START)
    assert not ongoing.taken_on(BEFORE)
    assert ongoing.taken_on(date(2030, 1, 1))
    assert list(Medication.objects.taken_on(date(2030, 1, 1))) == [ongoing]


@pytest.mark.parametrize(("day", "taken"), ENDS)
def test_the_factor_analysis_counts_the_night_of_each_day_taken(alice, statin, day, taken):
    (factor,) = [
        factor
        for factor in factors.factors_for(alice, [], [statin])
        if factor.key.startswith("medication_")
    ]
    assert factor.label == "Taking Atorvastatin"
    assert factors.presence(factor, [day], {}) == {day: taken}


@pytest.mark.parametrize(("today", "shown"), [(START, True), (STOP, True), (AFTER, False)])
def test_the_new_medicine_tip_counts_it_while_taken(alice, statin, today, shown):
    journal = tips.recent_journal(alice, today)
    assert journal.new_medications == ([statin] if shown else [])


@pytest.mark.parametrize(
    ("today", "status"),
    [(BEFORE, "intended"), (START, "active"), (STOP, "active"), (AFTER, "completed")],
)
def test_the_fhir_status_is_active_on_each_day_taken(alice, statin, freeze_now, today, status):
    now = freeze_now(london(today, 20))
    bundle = fhir.fhir_bundle(alice, now)
    (statement,) = [
        entry["resource"]
        for entry in bundle["entry"]
        if entry["resource"]["resourceType"] == "MedicationStatement"
    ]
    assert statement["status"] == status
    assert statement["effectivePeriod"] == {"start": "2026-03-02", "end": "2026-03-08"}
    MedicationStatement.model_validate(statement)  # "intended" is a valid R4 status


@pytest.mark.parametrize(
    ("start", "end", "listed"),
    [
        (AFTER, AFTER + timedelta(days=30), False),  # the range begins the day after the last
        (STOP, STOP + timedelta(days=30), True),  # the range begins on the last day taken
        (START - timedelta(days=30), START, True),  # the range ends on the first day
        (START - timedelta(days=30), BEFORE, False),  # the range ends the day before
    ],
)
def test_the_summary_lists_the_medicines_taken_in_its_range(alice, statin, start, end, listed):
    now = datetime(2026, 6, 1, 12, tzinfo=UTC)
    summary = build_summary(alice, start, end, now)
    assert [line.medication for line in summary.medications] == ([statin] if listed else [])


def test_the_trend_marks_a_stop_on_the_first_day_without_it(statin):
    # Weekly buckets from Monday 2 March: the last day taken is Sunday 8 March, in the first
    # week; the first day without it is Monday 9 March, in the second.
    weeks = buckets.buckets(date(2026, 3, 2), date(2026, 3, 22), weekly=True)
    assert buckets.medication_markers([statin], weeks) == [
        (0, "Atorvastatin started"),
        (1, "Atorvastatin stopped"),
    ]
    # A range that ends on the last day taken has no stop in it yet.
    first_week = buckets.buckets(date(2026, 3, 2), STOP, weekly=True)
    assert buckets.medication_markers([statin], first_week) == [(0, "Atorvastatin started")]
