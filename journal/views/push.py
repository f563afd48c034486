"""Web Push on Account > Reminders: a browser turns notifications on (static/js/push.js posts its
subscription here), and the list of devices that get them, each with a Remove button."""

import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from journal.forms.push import MAX_DEVICES, PushSubscriptionForm
from journal.models import User
from journal.reminders.models import PushSubscription
from journal.reminders.push import push_available
from journal.views.types import AuthedRequest


def push_context(user: User) -> dict[str, Any]:
    """What templates/account/push_devices.html needs (Account > Reminders)."""
    return {
        "push_devices": PushSubscription.objects.for_user(user),
        "push_available": push_available(),
        "vapid_public_key": settings.VAPID_PUBLIC_KEY,
    }


def refused(message: str, errors: dict[str, list[str]], status: int = 400) -> JsonResponse:
    return JsonResponse({"status": "refused", "message": message, "errors": errors}, status=status)


@require_POST
def push_subscribe(request: AuthedRequest) -> JsonResponse:
    """A JSON body of {"subscription": PushSubscription.toJSON(), "device_name": "..."}, with
    the CSRF token in the X-CSRFToken header. 201 for a new device, 200 for one updated."""
    if not push_available():
        message = "Notifications are not set up on this server."
        return refused(message, {"__all__": [message]}, status=409)
    try:
        body = json.loads(request.body)
    except ValueError:  # not JSON, or not UTF-8
        message = "The browser's request could not be read. Try again."
        return refused(message, {"__all__": [message]})
    form = PushSubscriptionForm.from_json(body)
    if not form.is_valid():
        errors = {name: [str(error) for error in listed] for name, listed in form.errors.items()}
        said = dict.fromkeys(
            message for field_errors in errors.values() for message in field_errors
        )
        return refused(" ".join(said), errors)
    endpoint = form.cleaned_data["endpoint"]
    devices = PushSubscription.objects.for_user(request.user)
    if devices.count() >= MAX_DEVICES and not devices.filter(endpoint=endpoint).exists():
        message = f"Notifications are on for {MAX_DEVICES} devices already: remove one first."
        return refused(message, {"__all__": [message]})
    device, created = form.save(request.user)
    return JsonResponse(
        {
            "status": "created" if created else "updated",
            "message": f"Notifications are on for {device.device_name}.",
            "id": device.pk,
        },
        status=201 if created else 200,
    )


@require_POST
def push_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    device = get_object_or_404(PushSubscription.objects.for_user(request.user), pk=pk)
    device.delete()
    messages.success(request, f"{device.device_name} no longer gets notifications.")
    return redirect(f"{reverse('reminders')}#push-devices")
