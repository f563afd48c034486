"""Import of the JSON export (journal/portability/json_export.py) into an empty account.

Two steps. `parse_journal` reads and checks the whole file without touching the database:
format and version, the type of every value, then each record's own model validation
(`full_clean()`, so the ranges and rules are those of every form), and the rules that span
records (one night and one day per date, factor names unique whatever their case, at most
20 cramps a night, each cramp on the night the night rule gives, an experiment of one's own
factor naming a yes/no factor of the file, one answer a night and one pause at a time). Any
problem refuses the whole file, each problem named with its place. `import_journal` then
writes everything in one transaction, into an account that must have no records yet: a
failure half-way leaves the account as it was.
"""

import itertools
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import NoReturn

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError, models, transaction

from journal import ranges
from journal.experiments import design
from journal.experiments.changes import ChangeKind
from journal.models import (
    CrampEpisode,
    CustomFactor,
    CustomFactorValue,
    DayFactors,
    DoseTaken,
    ExerciseSession,
    Experiment,
    ExperimentAnswer,
    ExperimentPause,
    FactorKind,
    Medication,
    Night,
    RedFlagChecklist,
    User,
)
from journal.portability.json_export import FORMAT, VERSION
from journal.portability.records import (
    ANSWER,
    CHECKLIST,
    DAY,
    DOSE,
    EPISODE,
    EXERCISE,
    EXPERIMENT,
    FACTOR,
    FACTOR_VALUE,
    MEDICATION,
    NIGHT,
    PAUSE,
    PROFILE_FIELDS,
    RecordKind,
    own_field,
)

logger = logging.getLogger(__name__)

EXAMPLE_MOMENT = "2026-03-05T03:00:00+00:00"

TOP_LEVEL_KEYS = {
    "format",
    "version",
    "exported_at",
    "account",
    "profile",
    "custom_factors",
    "medications",
    "nights",
    "days",
    "red_flag_checklists",
    "experiments",
}
NOT_EMPTY = (
    "Your journal already has records. An import only goes into an empty account, so that "
    "nothing is mixed up or overwritten."
)
SAVE_FAILED = (
    "The file passed every check but could not be saved, so your account is as it was. "
    "Please try again."
)


class ImportRefused(Exception):
    """The file was not imported; `problems` says why, in words for the user."""

    def __init__(self, problems: list[str]):
        super().__init__(problems)
        self.problems = problems


@dataclass
class ParsedJournal:
    """Checked, unsaved records; children point at their (unsaved) parents."""

    profile: dict[str, object]
    factors: list[CustomFactor] = field(default_factory=list)
    medications: list[Medication] = field(default_factory=list)
    doses: list[DoseTaken] = field(default_factory=list)
    nights: list[Night] = field(default_factory=list)
    episodes: list[CrampEpisode] = field(default_factory=list)
    days: list[DayFactors] = field(default_factory=list)
    exercise: list[ExerciseSession] = field(default_factory=list)
    factor_values: list[CustomFactorValue] = field(default_factory=list)
    checklists: list[RedFlagChecklist] = field(default_factory=list)
    experiments: list[Experiment] = field(default_factory=list)
    pauses: list[ExperimentPause] = field(default_factory=list)
    answers: list[ExperimentAnswer] = field(default_factory=list)

    def in_saving_order(self) -> list[Sequence[models.Model]]:
        """Parents before children, so that children pick up their parents' keys."""
        return [
            self.factors,
            self.medications,
            self.doses,
            self.nights,
            self.episodes,
            self.days,
            self.exercise,
            self.factor_values,
            self.checklists,
            self.experiments,
            self.pauses,
            self.answers,
        ]

    def summary(self) -> str:
        """What the file holds, e.g. "83 nights with 61 cramps, 83 days, 4 medications…"."""

        def count(items: list, one: str, many: str) -> str:
            return f"{len(items)} {one if len(items) == 1 else many}"

        return (
            f"{count(self.nights, 'night', 'nights')} with "
            f"{count(self.episodes, 'cramp', 'cramps')}, {count(self.days, 'day', 'days')} "
            f"of factors, {count(self.factors, 'custom factor', 'custom factors')}, "
            f"{count(self.medications, 'medication', 'medications')} with "
            f"{count(self.doses, 'dose', 'doses')}, "
            f"{count(self.checklists, 'red-flag checklist', 'red-flag checklists')} and "
            f"{count(self.experiments, 'experiment', 'experiments')}"
        )


