"""Cramp nights in the 28 nights before and after a medication change, whatever the range.

Before a change on C: the nights D with C − 28 <= D < C. After: C <= D < C + 28. A start
changes on its start date; a stop on the day after the last day taken.
"""

import io
import math
from datetime import date, timedelta

import pypdf
import pytest
from django.urls import reverse

from journal import stats
from journal.analysis import medication_changes
from journal.analysis.loading import NightRecord
from journal.models import CrampEpisode, Medication, Night
from journal.summary import build_summary
from tests.conftest import html_of, london

CHANGE = date(2026, 1, 5)
LATEST = date(2026, 3, 19)  # the current night on 20 March at 09:00


def day(offset: int) -> date:
    return CHANGE + timedelta(days=offset)


def records(offsets, cramps=()) -> list[NightRecord]:
    """Logged nights at these offsets from CHANGE, with cramps on those in `cramps`."""
    return [NightRecord(day(o), int(o in cramps), None, None, None) for o in offsets]


def compare(medication, nights, latest=LATEST):
    changes = medication_changes.changes_between([medication], day(-400), day(400))
    return medication_changes.compare_changes(changes, nights, latest)


# Cramps on the first and last night of each window, and on the nights just outside them.
EDGES = (-29, -28, -1, 0, 27, 28)


def test_each_window_is_28_nights_and_ends_where_the_next_begins():
    statin = Medication(name="Atorvastatin", started_on=CHANGE)
    (change,) = compare(statin, records(range(-40, 40), cramps=EDGES))
    assert (change.change, change.on) == ("started", CHANGE)
    # before: −28 … −1 (28 nights, cramps on −28 and −1); after: 0 … 27 (cramps on 0 and 27)
    assert (change.nights_before, change.cramp_nights_before) == (28, 2)
    assert (change.nights_after, change.cramp_nights_after) == (28, 2)
    assert change.after_complete and change.nights_since == 28


def test_a_stop_changes_on_the_day_after_the_last_day_taken():
    # The last day taken is CHANGE − 1: it belongs before; CHANGE, the first day without, after.
    magnesium = Medication(name="Magnesium", started_on=day(-100), stopped_on=day(-1))
    nights = records(range(-40, 40), cramps=(-1,))
    (change,) = [c for c in compare(magnesium, nights) if c.change == "stopped"]
    assert (change.on, change.last_taken) == (CHANGE, day(-1))
    assert (change.cramp_nights_before, change.cramp_nights_after) == (1, 0)
    nights = records(range(-40, 40), cramps=(0,))
    (change,) = [c for c in compare(magnesium, nights) if c.change == "stopped"]
    assert (change.cramp_nights_before, change.cramp_nights_after) == (0, 1)


def test_only_logged_nights_count_and_a_missing_night_is_not_a_night_without_cramps():
    statin = Medication(name="Atorvastatin", started_on=CHANGE)
    logged = [o for o in range(-28, 28) if o % 7 != 3]  # every 7th night not logged
    (change,) = compare(statin, records(logged, cramps=[o for o in logged if o >= 0 and o % 2]))
    assert (change.nights_before, change.nights_after) == (24, 24)
    assert (change.cramp_nights_before, change.cramp_nights_after) == (0, 12)


def test_the_ratio_and_its_interval_are_worked_out_by_the_katz_log_method():
    # before: 7 of 28 nights with cramps; after: 18 of 28.
    statin = Medication(name="Atorvastatin", started_on=CHANGE)
    nights = records(range(-28, 28), cramps=[*range(-28, -21), *range(0, 18)])
    (change,) = compare(statin, nights)
    ratio = (18 / 28) / (7 / 28)
    se = math.sqrt(1 / 18 - 1 / 28 + 1 / 7 - 1 / 28)
    assert change.comparison.risk_ratio == pytest.approx(ratio)  # 2.571
    assert change.comparison.ci_low == pytest.approx(ratio * math.exp(-1.96 * se))  # 1.28
    assert change.comparison.ci_high == pytest.approx(ratio * math.exp(1.96 * se))  # 5.17
    assert change.verdict == (
        "Cramp nights were more common after starting Atorvastatin; this does not show that "
        "the change caused it. Discuss it with your doctor."
    )


