from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from journal.forms.accounts import AccountForm, SignUpForm
from journal.models import Reassigned, Theme
from journal.views.shortcuts import next_url_or


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


def account(request: HttpRequest) -> HttpResponse:
    form = AccountForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Settings saved.{_moved_note(form.reassigned)}")
        return redirect("account")
    return render(request, "account/settings.html", {"form": form})


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
def switch_theme(request: HttpRequest) -> HttpResponse:
    """Cycle system → dark → light, remembered on the account; works without JavaScript."""
    order = [Theme.SYSTEM, Theme.DARK, Theme.LIGHT]
    request.user.theme = order[(order.index(request.user.theme) + 1) % len(order)]
    request.user.save(update_fields=["theme"])
    return redirect(next_url_or(request, reverse("home")))
