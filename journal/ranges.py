"""Accepted ranges for journal values (clinical reference, section 6).

Each range feeds three things so that they cannot drift apart: the model
field's validators (friendly message next to the field), the database
CheckConstraint (nothing out of range is stored, whatever the path), and the
soft warnings a form shows before saving an unusual but possible value.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import CheckConstraint, Q


@dataclass(frozen=True)
class Range[N: (int, Decimal)]:
    """Whole numbers (`Range[int]`) or decimals (`Range[Decimal]`), never a mix."""

    low: N
    high: N
    warn_below: N | None = None
    warn_above: N | None = None

    def validators(self) -> list:
        return [MinValueValidator(self.low), MaxValueValidator(self.high)]

    def constraint(self, field: str, *, nullable: bool = False) -> CheckConstraint:
        condition = Q(**{f"{field}__gte": self.low, f"{field}__lte": self.high})
        if nullable:
            condition |= Q(**{f"{field}__isnull": True})
        return CheckConstraint(
            condition=condition,
            name=f"%(app_label)s_%(class)s_{field}_range",
            violation_error_message=f"{field} must be between {self.low} and {self.high}.",
        )

    def is_unusual(self, value: float | Decimal | None) -> bool:
        if value is None:
            return False
        too_low = self.warn_below is not None and value < self.warn_below
        too_high = self.warn_above is not None and value > self.warn_above
        return too_low or too_high


CRAMP_DURATION_SECONDS = Range(1, 60 * 60, warn_above=10 * 60)
CRAMPS_PER_NIGHT = Range(0, 20, warn_above=10)
PAIN = Range(0, 10)
SORENESS = Range(0, 10)
MINUTES_BACK_TO_SLEEP = Range(0, 12 * 60)
FLUIDS_ML = Range(0, 8000, warn_below=500, warn_above=4000)
FLUID_TARGET_ML = Range(250, 8000)
EXERCISE_MINUTES = Range(1, 24 * 60, warn_above=300)
ALCOHOL_UNITS = Range(Decimal(0), Decimal(50))
CAFFEINATED_DRINKS = Range(0, 30)
HOURS_IN_DAY = Range(Decimal(0), Decimal(24))
AWAKENINGS = Range(0, 30, warn_above=10)
SLEEP_QUALITY = Range(1, 5)
SLEEP_LATENCY_MINUTES = Range(0, 24 * 60)
AWAKE_AFTER_ONSET_MINUTES = Range(0, 24 * 60)
TIME_IN_BED_HOURS = Range(0, 24, warn_above=14)
NIGHT_BOUNDARY_HOUR = Range(0, 23)
CLOCK_HOUR = Range(0, 23)
DOSE_QUANTITY = Range(Decimal("0.01"), Decimal(100))
WEEKDAYS = Range(0, 127)  # reminder weekdays, one bit a day from Monday (bit 0)