def test_a_stop_followed_by_fewer_cramp_nights_says_less_after_stopping():
    # before the stop: 18 of 28 nights with cramps; after: 7 of 28 (the mirror of the start above)
    magnesium = Medication(name="Magnesium", started_on=day(-100), stopped_on=day(-1))
    nights = records(range(-28, 28), cramps=[*range(-28, -10), *range(0, 7)])
    (change,) = [c for c in compare(magnesium, nights) if c.change == "stopped"]
    assert change.comparison.ci_high < 1
    assert change.verdict == (
        "Cramp nights were less common after stopping Magnesium; this does not show that "
        "the change caused it. Discuss it with your doctor."
    )


def test_a_start_has_no_last_day_taken():
    statin = Medication(name="Atorvastatin", started_on=CHANGE)
    (change,) = compare(statin, records(range(-40, 40)))
    assert change.last_taken is None


def test_no_planted_difference_gives_no_claim():
    statin = Medication(name="Atorvastatin", started_on=CHANGE)
    nights = records(range(-28, 28), cramps=[o for o in range(-28, 28) if o % 4 == 0])
    (change,) = compare(statin, nights)
    assert change.comparison.risk_ratio == pytest.approx(1.0)
    assert not change.comparison.excludes_one
    assert change.verdict.startswith("No clear difference after starting Atorvastatin")


@pytest.mark.parametrize(("after", "enough"), [(9, False), (10, True)])
def test_a_ratio_needs_10_logged_nights_each_side(after, enough):
    statin = Medication(name="Atorvastatin", started_on=CHANGE)
    (change,) = compare(statin, records([*range(-28, 0), *range(after)], cramps=(0, -5)))
    assert change.comparison.enough_data is enough
    assert stats.MIN_NIGHTS_PER_GROUP == 10
    if enough:
        assert change.not_enough == "" and change.comparison.risk_ratio is not None
    else:
        assert change.not_enough == "not enough nights (28 before, 9 after; needs 10 each)"
        assert change.verdict == ""


def test_an_after_window_still_running_says_how_many_nights_have_passed():
    statin = Medication(name="Atorvastatin", started_on=CHANGE)
    (change,) = compare(statin, records(range(-28, 5)), latest=day(4))
    assert (change.nights_since, change.after_complete, change.nights_after) == (5, False, 5)
    (change,) = compare(statin, records(range(-28, 28)), latest=day(27))
    assert change.after_complete
    # A start entered ahead, the night after the latest: no night since, not one.
    (change,) = compare(statin, records(range(-28, -1)), latest=day(-1))
    assert (change.nights_since, change.nights_after) == (0, 0)


def test_changes_outside_the_range_are_left_out():
    statin = Medication(name="Atorvastatin", started_on=CHANGE, stopped_on=day(9))
    assert medication_changes.changes_between([statin], day(1), day(9)) == []
    (stop,) = medication_changes.changes_between([statin], day(1), day(10))
    assert (stop.change, stop.on) == ("stopped", day(10))
    # A change on the range's first night is inside it.
    (start,) = medication_changes.changes_between([statin], CHANGE, day(9))
    assert (start.change, start.on) == ("started", CHANGE)


def test_the_nights_loaded_cover_every_window_and_stop_at_the_latest_night():
    statin = Medication(name="Atorvastatin", started_on=CHANGE, stopped_on=day(49))
    changes = medication_changes.changes_between([statin], day(-400), day(400))
    assert medication_changes.window_span(changes, LATEST) == (day(-28), LATEST)
    assert medication_changes.window_span(changes, day(500)) == (day(-28), day(50 + 27))
    assert medication_changes.window_span([], LATEST) is None


