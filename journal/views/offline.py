"""The installable app: its manifest, its service worker and offline page, and the address that
takes the cramps a phone logged without a connection (README, "Offline and on the home screen")."""

import hashlib
import json

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from journal.context_processors import theme_context
from journal.forms.cramps import (
    MINUTES_AGO_CHOICES,
    BedsideEpisodeForm,
    SentCrampForm,
    offline_details_form,
)
from journal.models import CrampEpisode, Theme
from journal.offline import SENT_DETAILS, journal_key, log_sent_cramp, tap_refusal
from journal.themes import THEME_COLOURS
from journal.views.shortcuts import static_file

# What the service worker keeps for the app to open without a connection: no page with anyone's
# journal in it, only the files every page uses and the offline page.
SHELL_FILES = (
    "css/app.css",
    "js/app.js",
    "js/outbox.js",
    "js/offline.js",
    "js/drafts.js",
    "django_htmx/htmx-2.min.js",
    "favicon.svg",
    "icons/icon-192.png",
)
ICONS = (
    ("favicon.svg", "any", "image/svg+xml", "any"),
    ("icons/icon-192.png", "192x192", "image/png", "any"),
    ("icons/icon-512.png", "512x512", "image/png", "any"),
    ("icons/maskable-192.png", "192x192", "image/png", "maskable"),
    ("icons/maskable-512.png", "512x512", "image/png", "maskable"),
)


@login_not_required
@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    body = {
        "name": "Cramp Journal",
        "short_name": "Cramps",
        "description": "A journal of night-time leg cramps and sleep.",
        "id": "/",
        "start_url": reverse("home"),
        "scope": "/",
        "display": "standalone",
        "lang": "en-GB",
        "background_color": THEME_COLOURS["dark"],
        "theme_color": THEME_COLOURS["dark"],
        "icons": [
            {"src": static(path), "sizes": sizes, "type": kind, "purpose": purpose}
            for path, sizes, kind, purpose in ICONS
        ],
    }
    response = JsonResponse(body, json_dumps_params={"indent": 2})
    response["Content-Type"] = "application/manifest+json"
    return response


def offline_page() -> str:
    """The offline page, the same for everyone: made without a request, so that no one's journal,
    name or token can be in it."""
    return render_to_string(
        "offline/shell.html",
        {
            **theme_context(Theme.SYSTEM),
            "offline_details": offline_details_form(),
            "minutes_ago_choices": MINUTES_AGO_CHOICES,
        },
    )


@login_not_required
@require_GET
def offline_shell(request: HttpRequest) -> HttpResponse:
    return HttpResponse(offline_page())


@login_not_required
@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """static/js/sw.js at the root, so that it controls every page, after the addresses it needs:
    the shell's (hashed in production) and a version that changes with any of them."""
    source = static_file("js/sw.js").read_text()
    shell = [static(path) for path in SHELL_FILES]
    # By content as well as address: in development the addresses carry no hash of their own.
    version = hashlib.sha256(source.encode())
    for path in SHELL_FILES:
        version.update(static_file(path).read_bytes())
    version.update("\n".join([*shell, offline_page()]).encode())
    settings = {
        "version": version.hexdigest()[:16],
        "shell": shell,
        "offlinePage": reverse("offline_shell"),
        "outbox": static("js/outbox.js"),
        "sendTo": reverse("cramp_sync"),
        "icon": static("icons/icon-192.png"),  # of the reminders it shows (push)
    }
    response = HttpResponse(
        f"const CRAMP_JOURNAL = {json.dumps(settings)};\n{source}",
        content_type="text/javascript",
    )
    response["Cache-Control"] = "no-cache"
    return response


@login_not_required  # answers 401 itself: a redirect to the log-in page would look like success
@require_http_methods(["GET", "POST"])
def cramp_sync(request: HttpRequest) -> JsonResponse:
    """GET: a fresh CSRF token and the journal's key, fetched by the phone before it sends.
    POST: one cramp that waited on the phone."""
    user = request.user
    if not user.is_authenticated:
        return JsonResponse(
            {"status": "signed out", "message": "Log in again to send the cramps waiting."},
            status=401,
        )
    if request.method == "GET":
        return JsonResponse({"csrf_token": get_token(request), "journal": journal_key(user)})
    form = SentCrampForm(request.POST)
    if not form.is_valid():
        messages = (str(message) for errors in form.errors.values() for message in errors)
        return refused(" ".join(messages))
    if form.cleaned_data["journal"] != journal_key(user):
        return JsonResponse(
            {"status": "other journal", "message": "This cramp was logged for another account."},
            status=409,
        )
    tapped_at = form.cleaned_data["tapped_at"]
    if refusal := tap_refusal(tapped_at, timezone.now(), user.tzinfo):
        return refused(refusal)
    started_at = form.started_at(user, tapped_at)
    details = None
    if request.POST.get("details"):
        details_form = BedsideEpisodeForm(
            request.POST, instance=CrampEpisode(), night_date=user.night_of(started_at), user=user
        )
        if details_form.is_valid():
            details = {name: getattr(details_form.instance, name) for name in SENT_DETAILS}
    try:
        logged = log_sent_cramp(user, started_at, form.cleaned_data["token"], details)
    except ValidationError as error:
        return refused(" ".join(error.messages))
    episode = logged.episode
    local = timezone.localtime(episode.started_at)
    message = (
        f"The cramp at {local:%H:%M}, night of {episode.night.date:%a %-d %b}, is in your journal."
    )
    if request.POST.get("details") and details is None:
        message += " Its details were not understood: add them on its page."
    return JsonResponse(
        {
            "status": "logged" if logged.created else "already logged",
            "message": message,
            "url": reverse("episode_edit", args=[episode.pk]),
        },
        status=201 if logged.created else 200,
    )


def refused(message: str) -> JsonResponse:
    return JsonResponse({"status": "refused", "message": message}, status=422)
