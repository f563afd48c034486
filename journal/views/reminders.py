"""Account > Reminders: each kind's settings, skipping one and pauses, and the link in every
reminder email that turns that reminder off with no log-in."""

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from journal.forms.reminders import PauseForm, ReminderForm, next_unskipped
from journal.reminders import push
from journal.reminders.due import GRACE, next_moment
from journal.reminders.messages import message_for
from journal.reminders.models import Reminder, ReminderKind, reminders_of
from journal.views.push import push_context
from journal.views.types import AuthedRequest


@dataclass
class ReminderPanel:
    reminder: Reminder
    form: ReminderForm
    pause_form: PauseForm
    next_at: datetime | None
    skip_day: date | None  # what "Skip" would skip
    preview: str  # what the next one will say


def reminders(request: AuthedRequest) -> HttpResponse:
    return _page(request)


def _page(request: AuthedRequest, bound: ReminderForm | None = None) -> HttpResponse:
    now = timezone.now()
    today = now.astimezone(request.user.tzinfo).date()
    panels = []
    for kind, reminder in reminders_of(request.user).items():
        form = bound if bound is not None and bound.prefix == kind else _form(reminder)
        skip_day = next_unskipped(reminder, now)
        panels.append(
            ReminderPanel(
                reminder,
                form,
                pause_form=PauseForm(auto_id=f"id_{kind}-pause-%s"),
                next_at=next_moment(reminder.schedule, now) if reminder.enabled else None,
                skip_day=skip_day,
                preview=message_for(reminder, skip_day or today).text,
            )
        )
    context = {
        "panels": panels,
        "grace_minutes": int(GRACE.total_seconds() // 60),
        **push_context(request.user),
    }
    return render(request, "account/reminders.html", context)


def _form(reminder: Reminder, data=None) -> ReminderForm:
    return ReminderForm(
        data, instance=reminder, prefix=reminder.kind, push_available=push.push_available()
    )


def _kind_or_404(kind: str) -> ReminderKind:
    if kind not in ReminderKind.values:
        raise Http404("No such reminder.")
    return ReminderKind(kind)


@require_POST
def reminder_save(request: AuthedRequest, kind: str) -> HttpResponse:
    reminder = reminders_of(request.user)[_kind_or_404(kind)]
    form = _form(reminder, request.POST)
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
        done = form.apply(reminder, timezone.now())
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
