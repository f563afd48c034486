import os
from datetime import time
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from journal.models import User
from journal.nights import local_moment


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings):
    """Fast password hashing, and no lockouts unless a test turns them on."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_ENABLED = False


@pytest.fixture
def alice(db) -> User:
    return User.objects.create_user(
        "alice@example.com", "alice-password-1", time_zone="Europe/London"
    )


@pytest.fixture
def bob(db) -> User:
    return User.objects.create_user(
        "bob@example.com", "bob-password-1", time_zone="America/New_York"
    )


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def freeze_now(monkeypatch):
    """Set the clock views read (django.utils.timezone.now) to a fixed instant."""

    def freeze(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    return freeze


def london(day, hour, minute=0):
    """An instant given as Europe/London wall-clock time (alice's time zone)."""
    return local_moment(day, time(hour, minute), ZoneInfo("Europe/London"))


def html_of(response) -> str:
    return response.content.decode()


def require_shared(path):
    """A file from the project's shared/ folder, which sits beside the clone.

    CI always has it, so there a missing file fails the test; on a local clone
    without shared/ the test is skipped, saying why.
    """
    if path.exists():
        return path
    message = f"{path} is missing: these tests read the project's shared/ folder beside the clone."
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)
