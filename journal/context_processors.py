from django.http import HttpRequest

NAVIGATION = [
    ("home", "Log"),
    ("month", "Month"),
    ("trends", "Trends"),
    ("learn", "Learn"),
    ("summary", "Summary"),
    ("account", "Account"),
]


def navigation(request: HttpRequest) -> dict:
    match = request.resolver_match
    return {"navigation": NAVIGATION, "current_page": match.url_name if match else ""}
