import copy

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LogoutView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from journal.experiments.running import stop_drinking_more
from journal.forms.accounts import AccountForm, SignUpForm, ThemeForm
from journal.models import Reassigned
from journal.views.types import AuthedRequest


@login_not_required
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Welcome to Cramp Journal. Your account is ready.")
        return redirect("home")
    return render(request, "registration/signup.html", {"form": form})


def account(request: AuthedRequest) -> HttpResponse:
    form = AccountForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        messages.success(request, f"Settings saved.{_moved_note(form.reassigned)}")
        if user.fluid_restricted and stop_drinking_more(user, timezone.now()):
            messages.info(
                request,
                "You now limit fluids on your doctor’s advice, so the drinking-more experiment "
                "has stopped. Follow your doctor’s advice on how much to drink.",
            )
        return redirect("account")
    return _account_page(request, form=form, theme_form=ThemeForm(instance=request.user))


def _account_page(
    request: AuthedRequest, *, form: AccountForm, theme_form: ThemeForm
) -> HttpResponse:
    return render(request, "account/settings.html", {"form": form, "theme_form": theme_form})


def _moved_note(reassigned: Reassigned) -> str:
    moved, removed = reassigned.moved, len(reassigned.nights_removed)
    note = f" {moved} cramp{'s' if moved != 1 else ''} moved to a different night." if moved else ""
    if removed == 1:
        day = reassigned.nights_removed[0]
        note += f" The night of {day:%-d %b %Y} was left with nothing logged, so it is no longer"
        note += " a logged night."
    elif removed:
        note += f" {removed} nights were left with nothing logged, so they are no longer logged"
        note += " nights."
    return note


@require_POST
def account_theme(request: AuthedRequest) -> HttpResponse:
    """Save the theme form of the Account page, on its own so that changing the colours at
    night never touches the other settings. The form works on a copy of the user, so a refused
    choice does not colour the page it is shown on."""
    form = ThemeForm(request.POST, instance=copy.copy(request.user))
    if form.is_valid():
        user = form.save()
        note = ""
        if user.dim_at_night:
            note = (
                f" Pages are dim from {user.night_hours_start:02d}:00 until "
                f"{user.night_hours_end:02d}:00 ({user.time_zone.replace('_', ' ')} time)."
            )
        messages.success(request, f"Theme saved.{note}")
        return redirect("account")
    return _account_page(request, form=AccountForm(instance=request.user), theme_form=form)


# What the browser is to forget at log-out: the service worker's cache and what pages kept on
# this phone (cramps waiting to be sent, about which static/js/offline.js warns first; a
# check-in's unsaved answers). offline.js clears the same itself, for browsers without this.
CLEAR_SITE_DATA = '"cache", "storage"'


def log_out(request: HttpRequest) -> HttpResponse:
    response = LogoutView.as_view()(request)
    if request.method == "POST":
        response["Clear-Site-Data"] = CLEAR_SITE_DATA
    return response
