"""The CSV export: a zip with one CSV file per kind of record and a README.txt.

Made to be opened in spreadsheet programs: times are ISO 8601 with the UTC offset of the
user's time zone at that moment, volumes are in the user's fluid unit (named in the column),
and text the user typed that starts with = + - @, a tab or a carriage return gets a leading
apostrophe, so that a spreadsheet shows it rather than running it as a formula. Each column
is described once, in `sheets()`, and README.txt is written from those descriptions.
"""

import csv
import io
import textwrap
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from operator import itemgetter
from zoneinfo import ZoneInfo

from django.db import models

from journal import medication_classes
from journal.experiments import design
from journal.experiments.changes import ChangeKind, change_for
from journal.models import (
    RED_FLAG_QUESTIONS,
    RELIEF_FIELDS,
    ChecklistAnswer,
    ExerciseKind,
    Experiment,
    FactorKind,
    Intensity,
    MedicationKind,
    Muscle,
    Side,
    User,
)
from journal.portability.records import EXPERIMENT, JournalRecords, decimal_number, local_iso
from journal.sleep import diary_metrics
from journal.units import ml_to_unit, unit_label

# OWASP's list of characters that make a spreadsheet cell a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """User text that a spreadsheet program will show as text, never run as a formula."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def cell(value: object, tz: ZoneInfo) -> str:
    """One CSV cell. Only text is neutralised: numbers and dates are written by the app."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return local_iso(value, tz, "seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(decimal_number(value))
    if isinstance(value, int | float):
        return str(value)
    return spreadsheet_safe(str(value))


@dataclass(frozen=True)
class Column:
    name: str
    description: str
    value: Callable[[dict], object]


@dataclass(frozen=True)
class Sheet:
    """One CSV file: its rows come from the user's records, one per record of its kind."""

    filename: str
    description: str
    columns: tuple[Column, ...]
    rows: Callable[[JournalRecords], Iterable[dict]]


def column(name: str, description: str, key: str | None = None) -> Column:
    """A column holding a record's field as it is (`key`, by default the column's name)."""
    return Column(name, description, itemgetter(key or name))


def codes(choices: type[models.TextChoices]) -> str:
    return "; ".join(f"{choice.value} ({choice.label})" for choice in choices)


YES_NO = "yes or no"
NOTES = "Your notes (text)."


def _night_metric(name: str) -> Callable[[dict], object]:
    def value(night: dict) -> object:
        metrics = diary_metrics(night)
        return None if metrics is None else getattr(metrics, name)

    return value


def _episodes(records: JournalRecords) -> Iterable[dict]:
    for night in records.nights:
        for episode in night["episodes"]:
            yield episode | {"night": night["date"]}


def _exercise(records: JournalRecords) -> Iterable[dict]:
    for day in records.days:
        for session in day["exercise"]:
            yield session | {"date": day["date"]}


def _factor_values(records: JournalRecords) -> Iterable[dict]:
    for day in records.days:
        for value in day["custom_factor_values"]:
            yield value | {"date": day["date"]}


def _doses(records: JournalRecords) -> Iterable[dict]:
    for medication in records.medications:
        for dose in medication["doses"]:
            yield dose | {"medication": medication["name"], "started_on": medication["started_on"]}


def _experiment_name(experiment: dict) -> str:
    """The change it tries, or the name of the user's own factor."""
    return change_for(experiment["change"], experiment["factor_name"]).name


def _design_up_to(experiment: dict, night: date) -> design.Design:
    """Its design as far as `night` (Experiment.design's rule for a pause still on)."""
    pauses = ((pause["first"], pause["last"]) for pause in experiment["pauses"])
    fields = {name: experiment[name] for name in EXPERIMENT.fields}
    return Experiment(**fields).planned(design.pauses_up_to(pauses, night))


def _experiment_pauses(records: JournalRecords) -> Iterable[dict]:
    for experiment in records.experiments:
        for pause in experiment["pauses"]:
            yield pause | {
                "experiment": _experiment_name(experiment),
                "experiment_start": experiment["start"],
            }


def _experiment_answers(records: JournalRecords) -> Iterable[dict]:
    """Each answer with its experiment and where its night falls in the schedule."""
    for experiment in records.experiments:
        for answer in experiment["answers"]:
            place = design.place_of(_design_up_to(experiment, answer["night"]), answer["night"])
            yield (
                answer
                | {
                    "experiment": _experiment_name(experiment),
                    "experiment_start": experiment["start"],
                }
                | _where_in_schedule(place)
            )


