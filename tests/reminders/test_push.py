"""Reminders as Web Push notifications (journal/reminders/push.py), sent by the real pywebpush to
a push service run here on 127.0.0.1, which records what it is sent and answers as told; each
message read back as the browser would, with the browser's own keys. Then the addresses that
turn notifications on and off for a device (journal/views/push.py), and the Account page's list
of devices (templates/account/push_devices.html)."""

import base64
import json
import logging
import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from datetime import time as clock_time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from urllib.parse import urlsplit

import http_ece
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from py_vapid import Vapid

from journal.models import User
from journal.reminders import sending
from journal.reminders.messages import ReminderMessage, message_for
from journal.reminders.models import PushSubscription, Reminder, ReminderKind, SentReminder
from journal.reminders.push import (
    TTL_SECONDS,
    VapidKeys,
    new_vapid_keys,
    push_available,
    push_to_devices,
)
from journal.views.push import push_context
from tests.conftest import london

pytestmark = pytest.mark.django_db

CONTACT = "mailto:reminders@example.com"
SUBSCRIBE = "/account/push/"


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


# --- A push service, and a browser's keys --------------------------------------------------------


@dataclass
class Received:
    path: str
    headers: dict[str, str]  # by lower-case name
    body: bytes


@dataclass
class PushService:
    """An HTTP push service on 127.0.0.1: 201 for every message, or the status given for a path."""

    received: list[Received] = field(default_factory=list)
    answers: dict[str, int] = field(default_factory=dict)
    port: int = 0

    def endpoint(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/push/{name}"

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def answer(self, endpoint: str, status: int) -> None:
        self.answers[urlsplit(endpoint).path] = status

    def to(self, endpoint: str) -> list[Received]:
        return [got for got in self.received if got.path == urlsplit(endpoint).path]


@pytest.fixture
def push_service() -> Iterator[PushService]:
    service = PushService()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            headers = {name.lower(): value for name, value in self.headers.items()}
            service.received.append(Received(self.path, headers, body))
            self.send_response(service.answers.get(self.path, 201))
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    service.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    yield service
    server.shutdown()
    server.server_close()
    thread.join()


@dataclass(frozen=True)
class Browser:
    """What a browser keeps of its subscription: its P-256 key pair and 16-byte auth secret."""

    private_key: ec.EllipticCurvePrivateKey
    auth_secret: bytes

    @classmethod
    def new(cls) -> "Browser":
        return cls(ec.generate_private_key(ec.SECP256R1()), os.urandom(16))

    @property
    def keys(self) -> dict[str, str]:
        point = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {"p256dh": b64url(point), "auth": b64url(self.auth_secret)}

    def read(self, body: bytes) -> dict:
        return json.loads(
            http_ece.decrypt(
                body,
                private_key=self.private_key,
                auth_secret=self.auth_secret,
                version="aes128gcm",
            )
        )


def use_keys(settings, keys: VapidKeys) -> VapidKeys:
    settings.VAPID_PUBLIC_KEY = keys.public
    settings.VAPID_PRIVATE_KEY = keys.private
    settings.VAPID_CONTACT = CONTACT
    return keys


@pytest.fixture
def vapid(settings) -> VapidKeys:
    """A fresh VAPID pair for the server, made as `manage.py make_vapid_keys` makes one."""
    return use_keys(settings, new_vapid_keys())


def device(user: User, endpoint: str, browser: Browser, name: str = "Phone") -> PushSubscription:
    return PushSubscription.objects.create(
        user=user, endpoint=endpoint, device_name=name, **browser.keys
    )


@pytest.fixture
def message(alice, settings) -> ReminderMessage:
    settings.SITE_URL = "https://cramps.example"
    return message_for(
        Reminder(user=alice, kind=ReminderKind.EVENING, at=clock_time(21, 30)),
        timezone.localdate(),
    )


def expected_payload(message: ReminderMessage) -> dict:
    """The notification: the message, and how to turn it off."""
    body = f"{message.text} To change or turn off this reminder: Account, Reminders."
    return {"title": message.subject, "body": body, "url": message.url, "tag": "evening"}


def vapid_claims(authorization: str, public_key: str) -> dict:
    """The claims of the VAPID header (RFC 8292: `vapid t=<JWT>,k=<public key>`), once its
    ES256 signature is verified against `public_key`."""
    scheme, _, params = authorization.partition(" ")
    assert scheme == "vapid"
    fields = dict(part.strip().split("=", 1) for part in params.split(","))
    assert fields["k"] == public_key
    header, claims, signature = fields["t"].split(".")
    assert json.loads(unb64url(header)) == {"typ": "JWT", "alg": "ES256"}
    raw = unb64url(signature)
    assert len(raw) == 64  # r and s, 32 bytes each (JWS), not DER
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(public_key))
    key.verify(  # raises InvalidSignature
        encode_dss_signature(int.from_bytes(raw[:32]), int.from_bytes(raw[32:])),
        f"{header}.{claims}".encode(),
        ec.ECDSA(hashes.SHA256()),
    )
    return json.loads(unb64url(claims))


