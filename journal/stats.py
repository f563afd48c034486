"""Small, honest statistics for one person's journal: rates, medians and risk ratios.

Pure Python, no Django: everything here takes counts and returns numbers.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

MIN_NIGHTS_PER_GROUP = 10  # a comparison needs at least this many logged nights in each group

_Z_95 = 1.96  # two-sided 95% quantile of the standard normal distribution

# Haldane–Anscombe correction: added to each of the four cells when any of them is zero, so
# that the ratio and its interval stay finite (a group with no cramp nights would otherwise
# give a ratio of 0 or infinity, and ln(0) has no standard error).
_ZERO_CELL_CORRECTION = 0.5


@dataclass(frozen=True)
class GroupComparison:
    """How often nights had cramps with a factor and without it, and the ratio of the two."""

    nights_with: int  # logged nights where the factor was present
    cramp_nights_with: int  # ... of which had at least one cramp
    nights_without: int
    cramp_nights_without: int
    rate_with: float | None  # cramp_nights_with / nights_with (None if nights_with == 0)
    rate_without: float | None
    risk_ratio: float | None  # None when not enough data
    ci_low: float | None  # 95% confidence interval of the risk ratio
    ci_high: float | None
    more_needed_with: int  # nights still needed in each group before a ratio is shown
    more_needed_without: int

    @property
    def enough_data(self) -> bool:
        return self.more_needed_with == 0 and self.more_needed_without == 0

    @property
    def excludes_one(self) -> bool:
        """The whole 95% interval lies on one side of "no difference"."""
        if self.ci_low is None or self.ci_high is None:
            return False
        return self.ci_low > 1 or self.ci_high < 1

    @property
    def strength(self) -> float:
        """|ln RR| / SE(ln RR), the z statistic; 0.0 without a ratio.

        The standard error is read back from the interval, which is ln RR ± 1.96·SE.
        """
        if self.risk_ratio is None or self.ci_low is None or self.ci_high is None:
            return 0.0
        standard_error = (math.log(self.ci_high) - math.log(self.ci_low)) / (2 * _Z_95)
        return abs(math.log(self.risk_ratio)) / standard_error


def compare_groups(
    cramp_nights_with: int,
    nights_with: int,
    cramp_nights_without: int,
    nights_without: int,
    *,
    min_nights: int = MIN_NIGHTS_PER_GROUP,
) -> GroupComparison:
    """Compare the share of nights with cramps when a factor was present and when it was not.

    The risk ratio and its 95% interval (Katz log method) are only given once each group has
    `min_nights` logged nights; until then `more_needed_*` say how many more are needed. When
    a cell is zero (no cramp nights, or only cramp nights, in a group) the ratio and interval
    use the Haldane–Anscombe correction; the rates stay the observed ones.
    """
    _check_group(cramp_nights_with, nights_with)
    _check_group(cramp_nights_without, nights_without)
    if min_nights < 1:
        raise ValueError(f"min_nights must be at least 1, not {min_nights}.")
    more_with = max(0, min_nights - nights_with)
    more_without = max(0, min_nights - nights_without)
    ratio: tuple[float, float, float] | None = None
    if more_with == 0 and more_without == 0:
        ratio = _risk_ratio_interval(
            cramp_nights_with, nights_with, cramp_nights_without, nights_without
        )
    return GroupComparison(
        nights_with=nights_with,
        cramp_nights_with=cramp_nights_with,
        nights_without=nights_without,
        cramp_nights_without=cramp_nights_without,
        rate_with=share(cramp_nights_with, nights_with),
        rate_without=share(cramp_nights_without, nights_without),
        risk_ratio=ratio[0] if ratio else None,
        ci_low=ratio[1] if ratio else None,
        ci_high=ratio[2] if ratio else None,
        more_needed_with=more_with,
        more_needed_without=more_without,
    )


def median(values: Sequence[float]) -> float | None:
    """The middle value (the mean of the two middle ones for an even count); None for none.

    The app's only median: every "median" and "usual" value is this one.
    """
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2


def mean(values: Sequence[float]) -> float | None:
    """The arithmetic mean; None for no values. The app's only mean (every "average")."""
    if not values:
        return None
    return sum(values) / len(values)


def per_week(count: int, nights: int) -> float | None:
    """A count over `nights` logged nights, scaled to a 7-night week; None without nights."""
    if nights == 0:
        return None
    return count / nights * 7


def share(part: int, whole: int) -> float | None:
    """part / whole, or None when there is no whole to share."""
    if whole == 0:
        return None
    return part / whole


def _check_group(cramp_nights: int, nights: int) -> None:
    if cramp_nights < 0 or nights < 0:
        raise ValueError(f"Counts cannot be negative ({cramp_nights} of {nights}).")
    if cramp_nights > nights:
        raise ValueError(f"{cramp_nights} cramp nights cannot come from {nights} nights.")


def _risk_ratio_interval(a: int, n1: int, c: int, n2: int) -> tuple[float, float, float]:
    """(RR, low, high): RR = (a/n1) / (c/n2), 95% interval exp(ln RR ± 1.96·SE).

    SE = sqrt(1/a − 1/n1 + 1/c − 1/n2). When any of the four cells a, n1 − a, c, n2 − c is
    zero, 0.5 is added to each of them first (Haldane–Anscombe), which adds 1 to n1 and n2.
    """
    cells = (a, n1 - a, c, n2 - c)
    correction = _ZERO_CELL_CORRECTION if 0 in cells else 0.0
    a_, b_, c_, d_ = (cell + correction for cell in cells)
    total_with, total_without = a_ + b_, c_ + d_
    log_ratio = math.log(a_ / total_with) - math.log(c_ / total_without)
    standard_error = math.sqrt(1 / a_ - 1 / total_with + 1 / c_ - 1 / total_without)
    margin = _Z_95 * standard_error
    return math.exp(log_ratio), math.exp(log_ratio - margin), math.exp(log_ratio + margin)