# --- On the pages -------------------------------------------------------------------------


def log_nights(user, offsets, cramps=()):
    for offset in offsets:
        night = Night.objects.create(user=user, date=day(offset))
        if offset in cramps:
            CrampEpisode.objects.create(night=night, started_at=london(night.date, 23))


@pytest.fixture
def statin_journal(alice, freeze_now):
    """A statin started on 5 January; nights from 40 before to 40 after, cramps at the edges."""
    freeze_now(london(date(2026, 3, 20), 9))
    Medication.objects.create(
        user=alice, name="Atorvastatin", drug_class="statin", started_on=CHANGE
    )
    log_nights(alice, range(-40, 40), cramps=EDGES)
    return alice


@pytest.mark.django_db
def test_the_factor_page_uses_the_full_weeks_before_a_change_near_the_range_start(
    alice_client, statin_journal
):
    # "3 months" starts on 20 December: 16 of the 28 nights before the change fall inside it.
    response = alice_client.get(reverse("factor_analysis"), {"range": "3m"})
    assert response.context["start"] == date(2025, 12, 20)
    (change,) = response.context["changes"]
    assert (change.nights_before, change.cramp_nights_before) == (28, 2)
    assert (change.nights_after, change.cramp_nights_after) == (28, 2)
    html = html_of(response)
    assert "Started Atorvastatin on 5 Jan 2026" in html
    assert '<strong>2 of 28</strong> <span class="muted">logged nights had cramps (7%)' in html
    assert "Katz log method" in html and "Haldane–Anscombe" in html
    assert "it needs 10 logged nights on each side" in html
    assert '<strong>1.00</strong> <span class="muted">95% interval 0.15–6.61' in html
    assert "No clear difference after starting Atorvastatin" in html


@pytest.mark.django_db
def test_the_factor_page_says_when_there_are_not_enough_nights_or_the_weeks_are_not_over(
    alice_client, alice, freeze_now
):
    freeze_now(london(day(5), 9))  # the current night is the 5th after the change (offset 4)
    Medication.objects.create(user=alice, name="Magnesium", started_on=CHANGE)
    log_nights(alice, range(-28, 5), cramps=(1,))
    html = html_of(alice_client.get(reverse("factor_analysis")))
    assert "Not enough nights (28 before, 5 after; needs 10 each)" in html
    assert "only 5 nights since" in html


@pytest.mark.django_db
def test_the_summary_page_and_pdf_show_the_change_with_its_nights_and_ratio(
    alice_client, statin_journal
):
    response = alice_client.get(reverse("summary"), {"months": 3})
    summary = response.context["summary"]
    assert summary.start == date(2025, 12, 20)
    (change,) = summary.changes
    assert (change.nights_before, change.nights_after) == (28, 28)
    html = html_of(response)
    assert "Atorvastatin started 5 Jan 2026" in html
    assert "2 of 28 logged" in html and "1.00 (0.15–6.61)" in html
    assert "Katz log method" in html
    pdf = alice_client.get(reverse("summary_pdf"), {"months": 3}).content
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    text = " ".join(text.split())
    assert "Atorvastatin started 5 Jan 2026" in text
    assert "2 of 28 logged" in text and "1.00 (0.15–6.61)" in text
    assert "Katz log method" in text


@pytest.mark.django_db
def test_the_summary_counts_the_weeks_after_a_change_beyond_its_range(alice, freeze_now):
    freeze_now(london(date(2026, 3, 20), 9))
    Medication.objects.create(user=alice, name="Atorvastatin", started_on=CHANGE)
    log_nights(alice, range(-40, 40), cramps=EDGES)
    summary = build_summary(alice, day(-10), day(3), london(date(2026, 3, 20), 9))
    (change,) = summary.changes
    assert (change.nights_before, change.nights_after) == (28, 28)
    assert (change.cramp_nights_before, change.cramp_nights_after) == (2, 2)