# --- Sending -------------------------------------------------------------------------------------


def test_a_push_is_signed_encrypted_to_the_browser_and_kept_for_the_grace(
    alice, vapid, push_service, message
):
    browser = Browser.new()
    phone = device(alice, push_service.endpoint("alice-phone"), browser)
    started = time.time()

    assert push_to_devices(alice, message) == 1

    (got,) = push_service.received
    assert got.path == "/push/alice-phone"
    claims = vapid_claims(got.headers["authorization"], vapid.public)
    assert claims["aud"] == push_service.origin
    assert claims["sub"] == CONTACT
    # In the future, and no more than the 24 hours RFC 8292 allows.
    assert started < claims["exp"] <= time.time() + 24 * 60 * 60
    assert got.headers["ttl"] == str(TTL_SECONDS) == "1800"
    assert got.headers["content-encoding"] == "aes128gcm"
    assert browser.read(got.body) == expected_payload(message)
    phone.refresh_from_db()
    assert phone.last_pushed_at is not None
    assert started - 1 <= phone.last_pushed_at.timestamp() <= time.time() + 1


def test_each_of_the_users_devices_gets_it_and_no_one_elses(
    alice, bob, vapid, push_service, message
):
    phone, laptop, bobs = Browser.new(), Browser.new(), Browser.new()
    device(alice, push_service.endpoint("phone"), phone, "Chrome on Android")
    device(alice, push_service.endpoint("laptop"), laptop, "Firefox on Linux")
    device(bob, push_service.endpoint("bob"), bobs)

    assert push_to_devices(alice, message) == 2

    assert phone.read(push_service.to(push_service.endpoint("phone"))[0].body)["tag"] == "evening"
    assert laptop.read(push_service.to(push_service.endpoint("laptop"))[0].body)["tag"] == "evening"
    assert push_service.to(push_service.endpoint("bob")) == []
    assert PushSubscription.objects.get(user=bob).last_pushed_at is None


@pytest.mark.parametrize("status", [404, 410])
def test_a_subscription_the_push_service_says_is_gone_is_removed(
    alice, vapid, push_service, message, status
):
    gone = device(alice, push_service.endpoint("gone"), Browser.new(), "Old phone")
    kept = device(alice, push_service.endpoint("kept"), Browser.new(), "New phone")
    push_service.answer(gone.endpoint, status)

    assert push_to_devices(alice, message) == 1

    assert list(PushSubscription.objects.for_user(alice)) == [kept]


@pytest.mark.parametrize("status", [400, 413, 429, 500, 503])
def test_another_failure_is_logged_and_the_subscription_kept(
    alice, vapid, push_service, message, status, caplog
):
    phone = device(alice, push_service.endpoint("phone"), Browser.new())
    push_service.answer(phone.endpoint, status)

    with caplog.at_level(logging.WARNING, logger="journal.reminders.push"):
        assert push_to_devices(alice, message) == 0

    phone.refresh_from_db()
    assert phone.last_pushed_at is None
    assert len(push_service.received) == 1
    assert [record.levelname for record in caplog.records] == ["WARNING"]
    assert str(status) in caplog.records[0].getMessage()
    assert phone.endpoint not in caplog.text  # the endpoint is the device's secret address


