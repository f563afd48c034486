"""Configuration from the environment: refusal without a secret key, production hardening."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    base = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "HTTPS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
        and not key.startswith(("SITE_URL", "VAPID_"))
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=base | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_refuses_to_start_without_secret_key_when_debug_is_off():
    result = run_manage("check")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_mode_starts_without_secret_key():
    result = run_manage("check", DEBUG="1")
    assert result.returncode == 0, result.stderr


def test_production_settings_pass_the_deployment_checklist():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="x" * 20 + "-production-like-secret-key-for-the-check-9f3k2",
        ALLOWED_HOSTS="cramps.example.org",
        SITE_URL="https://cramps.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr


PRODUCTION = {
    "SECRET_KEY": "x" * 20 + "-production-like-secret-key-for-the-check-9f3k2",
    "ALLOWED_HOSTS": "cramps.example.org",
}


def test_the_deployment_checklist_wants_the_address_reminder_emails_link_to():
    result = run_manage("check", "--deploy", **PRODUCTION)
    assert result.returncode != 0
    assert "journal.E002" in result.stdout + result.stderr
    assert "SITE_URL" in result.stdout + result.stderr


def test_the_deployment_checklist_refuses_half_a_vapid_key_pair():
    result = run_manage(
        "check", "--deploy", **PRODUCTION, SITE_URL="https://x.example", VAPID_PUBLIC_KEY="abc"
    )
    assert result.returncode != 0
    assert "journal.E001" in result.stdout + result.stderr


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.content.decode()  # htmx is loaded with the nonce
