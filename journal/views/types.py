from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from journal.models import User


class AuthedRequest(HttpRequest):
    """A signed-in user's request (LoginRequiredMiddleware sees to it), with htmx details."""

    user: User
    htmx: HtmxDetails
