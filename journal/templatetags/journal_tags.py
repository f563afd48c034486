from django import template

from journal import formatting, stats
from journal.analysis import periods
from journal.forms import error_summary as summary

register = template.Library()


@register.filter
def hours_minutes(minutes: float | None) -> str:
    return "" if minutes is None else formatting.minutes_text(minutes)


@register.filter
def seconds_text(seconds: float | None) -> str:
    return "" if seconds is None else formatting.seconds_text(seconds)


@register.filter
def efficiency(percent: float | None, decimals: int = 1) -> str:
    """Sleep efficiency as a percentage, or "not computable" (no time in bed)."""
    return formatting.efficiency_text(percent, int(decimals))


@register.filter
def number(value: float | None, decimals: int = 2) -> str:
    """A number with thousands separators and no trailing zeros: "8,000", "1.5"."""
    return "" if value is None else formatting.number_text(value, int(decimals))


@register.filter
def amount(value: float | None, unit: str) -> str:
    """A number and its unit, plural unless it is 1: "1 unit", "2.5 units"."""
    return "" if value is None else formatting.amount_text(value, unit)


@register.filter
def hours(value: float | None) -> str:
    """Hours as a number: "6.5 hours", "1 hour"."""
    return "" if value is None else formatting.hours_text(value)


@register.filter
def fluid(ml: int | None, unit: str) -> str:
    """A volume stored in ml, in the user's unit: "1,800 ml", "60.9 fl oz"."""
    return "" if ml is None else formatting.fluid_text(ml, unit)


@register.inclusion_tag("forms/error_summary.html")
def error_summary(*forms, problems=(), warnings=(), confirm: str = "") -> dict:
    """The error summary of `forms` (forms or formsets under one Save), at the top of the form.

    `problems` adds problems that belong to no field (journal.forms.error_summary.Problem);
    `warnings` lists unusual values to confirm, and `confirm` is the id of the box that
    confirms them.
    """
    shown = [form for form in forms if form is not None]
    found = [*summary.problems(shown), *problems]
    if found or warnings:
        summary.drop_autofocus(shown)
    return {
        "summary_id": summary.summary_id(shown),
        "items": found or list(warnings),
        "checking": not found,  # only unusual values, nothing wrong
        "confirm": confirm,
    }


@register.filter
def too_few_nights(nights_logged: int) -> bool:
    return periods.too_few_nights(nights_logged)


@register.inclusion_tag("patterns/getting_started.html")
def getting_started(nights_logged: int, page: str) -> dict:
    """What a new journal's review page says instead of empty charts: log a few nights first,
    and how many nights the patterns need (the rules' own numbers)."""
    return {
        "nights_logged": nights_logged,
        "page": page,
        "week_needs": periods.min_nights(periods.WEEK),
        "group_needs": stats.MIN_NIGHTS_PER_GROUP,
    }
