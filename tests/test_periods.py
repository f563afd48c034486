"""Thin and unfinished periods, and one meaning for a range: the rule in
journal.analysis.periods, the weeks and months of the trend charts, and the pages that show them.

The dates are those of the issue: on the morning of Wednesday 2 December 2026 the last night is
Tuesday 1 December, the last 3 months are 2 September to 1 December, and the current week began
on Monday 30 November.
"""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from django.urls import reverse

from journal import charts
from journal.analysis import buckets, periods
from journal.analysis.loading import EpisodeRecord, NightRecord
from journal.models import CrampEpisode, Medication, Night, ShareLink
from tests.conftest import html_of, london

LAST_NIGHT = date(2026, 12, 1)
MORNING = london(date(2026, 12, 2), 9)


def record(day: date, cramps: int = 0) -> NightRecord:
    return NightRecord(day, cramps, None, None, None)


def cramp(day: date) -> EpisodeRecord:
    return EpisodeRecord(day, london(day, 23), 60, 5, "", "", True, None, ())


def filled(start: date, end: date, logged: list[date], *, weekly: bool = True, cramps: int = 0):
    """The buckets from `start` to `end`, with `cramps` cramps on each of the `logged` nights."""
    return buckets.fill_buckets(
        buckets.buckets(start, end, weekly=weekly),
        [record(day, cramps) for day in logged],
        [cramp(day) for day in logged for _ in range(cramps)],
    )


def days(first: date, count: int) -> list[date]:
    return [first + timedelta(days=offset) for offset in range(count)]


# --- The rule -----------------------------------------------------------------------------


def test_enough_nights_is_half_the_whole_period_rounded_up():
    # A week, months of 28, 29, 30 and 31 nights, and the twelve months before a month.
    lengths = (7, 28, 29, 30, 31, 365, 366)
    assert [periods.min_nights(length) for length in lengths] == [4, 14, 15, 15, 16, 183, 183]


def test_a_week_with_two_nights_so_far_is_thin_and_unfinished():
    previous, current = filled(date(2026, 11, 23), LAST_NIGHT, days(date(2026, 11, 23), 9))
    assert (current.start, current.end, current.period_end) == (
        date(2026, 11, 30),
        LAST_NIGHT,
        date(2026, 12, 6),
    )
    assert current.unfinished and not current.enough_nights and current.provisional
    assert current.nights_text == "2 of 2 nights logged so far; too few (a week needs 4)"
    assert current.notes == ("2 nights so far", "2 so far", "2")
    assert not previous.unfinished and previous.enough_nights and not previous.provisional
    assert previous.nights_text == "7 of 7 nights logged"
    assert previous.notes == ("7 nights", "7")


@pytest.mark.parametrize(
    ("start", "end", "logged", "enough"),
    [
        # A week (Monday 23 to Sunday 29 November) needs 4 logged nights.
        (date(2026, 11, 23), date(2026, 11, 29), 3, False),
        (date(2026, 11, 23), date(2026, 11, 29), 4, True),
        # November has 30 nights and needs 15; October has 31 and needs 16.
        (date(2026, 11, 1), date(2026, 11, 30), 14, False),
        (date(2026, 11, 1), date(2026, 11, 30), 15, True),
        (date(2026, 10, 1), date(2026, 10, 31), 15, False),
        (date(2026, 10, 1), date(2026, 10, 31), 16, True),
    ],
)
def test_a_bucket_at_the_minimum_rests_on_enough_nights_and_one_below_does_not(
    start, end, logged, enough
):
    (bucket,) = filled(start, end, days(start, logged), weekly=(end - start).days < 7)
    assert bucket.enough_nights is enough
    assert bucket.provisional is not enough  # a whole period: only thinness makes it so
    assert ("too few" in bucket.nights_text) is not enough


