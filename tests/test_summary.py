"""The doctor summary: its numbers, the PDF read back, the empty range, and share links."""

import io
import re
from datetime import date, timedelta

import pypdf
import pytest
from django.test import Client
from django.urls import reverse

from journal import summary as doctor_summary
from journal.analysis import loading, periods
from journal.models import (
    RED_FLAG_QUESTIONS,
    ChecklistAnswer,
    CrampEpisode,
    DayFactors,
    Medication,
    Night,
    RedFlagChecklist,
    ShareAccess,
    ShareLink,
)
from journal.nights import local_moment
from tests.conftest import london

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 20)  # the current night is the 19th; "last month" is 20 Feb to 19 Mar


@pytest.fixture
def journal(alice, freeze_now):
    """Ten logged nights in the last month: cramps on four of them, six cramps in all."""
    freeze_now(london(TODAY, 9, 0))
    alice.first_name, alice.date_of_birth = "Alice Example", date(1950, 6, 1)
    alice.save()
    cramps = {
        date(2026, 3, 2): [(60, 4)],
        date(2026, 3, 5): [(120, 6), (300, 8)],
        date(2026, 3, 9): [(90, 5)],
        date(2026, 3, 12): [(30, 3), (700, 9)],
    }
    for day_of_march in (1, 2, 3, 4, 5, 6, 9, 10, 11, 12):
        day = date(2026, 3, day_of_march)
        night = Night.objects.create(user=alice, date=day)
        for seconds, pain in cramps.get(day, []):
            CrampEpisode.objects.create(
                night=night,
                started_at=london(day, 23, 30),
                duration_seconds=seconds,
                pain=pain,
                muscle="calf",
                side="left",
                relieved_by_stretching=True,
            )
    Medication.objects.create(
        user=alice,
        name="Atorvastatin",
        drug_class="statin",
        started_on=date(2026, 3, 3),
        dose=20,
        dose_unit="mg",
    )
    Medication.objects.create(
        user=alice, name="Old pill", started_on=date(2020, 1, 1), stopped_on=date(2021, 1, 1)
    )
    return alice


def nights_in(alice):
    return sorted(Night.objects.for_user(alice).values_list("date", flat=True))


def test_summary_numbers_worked_by_hand(journal):
    start, end = periods.range_ending(date(2026, 3, 19), 1)
    assert (start, end) == (date(2026, 2, 20), date(2026, 3, 19))
    summary = doctor_summary.build_summary(journal, start, end, london(TODAY, 9))
    # 20 Feb to 19 Mar 2026, counted from 1 March, when the journal began: 19 nights.
    assert (summary.nights.counted_from, summary.nights.nights) == (date(2026, 3, 1), 19)
    assert summary.completeness == (
        "Since the journal began on 1 Mar 2026: 10 of 19 nights logged (53%)"
    )
    assert summary.enough_nights  # 10 of 19: at least half
    assert summary.key.nights_logged == 10
    assert summary.key.nights_woken == 4  # 6 cramps woke the patient, on 4 nights
    assert summary.key.cramp_nights == 4 and summary.key.cramps == 6
    assert summary.key.cramps_per_week == pytest.approx(6 / 10 * 7)  # 4.2
    assert summary.key.median_duration_seconds == 105  # of 30, 60, 90, 120, 300, 700
    assert summary.key.longest_duration_seconds == 700
    assert summary.key.median_pain == 5.5  # of 3, 4, 5, 6, 8, 9
    # Only medications taken during the range, the cramp-linked class flagged.
    assert [(line.medication.name, line.linked_to_cramps) for line in summary.medications] == [
        ("Atorvastatin", True)
    ]


def record(day: int, sleep=None, quality=None):
    """A night record of March 2026; `sleep` is (total sleep, efficiency, latency, awake)."""
    total, efficiency, latency, awake = sleep or (None, None, None, None)
    return loading.NightRecord(
        date(2026, 3, day), 0, None, total, efficiency, latency, awake, quality
    )


def test_sleep_averages_worked_by_hand():
    averages = doctor_summary.sleep_averages(
        [
            record(1, (400, 80.0, 10, 30), quality=4),
            record(2, (300, 60.0, 40, 0)),
            record(3, quality=2),  # no sleep diary, but rated
            record(4, (0, None, 0, 0)),  # a diary with no time in bed: efficiency not computable
        ]
    )
    assert averages.nights == 3  # nights 1, 2 and 4 have a diary
    assert averages.efficiency_nights == 2
    assert averages.total_sleep_min == pytest.approx((400 + 300 + 0) / 3)
    assert averages.efficiency_pct == pytest.approx((80 + 60) / 2)  # not (80 + 60 + 0) / 3
    assert averages.latency_min == pytest.approx((10 + 40 + 0) / 3)
    assert averages.awake_min == pytest.approx((30 + 0 + 0) / 3)
    assert averages.quality == pytest.approx((4 + 2) / 2)  # every rated night


