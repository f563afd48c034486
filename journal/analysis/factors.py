"""Factors that go with cramp nights: each compared between nights with it and without it.

Every factor has the same shape, a `FactorSpec`: its label, how a day is read, the rule that
says whether that value counts as "with it", and how a night where it was not recorded is
told apart (the reading gives None; such nights stay out of its comparison). The built-in
factors are one list, BUILT_IN_FACTORS; the fluid target, the user's own factors and the
medications are made into the same shape by `factors_for`.

`factor_findings` is the one decision about them, used by the factor page and by the tips:
each factor with at least stats.MIN_NIGHTS_PER_GROUP logged nights in both groups is tested
(Fisher's exact test), the p-values are adjusted for the number of factors tested (Holm), and
a factor is claimed only when its adjusted p-value is under stats.FAMILY_WISE_ALPHA and its
interval lies on one side of 1. So in a journal where nothing goes with cramps, the chance of
any claim on the page is at most 5%.
"""

import math
from bisect import bisect_left, insort
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from journal import stats
from journal.analysis.loading import DayRecord, NightRecord
from journal.models import CustomFactor, FactorKind, Medication, User
from journal.units import FluidUnit, ml_to_unit

LONG_HOURS = Decimal(8)  # "8 hours or more" on your feet, or sitting
USUAL_DAYS = 56  # "usual" is the median of the days recorded in the 8 weeks before the night
USUAL_MIN_DAYS = 14  # ... of which at least this many; otherwise the night is not recorded
FEWEST_NIGHTS = 2 * stats.MIN_NIGHTS_PER_GROUP  # no factor can be compared on fewer nights


class Rule(StrEnum):
    """When a day's value counts as "with the factor"."""

    YES = "yes"  # a yes/no value that is yes
    ABOVE = "above"  # more than `amount`
    AT_LEAST = "at_least"  # `amount` or more
    BELOW = "below"  # less than `amount`
    ABOVE_USUAL = "above_usual"  # more than the median of the USUAL_DAYS days before


# A factor's value on a day: a yes or no, a count, an amount.
FactorValue = bool | int | float | Decimal

# How a factor reads the day of a night: (night, its day's record or None) → the value, or
# None when it was not recorded.
Reading = Callable[[date, DayRecord | None], FactorValue | None]


@dataclass(frozen=True)
class FactorSpec:
    key: str
    label: str
    read: Reading
    rule: Rule
    with_it: str  # in words, when a night counts as with the factor
    not_recorded: str  # in words, when a night is left out ("" for never)
    after: str  # the nights with it, in a finding: "after days with any alcohol"
    amount: Decimal | None = None  # the threshold of ABOVE, AT_LEAST and BELOW

    def counts_as_with(self, value: FactorValue, usual: float | None = None) -> bool:
        """Whether a recorded `value` (with the night's usual, for ABOVE_USUAL) is "with it"."""
        match self.rule:
            case Rule.YES:
                return bool(value)
            case Rule.ABOVE:
                return value > self.threshold
            case Rule.AT_LEAST:
                return value >= self.threshold
            case Rule.BELOW:
                return value < self.threshold
            case Rule.ABOVE_USUAL:
                assert usual is not None  # `presence` leaves out the nights without a usual
                return value > usual

    @property
    def threshold(self) -> Decimal:
        """The `amount` of an ABOVE, AT_LEAST or BELOW rule, which always has one."""
        assert self.amount is not None
        return self.amount


def _day(getter: Callable[[DayRecord], FactorValue | None]) -> Reading:
    """A reading of the day's record; a night whose day has no record is not recorded."""
    return lambda _night, day: None if day is None else getter(day)


_USUAL = "than the median of the days you recorded in the 8 weeks before"
_TOO_FEW_DAYS = f", or fewer than {USUAL_MIN_DAYS} days of it recorded in the 8 weeks before"
_EXERCISE_NOT_RECORDED = "no session entered and “No exercise that day” not ticked"

