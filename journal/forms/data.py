"""Forms of the data pages: each export, the import and account deletion ask for the password."""

from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat

from journal.portability.json_import import ImportRefused, ParsedJournal, parse_journal
from journal.views.types import AuthedRequest

# Ten years of a busy journal is a few megabytes.
MAX_IMPORT_BYTES = 50 * 1024 * 1024
PROBLEMS_SHOWN = 10


class PasswordCheckForm(forms.Form):
    """The account's password, asked again before anything that exposes or removes the journal."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password."},
    )

    def __init__(self, *args, request: AuthedRequest, **kwargs):
        super().__init__(*args, **kwargs)
        self.request, self.user = request, request.user

    def clean_password(self) -> str:
        """Checked like a log-in, so that django-axes counts failures and locks out guessing."""
        password = self.cleaned_data["password"]
        if authenticate(self.request, username=self.user.email, password=password) != self.user:
            raise forms.ValidationError("That is not your password. Please try again.")
        return password


class ImportForm(PasswordCheckForm):
    """A JSON export to import. Once the password is right, the whole file is checked."""

    file = forms.FileField(
        label="The JSON file",
        help_text="The cramp-journal-….json file made on the “Your data” page.",
        error_messages={"required": "Choose the file to import.", "empty": "This file is empty."},
    )

    field_order = ("file", "password")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".json,application/json"
        self.parsed: ParsedJournal | None = None

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                f"This file is {filesizeformat(upload.size)}; an export is never more than "
                f"{filesizeformat(MAX_IMPORT_BYTES)}. Is it the right file?"
            )
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None  # Form.clean gives the cleaned data
        if self.errors:
            return cleaned  # the file is read only once the password is right
        try:
            self.parsed = parse_journal(cleaned["file"].read(), self.user)
        except ImportRefused as refusal:
            self.refuse(refusal)
        return cleaned

    def refuse(self, refusal: ImportRefused) -> None:
        """Show why the file was not imported, next to the file field."""
        problems = refusal.problems
        if len(problems) == 1:
            messages = [f"Nothing was imported. {problems[0]}"]
        else:
            messages = [
                f"Nothing was imported: the file has {len(problems)} problems.",
                *problems[:PROBLEMS_SHOWN],
            ]
            if len(problems) > PROBLEMS_SHOWN:
                messages.append(f"… and {len(problems) - PROBLEMS_SHOWN} more.")
        self.add_error("file", messages)
