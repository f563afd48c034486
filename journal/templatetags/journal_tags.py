from django import template

register = template.Library()


@register.filter
def hours_minutes(minutes: int | None) -> str:
    """435 → "7 h 15 min"."""
    if minutes is None:
        return ""
    sign = "−" if minutes < 0 else ""
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours} h {rest:02d} min" if hours else f"{sign}{rest} min"