def test_a_bucket_cut_by_the_range_start_is_held_to_its_whole_week():
    # The range begins on Wednesday 2 September: its first week has 5 nights in the range,
    # and 3 logged of those 5 is more than half of them but fewer than a week needs.
    start, end = date(2026, 9, 2), date(2026, 9, 13)
    thin, _ = filled(start, end, days(start, 3))
    assert (thin.start, thin.nights_in_range, thin.length) == (start, 5, 7)
    assert not thin.enough_nights and thin.provisional and not thin.unfinished
    assert thin.label == "2 Sep"
    enough, _ = filled(start, end, days(start, 4))
    assert enough.enough_nights and not enough.provisional
    assert enough.nights_text == "4 of 5 nights logged, from 2 Sep"


def test_an_unfinished_week_with_enough_nights_is_still_drawn_as_so_far():
    (bucket,) = filled(date(2026, 11, 30), date(2026, 12, 3), days(date(2026, 11, 30), 4))
    assert bucket.enough_nights and bucket.unfinished and bucket.provisional
    assert bucket.nights_text == "4 of 4 nights logged so far"


# --- The chart of cramps per week ---------------------------------------------------------


def test_the_cramps_per_week_chart_marks_the_thin_week_and_keeps_it_off_the_axis():
    # Three whole weeks with a cramp every night (7 a week), then 30 November and 1 December
    # with 5 cramps each: 35 a week from 2 nights so far.
    weeks = filled(date(2026, 11, 9), date(2026, 11, 29), days(date(2026, 11, 9), 21), cramps=1)
    current = filled(date(2026, 11, 30), LAST_NIGHT, days(date(2026, 11, 30), 2), cramps=5)
    chart = buckets.cramps_per_week_chart([*weeks, *current], [])
    *whole, last = chart.bars
    assert [bar.value for bar in chart.bars] == [7, 7, 7, 35]
    assert not any(bar.provisional or bar.cut for bar in whole)
    assert last.provisional and last.cut  # hatched, and cut at the top of the axis
    assert chart.y_ticks[-1].label == "8.0"  # the axis is for the weeks with enough nights
    assert chart.cut_bars_text.endswith("30 Nov, 35.0 cramps a week.")
    assert "Hatched: a week with fewer than 4 of its 7 nights logged, or not over yet." in (
        chart.key
    )
    assert [note.text for note in chart.notes_under] == ["2 nights so far"]  # only that one
    assert [row.detail for row in chart.table_rows] == [
        "7 of 7 nights logged",
        "7 of 7 nights logged",
        "7 of 7 nights logged",
        "2 of 2 nights logged so far; too few (a week needs 4)",
    ]
    # The summary writes the nights under every bar: a printed page has no table.
    printed = buckets.cramps_per_week_chart([*weeks, *current], [], notes_under_every_bar=True)
    assert [note.text for note in printed.notes_under] == [
        "7 nights",
        "7 nights",
        "7 nights",
        "2 nights so far",
    ]


def test_line_charts_leave_provisional_weeks_off_the_line():
    weeks = filled(date(2026, 11, 2), LAST_NIGHT, [*days(date(2026, 11, 2), 14), LAST_NIGHT])
    # 2-8 and 9-15 November whole, 16-22 and 23-29 not logged, 30 November so far.
    chart = buckets.trend_line_chart(weeks, lambda s: s.nights_logged, [], **LINE)
    assert [[point.label for point in segment] for segment in chart.line] == [["2 Nov", "9 Nov"]]
    assert [point.label for point in chart.hollow] == ["30 Nov"]
    assert "A hollow dot, off the line" in chart.key
    assert chart.table_rows[-1].detail == "1 of 2 nights logged so far; too few (a week needs 4)"


LINE = {"title": "Nights", "description": "Nights logged.", "y_label": "nights"}


# --- Ranges -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("last_night", "months", "start"),
    [
        (LAST_NIGHT, 3, date(2026, 9, 2)),
        (LAST_NIGHT, 1, date(2026, 11, 2)),
        (LAST_NIGHT, 12, date(2025, 12, 2)),
        (date(2026, 3, 31), 1, date(2026, 3, 1)),  # no 31 February: from the 1st of March
    ],
)
def test_the_last_months_are_the_nights_after_the_same_date(last_night, months, start):
    assert periods.range_ending(last_night, months) == (start, last_night)