def test_a_push_service_that_cannot_be_reached_counts_as_not_sent(alice, vapid, message, caplog):
    with socket.socket() as free:  # a port with nothing listening on it
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    phone = device(alice, f"http://127.0.0.1:{port}/push/phone", Browser.new())

    with caplog.at_level(logging.WARNING, logger="journal.reminders.push"):
        assert push_to_devices(alice, message) == 0

    assert PushSubscription.objects.filter(pk=phone.pk).exists()
    assert len(caplog.records) == 1


@pytest.mark.parametrize("missing", ["VAPID_PUBLIC_KEY", "VAPID_PRIVATE_KEY"])
def test_without_both_keys_push_is_not_available_and_nothing_is_sent(
    alice, vapid, push_service, message, settings, missing
):
    device(alice, push_service.endpoint("phone"), Browser.new())
    assert push_available()
    setattr(settings, missing, "")

    assert not push_available()
    assert push_to_devices(alice, message) == 0
    assert push_service.received == []


def test_a_user_with_no_devices_gets_nothing(alice, vapid, push_service, message):
    assert push_to_devices(alice, message) == 0
    assert push_service.received == []


# --- The key pair --------------------------------------------------------------------------------


def command_keys() -> VapidKeys:
    out = StringIO()
    call_command("make_vapid_keys", stdout=out)
    lines = out.getvalue().splitlines()
    assert [line.split("=", 1)[0] for line in lines] == ["VAPID_PUBLIC_KEY", "VAPID_PRIVATE_KEY"]
    values = dict(line.split("=", 1) for line in lines)
    return VapidKeys(public=values["VAPID_PUBLIC_KEY"], private=values["VAPID_PRIVATE_KEY"])


def test_make_vapid_keys_prints_a_pair_that_signs_pushes(alice, settings, push_service, message):
    keys = command_keys()
    point = unb64url(keys.public)
    assert len(point) == 65 and point[0] == 4  # an uncompressed P-256 point
    assert re.fullmatch(r"[A-Za-z0-9_-]+", keys.public + keys.private)  # base64url, no padding
    # The private key is one py_vapid reads, and it is the public key's.
    vapid_public = Vapid.from_string(keys.private).public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    assert vapid_public == point
    assert command_keys() != keys

    # The round trip: set as printed, a push goes out signed by that pair.
    use_keys(settings, keys)
    browser = Browser.new()
    device(alice, push_service.endpoint("phone"), browser)
    assert push_to_devices(alice, message) == 1
    (got,) = push_service.received
    assert vapid_claims(got.headers["authorization"], keys.public)["sub"] == CONTACT
    assert browser.read(got.body) == expected_payload(message)


# --- Turning notifications on for a device -------------------------------------------------------


def body(
    endpoint="https://fcm.googleapis.com/fcm/send/abc123", keys=None, name="Chrome on Android"
):
    keys = keys if keys is not None else Browser.new().keys
    return {
        "subscription": {"endpoint": endpoint, "expirationTime": None, "keys": keys},
        "device_name": name,
    }


def subscribe(client: Client, data, **headers):
    content = data if isinstance(data, str | bytes) else json.dumps(data)
    return client.post(SUBSCRIBE, content, content_type="application/json", headers=headers)


def test_a_browser_subscribes_this_device(alice_client, alice, vapid):
    sent = body()

    response = subscribe(alice_client, sent)

    assert response.status_code == 201
    saved = PushSubscription.objects.get()
    assert response.json() == {
        "status": "created",
        "message": "Notifications are on for Chrome on Android.",
        "id": saved.pk,
    }
    assert saved.user == alice
    assert saved.subscription_info == {
        "endpoint": sent["subscription"]["endpoint"],
        "keys": sent["subscription"]["keys"],
    }
    assert saved.device_name == "Chrome on Android"
    assert saved.last_pushed_at is None


def test_the_csrf_token_comes_in_the_header(alice, vapid):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert subscribe(client, body()).status_code == 403
    token = client.get(reverse("cramp_sync")).json()["csrf_token"]

    assert subscribe(client, body(), X_CSRFToken=token).status_code == 201


def test_subscribing_again_updates_the_device(alice_client, alice, vapid):
    endpoint = "https://updates.push.services.mozilla.com/wpush/v2/gAAAA"
    subscribe(alice_client, body(endpoint, name="Firefox on Linux"))
    new_keys = Browser.new().keys

    response = subscribe(alice_client, body(endpoint, keys=new_keys, name="Work laptop"))

    assert response.status_code == 200
    assert response.json()["status"] == "updated"
    saved = PushSubscription.objects.get()
    assert (saved.user, saved.p256dh, saved.auth, saved.device_name) == (
        alice,
        new_keys["p256dh"],
        new_keys["auth"],
        "Work laptop",
    )


