"""The complete JSON export: everything in the journal, and the account's settings.

Format "cramp-journal", version 1. Top-level keys:

- "format", "version": what the file is; an import checks both.
- "exported_at": when the file was made.
- "account": the "email" and "date_joined" of the account it came from (never imported).
- "profile": the settings an import restores (name, time zone, fluid unit and target...).
- "custom_factors", "medications" (each with "doses"), "nights" (each with its cramps under
  "episodes"), "days" (each with "exercise" and "custom_factor_values", which name their
  factor), "red_flag_checklists".
- "experiments": each with its design ("change", "start", "seed", "block_nights", "blocks",
  "washout_nights"), "stopped_on", "created_at", "factor" (the name of the custom factor it
  tries, for change "custom"; null otherwise), "pauses" ({"first", "last"}, "last" null while
  the pause is on) and the check-in's "answers" ({"night", "did_it"}; a night not answered has
  none). The seed gives back the schedule of blocks. Files from before experiments have no
  such key, which an import reads as no experiments.

Records use the model field names (journal/portability/records.py lists them) and natural
keys instead of database ids. Dates are "YYYY-MM-DD"; times are ISO 8601 in the user's time
zone with their UTC offset; decimals are JSON numbers; a value not recorded is null.
"""

import json
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import models

from journal.models import User
from journal.portability.records import (
    ACCOUNT_FIELDS,
    ANSWER,
    CHECKLIST,
    DAY,
    DOSE,
    EPISODE,
    EXERCISE,
    EXPERIMENT,
    FACTOR,
    MEDICATION,
    NIGHT,
    PAUSE,
    PROFILE_FIELDS,
    JournalRecords,
    RecordKind,
    decimal_number,
    local_iso,
    own_field,
)

FORMAT = "cramp-journal"
VERSION = 1


def json_value(field: models.Field, value: Any, user: User) -> object:
    """A field's value (of the field's type) as JSON: dates and times as ISO 8601 text, decimals
    as numbers."""
    if value is None:
        return None
    if isinstance(field, models.DateTimeField):
        return local_iso(value, user.tzinfo)
    if isinstance(field, models.DateField):
        return value.isoformat()
    if isinstance(value, Decimal):
        return decimal_number(value)
    return value


def _record(kind: RecordKind, row: dict, user: User) -> dict:
    return {name: json_value(own_field(kind.model, name), row[name], user) for name in kind.fields}


def _user_fields(user: User, names: tuple[str, ...]) -> dict:
    return {name: json_value(own_field(User, name), getattr(user, name), user) for name in names}


def export_journal(user: User, now: datetime) -> dict:
    """The whole journal of `user` as JSON-ready data."""
    records = JournalRecords(user)
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": local_iso(now, user.tzinfo),
        "account": _user_fields(user, ACCOUNT_FIELDS),
        "profile": _user_fields(user, PROFILE_FIELDS),
        "custom_factors": [_record(FACTOR, row, user) for row in records.factors],
        "medications": [
            _record(MEDICATION, row, user)
            | {"doses": [_record(DOSE, dose, user) for dose in row["doses"]]}
            for row in records.medications
        ],
        "nights": [
            _record(NIGHT, row, user)
            | {"episodes": [_record(EPISODE, episode, user) for episode in row["episodes"]]}
            for row in records.nights
        ],
        "days": [
            _record(DAY, row, user)
            | {
                "exercise": [_record(EXERCISE, session, user) for session in row["exercise"]],
                "custom_factor_values": [
                    {
                        "factor": value["factor_name"],
                        "value": decimal_number(value["number"])
                        if value["number"] is not None
                        else value["yes"],
                    }
                    for value in row["custom_factor_values"]
                ],
            }
            for row in records.days
        ],
        "red_flag_checklists": [_record(CHECKLIST, row, user) for row in records.checklists],
        "experiments": [
            _record(EXPERIMENT, row, user)
            | {
                "factor": row["factor_name"],
                "pauses": [_record(PAUSE, pause, user) for pause in row["pauses"]],
                "answers": [_record(ANSWER, answer, user) for answer in row["answers"]],
            }
            for row in records.experiments
        ],
    }


def journal_json(user: User, now: datetime) -> bytes:
    """The export as UTF-8 JSON, indented so that it can be read and compared."""
    text = json.dumps(export_journal(user, now), ensure_ascii=False, indent=2)
    return (text + "\n").encode()
