"""Your data: the exports, the import into an empty account, and account deletion.

Each download, the import and the deletion ask for the password again. The domain work is
in journal/portability/.
"""

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from journal.forms.data import ImportForm, PasswordCheckForm
from journal.portability import DOWNLOADS
from journal.portability.deletion import delete_account
from journal.portability.json_import import ImportRefused, import_journal, journal_is_empty
from journal.views.types import AuthedRequest


def password_form(request: AuthedRequest, name: str) -> PasswordCheckForm:
    """The password form sent with the request; ids start with `name` ("csv-password")."""
    data = request.POST if request.method == "POST" else None
    return PasswordCheckForm(data, request=request, auto_id=f"{name}-%s")


def render_data_page(
    request: AuthedRequest, kind: str = "", form: PasswordCheckForm | None = None
) -> HttpResponse:
    """The page, with `form` (a download form with errors) in the place of that `kind`."""
    forms = {name: PasswordCheckForm(request=request, auto_id=f"{name}-%s") for name in DOWNLOADS}
    if form is not None:
        forms[kind] = form
    return render(request, "data/index.html", {"forms": forms})


@require_safe
def data_page(request: AuthedRequest) -> HttpResponse:
    return render_data_page(request)


@require_POST
def export(request: AuthedRequest, kind: str) -> HttpResponse:
    """One download, once the password is right; health data, so never kept in a cache."""
    form = password_form(request, kind)
    if not form.is_valid():
        return render_data_page(request, kind, form)
    download, now = DOWNLOADS[kind], timezone.now()
    response = HttpResponse(download.build(request.user, now), content_type=download.content_type)
    filename = download.filename(request.user, now)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
def import_page(request: AuthedRequest) -> HttpResponse:
    if not journal_is_empty(request.user):
        return render(request, "data/import.html", {"not_empty": True})
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, request=request)
    else:
        form = ImportForm(request=request)
    if form.is_valid():
        assert form.parsed is not None  # a valid form has read the file
        try:
            import_journal(request.user, form.parsed)
        except ImportRefused as refusal:
            form.refuse(refusal)
        else:
            messages.success(request, f"Imported {form.parsed.summary()}.")
            return redirect("day_list")
    return render(request, "data/import.html", {"form": form})


@require_http_methods(["GET", "POST"])
def account_delete(request: AuthedRequest) -> HttpResponse:
    """Offers the exports first; with the password, deletes everything and says goodbye."""
    form = password_form(request, "delete")
    if form.is_valid():
        delete_account(request.user)
        logout(request)
        return render(request, "data/goodbye.html")
    return render(request, "data/delete.html", {"form": form})
