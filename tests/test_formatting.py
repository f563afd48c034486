"""How lengths of time and sleep efficiency are written: one formatter, on every page and in
the PDF; a length never looks like a clock time, and efficiency without time in bed is "not
computable" everywhere (the exports leave it out)."""

import csv
import io
import json
import re
import zipfile
from datetime import date, time, timedelta
from decimal import Decimal

import pypdf
import pytest
from django.urls import reverse

from journal.formatting import (
    amount_text,
    efficiency_text,
    fluid_text,
    hours_text,
    minutes_text,
    number_text,
    seconds_text,
)
from journal.models import SLEEP_TIMES, CrampEpisode, Night
from journal.nights import local_moment
from tests.conftest import london

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (1, "1 s"),
        (45, "45 s"),
        (59.4, "59 s"),
        (59.5, "1 min"),  # to the nearest second, a half up
        (60, "1 min"),
        (81, "1 min 21 s"),
        (360, "6 min"),
        (700, "11 min 40 s"),
        (3599, "59 min 59 s"),
        (3600, "1 h"),
        (3900, "1 h 5 min"),  # from an hour on, to the minute
        (3929, "1 h 5 min"),
        (3930, "1 h 6 min"),
    ],
)
def test_seconds_text(seconds, text):
    assert seconds_text(seconds) == text


@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        (0, "0 min"),
        (12, "12 min"),
        (16.5, "17 min"),  # to the nearest minute, a half up
        (65, "1 h 5 min"),
        (420, "7 h"),
        (435, "7 h 15 min"),
        (-20, "−20 min"),
    ],
)
def test_minutes_text(minutes, text):
    assert minutes_text(minutes) == text


def test_efficiency_text():
    assert efficiency_text(80.6) == "80.6%"
    assert efficiency_text(80.0) == "80.0%"
    assert efficiency_text(83.5, 0) == "84%"  # a half up, as the other numbers
    assert efficiency_text(None) == "not computable"
    assert efficiency_text(None, 0) == "not computable"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (8000, "8,000"),
        (1234567, "1,234,567"),
        (Decimal("24"), "24"),
        (Decimal("6.50"), "6.5"),  # no trailing zeros
        (Decimal("0.01"), "0.01"),
        (1.005, "1.01"),  # to two places, a half up
        (999999.99, "999,999.99"),
        (-3, "−3"),
        (-0.001, "0"),  # never "−0"
        (0, "0"),
    ],
)
def test_number_text(value, text):
    assert number_text(value) == text


def test_number_text_to_fewer_places():
    assert number_text(270.51, 1) == "270.5"
    assert number_text(2.5, 0) == "3"


def test_amounts_and_hours_take_a_plural_unless_exactly_one():
    assert amount_text(1, "unit") == "1 unit"
    assert amount_text(Decimal("1.0"), "unit") == "1 unit"
    assert amount_text(Decimal("2.5"), "unit") == "2.5 units"
    assert amount_text(0, "unit") == "0 units"
    assert hours_text(Decimal("1.5")) == "1.5 hours"
    assert hours_text(1) == "1 hour"
    assert hours_text(Decimal("9.0")) == "9 hours"


def test_fluids_in_the_users_unit_with_thousands_separators():
    assert fluid_text(1800, "ml") == "1,800 ml"
    assert fluid_text(1800, "floz") == "60.9 fl oz"  # 1800 / 29.5735


# --- On the pages and in the PDF ----------------------------------------------------------

NIGHT = date(2026, 3, 10)
TODAY = date(2026, 3, 20)
# Cramps of the night of the 10th: (start on the 11th, seconds), written the old way as
# 1:21, 0:45, 11:40 and 6:00, which read like clock times beside the start times.
CRAMPS = [((3, 10), 81), ((4, 5), 45), ((5, 15), 700), ((6, 20), 360)]
LENGTHS = ["1 min 21 s", "45 s", "11 min 40 s", "6 min"]
# Every clock time the pages may show: the cramps' starts, the sleep diary's four times, and
# the frozen now (the summary's "Generated" line).
CLOCK_TIMES = {"03:10", "04:05", "05:15", "06:20", "22:30", "22:45", "06:50", "07:00", "09:00"}
CLOCK_LIKE = re.compile(r"\b\d{1,2}:\d\d\b")


@pytest.fixture
def journal(alice, alice_client, freeze_now):
    freeze_now(london(TODAY, 9, 0))
    night = Night.objects.create(
        user=alice,
        date=NIGHT,
        into_bed=london(NIGHT, 22, 30),
        tried_to_sleep=london(NIGHT, 22, 45),
        final_awakening=london(NIGHT + timedelta(days=1), 6, 50),
        out_of_bed=london(NIGHT + timedelta(days=1), 7, 0),
        sleep_latency_min=15,
        awake_after_onset_min=20,
    )
    for (hh, mm), seconds in CRAMPS:
        CrampEpisode.objects.create(
            night=night,
            started_at=london(NIGHT + timedelta(days=1), hh, mm),
            duration_seconds=seconds,
            relieved_by_stretching=True,
        )
    return alice


