from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def not_built_yet(request: HttpRequest, title: str) -> HttpResponse:
    """An honest page for a section a later release fills in."""
    return render(request, "not_built_yet.html", {"title": title})