def _where_in_schedule(place: design.Place | None) -> dict[str, object]:
    if place is None:
        return dict.fromkeys(("block", "condition", "washout"))
    return {
        "block": place.block.number,
        "condition": place.block.condition.value,
        "washout": place.in_washout,
    }


def sheets(user: User) -> tuple[Sheet, ...]:
    """The CSV files of the export, in the order of the README."""
    unit = user.fluid_unit
    fluids = f"fluids_{unit_label(unit).replace(' ', '_')}"
    moment = "Date and time with its UTC offset."
    return (
        Sheet(
            "nights.csv",
            "One row per night logged, by date. A night that is not here was not logged, "
            "which is not the same as a night without cramps. The four times are the sleep "
            "diary; they are all empty when it was not filled in.",
            (
                column(
                    "night",
                    "The night's date. The night of D runs from your night boundary hour "
                    f"({user.night_boundary_hour:02d}:00) on D to the same hour on the next day.",
                    "date",
                ),
                column("into_bed", f"When you went to bed. {moment}"),
                column("tried_to_sleep", f"When you tried to go to sleep. {moment}"),
                column(
                    "minutes_to_fall_asleep", "Minutes it took to fall asleep.", "sleep_latency_min"
                ),
                column(
                    "times_woken", "Times you woke, not counting the final awakening.", "awakenings"
                ),
                column("minutes_awake", "Minutes awake in the night.", "awake_after_onset_min"),
                column("final_awakening", f"When you woke for the last time. {moment}"),
                column("out_of_bed", f"When you got out of bed. {moment}"),
                column("sleep_quality", "1 (very poor) to 5 (very good).", "quality"),
                Column(
                    "time_in_bed_minutes",
                    "Computed: out of bed minus into bed.",
                    _night_metric("time_in_bed_min"),
                ),
                Column(
                    "total_sleep_minutes",
                    "Computed: final awakening minus tried to sleep, minus the minutes to fall "
                    "asleep and the minutes awake.",
                    _night_metric("total_sleep_min"),
                ),
                Column(
                    "sleep_efficiency_percent",
                    "Computed: total sleep divided by time in bed, as a percentage; empty when the "
                    "time in bed is zero (not computable).",
                    _night_metric("efficiency_pct"),
                ),
                Column(
                    "cramps",
                    "How many cramps were logged that night (they are in cramps.csv).",
                    lambda night: len(night["episodes"]),
                ),
                column("notes", NOTES),
                column("updated_at", f"When the night was last changed. {moment}"),
            ),
            lambda records: records.nights,
        ),
        Sheet(
            "cramps.csv",
            "One row per cramp, by night and start time. Only the start is always recorded.",
            (
                column("night", "The night it belongs to (see nights.csv)."),
                column("started_at", f"When it started. {moment}"),
                column("duration_seconds", "How long it lasted, in seconds."),
                column("muscle", f"Where: {codes(Muscle)}."),
                column("side", f"Which leg: {codes(Side)}."),
                column("pain_0_to_10", "Pain from 0 (none) to 10 (the worst).", "pain"),
                column("woke_me", f"Whether it woke you: {YES_NO}."),
                column("minutes_back_to_sleep", "Minutes it took to get back to sleep."),
                *(
                    column(name, f"“{label}” ticked in what relieved it: {YES_NO}.")
                    for name, label in RELIEF_FIELDS.items()
                ),
                column(
                    "soreness_next_day_0_to_10",
                    "Soreness the next day, from 0 (none) to 10.",
                    "soreness_next_day",
                ),
                column("notes", NOTES),
                column("logged_at", f"When it was logged in the app. {moment}", "created_at"),
            ),
            _episodes,
        ),
        Sheet(
            "days.csv",
            "One row per day with factors recorded, by date. The factors of day D go with the "
            "night of D (that evening and the night after).",
            (
                column("date", "The day."),
                Column(
                    fluids,
                    f"Fluids drunk, in {unit_label(unit)} (your unit in Account settings).",
                    lambda day: (
                        None if day["fluids_ml"] is None else ml_to_unit(day["fluids_ml"], unit)
                    ),
                ),
                column("alcohol_units", "Units of alcohol."),
                column("caffeinated_drinks", "Caffeinated drinks."),
                column("hours_on_feet", "Hours on your feet."),
                column("hours_sitting", "Hours sitting."),
                column(
                    "no_exercise",
                    f"“No exercise that day” ticked: {YES_NO}. A day with no session in "
                    "exercise.csv and this not ticked has its exercise not recorded.",
                ),
                column("notes", NOTES),
                column("updated_at", f"When the day was last changed. {moment}"),
            ),
            lambda records: records.days,
        ),
        Sheet(
            "exercise.csv",
            "One row per exercise session, by day.",
            (
                column("date", "The day (see days.csv)."),
                column("kind", f"The exercise: {codes(ExerciseKind)}."),
                column("minutes", "Minutes of exercise."),
                column("intensity", f"How hard: {codes(Intensity)}."),
            ),
            _exercise,
        ),
        Sheet(
            "custom_factors.csv",
            "Your own factors, by name.",
            (
                column("name", "The factor's name."),
                column("answer_as", f"How it is answered: {codes(FactorKind)}.", "kind"),
                column("unit", "For numbers, the unit you gave."),
                column("archived", f"{YES_NO}: archived factors are left out of the check-in."),
            ),
            lambda records: records.factors,
        ),
        Sheet(
            "custom_factor_values.csv",
            "One row per value of your own factors, by day and factor name.",
            (
                column("date", "The day (see days.csv)."),
                column("factor", "The factor's name (see custom_factors.csv).", "factor_name"),
                Column(
                    "value",
                    f"{YES_NO} for a yes-or-no factor, or the number.",
                    lambda value: value["yes"] if value["number"] is None else value["number"],
                ),
                column("unit", "For numbers, the factor's unit.", "factor_unit"),
            ),
            _factor_values,
        ),
        Sheet(
            "medications.csv",
            "Medications and supplements, by start date and name.",
            (
                column("name", "The name you gave."),
                column("dose", "The amount in one dose."),
                column("dose_unit", "The unit of the dose, e.g. mg."),
                column(
                    "class",
                    "The type of medicine: "
                    + "; ".join(
                        f"{entry.key} ({entry.label})" for entry in medication_classes.CATALOGUE
                    )
                    + ".",
                    "drug_class",
                ),
                Column(
                    "class_linked_to_cramps",
                    f"{YES_NO}: whether studies link this class of medicine with cramps.",
                    lambda row: medication_classes.BY_KEY[row["drug_class"]].linked_to_cramps,
                ),
                column("kind", f"How you take it: {codes(MedicationKind)}."),
                column("started_on", "The date you started."),
                column("stopped_on", "The last day you took it; empty while you take it."),
                column("notes", NOTES),
            ),
            lambda records: records.medications,
        ),
        Sheet(
            "doses.csv",
            "Doses taken of medicines taken as needed, by medication and time.",
            (
                column("medication", "The medication's name (see medications.csv)."),
                column(
                    "medication_started_on",
                    "The medication's start date, which tells apart two of the same name.",
                    "started_on",
                ),
                column("taken_at", f"When you took it. {moment}"),
                column("quantity", "How many you took."),
            ),
            _doses,
        ),
        Sheet(
            "red_flag_checklists.csv",
            "Your answers to the red-flag checklist, one row per time you answered it, oldest "
            f"first. Each answer is one of: {codes(ChecklistAnswer)}; empty when the question was "
            "not answered (which is not a no).",
            (
                column("answered_on", "The date you answered."),
                column("recorded_at", f"When the answers were saved. {moment}", "created_at"),
                *(column(name, question) for name, question in RED_FLAG_QUESTIONS.items()),
            ),
            lambda records: records.checklists,
        ),
        Sheet(
            "experiments.csv",
            "Your experiments, by first night: alternating blocks of nights with a change and "
            "without it, in pairs whose order was drawn at random from the seed.",
            (
                column("start", "The first night of the first block."),
                column("change", f"What it tries: {codes(ChangeKind)}."),
                column(
                    "factor",
                    "For custom: the name of your yes/no factor (see custom_factors.csv); its "
                    "values that day are the answers.",
                    "factor_name",
                ),
                column("block_nights", "Nights in a block."),
                column("blocks", "How many blocks."),
                column(
                    "washout_nights",
                    "The first nights of each block, left out of the analysis while the change "
                    "(or its absence) settles.",
                ),
                column(
                    "stopped_on",
                    "The last night, when it was stopped before its end; empty otherwise.",
                ),
                column("seed", "The number the order of the blocks is drawn from."),
                Column(
                    "pauses",
                    "How many times it was paused (they are in experiment_pauses.csv).",
                    lambda experiment: len(experiment["pauses"]),
                ),
                Column(
                    "answers",
                    "How many nights the check-in's question was answered (they are in "
                    "experiment_answers.csv).",
                    lambda experiment: len(experiment["answers"]),
                ),
                column("set_up_at", f"When you set it up in the app. {moment}", "created_at"),
            ),
            lambda records: records.experiments,
        ),
        Sheet(
            "experiment_pauses.csv",
            "The nights each experiment was set aside on, by experiment and first night. Paused "
            "nights are in no block; the blocks after a pause move on by its length.",
            (
                column("experiment", "What the experiment tries (see experiments.csv)."),
                column(
                    "experiment_start",
                    "The experiment's first night, which tells it apart from your others.",
                ),
                column("first", "The first night of the pause."),
                column("last", "The last night of the pause; empty while it is on."),
            ),
            _experiment_pauses,
        ),
        Sheet(
            "experiment_answers.csv",
            "The check-in's answers to whether you did the change, one row per night answered, "
            "by experiment and night. A night that is not here was not answered, which is not "
            "a no. For an experiment of your own factor, the answers are that factor's values "
            "(custom_factor_values.csv).",
            (
                column("experiment", "What the experiment tries (see experiments.csv)."),
                column(
                    "experiment_start",
                    "The experiment's first night, which tells it apart from your others.",
                ),
                column("night", "The night answered about (see nights.csv)."),
                column("did_it", f"Whether you did the change: {YES_NO}."),
                column("block", "Computed: the night's block, from 1; empty outside the blocks."),
                column(
                    "condition",
                    "Computed: the block's plan, change (with the change) or usual (without "
                    "it); empty on a paused night or outside the blocks.",
                ),
                column(
                    "washout",
                    f"Computed: {YES_NO}, whether the night is in the block's washout.",
                ),
            ),
            _experiment_answers,
        ),
    )


