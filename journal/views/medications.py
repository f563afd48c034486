"""Medications and supplements, and the doses of medicines taken as needed.

The app never suggests stopping a medication: a class linked with cramps gets
a neutral note that points to the doctor. Stopping here only records a date,
and a stopped medication stays in the history.
"""

from datetime import date
from typing import TYPE_CHECKING, TypedDict

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.db.models import Count, Prefetch, QuerySet
from django.db.models.functions import Lower
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import date as format_date
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from journal import medication_classes
from journal.forms.medications import DoseForm, MedicationForm, StopMedicationForm
from journal.medicine_names import Recognition, recognise
from journal.models import DoseTaken, Medication, MedicationKind
from journal.views.types import AuthedRequest

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

RECENT_DOSES = 5


class DoseCount(TypedDict):
    dose_count: int


def with_recent_doses(medications: QuerySet[Medication]) -> QuerySet[Medication]:
    """Each medication with `dose_count` and its latest doses in `recent_doses`: two queries."""
    latest = DoseTaken.objects.order_by("-taken_at", "-pk")[:RECENT_DOSES]
    return medications.annotate(dose_count=Count("doses")).prefetch_related(
        Prefetch("doses", queryset=latest, to_attr="recent_doses")
    )


def dose_description(dose: DoseTaken) -> str:
    """The dose in words, with its time in the user's time zone."""
    moment = timezone.localtime(dose.taken_at)
    return (
        f"{dose.medication.name} × {floatformat(dose.quantity, -2)} "
        f"on {format_date(moment, 'D j M Y')} at {format_date(moment, 'H:i')}"
    )


@require_safe
def medication_list(request: AuthedRequest) -> HttpResponse:
    return render_medication_list(request)


def render_medication_list(
    request: AuthedRequest, dose_form: DoseForm | None = None
) -> HttpResponse:
    """Current medications (taken today) by name, those starting later, then past ones, most
    recently stopped first.

    `dose_form` is a “Took a dose” form with errors, shown again in its place.
    """
    today = timezone.localdate()
    medications = with_recent_doses(Medication.objects.for_user(request.user)).order_by(
        Lower("name"), "pk"
    )
    current: list[Medication] = []
    planned: list[Medication] = []
    past: list[Medication] = []
    for medication in medications:
        if not medication.taken_on(today):
            (planned if medication.started_on > today else past).append(medication)
            continue
        current.append(medication)
        medication.dose_form = None
        if medication.kind == MedicationKind.AS_NEEDED:
            if dose_form is not None and dose_form.medication.pk == medication.pk:
                medication.dose_form = dose_form
            else:
                medication.dose_form = DoseForm(medication=medication)
    past.sort(key=_last_day_taken, reverse=True)
    context = {"current": current, "planned": planned, "past": past}
    return render(request, "medications/list.html", context)


def _last_day_taken(past: Medication) -> date:
    """The stop date of a past medication: one that has started but is not taken today has
    stopped."""
    assert past.stopped_on is not None
    return past.stopped_on


def class_proposal(
    name: str, chosen_key: str, recognition: Recognition | None = None, filled_in: bool = False
) -> dict:
    """The context of the form's "class-proposal" partial: the type recognised from `name`
    beside the one chosen, and the evidence notes of both."""
    if recognition is None and name:
        recognition = recognise(name)
    chosen = medication_classes.BY_KEY.get(chosen_key)
    notes = []
    for entry in (recognition.entry if recognition else None, chosen):
        if entry is not None and entry.evidence and entry not in notes:
            notes.append(entry)
    return {
        "proposal": recognition,
        "chosen": chosen,
        "filled_in": filled_in,
        "evidence_notes": notes,
    }


def render_medication_form(
    request: AuthedRequest, form: MedicationForm, context: dict
) -> HttpResponse:
    """The add or edit page. With htmx, a GET with the name typed so far answers with the
    class proposal only (the page asks as the name is typed and the type chosen)."""
    if request.htmx and "name" in request.GET:
        proposal = class_proposal(request.GET["name"], request.GET.get("drug_class", ""))
        return render(request, "medications/form.html#class-proposal", proposal)
    if form.is_bound:
        proposal = class_proposal(
            form.data.get("name", ""),
            form.data.get("drug_class", ""),
            form.recognition,
            form.class_filled_in,
        )
    else:
        proposal = class_proposal(form.instance.name, form.initial.get("drug_class", ""))
    return render(request, "medications/form.html", context | proposal | {"form": form})


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def medication_add(request: AuthedRequest) -> HttpResponse:
    form = MedicationForm(request.POST or None, instance=Medication(user=request.user))
    if request.method == "POST" and form.is_valid() and not form.class_to_check:
        medication = form.save()
        messages.success(request, f"{medication.name} added.")
        return redirect("medications")
    return render_medication_form(request, form, {"heading": "Add a medication or supplement"})


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def medication_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    medication = get_object_or_404(Medication.objects.for_user(request.user), pk=pk)
    context = {
        "heading": f"Edit {medication.name}",
        "medication_pk": medication.pk,
        "can_stop": medication.taken_on(timezone.localdate()),
    }
    form = MedicationForm(request.POST or None, instance=medication)
    if request.method == "POST" and form.is_valid() and not form.class_to_check:
        form.save()
        messages.success(request, f"{medication.name} saved.")
        return redirect("medications")
    return render_medication_form(request, form, context)


