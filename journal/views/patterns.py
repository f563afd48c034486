"""Review: the month page, trends over time, and what goes with cramp nights."""

from datetime import date, timedelta

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from journal import charts, forest_plot, stats
from journal.analysis import buckets, factors, loading, medication_changes, periods
from journal.learn.tips import learn_panel
from journal.models import CustomFactor, Medication, User
from journal.views.types import AuthedRequest

USUAL_MONTHS = 12  # "usual" is the average of the twelve months before the one shown
RANGES = {"3m": ("3 months", 3), "6m": ("6 months", 6), "1y": ("1 year", 12), "all": ("All", None)}
RANGE_CHOICES = [(key, label) for key, (label, _months) in RANGES.items()]


def _month_or_404(year: int, month: int, latest: date) -> date:
    try:
        first = date(year, month, 1)
    except ValueError:
        raise Http404("No such month.") from None
    if first > latest or year < 1900:
        raise Http404("That month has not begun yet.")
    return first


@require_GET
def month(
    request: AuthedRequest, year: int | None = None, month: int | None = None
) -> HttpResponse:
    user = request.user
    last_night = user.night_of(timezone.now())
    this_month = periods.month_start(last_night)
    if picked := request.GET.get("month"):  # the month picker: ?month=2026-11
        try:
            picked_year, picked_month = (int(part) for part in picked.split("-"))
        except ValueError:
            return redirect("month")
        return redirect("month_of", year=picked_year, month=picked_month)
    asked = None
    if year:
        assert month is not None  # the address gives both, or neither
        asked = _month_or_404(year, month, this_month)
    # One load: from the twelve months of "usual" before the month shown (early in a month,
    # perhaps the one before this) to the end of the weeks its calendar shows.
    earliest = periods.add_months(asked or this_month, -USUAL_MONTHS - (asked is None))
    _, shown_to = buckets.calendar_span(asked or this_month)
    nights = loading.load_nights(user, earliest, min(shown_to, last_night))
    first = asked or periods.opening_month(last_night, [night.date for night in nights])
    opened_early = asked is None and first < this_month
    end = periods.month_end(first)
    previous = periods.add_months(first, -1)
    usual_start = periods.add_months(first, -USUAL_MONTHS)
    episodes = loading.load_episodes(user, usual_start, end)

    def period_between(start: date, stop: date) -> periods.Period:
        """The nights from `start` to `stop`, judged as a whole period of that length."""
        summary = periods.summarize(
            [n for n in nights if start <= n.date <= stop],
            [e for e in episodes if start <= e.night <= stop],
        )
        return periods.Period(summary, length=(stop - start).days + 1)

    current = period_between(first, end)
    before = period_between(previous, first - timedelta(days=1))
    usual = period_between(usual_start, first - timedelta(days=1))
    panel = learn_panel(user, last_night)  # tips look at recent weeks, whatever month is shown
    context = {
        "tips": panel.tips,
        "red_flags": panel.red_flags,
        "first": first,
        "calendar": buckets.month_calendar(first, nights, last_night),
        "summary": current.summary,
        "current": current,
        "so_far": first == this_month,
        "new_month": this_month if opened_early else None,  # linked to, "so far"
        "new_month_nights": sum(1 for night in nights if night.date >= this_month),
        "week_needs": periods.min_nights(periods.WEEK),
        # A new journal (the month shown is this one or the one before, and the year up to it
        # has not one week's figure of nights): what to do, instead of a month of "no data".
        "getting_started": first >= periods.add_months(this_month, -1)
        and periods.too_few_nights(len(nights)),
        "nights_logged": len(nights),
        "before": before,
        "usual": usual,
        "metrics": periods.period_metrics(current, before, usual),
        "previous": previous,
        "next": periods.add_months(first, 1) if first < this_month else None,
        "weekdays": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    }
    return render(request, "patterns/month.html", context)


def _night_range(request: AuthedRequest, default: str) -> tuple[str, periods.NightRange]:
    """The chosen range's key and its nights: the same nights as the summary's."""
    user = request.user
    key = request.GET.get("range", default)
    if key not in RANGES:
        key = default
    last_night = user.night_of(timezone.now())
    journal_start = loading.first_logged_night(user)
    return key, periods.night_range(last_night, RANGES[key][1], journal_start)


def _line(filled, value_of, markers, **options) -> dict:
    return {
        "template": "charts/line_chart.html",
        "drawings": charts.at_both_widths(
            lambda width: buckets.trend_line_chart(
                filled, value_of, markers, width=width, **options
            )
        ),
    }


def _scaled(value: float | None, factor: float) -> float | None:
    return None if value is None else value * factor


@require_GET
def trends(request: AuthedRequest) -> HttpResponse:
    user = request.user
    key, night_range = _night_range(request, "6m")
    nights = loading.load_nights(user, night_range.start, night_range.end)
    context = {
        "ranges": RANGE_CHOICES,
        "range_key": key,
        "start": night_range.start,
        "end": night_range.end,
        "completeness": night_range.completeness(len(nights)),
        "nights_logged": len(nights),
        # Not even one week's figure: the page says what to do instead of drawing empty charts.
        "charts": _trend_charts(user, key, night_range, nights)
        if not periods.too_few_nights(len(nights))
        else [],
    }
    return render(request, "patterns/trends.html", context)