def test_completeness_counts_from_the_journals_first_night_when_it_is_later():
    began = periods.night_range(LAST_NIGHT, 3, journal_start=date(2026, 10, 3))
    assert (began.start, began.counted_from, began.nights) == (
        date(2026, 9, 2),
        date(2026, 10, 3),
        60,  # 29 nights of October, 30 of November, 1 of December
    )
    assert began.completeness(52) == (
        "Since the journal began on 3 Oct 2026: 52 of 60 nights logged (87%)"
    )
    older = periods.night_range(LAST_NIGHT, 3, journal_start=date(2025, 1, 1))
    assert older.completeness(52) == "52 of 91 nights logged (57%)"
    assert periods.night_range(LAST_NIGHT, 12, None).completeness(364) == (
        "364 of 365 nights logged (99%)"  # never 100% while a night is missing
    )
    assert periods.night_range(LAST_NIGHT, None, date(2026, 10, 3)).start == date(2026, 10, 3)


# --- Pages --------------------------------------------------------------------------------


def log_nights(user, nights: list[date], cramps_each: int = 0) -> None:
    made = Night.objects.bulk_create([Night(user=user, date=day) for day in nights])
    CrampEpisode.objects.bulk_create(
        CrampEpisode(night=night, started_at=london(night.date, 23, minute))
        for night in made
        for minute in range(cramps_each)
    )


@pytest.fixture
def a_year_then_one_night(alice, alice_client, freeze_now):
    """Every night of the year to 30 November logged with one cramp; 1 December with five."""
    freeze_now(MORNING)
    log_nights(alice, days(date(2025, 12, 1), 365), cramps_each=1)
    log_nights(alice, [LAST_NIGHT], cramps_each=5)
    return alice_client


@pytest.mark.django_db
def test_the_month_page_on_the_2nd_compares_nothing_and_says_so_far(a_year_then_one_night):
    html = html_of(a_year_then_one_night.get(reverse("month_of", args=[2026, 12])))
    assert "So far: 1 night logged, 1 with cramps, 5 cramps in all." in html
    assert "Too few nights so far to compare with other months" in html
    assert "5 cramps in 1 night" in html  # not "35.0 a week"
    assert "35.0" not in html
    assert "than last month" not in html and "than usual" not in html
    assert "about the same" not in html


@pytest.mark.django_db
def test_the_month_page_compares_once_half_the_month_is_logged(
    a_year_then_one_night, alice, freeze_now
):
    # By 17 December, 16 of December's 31 nights are logged: enough to compare.
    freeze_now(london(date(2026, 12, 17), 13))
    a_year_then_one_night.force_login(alice)  # a new session: the old one has gone idle
    log_nights(alice, days(date(2026, 12, 2), 15))
    html = html_of(a_year_then_one_night.get(reverse("month")))
    assert "So far: 16 nights logged" in html
    assert "Too few nights" not in html
    assert "than last month" in html and "than usual" in html
    # One night fewer, and the month has too few again.
    Night.objects.filter(user=alice, date=date(2026, 12, 16)).delete()
    html = html_of(a_year_then_one_night.get(reverse("month")))
    assert "Too few nights so far to compare" in html
    assert "than last month" not in html


@pytest.mark.django_db
def test_a_month_is_not_compared_with_a_thin_month_before_or_a_thin_usual(
    alice, alice_client, freeze_now
):
    # November wholly logged; October 15 of 31 nights (it needs 16); nothing before.
    freeze_now(MORNING)
    log_nights(alice, days(date(2026, 10, 1), 15), cramps_each=2)
    log_nights(alice, days(date(2026, 11, 1), 30), cramps_each=1)
    html = html_of(alice_client.get(reverse("month_of", args=[2026, 11])))
    assert "October has too few logged nights to compare with: 15 of 31, and it takes 16." in (html)
    assert "No comparison with your usual yet" in html
    assert "than last month" not in html and "than usual" not in html