def test_sleep_averages_of_no_diary_are_none_and_say_so(alice_client, journal):
    averages = doctor_summary.sleep_averages([record(3, quality=2)])
    assert (averages.nights, averages.total_sleep_min, averages.efficiency_pct) == (0, None, None)
    page = alice_client.get(reverse("summary"), {"months": 1}).content.decode()
    assert "averages of 0 nights with a sleep diary" in page
    assert "No sleep diary in this range." in page


def diary(day: date, into_bed, tried, final, out, latency, awake, quality=None) -> None:
    """Add a sleep diary to the logged night of `day` (times are (hour, minute), the ones
    before noon on the next morning)."""

    def at(clock):
        return london(day if clock[0] >= 12 else day + timedelta(days=1), *clock)

    Night.objects.filter(date=day).update(
        into_bed=at(into_bed),
        tried_to_sleep=at(tried),
        final_awakening=at(final),
        out_of_bed=at(out),
        sleep_latency_min=latency,
        awake_after_onset_min=awake,
        quality=quality,
    )


def test_the_summary_shows_each_sleep_average_under_its_own_name(alice_client, journal):
    # 22:00-06:20 in bed (500 min), asleep 22:00-06:00 less 10 and 30: 440 min, 88.0%.
    diary(date(2026, 3, 1), (22, 0), (22, 0), (6, 0), (6, 20), 10, 30, quality=4)
    # 23:00-07:00 in bed (480 min), asleep 23:00-06:00 less 40: 380 min, 79.2%.
    diary(date(2026, 3, 2), (23, 0), (23, 0), (6, 0), (7, 0), 40, 0)
    # All four times 23:00 (a night with cramps): no time in bed, so no efficiency.
    diary(date(2026, 3, 5), (23, 0), (23, 0), (23, 0), (23, 0), 0, 0)
    Night.objects.filter(date=date(2026, 3, 4)).update(quality=2)
    page = alice_client.get(reverse("summary"), {"months": 1}).content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "Sleep (averages of 3 nights with a sleep diary)" in text
    assert "Total sleep 4 h 33 min" in text  # (440 + 380 + 0) / 3 = 273.3
    # (88.0 + 79.2) / 2 = 83.6, over the two nights with time in bed.
    assert "Sleep efficiency 84% (2 nights with time in bed)" in text
    assert "Time to fall asleep 17 min" in text  # (10 + 40 + 0) / 3 = 16.7
    assert "Awake in the night 10 min" in text  # (30 + 0 + 0) / 3
    assert "Quality (1 very poor – 5 very good) 3.0" in text  # (4 + 2) / 2
    # The log: each night with cramps with its own sleep, and "not computable" rather than 0%;
    # the quiet night of 1 March is only counted.
    assert "6 h 20 min, 79%" in text and "7 h 20 min, 88%" not in text
    assert "0 min, efficiency not computable" in text


def pdf_text(response) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    return [page.extract_text() for page in reader.pages]


def test_the_pdf_reads_back_with_the_key_numbers_on_page_one(alice_client, journal):
    answers = dict.fromkeys(RED_FLAG_QUESTIONS, ChecklistAnswer.NO) | {"numbness": "yes"}
    RedFlagChecklist.objects.create(user=journal, answered_on=date(2026, 3, 10), **answers)
    response = alice_client.get(reverse("summary_pdf"), {"months": 1})
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="cramp-summary-2026-02-20-to-2026-03-19.pdf"'
    )
    assert "no-store" in response["Cache-Control"]
    pages = [" ".join(page.split()) for page in pdf_text(response)]
    first = pages[0]
    assert "Alice Example" in first and "born 1 June 1950" in first
    assert "Since the journal began on 1 Mar 2026: 10 of 19 nights logged (53%)" in first
    assert "Patient-reported journal, not diagnostic" in first
    assert "4.2" in first  # cramps per week
    assert "4 of 10 (40%)" in first  # nights with cramps
    assert "1 min 45 s" in first and "11 min 40 s" in first  # median and longest length
    assert "Atorvastatin" in first and "class linked to cramps" in first
    assert "Cramps per week" in first  # the trend chart
    assert "Old pill" not in "".join(pages)
    text = "".join(pages)
    assert "Answered on 10 March 2026" in text
    assert "numbness, tingling or pins and needles in your legs or feet? Yes" in " ".join(
        text.split()
    )
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        assert "Nights of 20 Feb 2026 to 19 Mar 2026" in page
    log = text[text.index("The log, week by week") :]
    for day in nights_in(journal):
        with_cramps = CrampEpisode.objects.filter(night__date=day).exists()
        assert (day.strftime("%a %-d %b") in log) == with_cramps  # quiet nights are counted
    assert log.count("23:30") == 6  # one row per cramp