# --- Reading values -----------------------------------------------------------------------


def python_value(model_field: models.Field, value: object) -> object:
    """A JSON value as the Python value of `model_field`; ValueError says what is wrong.

    Only the type is checked here; ranges and choices are left to model validation.
    """
    if value is None:
        if model_field.null:
            return None
        raise ValueError("can’t be null")
    if isinstance(model_field, models.BooleanField):
        if not isinstance(value, bool):
            raise ValueError("should be true or false")
        return value
    if isinstance(model_field, models.IntegerField):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("should be a whole number")
        return value
    if isinstance(model_field, models.DecimalField):
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            raise ValueError("should be a number")
        return Decimal(value)
    if isinstance(model_field, models.DateTimeField):
        moment = _iso(value, datetime.fromisoformat, f"a date and time like {EXAMPLE_MOMENT}")
        if moment.tzinfo is None:
            raise ValueError(f"needs its UTC offset, like {EXAMPLE_MOMENT}")
        return moment
    if isinstance(model_field, models.DateField):
        return _iso(value, date.fromisoformat, "a date like 2026-03-04")
    return _text(model_field, value)


def _iso[T](value: object, parse: Callable[[str], T], example: str) -> T:
    if not isinstance(value, str):
        raise ValueError(f"should be {example}")
    try:
        return parse(value)
    except ValueError:
        raise ValueError(f"should be {example}, not “{value[:40]}”") from None


