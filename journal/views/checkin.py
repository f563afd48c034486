"""The morning check-in, and the day pages that show what was logged for a date."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.db.models import Count, Min, Prefetch
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from journal.formatting import fluid_text
from journal.forms.checkin import CheckIn, NightForm, previous_day, quick_fluid_amounts
from journal.models import CrampEpisode, CustomFactorValue, DayFactors, DoseTaken, Night, User
from journal.nights import checkin_night, night_window
from journal.units import ml_to_unit
from journal.views.shortcuts import begun_night_or_404
from journal.views.types import AuthedRequest

DAYS_PER_PAGE = 14


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def checkin(request: AuthedRequest, night_date: date | None = None) -> HttpResponse:
    """Last night's sleep diary and the day before's factors on one screen.

    Besides saving, the form's buttons fill in the usual sleep times, add a quick
    amount of fluid or copy the previous day's factors; they only change the form,
    nothing is saved until the person presses Save.
    """
    user = request.user
    night_date = night_date or checkin_night(timezone.now(), user.tzinfo)
    begun_night_or_404(user, night_date)
    action = request.POST.get("action", "save")
    if request.method == "GET":
        form = CheckIn(user, night_date)
    elif action == "use-usual":
        form = CheckIn(user, night_date, request.POST, fill_usual_times=True)
    elif action.startswith("add-fluid-"):
        form = CheckIn(user, night_date, _with_added_fluid(request.POST, action, user))
    elif action == "copy-previous":
        source = previous_day(user, night_date)
        form = CheckIn(user, night_date, request.POST, copy_day_from=source)
        if source:
            messages.info(request, f"Copied from {source.date:%A %-d %B}. Check it, then save.")
        else:
            messages.info(request, "There is no earlier day in the last month to copy from.")
    else:
        form = CheckIn(user, night_date, request.POST)
        if form.is_valid(unusual_confirmed=bool(request.POST.get("confirm_unusual"))):
            form.save()
            messages.success(request, f"Saved the night of {night_date:%A %-d %B}.")
            day_page = reverse("day_detail", kwargs={"night_date": night_date})
            return HttpResponseClientRedirect(day_page) if request.htmx else redirect(day_page)
    context = {
        "checkin": form,
        "night_date": night_date,
        "episodes": CrampEpisode.objects.for_user(user).filter(night__date=night_date),
        "fluid_buttons": quick_fluid_amounts(user.fluid_unit),
        "metrics": form.sleep_metrics,
    }
    template = "journal/checkin.html#checkin-form" if request.htmx else "journal/checkin.html"
    return render(request, template, context)


def _with_added_fluid(data: QueryDict, action: str, user: User) -> QueryDict:
    """The posted form with a quick amount added to its fluids field."""
    amounts = dict(quick_fluid_amounts(user.fluid_unit))
    try:
        ml = int(action.removeprefix("add-fluid-"))
        current = Decimal(data.get("day-fluids") or 0)
    except (ValueError, InvalidOperation):
        return data
    if ml not in amounts:
        return data
    data = data.copy()
    data["day-fluids"] = str(current + Decimal(str(ml_to_unit(ml, user.fluid_unit))))
    return data


@require_GET
def checkin_metrics(request: AuthedRequest, night_date: date) -> HttpResponse:
    """Sleep metrics for the times typed so far (htmx), before anything is saved."""
    user = request.user
    form = NightForm(
        request.GET, instance=Night(user=user, date=night_date), user=user, prefix="night"
    )
    metrics = form.instance.metrics if form.is_valid() else None
    return render(request, "journal/checkin.html#sleep-metrics", {"metrics": metrics})


@dataclass
class DayRow:
    date: date
    night: Night | None
    has_factors: bool

    @property
    def logged(self) -> bool:
        return self.night is not None or self.has_factors


@require_GET
def day_list(request: AuthedRequest) -> HttpResponse:
    """Recent dates, newest first, showing which were logged and how many cramps each night had."""
    user = request.user
    newest = user.night_of(timezone.now())
    first_logged = Night.objects.for_user(user).aggregate(first=Min("date"))["first"]
    try:
        page = max(1, int(request.GET.get("page", 1)))
    except ValueError:
        page = 1
    end = newest - timedelta(days=DAYS_PER_PAGE * (page - 1))
    start = end - timedelta(days=DAYS_PER_PAGE - 1)
    nights = {
        night.date: night
        for night in Night.objects.for_user(user)
        .filter(date__range=(start, end))
        .annotate(cramps=Count("episodes"))
    }
    factor_dates = set(
        DayFactors.objects.for_user(user)
        .filter(date__range=(start, end))
        .values_list("date", flat=True)
    )
    rows = [
        DayRow(day, nights.get(day), day in factor_dates)
        for day in (end - timedelta(days=offset) for offset in range(DAYS_PER_PAGE))
    ]
    context = {
        "rows": rows,
        "newer_page": page - 1 if page > 1 else None,
        "older_page": page + 1 if first_logged and start > first_logged else None,
    }
    return render(request, "journal/day_list.html", context)


@require_GET
def day_detail(request: AuthedRequest, night_date: date) -> HttpResponse:
    """Everything logged for a date: that night's cramps and sleep, and that day's factors."""
    user = request.user
    begun_night_or_404(user, night_date)
    night = Night.objects.for_user(user).filter(date=night_date).first()
    day = (
        DayFactors.objects.for_user(user)
        .filter(date=night_date)
        .prefetch_related(
            "exercise",
            Prefetch("custom_values", CustomFactorValue.objects.select_related("factor")),
        )
        .first()
    )
    start, end = night_window(night_date, user.tzinfo, user.night_boundary_hour)
    context = {
        "night_date": night_date,
        "night": night,
        "episodes": list(night.episodes.all()) if night else [],
        "day": day,
        "fluids": (
            fluid_text(day.fluids_ml, user.fluid_unit)
            if day and day.fluids_ml is not None
            else None
        ),
        "doses": DoseTaken.objects.for_user(user)
        .filter(taken_at__gte=start, taken_at__lt=end)
        .select_related("medication"),
        "previous_date": night_date - timedelta(days=1),
        "next_date": (
            night_date + timedelta(days=1) if night_date < user.night_of(timezone.now()) else None
        ),
    }
    return render(request, "journal/day_detail.html", context)
