"""The bedside "cramp now" button and the pages for one cramp."""

from datetime import date
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from journal.cramps import UnusuallyManyCramps, delete_cramp, leaves_night_empty, log_cramp
from journal.forms.cramps import BedsideEpisodeForm, CrampNowForm, EpisodeForm, NewEpisodeForm
from journal.learn.tips import learn_panel
from journal.models import CrampEpisode, DayFactors, Night, User
from journal.nights import checkin_night
from journal.views.shortcuts import begun_night_or_404, next_url_or
from journal.views.types import AuthedRequest

CRAMP_PANEL = "journal/home.html#cramp-panel"


def home(request: AuthedRequest) -> HttpResponse:
    user = request.user
    context = home_context(user, CrampNowForm())
    panel = learn_panel(user, context["tonight"])
    context |= {"tips": panel.tips, "red_flags": panel.red_flags}
    return render(request, "journal/home.html", context)


def home_context(user: User, form: CrampNowForm, **extra) -> dict:
    now = timezone.now()
    tonight, last_night = user.night_of(now), checkin_night(now, user.tzinfo)
    day_logged = DayFactors.objects.filter(user=user, date=OuterRef("date"))
    nights = {
        night.date: night
        for night in Night.objects.for_user(user)
        .filter(date__in=[tonight, last_night])
        .annotate(cramps=Count("episodes"), day_logged=Exists(day_logged))
    }
    checked_in = last_night in nights and (
        nights[last_night].has_sleep_times or nights[last_night].day_logged
    )
    return {
        "form": form,
        "tonight": tonight,
        "tonight_cramps": nights[tonight].cramps if tonight in nights else 0,
        "last_night": last_night,
        "checked_in": checked_in,
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
    started_at = form.started_at(user, timezone.now())
    try:
        episode, created = log_cramp(
            user,
            started_at,
            form.cleaned_data["token"],
            confirmed_many=form.cleaned_data["confirm_many"],
        )
    except UnusuallyManyCramps as unusual:
        context = home_context(user, form, confirm_many=unusual.already_logged)
        return render(request, CRAMP_PANEL if request.htmx else "journal/home.html", context)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        home = reverse("home")
        return HttpResponseClientRedirect(home) if request.htmx else redirect(home)
    if request.htmx:
        details = BedsideEpisodeForm(instance=episode, night_date=episode.night.date, user=user)
        return render(
            request,
            CRAMP_PANEL,
            home_context(user, CrampNowForm(), logged=episode, details=details),
        )
    local = timezone.localtime(episode.started_at)
    verb = "logged" if created else "was already logged"
    messages.success(request, f"Cramp {verb} at {local:%H:%M}. Add details if you like.")
    return redirect("episode_edit", pk=episode.pk)


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
        form.save()
        if from_bedside:
            return render(request, CRAMP_PANEL, home_context(user, CrampNowForm(), saved=episode))
        messages.success(request, "Cramp saved.")
        return redirect(back_to(request, episode.night.date))
    if from_bedside:
        context = home_context(user, CrampNowForm(), logged=episode, details=form)
        return render(request, CRAMP_PANEL, context)
    context = {"form": form, "episode": episode, "night_date": episode.night.date}
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
