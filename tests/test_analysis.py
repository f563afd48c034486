"""Summaries, calendar, trends and factor analysis, checked by hand and against planted effects."""

import dataclasses
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from journal import demo
from journal.analysis import buckets, factors, loading, periods
from journal.analysis.loading import EpisodeRecord, NightRecord
from journal.models import CrampEpisode, CustomFactor, DayFactors, Medication, Night, User
from tests.conftest import london


def night(day: int, cramps: int = 0, *, sleep: int | None = None, eff: float | None = None):
    return NightRecord(date(2026, 3, day), cramps, None, sleep, eff)


def episode(
    day: int, *, seconds=None, pain=None, muscle="", side="", woke=True, back=None, relief=()
):
    return EpisodeRecord(
        date(2026, 3, day),
        datetime(2026, 3, day, 23, tzinfo=UTC),
        seconds,
        pain,
        muscle,
        side,
        woke,
        back,
        tuple(relief),
    )


def test_summary_worked_by_hand():
    # 7 logged nights, cramps on 3 of them (1 + 2 + 1 = 4 cramps).
    nights = [
        night(1, 1, sleep=400, eff=80),
        night(2),
        night(3, 2, sleep=350, eff=70),
        night(4),
        night(5),
        night(6, 1),
        night(7),
    ]
    episodes = [
        episode(
            1,
            seconds=60,
            pain=4,
            muscle="calf",
            side="left",
            back=10,
            relief=["relieved_by_stretching"],
        ),
        episode(
            3,
            seconds=120,
            pain=8,
            muscle="calf",
            side="right",
            woke=False,
            relief=["relieved_by_stretching", "relieved_by_walking"],
        ),
        episode(3, seconds=300, pain=6, muscle="foot", side="left", back=30),
        episode(6, pain=5, back=20, relief=["relieved_by_walking"]),
    ]
    summary = periods.summarize(nights, episodes)
    assert (summary.nights_logged, summary.cramp_nights, summary.cramps) == (7, 3, 4)
    assert summary.cramps_per_week == pytest.approx(4 / 7 * 7)  # 4 cramps in 7 nights = 4 a week
    assert summary.share_cramp_nights == pytest.approx(3 / 7)
    assert summary.median_duration_seconds == 120  # of 60, 120, 300
    assert summary.longest_duration_seconds == 300
    assert summary.median_pain == 5.5  # of 4, 5, 6, 8
    assert summary.muscles == [("Calf", 2), ("Foot or arch", 1)]
    assert summary.sides == [("Left", 2), ("Right", 1)]
    assert summary.nights_woken == 3  # nights 1, 3 (its second cramp) and 6
    assert summary.median_minutes_back_to_sleep == 20  # of 10, 30, 20
    assert summary.mean_efficiency_pct == 75  # (80 + 70) / 2, nights without a diary left out
    assert summary.mean_total_sleep_min == 375
    # What each figure rests on: 3 cramps timed, 4 with a pain score, 3 with a time back to
    # sleep, 2 nights with a sleep diary.
    assert (summary.cramps_with_length, summary.cramps_with_pain) == (3, 4)
    assert (summary.cramps_with_back_to_sleep, summary.nights_with_sleep) == (3, 2)
    relief = {row.label: (row.times_used, row.median_duration_seconds) for row in summary.relief}
    # stretching: 60 s and 120 s → median 90; walking: 120 s and one without a length → 120
    assert relief == {"Stretching": (2, 90), "Standing or walking": (2, 120)}


def test_nights_woken_counts_nights_not_cramps():
    # Two cramps woke you on the night of the 1st, one on the 2nd, none on the 3rd.
    nights = [night(1, 2), night(2, 2), night(3)]
    episodes = [episode(1), episode(1), episode(2), episode(2, woke=False)]
    assert periods.summarize(nights, episodes).nights_woken == 2


