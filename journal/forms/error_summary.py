"""The error summary at the top of a form (the GOV.UK pattern): every problem in one list, each
linked to its field, shown where the page opens and given the focus, so that a refused form
never looks as if nothing happened. The messages next to the fields stay too.

`{% error_summary form %}` (journal/templatetags/journal_tags.py) renders it with
templates/forms/error_summary.html; a page with several forms under one Save (the check-in)
names them all.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django import forms
from django.forms import BaseForm, BaseFormSet, BoundField

Form = BaseForm | BaseFormSet


@dataclass(frozen=True)
class Problem:
    """One line of the summary: what is wrong, the link to the field it is about and that
    field's label (both "" for a problem of the whole form)."""

    text: str
    href: str = ""
    label: str = ""


def field_anchor(field: BoundField) -> str:
    """The link to a field: its input, or the first choice of a group of radios or boxes."""
    widget = field.field.widget
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        ident = widget.id_for_label(field.auto_id, "0")
    else:
        ident = field.id_for_label
    return f"#{ident}" if ident else ""


def about(field: BoundField, text: str, *, labelled: bool = False) -> Problem:
    """A problem (or an unusual value to confirm) linked to `field`; `labelled` when the text
    does not say which field it is about ("Enter a whole number from 0 to 30.")."""
    label = str(field.label).rstrip(":") if labelled else ""
    return Problem(text, field_anchor(field), label)


def problems(forms_: Iterable[Form]) -> list[Problem]:
    """Every error of the forms, in the order of their fields; those of the whole form, and of
    hidden fields, unlinked."""
    return list(_problems(forms_))


def _problems(forms_: Iterable[Form]) -> Iterator[Problem]:
    for form in forms_:
        if not form.is_bound:
            continue
        if isinstance(form, BaseFormSet):
            yield from (Problem(str(error)) for error in form.non_form_errors())
            yield from _problems(form.forms)
            continue
        yield from (Problem(str(error)) for error in form.non_field_errors())
        for field in form:
            for error in field.errors:
                if field.is_hidden:
                    yield Problem(str(error))
                else:
                    yield about(field, str(error), labelled=True)


def summary_id(forms_: list[Form]) -> str:
    """A page-unique id, from the first form's ids: "id_error-summary", "dose-4-error-summary"."""
    auto_id = forms_[0].auto_id if forms_ else None
    if isinstance(auto_id, str) and "%s" in auto_id:
        return auto_id % "error-summary"
    return "error-summary"


def drop_autofocus(forms_: Iterable[Form]) -> None:
    """The summary takes the focus: no field of these forms asks for it too (as the log-in
    form's email does), which would leave two autofocus elements on the page."""
    for form in forms_:
        subforms = form.forms if isinstance(form, BaseFormSet) else [form]
        for subform in subforms:
            for field in subform.fields.values():
                field.widget.attrs.pop("autofocus", None)