@pytest.fixture
def august_to_december(alice, alice_client, freeze_now):
    """Every night from 1 August to 1 December logged, a cramp on each."""
    freeze_now(MORNING)
    log_nights(alice, days(date(2026, 8, 1), 123), cramps_each=1)
    assert Night.objects.filter(user=alice).latest("date").date == LAST_NIGHT
    return alice_client


@pytest.mark.django_db
def test_three_months_are_the_same_nights_on_every_page(august_to_december):
    client = august_to_december
    three_months = (date(2026, 9, 2), LAST_NIGHT)  # 91 nights
    trends = client.get(reverse("trends"), {"range": "3m"}).context
    assert (trends["start"], trends["end"]) == three_months
    assert trends["completeness"] == "91 of 91 nights logged (100%)"
    per_week = trends["charts"][0]["drawings"].wide
    assert per_week.table_rows[0].detail == "5 of 5 nights logged, from 2 Sep"
    factors = client.get(reverse("factor_analysis"), {"range": "3m"}).context
    assert (factors["start"], factors["end"], factors["nights_logged"]) == (*three_months, 91)
    summary = client.get(reverse("summary"), {"months": 3}).context["summary"]
    assert (summary.start, summary.end, summary.key.nights_logged) == (*three_months, 91)
    client.post(reverse("share_create"), {"months": 3, "days": 7})
    link = ShareLink.objects.get()
    assert (link.start, link.end) == three_months


@pytest.mark.django_db
def test_pages_count_completeness_from_the_first_night_and_chart_nothing_before_it(
    alice, alice_client, freeze_now
):
    # The journal began on Saturday 3 October: 52 of the 60 nights since are logged.
    freeze_now(MORNING)
    log_nights(
        alice,
        [day for day in days(date(2026, 10, 3), 60) if not (day.month == 11 and day.day <= 8)],
    )
    assert Night.objects.filter(user=alice).count() == 52
    words = "Since the journal began on 3 Oct 2026: 52 of 60 nights logged (87%)"
    trends = alice_client.get(reverse("trends"), {"range": "3m"})
    assert words in html_of(trends)
    weekly = trends.context["charts"][0]["drawings"].wide
    assert weekly.table_rows[0].label == "3 Oct"  # no empty September weeks before it
    assert weekly.table_rows[0].detail == (
        "2 of 2 nights logged, from 3 Oct; too few (a week needs 4)"
    )
    summary = alice_client.get(reverse("summary"), {"months": 3})
    assert words in html_of(summary)
    monthly = summary.context["summary"].trend
    assert [row.label for row in monthly.table_rows] == ["Oct 2026", "Nov 2026", "Dec 2026"]
    assert monthly.table_rows[0].detail == "29 of 29 nights logged, from 3 Oct"


# --- The month in words -------------------------------------------------------------------


def period_summary(nights_logged: int = 20, **values) -> periods.PeriodSummary:
    """A month's numbers, each a round value unless given."""
    rounded = periods.PeriodSummary(
        nights_logged=nights_logged,
        cramp_nights=0,
        cramps=0,
        cramps_per_week=None,
        share_cramp_nights=None,
        median_duration_seconds=None,
        longest_duration_seconds=None,
        cramps_with_length=0,
        median_pain=None,
        cramps_with_pain=0,
        muscles=[],
        sides=[],
        nights_woken=0,
        median_minutes_back_to_sleep=None,
        cramps_with_back_to_sleep=0,
        mean_efficiency_pct=None,
        mean_total_sleep_min=None,
        nights_with_sleep=0,
        relief=[],
    )
    return replace(rounded, **values)


def month(nights_logged: int = 20, **values) -> periods.Period:
    return periods.Period(period_summary(nights_logged, **values), length=30)


