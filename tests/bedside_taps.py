"""The bedside tap as the Undo and timer tests make it: at 03:10 on 5 March in London, the
night of Wednesday 4 March, with htmx or without."""

from datetime import date
from uuid import uuid4

from django.urls import reverse

from tests.conftest import london

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "cramp-panel"}
NIGHT = date(2026, 3, 4)  # a Wednesday
TAP = london(date(2026, 3, 5), 3, 10)


def tap(client, when="now", **headers):
    return client.post(reverse("cramp_now"), {"token": uuid4(), "when": when}, **headers)