BUILT_IN_FACTORS: tuple[FactorSpec, ...] = (
    FactorSpec(
        "alcohol",
        "Any alcohol",
        _day(lambda day: day.alcohol_units),
        Rule.ABOVE,
        "more than 0 units of alcohol",
        "alcohol left blank",
        after="after days with any alcohol",
        amount=Decimal(0),
    ),
    FactorSpec(
        "caffeine",
        "More caffeinated drinks than usual",
        _day(lambda day: day.caffeinated_drinks),
        Rule.ABOVE_USUAL,
        f"more caffeinated drinks {_USUAL}",
        f"caffeinated drinks left blank{_TOO_FEW_DAYS}",
        after="after days with more caffeinated drinks than usual",
    ),
    FactorSpec(
        "exercise",
        "More exercise than usual",
        _day(lambda day: day.exercise_minutes),
        Rule.ABOVE_USUAL,
        f"more minutes of exercise {_USUAL}",
        f"{_EXERCISE_NOT_RECORDED}{_TOO_FEW_DAYS}",
        after="after days with more exercise than usual",
    ),
    FactorSpec(
        "vigorous_exercise",
        "Vigorous exercise",
        _day(lambda day: day.vigorous),
        Rule.YES,
        "a session of vigorous intensity",
        _EXERCISE_NOT_RECORDED,
        after="after days with vigorous exercise",
    ),
    FactorSpec(
        "on_feet",
        f"{LONG_HOURS:g} hours or more on your feet",
        _day(lambda day: day.hours_on_feet),
        Rule.AT_LEAST,
        f"{LONG_HOURS:g} hours or more on your feet",
        "hours on your feet left blank",
        after=f"after days on your feet {LONG_HOURS:g} hours or more",
        amount=LONG_HOURS,
    ),
    FactorSpec(
        "sitting",
        f"{LONG_HOURS:g} hours or more sitting",
        _day(lambda day: day.hours_sitting),
        Rule.AT_LEAST,
        f"{LONG_HOURS:g} hours or more sitting",
        "hours sitting left blank",
        after=f"after days sitting {LONG_HOURS:g} hours or more",
        amount=LONG_HOURS,
    ),
)


def factors_for(
    user: User, custom_factors: Sequence[CustomFactor], medications: Sequence[Medication]
) -> list[FactorSpec]:
    """The factors compared for this user, in the order of the page before sorting."""
    fluids = [] if user.fluid_restricted else [_fluid_factor(user)]
    return [
        *fluids,
        *BUILT_IN_FACTORS,
        *(_custom_factor(custom) for custom in custom_factors),
        *(_medication_factor(medication) for medication in medications),
    ]


def _fluid_factor(user: User) -> FactorSpec:
    """Fluids under the user's own target (never offered to users who limit fluids)."""
    amount = ml_to_unit(user.fluid_target_ml, user.fluid_unit)
    target = f"{amount:g} fl oz" if user.fluid_unit == FluidUnit.US_FL_OZ else f"{amount:,} ml"
    return FactorSpec(
        "fluids_under_target",
        f"Fluids under your daily target ({target})",
        _day(lambda day: day.fluids_ml),
        Rule.BELOW,
        f"fluids under {target}",
        "fluids left blank",
        after=f"after days with fluids under your target ({target})",
        amount=Decimal(user.fluid_target_ml),
    )


def _custom_factor(custom: CustomFactor) -> FactorSpec:
    reading = _day(lambda day: day.custom.get(custom.pk))
    if custom.kind == FactorKind.YES_NO:
        return FactorSpec(
            f"custom_{custom.pk}",
            custom.name,
            reading,
            Rule.YES,
            "yes",
            "left as not recorded",
            after=f"after days marked “{custom.name}”",
        )
    return FactorSpec(
        f"custom_{custom.pk}",
        f"{custom.name}: more than usual",
        reading,
        Rule.ABOVE_USUAL,
        f"more {_USUAL}",
        f"left blank{_TOO_FEW_DAYS}",
        after=f"after days with more “{custom.name}” than usual",
    )


def _medication_factor(medication: Medication) -> FactorSpec:
    """Taking a medicine: the night is between its start and stop dates; never not recorded."""

    def taking(night: date, _day: DayRecord | None) -> bool:
        return medication.taken_on(night)

    return FactorSpec(
        f"medication_{medication.pk}",
        f"Taking {medication.name}",
        taking,
        Rule.YES,
        "the night is between its start and stop dates",
        "",
        after=f"while you were taking {medication.name}",
    )


