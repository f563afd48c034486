from django.http import HttpRequest
from django.utils import timezone

from journal.models import Theme
from journal.offline import journal_key
from journal.themes import THEME_COLOURS

# The main sections: the tab bar along the bottom of a phone, the top navigation on a desktop.
# Account sits apart, at the right of the top bar.
NAVIGATION = [
    ("home", "Log"),
    ("month", "Month"),
    ("trends", "Trends"),
    ("summary", "Summary"),
    ("learn", "Learn"),
]
PUBLIC_NAVIGATION = [
    ("learn", "Learn"),
    ("login", "Log in"),
    ("signup", "Sign up"),
]
# The pages under each section, by the start of their path: the section's tab is marked as the
# current section (aria-current="true") on them, and as the current page on its own page.
SECTION_PATHS = {
    "home": ("/checkin/", "/days/", "/cramps/", "/nights/", "/medications/", "/factors/"),
    "month": ("/month/",),
    "trends": ("/trends/",),
    "summary": ("/summary/",),
    "learn": ("/learn/",),
    "account": ("/account/", "/data/", "/password_change/"),
}


def current_section(path: str) -> str:
    return next(
        (section for section, starts in SECTION_PATHS.items() if path.startswith(starts)), ""
    )


def navigation(request: HttpRequest) -> dict:
    match = request.resolver_match
    return {
        "navigation": NAVIGATION if request.user.is_authenticated else PUBLIC_NAVIGATION,
        "current_page": match.url_name if match else "",
        "current_section": current_section(request.path),
    }


def theme(request: HttpRequest) -> dict:
    """The theme of <html data-theme>, decided on the server so that it needs no script and
    never flashes: the account's choice, or dim during its night hours."""
    user = request.user
    shown = user.theme_at(timezone.now()) if user.is_authenticated else Theme.SYSTEM
    return theme_context(shown)


def theme_context(shown: str) -> dict:
    """The theme, and the colour the browser paints its own bar with (both for "system")."""
    return {
        "theme_shown": shown,
        "theme_colour": THEME_COLOURS.get(shown),
        "theme_colours": THEME_COLOURS,
    }


def offline(request: HttpRequest) -> dict:
    """The journal's key, which the phone keeps with cramps logged offline (journal.offline)."""
    if request.user.is_authenticated:
        return {"journal_key": journal_key(request.user)}
    return {}
