"""The bedside "cramp now" button and the pages for one cramp."""

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from journal.cramps import (
    DOUBLE_TAP,
    UNDO_WINDOW,
    TimerOutcome,
    UndoRefused,
    UnusuallyManyCramps,
    current_timer,
    delete_cramp,
    leaves_night_empty,
    log_cramp,
    save_details,
    stop_timer,
    undo_cramp,
    undo_refusal,
)
from journal.experiments.results import place_of_coming_night
from journal.experiments.running import running_experiment
from journal.forms.cramps import (
    MINUTES_AGO_CHOICES,
    BedsideEpisodeForm,
    CrampNowForm,
    EpisodeForm,
    NewEpisodeForm,
    offline_details_form,
)
from journal.learn.tips import learn_panel
from journal.models import CrampEpisode, Night, User, check_in_done
from journal.nights import checkin_night
from journal.views.shortcuts import begun_night_or_404, next_url_or
from journal.views.types import AuthedRequest

CRAMP_PANEL = "journal/home.html#cramp-panel"
# The session keeps the last few cramps undone, so that a repeated Undo says so (not a 404).
UNDONE_SESSION_KEY = "undone_cramps"
UNDONE_REMEMBERED = 5


@dataclass(frozen=True)
class Offer:
    """What the page offers for a cramp just logged: Undo while it can, its timer while it runs."""

    episode: CrampEpisode
    can_undo: bool
    timed_seconds: int | None  # how long its timer has run, while it runs
    undo_minutes: int = UNDO_WINDOW.seconds // 60

    @property
    def timing(self) -> bool:
        return self.timed_seconds is not None


def offer_for(episode: CrampEpisode | None, now: datetime) -> Offer | None:
    if episode is None:
        return None
    started = episode.timer_started_at
    offer = Offer(
        episode,
        can_undo=undo_refusal(episode, now) is None,
        timed_seconds=max(0, int((now - started).total_seconds())) if started else None,
    )
    return offer if offer.can_undo or offer.timing else None


def home(request: AuthedRequest) -> HttpResponse:
    user = request.user
    context = home_context(user, CrampNowForm())
    panel = learn_panel(user, context["tonight"])
    context |= {"tips": panel.tips, "red_flags": panel.red_flags}
    now = timezone.now()
    if experiment := running_experiment(user, now):
        context |= {
            "experiment": experiment,
            "place": place_of_coming_night(experiment, now),
            "paused": experiment.open_pause() is not None,
        }
    return render(request, "journal/home.html", context)


def home_context(user: User, form: CrampNowForm, **extra) -> dict:
    now = timezone.now()
    tonight, last_night = user.night_of(now), checkin_night(now, user.tzinfo)
    nights = {
        night.date: night
        for night in Night.objects.for_user(user)
        .filter(date__in=[tonight, last_night])
        .annotate(cramps=Count("episodes"), checked_in=check_in_done())
    }
    checked_in = last_night in nights and nights[last_night].checked_in
    timer = current_timer(user, now)
    return {
        "form": form,
        "tonight": tonight,
        "tonight_cramps": nights[tonight].cramps if tonight in nights else 0,
        "last_night": last_night,
        "checked_in": checked_in,
        "offer": offer_for(extra.get("logged") or timer.running, now),
        "stale_timers": timer.stopped_stale,
        "offline_details": offline_details_form(),
        "minutes_ago_choices": MINUTES_AGO_CHOICES,
        **extra,
    }