def _text(model_field: models.Field, value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("should be text")
    if "\x00" in value:
        raise ValueError("contains a NUL character, which can’t be stored")
    try:
        value.encode()
    except UnicodeEncodeError:
        raise ValueError("is not valid text (it has a broken character)") from None
    # Model validation checks the length of a CharField but not of a TextField.
    limit = model_field.max_length
    if isinstance(model_field, models.TextField) and limit is not None and len(value) > limit:
        raise ValueError(f"is {len(value)} characters long; at most {limit} can be stored")
    return value


def _place(noun: str, index: int, data: object, key: str) -> str:
    """Where a record is, for messages: "Night 5 (2026-03-04)"."""
    name = data.get(key) if isinstance(data, dict) else None
    return f"{noun} {index + 1}" + (f" ({name[:60]})" if isinstance(name, str) else "")


class _Reader:
    """Builds unsaved records from JSON data, collecting every problem found."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def add(self, place: str, message: str) -> None:
        self.problems.append(f"{place}: {message}")

    def items(self, data: dict, key: str, place: str) -> list:
        value = data.get(key, [])
        if isinstance(value, list):
            return value
        self.add(place, f"“{key}” should be a list [ … ]")
        return []

    def record[M: models.Model](
        self,
        kind: RecordKind[M],
        data: object,
        place: str,
        children: tuple[str, ...] = (),
        **links: models.Model,
    ) -> M | None:
        """An unsaved `kind.model` from `data`, validated as far as it can be on its own."""
        if not isinstance(data, dict):
            self.add(place, "should be an object { … }")
            return None
        for key in sorted(data.keys() - {*kind.fields, *children}, key=str):
            self.add(place, f"has an unknown key “{key}”")
        values, failed = {}, []
        for name in kind.fields:
            if name not in data:
                continue  # the model's default, or a message from validation if it has none
            try:
                values[name] = python_value(own_field(kind.model, name), data[name])
            except ValueError as error:
                self.add(f"{place}, “{name}”", str(error))
                failed.append(name)
        instance = kind.model(**values, **links)
        self.validate(instance, place, exclude=(kind.parent, *failed), whole=not failed)
        return instance

    def validate(
        self, instance: models.Model, place: str, exclude: tuple[str, ...], whole: bool = True
    ) -> set[str]:
        """Model validation of `instance`; returns the names of the fields found wrong.

        Without `whole`, only the fields are checked: the record's own rules (its `clean()`)
        would only repeat, less clearly, that a value could not be read. Uniqueness and
        constraints need the database: the rules across records below check them for the
        file, and the database itself still refuses anything else.
        """
        try:
            if whole:
                instance.full_clean(
                    exclude=exclude, validate_unique=False, validate_constraints=False
                )
            else:
                instance.clean_fields(exclude=exclude)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                where = place if name == NON_FIELD_ERRORS else f"{place}, “{name}”"
                # Once each: a record's rule can repeat the database's range (an experiment's seed).
                for message in dict.fromkeys(messages):
                    self.add(where, message)
            return set(error.message_dict)
        return set()


# --- Reading the file ---------------------------------------------------------------------


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not a number")


def load_export(raw: bytes) -> dict:
    """The file's top-level object, once it is known to be a Cramp Journal export we read."""
    if raw.startswith(b"PK\x03\x04"):
        raise ImportRefused(
            ["This is the zip of CSV files. Import reads the JSON file (cramp-journal-….json)."]
        )
    try:
        data = json.loads(
            raw.decode("utf-8-sig"), parse_float=Decimal, parse_constant=_reject_constant
        )
    except UnicodeDecodeError:
        raise ImportRefused(
            ["This file is not a Cramp Journal export: it is not text (UTF-8)."]
        ) from None
    except json.JSONDecodeError as error:
        raise ImportRefused(
            [
                f"This file is not valid JSON ({error.msg}, line {error.lineno}, column "
                f"{error.colno}). It may be damaged or cut short."
            ]
        ) from None
    except (ValueError, RecursionError):
        raise ImportRefused(["This file is not valid JSON. It may be damaged."]) from None
    if isinstance(data, dict) and data.get("resourceType") == "Bundle":
        raise ImportRefused(
            [
                "This is the FHIR file, which is made for other health records and can’t be "
                "imported. Choose the JSON file (cramp-journal-….json)."
            ]
        )
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ImportRefused(
            [
                "This file is not a Cramp Journal export. Choose the JSON file made on the "
                "“Your data” page (cramp-journal-….json)."
            ]
        )
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ImportRefused(["This export has no valid format version, so it can’t be read."])
    if version > VERSION:
        raise ImportRefused(
            [
                f"This export was made by a newer version of Cramp Journal (format version "
                f"{version}); this one reads version {VERSION}."
            ]
        )
    return data


def parse_journal(raw: bytes, user: User) -> ParsedJournal:
    """Read and check the whole file; raises ImportRefused listing every problem found.

    `user` is the account it will go into: its settings are checked with the file's
    profile applied, because the night rule depends on the time zone and boundary hour.
    """
    data = load_export(raw)
    reader = _Reader()
    for key in sorted(data.keys() - TOP_LEVEL_KEYS, key=str):
        reader.add("The file", f"has an unknown key “{key}”")
    owner, profile = _profile(reader, data.get("profile", {}), user)
    parsed = ParsedJournal(profile=profile)
    factors = _factors(reader, parsed, data)
    _medications(reader, parsed, data)
    _nights(reader, parsed, data, owner)
    _days(reader, parsed, data, factors)
    for index, item in enumerate(reader.items(data, "red_flag_checklists", "The file")):
        place = _place("Red-flag checklist", index, item, "answered_on")
        if (checklist := reader.record(CHECKLIST, item, place)) is not None:
            parsed.checklists.append(checklist)
    _experiments(reader, parsed, data, factors, owner)
    if reader.problems:
        raise ImportRefused(reader.problems)
    return parsed


def _profile(reader: _Reader, data: object, user: User) -> tuple[User, dict[str, object]]:
    """The account as it will be with the file's settings, and those settings."""
    owner = User(**{name: getattr(user, name) for name in PROFILE_FIELDS})
    if not isinstance(data, dict):
        reader.add("The profile", "should be an object { … }")
        return owner, {}
    for key in sorted(data.keys() - set(PROFILE_FIELDS), key=str):
        reader.add("The profile", f"has an unknown key “{key}”")
    profile, failed = {}, []
    for name in PROFILE_FIELDS:
        if name not in data:
            continue
        try:
            profile[name] = python_value(own_field(User, name), data[name])
        except ValueError as error:
            reader.add(f"The profile, “{name}”", str(error))
            failed.append(name)
        else:
            setattr(owner, name, profile[name])
    others = [f.name for f in User._meta.fields if f.name not in PROFILE_FIELDS]
    wrong = reader.validate(owner, "The profile", exclude=(*others, *failed))
    for name in wrong & set(PROFILE_FIELDS):
        setattr(owner, name, getattr(user, name))  # so that the night rule can still be checked
    return owner, profile


def _factors(reader: _Reader, parsed: ParsedJournal, data: dict) -> dict[str, CustomFactor]:
    """Custom factors by exact name, for the days' values to refer to."""
    by_name: dict[str, CustomFactor] = {}
    seen: set[str] = set()
    for index, item in enumerate(reader.items(data, "custom_factors", "The file")):
        place = _place("Custom factor", index, item, "name")
        factor = reader.record(FACTOR, item, place)
        if factor is None or not factor.name:
            continue
        parsed.factors.append(factor)
        if factor.name.lower() in seen:
            reader.add(place, "another custom factor has this name (whatever the case)")
        seen.add(factor.name.lower())
        by_name[factor.name] = factor
    return by_name


def _medications(reader: _Reader, parsed: ParsedJournal, data: dict) -> None:
    for index, item in enumerate(reader.items(data, "medications", "The file")):
        place = _place("Medication", index, item, "name")
        medication = reader.record(MEDICATION, item, place, children=("doses",))
        if medication is None:
            continue
        parsed.medications.append(medication)
        for number, dose in enumerate(reader.items(item, "doses", place)):
            where = _place(f"{place}, dose", number, dose, "taken_at")
            if (taken := reader.record(DOSE, dose, where, medication=medication)) is not None:
                parsed.doses.append(taken)


def _nights(reader: _Reader, parsed: ParsedJournal, data: dict, owner: User) -> None:
    dates: set[date] = set()
    for index, item in enumerate(reader.items(data, "nights", "The file")):
        place = _place("Night", index, item, "date")
        night = reader.record(NIGHT, item, place, children=("episodes",))
        if night is None:
            continue
        parsed.nights.append(night)
        if night.date is not None and night.date in dates:
            reader.add(place, "another night has the same date")
        dates.add(night.date)
        episodes = reader.items(item, "episodes", place)
        if len(episodes) > ranges.CRAMPS_PER_NIGHT.high:
            reader.add(place, f"a night can hold at most {ranges.CRAMPS_PER_NIGHT.high} cramps")
        for number, episode_data in enumerate(episodes):
            where = _place(f"{place}, cramp", number, episode_data, "started_at")
            episode = reader.record(EPISODE, episode_data, where, night=night)
            if episode is None:
                continue
            parsed.episodes.append(episode)
            if isinstance(night.date, date) and isinstance(episode.started_at, datetime):
                belongs_to = owner.night_of(episode.started_at)
                if belongs_to != night.date:
                    reader.add(where, f"this time belongs to the night of {belongs_to}")


def _days(
    reader: _Reader, parsed: ParsedJournal, data: dict, factors: dict[str, CustomFactor]
) -> None:
    dates: set[date] = set()
    for index, item in enumerate(reader.items(data, "days", "The file")):
        place = _place("Day", index, item, "date")
        day = reader.record(DAY, item, place, children=("exercise", "custom_factor_values"))
        if day is None:
            continue
        parsed.days.append(day)
        if day.date is not None and day.date in dates:
            reader.add(place, "another day has the same date")
        dates.add(day.date)
        sessions = reader.items(item, "exercise", place)
        if day.no_exercise and sessions:
            reader.add(place, "“no_exercise” is true but the day has exercise sessions")
        for number, session in enumerate(sessions):
            where = f"{place}, exercise {number + 1}"
            if (exercise := reader.record(EXERCISE, session, where, day=day)) is not None:
                parsed.exercise.append(exercise)
        named: set[str] = set()
        for number, value in enumerate(reader.items(item, "custom_factor_values", place)):
            where = _place(f"{place}, custom factor value", number, value, "factor")
            factor_value = _factor_value(reader, value, where, day, factors)
            if factor_value is None:
                continue
            parsed.factor_values.append(factor_value)
            if factor_value.factor.name in named:
                reader.add(where, "this factor already has a value on this day")
            named.add(factor_value.factor.name)


def _factor_value(
    reader: _Reader,
    data: object,
    place: str,
    day: DayFactors,
    factors: dict[str, CustomFactor],
) -> CustomFactorValue | None:
    """{"factor": "Tight bedsheets", "value": true} or {"factor": "Hours driving", "value": 2.5}."""
    if not isinstance(data, dict):
        reader.add(place, "should be an object { … }")
        return None
    for key in sorted(data.keys() - {"factor", "value"}, key=str):
        reader.add(place, f"has an unknown key “{key}”")
    name = data.get("factor")
    factor = factors.get(name) if isinstance(name, str) else None
    if factor is None:
        reader.add(place, "names a custom factor that is not in the file’s “custom_factors”")
        return None
    kind = "yes" if factor.kind == FactorKind.YES_NO else "number"
    try:
        value = python_value(own_field(CustomFactorValue, kind), data.get("value"))
        if value is None:
            raise ValueError("should be true or false" if kind == "yes" else "should be a number")
    except ValueError as error:
        reader.add(f"{place}, “value”", str(error))
        return None
    factor_value = CustomFactorValue(day=day, factor=factor, **{kind: value})
    reader.validate(factor_value, place, exclude=(FACTOR_VALUE.parent, "factor"))
    return factor_value


def _experiments(
    reader: _Reader,
    parsed: ParsedJournal,
    data: dict,
    factors: dict[str, CustomFactor],
    owner: User,
) -> None:
    placed: list[tuple[Experiment, str]] = []
    for index, item in enumerate(reader.items(data, "experiments", "The file")):
        place = _place("Experiment", index, item, "start")
        experiment = reader.record(
            EXPERIMENT, item, place, children=("factor", "pauses", "answers")
        )
        if experiment is None:
            continue
        parsed.experiments.append(experiment)
        placed.append((experiment, place))
        _experiment_factor(reader, experiment, item.get("factor"), place, factors)
        if experiment.change == ChangeKind.FLUIDS and owner.fluid_restricted:
            reader.add(place, "is a drinking-more experiment, and the profile limits fluids")
        pauses_on = 0
        for number, pause_data in enumerate(reader.items(item, "pauses", place)):
            where = _place(f"{place}, pause", number, pause_data, "first")
            pause = reader.record(PAUSE, pause_data, where, experiment=experiment)
            if pause is None:
                continue
            parsed.pauses.append(pause)
            if pause_data.get("last") is None:
                pauses_on += 1
                if pauses_on > 1:
                    reader.add(where, "another pause of this experiment is still on; one at a time")
        nights: set[date] = set()
        for number, answer_data in enumerate(reader.items(item, "answers", place)):
            where = _place(f"{place}, answer", number, answer_data, "night")
            answer = reader.record(ANSWER, answer_data, where, experiment=experiment)
            if answer is None:
                continue
            parsed.answers.append(answer)
            if answer.night is not None and answer.night in nights:
                reader.add(where, "another answer of this experiment is for the same night")
            nights.add(answer.night)
    _one_at_a_time(reader, placed, parsed.pauses)


def _one_at_a_time(
    reader: _Reader, placed: list[tuple[Experiment, str]], pauses: list[ExperimentPause]
) -> None:
    """Experiments run one after another: each ends before the next one's first night."""
    placed = sorted((p for p in placed if p[0].start is not None), key=lambda p: p[0].start)
    for (earlier, _), (later, place) in itertools.pairwise(placed):
        end = _last_night(earlier, [p for p in pauses if p.experiment is earlier])
        if end is None or end >= later.start:
            reader.add(place, "starts before the experiment before it has ended; one at a time")


def _last_night(experiment: Experiment, pauses: list[ExperimentPause]) -> date | None:
    """Its last night: the night it was stopped on, else its schedule's; None while open."""
    if experiment.stopped_on is not None:
        return experiment.stopped_on
    if any(pause.last is None for pause in pauses):
        return None
    try:
        plan = experiment.planned(tuple((p.first, p.last) for p in pauses if p.last is not None))
    except (design.DesignError, TypeError):
        return None  # refused already, as a record
    return design.last_night(plan)


def _experiment_factor(
    reader: _Reader,
    experiment: Experiment,
    name: object,
    place: str,
    factors: dict[str, CustomFactor],
) -> None:
    """Links an experiment of one's own factor (change "custom") to the file's yes/no factor
    it names; any other experiment names none."""
    where = f"{place}, “factor”"
    if experiment.change not in ChangeKind.values:
        return  # already a problem, and which rule holds is unknown
    if experiment.change != ChangeKind.CUSTOM:
        if name is not None:
            reader.add(where, "should be null: only an experiment of your own factor names one")
        return
    factor = factors.get(name) if isinstance(name, str) else None
    if not isinstance(name, str):
        reader.add(where, "should name one of the file’s yes/no custom factors")
    elif factor is None:
        reader.add(where, "names a custom factor that is not in the file’s “custom_factors”")
    elif factor.kind != FactorKind.YES_NO:
        reader.add(where, "names a factor answered with a number; an experiment tries a yes/no one")
    else:
        experiment.factor = factor


# --- Saving -------------------------------------------------------------------------------


def journal_is_empty(user: User) -> bool:
    """Whether the user has no journal records at all (settings may differ from the defaults)."""
    return not any(
        records.exists()
        for records in (
            Night.objects.for_user(user),
            DayFactors.objects.for_user(user),
            CustomFactor.objects.for_user(user),
            Medication.objects.for_user(user),
            RedFlagChecklist.objects.for_user(user),
            Experiment.objects.for_user(user),
        )
    )


def import_journal(user: User, parsed: ParsedJournal) -> None:
    """Save `parsed` into `user`'s empty account, all or nothing; raises ImportRefused."""
    try:
        with transaction.atomic():
            # Locked, so that two imports sent at once cannot both find the account empty.
            owner = User.objects.select_for_update().get(pk=user.pk)
            if not journal_is_empty(owner):
                raise ImportRefused([NOT_EMPTY])
            _save(owner, parsed)
    except DatabaseError as error:
        logger.warning("Import into account %s failed while saving: %s", user.pk, error)
        raise ImportRefused([SAVE_FAILED]) from error


def _save(owner: User, parsed: ParsedJournal) -> None:
    for name, value in parsed.profile.items():
        setattr(owner, name, value)
    if parsed.profile:
        owner.save(update_fields=list(parsed.profile))
    for records in (
        parsed.factors,
        parsed.medications,
        parsed.nights,
        parsed.days,
        parsed.checklists,
        parsed.experiments,
    ):
        for record in records:
            record.user = owner
    for of_a_kind in parsed.in_saving_order():
        if of_a_kind:
            _create(type(of_a_kind[0]), of_a_kind)


def _create(model: type[models.Model], records: Sequence[models.Model]) -> None:
    """Insert `records` in their order, keeping the times they were recorded and updated.

    Inserting sets auto_now and auto_now_add fields to the present moment, so the file's
    times are written back afterwards.
    """
    stamp_fields = [
        f.name
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    stamps = [[getattr(record, name) for name in stamp_fields] for record in records]
    model._default_manager.bulk_create(records)
    if not any(value is not None for values in stamps for value in values):
        return
    for record, values in zip(records, stamps, strict=True):
        for name, value in zip(stamp_fields, values, strict=True):
            if value is not None:
                setattr(record, name, value)
    model._default_manager.bulk_update(records, stamp_fields)