def test_each_row_of_the_month_reads_its_own_figure_in_its_own_words():
    current = month(
        cramps_per_week=3.0,
        share_cramp_nights=0.5,
        median_duration_seconds=90,
        longest_duration_seconds=600,
        median_pain=6,
        nights_woken=5,
        median_minutes_back_to_sleep=12,
        mean_efficiency_pct=85.0,
        mean_total_sleep_min=420,
    )
    previous = month(
        cramps_per_week=2.0,
        share_cramp_nights=0.75,
        median_duration_seconds=120,
        longest_duration_seconds=300,
        median_pain=4,
        nights_woken=10,
        median_minutes_back_to_sleep=20,
        mean_efficiency_pct=70.0,
        mean_total_sleep_min=300,
    )
    usual = periods.Period(
        period_summary(
            200,
            cramps_per_week=4.0,
            share_cramp_nights=0.25,
            median_duration_seconds=60,
            longest_duration_seconds=1200,
            median_pain=8,
            nights_woken=20,
            median_minutes_back_to_sleep=6,
            mean_efficiency_pct=95.0,
            mean_total_sleep_min=480,
        ),
        length=365,
    )
    rows = [
        (row.label, row.value, row.value_text, row.vs_previous, row.vs_usual)
        for row in periods.period_metrics(current, previous, usual)
    ]
    assert rows == [
        ("Cramps per week", 3.0, "3.0 a week", "more than last month", "fewer than usual"),
        ("Nights with cramps", 0.5, "50%", "fewer than last month", "more than usual"),
        ("Median length", 90, "1 min 30 s", "shorter than last month", "longer than usual"),
        ("Longest", 600, "10 min", "longer than last month", "shorter than usual"),
        ("Median pain", 6, "6/10", "higher than last month", "lower than usual"),
        (
            "Nights woken by a cramp",
            0.25,
            "25%",
            "fewer than last month",
            "more than usual",
        ),
        (
            "Median time to fall back asleep",
            12,
            "12 min",
            "shorter than last month",
            "longer than usual",
        ),
        ("Sleep efficiency", 85.0, "85%", "higher than last month", "lower than usual"),
        ("Total sleep", 420, "7 h", "longer than last month", "shorter than usual"),
    ]


def test_a_thin_month_gives_its_counts_and_a_missing_figure_says_no_data():
    thin = month(
        3,
        cramps=5,
        cramp_nights=2,
        cramps_per_week=5 / 3 * 7,
        share_cramp_nights=2 / 3,
        nights_woken=1,
        median_duration_seconds=75,
    )
    full = month(median_duration_seconds=75, median_pain=5)
    rows = {row.label: row for row in periods.period_metrics(thin, full, full)}
    assert rows["Cramps per week"].value_text == "5 cramps in 3 nights"
    assert rows["Nights with cramps"].value_text == "2 of 3"
    assert rows["Nights woken by a cramp"].value_text == "1 of 3"
    assert rows["Median length"].value_text == "1 min 15 s"  # a length is not scaled: as is
    assert rows["Median pain"].value_text == "no data"
    assert all(row.vs_previous == row.vs_usual == "" for row in rows.values())
    # A full month with a figure missing on one side compares nothing on that row.
    rows = {row.label: row for row in periods.period_metrics(full, full, full)}
    assert rows["Median length"].vs_previous == "about the same as last month"
    assert rows["Cramps per week"].value_text == "no data"
    assert rows["Cramps per week"].vs_previous == rows["Cramps per week"].vs_usual == ""


@pytest.mark.parametrize(
    ("value", "reference", "words"),
    [
        (11, 10, "about the same"),  # exactly 10% more: still the same
        (9, 10, "about the same"),
        (11.01, 10, "more"),
        (8.99, 10, "less"),
        (0, 0, "about the same"),
        (0.05, 0, "more"),  # one night in twenty against none is more, however small
        (None, 10, ""),
        (10, None, ""),
    ],
)
def test_compare_words_says_the_same_within_a_tenth(value, reference, words):
    assert periods.compare_words(value, reference, more="more", less="less") == words


# --- What the trend charts say ------------------------------------------------------------


@pytest.fixture
def november_by_week():
    """Four whole weeks from Monday 2 November, a cramp a night, 16 to 20 November not logged."""
    logged = [day for day in days(date(2026, 11, 2), 28) if not 16 <= day.day <= 20]
    return filled(date(2026, 11, 2), date(2026, 11, 29), logged, cramps=1)


