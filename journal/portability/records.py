"""What the exports hold, and one reader of a user's whole journal for all of them.

Each kind of record is exported with the fields named here, under their model field names.
Database ids never leave this module: children are nested under their parent (cramps under
their night, doses under their medication, pauses and answers under their experiment...) and
custom factor values and experiments name their factor.
`NOT_EXPORTED` and `NOT_EXPORTED_MODELS` list every field and model left out on purpose, with
the reason; a test holds these lists against the models, so that nothing new is forgotten.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import cached_property
from zoneinfo import ZoneInfo

from django.db import models
from django.db.models import F

from journal.models import (
    RED_FLAG_QUESTIONS,
    RELIEF_FIELDS,
    CrampEpisode,
    CustomFactor,
    CustomFactorValue,
    DayFactors,
    DoseTaken,
    ExerciseSession,
    Experiment,
    ExperimentAnswer,
    ExperimentPause,
    Medication,
    Night,
    RedFlagChecklist,
    User,
)


def own_field(model: type[models.Model], name: str) -> models.Field:
    """The field `name` of `model` itself, never a relation seen from the other side (none of
    those is exported)."""
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)
    return field


@dataclass(frozen=True)
class RecordKind[M: models.Model]:
    """A kind of record: its model, the fields exported, and the key that links it up."""

    model: type[M]
    fields: tuple[str, ...]
    parent: str  # the foreign key given by nesting (or "user" for a top-level record)


NIGHT = RecordKind(
    Night,
    (
        "date",
        "into_bed",
        "tried_to_sleep",
        "sleep_latency_min",
        "awakenings",
        "awake_after_onset_min",
        "final_awakening",
        "out_of_bed",
        "quality",
        "notes",
        "updated_at",
    ),
    "user",
)
EPISODE = RecordKind(
    CrampEpisode,
    (
        "started_at",
        "duration_seconds",
        "muscle",
        "side",
        "pain",
        "woke_me",
        "minutes_back_to_sleep",
        *RELIEF_FIELDS,
        "soreness_next_day",
        "notes",
        "created_at",
    ),
    "night",
)
DAY = RecordKind(
    DayFactors,
    (
        "date",
        "fluids_ml",
        "alcohol_units",
        "caffeinated_drinks",
        "hours_on_feet",
        "hours_sitting",
        "no_exercise",
        "notes",
        "updated_at",
    ),
    "user",
)
EXERCISE = RecordKind(ExerciseSession, ("kind", "minutes", "intensity"), "day")
FACTOR = RecordKind(CustomFactor, ("name", "kind", "unit", "archived"), "user")
# A value names its factor and holds `yes` or `number`, as the factor's kind says.
FACTOR_VALUE = RecordKind(CustomFactorValue, ("yes", "number"), "day")
MEDICATION = RecordKind(
    Medication,
    (
        "name",
        "dose",
        "dose_unit",
        "drug_class",
        "kind",
        "started_on",
        "stopped_on",
        "notes",
    ),
    "user",
)
DOSE = RecordKind(DoseTaken, ("taken_at", "quantity"), "medication")
CHECKLIST = RecordKind(RedFlagChecklist, ("answered_on", "created_at", *RED_FLAG_QUESTIONS), "user")
# An experiment names its factor (for change "custom"); its seed gives back its schedule.
EXPERIMENT = RecordKind(
    Experiment,
    (
        "change",
        "start",
        "seed",
        "block_nights",
        "blocks",
        "washout_nights",
        "stopped_on",
        "created_at",
    ),
    "user",
)
PAUSE = RecordKind(ExperimentPause, ("first", "last"), "experiment")
ANSWER = RecordKind(ExperimentAnswer, ("night", "did_it"), "experiment")

# The account's own settings: exported, and restored by an import.
PROFILE_FIELDS = (
    "first_name",
    "last_name",
    "time_zone",
    "fluid_unit",
    "fluid_target_ml",
    "fluid_restricted",
    "night_boundary_hour",
    "theme",
    "dim_at_night",
    "night_hours_start",
    "night_hours_end",
    "date_of_birth",
)
# Which account the file came from: exported, never imported (the new account keeps its own).
ACCOUNT_FIELDS = ("email", "date_joined")

NOT_EXPORTED = {
    "id": "database ids mean nothing outside this database; records are nested instead",
    "client_token": "a one-off token of the form that logged the record (stops double taps)",
    "undo_until": "how long the bedside Undo lasts: a few minutes' state, not journal data",
    "timer_started_at": "a cramp timer still running: its length is exported once it stops",
    "factor": "a custom factor value or an experiment names its factor instead",
    "password": "sign-in secrets never leave the account",
    "last_login": "sign-in history, not journal data",
    "is_active": "an administrator's switch, not journal data",
    "is_staff": "an administrator's switch, not journal data",
    "is_superuser": "an administrator's switch, not journal data",
}
# Models whose records stay with the account that made them, by model name.
NOT_EXPORTED_MODELS = {
    "ShareLink": "a share link is a key to the doctor summary, valid only for this account",
    "ShareAccess": "the record of who opened a share link, which goes with the link",
    "Reminder": "reminder settings stay with the account: an import never turns on emails or "
    "notifications",
    "SentReminder": "the log that keeps each reminder to once a day, not journal data",
    "PushSubscription": "a browser's push address and keys, valid only for that browser and "
    "this server",
}


def local_iso(moment: datetime, tz: ZoneInfo, timespec: str = "auto") -> str:
    """An instant as ISO 8601 in the user's time zone, with its UTC offset."""
    return moment.astimezone(tz).isoformat(timespec=timespec)