# --- Each night, with the factor or without -----------------------------------------------


def history_start(start: date) -> date:
    """The first day whose factors are needed for the nights from `start` on ("usual")."""
    return start - timedelta(days=USUAL_DAYS)


def usual_before(values: dict[date, float], nights: Sequence[date]) -> dict[date, float | None]:
    """For each night D (oldest first), the median of `values` of days D − 56 to D − 1.

    None when fewer than USUAL_MIN_DAYS of those days have a value: a night is never judged
    against days after it, so its class does not depend on the range shown.
    """
    recorded = sorted(values.items())
    window: deque[tuple[date, float]] = deque()  # the days in the 8 weeks, oldest first
    ordered: list[float] = []  # their values, smallest first
    usual: dict[date, float | None] = {}
    added, span = 0, timedelta(days=USUAL_DAYS)
    for night in nights:
        while added < len(recorded) and recorded[added][0] < night:
            window.append(recorded[added])
            insort(ordered, recorded[added][1])
            added += 1
        while window and window[0][0] < night - span:
            del ordered[bisect_left(ordered, window.popleft()[1])]
        usual[night] = stats.sorted_median(ordered) if len(ordered) >= USUAL_MIN_DAYS else None
    return usual


def presence(
    factor: FactorSpec, nights: Sequence[date], days: dict[date, DayRecord]
) -> dict[date, bool | None]:
    """For each night (oldest first): with the factor, without it, or None (not recorded).

    `days` must reach back to history_start(first night) for "usual" factors.
    """
    values = {night: factor.read(night, days.get(night)) for night in nights}
    if factor.rule != Rule.ABOVE_USUAL:
        return {
            night: None if value is None else factor.counts_as_with(value)
            for night, value in values.items()
        }
    history = {
        day: float(value)
        for day, record in days.items()
        if (value := factor.read(day, record)) is not None
    }
    usual = usual_before(history, nights)
    return {
        night: None
        if value is None or usual[night] is None
        else factor.counts_as_with(value, usual[night])
        for night, value in values.items()
    }


# --- The comparison, and the claim ----------------------------------------------------------


@dataclass(frozen=True)
class FactorResult:
    factor: FactorSpec
    comparison: stats.GroupComparison
    adjusted_p: float | None  # Holm's, over the `comparisons` tested; None when not tested
    claimed: bool  # unlikely to be chance, allowing for the `comparisons`
    comparisons: int  # how many factors had enough nights to be tested

    @property
    def with_text(self) -> str:
        """The cramp nights with the factor, as the page and the tips write them."""
        return _share_text(self.comparison.cramp_nights_with, self.comparison.nights_with)

    @property
    def without_text(self) -> str:
        return _share_text(self.comparison.cramp_nights_without, self.comparison.nights_without)

    @property
    def more_common_with_it(self) -> bool:
        ratio = self.comparison.risk_ratio
        return ratio is not None and ratio > 1

    @property
    def verdict(self) -> str:
        """The ratio with its (unadjusted) interval, or how many more nights it needs."""
        c = self.comparison
        if c.enough_data:
            return f"{c.risk_ratio:.2f} ({c.ci_low:.2f} to {c.ci_high:.2f})"
        missing = [
            f"{count} more night{'s' if count > 1 else ''} {side}"
            for count, side in ((c.more_needed_with, "with"), (c.more_needed_without, "without"))
            if count
        ]
        return f"Not enough data yet: {' and '.join(missing)}."

    @property
    def adjusted_p_text(self) -> str:
        return "" if self.adjusted_p is None else f"adjusted p {p_text(self.adjusted_p)}"

    @property
    def chance_text(self) -> str:
        """Whether it stands out, allowing for the page's comparisons; "" when not tested."""
        if self.adjusted_p is None:
            return ""
        if not self.claimed:
            return f"Could be chance ({self.adjusted_p_text})"
        more = "more" if self.more_common_with_it else "less"
        return (
            f"Unlikely to be chance: cramp nights were {more} common with it "
            f"({self.adjusted_p_text})"
        )

    @property
    def in_words(self) -> str:
        """The claim in plain words, with its counts and the honest caveat; "" for a factor
        that is not claimed (the page says nothing stands out of it)."""
        if not self.claimed:
            return ""
        c = self.comparison
        assert c.risk_ratio is not None  # a claimed factor had the nights to be tested
        caveat = "causes" if self.more_common_with_it else "prevents"
        medicine = self.factor.key.startswith("medication_") and self.more_common_with_it
        return (
            f"Cramp nights were {ratio_words(c.risk_ratio)} {self.factor.after}: cramps on "
            f"{c.cramp_nights_with} of those {c.nights_with} nights "
            f"({_percent(c.cramp_nights_with, c.nights_with)}), against "
            f"{c.cramp_nights_without} of the other {c.nights_without} "
            f"({_percent(c.cramp_nights_without, c.nights_without)}). "
            f"This does not show that it {caveat} them; discuss it with your doctor"
            + (", and do not stop a medicine on your own." if medicine else ".")
        )


