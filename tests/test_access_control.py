"""Every URL of the project, from the resolver, checked for who may use it and how.

A view added later is walked automatically; one that takes an object's id must say here
which of alice's objects to try, or `test_every_object_url_is_known_here` fails.
"""

import re
from datetime import date, time, timedelta

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from journal.models import (
    CrampEpisode,
    CustomFactor,
    CustomFactorValue,
    DayFactors,
    DoseTaken,
    Medication,
    Night,
    Reminder,
    ShareLink,
)
from tests.conftest import london
from tests.experiments.support import experiment_for
from tests.reminders.support import push_device

pytestmark = pytest.mark.django_db

PUBLIC = {
    "healthz",
    "login",
    "signup",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "learn",
    "learn_section",
    "learn_sources",
    "shared_summary",
    "shared_summary_pdf",
    # The installable app's parts, the same for everyone (tests/test_offline.py).
    "manifest",
    "service_worker",
    "offline_shell",
    # The unsubscribe link of a reminder email: its token is the key (tests/reminders/).
    "reminder_off",
}
# Private, but answering 401 rather than a redirect to the log-in page, which the phone's fetch
# would follow to a 200 and take for success (journal/views/offline.py).
ANSWERS_401 = {"cramp_sync"}
SECRET = "Zq7-alice-only-marker"  # written into alice's notes and names
NIGHT = date(2026, 3, 4)


def project_urls() -> list[tuple[str, str]]:
    """(route, name) of every named URL outside the Django admin."""

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield prefix + str(pattern.pattern), pattern.name

    return [
        (route, name)
        for route, name in walk(get_resolver().url_patterns)
        if not route.startswith("admin/")
    ]


@pytest.fixture
def alices(alice, freeze_now):
    """One of each of alice's records, each carrying the secret marker."""
    freeze_now(london(NIGHT + timedelta(days=6), 9))
    night = Night.objects.create(user=alice, date=NIGHT, notes=SECRET)
    episode = CrampEpisode.objects.create(night=night, started_at=london(NIGHT, 23), notes=SECRET)
    day = DayFactors.objects.create(user=alice, date=NIGHT, fluids_ml=1500, notes=SECRET)
    factor = CustomFactor.objects.create(user=alice, name=SECRET)
    CustomFactorValue.objects.create(day=day, factor=factor, yes=True)
    medication = Medication.objects.create(
        user=alice, name=SECRET, kind="as_needed", started_on=NIGHT - timedelta(days=30)
    )
    dose = DoseTaken.objects.create(medication=medication, taken_at=london(NIGHT, 23, 30))
    link = ShareLink.objects.create(
        user=alice,
        start=NIGHT - timedelta(days=30),
        end=NIGHT,
        expires_at=london(NIGHT, 12) + timedelta(days=30),
    )
    reminder = Reminder.objects.create(user=alice, kind="evening", at=time(21, 30), enabled=True)
    device = push_device(alice, SECRET)
    experiment = experiment_for(
        alice, change="custom", factor=factor, start=NIGHT - timedelta(days=2)
    )
    return {
        "experiment_detail": experiment,
        "experiment_action": experiment,
        "reminder": reminder,
        "episode_edit": episode,
        "episode_delete": episode,
        "cramp_undo": episode,
        "cramp_timer_stop": episode,
        "medication_edit": medication,
        "medication_stop": medication,
        "medication_delete": medication,
        "dose_add": medication,
        "dose_delete": dose,
        "factor_edit": factor,
        "factor_archive": factor,
        "factor_delete": factor,
        "share_revoke": link,
        "push_remove": device,
        "token": link.token,
    }


def url_for(route: str, name: str, alices: dict) -> str | None:
    """The URL of `name` filled with alice's objects; None when it cannot be walked generically."""
    kwargs = {}
    for converter, parameter in re.findall(r"<(?:(\w+):)?(\w+)>", route):
        if parameter == "pk":
            kwargs["pk"] = alices[name].pk
        elif converter == "date":
            kwargs[parameter] = NIGHT
        elif parameter == "year":
            kwargs["year"] = NIGHT.year
        elif parameter == "month":
            kwargs["month"] = NIGHT.month
        elif parameter == "section":
            kwargs["section"] = "prevention"
        elif parameter == "kind":
            kwargs["kind"] = "evening"
        elif parameter == "change":
            kwargs["change"] = "stretching"
        elif parameter == "factor_pk":
            kwargs["factor_pk"] = alices["factor_edit"].pk
        elif parameter == "action":
            kwargs["action"] = "stop"
        elif name == "reminder_off":
            kwargs["token"] = alices["reminder"].unsubscribe_token
        elif name.startswith("shared_summary"):
            kwargs["token"] = alices["token"]
        else:
            return None  # the password-reset link's own signed parameters
    return reverse(name, kwargs=kwargs)


def test_every_object_url_is_known_here(alices):
    for route, name in project_urls():
        if "<int:pk>" in route:
            assert name in alices, f"say which of alice's objects {name!r} should be tried with"


def test_anonymous_visitors_are_sent_to_log_in_except_on_public_pages(alices):
    client = Client()
    for route, name in project_urls():
        url = url_for(route, name, alices)
        if url is None:
            continue
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            to_login = response.status_code == 302 and response["Location"].startswith(
                reverse("login")
            )
            if name in PUBLIC:
                assert not to_login, f"{method.upper()} {url} should be public"
            elif name in ANSWERS_401:
                assert response.status_code == 401, f"{method.upper()} {url} should answer 401"
            else:
                assert to_login, (
                    f"{method.upper()} {url} should need login ({response.status_code})"
                )


def test_another_user_gets_404_for_every_object_and_never_sees_its_data(alices, bob):
    client = Client()
    client.force_login(bob)
    for route, name in project_urls():
        url = url_for(route, name, alices)
        # A shared link shows alice's summary to whoever holds it: that is its purpose.
        if url is None or name in {"logout", "shared_summary", "shared_summary_pdf"}:
            continue
        for method in ("get", "post"):
            response = getattr(client, method)(url, {"pain": "1", "name": "taken over"})
            if "<int:pk>" in route:
                assert response.status_code in {404, 405}, f"{method.upper()} {url}"
            if response.get("Content-Type", "").startswith("text/html"):
                assert SECRET not in response.content.decode(), f"{method.upper()} {url}"
    assert CrampEpisode.objects.get().pain is None
    assert Medication.objects.get().name == SECRET


def test_posts_without_a_csrf_token_are_refused(alices, alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    for route, name in project_urls():
        url = url_for(route, name, alices)
        if url is None or name in PUBLIC - {"signup", "login", "password_reset"}:
            continue
        response = client.post(url, {})
        assert response.status_code in {403, 405}, (
            f"POST {url} without CSRF: {response.status_code}"
        )


def row_counts() -> dict[str, int]:
    return {
        model.__name__: model._default_manager.count()
        for model in apps.get_app_config("journal").get_models()
    }


def test_no_page_changes_anything_when_only_looked_at(alices, alice):
    client = Client()
    client.force_login(alice)
    before = row_counts()
    for route, name in project_urls():
        url = url_for(route, name, alices)
        if url is None or name == "logout":
            continue
        client.get(url)
        expected = dict(before)
        if name.startswith("shared_summary"):
            expected["ShareAccess"] += 1  # opening a shared link is recorded, by design
        after = row_counts()
        assert after == expected, f"GET {url} changed {set(after.items()) ^ set(expected.items())}"
        before = after
