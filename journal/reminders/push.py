"""Reminders as Web Push notifications, to each device a user turned them on on (their
PushSubscriptions), signed with the server's VAPID key pair (`manage.py make_vapid_keys`).

The push service (Google's, Mozilla's, Apple's...) only relays the message: pywebpush encrypts
it to the browser's own keys, so the service cannot read it."""

import base64
import json
import logging
from dataclasses import dataclass

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.utils import timezone
from pywebpush import WebPushException, webpush

from journal.models import User
from journal.reminders.due import GRACE
from journal.reminders.messages import OFF_HINT, ReminderMessage
from journal.reminders.models import PushSubscription

logger = logging.getLogger(__name__)

# A reminder the push service could not deliver within the grace (the phone was off) would only
# arrive late: the service drops it then, as the worker does (due.GRACE).
TTL_SECONDS = int(GRACE.total_seconds())
TIMEOUT_SECONDS = 10
# The push service's answer for a subscription that no longer exists (the browser unsubscribed,
# or the site's data was cleared): nothing will ever reach it again.
GONE = frozenset({404, 410})


def no_redirects() -> requests.Session:
    """A push service answers a push itself: a redirect would have the server post elsewhere
    (perhaps inside its own network), so it is refused (requests' TooManyRedirects)."""
    session = requests.Session()
    session.max_redirects = 0
    return session


@dataclass(frozen=True)
class VapidKeys:
    public: str  # base64url uncompressed P-256 point: the browser's applicationServerKey
    private: str  # base64url raw 32-byte private number, as py_vapid's Vapid.from_string reads


def b64urlencode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def new_vapid_keys() -> VapidKeys:
    key = ec.generate_private_key(ec.SECP256R1())
    point = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return VapidKeys(
        public=b64urlencode(point),
        private=b64urlencode(key.private_numbers().private_value.to_bytes(32, "big")),
    )


def push_available() -> bool:
    """Whether this server can send pushes: both VAPID keys are set."""
    return bool(settings.VAPID_PUBLIC_KEY and settings.VAPID_PRIVATE_KEY)


def payload(message: ReminderMessage) -> str:
    """What static/js/sw.js shows; the tag makes a reminder replace the last one of its kind."""
    body = f"{message.text} {OFF_HINT}"
    return json.dumps(
        {"title": message.subject, "body": body, "url": message.url, "tag": message.kind}
    )


def push_to_devices(user: User, message: ReminderMessage) -> int:
    """Send `message` to each of the user's devices; the number that took it."""
    if not push_available():
        return 0
    data = payload(message)
    return sum(_push(device, data) for device in PushSubscription.objects.for_user(user))


def _push(device: PushSubscription, data: str) -> bool:
    try:
        webpush(
            subscription_info=device.subscription_info,
            data=data,
            vapid_private_key=settings.VAPID_PRIVATE_KEY,
            # A new dict each time: webpush writes the endpoint's origin into it as `aud`.
            vapid_claims={"sub": settings.VAPID_CONTACT},
            ttl=TTL_SECONDS,
            timeout=TIMEOUT_SECONDS,
            requests_session=no_redirects(),
        )
    except WebPushException as error:
        if error.status_code in GONE:
            logger.info("Push subscription %s is gone (%s): removed", device.pk, error.status_code)
            device.delete()
        else:
            logger.warning("Push to subscription %s failed: %s", device.pk, error.message)
        return False
    except (requests.RequestException, ValueError) as error:  # unreachable; keys not readable
        logger.warning("Push to subscription %s failed: %r", device.pk, error)
        return False
    device.last_pushed_at = timezone.now()
    device.save(update_fields=["last_pushed_at"])
    return True