@require_POST
@vary_on_headers("HX-Request")
def cramp_now(request: AuthedRequest) -> HttpResponse:
    """Log a cramp now (or a few minutes ago), then offer the details form."""
    user = request.user
    form = CrampNowForm(request.POST)
    if not form.is_valid():
        context = home_context(user, form)
        return render(
            request, CRAMP_PANEL if request.htmx else "journal/home.html", context, status=400
        )
    now = timezone.now()
    try:
        logged = log_cramp(
            user,
            form.started_at(user, now),
            form.cleaned_data["token"],
            confirmed_many=form.cleaned_data["confirm_many"],
            tapped_at=now,
            start_timer=form.cleaned_data["when"] == "now",
        )
    except UnusuallyManyCramps as unusual:
        context = home_context(user, form, confirm_many=unusual.already_logged)
        return render(request, CRAMP_PANEL if request.htmx else "journal/home.html", context)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        home = reverse("home")
        return HttpResponseClientRedirect(home) if request.htmx else redirect(home)
    episode = logged.episode
    stopped_note = timer_stopped_text(logged.timer_stopped) if logged.timer_stopped else ""
    if request.htmx:
        details = BedsideEpisodeForm(instance=episode, night_date=episode.night.date, user=user)
        context = home_context(
            user, CrampNowForm(), logged=episode, details=details, note=stopped_note
        )
        return render(request, CRAMP_PANEL, context)
    local = timezone.localtime(episode.started_at)
    verb = "logged" if logged.created else "was already logged"
    messages.success(request, f"Cramp {verb} at {local:%H:%M}. Add details if you like.")
    if stopped_note:
        messages.info(request, stopped_note)
    return redirect("episode_edit", pk=episode.pk)


def timer_stopped_text(episode: CrampEpisode) -> str:
    local = timezone.localtime(episode.started_at)
    return (
        f"The timer of the cramp at {local:%H:%M} was still running, so it stopped without a "
        "length. You can add one on that cramp's page."
    )


@require_POST
@vary_on_headers("HX-Request")
def cramp_undo(request: AuthedRequest, pk: int) -> HttpResponse:
    """Undo a bedside tap: one tap removes the cramp, for a few minutes after it was logged."""
    user = request.user
    episode = CrampEpisode.objects.for_user(user).select_related("night").filter(pk=pk).first()
    undone = request.session.get(UNDONE_SESSION_KEY, [])
    if episode is None:
        if pk not in undone:
            raise Http404("No such cramp.")
        return _after_undo(request, "That cramp was already undone.")
    local = timezone.localtime(episode.started_at)
    try:
        deleted = undo_cramp(user, episode, timezone.now())
    except UndoRefused as refused:
        if request.htmx:
            context = home_context(user, CrampNowForm(), refused=str(refused), refused_for=episode)
            return render(request, CRAMP_PANEL, context)
        messages.error(request, str(refused))
        return redirect("episode_edit", pk=episode.pk)
    request.session[UNDONE_SESSION_KEY] = [*undone, pk][-UNDONE_REMEMBERED:]
    return _after_undo(
        request,
        f"Undone: the cramp at {local:%H:%M} is no longer logged for the night of "
        f"{deleted.night_date:%a %-d %b}.",
    )


def _after_undo(request: AuthedRequest, note: str) -> HttpResponse:
    if request.htmx:
        return render(request, CRAMP_PANEL, home_context(request.user, CrampNowForm(), note=note))
    messages.success(request, note)
    return redirect("home")


@require_POST
@vary_on_headers("HX-Request")
def cramp_timer_stop(request: AuthedRequest, pk: int) -> HttpResponse:
    """ "It's over" (the length is the time since "Cramp now") or "Stop without a length"."""
    user = request.user
    episode = get_object_or_404(CrampEpisode.objects.for_user(user).select_related("night"), pk=pk)
    keep_length = request.POST.get("length") != "none"
    outcome = stop_timer(user, episode, timezone.now(), keep_length=keep_length)
    note = timer_outcome_text(outcome, episode)
    if request.htmx:
        details = BedsideEpisodeForm(instance=episode, night_date=episode.night.date, user=user)
        context = home_context(user, CrampNowForm(), logged=episode, details=details, note=note)
        return render(request, CRAMP_PANEL, context)
    messages.info(request, note)
    return redirect("episode_edit", pk=episode.pk)


