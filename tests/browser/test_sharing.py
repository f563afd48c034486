"""Sharing the summary from a phone: the new link at the top with a Copy button that copies it
and a QR code that a reader decodes to the same address; without JavaScript, the address to
select by hand."""

import subprocess
from datetime import date

import pytest
from playwright.sync_api import expect

from journal.models import CrampEpisode, Night, User
from tests.browser.support import MORNING, NIGHT, PHONE, log_in
from tests.conftest import london

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def patient(freeze_now) -> User:
    freeze_now(MORNING)
    user = User.objects.create_user("pat@example.com", "pat-password-1", time_zone="Europe/London")
    night = Night.objects.create(user=user, date=NIGHT)
    CrampEpisode.objects.create(night=night, started_at=london(date(2026, 3, 5), 3, 10))
    return user


def zbar(picture) -> str:
    result = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(picture)], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


@pytest.mark.parametrize("color_scheme", ["dark", "light"])
def test_a_new_link_copies_and_its_qr_code_scans(
    open_page, live_server, patient, tmp_path, color_scheme
):
    page = open_page(user=patient, viewport=PHONE, color_scheme=color_scheme)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto(f"{live_server.url}/summary/")
    page.get_by_role("button", name="Create a link").click()
    expect(page.get_by_role("heading", name="Your new link")).to_be_visible()
    address = page.get_by_label("Link address").input_value()
    assert address.startswith(f"{live_server.url}/shared/")

    page.get_by_role("button", name="Copy").click()
    expect(page.get_by_role("status").filter(has_text="Link copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == address

    picture = tmp_path / "qr.png"
    page.locator(".share-new svg.share-qr").screenshot(path=picture)
    assert zbar(picture) == address  # as a phone camera would read it off the screen
    # Sharing sits above the summary, not below its log.
    sharing = page.get_by_role("heading", name="Share with a doctor").bounding_box()
    summary = page.get_by_role("heading", name="Night-time leg cramps: patient summary")
    assert sharing["y"] < summary.bounding_box()["y"]


def test_without_javascript_the_address_is_there_to_select(
    browser, browser_context_args, live_server, patient
):
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    log_in(context, live_server, patient)
    page = context.new_page()
    page.goto(f"{live_server.url}/summary/")
    page.get_by_role("button", name="Create a link").click()
    address = page.get_by_label("Link address")
    expect(address).to_have_attribute("readonly", "")
    assert address.input_value().startswith(f"{live_server.url}/shared/")
    expect(page.get_by_role("button", name="Copy")).to_be_hidden()  # it needs the script
    context.close()
