"""Journeys after the first night (test_logging_journey.py covers signing up, "cramp now" at 3 a.m.
and the check-in): the month and a trends chart, Learn and the red-flag checklist, the doctor
summary as a PDF, and the data exports. A phone in dark mode, with the clock frozen."""

import io
import json
import re
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from journal.models import CrampEpisode, Muscle, Night, RedFlagChecklist, Side, User
from tests.browser.support import MORNING, log_in
from tests.conftest import london

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-night-2026"


def navigate(page: Page, name: str) -> None:
    """Follow a link of the page header: a section of the main navigation, or Account."""
    link = page.get_by_role("banner").get_by_role("link", name=name, exact=True)
    link.click()
    expect(link).to_have_attribute("aria-current", "page")


def patient(freeze_now) -> User:
    """Sam: a week of logged nights up to the night of 4 March 2026, three cramps in it.

    Worked out by hand, the doctor summary of the last 3 months (5 December 2025 to 4 March
    2026), counted from the journal's first night, 26 February, shows: 7 of 7 nights logged
    (100%); 3 cramps in 7 nights, so 3.0 a week;
    cramps on 2 of 7 nights (29%); lengths 1 min, 2 min 30 s and 11 min 40 s, so a median of
    2 min 30 s and a longest of 11 min 40 s; pains 3, 6 and 8, so a median of 6; calf 2 and
    foot 1; left 1, right 1; 2 nights woken (a cramp wakes you unless you say otherwise),
    time back to sleep not recorded.
    """
    freeze_now(MORNING)
    user = User.objects.create_user(
        "sam@example.com",
        PASSWORD,
        time_zone="Europe/London",
        first_name="Sam",
        last_name="Walker",
    )
    nights = {
        day: Night.objects.create(user=user, date=day)
        for day in (date(2026, 2, 26) + timedelta(days=n) for n in range(7))
    }
    for night_date, hour, seconds, pain, muscle, side in [
        (date(2026, 2, 27), 2, 60, 3, Muscle.CALF, Side.LEFT),
        (date(2026, 2, 27), 4, 150, 6, Muscle.CALF, Side.RIGHT),
        (date(2026, 3, 2), 3, 700, 8, Muscle.FOOT, ""),
    ]:
        CrampEpisode.objects.create(
            night=nights[night_date],
            started_at=london(night_date + timedelta(days=1), hour),
            duration_seconds=seconds,
            pain=pain,
            muscle=muscle,
            side=side,
            relieved_by_stretching=True,
        )
    return user


def test_month_page_and_a_trends_chart(page: Page, live_server, demo_user):
    log_in(page.context, live_server, demo_user)
    page.goto(live_server.url)

    navigate(page, "Month")
    # On 5 March the new month has fewer than a week's figure of nights: Month opens on
    # February, with March a link away.
    expect(page.get_by_role("heading", level=1)).to_have_text("February 2026")
    page.get_by_role("link", name=re.compile(r"^March so far: \d nights?$")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("March 2026")
    page.get_by_role("link", name="← February").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("February 2026")

    february = Night.objects.filter(user=demo_user, date__month=2, date__year=2026)
    cramps = CrampEpisode.objects.filter(night__in=february)
    expect(page.get_by_role("region", name="The month in numbers")).to_contain_text(
        f"{february.count()} nights logged, "
        f"{february.filter(episodes__isnull=False).distinct().count()} with cramps, "
        f"{cramps.count()} cramps in all."
    )
    # The worst night of the month, found in the calendar by what a screen reader hears.
    worst = max(february, key=lambda night: (night.episodes.count(), night.date))
    count = worst.episodes.count()
    cell = page.get_by_role(
        "link", name=re.compile(f"^{worst.date:%A %-d %B}: {count} cramps?(, pain above 7)?$")
    )
    expect(cell).to_contain_text(str(count))
    cell.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Night of {worst.date:%A %-d %B %Y}")
    for episode in worst.episodes.all():
        local = episode.started_at.astimezone(demo_user.tzinfo)
        expect(page.get_by_text(f"{local:%H:%M}", exact=False).first).to_be_visible()

    navigate(page, "Trends")
    chart = page.get_by_role("img", name="Cramps per week")
    expect(chart).to_be_visible()
    expect(chart.locator("rect.chart-bar").first).to_be_attached()
    card = page.locator("section.chart-card").filter(has=chart)
    card.get_by_text("Show as a table").click()
    table = card.get_by_role("table", name="Cramps per week")
    expect(table).to_be_visible()
    expect(table.locator("tbody tr").first).to_be_visible()
    page.get_by_role("link", name="3 months").click()
    expect(page.get_by_role("link", name="3 months")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("img", name="Cramps per week")).to_be_visible()


def test_learn_then_the_red_flag_checklist_reaches_the_summary(page: Page, live_server, freeze_now):
    patient(freeze_now)
    # In the afternoon: the summary ends with the current night, which until noon is last night,
    # while the answers carry today's date, so answers given in the morning wait until noon.
    freeze_now(london(date(2026, 3, 5), 14, 0))
    page.goto(live_server.url + "/learn/")
    expect(page.get_by_role("heading", name="Learn about night leg cramps")).to_be_visible()
    page.get_by_role("link", name="Prevention").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Prevention")
    first_item = page.locator("article.card").first
    expect(first_item.locator(".badge")).to_contain_text("Evidence:")
    expect(first_item).to_contain_text("Sources:")

    # The checklist needs an account: the link asks to log in and comes back.
    page.get_by_role("link", name="Red-flag checklist").click()
    expect(page).to_have_url(re.compile(r"/login/\?next=/learn/checklist/"))
    page.get_by_label("Email address").fill("sam@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Red-flag checklist", level=1)).to_be_visible()

    form = page.locator("form.stack")
    questions = form.get_by_role("group")
    expect(questions.first).to_be_visible()
    for index in range(questions.count()):
        answer = "Yes" if index == 0 else "No"
        questions.nth(index).get_by_role("radio", name=answer, exact=True).check()
    page.get_by_role("button", name="Save answers").click()
    expect(page.get_by_text("Worth seeing a doctor.")).to_be_visible()
    assert RedFlagChecklist.objects.get().weakness == "yes"

    navigate(page, "Summary")
    expect(page.get_by_role("region", name="Red-flag questions")).to_contain_text(
        "Answered on 5 March 2026"
    )


