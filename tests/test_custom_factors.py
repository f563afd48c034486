from datetime import date, timedelta

import pytest
from django.urls import reverse

from journal.forms.factors import CustomFactorForm
from journal.models import CustomFactor, CustomFactorValue, DayFactors, FactorKind, User
from tests.conftest import html_of

pytestmark = pytest.mark.django_db

INTRO = (
    "Track anything you think might matter, such as tight bedsheets, bananas or hours driving. "
    "They appear in your morning check-in."
)


def add_factor(user: User, name: str = "Tight bedsheets", **fields) -> CustomFactor:
    return CustomFactor.objects.create(user=user, name=name, **fields)


def record_values(factor: CustomFactor, days: int = 1) -> None:
    for offset in range(days):
        day, _ = DayFactors.objects.get_or_create(
            user=factor.user, date=date(2026, 1, 1) + timedelta(days=offset)
        )
        if factor.kind == FactorKind.YES_NO:
            CustomFactorValue.objects.create(day=day, factor=factor, yes=True)
        else:
            CustomFactorValue.objects.create(day=day, factor=factor, number=2)


# --- The list and adding ------------------------------------------------------------------


def test_list_explains_and_shows_active_then_archived(alice_client, alice):
    add_factor(alice, "Tight bedsheets")
    add_factor(alice, "bananas", archived=True)
    driving = add_factor(alice, "Hours driving", kind=FactorKind.NUMBER, unit="hours")
    record_values(driving, days=3)
    response = alice_client.get(reverse("factors"))
    assert [f.name for f in response.context["active"]] == ["Hours driving", "Tight bedsheets"]
    assert [f.name for f in response.context["archived"]] == ["bananas"]
    html = html_of(response)
    assert INTRO in html
    archived_at = html.index("<h2>Archived</h2>")
    assert html.index("<strong>Tight bedsheets") < archived_at < html.index("<strong>bananas")
    assert "A number (hours) · recorded on 3 days" in html
    assert "Yes or no · nothing recorded yet" in html
    assert f'action="{reverse("factor_add")}"' in html
    assert reverse("factor_delete", args=[driving.pk]) not in html  # has values: archive only
    assert " style=" not in html


def test_list_without_factors(alice_client):
    html = html_of(alice_client.get(reverse("factors")))
    assert "You are not tracking anything of your own yet." in html
    assert "<h2>Archived</h2>" not in html


