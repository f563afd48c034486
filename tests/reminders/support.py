"""Records the reminder tests and the access walks share."""

from uuid import uuid4

from journal.models import User
from journal.reminders.models import PushSubscription

# A browser's real keys (a P-256 point, a 16-byte secret): for devices nothing is pushed to.
P256DH = "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM"
AUTH = "tBHItJI5svbpez7KI4CCXg"


def push_device(user: User, name: str, endpoint: str = "") -> PushSubscription:
    """A device of `user` that gets notifications, at a push address of Chrome's service."""
    return PushSubscription.objects.create(
        user=user,
        endpoint=endpoint or f"https://fcm.googleapis.com/fcm/send/{uuid4().hex}",
        p256dh=P256DH,
        auth=AUTH,
        device_name=name,
    )