def test_doctor_summary_pdf_download(page: Page, live_server, freeze_now):
    log_in(page.context, live_server, patient(freeze_now))
    page.goto(live_server.url)
    navigate(page, "Summary")
    expect(page.get_by_role("link", name="Last 3 months")).to_have_attribute("aria-current", "page")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").click()
    download = download_info.value
    assert download.suggested_filename == "cramp-summary-2025-12-05-to-2026-03-04.pdf"
    pdf = Path(download.path()).read_bytes()
    assert pdf.startswith(b"%PDF")

    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    text = re.sub(r"\s+", " ", text)
    for expected in [
        "Sam Walker",
        "Nights of 5 Dec 2025 to 4 Mar 2026",
        "Since the journal began on 26 Feb 2026: 7 of 7 nights logged (100%)",
        "Patient-reported journal, not diagnostic",
        "Calf 2, Foot or arch 1",
        "Left 1, Right 1",
        "Stretching 3 2 min 30 s",
    ]:
        assert expected in text, f"{expected!r} is not in the PDF's text: {text[:1500]}"
    # The key numbers come out of the PDF as their values in order, then their labels: cramps a
    # week, nights with cramps, cramps in all, median length, longest, median pain, nights woken
    # (of the logged nights); what each rests on comes later, with the labels.
    key_numbers = text.split("Key numbers ", 1)[1].split(" Calf", 1)[0]
    assert key_numbers == "3.0 2 of 7 (29%) 3 2 min 30 s 11 min 40 s 6.0 2 of 7 not recorded"
    for basis in ["3 cramps in 7 logged nights", "of 3 cramps timed", "of 3 cramps scored"]:
        assert basis in text, f"{basis!r} is not in the PDF's text"


def test_data_exports_ask_for_the_password_and_download(page: Page, live_server, freeze_now):
    log_in(page.context, live_server, patient(freeze_now))
    page.goto(live_server.url)
    navigate(page, "Account")
    page.get_by_role("link", name=re.compile("Download your journal")).click()
    expect(page.get_by_role("heading", name="Your data", level=1)).to_be_visible()

    backup = page.get_by_role("region", name="Complete backup (JSON)")
    backup.get_by_label("Your password").fill("not-my-password")
    backup.get_by_role("button", name="Download the backup (JSON)").click()
    backup = page.get_by_role("region", name="Complete backup (JSON)")
    summary = backup.get_by_role("alert")  # the error summary, with the focus
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(
        "Your password: That is not your password. Please try again."
    )
    expect(backup.locator(".errorlist")).to_have_text(
        "That is not your password. Please try again."
    )

    backup.get_by_label("Your password").fill(PASSWORD)
    with page.expect_download() as download_info:
        backup.get_by_role("button", name="Download the backup (JSON)").click()
    download = download_info.value
    assert download.suggested_filename == "cramp-journal-2026-03-05.json"
    journal = json.loads(Path(download.path()).read_text())
    assert journal["format"] == "cramp-journal"
    assert journal["account"]["email"] == "sam@example.com"
    episodes = [episode for night in journal["nights"] for episode in night["episodes"]]
    assert len(journal["nights"]) == 7
    assert sorted(episode["duration_seconds"] for episode in episodes) == [60, 150, 700]

    spreadsheets = page.get_by_role("region", name="Spreadsheet files (CSV)")
    spreadsheets.get_by_label("Your password").fill(PASSWORD)
    with page.expect_download() as download_info:
        spreadsheets.get_by_role("button", name=re.compile("Download the CSV files")).click()
    archive = zipfile.ZipFile(download_info.value.path())
    names = archive.namelist()
    assert "cramp-journal-2026-03-05/README.txt" in names
    cramps_csv = next(name for name in names if re.search(r"cramp|episode", name.split("/")[-1]))
    rows = archive.read(cramps_csv).decode("utf-8-sig").strip().splitlines()
    assert len(rows) == 1 + 3, rows
