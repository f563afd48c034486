"""How lengths of time, numbers and sleep efficiency are written everywhere in the app.

A length never looks like a clock time: "1 min 21 s", not "1:21", so that it cannot be read
as 01:21 beside a cramp that started at 03:10. (Exports keep plain seconds and minutes; the
cramp form's exact-length input is "m:ss" and is written by the form itself.) Numbers have
thousands separators and no trailing zeros: "8,000 ml", "1.5 hours", never "1.50" or "8000".
"""

import math
from decimal import ROUND_HALF_UP, Decimal

from journal.units import ml_to_unit, unit_label

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


def number_text(value: float | Decimal, decimals: int = 2) -> str:
    """A number to at most `decimals` places (a half up), with thousands separators and no
    trailing zeros: "8,000", "1.5", "24", "0.01", "−3"."""
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # never "−0"
    text = f"{rounded:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace("-", "−")


def amount_text(value: float | Decimal, unit: str, plural: str | None = None) -> str:
    """A number with its unit, the unit plural unless the number is exactly 1:
    "1 unit", "2.5 units", "1 hour", "6.5 hours", "1,800 ml" (a symbol has no plural)."""
    number = number_text(value)
    many = plural or f"{unit}s"
    return f"{number} {unit if number == '1' else many}"


def hours_text(hours: float | Decimal) -> str:
    """Hours as a number: "1.5 hours", "1 hour", "0 hours"."""
    return amount_text(hours, "hour")


def fluid_text(ml: int, unit: str) -> str:
    """A volume stored in ml, in the user's unit: "1,800 ml", "60.9 fl oz"."""
    return f"{number_text(ml_to_unit(ml, unit), 1)} {unit_label(unit)}"