def test_the_pdf_says_what_each_number_and_bar_rests_on(alice_client, journal):
    pages = pdf_text(alice_client.get(reverse("summary_pdf"), {"months": 1}))
    text = " ".join(" ".join(pages).split())
    # pypdf reads the key numbers' values first, in order, then their labels and bases.
    assert "4.2 4 of 10 (40%) 6 1 min 45 s 11 min 40 s 5.5 4 of 10 not recorded" in text
    assert "Nights woken by a cramp logged nights" in text  # 4 of 10: nights, not 6 cramps
    assert "6 cramps in 10 logged nights" in text  # under cramps per week
    assert "of 6 cramps timed" in text and "of 6 cramps scored" in text
    # The weekly trend: 1 March alone (the journal's first night, a Sunday), 2-8 March with
    # 5 nights logged, 9-15 March with 4, and 16-19 March with none so far (a cross).
    assert "1 night 5 nights 4 nights" in text
    assert text.count("cramps a week") == 1  # the chart printed once: the phone's drawing is not
    assert "Hatched: a week with fewer than 4 of its 7 nights logged, or not over yet." in text
    assert "The number under each bar is how many nights it rests on." in text


def test_an_empty_range_gives_a_clear_page(alice_client, alice, freeze_now):
    freeze_now(london(TODAY, 9))
    response = alice_client.get(reverse("summary_pdf"), {"months": 3})
    pages = pdf_text(response)
    assert len(pages) == 1
    assert "No nights were logged between" in pages[0]
    assert "No nights were logged between" in alice_client.get(reverse("summary")).content.decode()


def test_the_summary_page_and_print_view(alice_client, journal):
    page = alice_client.get(reverse("summary"), {"months": 1}).content.decode()
    assert "Download PDF" in page and "4 of 10 (40%)" in page
    printable = alice_client.get(reverse("summary_print"), {"months": 1}).content.decode()
    assert "css/summary.css" in printable and 'class="site-header"' not in printable
    # An unknown range falls back to the default three months.
    assert alice_client.get(reverse("summary"), {"months": "7"}).context["months"] == 3


def test_the_pdf_fetches_nothing():
    with pytest.raises(ValueError, match="does not fetch"):
        doctor_summary.NoFetching().fetch("https://example.org/tracker.png")
    pdf = doctor_summary.pdf_from_html('<p>x<img src="https://example.org/t.png"></p>', "")
    assert pdf.startswith(b"%PDF")


# --- Sharing ------------------------------------------------------------------------------


def create_link(client, months=1, days=30) -> ShareLink:
    client.post(reverse("share_create"), {"months": months, "days": days})
    return ShareLink.objects.latest("created_at")


