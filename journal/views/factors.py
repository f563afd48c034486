"""The user's own factors: things they track in the morning check-in.

A factor with recorded values is archived rather than deleted, so its history
stays (CustomFactorValue.factor is RESTRICT).
"""

from typing import TYPE_CHECKING, TypedDict

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.db.models import Count, RestrictedError
from django.db.models.functions import Lower
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from journal.experiments.running import running_experiment
from journal.forms.factors import CustomFactorForm
from journal.models import CustomFactor
from journal.views.types import AuthedRequest

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class ValueCount(TypedDict):
    value_count: int


def save_factor(form: CustomFactorForm) -> CustomFactor | None:
    """Save, or None when a same-named factor was saved meanwhile (e.g. a double tap)."""
    try:
        with transaction.atomic():
            return form.save()
    except IntegrityError:
        form.add_error("name", form.duplicate_name_message(form.cleaned_data["name"]))
        return None


def render_factor_list(request: AuthedRequest, form: CustomFactorForm) -> HttpResponse:
    factors = (
        CustomFactor.objects.for_user(request.user)
        .annotate(value_count=Count("values"))
        .order_by(Lower("name"), "pk")
    )
    active = [factor for factor in factors if not factor.archived]
    archived = [factor for factor in factors if factor.archived]
    return render(
        request, "factors/list.html", {"active": active, "archived": archived, "form": form}
    )


@require_safe
def factor_list(request: AuthedRequest) -> HttpResponse:
    return render_factor_list(request, CustomFactorForm(instance=CustomFactor(user=request.user)))


@require_POST
def factor_add(request: AuthedRequest) -> HttpResponse:
    form = CustomFactorForm(request.POST, instance=CustomFactor(user=request.user))
    if form.is_valid() and (factor := save_factor(form)):
        messages.success(request, f"“{factor.name}” added. It appears in your morning check-in.")
        return redirect("factors")
    return render_factor_list(request, form)


@require_http_methods(["GET", "POST"])
def factor_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    factor = get_object_or_404(CustomFactor.objects.for_user(request.user), pk=pk)
    heading = f"Edit “{factor.name}”"  # before the form writes what was typed into it
    form = CustomFactorForm(request.POST or None, instance=factor)
    if request.method == "POST" and form.is_valid() and save_factor(form):
        messages.success(request, f"“{factor.name}” saved.")
        return redirect("factors")
    return render(request, "factors/form.html", {"form": form, "heading": heading})


@require_POST
def factor_archive(request: AuthedRequest, pk: int) -> HttpResponse:
    """Archive, or bring back: archived factors leave the check-in but keep their history."""
    factor = get_object_or_404(CustomFactor.objects.for_user(request.user), pk=pk)
    under_way = running_experiment(request.user, timezone.now())
    if not factor.archived and under_way and under_way.factor_id == factor.pk:
        messages.error(
            request,
            f"“{factor.name}” is being tried in your experiment, which needs its answers in "
            "the check-in: stop the experiment first, then archive it.",
        )
        return redirect("factors")
    factor.archived = not factor.archived
    factor.save(update_fields=["archived"])
    if factor.archived:
        note = "archived. It no longer appears in your morning check-in; its history is kept."
    else:
        note = "is back in your morning check-in."
    messages.success(request, f"“{factor.name}” {note}")
    return redirect("factors")


@require_http_methods(["GET", "POST"])
def factor_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    """Delete a factor with no recorded values; otherwise explain that archiving keeps them."""
    # Spelled out: the stubs lose annotate()'s attributes through get_object_or_404.
    factor: WithAnnotations[CustomFactor, ValueCount] = get_object_or_404(
        CustomFactor.objects.for_user(request.user).annotate(value_count=Count("values")), pk=pk
    )
    if factor.experiments.exists():
        messages.error(
            request,
            f"“{factor.name}” was tried in an experiment, which keeps it: archive it instead.",
        )
        return redirect("factors")
    if factor.value_count:
        status = 409 if request.method == "POST" else 200
        return render(request, "factors/cannot_delete.html", {"factor": factor}, status=status)
    if request.method == "POST":
        try:
            factor.delete()
        except RestrictedError:  # a value was recorded since the lookup
            factor.value_count = factor.values.count()
            return render(request, "factors/cannot_delete.html", {"factor": factor}, status=409)
        messages.success(request, f"“{factor.name}” deleted.")
        return redirect("factors")
    return render(
        request,
        "confirm_delete.html",
        {
            "what": f"“{factor.name}”",
            "details": f"This removes “{factor.name}”. No values have been recorded for it.",
            "cancel_url": reverse("factors"),
        },
    )
