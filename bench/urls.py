"""The project's URLs plus /bench/ok/, the floor every page is compared with.

The bare view goes through the same middleware as every page (session, user, CSRF, CSP,
privacy headers, the session save), so a page's time over it is what the page itself costs.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def ok(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/ok/", ok, name="bench_ok"),
    path("", include("crampjournal.urls")),
]
