"""Account > Reminders: each kind's settings, "not tonight" and pauses, and the link in every
reminder email that turns that reminder off with no log-in."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from journal.forms.reminders import PAUSE_DAYS, PauseForm, ReminderForm
from journal.reminders import push
from journal.reminders.due import GRACE, next_moment
from journal.reminders.models import Reminder, ReminderKind, reminder_of
from journal.views.push import push_context
from journal.views.types import AuthedRequest


@dataclass
class ReminderPanel:
    reminder: Reminder
    form: ReminderForm
    next_at: datetime | None


def reminders(request: AuthedRequest) -> HttpResponse:
    return _page(request)


def _page(request: AuthedRequest, bound: ReminderForm | None = None) -> HttpResponse:
    now = timezone.now()
    panels = []
    for kind in ReminderKind:
        reminder = reminder_of(request.user, kind)
        form = bound if bound is not None and bound.prefix == kind else _form(request, reminder)
        upcoming = next_moment(reminder.schedule, now) if reminder.enabled else None
        panels.append(ReminderPanel(reminder, form, upcoming))
    context = {
        "panels": panels,
        "pause_days": PAUSE_DAYS,
        "grace_minutes": int(GRACE.total_seconds() // 60),
        **push_context(request.user),
    }
    return render(request, "account/reminders.html", context)


def _form(request: AuthedRequest, reminder: Reminder, data=None) -> ReminderForm:
    return ReminderForm(
        data, instance=reminder, prefix=reminder.kind, push_available=push.push_available()
    )


def _kind_or_404(kind: str) -> ReminderKind:
    if kind not in ReminderKind.values:
        raise Http404("No such reminder.")
    return ReminderKind(kind)


@require_POST
def reminder_save(request: AuthedRequest, kind: str) -> HttpResponse:
    reminder = reminder_of(request.user, _kind_or_404(kind))
    form = _form(request, reminder, request.POST)
    if not form.is_valid():
        return _page(request, bound=form)
    reminder = form.save()
    name = reminder.get_kind_display()
    if reminder.enabled:
        messages.success(request, f"{name} saved: at {reminder.at:%H:%M} on the days chosen.")
    else:
        messages.success(request, f"{name} saved: it is off.")
    return redirect("reminders")


@require_POST
def reminder_pause(request: AuthedRequest, kind: str) -> HttpResponse:
    reminder = get_object_or_404(Reminder.objects.for_user(request.user), kind=_kind_or_404(kind))
    form = PauseForm(request.POST)
    if form.is_valid():
        now = timezone.now()
        done = form.apply(reminder, now.astimezone(request.user.tzinfo).date(), now)
        reminder.save(update_fields=["skip_date", "paused_until"])
        messages.success(request, done)
    else:
        messages.error(request, "Choose to skip the next reminder, pause it or resume it.")
    return redirect("reminders")


@login_not_required
@csrf_exempt  # mail programs POST here for one-click unsubscribe (RFC 8058); the token is the key
def reminder_off(request: HttpRequest, token: UUID) -> HttpResponse:
    """From a reminder email: GET asks (so a link checker cannot turn anything off), POST turns
    off that one reminder."""
    reminder = get_object_or_404(Reminder.objects.select_related("user"), unsubscribe_token=token)
    if request.method == "POST":
        reminder.enabled = False
        reminder.save(update_fields=["enabled"])
        return render(request, "reminders/off.html", {"reminder": reminder, "done": True})
    return render(request, "reminders/off.html", {"reminder": reminder, "done": False})
