"""Messages of number and time fields in the app's own words: what to enter, in which unit, in
which range ("Enter a whole number from 0 to 8,000 ml."), never Django's "Ensure this value is
less than or equal to 8000."

The range is read from the field's validators: a model form's field has the model field's,
which journal/ranges.py gives it, so each range is written once, there. The unit comes from
the form. One message covers every way a number can be wrong (not a number, out of range,
too many digits), so it always says what to type rather than what went wrong.
"""

from collections.abc import Iterable, Mapping
from decimal import Decimal

from django import forms
from django.core import validators as core
from django.forms.widgets import ChoiceWidget

from journal.formatting import number_text

Number = int | Decimal | float

# Units written after the number ("from 0 to 8,000 ml"); any other unit names what is counted
# ("a whole number of minutes from 0 to 1,440").
SYMBOLS = frozenset({"ml", "fl oz"})

NUMBER_CODES = (
    "required",
    "invalid",
    "min_value",
    "max_value",
    "max_digits",
    "max_whole_digits",
    "step_size",
)

TIME_MESSAGE = "Enter a time as hours and minutes, like 22:30."


def limits(validators: Iterable) -> tuple[Number | None, Number | None]:
    """The narrowest range the validators allow: (lowest, highest), None where unbounded."""
    lows = [v.limit_value for v in validators if isinstance(v, core.MinValueValidator)]
    highs = [v.limit_value for v in validators if isinstance(v, core.MaxValueValidator)]
    return (max(lows) if lows else None, min(highs) if highs else None)


def whole_number_limits(validators: Iterable) -> tuple[int, int]:
    """`limits` of a range of whole numbers closed at both ends, like millilitres of fluid."""
    low, high = limits(validators)
    assert isinstance(low, int) and isinstance(high, int)
    return low, high


def number_message(
    low: Number | None,
    high: Number | None,
    unit: str = "",
    decimal_places: int = 0,
    *,
    verb: str = "Enter",
) -> str:
    """What to enter: "Enter a whole number of minutes from 0 to 1,440.", "Enter a number of
    hours from 0 to 24, like 1.5.", "Enter a whole number from 0 to 8,000 ml."."""
    kind = "a number" if decimal_places else "a whole number"
    counted = f" of {unit}" if unit and unit not in SYMBOLS else ""
    symbol = f" {unit}" if unit in SYMBOLS else ""
    if low is not None and high is not None:
        span = f" from {number_text(low)} to {number_text(high)}{symbol}"
    elif high is not None:
        span = f" up to {number_text(high)}{symbol}"
    elif low is not None:
        span = f" of {number_text(low)}{symbol} or more"
    else:
        span = ""
    example = ", like 1.5" if decimal_places else ""
    return f"{verb} {kind}{counted}{span}{example}."


def decimal_places_message(unit: str, decimal_places: int) -> str:
    """For a number typed with too many decimals: "Enter a number of hours with at most 1
    decimal place, like 1.5."."""
    counted = f" of {unit}" if unit and unit not in SYMBOLS else ""
    places = "1 decimal place" if decimal_places == 1 else f"{decimal_places} decimal places"
    return f"Enter a number{counted} with at most {places}, like 1.5."


def describe_number(field: forms.IntegerField, model_field=None, unit: str = "") -> str:
    """Give a number field one message, with its range and unit, for every way its value can
    be wrong, in place of Django's own (a message the form wrote itself stays); returns it.

    The range is the narrowest of the form field's validators and `model_field`'s; a decimal
    field without a highest value is bounded by its digits (999,999.99 for 8 digits, 2 after
    the point)."""
    low, high = limits([*field.validators, *getattr(model_field, "validators", ())])
    decimal_places = getattr(field, "decimal_places", None) or 0
    max_digits = getattr(field, "max_digits", None)
    if high is None and max_digits:
        high = Decimal(10) ** (max_digits - decimal_places) - Decimal(10) ** -decimal_places
    chosen = isinstance(field.widget, ChoiceWidget)
    message = number_message(low, high, unit, decimal_places, verb="Choose" if chosen else "Enter")
    give_message(field, message, unit)
    return message


def give_message(field: forms.IntegerField, message: str, unit: str = "") -> None:
    """`message` for every way the number field's value can be wrong, in place of Django's
    own messages (one the form wrote itself stays)."""
    plain = dict.fromkeys(NUMBER_CODES if field.required else NUMBER_CODES[1:], message)
    decimal_places = getattr(field, "decimal_places", None) or 0
    if decimal_places:
        plain["max_decimal_places"] = decimal_places_message(unit, decimal_places)
    defaults = _default_messages(type(field))
    for code, text in plain.items():
        if field.error_messages.get(code, defaults.get(code)) == defaults.get(code):
            field.error_messages[code] = text


def _default_messages(field_class: type) -> dict[str, str]:
    """Django's own messages of a form field class, by code."""
    messages: dict[str, str] = {}
    for klass in reversed(field_class.__mro__):
        messages.update(getattr(klass, "default_error_messages", {}))
    return messages


def use_plain_messages(form: forms.BaseForm, units: Mapping[str, str] | None = None) -> None:
    """Write the messages of every number and time field of `form` in plain words.

    `units` names each number field's unit ("minutes", "hours", "ml"). A model form's limits
    come from its model fields' validators too; errors from validating the model take the
    form field's messages by their code (ModelForm._update_errors), so the same message shows
    whichever side refuses the value.
    """
    units = units or {}
    meta = getattr(form, "_meta", None)
    model = getattr(meta, "model", None)
    model_fields = {f.name: f for f in model._meta.get_fields()} if model else {}
    for name, field in form.fields.items():
        if isinstance(field, forms.TimeField):
            if field.error_messages["invalid"] == _default_messages(type(field))["invalid"]:
                field.error_messages["invalid"] = TIME_MESSAGE
        elif isinstance(field, forms.IntegerField):  # DecimalField and FloatField too
            describe_number(field, model_fields.get(name), units.get(name, ""))
