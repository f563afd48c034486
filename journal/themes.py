"""The night hours, during which pages can turn dim by themselves.

Night hours run from a start hour to an end hour on the user's own clock, across midnight
when the end is the earlier hour (22 to 7 is 22:00 until 06:59). They are a setting of their
own: the night boundary (journal/nights.py) says which night a moment belongs to, and sits in
the middle of the day, so it cannot say when someone is asleep.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

DEFAULT_NIGHT_HOURS = (22, 7)

# Each theme's page background (--bg in static/css/app.css, which tests/test_themes.py compares),
# for the browser's own parts: the bar of an app on the home screen, its splash screen.
THEME_COLOURS = {"light": "#fbfaf7", "dark": "#0e1117", "dim": "#0a0604"}


def in_night_hours(moment: datetime, tz: ZoneInfo, night_hours: tuple[int, int]) -> bool:
    """Whether the aware datetime `moment` falls in the night hours (start, end) in `tz`."""
    if moment.tzinfo is None:
        raise ValueError("in_night_hours() needs an aware datetime")
    start, end = night_hours
    if start == end:
        raise ValueError("night hours must end at a different hour from their start")
    hour = moment.astimezone(tz).hour
    if start < end:
        return start <= hour < end
    return hour >= start or hour < end
