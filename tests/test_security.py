"""Headers, sessions, passwords, and hostile input shown as text everywhere it appears."""

import io
from datetime import date, timedelta

import pypdf
import pytest
from django.test import Client
from django.urls import reverse

from journal.models import CrampEpisode, CustomFactor, Medication, Night
from tests.conftest import london

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "<svg onload=alert(1)><circle r=1></circle></svg>",
    '=HYPERLINK("http://evil.example")',
    "שלום‏ RTL ‮reversed‬ text",
    "e\u0301\u0301\u0301 combining",
    "x" * 1900,
]


def test_page_responses_carry_the_security_headers(alice_client):
    response = alice_client.get(reverse("home"))
    policy = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_pages_with_health_data_are_not_cached(alice_client):
    for name in ("home", "day_list", "month", "summary"):
        cache_control = alice_client.get(reverse(name))["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control, name


def test_public_pages_stay_cacheable(client):
    assert "no-store" not in client.get(reverse("learn")).get("Cache-Control", "")


def test_health_check_touches_the_database(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200 and response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_a_session_ends_after_the_idle_period(client, alice, freeze_now, settings):
    freeze_now(london(date(2026, 3, 5), 8))
    client.post(reverse("login"), {"username": alice.email, "password": "alice-password-1"})
    assert client.get(reverse("home")).status_code == 200
    idle = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    freeze_now(london(date(2026, 3, 5), 8) + idle - timedelta(minutes=1))
    assert client.get(reverse("home")).status_code == 200  # activity keeps it alive...
    freeze_now(london(date(2026, 3, 5), 8) + 2 * idle + timedelta(minutes=1))
    response = client.get(reverse("home"))  # ...a full idle period without any ends it
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1", "too short"),
        ("password123", "too common"),
        ("83927461530", "entirely numeric"),
        ("newperson", "too similar"),
    ],
)
def test_weak_passwords_are_refused(client, password, message):
    response = client.post(
        reverse("signup"),
        {
            "email": "newperson@example.com",
            "time_zone": "UTC",
            "password1": password,
            "password2": password,
        },
    )
    assert message in " ".join(response.context["form"].errors["password2"])


@pytest.fixture
def hostile(alice, freeze_now):
    freeze_now(london(date(2026, 3, 10), 9))
    night = Night.objects.create(user=alice, date=date(2026, 3, 5), notes=PAYLOADS[0])
    for number, payload in enumerate(PAYLOADS):
        CrampEpisode.objects.create(
            night=night, started_at=london(date(2026, 3, 5), 22, number), notes=payload
        )
        CustomFactor.objects.create(user=alice, name=f"{number} {payload}"[:60])
    Medication.objects.create(user=alice, name=PAYLOADS[1], started_on=date(2026, 3, 1))
    return alice


def test_hostile_text_is_shown_as_text_in_pages(alice_client, hostile):
    pages = [
        reverse("day_detail", args=[date(2026, 3, 5)]),
        reverse("checkin_for", args=[date(2026, 3, 5)]),
        reverse("factors"),
        reverse("medications"),
        reverse("trends") + "?range=3m",
        reverse("factor_analysis"),
        reverse("summary") + "?months=1",
    ]
    for url in pages:
        html = alice_client.get(url).content.decode()
        assert "<script>alert" not in html, url
        assert "<img src=x onerror" not in html, url
        assert "<svg onload" not in html, url
    day = alice_client.get(pages[0]).content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in day  # escaped, still readable


def test_hostile_text_is_plain_text_in_the_pdf(alice_client, hostile):
    response = alice_client.get(reverse("summary_pdf"), {"months": 1})
    text = " ".join(
        page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages
    )
    assert '"><img src=x onerror=alert(1)>' in text  # the medication's name, as typed


def test_a_nul_byte_is_refused_with_a_message(alice_client, alice, freeze_now):
    freeze_now(london(date(2026, 3, 10), 9))
    response = alice_client.post(reverse("factor_add"), {"name": "bad\x00name", "kind": "yes_no"})
    assert response.status_code in {200, 400}
    assert not CustomFactor.objects.exists()
    anonymous = Client()
    assert anonymous.get(reverse("learn"), {"q": "\x00"}).status_code == 200


def test_guessing_the_password_on_the_data_pages_locks_out_like_the_login(
    alice_client, alice, settings
):
    settings.AXES_ENABLED = True
    url = reverse("data_export_json")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = alice_client.post(url, {"password": "guess"})
        assert "That is not your password" in response.content.decode()
    response = alice_client.post(url, {"password": "guess"})
    assert response.status_code == 429
    assert "Too many failed log-ins" in response.content.decode()
    response = alice_client.post(url, {"password": "alice-password-1"})
    assert response.status_code == 429  # the right password too, until the cool-off ends
