"""Small, honest statistics for one person's journal: rates, medians, risk ratios, and tests.

Pure Python, no Django: everything here takes counts and returns numbers.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

MIN_NIGHTS_PER_GROUP = 10  # a comparison needs at least this many logged nights in each group
FAMILY_WISE_ALPHA = 0.05  # the chance of any false claim among a page's comparisons, at most

_Z_95 = 1.96  # two-sided 95% quantile of the standard normal distribution

# Haldane–Anscombe correction: added to each of the four cells when any of them is zero, so
# that the ratio and its interval stay finite (a group with no cramp nights would otherwise
# give a ratio of 0 or infinity, and ln(0) has no standard error).
_ZERO_CELL_CORRECTION = 0.5

# Two tables as likely as each other can differ in the last digits of their floating-point
# probabilities; R's fisher.test counts a table as "as extreme" within this relative margin.
_FISHER_RELATIVE_MARGIN = 1 + 1e-7


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
    p_value: float | None  # Fisher's exact test, two-sided; None when not enough data

    @property
    def enough_data(self) -> bool:
        return self.more_needed_with == 0 and self.more_needed_without == 0

    @property
    def excludes_one(self) -> bool:
        """The whole 95% interval lies on one side of "no difference"."""
        if self.ci_low is None or self.ci_high is None:
            return False
        return self.ci_low > 1 or self.ci_high < 1


def compare_groups(
    cramp_nights_with: int,
    nights_with: int,
    cramp_nights_without: int,
    nights_without: int,
    *,
    min_nights: int = MIN_NIGHTS_PER_GROUP,
) -> GroupComparison:
    """Compare the share of nights with cramps when a factor was present and when it was not.

    The risk ratio, its 95% interval (Katz log method) and the p-value of Fisher's exact test
    are only given once each group has `min_nights` logged nights; until then `more_needed_*`
    say how many more are needed. When a cell is zero (no cramp nights, or only cramp nights,
    in a group) the ratio and interval use the Haldane–Anscombe correction; the rates and the
    test use the observed counts.
    """
    _check_group(cramp_nights_with, nights_with)
    _check_group(cramp_nights_without, nights_without)
    if min_nights < 1:
        raise ValueError(f"min_nights must be at least 1, not {min_nights}.")
    more_with = max(0, min_nights - nights_with)
    more_without = max(0, min_nights - nights_without)
    ratio: tuple[float, float, float] | None = None
    p_value = None
    if more_with == 0 and more_without == 0:
        ratio = _risk_ratio_interval(
            cramp_nights_with, nights_with, cramp_nights_without, nights_without
        )
        p_value = fisher_exact_p(
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
        p_value=p_value,
    )


def fisher_exact_p(a: int, n1: int, c: int, n2: int) -> float:
    """Two-sided p-value of Fisher's exact test: `a` of `n1` against `c` of `n2`.

    With the margins fixed (n1 and n2 nights, a + c cramp nights), the number of cramp
    nights in the first group follows the hypergeometric distribution; the p-value is the
    total probability of every table no more likely than the one observed. Exact, and
    conservative at small counts (its error rate stays at or below the nominal one).
    """
    _check_group(a, n1)
    _check_group(c, n2)
    total, cramp_nights = n1 + n2, a + c
    low, high = max(0, cramp_nights - n2), min(cramp_nights, n1)
    if low == high:
        return 1.0
    others = total - cramp_nights - n1  # so that the first group's calm nights are n1 - x
    # Each table's probability relative to the most likely one, walking out from it with
    # P(x + 1) / P(x) = (K − x)(n1 − x) / ((x + 1)(N − K − n1 + x + 1)). Far tails underflow
    # to 0, which changes no p-value that matters.
    mode = min(max((n1 + 1) * (cramp_nights + 1) // (total + 2), low), high)
    weights = [0.0] * (high - low + 1)
    weights[mode - low] = weight = 1.0
    for x in range(mode, high):
        weight *= (cramp_nights - x) * (n1 - x) / ((x + 1) * (others + x + 1))
        weights[x + 1 - low] = weight
    weight = 1.0
    for x in range(mode, low, -1):
        weight *= x * (others + x) / ((cramp_nights - x + 1) * (n1 - x + 1))
        weights[x - 1 - low] = weight
    limit = weights[a - low] * _FISHER_RELATIVE_MARGIN
    return min(1.0, sum(w for w in weights if w <= limit) / sum(weights))


def holm_adjusted(p_values: Sequence[float]) -> list[float]:
    """Holm's step-down adjustment of `p_values`, in the order given.

    The i-th smallest of m p-values becomes max over j ≤ i of min(1, (m − j + 1) · p_(j)).
    Claiming every comparison whose adjusted p-value is below α keeps the chance of any
    false claim among the m at or below α, whatever the dependence between them.
    """
    for p in p_values:
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"A p-value lies between 0 and 1, not {p}.")
    count = len(p_values)
    adjusted = [0.0] * count
    running = 0.0
    for rank, index in enumerate(sorted(range(count), key=lambda i: p_values[i])):
        running = max(running, min(1.0, (count - rank) * p_values[index]))
        adjusted[index] = running
    return adjusted


def median(values: Sequence[float]) -> float | None:
    """The middle value (the mean of the two middle ones for an even count); None for none.

    The app's only median: every "median" and "usual" value is this one.
    """
    return sorted_median(sorted(values))


def sorted_median(ordered: Sequence[float]) -> float | None:
    """The median of values already in order, smallest first (no copy is sorted)."""
    if not ordered:
        return None
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