def test_an_empty_period_has_no_rates_rather_than_zero_rates():
    summary = periods.summarize([], [])
    assert summary.cramps_per_week is None
    assert summary.share_cramp_nights is None
    empty = periods.Period(summary, length=31)
    metrics = periods.period_metrics(empty, empty, empty)
    assert {row.value_text for row in metrics} == {"no data"}


@pytest.mark.parametrize(
    ("value", "reference", "words"),
    [(2.0, 4.0, "fewer"), (4.0, 2.0, "more"), (2.1, 2.0, "about the same"), (1.0, None, "")],
)
def test_comparison_words(value, reference, words):
    assert periods.compare_words(value, reference, more="more", less="fewer") == words


def test_month_metrics_compare_in_words():
    # Periods of 4 nights need 2 logged nights each (half, rounded up).
    current = periods.Period(
        periods.summarize([night(1, 1), night(2)], [episode(1, seconds=60)]), length=4
    )
    previous = periods.Period(
        periods.summarize([night(3, 1), night(4, 1)], [episode(3), episode(4)]), length=4
    )
    rows = {row.label: row for row in periods.period_metrics(current, previous, current)}
    assert rows["Cramps per week"].value_text == "3.5 a week"  # 1 cramp in 2 nights
    assert rows["Cramps per week"].vs_previous == "fewer than last month"  # 7 a week before
    assert rows["Cramps per week"].vs_usual == "about the same as usual"
    assert rows["Nights with cramps"].value_text == "50%"
    assert rows["Median length"].value_text == "1 min"


def test_the_calendar_tells_not_logged_from_no_cramps():
    march = date(2026, 3, 1)
    nights = [
        NightRecord(date(2026, 3, 2), 0, None, None, None),
        NightRecord(date(2026, 3, 3), 2, 9, None, None),
    ]
    weeks = buckets.month_calendar(march, nights, last_night=date(2026, 3, 10))
    cells = {cell.date: cell for week in weeks for cell in week}
    assert weeks[0][0].date == date(2026, 2, 23)  # Monday before 1 March 2026 (a Sunday)
    assert not weeks[0][0].in_month
    assert cells[date(2026, 3, 2)].level == "cramps-0"
    assert cells[date(2026, 3, 4)].level == "not-logged"
    assert cells[date(2026, 3, 3)].high_pain and cells[date(2026, 3, 3)].level == "cramps-2"
    assert cells[date(2026, 3, 3)].description == "Tuesday 3 March: 2 cramps, pain above 7"
    assert cells[date(2026, 3, 11)].future
    assert cells[date(2026, 3, 11)].level == "future"  # not yet a night, so not "not logged"


def test_buckets_are_mondays_or_months_cut_to_the_range_and_hold_their_nights():
    weeks = buckets.buckets(date(2026, 3, 4), date(2026, 3, 20), weekly=True)
    assert [b.period_start for b in weeks] == [
        date(2026, 3, 2),
        date(2026, 3, 9),
        date(2026, 3, 16),
    ]
    # The first week is cut to begin on Wednesday the 4th, the last to end on Friday the 20th.
    assert [(b.start, b.end) for b in weeks] == [
        (date(2026, 3, 4), date(2026, 3, 8)),
        (date(2026, 3, 9), date(2026, 3, 15)),
        (date(2026, 3, 16), date(2026, 3, 20)),
    ]
    assert [b.label for b in weeks] == ["4 Mar", "9 Mar", "16 Mar"]
    months = buckets.buckets(date(2025, 12, 15), date(2026, 2, 1), weekly=False)
    assert [b.label for b in months] == ["Dec 2025", "Jan 2026", "Feb 2026"]
    assert [b.nights_in_range for b in months] == [17, 31, 1]
    filled = buckets.fill_buckets(
        weeks, [night(3), night(8, 1), night(9), night(20, 2)], [episode(3), episode(8)]
    )
    assert [len(b.nights) for b in filled] == [1, 1, 1]  # the 3rd is outside the range
    assert [len(b.episodes) for b in filled] == [1, 0, 0]


