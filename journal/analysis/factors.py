"""Factors that go with cramp nights: each compared between nights with it and without it."""

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from journal import stats
from journal.analysis.loading import DayRecord, NightRecord
from journal.models import CustomFactor, FactorKind, Medication, User

LONG_HOURS = Decimal(8)  # "8 hours or more" on your feet, or sitting


# A factor's test says, for one night's record and its day, whether the factor was present;
# None means "not recorded", and such nights stay out of the comparison.
FactorTest = Callable[[date, DayRecord | None], bool | None]


@dataclass(frozen=True)
class Factor:
    key: str
    label: str
    test: FactorTest


@dataclass(frozen=True)
class FactorResult:
    factor: Factor
    comparison: stats.GroupComparison

    @property
    def verdict(self) -> str:
        """The ratio with its interval, or how many more nights it needs."""
        c = self.comparison
        if c.enough_data:
            return f"{c.risk_ratio:.2f} ({c.ci_low:.2f} to {c.ci_high:.2f})"
        missing = [
            f"{count} more night{'s' if count > 1 else ''} {side}"
            for count, side in ((c.more_needed_with, "with"), (c.more_needed_without, "without"))
            if count
        ]
        return f"Not enough data yet: {' and '.join(missing)}."


def _day_value(getter: Callable[[DayRecord], object]) -> Callable[[DayRecord | None], object]:
    return lambda day: None if day is None else getter(day)


def _above(threshold: float | None, getter: Callable[[DayRecord], object]) -> FactorTest:
    value_of = _day_value(getter)

    def test(_night: date, day: DayRecord | None) -> bool | None:
        value = value_of(day)
        return None if value is None or threshold is None else value > threshold

    return test


def _at_least(threshold: Decimal, getter: Callable[[DayRecord], object]) -> FactorTest:
    value_of = _day_value(getter)

    def test(_night: date, day: DayRecord | None) -> bool | None:
        value = value_of(day)
        return None if value is None else value >= threshold

    return test


def _usual(values: Iterable[object]) -> float | None:
    return stats.median([float(value) for value in values if value is not None])


def factors_for(
    user: User,
    days: dict[date, DayRecord],
    custom_factors: Sequence[CustomFactor],
    medications: Sequence[Medication],
) -> list[Factor]:
    """The factors compared for this user. "Usual" thresholds are the user's own medians."""
    usual_exercise = _usual(day.exercise_minutes for day in days.values())
    usual_caffeine = _usual(day.caffeinated_drinks for day in days.values())
    factors = []
    if not user.fluid_restricted:
        target = user.fluid_target_ml
        factors.append(
            Factor(
                "fluids_under_target",
                f"Fluids under your daily target ({target} ml)",
                lambda _n, day: (
                    None if day is None or day.fluids_ml is None else day.fluids_ml < target
                ),
            )
        )
    factors += [
        Factor("alcohol", "Any alcohol", _above(0, lambda day: day.alcohol_units)),
        Factor(
            "caffeine",
            "More caffeinated drinks than usual",
            _above(usual_caffeine, lambda day: day.caffeinated_drinks),
        ),
        Factor(
            "exercise",
            "More exercise than usual",
            _above(usual_exercise, lambda day: day.exercise_minutes),
        ),
        Factor(
            "vigorous_exercise",
            "Vigorous exercise",
            lambda _n, day: None if day is None else day.vigorous,
        ),
        Factor(
            "on_feet",
            f"{LONG_HOURS:g} hours or more on your feet",
            _at_least(LONG_HOURS, lambda day: day.hours_on_feet),
        ),
        Factor(
            "sitting",
            f"{LONG_HOURS:g} hours or more sitting",
            _at_least(LONG_HOURS, lambda day: day.hours_sitting),
        ),
    ]
    for custom in custom_factors:
        factors.append(_custom_factor(custom, days))
    for medication in medications:
        factors.append(
            Factor(
                f"medication_{medication.pk}",
                f"Taking {medication.name}",
                lambda night, _day, m=medication: m.taken_on(night),
            )
        )
    return factors


def _custom_factor(custom: CustomFactor, days: dict[date, DayRecord]) -> Factor:
    key = f"custom_{custom.pk}"
    if custom.kind == FactorKind.YES_NO:
        return Factor(
            key,
            custom.name,
            lambda _n, day: None if day is None else day.custom.get(custom.pk),
        )
    usual = _usual(day.custom.get(custom.pk) for day in days.values())
    unit = f" {custom.unit}" if custom.unit else ""
    over = f" (over {round(usual, 1):g}{unit})" if usual else ""
    label = f"{custom.name}: more than usual{over}"
    return Factor(key, label, _above(usual, lambda day: day.custom.get(custom.pk)))


def compare_factors(
    nights: Sequence[NightRecord], days: dict[date, DayRecord], factors: Sequence[Factor]
) -> list[FactorResult]:
    """Cramp-night rates with and without each factor, strongest evidence first.

    The factor of day D is paired with the night of D. Nights where the factor
    was not recorded are left out of its comparison.
    """
    results = []
    for factor in factors:
        counts = Counter()
        for night in nights:
            present = factor.test(night.date, days.get(night.date))
            if present is None:
                continue
            counts[present, "nights"] += 1
            counts[present, "cramp"] += bool(night.cramps)
        comparison = stats.compare_groups(
            counts[True, "cramp"],
            counts[True, "nights"],
            counts[False, "cramp"],
            counts[False, "nights"],
        )
        results.append(FactorResult(factor, comparison))
    return sorted(
        results,
        key=lambda result: (not result.comparison.enough_data, -result.comparison.strength),
    )
