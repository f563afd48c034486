"""A browser's Web Push subscription, as static/js/push.js sends it: refused unless it is one
the server can push to and encrypt for."""

import base64
import binascii
import re
from fnmatch import fnmatch
from typing import Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from journal.models import User
from journal.reminders.models import PushSubscription

BASE64URL = re.compile(r"^[A-Za-z0-9_-]+={0,2}$")
# A push service on this machine, for trying push out in development (DEBUG) only.
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost"})
ENDPOINT_MESSAGE = (
    "This browser's push address is not one notifications can be sent to: it must be the "
    "https address of a push service."
)
# Each push waits for its service in turn: a limit keeps one account from holding up the worker.
MAX_DEVICES = 10
KEY_MESSAGE = "This browser's notification keys could not be read. Try turning them on again."


def base64url_bytes(value: str) -> bytes | None:
    """The bytes of an (unpadded) base64url string, as PushSubscription.toJSON() gives its keys;
    None if it is not one."""
    if not BASE64URL.match(value):
        return None
    try:
        return base64.urlsafe_b64decode(value.rstrip("=") + "=" * (-len(value.rstrip("=")) % 4))
    except (binascii.Error, ValueError):
        return None


def push_service_address(endpoint: str) -> bool:
    """Whether the server may POST to `endpoint`: https to one of the push services of
    settings.PUSH_SERVICE_HOSTS (with DEBUG, a push service on this machine too). A subscription
    is whatever a browser (or anyone signed in) sends, and the server is not to be made to post
    to machines of its own network."""
    try:
        URLValidator(schemes=["http", "https"])(endpoint)
    except ValidationError:
        return False
    try:
        parts = urlsplit(endpoint)
        host = parts.hostname or ""
        _ = parts.port  # raises ValueError for a port that is not a number
    except ValueError:
        return False
    if parts.username is not None or parts.password is not None or not parts.path:
        return False
    if settings.DEBUG and host in LOCAL_HOSTS:
        return parts.scheme in {"http", "https"}
    known = any(fnmatch(host, pattern) for pattern in settings.PUSH_SERVICE_HOSTS)
    return parts.scheme == "https" and known


class PushSubscriptionForm(forms.Form):
    endpoint = forms.CharField(
        max_length=1000,
        error_messages={"required": ENDPOINT_MESSAGE, "max_length": ENDPOINT_MESSAGE},
    )
    p256dh = forms.CharField(
        max_length=200, error_messages={"required": KEY_MESSAGE, "max_length": KEY_MESSAGE}
    )
    auth = forms.CharField(
        max_length=100, error_messages={"required": KEY_MESSAGE, "max_length": KEY_MESSAGE}
    )
    device_name = forms.CharField(
        max_length=100,
        error_messages={
            "required": "Give this device a name, to know it by in the list.",
            "max_length": "Give this device a name of up to 100 characters.",
        },
    )

    @classmethod
    def from_json(cls, body: Any) -> "PushSubscriptionForm":
        """The form for a request body of {"subscription": PushSubscription.toJSON(),
        "device_name": ...}; anything not a string is taken as missing."""
        body = body if isinstance(body, dict) else {}
        subscription = body.get("subscription")
        subscription = subscription if isinstance(subscription, dict) else {}
        keys = subscription.get("keys")
        keys = keys if isinstance(keys, dict) else {}
        values = {
            "endpoint": subscription.get("endpoint"),
            "p256dh": keys.get("p256dh"),
            "auth": keys.get("auth"),
            "device_name": body.get("device_name"),
        }
        return cls({name: value for name, value in values.items() if isinstance(value, str)})

    def clean_endpoint(self) -> str:
        endpoint = self.cleaned_data["endpoint"]
        if not push_service_address(endpoint):
            raise forms.ValidationError(ENDPOINT_MESSAGE, code="invalid")
        return endpoint

    def clean_p256dh(self) -> str:
        """The browser's public key, which the message is encrypted to: a point on P-256."""
        raw = base64url_bytes(self.cleaned_data["p256dh"])
        try:
            if raw is None or len(raw) != 65:
                raise ValueError
            ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
        except ValueError:
            raise forms.ValidationError(KEY_MESSAGE, code="invalid") from None
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    def clean_auth(self) -> str:
        """The browser's 16-byte authentication secret (RFC 8291)."""
        raw = base64url_bytes(self.cleaned_data["auth"])
        if raw is None or len(raw) != 16:
            raise forms.ValidationError(KEY_MESSAGE, code="invalid")
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    def save(self, user: User) -> tuple[PushSubscription, bool]:
        """One subscription per endpoint (per browser): a new one, or the one with this endpoint
        given the new keys and name and, if another account had it, moved to this one: the
        browser now gets the reminders of whoever turned them on in it last. True if created."""
        data = self.cleaned_data
        return PushSubscription.objects.update_or_create(
            endpoint=data["endpoint"],
            defaults={
                "user": user,
                "p256dh": data["p256dh"],
                "auth": data["auth"],
                "device_name": data["device_name"],
            },
        )
