"""Typing a medicine's name in the browser proposes its type as you type (htmx), with its
evidence note; "Use" sets the type field, and nothing is saved until Save."""

import pytest
from playwright.sync_api import expect

from journal.models import Medication, User
from tests.browser.support import DESKTOP, MORNING, PHONE

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def patient(freeze_now) -> User:
    freeze_now(MORNING)
    return User.objects.create_user("pat@example.com", "pat-password-1", time_zone="Europe/London")


@pytest.mark.parametrize(("viewport", "color_scheme"), [(PHONE, "dark"), (DESKTOP, "light")])
def test_typing_a_brand_proposes_its_type_and_use_sets_it(
    open_page, live_server, patient, viewport, color_scheme
):
    page = open_page(user=patient, viewport=viewport, color_scheme=color_scheme)
    page.goto(f"{live_server.url}/medications/add/")
    page.get_by_label("Name").press_sequentially("Lasix")
    proposal = page.locator("#class-proposal")
    expect(proposal).to_contain_text("We think Lasix is furosemide, of the type Loop diuretic")
    expect(proposal).to_contain_text("discuss it with your doctor")  # its evidence note
    assert page.get_by_label("Type of medicine").input_value() == ""  # not set by itself
    assert not Medication.objects.exists()

    page.get_by_role("button", name="Use “Loop diuretic”").click()
    expect(proposal).to_contain_text("That is the type chosen.")
    expect(page.get_by_label("Type of medicine")).to_have_value("loop_diuretic")
    expect(page.get_by_label("Type of medicine")).to_be_focused()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Lasix added.")).to_be_visible()
    assert Medication.objects.get().drug_class == "loop_diuretic"
