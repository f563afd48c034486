from django.conf import settings
from django.http import HttpRequest


def login_name(request: HttpRequest, credentials: dict | None) -> str:
    """The email address a log-in attempt names, lower-cased, for django-axes.

    Lower-casing makes "Alice@…" and "alice@…" count towards the same lockout.
    """
    source = credentials if credentials else request.POST
    return (source.get(settings.AXES_USERNAME_FORM_FIELD) or "").strip().lower()