def test_add_a_factor(alice_client, alice):
    response = alice_client.post(
        reverse("factor_add"), {"name": "Hours driving", "kind": "number", "unit": "hours"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("factors")
    factor = CustomFactor.objects.get()
    assert (factor.user, factor.name, factor.kind, factor.unit) == (
        alice,
        "Hours driving",
        FactorKind.NUMBER,
        "hours",
    )
    assert "“Hours driving” added." in html_of(alice_client.get(reverse("factors")))


def test_a_yes_no_factor_has_no_unit(alice_client):
    alice_client.post(reverse("factor_add"), {"name": "Bananas", "kind": "yes_no", "unit": "g"})
    assert CustomFactor.objects.get().unit == ""


@pytest.mark.parametrize("name", ["tight bedsheets", "TIGHT BEDSHEETS", "  Tight Bedsheets "])
def test_a_name_used_already_whatever_its_case_is_refused(alice_client, alice, name):
    add_factor(alice, "Tight bedsheets")
    response = alice_client.post(reverse("factor_add"), {"name": name, "kind": "number"})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "name": [f"You already have a factor called “{name.strip()}”. Choose another name."]
    }
    html = html_of(response)
    assert 'id="id_name_error"' in html
    assert f'value="{name}"' in html  # as typed
    assert 'value="number" required id="id_kind_1" checked' in html
    assert INTRO in html  # the whole list page again
    assert CustomFactor.objects.count() == 1


def test_another_users_factor_name_is_free(alice_client, alice, bob):
    add_factor(bob, "Tight bedsheets")
    alice_client.post(reverse("factor_add"), {"name": "tight bedsheets", "kind": "yes_no"})
    assert CustomFactor.objects.filter(user=alice).count() == 1


def test_a_duplicate_saved_meanwhile_is_reported_not_a_server_error(
    alice_client, alice, monkeypatch
):
    """The database constraint catches what the form check cannot see (e.g. a double tap)."""
    add_factor(alice, "Bananas")
    monkeypatch.setattr(CustomFactorForm, "clean_name", lambda form: form.cleaned_data["name"])
    response = alice_client.post(reverse("factor_add"), {"name": "bananas", "kind": "yes_no"})
    assert response.status_code == 200
    assert "You already have a factor called" in response.context["form"].errors["name"][0]
    assert CustomFactor.objects.count() == 1


def test_add_needs_a_name(alice_client):
    response = alice_client.post(reverse("factor_add"), {"name": " ", "kind": "yes_no"})
    assert response.context["form"].errors == {"name": ["Enter a name for the factor."]}
    assert not CustomFactor.objects.exists()


# --- Editing ------------------------------------------------------------------------------


def test_edit_renames_and_may_change_only_the_case(alice_client, alice):
    factor = add_factor(alice, "tight bedsheets")
    url = reverse("factor_edit", args=[factor.pk])
    assert 'value="tight bedsheets"' in html_of(alice_client.get(url))
    response = alice_client.post(url, {"name": "Tight Bedsheets", "kind": "yes_no"}, follow=True)
    assert response.redirect_chain == [(reverse("factors"), 302)]
    assert "“Tight Bedsheets” saved." in html_of(response)
    factor.refresh_from_db()
    assert factor.name == "Tight Bedsheets"


def test_edit_refuses_another_factors_name(alice_client, alice):
    add_factor(alice, "Bananas")
    factor = add_factor(alice, "Tight bedsheets")
    url = reverse("factor_edit", args=[factor.pk])
    response = alice_client.post(url, {"name": "BANANAS", "kind": "yes_no"})
    assert response.status_code == 200
    assert (
        "You already have a factor called “BANANAS”" in response.context["form"].errors["name"][0]
    )
    assert "<h1>Edit “Tight bedsheets”</h1>" in html_of(response)
    factor.refresh_from_db()
    assert factor.name == "Tight bedsheets"


def test_kind_can_change_while_nothing_is_recorded(alice_client, alice):
    factor = add_factor(alice, "Driving")
    url = reverse("factor_edit", args=[factor.pk])
    alice_client.post(url, {"name": "Driving", "kind": "number", "unit": "hours"})
    factor.refresh_from_db()
    assert (factor.kind, factor.unit) == (FactorKind.NUMBER, "hours")


def test_kind_cannot_change_once_values_are_recorded(alice_client, alice):
    factor = add_factor(alice, "Tight bedsheets")
    record_values(factor)
    url = reverse("factor_edit", args=[factor.pk])
    assert "Fixed, because values are already recorded." in html_of(alice_client.get(url))
    response = alice_client.post(url, {"name": "Tight bedsheets", "kind": "number"})
    assert response.status_code == 200
    [message] = response.context["form"].errors["kind"]
    assert "already has values recorded" in message
    assert "archive this factor (its history is kept) and add a new one" in message
    factor.refresh_from_db()
    assert factor.kind == FactorKind.YES_NO


def test_a_factor_with_values_can_still_be_renamed(alice_client, alice):
    factor = add_factor(alice, "Driving", kind=FactorKind.NUMBER, unit="hours")
    record_values(factor)
    url = reverse("factor_edit", args=[factor.pk])
    alice_client.post(url, {"name": "Hours driving", "kind": "number", "unit": "hours"})
    factor.refresh_from_db()
    assert factor.name == "Hours driving"


# --- Archiving and deleting ---------------------------------------------------------------


def test_archive_toggles_and_keeps_the_history(alice_client, alice):
    factor = add_factor(alice, "Tight bedsheets")
    record_values(factor, days=2)
    url = reverse("factor_archive", args=[factor.pk])
    response = alice_client.post(url, follow=True)
    factor.refresh_from_db()
    assert factor.archived
    assert "no longer appears in your morning check-in; its history is kept" in html_of(response)
    assert [f.name for f in response.context["archived"]] == ["Tight bedsheets"]
    assert factor.values.count() == 2
    response = alice_client.post(url, follow=True)
    factor.refresh_from_db()
    assert not factor.archived
    assert "“Tight bedsheets” is back in your morning check-in." in html_of(response)


def test_delete_a_factor_without_values(alice_client, alice):
    factor = add_factor(alice, "Bananas")
    url = reverse("factor_delete", args=[factor.pk])
    response = alice_client.get(url)
    assert response.templates[0].name == "confirm_delete.html"
    assert "<h1>Delete “Bananas”?</h1>" in html_of(response)
    response = alice_client.post(url, follow=True)
    assert "“Bananas” deleted." in html_of(response)
    assert not CustomFactor.objects.exists()


def test_a_factor_with_values_cannot_be_deleted(alice_client, alice):
    factor = add_factor(alice, "Tight bedsheets")
    record_values(factor, days=4)
    url = reverse("factor_delete", args=[factor.pk])
    html = html_of(alice_client.get(url))
    assert "It has values recorded on 4 days" in html
    assert "Archive it instead" in html
    assert f'action="{reverse("factor_archive", args=[factor.pk])}"' in html
    response = alice_client.post(url)
    assert response.status_code == 409
    assert "can’t be deleted" in html_of(response)
    assert CustomFactorValue.objects.filter(factor=factor).count() == 4


# --- Ownership and methods ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("factor_edit", "get"),
        ("factor_edit", "post"),
        ("factor_archive", "post"),
        ("factor_delete", "get"),
        ("factor_delete", "post"),
    ],
)
def test_another_users_factor_is_not_found(client, alice, bob, name, method):
    factor = add_factor(alice, "Tight bedsheets")
    client.force_login(bob)
    data = {"name": "Taken over", "kind": "number"}
    response = getattr(client, method)(reverse(name, args=[factor.pk]), data)
    assert response.status_code == 404
    factor.refresh_from_db()
    assert (factor.name, factor.kind, factor.archived) == ("Tight bedsheets", "yes_no", False)


def test_post_only_views_refuse_get(alice_client, alice):
    factor = add_factor(alice)
    assert alice_client.get(reverse("factor_add")).status_code == 405
    assert alice_client.get(reverse("factor_archive", args=[factor.pk])).status_code == 405


def test_factors_need_login(client):
    response = client.get(reverse("factors"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- Query budget -------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 8])
def test_list_queries_do_not_grow_with_factors_or_values(
    alice_client, alice, django_assert_num_queries, count
):
    for number in range(count):
        record_values(add_factor(alice, f"Factor {number}"), days=count)
        add_factor(alice, f"Archived {number}", archived=True)
    # Session, user, factors with value counts; the session saved in a savepoint (three).
    with django_assert_num_queries(6):
        response = alice_client.get(reverse("factors"))
    assert len(response.context["active"]) == count
