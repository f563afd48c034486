"""The review pages as a new user and early in a month meet them: the month calendar's days of
the months either side, the month the month page opens on, what a new journal's pages say
instead of empty charts, and the days list's nights with cramps."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from journal import stats
from journal.analysis import buckets, factors, periods
from journal.models import CrampEpisode, Night
from tests.conftest import html_of, london

pytestmark = pytest.mark.django_db


def log(user, day: date, cramps: int = 0, pain: int | None = None) -> None:
    night = Night.objects.create(user=user, date=day)
    for minute in range(cramps):
        CrampEpisode.objects.create(night=night, started_at=london(day, 23, minute), pain=pain)


def log_days(user, first: date, count: int, cramps: int = 0) -> None:
    for offset in range(count):
        log(user, first + timedelta(days=offset), cramps)


def signed_in(client, user, freeze_now, morning: date):
    freeze_now(london(morning, 9))  # the last night is the one before `morning`
    client.force_login(user)
    return client


# --- The month calendar: the days of the months either side ---------------------------------


def test_the_calendar_shows_the_neighbouring_months_days_as_logged(client, alice, bob, freeze_now):
    # December 2026's calendar runs from Monday 30 November to Sunday 3 January.
    log(alice, date(2026, 11, 29), cramps=4)  # before the calendar: never counted
    log(alice, date(2026, 11, 30), cramps=2, pain=9)
    log(alice, date(2026, 12, 1), cramps=1)
    log(alice, date(2026, 12, 2))
    log(alice, date(2027, 1, 1))
    log(alice, date(2027, 1, 2), cramps=3)
    log(bob, date(2027, 1, 3), cramps=1)  # someone else's night, in the calendar's last week
    html = html_of(
        signed_in(client, alice, freeze_now, date(2027, 1, 10)).get(
            reverse("month_of", args=[2026, 12])
        )
    )
    assert 'aria-label="Monday 30 November: 2 cramps, pain above 7"' in html
    assert 'aria-label="Friday 1 January: no cramps"' in html
    assert 'aria-label="Saturday 2 January: 3 cramps"' in html
    assert 'aria-label="Sunday 3 January: not logged"' in html
    cell = re.search(r'<td class="([^"]*)">\s*<a href="/days/2027-01-02/"', html)
    assert cell and cell.group(1) == "cramps-3 outside"
    # The month's own figures count only December's nights.
    assert "2 nights logged, 1 with cramps, 1 cramp in all." in html


def test_the_calendar_spans_whole_weeks_from_monday_to_sunday():
    assert buckets.calendar_span(date(2026, 12, 1)) == (date(2026, 11, 30), date(2027, 1, 3))
    assert buckets.calendar_span(date(2027, 2, 1)) == (date(2027, 2, 1), date(2027, 2, 28))
    assert periods.too_few_nights(3) and not periods.too_few_nights(4)


def test_the_calendar_of_the_current_month_leaves_the_days_to_come_blank(client, alice, freeze_now):
    log(alice, date(2026, 11, 30), cramps=1)
    log(alice, date(2026, 12, 9))
    response = signed_in(client, alice, freeze_now, date(2026, 12, 10)).get(reverse("month"))
    cells = {cell.date: cell for week in response.context["calendar"] for cell in week}
    assert cells[date(2026, 11, 30)].cramps == 1 and not cells[date(2026, 11, 30)].in_month
    assert cells[date(2027, 1, 3)].future and cells[date(2027, 1, 3)].level == "future"


# --- Early in a month, the month page opens on the month just ended -------------------------


def test_the_opening_month_rule():
    november = [date(2026, 11, 1) + timedelta(days=n) for n in range(30)]

    def opening(last_night: date, logged: list[date]) -> date:
        return periods.opening_month(last_night, logged)

    december = [date(2026, 12, day) for day in range(1, 8)]
    assert opening(date(2026, 12, 1), november) == date(2026, 11, 1)
    assert opening(date(2026, 12, 3), november + december[:3]) == date(2026, 11, 1)
    assert opening(date(2026, 12, 4), november + december[:4]) == date(2026, 12, 1)  # 4 logged
    assert opening(date(2026, 12, 7), november + december[:3]) == date(2026, 11, 1)  # 7th night
    assert opening(date(2026, 12, 8), november + december[:3]) == date(2026, 12, 1)  # week over
    assert opening(date(2026, 12, 3), december[:3]) == date(2026, 12, 1)  # nothing in November
    assert opening(date(2026, 11, 30), november) == date(2026, 11, 1)  # still November's night
    assert opening(date(2027, 1, 2), [date(2026, 12, 31)]) == date(2026, 12, 1)
    # Nights after the last one (or before the month just ended) do not count.
    assert opening(date(2026, 12, 2), [date(2026, 10, 31), *december]) == date(2026, 12, 1)
    assert opening(date(2026, 12, 2), [date(2026, 10, 31)]) == date(2026, 12, 1)
    # The month just ended runs from its first night to the night before this month's first.
    assert opening(date(2026, 12, 2), [date(2026, 11, 1)]) == date(2026, 11, 1)
    assert opening(date(2026, 12, 2), [date(2026, 12, 1)]) == date(2026, 12, 1)
    assert periods.min_nights(periods.WEEK) == 4


NOVEMBER, DECEMBER, JANUARY = date(2026, 11, 1), date(2026, 12, 1), date(2027, 1, 1)


@pytest.mark.parametrize(
    ("morning", "logged", "opens_on", "so_far"),
    [
        (
            date(2026, 12, 2),
            [(NOVEMBER, 20), (DECEMBER, 1)],
            "November",
            "December so far: 1 night",
        ),
        (
            date(2026, 12, 4),
            [(NOVEMBER, 20), (DECEMBER, 3)],
            "November",
            "December so far: 3 nights",
        ),
        (date(2026, 12, 5), [(NOVEMBER, 20), (DECEMBER, 4)], "December", None),  # a week's worth
        (
            date(2026, 12, 8),
            [(NOVEMBER, 20), (DECEMBER, 2)],
            "November",
            "December so far: 2 nights",
        ),
        (date(2026, 12, 9), [(NOVEMBER, 20), (DECEMBER, 2)], "December", None),  # week 1 is over
        (date(2027, 1, 3), [(DECEMBER, 20), (JANUARY, 2)], "December", "January so far: 2 nights"),
        (date(2026, 12, 1), [(NOVEMBER, 20)], "November", None),  # last night was November's
    ],
)
def test_the_month_page_opens_on_the_month_just_ended_early_in_a_month(
    client, alice, freeze_now, morning, logged, opens_on, so_far
):
    for first, count in logged:
        log_days(alice, first, count, cramps=1)
    html = html_of(signed_in(client, alice, freeze_now, morning).get(reverse("month")))
    assert re.search(f"<h1>{opens_on} 202[67]</h1>", html)
    if so_far:
        new_month = logged[-1][0]
        link = reverse("month_of", args=[new_month.year, new_month.month])
        assert f'<a href="{link}">{so_far}</a>' in html
        assert "has only just begun" in html and "a week’s figures rest on 4" in html
    else:
        assert "has only just begun" not in html


def test_the_new_month_asked_for_is_shown_whatever_the_date(client, alice, freeze_now):
    log_days(alice, date(2026, 11, 1), 30, cramps=1)
    log(alice, date(2026, 12, 1), cramps=5)
    browser = signed_in(client, alice, freeze_now, date(2026, 12, 2))
    html = html_of(browser.get(reverse("month_of", args=[2026, 12])))
    assert "<h1>December 2026</h1>" in html
    assert "So far: 1 night logged, 1 with cramps, 5 cramps in all." in html
    assert "has only just begun" not in html
    # The month just ended, opened on its own, is a whole month: no "so far".
    november = html_of(browser.get(reverse("month")))
    assert "<h1>November 2026</h1>" in november
    assert "30 nights logged, 30 with cramps, 30 cramps in all." in november
    assert 'rel="next">December →</a>' in november


def test_a_journal_begun_this_month_opens_on_it(client, alice, freeze_now):
    log_days(alice, date(2026, 12, 1), 2)
    html = html_of(signed_in(client, alice, freeze_now, date(2026, 12, 3)).get(reverse("month")))
    assert "<h1>December 2026</h1>" in html
    assert "has only just begun" not in html


# --- A new journal: what to do instead of empty charts --------------------------------------

WEEK_NEEDS = periods.min_nights(periods.WEEK)
GROUP_NEEDS = stats.MIN_NIGHTS_PER_GROUP


def getting_started(html: str) -> bool:
    return "Log a few nights first" in html


@pytest.mark.parametrize("name", ["trends", "month", "factor_analysis", "summary"])
def test_a_new_journal_says_to_log_a_few_nights_first(client, alice, freeze_now, name):
    html = html_of(signed_in(client, alice, freeze_now, date(2026, 12, 10)).get(reverse(name)))
    assert getting_started(html)
    assert "No nights logged yet" in html
    assert f'href="{reverse("checkin")}">Check in for last night</a>' in html
    assert f'href="{reverse("home")}">Log a cramp</a>' in html
    needs = {
        "trends": f"once a week has {WEEK_NEEDS} of its 7 nights logged",
        "month": f"a week’s on {WEEK_NEEDS} of its 7",
        "factor_analysis": f"at least {GROUP_NEEDS} nights with it and {GROUP_NEEDS} without, "
        f"so {2 * GROUP_NEEDS} nights at the very least",
        "summary": f"{GROUP_NEEDS} nights with a factor and {GROUP_NEEDS} without",
    }
    assert needs[name] in html
    assert factors.FEWEST_NIGHTS == 2 * GROUP_NEEDS


def test_trends_draws_no_chart_until_a_week_could_have_a_figure(client, alice, freeze_now):
    browser = signed_in(client, alice, freeze_now, date(2026, 12, 10))
    log_days(alice, date(2026, 12, 1), WEEK_NEEDS - 1, cramps=1)
    html = html_of(browser.get(reverse("trends")))
    assert getting_started(html) and "3 nights logged so far in this range." in html
    assert "chart-svg" not in html
    log(alice, date(2026, 12, 8))
    html = html_of(browser.get(reverse("trends")))
    assert not getting_started(html)
    assert html.count("chart-svg-wide") == 7


def test_the_factor_page_waits_for_the_fewest_nights_a_comparison_can_rest_on(
    client, alice, freeze_now
):
    browser = signed_in(client, alice, freeze_now, date(2026, 12, 31))
    log_days(alice, date(2026, 12, 1), 2 * GROUP_NEEDS - 1)
    html = html_of(browser.get(reverse("factor_analysis")))
    assert getting_started(html) and "19 nights logged so far in this range." in html
    assert "Every factor, clearest first" not in html
    log(alice, date(2026, 12, 20))
    html = html_of(browser.get(reverse("factor_analysis")))
    assert not getting_started(html) and "Every factor, clearest first" in html


def test_the_month_and_summary_pages_keep_their_figures_from_a_weeks_worth_of_nights(
    client, alice, freeze_now
):
    browser = signed_in(client, alice, freeze_now, date(2026, 12, 20))
    log_days(alice, date(2026, 12, 10), WEEK_NEEDS - 1)
    for name in ("month", "summary"):
        html = html_of(browser.get(reverse(name)))
        assert getting_started(html) and "3 nights logged so far" in html, name
    assert "The month in numbers" not in html_of(browser.get(reverse("month")))
    log(alice, date(2026, 12, 15))
    for name in ("month", "summary"):
        assert not getting_started(html_of(browser.get(reverse(name)))), name
    assert "The month in numbers" in html_of(browser.get(reverse("month")))


def test_an_old_month_with_nothing_in_it_does_not_tell_a_user_to_start(client, alice, freeze_now):
    log_days(alice, date(2026, 11, 1), 30)
    html = html_of(
        signed_in(client, alice, freeze_now, date(2026, 12, 20)).get(
            reverse("month_of", args=[2025, 1])
        )
    )
    assert not getting_started(html) and "Nothing logged this month yet." in html


# --- The days list --------------------------------------------------------------------------


def test_nights_with_cramps_stand_out_in_the_days_list_in_words_and_shape(
    client, alice, freeze_now
):
    log(alice, date(2026, 12, 8), cramps=2)
    log(alice, date(2026, 12, 7))
    html = html_of(
        signed_in(client, alice, freeze_now, date(2026, 12, 10)).get(reverse("day_list"))
    )
    rows = {
        day: state
        for state, day in re.findall(
            r'<li class="day-row ([a-z-]+)">\s*<a href="/days/([\d-]+)/"', html
        )
    }
    assert rows["2026-12-08"] == "day-cramps"
    assert rows["2026-12-07"] == "day-no-cramps"
    assert rows["2026-12-06"] == "day-not-logged"
    assert html.count('class="day-state cramp-badge">') == 1
    assert '<strong class="day-state cramp-badge">2 cramps</strong>' in html
    assert '<span class="day-state">No cramps</span>' in html
    assert '<span class="day-state">Not logged</span>' in html
