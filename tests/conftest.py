import pytest

from journal.models import User


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
