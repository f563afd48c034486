"""The error summary (templates/forms/error_summary.html) at the top of every form: each problem
linked to its field, the unusual values to confirm, the focus given to it, what was typed kept,
and the messages next to the fields still there."""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from journal.models import DayFactors, Medication, Night
from tests.conftest import london
from tests.test_checkin import form_data

pytestmark = pytest.mark.django_db

NIGHT = date(2026, 3, 4)


@dataclass
class Summary:
    attrs: dict[str, str]
    title: str = ""
    items: list[tuple[str, str]] = field(default_factory=list)  # (href or "", text)
    text: str = ""


class _SummaryReader(HTMLParser):
    """The page's error summaries, and every element that asks for the focus."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.summaries: list[Summary] = []
        self.autofocus: list[str] = []
        self._depth = 0  # of divs inside the summary being read
        self._in: str | None = None  # "title" or "item"
        self._href = ""
        self._item: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = {key: value or "" for key, value in attrs}
        if "autofocus" in attributes:
            self.autofocus.append(attributes.get("id") or tag)
        if tag == "div" and "data-error-summary" in attributes:
            self.summaries.append(Summary(attributes))
            self._depth = 1
        elif self._depth and tag == "div":
            self._depth += 1
        elif self._depth and tag == "h2":
            self._in = "title"
        elif self._depth and tag == "li":
            self._in, self._href, self._item = "item", "", []
        elif self._depth and tag == "a" and self._in == "item":
            self._href = attributes.get("href", "")

    def handle_endtag(self, tag):
        if not self._depth:
            return
        if tag == "div":
            self._depth -= 1
        elif tag == "h2":
            self._in = None
        elif tag == "li":
            text = " ".join("".join(self._item).split())
            self.summaries[-1].items.append((self._href, text))
            self._in = None

    def handle_data(self, data):
        if not self._depth:
            return
        summary = self.summaries[-1]
        summary.text += data
        if self._in == "title":
            summary.title += data.strip()
        elif self._in == "item":
            self._item.append(data)


def read(html: str) -> _SummaryReader:
    reader = _SummaryReader()
    reader.feed(html)
    return reader


def only_summary(html: str) -> Summary:
    reader = read(html)
    assert len(reader.summaries) == 1
    summary = reader.summaries[0]
    # It is what takes the focus, with and without JavaScript, and nothing else asks for it.
    assert reader.autofocus == [summary.attrs["id"]]
    assert (summary.attrs["tabindex"], summary.attrs["role"]) == ("-1", "alert")
    assert summary.attrs["aria-labelledby"] == f"{summary.attrs['id']}-title"
    return summary


@pytest.fixture
def logged_in(client, alice, freeze_now):
    freeze_now(london(NIGHT + timedelta(days=1), 8, 0))
    client.force_login(alice)
    return client


def post_checkin(client, headers=None, **overrides):
    url = reverse("checkin_for", args=[NIGHT])
    return client.post(url, form_data(**overrides), headers=headers or {})


def test_a_check_in_with_errors_opens_on_a_summary_linking_to_each_field(logged_in):
    response = post_checkin(
        logged_in,
        **{"night-awakenings": "40", "day-fluids": "9000", "exercise-0-minutes": "0"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    summary = only_summary(html)
    assert summary.title == "There is a problem"
    assert summary.items == [
        ("#id_night-awakenings", "Times woken in the night: Enter a whole number from 0 to 30."),
        ("#id_day-fluids", "Fluids (ml): Enter a whole number from 0 to 8,000 ml."),
        ("#id_exercise-0-minutes", "Minutes: Enter a whole number of minutes from 1 to 1,440."),
    ]
    for href, _ in summary.items:  # each link leads to a field of the page
        assert f'id="{href[1:]}"' in html
    # What was typed is kept, and each message is also next to its field.
    assert 'value="40"' in html and 'value="9000"' in html and 'value="22:30"' in html
    assert html.count("Enter a whole number from 0 to 30.") == 2
    assert re.search(
        r'id="id_night-awakenings_error"[^>]*>.*?Enter a whole number from 0', html, re.S
    )
    assert not Night.objects.exists() and not DayFactors.objects.exists()


def test_with_htmx_the_form_comes_back_with_its_summary_taking_the_focus(logged_in):
    response = post_checkin(logged_in, headers={"HX-Request": "true"}, **{"day-fluids": "-5"})
    html = response.content.decode()
    assert html.lstrip().startswith('<form id="checkin-form"')  # the partial only
    summary = only_summary(html)
    assert summary.items == [
        ("#id_day-fluids", "Fluids (ml): Enter a whole number from 0 to 8,000 ml.")
    ]


def test_unusual_values_are_listed_to_check_with_the_box_that_confirms_them(logged_in):
    response = post_checkin(logged_in, **{"day-fluids": "4500", "night-awakenings": "12"})
    html = response.content.decode()
    summary = only_summary(html)
    assert summary.title == "Check these values before saving"
    assert summary.items == [
        ("#id_night-awakenings", "You woke 12 times."),
        ("#id_day-fluids", "Fluids of 4,500 ml are unusually high."),
    ]
    assert "If they are right, tick “Yes, these values are right” and save again." in " ".join(
        summary.text.split()
    )
    assert 'href="#confirm_unusual"' in html and 'id="confirm_unusual"' in html
    # The box is beside Save, where the person presses next.
    assert html.index('id="confirm_unusual"') < html.index('value="save"')
    assert html.index('id="confirm_unusual"') > html.index('id="id_day-notes"')


def test_one_unusual_value_is_named_as_one(logged_in):
    html = post_checkin(logged_in, **{"exercise-0-minutes": "320"}).content.decode()
    summary = only_summary(html)
    assert summary.title == "Check this value before saving"
    assert summary.items == [("#id_exercise-0-minutes", "5 h 20 min of exercise in a day.")]
    assert "Yes, this value is right" in html


def test_a_save_overtaken_elsewhere_is_in_the_summary(logged_in):
    opened = logged_in.get(reverse("checkin_for", args=[NIGHT])).context["checkin"].version
    post_checkin(logged_in, version=opened)
    html = post_checkin(logged_in, version=opened, **{"night-quality": "5"}).content.decode()
    summary = only_summary(html)
    assert summary.items == [
        ("#conflict", "This night was saved elsewhere after you opened this page.")
    ]
    assert 'id="conflict" tabindex="-1"' in html


def test_a_form_as_first_shown_has_no_summary(logged_in):
    reader = read(logged_in.get(reverse("checkin_for", args=[NIGHT])).content.decode())
    assert reader.summaries == []


def test_a_problem_of_the_whole_form_is_listed_unlinked_and_the_log_in_focus_moves(client, alice):
    response = client.post(reverse("login"), {"username": alice.email, "password": "wrong"})
    html = response.content.decode()
    summary = only_summary(html)  # the email field no longer asks for the focus too
    [(href, text)] = summary.items
    assert href == "" and text.startswith("Please enter a correct email address and password")
    assert 'value="alice@example.com"' in html
    page = client.get(reverse("login")).content.decode()
    assert read(page).autofocus == ["id_username"]  # shown fresh, the email field has it


def test_a_hidden_fields_problem_is_listed_unlinked(logged_in, alice):
    medication = Medication.objects.create(
        user=alice, name="Paracetamol", kind="as_needed", started_on=NIGHT
    )
    data = {"token": "not-a-token", "taken_at": "2026-03-05T03:00", "quantity": "1"}
    html = logged_in.post(reverse("dose_add", args=[medication.pk]), data).content.decode()
    summary = only_summary(html)
    assert summary.attrs["id"] == f"dose-{medication.pk}-error-summary"  # unique on the page
    assert summary.items == [("", "This form is out of date. Please try again.")]


def test_a_radio_group_is_linked_by_its_first_choice(logged_in, alice):
    night = Night.objects.create(user=alice, date=NIGHT)
    episode = night.episodes.create(started_at=london(NIGHT, 23, 0))
    data = {"started": "23:00", "pain": "12", "woke_me": "on"}
    html = logged_in.post(reverse("episode_edit", args=[episode.pk]), data).content.decode()
    summary = only_summary(html)
    assert summary.items == [("#id_pain_0", "Pain (0–10): Choose a whole number from 0 to 10.")]
    assert 'id="id_pain_0"' in html


# Every template that shows a form's fields: the whole form ({{ form }}, {{ details }}...),
# or its fields one by one.
RENDERS_FIELDS = re.compile(r"\{\{\s*[\w.]*(?:form|details)\s*\}\}|as_field_group")
NOT_FORMS = {
    "confirm_delete.html",  # its {{ details }} is a sentence
    # Kept on the phone by static/js/offline.js, never posted as it is: the server checks the
    # details when the cramp is sent, and says so if they were not understood.
    "offline/waiting_panel.html",
}


def test_every_form_of_the_app_has_the_summary():
    templates = Path(settings.BASE_DIR) / "templates"
    missing = [
        str(path.relative_to(templates))
        for path in sorted(templates.rglob("*.html"))
        if RENDERS_FIELDS.search(text := path.read_text())
        and "{% error_summary" not in text
        and str(path.relative_to(templates)) not in NOT_FORMS
    ]
    assert missing == []
    checked = [p for p in templates.rglob("*.html") if RENDERS_FIELDS.search(p.read_text())]
    assert len(checked) >= 18  # the pattern still finds the forms
