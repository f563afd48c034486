"""How lengths of time and sleep efficiency are written everywhere in the app.

A length never looks like a clock time: "1 min 21 s", not "1:21", so that it cannot be read
as 01:21 beside a cramp that started at 03:10. (Exports keep plain seconds and minutes; the
cramp form's exact-length input is "m:ss" and is written by the form itself.)
"""

import math

NOT_COMPUTABLE = "not computable"


def _whole(value: float) -> int:
    """Rounded to the nearest whole number, a half up (2.5 → 3, not Python's 2)."""
    return math.floor(value + 0.5)


def seconds_text(seconds: float) -> str:
    """A length given in seconds: "45 s", "1 min 21 s", "6 min"; from an hour on, to the
    minute: "1 h 5 min"."""
    whole = _whole(seconds)
    if whole >= 3600:
        return minutes_text(whole / 60)
    minutes, rest = divmod(whole, 60)
    if not minutes:
        return f"{rest} s"
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


def minutes_text(minutes: float) -> str:
    """A length given in minutes, to the minute: "12 min", "1 h 5 min", "7 h"."""
    sign = "−" if minutes < 0 else ""
    hours, rest = divmod(_whole(abs(minutes)), 60)
    if not hours:
        return f"{sign}{rest} min"
    return f"{sign}{hours} h {rest} min" if rest else f"{sign}{hours} h"


def efficiency_text(percent: float | None, decimals: int = 1) -> str:
    """Sleep efficiency: "80.6%", or "not computable" when there was no time in bed."""
    if percent is None:
        return NOT_COMPUTABLE
    scale = 10**decimals
    return f"{_whole(percent * scale) / scale:.{decimals}f}%"
