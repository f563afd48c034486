"""Leaving: account deletion removes every row of the user, and only theirs."""

from datetime import date, time

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from journal.models import Reminder, SentReminder, ShareAccess, ShareLink, User
from tests.conftest import london
from tests.reminders.support import push_device
from tests.test_data_exports import NOW, PASSWORDS, journal_rows, unusual_journal

pytestmark = pytest.mark.django_db


def all_rows(user: User) -> dict[str, int]:
    """Every row that is about `user`: the app's tables, sessions, and log-in records."""
    sessions = sum(
        session.get_decoded().get("_auth_user_id") == str(user.pk)
        for session in Session.objects.all()
    )
    log_ins = {
        model.__name__: model.objects.filter(username=user.email).count()
        for model in (AccessAttempt, AccessLog, AccessFailureLog)
    }
    return journal_rows(user) | log_ins | {"Session": sessions}


def lived_in(user: User) -> Client:
    """`user` with a journal, a shared summary that was opened, a reminder sent to a device, a
    failed log-in and two devices signed in; returns one device's client."""
    unusual_journal(user)
    link = ShareLink.objects.create(
        user=user,
        start=date(2026, 3, 1),
        end=date(2026, 3, 31),
        expires_at=london(date(2026, 12, 1), 12),
    )
    ShareAccess.objects.create(link=link, what="page")
    Reminder.objects.create(user=user, kind="evening", at=time(21, 30), enabled=True)
    SentReminder.objects.create(
        user=user,
        kind="evening",
        local_date=date(2026, 3, 2),
        queued_at=london(date(2026, 3, 2), 21, 30),
    )
    push_device(user, "Firefox on Linux")
    devices = [Client(), Client()]
    for device in devices:
        device.post(reverse("login"), {"username": user.email, "password": PASSWORDS[user.email]})
    # After the successful ones, which clear the failures before them.
    Client().post(reverse("login"), {"username": user.email, "password": "wrong"})
    return devices[0]


@pytest.fixture
def logins_recorded(settings):
    settings.AXES_ENABLED = True
    settings.AXES_ENABLE_ACCESS_FAILURE_LOG = True


def test_deletion_removes_every_row_of_the_user_and_nothing_else(
    alice, bob, freeze_now, logins_recorded
):
    freeze_now(NOW)
    client = lived_in(alice)
    lived_in(bob)
    before = all_rows(alice)
    assert all(before.values()), f"every table should hold some of alice's rows: {before}"
    bobs = all_rows(bob)

    response = client.post(reverse("account_delete"), {"password": "alice-password-1"})

    assert response.status_code == 200
    assert "Your account has been deleted" in response.content.decode()
    assert all_rows(alice) == dict.fromkeys(before, 0)
    assert all_rows(bob) == bobs
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))
    log_in = Client().post(
        reverse("login"), {"username": alice.email, "password": "alice-password-1"}
    )
    assert log_in.status_code == 200  # the form again: there is no such account any more


def test_the_page_offers_the_exports_first(alice_client):
    html = alice_client.get(reverse("account_delete")).content.decode()
    keep = html.index("First, keep a copy")
    for anchor in ("json", "csv", "fhir"):
        assert html.index(f'href="{reverse("data")}#{anchor}"') > keep
    assert html.index('type="password" name="password"') > html.index('href="/data/#fhir"')
    assert "Delete my account and journal" in html


def test_a_wrong_password_deletes_nothing(alice_client, alice, freeze_now):
    freeze_now(NOW)
    unusual_journal(alice)
    before = journal_rows(alice)
    response = alice_client.post(reverse("account_delete"), {"password": "bob-password-1"})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "password": ["That is not your password. Please try again."]
    }
    assert 'aria-invalid="true"' in response.content.decode()
    assert journal_rows(alice) == before
    assert alice_client.get(reverse("home")).status_code == 200  # still signed in


def test_looking_at_the_page_deletes_nothing(alice_client, alice, freeze_now):
    freeze_now(NOW)
    unusual_journal(alice)
    before = journal_rows(alice)
    alice_client.get(reverse("account_delete"))
    alice_client.post(reverse("account_delete"), {})
    assert journal_rows(alice) == before


def test_a_failure_half_way_deletes_nothing(alice, freeze_now, monkeypatch, logins_recorded):
    freeze_now(NOW)
    client = lived_in(alice)
    before = all_rows(alice)

    def fail(self, *args, **kwargs):
        # Sessions and log-in records are gone by now; the failure must bring them back.
        assert not AccessLog.objects.filter(username__iexact=alice.email).exists()
        raise RuntimeError("the database went away")

    monkeypatch.setattr(User, "delete", fail)
    with pytest.raises(RuntimeError):
        client.post(reverse("account_delete"), {"password": "alice-password-1"})
    assert all_rows(alice) == before


def test_another_user_cannot_delete_alices_account(client, alice, bob, freeze_now):
    freeze_now(NOW)
    unusual_journal(alice)
    before = journal_rows(alice)
    client.force_login(bob)
    response = client.post(reverse("account_delete"), {"password": "alice-password-1"})
    assert response.context["form"].errors["password"]
    response = client.post(reverse("account_delete"), {"password": "bob-password-1"})
    assert response.status_code == 200
    assert journal_rows(alice) == before
    assert not User.objects.filter(email=bob.email).exists()
    assert User.objects.get(pk=alice.pk).check_password("alice-password-1")
