from django import template

from journal import formatting

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