def decimal_number(value: Decimal) -> int | float:
    """A stored decimal as a JSON number: 20 rather than 20.00, 2.5 rather than 2.50.

    Exact: stored decimals have at most 8 digits, which a float holds and prints exactly.
    """
    return int(value) if value == value.to_integral_value() else float(value)


def _grouped(rows: Iterable[dict], key: str) -> dict[int, list[dict]]:
    """Rows by the value of `key`, which is removed from each row."""
    groups: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        groups[row.pop(key)].append(row)
    return groups


def _by_name(rows: list[dict], key: str = "name") -> list[dict]:
    """Sorted by name whatever its case, in Python: databases collate text differently."""
    return sorted(rows, key=lambda row: (row[key].casefold(), row[key]))


class JournalRecords:
    """Every record of one user, in a stable order, each kind read in one query.

    Records are dicts of field values (`values()`); the number of queries does not grow
    with the number of records. Ties are broken by insertion order, which an import keeps.
    """

    def __init__(self, user: User):
        self.user = user

    @cached_property
    def nights(self) -> list[dict]:
        """Nights by date, each with its cramps by start time under "episodes"."""
        episodes = _grouped(
            CrampEpisode.objects.for_user(self.user)
            .order_by("started_at", "pk")
            .values("night_id", *EPISODE.fields),
            "night_id",
        )
        nights = list(
            Night.objects.for_user(self.user).order_by("date").values("pk", *NIGHT.fields)
        )
        for night in nights:
            night["episodes"] = episodes.get(night.pop("pk"), [])
        return nights

    @cached_property
    def days(self) -> list[dict]:
        """Days by date, with "exercise" sessions and "custom_factor_values" by factor name.

        Each value carries its factor's "factor" name, "factor_kind" and "factor_unit".
        """
        exercise = _grouped(
            ExerciseSession.objects.for_user(self.user)
            .order_by("pk")
            .values("day_id", *EXERCISE.fields),
            "day_id",
        )
        values = _grouped(
            CustomFactorValue.objects.for_user(self.user)
            .order_by("pk")
            .values(
                "day_id",
                *FACTOR_VALUE.fields,
                factor_name=F("factor__name"),
                factor_kind=F("factor__kind"),
                factor_unit=F("factor__unit"),
            ),
            "day_id",
        )
        days = list(
            DayFactors.objects.for_user(self.user).order_by("date").values("pk", *DAY.fields)
        )
        for day in days:
            day["exercise"] = exercise.get(day["pk"], [])
            day["custom_factor_values"] = _by_name(values.get(day.pop("pk"), []), "factor_name")
        return days

    @cached_property
    def factors(self) -> list[dict]:
        return _by_name(
            list(CustomFactor.objects.for_user(self.user).order_by("pk").values(*FACTOR.fields))
        )

    @cached_property
    def medications(self) -> list[dict]:
        """Medications by start date and name, each with its "doses" by time taken."""
        doses = _grouped(
            DoseTaken.objects.for_user(self.user)
            .order_by("taken_at", "pk")
            .values("medication_id", *DOSE.fields),
            "medication_id",
        )
        medications = list(
            Medication.objects.for_user(self.user).order_by("pk").values("pk", *MEDICATION.fields)
        )
        for medication in medications:
            medication["doses"] = doses.get(medication.pop("pk"), [])
        return sorted(
            medications,
            key=lambda row: (row["started_on"], row["name"].casefold(), row["name"]),
        )

    @cached_property
    def checklists(self) -> list[dict]:
        """Red-flag checklists, oldest first."""
        return list(
            RedFlagChecklist.objects.for_user(self.user)
            .order_by("created_at", "pk")
            .values(*CHECKLIST.fields)
        )

    @cached_property
    def experiments(self) -> list[dict]:
        """Experiments by first night, each with its factor's "factor_name" (or None), its
        "pauses" by first night and its "answers" by night."""
        pauses = _grouped(
            ExperimentPause.objects.for_user(self.user)
            .order_by("first", "pk")
            .values("experiment_id", *PAUSE.fields),
            "experiment_id",
        )
        answers = _grouped(
            ExperimentAnswer.objects.for_user(self.user)
            .order_by("night", "pk")
            .values("experiment_id", *ANSWER.fields),
            "experiment_id",
        )
        experiments = list(
            Experiment.objects.for_user(self.user)
            .order_by("start", "pk")
            .values("pk", *EXPERIMENT.fields, factor_name=F("factor__name"))
        )
        for experiment in experiments:
            experiment["pauses"] = pauses.get(experiment["pk"], [])
            experiment["answers"] = answers.get(experiment.pop("pk"), [])
        return experiments