@pytest.mark.django_db
def test_the_analysis_finds_the_planted_effects_and_nothing_else():
    """Ten years of demo data (fixed seed): planted factors claimed, null factors not."""
    call_command("seed_demo", months=120, seed=2026, stdout=StringIO())
    user = User.objects.get(email="demo@example.com")
    start, end = date(2000, 1, 1), date(2100, 1, 1)
    compared = factors.factors_for(
        user, list(CustomFactor.objects.for_user(user)), list(Medication.objects.for_user(user))
    )
    results = {
        r.factor.label: r
        for r in factors.factor_findings(
            loading.load_nights(user, start, end), loading.load_days(user, start, end), compared
        )
    }
    planted = [
        "Fluids under your daily target (2,000 ml)",
        "8 hours or more on your feet",
        f"Taking {demo.STATIN_NAME}",
    ]
    for label in planted:
        assert results[label].claimed and results[label].more_common_with_it, results[label]
    # Generated independently of cramps. (Hours sitting and magnesium are left out: the
    # demo's docstring explains why they look protective by construction.)
    for label in [
        "Any alcohol",
        "More caffeinated drinks than usual",
        "More exercise than usual",
        "Vigorous exercise",
        "Tight bedsheets",
        "Hours driving: more than usual",
    ]:
        assert results[label].adjusted_p is not None, label  # tested, and not claimed
        assert not results[label].claimed, (label, results[label])
    strongest = list(results)[:3]
    assert set(strongest) == set(planted)  # ordered by p-value


@pytest.mark.django_db
def test_not_enough_data_says_how_many_more_nights(alice):
    for offset in range(12):
        day = date(2026, 3, 1) + timedelta(days=offset)
        Night.objects.create(user=alice, date=day)
        DayFactors.objects.create(
            user=alice, date=day, alcohol_units=Decimal(2 if offset < 3 else 0)
        )
    days = loading.load_days(alice, date(2026, 1, 1), date(2026, 12, 31))
    nights = loading.load_nights(alice, date(2026, 1, 1), date(2026, 12, 31))
    alcohol = next(
        r
        for r in factors.factor_findings(nights, days, factors.factors_for(alice, [], []))
        if r.factor.key == "alcohol"
    )
    assert alcohol.comparison.risk_ratio is None
    assert (alcohol.adjusted_p, alcohol.claimed, alcohol.chance_text) == (None, False, "")
    assert alcohol.verdict == "Not enough data yet: 7 more nights with and 1 more night without."
    assert alcohol.adjusted_p_text == ""
    two_more = dataclasses.replace(alcohol.comparison, more_needed_with=2, more_needed_without=0)
    assert dataclasses.replace(alcohol, comparison=two_more).verdict == (
        "Not enough data yet: 2 more nights with."
    )


@pytest.mark.django_db
def test_fluid_restricted_users_get_no_fluid_target_comparison(alice):
    alice.fluid_restricted = True
    compared = factors.factors_for(alice, [], [])
    assert "fluids_under_target" not in {factor.key for factor in compared}


# --- Pages --------------------------------------------------------------------------------


@pytest.fixture
def march(alice_client, alice, freeze_now):
    freeze_now(london(date(2026, 3, 20), 9))
    return alice_client


def add_nights(user, first: date, count: int):
    for offset in range(count):
        n = Night.objects.create(user=user, date=first - timedelta(days=offset))
        if offset % 3 == 0:
            CrampEpisode.objects.create(
                night=n,
                started_at=london(n.date, 23),
                duration_seconds=90,
                pain=8 if offset % 2 else 3,
            )


@pytest.mark.django_db
def test_month_page(march, alice):
    add_nights(alice, date(2026, 3, 10), 5)
    response = march.get(reverse("month"))
    html = response.content.decode()
    assert "<h1>March 2026</h1>" in html
    assert 'aria-label="Tuesday 10 March: 1 cramp"' in html
    assert 'aria-label="Monday 9 March: no cramps"' in html
    assert 'aria-label="Wednesday 11 March: not logged"' in html
    assert "So far: 5 nights logged, 2 with cramps, 2 cramps in all." in html
    assert response.context["next"] is None  # no month after the current one


