"""How lengths of time are written everywhere in the app."""


def seconds_text(seconds: float) -> str:
    """90 → "1:30" (minutes:seconds)."""
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def minutes_text(minutes: float) -> str:
    """435 → "7 h 15 min"; 12 → "12 min"."""
    sign = "−" if minutes < 0 else ""
    hours, rest = divmod(round(abs(minutes)), 60)
    return f"{sign}{hours} h {rest:02d} min" if hours else f"{sign}{rest} min"
