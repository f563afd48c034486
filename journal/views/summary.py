"""The doctor summary as a page, a print view and a PDF, and read-only links to share it."""

from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Max, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from journal import summary as doctor_summary
from journal.analysis import periods
from journal.models import ShareAccess, ShareLink, User
from journal.qr import qr_svg
from journal.views.shortcuts import choice_or_default, static_file
from journal.views.types import AuthedRequest

SHARE_DAYS = {7: "1 week", 30: "30 days", 90: "3 months"}
DEFAULT_SHARE_DAYS = 30


def _months(request: HttpRequest) -> int:
    return choice_or_default(
        request.GET.get("months"), doctor_summary.RANGE_MONTHS, doctor_summary.DEFAULT_MONTHS
    )


def _summary_for(user: User, months: int) -> doctor_summary.DoctorSummary:
    now = timezone.now()
    start, end = periods.range_ending(user.night_of(now), months)
    return doctor_summary.build_summary(user, start, end, now)


def _pdf_response(summary: doctor_summary.DoctorSummary) -> HttpResponse:
    document = render_to_string("summary/standalone.html", {"summary": summary, "for_pdf": True})
    with static_file("css/summary.css").open(encoding="utf-8") as stylesheet:
        pdf = doctor_summary.pdf_from_html(document, stylesheet.read())
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"cramp-summary-{summary.start:%Y-%m-%d}-to-{summary.end:%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@never_cache
def summary(request: AuthedRequest) -> HttpResponse:
    months = _months(request)
    now = timezone.now()
    links = list(
        ShareLink.objects.for_user(request.user)
        .annotate(access_count=Count("accesses"), last_access=Max("accesses__accessed_at"))
        .prefetch_related(
            Prefetch("accesses", ShareAccess.objects.order_by("-accessed_at")[:20], "recent")
        )
        .order_by("-created_at")
    )
    for link in links:
        link.active = link.is_active(now)
        if link.active:
            link.address = request.build_absolute_uri(link.get_absolute_url())
            link.qr = qr_svg(link.address)
    # The link just created (share_create sends its id back), shown first with its QR code.
    new_id = request.GET.get("new", "")
    new_link = next((link for link in links if link.active and str(link.pk) == new_id), None)
    context = {
        "summary": _summary_for(request.user, months),
        "months": months,
        "ranges": doctor_summary.RANGE_MONTHS,
        "share_days": SHARE_DAYS,
        "default_share_days": DEFAULT_SHARE_DAYS,
        "links": links,
        "new_link": new_link,
        "active_links": sum(1 for link in links if link.active),
    }
    return render(request, "summary/page.html", context)


@require_GET
@never_cache
def summary_print(request: AuthedRequest) -> HttpResponse:
    """The summary alone, styled for paper: print it from the browser."""
    context = {"summary": _summary_for(request.user, _months(request))}
    return render(request, "summary/standalone.html", context)


@require_GET
@never_cache
def summary_pdf(request: AuthedRequest) -> HttpResponse:
    return _pdf_response(_summary_for(request.user, _months(request)))


@require_POST
def share_create(request: AuthedRequest) -> HttpResponse:
    months = choice_or_default(
        request.POST.get("months"), doctor_summary.RANGE_MONTHS, doctor_summary.DEFAULT_MONTHS
    )
    days = choice_or_default(request.POST.get("days"), SHARE_DAYS, DEFAULT_SHARE_DAYS)
    now = timezone.now()
    start, end = periods.range_ending(request.user.night_of(now), months)  # as the summary's
    link = ShareLink.objects.create(
        user=request.user, start=start, end=end, expires_at=now + timedelta(days=days)
    )
    messages.success(request, f"Link created. It works until {link.expires_at:%-d %B %Y}.")
    return redirect(f"{reverse('summary')}?{urlencode({'months': months, 'new': link.pk})}")


@require_POST
def share_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(ShareLink.objects.for_user(request.user), pk=pk)
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
    messages.success(request, "The link is revoked: it no longer opens the summary.")
    return redirect("summary")


def _active_link(token: str, what: str, request: HttpRequest) -> ShareLink:
    """The link for `token` if it still works, recording this use; else 404."""
    link = ShareLink.objects.select_related("user").filter(token=token).first()
    if link is None or not link.is_active(timezone.now()):
        raise Http404("This link does not exist, has expired or was revoked.")
    ShareAccess.objects.create(
        link=link, what=what, user_agent=request.headers.get("User-Agent", "")[:200]
    )
    return link


def _shared_summary(link: ShareLink) -> doctor_summary.DoctorSummary:
    return doctor_summary.build_summary(link.user, link.start, link.end, timezone.now())


@login_not_required
@require_GET
@never_cache
def shared_summary(request: HttpRequest, token: str) -> HttpResponse:
    """What a doctor sees through a shared link: that summary, nothing else."""
    link = _active_link(token, "page", request)
    with timezone.override(link.user.tzinfo):  # times as the patient lived them
        context = {"summary": _shared_summary(link), "shared": link}
        return render(request, "summary/standalone.html", context)


@login_not_required
@require_GET
@never_cache
def shared_summary_pdf(request: HttpRequest, token: str) -> HttpResponse:
    link = _active_link(token, "pdf", request)
    with timezone.override(link.user.tzinfo):
        return _pdf_response(_shared_summary(link))
