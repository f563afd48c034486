"""The medication form proposes the type recognised from the name, live (an htmx partial of
the form page) and after a Save without JavaScript, and never saves a type unseen."""

from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import reverse

from journal.models import Medication
from tests.conftest import html_of
from tests.test_medications import CRAMP_NOTE, add_medication, medication_data

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
NOT_LINKED = "This type is not among the medicines linked with cramps"


@pytest.fixture(autouse=True)
def _fixed_clock(freeze_now):
    freeze_now(datetime(2026, 3, 10, 21, 30, tzinfo=UTC))


def test_the_partial_proposes_the_type_of_a_brand_with_its_evidence(
    alice_client, django_assert_max_num_queries
):
    # The session and the user, and the session saved (3, its idle timeout): nothing else.
    with django_assert_max_num_queries(5):
        response = alice_client.get(
            reverse("medication_add"), {"name": "Lipitor", "drug_class": ""}, **HTMX
        )
    html = html_of(response)
    assert "<html" not in html  # the partial alone
    assert (
        "We think <strong>Lipitor</strong> is atorvastatin, of the type <strong>Statin</strong>"
        in html
    )
    assert "Check before saving." in html
    assert '<input type="hidden" name="proposal_seen" value="statin">' in html
    assert 'data-use-class="statin" hidden>Use “Statin”</button>' in html
    assert "(C10AA05)" in html and "offline drug dictionary" in html
    assert CRAMP_NOTE in html and "1.16 times" in html  # the statin's evidence note
    assert "HX-Request" in response["Vary"]


def test_the_partial_says_when_the_type_chosen_is_the_one_proposed(alice_client):
    html = html_of(
        alice_client.get(
            reverse("medication_add"), {"name": "furosemide", "drug_class": "loop_diuretic"}, **HTMX
        )
    )
    assert (
        "We think <strong>furosemide</strong> is of the type <strong>Loop diuretic</strong>" in html
    )
    assert "That is the type chosen." in html and "data-use-class" not in html
    assert "1.2 times" in html  # the loop diuretic's note


def test_the_partial_names_types_not_linked_with_cramps_and_guesses_nothing_unknown(alice_client):
    url = reverse("medication_add")
    html = html_of(alice_client.get(url, {"name": "Ramipril", "drug_class": "other"}, **HTMX))
    assert "<strong>ACE inhibitor</strong>" in html and NOT_LINKED in html
    assert "You chose “Other”: check before saving. Save keeps your choice." in html
    assert CRAMP_NOTE not in html
    assert (
        html_of(alice_client.get(url, {"name": "Bananas", "drug_class": ""}, **HTMX)).strip() == ""
    )
    # A type chosen by hand still shows its evidence, with or without a name recognised.
    html = html_of(alice_client.get(url, {"name": "Bananas", "drug_class": "arb"}, **HTMX))
    assert CRAMP_NOTE in html and "We think" not in html


def test_a_close_spelling_is_offered_as_a_question(alice_client):
    html = html_of(
        alice_client.get(
            reverse("medication_add"), {"name": "simvastatn", "drug_class": ""}, **HTMX
        )
    )
    assert "Did you mean <strong>Simvastatin</strong>?" in html


def test_the_partial_of_another_users_medication_is_refused(alice_client, bob):
    medication = add_medication(bob, "Atorvastatin", drug_class="statin")
    url = reverse("medication_edit", args=[medication.pk])
    assert alice_client.get(url, {"name": "Lipitor", "drug_class": ""}, **HTMX).status_code == 404
    assert alice_client.get(url).status_code == 404
    assert alice_client.post(url, medication_data()).status_code == 404


def test_without_javascript_an_empty_type_comes_back_preselected_and_is_saved_only_then(
    alice_client, alice
):
    url = reverse("medication_add")
    response = alice_client.post(url, medication_data(name="Lipitor", drug_class=""))
    assert response.status_code == 200 and not Medication.objects.exists()
    html = html_of(response)
    assert '<option value="statin" selected>' in html  # preselected, for the user to check
    assert "Not saved yet: we chose this type for you above." in html
    assert response.context["form"].errors == {}  # a question, not an error
    # Saved once the user saves the form as it came back.
    again = medication_data(name="Lipitor", drug_class="statin", proposal_seen="statin")
    assert alice_client.post(url, again)["Location"] == reverse("medications")
    assert Medication.objects.get(user=alice).drug_class == "statin"


def test_an_empty_type_with_a_name_not_recognised_is_an_error(alice_client):
    response = alice_client.post(
        reverse("medication_add"), medication_data(name="Bananas", drug_class="")
    )
    assert response.context["form"].errors == {
        "drug_class": ["Choose the type of medicine. If none fits, choose “Other”."]
    }
    assert not Medication.objects.exists()


def test_a_different_choice_is_shown_once_beside_the_proposal_then_kept(alice_client, alice):
    url = reverse("medication_add")
    response = alice_client.post(url, medication_data(name="Lipitor", drug_class="other"))
    assert response.status_code == 200 and not Medication.objects.exists()
    html = html_of(response)
    assert '<option value="other" selected>' in html  # the user's choice, untouched
    assert "You chose “Other”: check before saving." in html
    # Saving again keeps the user's choice: they have seen the proposal.
    again = medication_data(name="Lipitor", drug_class="other", proposal_seen="statin")
    assert alice_client.post(url, again)["Location"] == reverse("medications")
    assert Medication.objects.get(user=alice).drug_class == "other"


def test_a_proposal_seen_live_saves_at_the_first_press(alice_client, alice):
    data = medication_data(name="Lasix", drug_class="other", proposal_seen="loop_diuretic")
    assert alice_client.post(reverse("medication_add"), data).status_code == 302
    # ... but having seen another medicine's proposal does not count.
    data = medication_data(name="Lipitor", drug_class="other", proposal_seen="loop_diuretic")
    assert alice_client.post(reverse("medication_add"), data).status_code == 200
    assert list(Medication.objects.values_list("name", "drug_class")) == [("Lasix", "other")]


def test_a_name_matching_its_type_saves_at_once(alice_client, alice):
    response = alice_client.post(
        reverse("medication_add"), medication_data(name="Zocor", drug_class="statin")
    )
    assert response.status_code == 302
    assert Medication.objects.get().drug_class == "statin"


def test_editing_shows_the_proposal_for_a_saved_medicine_of_another_type(alice_client, alice):
    medication = add_medication(alice, "Ramipril", drug_class="other")
    url = reverse("medication_edit", args=[medication.pk])
    html = html_of(alice_client.get(url))
    assert "<strong>ACE inhibitor</strong>" in html and "You chose “Other”" in html
    data = medication_data(name="Ramipril", drug_class="ace_inhibitor", started_on="2025-01-06")
    assert alice_client.post(url, data).status_code == 302
    medication.refresh_from_db()
    assert medication.drug_class == "ace_inhibitor"


def test_the_live_lookup_needs_a_login():
    response = Client().get(reverse("medication_add"), {"name": "Lipitor"}, **HTMX)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
