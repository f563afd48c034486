from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def next_url_or(request: HttpRequest, fallback: str) -> str:
    """The `next` address sent with the request when it is one of ours, else `fallback`."""
    next_url = request.POST.get("next") or request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        return next_url
    return fallback