def timer_outcome_text(outcome: TimerOutcome, episode: CrampEpisode) -> str:
    start = timezone.localtime(episode.started_at)
    match outcome:
        case TimerOutcome.LENGTH_SAVED:
            return (
                f"It lasted {episode.duration_text}, timed from {start:%H:%M}. "
                "Change the length below if it is not right."
            )
        case TimerOutcome.DOUBLE_TAP:
            return (
                f"That came less than {DOUBLE_TAP.seconds} seconds after “Cramp now”, so it was "
                "taken as a double tap: the timer is still running."
            )
        case TimerOutcome.STALE:
            return (
                "The timer ran for over an hour, so it stopped without a length. "
                "Add the length below if you know it."
            )
        case TimerOutcome.STOPPED:
            return "Timer stopped, without a length. Add one below if you know it."
    if episode.duration_seconds is not None:
        return f"The timer had already stopped: it lasted {episode.duration_text}."
    return "The timer had already stopped, without a length."


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def episode_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    episode = get_object_or_404(
        CrampEpisode.objects.for_user(user).select_related("night__user"), pk=pk
    )
    from_bedside = request.htmx.target == "cramp-panel"
    form_class = BedsideEpisodeForm if from_bedside else EpisodeForm
    form = form_class(
        request.POST or None, instance=episode, night_date=episode.night.date, user=user
    )
    if request.method == "POST" and form.is_valid():
        save_details(form.save(commit=False))
        if from_bedside:
            return render(request, CRAMP_PANEL, home_context(user, CrampNowForm(), saved=episode))
        messages.success(request, "Cramp saved.")
        return redirect(back_to(request, episode.night.date))
    if from_bedside:
        context = home_context(user, CrampNowForm(), logged=episode, details=form)
        return render(request, CRAMP_PANEL, context)
    context = {
        "form": form,
        "episode": episode,
        "night_date": episode.night.date,
        "offer": offer_for(episode, timezone.now()),
    }
    return render(request, "journal/episode_form.html", context)


@require_http_methods(["GET", "POST"])
def episode_add(request: AuthedRequest, night_date: date) -> HttpResponse:
    """Add a cramp to any night that has begun, for logging after the fact."""
    user = request.user
    begun_night_or_404(user, night_date)
    if request.method == "GET":
        form = NewEpisodeForm(instance=CrampEpisode(), night_date=night_date, user=user)
        return render(
            request, "journal/episode_form.html", {"form": form, "night_date": night_date}
        )
    token = request.POST.get("token", "")
    already = CrampEpisode.objects.for_user(user).filter(client_token=_uuid_or_none(token)).first()
    if already:
        return redirect("day_detail", night_date=already.night.date)
    with transaction.atomic():
        night, _ = Night.objects.get_or_create(user=user, date=night_date)
        form = NewEpisodeForm(
            request.POST, instance=CrampEpisode(night=night), night_date=night_date, user=user
        )
        if form.is_valid():
            form.save()
            messages.success(request, "Cramp added.")
            return redirect(back_to(request, night_date))
        transaction.set_rollback(True)  # no empty night left behind by a refused form
    return render(request, "journal/episode_form.html", {"form": form, "night_date": night_date})


@require_http_methods(["GET", "POST"])
def episode_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    episode = get_object_or_404(
        CrampEpisode.objects.for_user(request.user).select_related("night"), pk=pk
    )
    night_date = episode.night.date
    if request.method == "POST":
        deleted = delete_cramp(request.user, episode)
        if deleted.night_removed:
            messages.success(
                request,
                f"Cramp deleted. Nothing else was logged for the night of {night_date:%A %-d %B}, "
                "so it now shows as not logged. If that night had no cramps, check in for it to "
                "say so.",
            )
        else:
            messages.success(request, "Cramp deleted.")
        return redirect(back_to(request, night_date))
    local = timezone.localtime(episode.started_at)
    details = f"The cramp at {local:%H:%M} on the night of {night_date:%A %-d %B %Y}."
    if leaves_night_empty(episode):
        details += (
            " It is the only thing logged for that night, so the night will show as not logged."
            " If the night had no cramps after all, you can check in for it afterwards to say so."
        )
    return render(
        request,
        "confirm_delete.html",
        {"what": "this cramp", "details": details, "cancel_url": back_to(request, night_date)},
    )


def back_to(request: AuthedRequest, night_date: date) -> str:
    """After changing a cramp: the page it was opened from, else the night's day page."""
    return next_url_or(request, reverse("day_detail", kwargs={"night_date": night_date}))


def _uuid_or_none(value: str) -> UUID | None:
    try:
        return UUID(value)
    except ValueError:
        return None