@require_http_methods(["GET", "POST"])
def medication_stop(request: AuthedRequest, pk: int) -> HttpResponse:
    medication = get_object_or_404(Medication.objects.for_user(request.user), pk=pk)
    form = StopMedicationForm(request.POST or None, instance=medication)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(
            request,
            f"{medication.name} marked as stopped: last taken on "
            f"{format_date(medication.stopped_on, 'j M Y')}. It stays in your history.",
        )
        return redirect("medications")
    return render(request, "medications/stop.html", {"form": form, "medication": medication})


@require_http_methods(["GET", "POST"])
def medication_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    # Spelled out: the stubs lose annotate()'s attributes through get_object_or_404.
    medication: WithAnnotations[Medication, DoseCount] = get_object_or_404(
        Medication.objects.for_user(request.user).annotate(dose_count=Count("doses")), pk=pk
    )
    if request.method == "POST":
        medication.delete()
        messages.success(request, f"{medication.name} deleted.")
        return redirect("medications")
    doses = medication.dose_count
    recorded = f" and the {doses} dose{'s' if doses != 1 else ''} recorded for it" if doses else ""
    details = (
        f"This removes {medication.name}{recorded}, for entries made by mistake. "
        "If you no longer take it, mark it as stopped instead: that keeps it in your history."
    )
    return render(
        request,
        "confirm_delete.html",
        {"what": medication.name, "details": details, "cancel_url": reverse("medications")},
    )


def record_dose_once(form: DoseForm) -> bool:
    """Save the dose unless this form was sent before. Returns whether it saved.

    Each “Took a dose” form carries a fresh token that is stored, unique, on the
    dose: a double tap, the Back button or a refresh that re-posts finds it taken.
    """
    if form.already_recorded:
        return False
    try:
        with transaction.atomic():
            form.save()
    except IntegrityError:  # the same form arrived twice at the same moment
        return False
    return True


@require_POST
@vary_on_headers("HX-Request")
def dose_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """“Took a dose”. With htmx, answers with the medication's dose section only."""
    medication = get_object_or_404(Medication.objects.for_user(request.user), pk=pk)
    if medication.kind != MedicationKind.AS_NEEDED:
        messages.error(
            request,
            f"Doses are recorded only for medicines taken as needed, and {medication.name} is "
            f"marked “{medication.get_kind_display().lower()}”. Edit it to change that.",
        )
        if request.htmx:
            return HttpResponseClientRedirect(reverse("medications"))
        return redirect("medications")
    form = DoseForm(request.POST, medication=medication)
    if not form.is_valid():
        if request.htmx:
            return dose_section(request, medication, form)
        return render_medication_list(request, dose_form=form)
    if record_dose_once(form):
        status = f"Recorded: {dose_description(form.instance)}."
    else:
        status = "That dose was already recorded."
    if request.htmx:
        return dose_section(request, medication, DoseForm(medication=medication), status)
    messages.success(request, status)
    return redirect("medications")


def dose_section(
    request: AuthedRequest, medication: Medication, form: DoseForm, status: str = ""
) -> HttpResponse:
    """The “dose-list” partial of medications/list.html for one medication."""
    medication = with_recent_doses(Medication.objects.filter(pk=medication.pk)).get()
    medication.dose_form = form
    return render(
        request,
        "medications/list.html#dose-list",
        {"medication": medication, "dose_status": status},
    )


@require_http_methods(["GET", "POST"])
def dose_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    dose = get_object_or_404(
        DoseTaken.objects.for_user(request.user).select_related("medication"), pk=pk
    )
    description = dose_description(dose)
    if request.method == "POST":
        dose.delete()
        messages.success(request, f"Dose deleted: {description}.")
        return redirect("medications")
    return render(
        request,
        "confirm_delete.html",
        {
            "what": "dose",
            "details": f"This removes the dose {description}.",
            "cancel_url": reverse("medications"),
        },
    )
