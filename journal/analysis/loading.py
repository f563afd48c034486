"""The records the analysis works on, each loaded for a date range in a fixed number of queries."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import ExtractHour

from journal.models import (
    RELIEF_FIELDS,
    CrampEpisode,
    CustomFactorValue,
    DayFactors,
    ExerciseKind,
    ExerciseSession,
    Intensity,
    Muscle,
    Night,
    Side,
    User,
)
from journal.sleep import DIARY_FIELDS, diary_metrics

STRETCHING_KINDS = [ExerciseKind.STRETCHING, ExerciseKind.YOGA]


@dataclass(frozen=True)
class NightRecord:
    date: date
    cramps: int
    max_pain: int | None
    total_sleep_min: int | None
    efficiency_pct: float | None
    latency_min: int | None = None  # these three only when the sleep diary was filled in
    awake_min: int | None = None
    quality: int | None = None


@dataclass(frozen=True)
class EpisodeRecord:
    night: date
    started_at: datetime
    duration_seconds: int | None
    pain: int | None
    muscle: str
    side: str
    woke_me: bool
    minutes_back_to_sleep: int | None
    relief: tuple[str, ...]

    @property
    def muscle_label(self) -> str:
        return Muscle(self.muscle).label if self.muscle else ""

    @property
    def side_label(self) -> str:
        return Side(self.side).label if self.side else ""


def load_nights(user: User, start: date, end: date) -> list[NightRecord]:
    """The user's logged nights from `start` to `end` inclusive, oldest first: one query."""
    rows = (
        Night.objects.for_user(user)
        .filter(date__range=(start, end))
        .annotate(cramps=Count("episodes"), max_pain=Max("episodes__pain"))
        .order_by("date")
        .values("date", "cramps", "max_pain", "quality", *DIARY_FIELDS)
    )
    records = []
    for row in rows:
        metrics = diary_metrics(row)
        records.append(
            NightRecord(
                date=row["date"],
                cramps=row["cramps"],
                max_pain=row["max_pain"],
                total_sleep_min=metrics.total_sleep_min if metrics else None,
                efficiency_pct=metrics.efficiency_pct if metrics else None,
                latency_min=row["sleep_latency_min"] if metrics else None,
                awake_min=row["awake_after_onset_min"] if metrics else None,
                quality=row["quality"],
            )
        )
    return records


def load_episodes(user: User, start: date, end: date) -> list[EpisodeRecord]:
    """The user's cramps on the nights from `start` to `end` inclusive: one query."""
    rows = (
        CrampEpisode.objects.for_user(user)
        .filter(night__date__range=(start, end))
        .order_by("started_at")
        .values(
            "night__date",
            "started_at",
            "duration_seconds",
            "pain",
            "muscle",
            "side",
            "woke_me",
            "minutes_back_to_sleep",
            *RELIEF_FIELDS,
        )
    )
    return [
        EpisodeRecord(
            night=row["night__date"],
            started_at=row["started_at"],
            duration_seconds=row["duration_seconds"],
            pain=row["pain"],
            muscle=row["muscle"],
            side=row["side"],
            woke_me=row["woke_me"],
            minutes_back_to_sleep=row["minutes_back_to_sleep"],
            relief=tuple(name for name in RELIEF_FIELDS if row[name]),
        )
        for row in rows
    ]


def first_logged_night(user: User) -> date | None:
    return Night.objects.for_user(user).order_by("date").values_list("date", flat=True).first()


def hour_of_night_counts(user: User, start: date, end: date) -> dict[int, int]:
    """How many cramps started in each hour of the clock, in the user's time zone: one query."""
    rows = (
        CrampEpisode.objects.for_user(user)
        .filter(night__date__range=(start, end))
        .annotate(hour=ExtractHour("started_at", tzinfo=user.tzinfo))
        .values("hour")
        .annotate(count=Count("id"))
    )
    return {row["hour"]: row["count"] for row in rows}


@dataclass(frozen=True)
class DayRecord:
    """What was logged for a day, as the factor rules need it."""

    fluids_ml: int | None
    alcohol_units: Decimal | None
    caffeinated_drinks: int | None
    hours_on_feet: Decimal | None
    hours_sitting: Decimal | None
    # The exercise fields are None (not recorded) unless the day has a session or "no
    # exercise that day" ticked.
    exercise_minutes: int | None
    vigorous: bool | None
    stretched: bool | None  # a stretching or yoga session
    custom: dict[int, bool | Decimal]


def load_days(user: User, start: date, end: date) -> dict[date, DayRecord]:
    """Day factors by date: three queries (days, exercise totals per day, custom values)."""
    exercise = {
        row["day__date"]: row
        for row in ExerciseSession.objects.for_user(user)
        .filter(day__date__range=(start, end))
        .values("day__date")
        .annotate(
            minutes=Sum("minutes"),
            vigorous=Count("id", filter=Q(intensity=Intensity.VIGOROUS)),
            stretched=Count("id", filter=Q(kind__in=STRETCHING_KINDS)),
        )
    }
    custom: dict[date, dict[int, bool | Decimal]] = {}
    for value_row in (
        CustomFactorValue.objects.for_user(user)
        .filter(day__date__range=(start, end))
        .values("day__date", "factor_id", "yes", "number")
    ):
        value = value_row["yes"] if value_row["yes"] is not None else value_row["number"]
        assert value is not None  # the database holds exactly one of the two
        custom.setdefault(value_row["day__date"], {})[value_row["factor_id"]] = value
    days = {}
    for row in (
        DayFactors.objects.for_user(user)
        .filter(date__range=(start, end))
        .values(
            "date",
            "fluids_ml",
            "alcohol_units",
            "caffeinated_drinks",
            "hours_on_feet",
            "hours_sitting",
            "no_exercise",
        )
    ):
        totals: Mapping[str, Any] = exercise.get(row["date"]) or {}
        recorded = row["date"] in exercise or row["no_exercise"]
        days[row["date"]] = DayRecord(
            fluids_ml=row["fluids_ml"],
            alcohol_units=row["alcohol_units"],
            caffeinated_drinks=row["caffeinated_drinks"],
            hours_on_feet=row["hours_on_feet"],
            hours_sitting=row["hours_sitting"],
            exercise_minutes=totals.get("minutes", 0) if recorded else None,
            vigorous=bool(totals.get("vigorous")) if recorded else None,
            stretched=bool(totals.get("stretched")) if recorded else None,
            custom=custom.get(row["date"], {}),
        )
    return days