@pytest.mark.django_db
def test_the_month_page_says_where_in_words(march, alice):
    for day, side in [(2, "both"), (3, "both"), (4, "left")]:
        night = Night.objects.create(user=alice, date=date(2026, 3, day))
        CrampEpisode.objects.create(
            night=night, started_at=london(night.date, 23), side=side, muscle="calf"
        )
    Night.objects.create(user=alice, date=date(2026, 3, 5))  # past a new journal's few nights
    html = march.get(reverse("month")).content.decode()
    assert "<li>Both sides: 2</li>" in html and "<li>Left side: 1</li>" in html
    assert "<li>Calf: 3</li>" in html


@pytest.mark.django_db
def test_month_picker_and_bad_months(march):
    assert march.get(reverse("month"), {"month": "2026-01"})["Location"] == "/month/2026/1/"
    assert march.get("/month/2026/13/").status_code == 404
    assert march.get("/month/2026/4/").status_code == 404  # not begun yet
    assert march.get("/month/2025/12/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("range_key", ["3m", "6m", "1y", "all", "nonsense"])
def test_trends_page_draws_every_chart_with_a_table(march, alice, range_key):
    add_nights(alice, date(2026, 3, 10), 40)
    Medication.objects.create(user=alice, name="Atorvastatin", started_on=date(2026, 2, 20))
    html = march.get(reverse("trends"), {"range": range_key}).content.decode()
    assert html.count('role="img"') == 14  # each drawn for a wide screen and for a phone
    assert html.count("chart-svg-wide") == html.count("chart-svg-narrow") == 7
    assert html.count("Show as a table") == 7
    assert "Atorvastatin started" in html


@pytest.mark.django_db
def test_factor_page_labels_associations_and_not_enough_data(march, alice):
    add_nights(alice, date(2026, 3, 10), 20)  # enough to be compared, but no factor recorded
    html = march.get(reverse("factor_analysis")).content.decode()
    assert "associations in your own journal, not causes" in html
    assert "Not enough data yet" in html


@pytest.mark.django_db
# Each page: session and user; then its own reads; then the session save (savepoint, update,
# release). month: nights, cramps, and the nine reads of the tips panel. trends: first
# logged night, nights, cramps, medications, hours of night. factor_analysis: first logged
# night, nights, exercise, custom values, days, medications, custom factors, and the nights
# of the four weeks around each medication change (one load for them all).
@pytest.mark.parametrize(
    ("name", "budget"), [("month", 16), ("trends", 10), ("factor_analysis", 13)]
)
def test_review_pages_query_counts_do_not_grow_with_history(
    march, alice, django_assert_num_queries, name, budget
):
    CustomFactor.objects.create(user=alice, name="Bananas")
    # Started inside both journals' range, so the factor page loads its before/after nights
    # both times (without a change in the range it needs no query for them).
    Medication.objects.create(user=alice, name="Atorvastatin", started_on=date(2026, 2, 20))
    add_nights(alice, date(2026, 3, 10), 30)
    with django_assert_num_queries(budget):
        march.get(reverse(name))
    add_nights(alice, date(2025, 12, 1), 300)
    with django_assert_num_queries(budget):
        march.get(reverse(name))


@pytest.mark.django_db
def test_review_pages_show_only_the_users_own_nights(client, alice, bob, freeze_now):
    freeze_now(london(date(2026, 3, 20), 9))
    add_nights(alice, date(2026, 3, 10), 20)
    client.force_login(bob)
    assert client.get(reverse("month")).context["summary"].nights_logged == 0
    assert client.get(reverse("factor_analysis")).context["nights_logged"] == 0
    trends = client.get(reverse("trends")).context
    assert trends["nights_logged"] == 0 and trends["charts"] == []  # "log a few nights first"
