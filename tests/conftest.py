import os
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine

from journal.models import User
from journal.nights import local_moment

# Run the whole suite as if the clock read this instant when it started (ISO 8601 with a UTC
# offset, e.g. 2028-02-29T03:30:00+00:00); the clock then runs on from there. `make test-clocks`
# runs the suite at several such instants, so no test can depend on the day it runs.
TEST_CLOCK = "TEST_CLOCK"


def to_utc(moment: datetime) -> datetime:
    """`moment` in UTC, so time-machine keeps the process time zone (Django's TIME_ZONE, UTC)
    instead of switching it to the moment's own zone."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{moment!r} has no time zone: give an aware datetime")
    return moment.astimezone(UTC)


def pytest_configure(config):
    value = os.environ.get(TEST_CLOCK)
    if not value:
        return
    try:
        start = to_utc(datetime.fromisoformat(value))
    except ValueError as error:
        raise pytest.UsageError(
            f"{TEST_CLOCK}={value!r}: give an ISO 8601 instant with a UTC offset, "
            f"e.g. 2028-02-29T03:30:00+00:00 ({error})"
        ) from None
    traveller = time_machine.travel(start, tick=True)
    traveller.start()
    config.add_cleanup(traveller.stop)


def pytest_report_header(config):
    if value := os.environ.get(TEST_CLOCK):
        return f"{TEST_CLOCK}: the suite started with the clock at {value}"
    return None


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
def freeze_now():
    """Stop the clock at an instant, for the whole process (time-machine): timezone.now(),
    datetime.now(), date.today() and time.time() all read it, in views, the live server's
    thread and libraries alike (django-axes). Calling it again moves the clock there; the
    clock runs again after the test. Returns the moment. Stop it before signing a client in
    if the test needs the session to last: a jump of more than 14 days ends it."""
    travellers = []

    def freeze(moment):
        if travellers:
            travellers.pop().stop()
        traveller = time_machine.travel(to_utc(moment), tick=False)
        traveller.start()
        travellers.append(traveller)
        return moment

    yield freeze
    while travellers:
        travellers.pop().stop()


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