MEDICATIONS = [
    Medication(name="Ramipril", started_on=date(2026, 11, 2)),  # on the first night
    Medication(name="Atorvastatin", started_on=date(2026, 11, 10), stopped_on=date(2026, 11, 28)),
    Medication(name="Quinine", started_on=date(2026, 11, 30)),  # after the last night
]


def test_the_cramps_per_week_chart_by_week_says_what_it_draws(november_by_week):
    chart = buckets.cramps_per_week_chart(november_by_week, MEDICATIONS)
    assert chart.width == charts.WIDE
    phone = buckets.cramps_per_week_chart(november_by_week, MEDICATIONS, width=charts.NARROW)
    assert phone.width == charts.NARROW  # the summary's and trends' drawing for a phone
    assert chart.title == "Cramps per week"
    assert chart.description == (
        "Cramps per week of logged nights, by week, with medication starts and stops marked."
    )
    assert chart.key == (
        "Hatched: a week with fewer than 4 of its 7 nights logged, or not over yet. "
        "The number under a hatched bar is how many nights it rests on."
    )
    assert (chart.detail_heading, chart.y_label, chart.height) == (
        "Nights logged",
        "cramps a week",
        260,
    )
    assert [(row.label, row.value_text, row.detail, row.note) for row in chart.table_rows] == [
        ("2 Nov", "7.0", "7 of 7 nights logged", "Ramipril started"),
        ("9 Nov", "7.0", "7 of 7 nights logged", "Atorvastatin started"),
        ("16 Nov", "7.0", "2 of 7 nights logged; too few (a week needs 4)", ""),
        # The last day taken is the 28th: the stop shows on the 29th, the last night drawn.
        ("23 Nov", "7.0", "7 of 7 nights logged", "Atorvastatin stopped"),
    ]
    assert len(chart.notes_under) == 1  # only under the hatched bar
    everywhere = buckets.cramps_per_week_chart(
        november_by_week, MEDICATIONS, notes_under_every_bar=True, height=300
    )
    assert everywhere.key.endswith("The number under each bar is how many nights it rests on.")
    assert (len(everywhere.notes_under), everywhere.height) == (4, 300)


def test_the_cramps_per_week_chart_by_month_says_month():
    november = filled(
        date(2026, 10, 1), date(2026, 11, 30), days(date(2026, 11, 1), 10), weekly=False, cramps=2
    )
    chart = buckets.cramps_per_week_chart(november, [])
    assert chart.description == (
        "Cramps per week of logged nights, by month, with medication starts and stops marked."
    )
    assert chart.key.startswith(
        "Hatched: a month with fewer than half its nights logged, or not over yet."
    )
    assert [(row.label, row.value_text, row.detail) for row in chart.table_rows] == [
        ("Oct 2026", "no data", "0 of 31 nights logged; too few (October needs 16)"),
        ("Nov 2026", "14.0", "10 of 30 nights logged; too few (November needs 15)"),
    ]
    assert buckets.cramps_per_week_chart([], []).key == ""
    whole_weeks = filled(date(2026, 11, 2), date(2026, 11, 29), days(date(2026, 11, 2), 28))
    assert buckets.cramps_per_week_chart(whole_weeks, []).key == ""  # nothing hatched


def test_a_trend_line_explains_its_hollow_dots_and_keeps_its_markers(november_by_week):
    chart = buckets.trend_line_chart(
        november_by_week,
        lambda summary: summary.cramps_per_week,
        [(1, "Atorvastatin started")],
        title="Cramps",
        description="Cramps per week.",
        y_label="cramps",
    )
    assert chart.key == (
        "A hollow dot, off the line: a week with fewer than 4 of its 7 nights logged, "
        "or not over yet."
    )
    assert chart.detail_heading == "Nights logged"
    assert [row.note for row in chart.table_rows] == ["", "Atorvastatin started", "", ""]
    assert not chart.notes_under
