import re
from datetime import date, time

import pytest
from django.core import mail
from django.urls import reverse

from journal.models import CrampEpisode, Night, User
from journal.nights import local_moment

pytestmark = pytest.mark.django_db


def sign_up(client, **overrides):
    data = {
        "email": "New.Person@Example.com",
        "first_name": "Sam",
        "time_zone": "Europe/Berlin",
        "password1": "a-long-night-2026",
        "password2": "a-long-night-2026",
    }
    return client.post(reverse("signup"), data | overrides)


def test_sign_up_creates_account_logs_in_and_keeps_time_zone(client):
    response = sign_up(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    user = User.objects.get()
    assert user.email == "new.person@example.com"
    assert user.time_zone == "Europe/Berlin"
    assert user.check_password("a-long-night-2026")
    assert client.get(reverse("home")).context["user"] == user


def test_sign_up_refuses_an_address_already_used_whatever_its_case(client, alice):
    response = sign_up(client, email="ALICE@example.com")
    assert response.status_code == 200
    assert "already exists" in response.context["form"].errors["email"][0]
    assert User.objects.count() == 1


def test_sign_up_errors_keep_what_was_typed(client):
    response = sign_up(client, password2="something-else-2026", time_zone="Asia/Tokyo")
    assert response.status_code == 200
    assert response.context["form"].errors["password2"]
    html = response.content.decode()
    assert 'value="New.Person@Example.com"' in html
    assert '<option value="Asia/Tokyo" selected>' in html
    assert not User.objects.exists()


def test_sign_up_refuses_unknown_time_zone(client):
    response = sign_up(client, time_zone="Mars/Olympus_Mons")
    assert "time_zone" in response.context["form"].errors
    assert not User.objects.exists()


def test_login_with_email_in_any_case_and_logout(client, alice):
    response = client.post(
        reverse("login"), {"username": "Alice@Example.COM", "password": "alice-password-1"}
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("logout")).status_code == 405  # logging out needs a POST
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_wrong_password_shows_a_message(client, alice):
    response = client.post(reverse("login"), {"username": alice.email, "password": "nope"})
    assert response.status_code == 200
    assert "correct email address and password" in response.content.decode()


def test_repeated_failed_logins_lock_the_account_out(client, alice, settings):
    settings.AXES_ENABLED = True
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        email = alice.email.upper() if attempt % 2 else alice.email  # one counter, any case
        client.post(reverse("login"), {"username": email, "password": "wrong"})
    response = client.post(
        reverse("login"), {"username": alice.email, "password": "alice-password-1"}
    )
    assert response.status_code == 429
    assert "Too many failed log-ins" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302  # still not logged in


def test_password_change(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "alice-password-1",
            "new_password1": "a-brand-new-password-9",
            "new_password2": "a-brand-new-password-9",
        },
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("a-brand-new-password-9")


def test_password_reset_by_email(client, alice):
    response = client.post(reverse("password_reset"), {"email": "alice@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.com"]
    assert message.subject == "Reset your Cramp Journal password"
    link = re.search(r"https?://[^/]+(/reset/\S+/)", message.body).group(1)

    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "reset-password-2026", "new_password2": "reset-password-2026"},
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("reset-password-2026")
    assert not client.get(link, follow=True).context["validlink"]  # a link works once


def test_password_reset_does_not_reveal_unknown_addresses(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_account_settings_in_us_fluid_ounces(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("account"),
        {
            "first_name": "Alice",
            "time_zone": "America/Chicago",
            "fluid_unit": "floz",
            "fluid_target": "68",
            "fluid_restricted": "on",
            "night_boundary_hour": "14",
        },
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.fluid_target_ml == 2011  # 68 x 29.5735 ml = 2010.998
    assert (alice.time_zone, alice.night_boundary_hour) == ("America/Chicago", 14)
    assert alice.fluid_restricted
    page = client.get(reverse("account")).content.decode()
    assert 'name="fluid_target" value="68.0"' in page  # shown back in the user's unit


def test_account_settings_out_of_range_target_says_so_in_the_users_unit(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("account"),
        {
            "time_zone": "Europe/London",
            "fluid_unit": "floz",
            "fluid_target": "1000",
            "night_boundary_hour": "12",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["fluid_target"] == [
        "Enter a number from 8.5 to 270.5 fl oz, like 1.5."
    ]
    assert 'value="1000"' in response.content.decode()
    alice.refresh_from_db()
    assert alice.fluid_target_ml == 2000


@pytest.mark.parametrize("name", ["home", "month", "trends", "summary", "account"])
def test_journal_pages_need_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", ["login", "signup", "password_reset", "learn"])
def test_public_pages_open_without_login(client, name):
    assert client.get(reverse(name)).status_code == 200


def test_admin_is_for_staff_only(client, alice):
    client.force_login(alice)
    assert client.get("/admin/").status_code == 302
    alice.is_staff = alice.is_superuser = True
    alice.save()
    assert client.get("/admin/journal/night/").status_code == 200


def test_changing_the_night_boundary_moves_cramps_to_their_new_night(client, alice):
    # 13:00 on the 5th belongs to the night of the 5th with a 12:00 boundary,
    # and to the night of the 4th once the boundary is 14:00.
    night_5 = Night.objects.create(user=alice, date=date(2026, 3, 5), quality=3)
    afternoon = CrampEpisode.objects.create(
        night=night_5, started_at=local_moment(date(2026, 3, 5), time(13), alice.tzinfo)
    )
    evening = CrampEpisode.objects.create(
        night=night_5, started_at=local_moment(date(2026, 3, 5), time(23), alice.tzinfo)
    )
    client.force_login(alice)
    response = client.post(
        reverse("account"),
        {
            "time_zone": "Europe/London",
            "fluid_unit": "ml",
            "fluid_target": "2000",
            "night_boundary_hour": "14",
        },
        follow=True,
    )
    assert "1 cramp moved to a different night." in response.content.decode()
    afternoon.refresh_from_db()
    evening.refresh_from_db()
    assert afternoon.night.date == date(2026, 3, 4)
    assert evening.night == night_5
    assert Night.objects.get(pk=night_5.pk).quality == 3  # the diary stays with its night
    afternoon.full_clean()  # the night rule holds again for the moved cramp
