"""The summary's log: nights with cramps in full, the other nights counted week by week, and
the PDF that a clinician reads: page 1 as it was, no page left nearly blank, fewer pages."""

import io
import re
from datetime import date

import pypdf
import pytest
from django.urls import reverse

from journal import demo
from journal import summary as doctor_summary
from journal.analysis import loading, periods
from journal.models import CrampEpisode, Night, User
from tests.conftest import london
from tests.test_summary import TODAY, journal  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def test_weeks_fold_quiet_nights_into_counts_worked_by_hand(journal):  # noqa: F811
    # The fixture's journal begins on Sunday 1 March; cramps on 2, 5, 9 and 12 March; nights
    # 1-6 and 9-12 logged. The range is 20 Feb to 19 Mar, counted from 1 March.
    summary = doctor_summary.build_summary(
        journal, date(2026, 2, 20), date(2026, 3, 19), london(TODAY, 9)
    )
    weeks = [(week.label, week.counts) for week in summary.log]
    assert weeks == [
        ("Week of 23 Feb 2026, from 1 Mar", "1 quiet night"),
        ("Week of 2 Mar 2026", "2 nights with cramps, 3 quiet nights, 2 not logged"),
        ("Week of 9 Mar 2026", "2 nights with cramps, 2 quiet nights, 3 not logged"),
        ("Week of 16 Mar 2026, to 19 Mar", "4 not logged"),
    ]
    cramp_nights = [
        (night.date.day, len(night.episodes)) for week in summary.log for night in week.cramp_nights
    ]
    assert cramp_nights == [(2, 1), (5, 2), (9, 1), (12, 2)]


def test_a_week_inside_the_range_counts_all_seven_nights():
    first, last = date(2026, 3, 2), date(2026, 3, 15)  # Monday 2 to Sunday 15 March
    night = loading.NightRecord(date(2026, 3, 10), 1, 5, None, None, None, None, None)
    episode = loading.EpisodeRecord(
        date(2026, 3, 10), london(date(2026, 3, 10), 23), 60, 5, "calf", "left", True, None, ()
    )
    quiet = loading.NightRecord(date(2026, 3, 11), 0, None, None, None, None, None, None)
    weeks = doctor_summary.log_weeks(first, last, [night, quiet], [episode])
    assert [week.label for week in weeks] == ["Week of 2 Mar 2026", "Week of 9 Mar 2026"]
    assert [(week.quiet_nights, week.not_logged) for week in weeks] == [(0, 7), (1, 5)]
    assert weeks[0].counts == "7 not logged"
    assert weeks[1].cramp_nights == [doctor_summary.CrampNight(night.date, night, [episode])]


def pdf_pages(response) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def test_the_pdf_log_lists_cramp_nights_in_full_and_counts_the_rest(alice_client, journal):  # noqa: F811
    pages = pdf_pages(alice_client.get(reverse("summary_pdf"), {"months": 1}))
    text = " ".join(pages)
    log = text[text.index("The log, week by week") :]
    assert "Week of 2 Mar 2026: 2 nights with cramps, 3 quiet nights, 2 not logged" in log
    assert "Week of 16 Mar 2026, to 19 Mar: 4 not logged" in log
    # Each cramp on a line: the night, when, how long, the pain, where, and the night's sleep.
    assert "Thu 5 Mar 23:30 2 min 6 Calf (left)" in log
    assert "23:30 5 min 8 Calf (left)" in log
    for quiet in ("Sun 1 Mar", "Tue 3 Mar", "Wed 4 Mar", "Fri 6 Mar", "Tue 10 Mar"):
        assert quiet not in log


@pytest.fixture
def demo_user(freeze_now):
    """Four months of the demo journal, the clock stopped the morning after its last night."""
    freeze_now(london(TODAY, 9))
    return User.objects.get(email=demo.seed_demo(months=4)[0].email)


def test_three_months_of_demo_data_fill_fewer_pages_with_page_one_as_it_was(client, demo_user):
    client.force_login(demo_user)
    pages = pdf_pages(client.get(reverse("summary_pdf"), {"months": 3}))
    # Before the weekly folding this range took 6 pages: page 1, a page 2 with only the
    # red-flag answers and what was tried, and a night-by-night appendix of 4 pages.
    assert len(pages) <= 4
    first = pages[0]
    headings = [
        "Night-time leg cramps: patient summary",
        "Key numbers",
        "Sleep (averages of",
        "Cramps per week",
        "Medications and supplements",
        "★ Classes associated with cramps",
    ]
    assert all(heading in first for heading in headings)
    assert "The log, week by week" not in first and "Week of" not in first
    # No page but the last is left nearly blank.
    for page in pages[1:-1]:
        assert len(page) > 2000, page[:200]
    start, end = periods.range_ending(demo_user.night_of(london(TODAY, 9)), 3)
    nights = Night.objects.for_user(demo_user).filter(date__range=(start, end))
    text = " ".join(pages)
    log = text[text.index("The log, week by week") :]
    log = re.sub(r"Generated \d+ \w+ \d{4}, \d\d:\d\d", "", log)  # the pages' footers
    for night in nights.filter(episodes__isnull=False).distinct():
        assert night.date.strftime("%a %-d %b") in log
    cramps = CrampEpisode.objects.filter(night__in=nights).count()
    assert len(re.findall(r"\b\d\d:\d\d\b", log)) == cramps
    counted = sum(
        int(number)
        for number in re.findall(r"(\d+) (?:nights? with cramps|quiet nights?|not logged)", log)
    )
    assert counted == (end - start).days + 1  # every night of the range, once