def test_a_shared_link_shows_that_summary_to_anyone_and_records_each_use(alice_client, journal):
    link = create_link(alice_client)
    assert len(link.token) >= 43  # 256 random bits
    assert (link.start, link.end) == (date(2026, 2, 20), date(2026, 3, 19))
    alice_client.post(reverse("logout"))
    page = alice_client.get(link.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    assert "Alice Example" in html and "4 of 10 (40%)" in html
    assert "23:30" in html  # times in the patient's own time zone, though nobody is logged in
    assert 'class="site-header"' not in html  # no way into the rest of the journal
    assert "no-store" in page["Cache-Control"]
    pdf = alice_client.get(reverse("shared_summary_pdf", args=[link.token]))
    assert "4 of 10 (40%)" in pdf_text(pdf)[0]
    assert list(link.accesses.values_list("what", flat=True).order_by("accessed_at")) == [
        "page",
        "pdf",
    ]


def test_the_owner_sees_each_link_and_how_often_it_was_opened(alice_client, journal):
    link = create_link(alice_client)
    client = Client()  # a doctor's browser
    client.get(link.get_absolute_url())
    client.get(link.get_absolute_url())
    html = alice_client.get(reverse("summary")).content.decode()
    assert "opened 2 times" in html
    assert html.count("20 Mar 2026, 09:00: Page") == 2  # each visit listed
    assert link.token in html


def test_a_link_stops_working_when_it_expires(alice_client, journal, freeze_now):
    link = create_link(alice_client, days=7)
    client = Client()
    assert client.get(link.get_absolute_url()).status_code == 200
    freeze_now(london(TODAY + timedelta(days=7), 9, 1))
    assert client.get(link.get_absolute_url()).status_code == 404
    assert client.get(reverse("shared_summary_pdf", args=[link.token])).status_code == 404
    assert link.accesses.count() == 1  # a refused visit is not an access


def test_a_revoked_link_stops_working(alice_client, journal):
    link = create_link(alice_client)
    client = Client()
    response = alice_client.post(reverse("share_revoke", args=[link.pk]))
    assert response["Location"] == reverse("summary")
    assert client.get(link.get_absolute_url()).status_code == 404
    assert "Revoked" in alice_client.get(reverse("summary")).content.decode()


def test_links_never_show_another_range_or_user(alice_client, journal, bob):
    link = create_link(alice_client, months=1)
    client = Client()
    bob_night = Night.objects.create(user=bob, date=date(2026, 3, 10))
    CrampEpisode.objects.create(
        night=bob_night,
        started_at=local_moment(date(2026, 3, 10), london(TODAY, 9).time(), bob.tzinfo),
    )
    Night.objects.create(user=journal, date=date(2026, 1, 5))  # outside the shared range
    html = client.get(link.get_absolute_url()).content.decode()
    assert "10 of 28 nights logged" in html
    assert "Mon 5 Jan 2026" not in html
    assert client.get("/shared/not-a-real-token/").status_code == 404


def test_bob_cannot_revoke_or_see_alices_links(alice_client, journal, bob):
    link = create_link(alice_client)
    client = Client()
    client.force_login(bob)
    assert client.post(reverse("share_revoke", args=[link.pk])).status_code == 404
    assert link.token not in client.get(reverse("summary")).content.decode()
    link.refresh_from_db()
    assert link.revoked_at is None


def test_summary_pages_need_login_and_state_changes_need_post(alice_client, journal):
    client = Client()
    for name in ("summary", "summary_pdf", "summary_print"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert alice_client.get(reverse("share_create")).status_code == 405
    assert not ShareAccess.objects.exists()


def test_the_summary_runs_a_fixed_number_of_queries(
    alice_client, journal, django_assert_num_queries
):
    ShareLink.objects.create(
        user=journal, start=TODAY - timedelta(days=30), end=TODAY, expires_at=london(TODAY, 23)
    )
    # session, user; share links and their latest accesses; the journal's first night, nights,
    # cramps, medications, checklist, the nights around the medication change, the experiments
    # (none: tests/test_query_budgets.py has one); session save (3)
    with django_assert_num_queries(14):
        alice_client.get(reverse("summary"), {"months": 12})
    for offset in range(200):
        day = date(2025, 3, 1) + timedelta(days=offset)
        night = Night.objects.create(user=journal, date=day)
        CrampEpisode.objects.create(night=night, started_at=london(day, 23))
        DayFactors.objects.create(user=journal, date=day)
    with django_assert_num_queries(14):
        alice_client.get(reverse("summary"), {"months": 12})


def test_answers_given_the_morning_after_the_range_are_in_its_summary(alice_client, journal):
    answers = dict.fromkeys(RED_FLAG_QUESTIONS, ChecklistAnswer.NO) | {"swelling": "yes"}
    RedFlagChecklist.objects.create(user=journal, answered_on=TODAY, **answers)  # this morning
    summary = alice_client.get(reverse("summary"), {"months": 1}).context["summary"]
    assert summary.end == TODAY - timedelta(days=1)
    assert summary.checklist.answered_on == TODAY


def test_a_question_not_answered_reads_not_answered_never_no(alice_client, journal):
    RedFlagChecklist.objects.create(user=journal, answered_on=TODAY, swelling="no")
    html = " ".join(alice_client.get(reverse("summary"), {"months": 1}).content.decode().split())
    swelling, weakness = RED_FLAG_QUESTIONS["swelling"], RED_FLAG_QUESTIONS["weakness"]
    assert f"{swelling} <strong>No</strong>" in html
    assert f"{weakness} <strong>Not answered</strong>" in html
    assert html.count("<strong>Not answered</strong>") == len(RED_FLAG_QUESTIONS) - 1