def test_a_device_another_account_had_moves_to_this_one(alice_client, alice, bob, vapid):
    """A shared computer: the browser gets the reminders of whoever turned them on last."""
    endpoint = "https://web.push.apple.com/QGuV"
    device(bob, endpoint, Browser.new(), "Bob's iPad")

    assert subscribe(alice_client, body(endpoint, name="Family iPad")).status_code == 200

    saved = PushSubscription.objects.get()
    assert (saved.user, saved.device_name) == (alice, "Family iPad")


def keys_with(**changed) -> dict[str, str]:
    return {**Browser.new().keys, **changed}


P256DH = "p256dh"
ENDPOINT = "endpoint"


@pytest.mark.parametrize(
    ("sent", "field"),
    [
        ("not json", "__all__"),
        (b"\xff\xfe\xfa", "__all__"),  # not UTF-8 either
        ([], ENDPOINT),
        ({"device_name": "Phone"}, ENDPOINT),
        (body(endpoint="http://fcm.googleapis.com/fcm/send/abc"), ENDPOINT),
        (body(endpoint="http://127.0.0.1:8080/push/abc"), ENDPOINT),  # only with DEBUG
        (body(endpoint="https://localhost/push/abc"), ENDPOINT),
        (body(endpoint="https://10.0.0.5/push/abc"), ENDPOINT),
        (body(endpoint="https://[::1]/push/abc"), ENDPOINT),
        (body(endpoint="https://intranet/push/abc"), ENDPOINT),
        # Named hosts that lead inside the server's network: only known push services are.
        (body(endpoint="https://169.254.169.254.nip.io/push/abc"), ENDPOINT),
        (body(endpoint="https://metadata.google.internal/computeMetadata/v1/"), ENDPOINT),
        (body(endpoint="https://fcm.googleapis.com.evil.example/fcm/send/abc"), ENDPOINT),
        (body(endpoint="https://user:pw@fcm.googleapis.com/fcm/send/abc"), ENDPOINT),
        (body(endpoint="https://fcm.googleapis.com:notaport/fcm/send/abc"), ENDPOINT),
        (body(endpoint="javascript:alert(1)"), ENDPOINT),
        (body(endpoint="fcm.googleapis.com/fcm/send/abc"), ENDPOINT),
        (body(endpoint="https://fcm.googleapis.com/fcm/send/a b"), ENDPOINT),
        (body(endpoint="https://fcm.googleapis.com"), ENDPOINT),  # no path
        (body(endpoint="https://fcm.googleapis.com/" + "a" * 1000), ENDPOINT),
        (body(endpoint=None), ENDPOINT),
        (body(keys={}), P256DH),
        (body(keys=["p256dh", "auth"]), P256DH),
        (body(keys=keys_with(p256dh="not base64!")), P256DH),
        (body(keys=keys_with(p256dh=b64url(b"\x04" + bytes(64)))), P256DH),  # not on the curve
        (body(keys=keys_with(p256dh=b64url(b"\x02" + os.urandom(32)))), P256DH),  # compressed
        (body(keys=keys_with(auth=b64url(os.urandom(15)))), "auth"),
        (body(keys=keys_with(auth="")), "auth"),
        (body(name=""), "device_name"),
        (body(name="   "), "device_name"),
        (body(name="x" * 101), "device_name"),
        (body(name=42), "device_name"),
    ],
)
def test_a_subscription_that_cannot_be_used_is_refused(alice_client, vapid, sent, field):
    response = subscribe(alice_client, sent)

    assert response.status_code == 400
    answer = response.json()
    assert answer["status"] == "refused"
    assert answer["errors"][field], answer
    assert answer["message"]  # what the page says
    assert PushSubscription.objects.count() == 0


def test_the_refusal_says_what_is_wrong_in_the_apps_words(alice_client, vapid):
    answer = subscribe(alice_client, body(endpoint="http://example.com/x", name="")).json()
    assert answer["errors"] == {
        "endpoint": [
            "This browser's push address is not one notifications can be sent to: it must be "
            "the https address of a push service."
        ],
        "device_name": ["Give this device a name, to know it by in the list."],
    }
    assert answer["message"] == " ".join(message for [message] in answer["errors"].values())


