"""Small helpers the views share."""

from datetime import date
from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from journal.models import User


def static_file(path: str) -> Path:
    """The source file of the static `path` ("js/sw.js"), which the app ships."""
    found = finders.find(path)
    if found is None:
        raise FileNotFoundError(f"No static file “{path}”.")
    return Path(found)


def next_url_or(request: HttpRequest, fallback: str) -> str:
    """The `next` address sent with the request when it is one of ours, else `fallback`."""
    next_url = request.POST.get("next") or request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        return next_url
    return fallback


def begun_night_or_404(user: User, night: date) -> date:
    """`night`, if it has begun for `user`; a night still to come has nothing to show or log."""
    if night > user.night_of(timezone.now()):
        raise Http404("That night has not begun yet.")
    return night


def choice_or_default(value: str | None, choices: dict[int, str], default: int) -> int:
    """`value` as one of the integer `choices`, or `default` for anything else."""
    try:
        number = int(value) if value is not None else default
    except ValueError:
        return default
    return number if number in choices else default