_FRACTIONS = {2: "half", 3: "a third", 4: "a quarter", 5: "a fifth"}


def ratio_words(ratio: float) -> str:
    """A risk ratio in words, rounded as a reader would say it: "about 1.5 times as common",
    "about twice as common", "about 3 times as common", "about 30% less common", "about half
    as common", "less than a fifth as common"."""
    if ratio <= 0 or not math.isfinite(ratio):
        raise ValueError(f"A ratio in words must be a positive number, not {ratio}.")
    if ratio >= 1:
        if ratio < 1.05:
            return "slightly more common"
        if ratio < 1.9:
            return f"about {ratio:.1f} times as common"
        if ratio < 2.5:
            return "about twice as common"
        return f"about {int(ratio + 0.5)} times as common"
    if ratio > 0.6:
        percent = int((1 - ratio) * 10 + 0.5) * 10
        return f"about {percent}% less common" if percent else "slightly less common"
    fraction = int(1 / ratio + 0.5)
    if fraction in _FRACTIONS:
        return f"about {_FRACTIONS[fraction]} as common"
    return "less than a fifth as common"


def factor_findings(
    nights: Sequence[NightRecord], days: dict[date, DayRecord], factors: Sequence[FactorSpec]
) -> list[FactorResult]:
    """Each factor's comparison and whether it is claimed; tested ones first, by p-value.

    The factor of day D is paired with the night of D. Nights where the factor was not
    recorded are left out of its comparison. `nights` are oldest first, and `days` reach
    back to history_start(the first night).
    """
    dates = [night.date for night in nights]
    comparisons = []
    for factor in factors:
        present = presence(factor, dates, days)
        counts = {True: [0, 0], False: [0, 0]}  # with it, without: [cramp nights, nights]
        for night in nights:
            if (with_it := present[night.date]) is not None:
                group = counts[with_it]
                group[0] += night.cramps > 0
                group[1] += 1
        comparisons.append(stats.compare_groups(*counts[True], *counts[False]))
    tested = {index: c.p_value for index, c in enumerate(comparisons) if c.p_value is not None}
    adjusted = dict(zip(tested, stats.holm_adjusted(list(tested.values())), strict=True))
    results = [
        FactorResult(
            factor,
            comparison,
            adjusted.get(index),
            claimed=index in adjusted
            and adjusted[index] < stats.FAMILY_WISE_ALPHA
            and comparison.excludes_one,
            comparisons=len(tested),
        )
        for index, (factor, comparison) in enumerate(zip(factors, comparisons, strict=True))
    ]
    return sorted(
        results,
        key=lambda r: (r.comparison.p_value is None, r.comparison.p_value or 0.0),
    )


def p_text(p: float) -> str:
    """The p-value to follow "p": "= 0.21", "= 0.008", "< 0.05" (never rounded up to 0.050)
    or "< 0.001"."""
    if p < 0.001:
        return "< 0.001"
    text = f"{p:.3f}" if p < 0.1 else f"{p:.2f}"
    if p < stats.FAMILY_WISE_ALPHA <= float(text):
        return f"< {stats.FAMILY_WISE_ALPHA}"
    return f"= {text}"


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%"


def _share_text(part: int, whole: int) -> str:
    if whole == 0:
        return f"{part} of {whole}"
    return f"{part} of {whole} ({_percent(part, whole)})"