def test_a_push_service_on_this_machine_is_taken_in_development(
    alice_client, vapid, settings, push_service
):
    settings.DEBUG = True
    assert subscribe(alice_client, body(push_service.endpoint("dev"))).status_code == 201


def test_without_keys_on_the_server_no_device_is_taken(alice_client, settings):
    settings.VAPID_PUBLIC_KEY = settings.VAPID_PRIVATE_KEY = ""

    response = subscribe(alice_client, body())

    assert response.status_code == 409
    assert response.json()["message"] == "Notifications are not set up on this server."
    assert PushSubscription.objects.count() == 0


def test_subscribing_is_by_post_only(alice_client, vapid):
    assert alice_client.get(SUBSCRIBE).status_code == 405


def test_signed_out_both_addresses_lead_to_the_log_in_page(client, alice, vapid):
    phone = device(alice, "https://fcm.googleapis.com/fcm/send/abc", Browser.new())
    for url in (SUBSCRIBE, reverse("push_remove", args=[phone.pk])):
        response = client.post(url, json.dumps(body()), content_type="application/json")
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert PushSubscription.objects.count() == 1


# --- Removing a device ---------------------------------------------------------------------------


def test_removing_a_device_of_ones_own(alice_client, alice):
    phone = device(alice, "https://fcm.googleapis.com/fcm/send/phone", Browser.new(), "My phone")
    other = device(alice, "https://fcm.googleapis.com/fcm/send/tablet", Browser.new(), "Tablet")

    response = alice_client.post(reverse("push_remove", args=[phone.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("reminders") + "#push-devices"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "My phone no longer gets notifications."
    ]
    assert list(PushSubscription.objects.all()) == [other]


def test_another_users_device_is_not_found_and_not_removed(alice_client, bob):
    bobs = device(bob, "https://fcm.googleapis.com/fcm/send/bob", Browser.new())

    assert alice_client.post(reverse("push_remove", args=[bobs.pk])).status_code == 404
    assert PushSubscription.objects.filter(pk=bobs.pk).exists()


def test_removing_is_by_post_only(alice_client, alice):
    phone = device(alice, "https://fcm.googleapis.com/fcm/send/phone", Browser.new())
    assert alice_client.get(reverse("push_remove", args=[phone.pk])).status_code == 405
    assert PushSubscription.objects.filter(pk=phone.pk).exists()


# --- The list of devices on Account > Reminders ------------------------------------------------


def render_devices(user: User) -> str:
    request = RequestFactory().get(reverse("reminders"))
    request.user = user
    return render_to_string("account/push_devices.html", push_context(user), request=request)


def test_the_list_shows_each_device_with_a_remove_button_that_needs_no_script(
    alice, bob, vapid, settings
):
    phone = device(
        alice, "https://fcm.googleapis.com/fcm/send/p", Browser.new(), "Chrome on Android"
    )
    laptop = device(alice, "https://example.push.test/l", Browser.new(), "Firefox <on> Linux")
    laptop.last_pushed_at = timezone.now()
    laptop.save()
    device(bob, "https://fcm.googleapis.com/fcm/send/b", Browser.new(), "Bob's phone")

    html = render_devices(alice)

    assert "Chrome on Android" in html and "Firefox &lt;on&gt; Linux" in html
    assert "Bob's phone" not in html
    assert html.count("not notified yet") == 1
    assert html.count("last notified") == 1
    for pk in (phone.pk, laptop.pk):
        form = re.search(
            rf'<form method="post" action="/account/push/{pk}/remove/">(.*?)</form>', html, re.S
        )
        assert form, pk
        assert 'name="csrfmiddlewaretoken"' in form[1]
        assert 'type="submit"' in form[1] and ">Remove</button>" in form[1]
    # Turning on needs the script, so its form is hidden until push.js finds support.
    subscribe_form = re.search(r'<form method="post" action="/account/push/"[^>]*>', html)
    assert subscribe_form and " hidden" in subscribe_form[0]
    assert f'data-vapid-public-key="{vapid.public}"' in subscribe_form[0]
    assert '<label for="push-device-name">' in html
    assert "Turn on notifications on this device" in html
    assert "Add to Home Screen" in html and "16.4" in html
    assert re.search(r'<script src="[^"]*js/push\.js" defer></script>', html)
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)  # no inline script (CSP)
    assert "style=" not in html and "<style" not in html


def test_without_keys_on_the_server_the_list_says_so(alice, settings):
    settings.VAPID_PUBLIC_KEY = settings.VAPID_PRIVATE_KEY = ""
    phone = device(alice, "https://fcm.googleapis.com/fcm/send/p", Browser.new(), "Old phone")

    html = render_devices(alice)

    assert "not set up on this server, so reminders come by email only" in html
    assert "data-push-subscribe" not in html
    assert f'action="/account/push/{phone.pk}/remove/"' in html  # still removable
    assert "Add to Home Screen" in html


def test_with_no_device_the_list_says_none(alice, vapid):
    assert "No device gets reminders as notifications yet." in render_devices(alice)


def test_the_service_worker_shows_pushes_with_the_apps_icon(client, db):
    source = client.get("/sw.js").content.decode()
    settings = json.loads(re.match(r"const CRAMP_JOURNAL = (\{.*\});\n", source)[1])
    assert client.get(settings["icon"]).status_code == 200
    assert 'addEventListener("push"' in source
    assert 'addEventListener("notificationclick"' in source


def test_the_known_push_services_of_the_browsers_are_taken(alice_client, vapid):
    for endpoint in (
        "https://fcm.googleapis.com/fcm/send/chrome",
        "https://updates.push.services.mozilla.com/wpush/v2/firefox",
        "https://web.push.apple.com/safari",
        "https://wns2-par02p.notify.windows.com/w/?token=edge",
    ):
        assert subscribe(alice_client, body(endpoint)).status_code == 201, endpoint


def test_at_most_ten_devices_each_but_one_of_them_may_subscribe_again(alice_client, alice, vapid):
    for number in range(10):
        assert (
            subscribe(
                alice_client, body(f"https://fcm.googleapis.com/fcm/send/{number}")
            ).status_code
            == 201
        )
    refused = subscribe(alice_client, body("https://fcm.googleapis.com/fcm/send/eleventh"))
    assert refused.status_code == 400
    assert refused.json()["message"] == (
        "Notifications are on for 10 devices already: remove one first."
    )
    assert subscribe(alice_client, body("https://fcm.googleapis.com/fcm/send/3")).status_code == 200
    assert PushSubscription.objects.for_user(alice).count() == 10


def test_a_push_service_that_redirects_is_not_followed(alice, vapid, push_service, message):
    target = device(alice, push_service.endpoint("moved"), Browser.new())
    push_service.answer(target.endpoint, 307)
    assert push_to_devices(alice, message) == 0
    assert len(push_service.received) == 1  # the redirect's Location (none here) is not visited
    assert PushSubscription.objects.filter(pk=target.pk).exists()


def test_a_reminder_sent_by_the_worker_goes_to_the_devices_when_chosen(
    alice, vapid, push_service, settings, freeze_now
):
    settings.SITE_URL = "https://cramps.example"
    evening = freeze_now(london(date(2027, 1, 15), 21, 30))
    browser = Browser.new()
    device(alice, push_service.endpoint("phone"), browser)
    reminder = Reminder.objects.create(
        user=alice,
        kind="evening",
        at=clock_time(21, 30),
        enabled=True,
        by_email=False,
        by_push=True,
    )

    def queued() -> int:
        SentReminder.objects.all().delete()
        entry = SentReminder.objects.create(
            user=alice, kind="evening", local_date=date(2027, 1, 15), queued_at=evening
        )
        return entry.pk

    assert sending.send(queued(), evening) == "Sent"
    [got] = push_service.received
    assert browser.read(got.body)["title"] == "A good time to stretch before bed"
    assert SentReminder.objects.values_list("emailed", "pushed").get() == (False, 1)

    reminder.by_push, reminder.by_email = False, True
    reminder.save()
    assert sending.send(queued(), evening) == "Sent"
    assert len(push_service.received) == 1  # push is off now: the phone gets nothing more
    assert SentReminder.objects.values_list("emailed", "pushed").get() == (True, 0)