def sheet_csv(sheet: Sheet, records: JournalRecords, tz: ZoneInfo) -> bytes:
    """The CSV file, UTF-8 with a byte order mark so that spreadsheet programs read it as such."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(column.name for column in sheet.columns)
    for row in sheet.rows(records):
        writer.writerow(cell(column.value(row), tz) for column in sheet.columns)
    return out.getvalue().encode("utf-8-sig")


def readme(user: User, now: datetime, files: tuple[Sheet, ...]) -> str:
    wrap = textwrap.TextWrapper(width=88).wrap
    hanging = textwrap.TextWrapper(width=88, subsequent_indent="    ").wrap
    lines = [
        "Cramp Journal: your journal as spreadsheet files",
        "",
        f"Exported for {user.email} on {local_iso(now, user.tzinfo, 'seconds')}.",
        "",
        *wrap(
            "One CSV file per kind of record, comma-separated, in UTF-8 with a byte order mark; "
            "the first row names the columns. Rows are sorted (by date, then time or name), so "
            "the same journal always gives the same files."
        ),
        "",
        *wrap(
            "Times are ISO 8601 with the UTC offset in force at that moment in your time zone, "
            f"{user.time_zone} (for example 2026-03-05T03:00:00+00:00). Dates are YYYY-MM-DD. "
            f"Fluids are in {unit_label(user.fluid_unit)}. Yes-or-no values are yes or no. An "
            "empty cell means not recorded."
        ),
        "",
        *wrap(
            "Text you typed that begins with = + - @, a tab or a carriage return starts here "
            "with an added apostrophe ('), so that spreadsheet programs show it as text instead "
            "of running it as a formula. The JSON export keeps your text exactly."
        ),
    ]
    for sheet in files:
        lines += ["", sheet.filename, "-" * len(sheet.filename), *wrap(sheet.description)]
        for item in sheet.columns:
            lines += hanging(f"{item.name}: {item.description}")
    return "\n".join(lines) + "\n"


def csv_zip(user: User, now: datetime) -> bytes:
    """The zip of the export: a folder named after the date, with README.txt and the CSVs."""
    tz = user.tzinfo
    local = now.astimezone(tz)
    folder = f"cramp-journal-{local:%Y-%m-%d}"
    files = sheets(user)
    records = JournalRecords(user)
    contents = [("README.txt", readme(user, now, files).encode())]
    contents += [(sheet.filename, sheet_csv(sheet, records, tz)) for sheet in files]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in contents:
            entry = zipfile.ZipInfo(f"{folder}/{name}", date_time=local.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, content)
    return buffer.getvalue()