def _trend_charts(
    user: User, key: str, night_range: periods.NightRange, nights: list[loading.NightRecord]
) -> list[dict]:
    start, end = night_range.start, night_range.end
    months = RANGES[key][1]
    weekly = months is not None and months <= 6
    # The charts begin with the journal's first night, not with empty weeks before it.
    filled = buckets.fill_buckets(
        buckets.buckets(night_range.counted_from, end, weekly=weekly),
        nights,
        loading.load_episodes(user, start, end),
    )
    medications = list(Medication.objects.for_user(user))
    markers = buckets.medication_markers(medications, filled)
    per = "week" if weekly else "month"
    hours = loading.hour_of_night_counts(user, start, end)
    return [
        {
            "template": "charts/bar_chart.html",
            "drawings": charts.at_both_widths(
                lambda width: buckets.cramps_per_week_chart(filled, medications, width=width)
            ),
        },
        _line(
            filled,
            lambda s: _scaled(s.share_cramp_nights, 100),
            markers,
            title="Nights with cramps",
            description=f"Share of logged nights with at least one cramp, by {per}.",
            y_label="% of nights",
            y_range=(0, 100),
            value_format="{:.0f}%",
        ),
        _line(
            filled,
            lambda s: s.median_pain,
            markers,
            title="Pain",
            description=f"Median pain of the cramps (0–10), by {per}.",
            y_label="pain 0–10",
            y_range=(0, 10),
        ),
        _line(
            filled,
            lambda s: _scaled(s.median_duration_seconds, 1 / 60),
            markers,
            title="How long cramps last",
            description=f"Median length of the cramps in minutes, by {per}.",
            y_label="minutes",
            value_format="{:.1f}",
        ),
        _line(
            filled,
            lambda s: s.mean_efficiency_pct,
            markers,
            title="Sleep efficiency",
            description=f"Average sleep efficiency (time asleep as a share of time in bed), "
            f"by {per}.",
            y_label="%",
            y_range=(0, 100),
            value_format="{:.0f}%",
        ),
        _line(
            filled,
            lambda s: _scaled(s.mean_total_sleep_min, 1 / 60),
            markers,
            title="Total sleep",
            description=f"Average hours asleep a night, by {per}.",
            y_label="hours",
            value_format="{:.1f}",
        ),
        {
            "template": "charts/bar_chart.html",
            "drawings": charts.at_both_widths(
                lambda width: charts.bar_chart(
                    [
                        (f"{hour:02d}", hours.get(hour, 0))
                        for hour in buckets.hours_in_night_order(user.night_boundary_hour)
                    ],
                    title="Time of night",
                    description="How many cramps started in each hour of the clock.",
                    y_label="cramps",
                    width=width,
                )
            ),
        },
    ]


def _forest(shown: list[factors.FactorResult]) -> charts.Drawings[forest_plot.ForestPlot]:
    rows = [
        forest_plot.ForestRow(
            label=result.factor.label,
            estimate=result.comparison.risk_ratio,
            low=result.comparison.ci_low,
            high=result.comparison.ci_high,
            note=f"{result.comparison.risk_ratio:.2f} "
            f"({result.comparison.ci_low:.2f}–{result.comparison.ci_high:.2f})"
            + (" · unlikely to be chance" if result.claimed else ""),
            emphasised=result.claimed,
        )
        for result in shown
    ]
    return charts.at_both_widths(
        lambda width: forest_plot.forest_plot(
            rows,
            title="Cramp nights with and without each factor",
            description="Risk ratio of a cramp night with the factor compared with without "
            "it, with its 95% confidence interval for that factor on its own (not adjusted "
            "for the other comparisons); 1 means no difference. Factors that are unlikely to "
            "be chance, allowing for every comparison on the page, are drawn in colour.",
            width=width,
        )
    )


@require_GET
def factor_analysis(request: AuthedRequest) -> HttpResponse:
    user = request.user
    key, night_range = _night_range(request, "all")
    start, end = night_range.start, night_range.end
    nights = loading.load_nights(user, start, end)
    days = loading.load_days(user, factors.history_start(start), end)
    medications = list(Medication.objects.for_user(user))
    custom = list(CustomFactor.objects.for_user(user))
    results = factors.factor_findings(nights, days, factors.factors_for(user, custom, medications))
    shown = [result for result in results if result.comparison.enough_data]
    context = {
        "ranges": RANGE_CHOICES,
        "range_key": key,
        "start": start,
        "end": end,
        "nights_logged": len(nights),
        "getting_started": len(nights) < factors.FEWEST_NIGHTS,
        "results": results,
        "claims": [result for result in results if result.claimed],
        "comparisons": len(shown),
        "min_nights": stats.MIN_NIGHTS_PER_GROUP,
        "usual_days": factors.USUAL_DAYS,
        "usual_min_days": factors.USUAL_MIN_DAYS,
        "forest": _forest(shown) if shown else None,
        "changes": medication_changes.medication_changes(user, medications, start, end, end),
        "window_nights": medication_changes.WINDOW_NIGHTS,
    }
    return render(request, "patterns/factors.html", context)