def visible_text(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def pdf_text(response) -> str:
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def assert_no_length_looks_like_a_clock(text: str, where: str) -> None:
    found = set(CLOCK_LIKE.findall(text))
    assert found <= CLOCK_TIMES, f"{where} shows {sorted(found - CLOCK_TIMES)} (not clock times)"


def test_no_page_writes_a_length_like_a_clock_time(alice_client, journal):
    pages = {
        "day page": reverse("day_detail", args=[NIGHT]),
        "check-in": reverse("checkin_for", args=[NIGHT]),
    }
    for where, url in pages.items():
        text = visible_text(alice_client.get(url))
        for length in LENGTHS:
            assert length in text, f"{where} lacks {length!r}"
        assert "03:10" in text
        assert_no_length_looks_like_a_clock(text, where)
    # The month in numbers: the median of 45, 81, 360 and 700 s is 220.5 s, and the longest.
    month = visible_text(alice_client.get(reverse("month_of", args=[2026, 3])))
    assert "3 min 41 s" in month and "11 min 40 s" in month
    assert_no_length_looks_like_a_clock(month, "month")


def test_the_summary_and_its_pdf_write_lengths_in_words(alice_client, journal):
    for where, response in [
        ("summary", alice_client.get(reverse("summary"), {"months": 1})),
        ("print view", alice_client.get(reverse("summary_print"), {"months": 1})),
    ]:
        text = visible_text(response)
        assert "Median length 3 min 41 s of 4 cramps timed" in text
        assert "Longest 11 min 40 s of 4 timed" in text
        # What relieved them, and the median length of those cramps.
        assert "Stretching 4 3 min 41 s The log, week by week" in text
        assert_no_length_looks_like_a_clock(text, where)
    text = pdf_text(alice_client.get(reverse("summary_pdf"), {"months": 1}))
    for length in LENGTHS:
        assert length in text  # the appendix, cramp by cramp
    assert "3 min 41 s" in text and "11 min 40 s" in text
    assert "03:10" in text
    assert_no_length_looks_like_a_clock(text, "PDF")


def test_exports_keep_the_seconds(alice_client, journal):
    response = alice_client.post(reverse("data_export_csv"), {"password": "alice-password-1"})
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        (name,) = [name for name in archive.namelist() if name.endswith("/cramps.csv")]
        rows = list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
    assert [row["duration_seconds"] for row in rows] == ["81", "45", "700", "360"]


# --- Sleep efficiency without time in bed -------------------------------------------------


@pytest.fixture
def no_time_in_bed(alice, freeze_now):
    """The night of the 10th: all four times 23:00, so no time in bed and no efficiency."""
    freeze_now(london(TODAY, 9, 0))
    at = local_moment(NIGHT, time(23, 0), alice.tzinfo)
    return Night.objects.create(
        user=alice, date=NIGHT, into_bed=at, tried_to_sleep=at, final_awakening=at, out_of_bed=at
    )


def test_no_time_in_bed_is_not_computable_on_the_pages(alice_client, no_time_in_bed):
    day = visible_text(alice_client.get(reverse("day_detail", args=[NIGHT])))
    assert "Sleep efficiency not computable" in day and "0%" not in day
    checkin = visible_text(alice_client.get(reverse("checkin_for", args=[NIGHT])))
    assert "Sleep efficiency not computable" in checkin
    times = {f"night-{name}": "23:00" for name in SLEEP_TIMES}
    times |= {"night-sleep_latency_min": "0", "night-awakenings": "0"}
    times |= {"night-awake_after_onset_min": "0"}
    live = alice_client.get(reverse("checkin_metrics", args=[NIGHT]), times)
    assert "Sleep efficiency not computable" in visible_text(live)
    summary = visible_text(alice_client.get(reverse("summary"), {"months": 1}))
    assert "Sleep efficiency not computable (0 nights with time in bed)" in summary
    # The log gives a night with cramps its own sleep, here not computable rather than 0%.
    CrampEpisode.objects.create(night=no_time_in_bed, started_at=no_time_in_bed.into_bed)
    summary = visible_text(alice_client.get(reverse("summary"), {"months": 1}))
    assert "0 min, efficiency not computable" in summary


def test_no_time_in_bed_leaves_efficiency_out_of_the_exports(alice_client, no_time_in_bed):
    response = alice_client.post(reverse("data_export_csv"), {"password": "alice-password-1"})
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        (name,) = [name for name in archive.namelist() if name.endswith("/nights.csv")]
        (row,) = csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig")))
    assert (row["time_in_bed_minutes"], row["sleep_efficiency_percent"]) == ("0", "")
    response = alice_client.post(reverse("data_export_fhir"), {"password": "alice-password-1"})
    resources = [entry["resource"] for entry in json.loads(response.content)["entry"]]
    (sleep,) = [r for r in resources if r.get("code", {}).get("text") == "Total sleep time"]
    components = [component["code"]["text"] for component in sleep["component"]]
    assert "Time in bed" in components and "Sleep efficiency" not in components
