"""Arbitrary input to every form: a clear answer or a valid record, never a server error.

The fields posted are the ones each page actually renders, so a new field is fuzzed too.
Out-of-range values cannot be stored whatever happens: the database constraints refuse them,
and a refusal that reached the database would show here as a 500.
"""

import json
import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal.models import (
    CrampEpisode,
    CustomFactor,
    DayFactors,
    Medication,
    Night,
    RedFlagChecklist,
)
from tests.conftest import london

pytestmark = pytest.mark.django_db

NIGHT = date(2026, 3, 4)
NASTY = [
    "",
    "0",
    "-1",
    "-0",
    "1e309",
    "NaN",
    "inf",
    "99999999999999999999",
    "0.000001",
    "24:00",
    "25:61",
    "2026-02-30",
    "9999-12-31T23:59",
    "\x00",
    "true",
    "on",
    "' OR 1=1 --",
    "ℵ",
    "🦵",
]
VALUES = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=40),
    st.integers(min_value=-(10**15), max_value=10**15).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)


def field_names(client: Client, url: str) -> list[str]:
    html = client.get(url).content.decode()
    names = set(re.findall(r'name="([^"]+)"', html)) - {"csrfmiddlewaretoken"}
    return sorted(names)


@pytest.fixture
def world(alice, freeze_now):
    freeze_now(london(date(2026, 3, 5), 8))
    night = Night.objects.create(user=alice, date=NIGHT)
    episode = CrampEpisode.objects.create(night=night, started_at=london(NIGHT, 23))
    medication = Medication.objects.create(
        user=alice, name="Paracetamol", kind="as_needed", started_on=date(2026, 1, 1)
    )
    client = Client(raise_request_exception=False)
    client.force_login(alice)
    return client, episode, medication


FORMS = {
    # url name: (how to build its URL, the page whose form posts there)
    "cramp_now": (lambda e, m: reverse("cramp_now"), lambda e, m: reverse("home")),
    "episode_edit": (lambda e, m: reverse("episode_edit", args=[e.pk]), None),
    "episode_add": (lambda e, m: reverse("episode_add", args=[NIGHT]), None),
    "checkin_for": (lambda e, m: reverse("checkin_for", args=[NIGHT]), None),
    "account": (lambda e, m: reverse("account"), None),
    "account_theme": (lambda e, m: reverse("account_theme"), lambda e, m: reverse("account")),
    "factor_add": (lambda e, m: reverse("factor_add"), lambda e, m: reverse("factors")),
    "medication_add": (lambda e, m: reverse("medication_add"), None),
    "medication_stop": (lambda e, m: reverse("medication_stop", args=[m.pk]), None),
    "dose_add": (
        lambda e, m: reverse("dose_add", args=[m.pk]),
        lambda e, m: reverse("medications"),
    ),
    "red_flag_checklist": (lambda e, m: reverse("red_flag_checklist"), None),
    "signup": (lambda e, m: reverse("signup"), None),  # posted by an anonymous visitor
}


@pytest.mark.parametrize("name", sorted(FORMS))
def test_no_input_makes_a_form_fail_badly(world, name):
    client, episode, medication = world
    if name == "signup":
        client = Client(raise_request_exception=False)
    target, page = FORMS[name]
    url = target(episode, medication)
    names = field_names(client, page(episode, medication) if page else url)
    assert names, f"no fields found for {name}"

    @settings(
        max_examples=25,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.fixed_dictionaries({field: VALUES for field in names}))
    def post_anything(data):
        response = client.post(url, data)
        assert response.status_code < 500, (name, data, response.status_code)

    post_anything()


JSON_LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(),
    st.text(max_size=20),
    st.sampled_from(NASTY),
)
JSON_VALUES = st.recursive(
    JSON_LEAVES,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=12,
)
NIGHT_FIELDS = [
    "date",
    "into_bed",
    "tried_to_sleep",
    "final_awakening",
    "out_of_bed",
    "sleep_latency_min",
    "awakenings",
    "awake_after_onset_min",
    "quality",
    "notes",
    "episodes",
]
EPISODE_FIELDS = ["started_at", "duration_seconds", "muscle", "side", "pain", "woke_me", "notes"]


def journal_documents():
    """A document in the right format whose records hold arbitrary values."""
    episode = st.fixed_dictionaries({}, optional={f: JSON_VALUES for f in EPISODE_FIELDS})
    night = st.fixed_dictionaries(
        {},
        optional={f: JSON_VALUES for f in NIGHT_FIELDS}
        | {"episodes": st.lists(episode, max_size=3)},
    )
    return st.fixed_dictionaries(
        {"format": st.just("cramp-journal"), "version": st.sampled_from([1, 1, 2, "1"])},
        optional={
            "profile": st.dictionaries(
                st.sampled_from(
                    [
                        "time_zone",
                        "fluid_unit",
                        "fluid_target_ml",
                        "night_boundary_hour",
                        "theme",
                        "dim_at_night",
                        "night_hours_start",
                        "night_hours_end",
                    ]
                ),
                JSON_VALUES,
            ),
            "nights": st.lists(night, max_size=4),
            "days": JSON_VALUES,
            "medications": JSON_VALUES,
            "custom_factors": JSON_VALUES,
        },
    )


def test_no_file_makes_the_import_fail_badly(bob):
    client = Client(raise_request_exception=False)
    client.force_login(bob)

    @settings(
        max_examples=40,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.one_of(journal_documents(), JSON_VALUES.map(lambda v: {"anything": v})))
    def upload(document):
        content = json.dumps(document, allow_nan=True).encode()
        upload = SimpleUploadedFile("journal.json", content, content_type="application/json")
        response = client.post(
            reverse("data_import"), {"file": upload, "password": "bob-password-1"}
        )
        assert response.status_code < 500, (document, response.status_code)
        if response.status_code == 302:  # imported, so it was all valid: empty the account
            for model in (Night, DayFactors, CustomFactor, Medication, RedFlagChecklist):
                model.objects.for_user(bob).delete()

    upload()
