"""The data pages as a person meets them, and who may use them how."""

import re

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

EXPORTS = ["data_export_csv", "data_export_json", "data_export_fhir"]
PAGES = ["data", "data_import", "account_delete"]


def test_the_data_page_explains_each_download_and_asks_for_the_password(alice_client):
    html = alice_client.get(reverse("data")).content.decode()
    for kind, heading, button in [
        ("csv", "Spreadsheet files (CSV)", "Download the CSV files (zip)"),
        ("json", "Complete backup (JSON)", "Download the backup (JSON)"),
        ("fhir", "For health records (FHIR R4)", "Download for health records (FHIR)"),
    ]:
        section = html.split(f'<section class="card" id="{kind}"')[1].split("</section>")[0]
        assert f'<h2 id="{kind}-heading">{heading}</h2>' in section
        # No fragment in the address: after a wrong password the page comes back on this
        # download's error summary, which an address's fragment would rob of the focus.
        assert f'<form method="post" action="{reverse(f"data_export_{kind}")}"' in section
        assert f'<label for="{kind}-password">Your password:</label>' in section
        assert f'id="{kind}-password"' in section
        assert button in section
    assert "Europe/London" in html  # the CSV times are in alice's own time zone
    assert "millilitres (ml)" in html
    assert f'href="{reverse("data_import")}"' in html
    assert f'href="{reverse("account_delete")}"' in html


def test_account_settings_link_to_the_data_page(alice_client):
    html = alice_client.get(reverse("account")).content.decode()
    assert "<h2>Your data</h2>" in html
    assert f'href="{reverse("data")}"' in html


@pytest.mark.parametrize("name", EXPORTS + PAGES)
def test_every_data_url_needs_login(client, name):
    for method in (client.get, client.post):
        response = method(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", EXPORTS)
def test_downloads_refuse_get(alice_client, name):
    assert alice_client.get(reverse(name)).status_code == 405


@pytest.mark.parametrize("name", EXPORTS + PAGES)
def test_posts_need_the_csrf_token(alice, name):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(reverse(name), {"password": "alice-password-1"})
    assert response.status_code == 403
    assert alice.__class__.objects.filter(pk=alice.pk).exists()


def test_the_goodbye_page_is_shown_signed_out(alice_client):
    response = alice_client.post(reverse("account_delete"), {"password": "alice-password-1"})
    html = response.content.decode()
    assert "<h1>Your account has been deleted</h1>" in html
    assert f'href="{reverse("signup")}"' in html
    assert f'href="{reverse("login")}"' in html  # the signed-out navigation
    assert "Theme:" not in html


def test_a_wrong_password_opens_on_that_downloads_error_summary(alice_client):
    response = alice_client.post(reverse("data_export_fhir"), {"password": "wrong"})
    html = response.content.decode()
    assert html.count("autofocus") == 1
    assert re.search(r'<div class="error-summary" id="fhir-error-summary"[^>]*autofocus', html)
    assert 'href="#fhir-password">Your password: That is not your password.' in html
