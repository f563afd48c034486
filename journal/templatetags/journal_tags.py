from django import template

from journal import formatting, stats
from journal.analysis import periods

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
