"""Demo journals (journal/demo.py) turned into analysis records in memory, without the database.

`demo_records` builds the rows `seed_demo` would save and reads them the way
journal.analysis.loading does; tests/test_factor_claims.py checks that the two agree on a
saved journal, so that the fast path can stand in for the slow one.
"""

from dataclasses import dataclass
from datetime import date
from itertools import count

from journal import demo
from journal.analysis import factors
from journal.analysis.loading import STRETCHING_KINDS, DayRecord, NightRecord
from journal.models import Intensity, User
from journal.nights import DEFAULT_BOUNDARY_HOUR
from journal.units import FluidUnit


@dataclass(frozen=True)
class DemoRecords:
    nights: list[NightRecord]
    days: dict[date, DayRecord]
    factors: list[factors.FactorSpec]


def demo_user() -> User:
    """An unsaved user with the demo account's settings."""
    return User(
        email=demo.demo_email(1),
        time_zone=demo.DEMO_TIME_ZONE,
        fluid_unit=FluidUnit.ML,
        fluid_target_ml=demo.DEMO_FLUID_TARGET_ML,
        fluid_restricted=False,
        night_boundary_hour=DEFAULT_BOUNDARY_HOUR,
    )


def demo_records(months: int, seed: int) -> DemoRecords:
    """The demo journal of `months` (seed `seed`, user 1), as the factor page would read it."""
    user = demo_user()
    journal = demo.unsaved_journal(user, months, seed)
    ids = count(1)
    for row in (*journal.medications, *journal.factors):
        row.pk = next(ids)
    cramps: dict[date, int] = {}
    for episode in journal.episodes:
        cramps[episode.night.date] = cramps.get(episode.night.date, 0) + 1
    nights = [NightRecord(n.date, cramps.get(n.date, 0), None, None, None) for n in journal.nights]
    sessions: dict[date, list] = {}
    for session in journal.exercise:
        sessions.setdefault(session.day.date, []).append(session)
    custom: dict[date, dict] = {}
    for value in journal.factor_values:
        custom.setdefault(value.day.date, {})[value.factor.pk] = value.value
    days = {}
    for day in journal.days:
        done = sessions.get(day.date, [])
        recorded = bool(done) or day.no_exercise
        days[day.date] = DayRecord(
            fluids_ml=day.fluids_ml,
            alcohol_units=day.alcohol_units,
            caffeinated_drinks=day.caffeinated_drinks,
            hours_on_feet=day.hours_on_feet,
            hours_sitting=day.hours_sitting,
            exercise_minutes=sum(s.minutes for s in done) if recorded else None,
            vigorous=any(s.intensity == Intensity.VIGOROUS for s in done) if recorded else None,
            stretched=any(s.kind in STRETCHING_KINDS for s in done) if recorded else None,
            custom=custom.get(day.date, {}),
        )
    return DemoRecords(
        nights, days, factors.factors_for(user, journal.factors, journal.medications)
    )
