"""Turning reminders on as notifications, on a phone, from the Account page's list of devices
(templates/account/push_devices.html, static/js/push.js).

Headless Chromium has no push service to subscribe with (pushManager.subscribe fails), so the
browser's PushManager is replaced here by one that hands out a fixed subscription; everything
after it is real: the permission, the request to the server with its CSRF token, the device
saved and the list shown again with it. tests/reminders/test_push.py sends to a subscription."""

import json

import pytest
from playwright.sync_api import expect

from journal.models import User
from journal.reminders.models import PushSubscription
from journal.reminders.push import new_vapid_keys
from tests.browser.support import axe_violations, screenshot, sideways_overflow
from tests.reminders.test_push import Browser

ENDPOINT = "https://fcm.googleapis.com/fcm/send/browser-test"
KEYS = Browser.new().keys
# The subscription a browser with a push service would give: kept across page loads.
PUSH_MANAGER = f"""
(() => {{
  const subscription = {{
    endpoint: "{ENDPOINT}",
    options: {{ applicationServerKey: null }},
    toJSON() {{
      return {{ endpoint: this.endpoint, expirationTime: null, keys: {json.dumps(KEYS)} }};
    }},
    unsubscribe() {{
      localStorage.removeItem("test-subscribed");
      return Promise.resolve(true);
    }},
  }};
  PushManager.prototype.subscribe = function (options) {{
    subscription.options = options;
    localStorage.setItem("test-subscribed", "1");
    return Promise.resolve(subscription);
  }};
  PushManager.prototype.getSubscription = function () {{
    return Promise.resolve(localStorage.getItem("test-subscribed") ? subscription : null);
  }};
}})();
"""


pytestmark = pytest.mark.django_db(transaction=True)


def test_notifications_turned_on_from_the_reminders_page(open_page, live_server, settings):
    keys = new_vapid_keys()
    settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY = keys.public, keys.private
    user = User.objects.create_user("pat@example.com", "pat-password-1", time_zone="Europe/London")
    page = open_page(user=user)
    page.context.add_init_script(PUSH_MANAGER)
    page.context.grant_permissions(["notifications"], origin=live_server.url)
    page.goto(f"{live_server.url}/account/reminders/")
    devices = page.locator("[data-push-devices]")

    expect(devices.get_by_text("Share, then Add to Home Screen")).to_be_visible()
    expect(devices).to_contain_text("16.4")
    name = devices.get_by_label("Name for this device")
    expect(name).to_have_value("Chrome on Linux")  # proposed from the user agent
    name.fill("Pat's phone")
    devices.get_by_role("button", name="Turn on notifications on this device").click()

    expect(devices.get_by_role("status")).to_have_text("Notifications are on for Pat's phone.")
    expect(devices.get_by_role("listitem")).to_contain_text("Pat's phone This device")
    expect(devices.get_by_role("button", name="Remove Pat's phone")).to_be_visible()
    expect(name).to_be_hidden()  # on for this device already
    devices.scroll_into_view_if_needed()
    screenshot(page, "reminders-devices-phone-dark")
    assert axe_violations(page, "devices") + sideways_overflow(page, "devices") == []
    saved = PushSubscription.objects.get()
    assert (saved.user, saved.endpoint, saved.device_name) == (user, ENDPOINT, "Pat's phone")
    assert saved.subscription_info["keys"] == KEYS

    devices.get_by_role("button", name="Remove Pat's phone").click()
    expect(page.get_by_text("Pat's phone no longer gets notifications.")).to_be_visible()
    assert not PushSubscription.objects.exists()
