"""journal.stats: risk ratios and tests worked out by hand, the zero-cell correction, Holm's
adjustment, and properties (Fisher's test against an exact enumeration with fractions)."""

import math
import re
from fractions import Fraction
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from journal.stats import (
    MIN_NIGHTS_PER_GROUP,
    GroupComparison,
    compare_groups,
    fisher_exact_p,
    holm_adjusted,
    mean,
    median,
    per_week,
    share,
)


def test_risk_ratio_and_interval_by_hand():
    # 12 cramp nights of 20 with the factor, 10 of 40 without.
    result = compare_groups(12, 20, 10, 40)
    # Rates 12/20 = 0.6 and 10/40 = 0.25; RR = 0.6 / 0.25 = 2.4.
    assert result.rate_with == 0.6
    assert result.rate_without == 0.25
    assert result.risk_ratio == pytest.approx(2.4)
    # SE = sqrt(1/12 − 1/20 + 1/10 − 1/40) = sqrt(0.083333 − 0.05 + 0.1 − 0.025)
    #    = sqrt(0.108333) = 0.32914.
    # ln 2.4 = 0.87547; 1.96 × 0.32914 = 0.64512.
    # low = exp(0.87547 − 0.64512) = exp(0.23035) = 1.2590
    # high = exp(0.87547 + 0.64512) = exp(1.52059) = 4.5749
    assert result.ci_low == pytest.approx(1.2590, abs=5e-4)
    assert result.ci_high == pytest.approx(4.5749, abs=5e-4)
    assert result.enough_data
    assert result.excludes_one
    assert (result.more_needed_with, result.more_needed_without) == (0, 0)


def test_protective_factor_by_hand_just_excludes_one():
    # 2 of 20 with the factor, 12 of 30 without: RR = 0.1 / 0.4 = 0.25.
    result = compare_groups(2, 20, 12, 30)
    assert result.risk_ratio == pytest.approx(0.25)
    # SE = sqrt(1/2 − 1/20 + 1/12 − 1/30) = sqrt(0.5 − 0.05 + 0.083333 − 0.033333)
    #    = sqrt(0.5) = 0.70711; 1.96 × 0.70711 = 1.38593; ln 0.25 = −1.38629.
    # low = exp(−1.38629 − 1.38593) = exp(−2.77222) = 0.06254
    # high = exp(−1.38629 + 1.38593) = exp(−0.00036) = 0.99964: just below 1.
    assert result.ci_low == pytest.approx(0.06254, abs=5e-5)
    assert result.ci_high == pytest.approx(0.99964, abs=5e-5)
    assert result.excludes_one


def test_zero_cell_uses_the_haldane_anscombe_correction():
    # 5 of 20 with the factor, 0 of 20 without: the cells are a=5, b=15, c=0, d=20.
    result = compare_groups(5, 20, 0, 20)
    # The rates are the observed ones.
    assert result.rate_with == 0.25
    assert result.rate_without == 0.0
    # Corrected cells: a=5.5, b=15.5, c=0.5, d=20.5, so n1 = n2 = 21.
    # RR = (5.5/21) / (0.5/21) = 11.
    assert result.risk_ratio == pytest.approx(11.0)
    # SE = sqrt(1/5.5 − 1/21 + 1/0.5 − 1/21) = sqrt(0.181818 − 0.047619 + 2 − 0.047619)
    #    = sqrt(2.086580) = 1.44450; 1.96 × 1.44450 = 2.83122; ln 11 = 2.39790.
    # low = exp(2.39790 − 2.83122) = exp(−0.43332) = 0.6484
    # high = exp(2.39790 + 2.83122) = exp(5.22912) = 186.6
    assert result.ci_low == pytest.approx(0.6484, abs=5e-4)
    assert result.ci_high == pytest.approx(186.6, abs=0.1)
    assert not result.excludes_one


def test_no_correction_without_a_zero_cell():
    # 1 of 10 vs 1 of 10: no zero cell, so RR = 1 exactly and
    # SE = sqrt(1/1 − 1/10 + 1/1 − 1/10) = sqrt(1.8) = 1.34164; 1.96 × 1.34164 = 2.62961.
    result = compare_groups(1, 10, 1, 10)
    assert result.risk_ratio == pytest.approx(1.0)
    assert result.ci_low == pytest.approx(math.exp(-2.62961), rel=1e-5)  # 0.07210
    assert result.ci_high == pytest.approx(math.exp(2.62961), rel=1e-5)  # 13.869
    assert result.p_value == 1.0  # the observed table is the most likely one
    assert not result.excludes_one


def test_not_enough_data_says_how_many_more_nights_each_group_needs():
    # 6 nights with the factor, 40 without; 10 needed in each group.
    result = compare_groups(3, 6, 10, 40)
    assert not result.enough_data
    assert result.more_needed_with == 10 - 6
    assert result.more_needed_without == 0
    assert result.risk_ratio is None
    assert result.ci_low is None
    assert result.ci_high is None
    assert result.p_value is None
    assert not result.excludes_one
    # The rates are still there to show.
    assert result.rate_with == 0.5
    assert result.rate_without == 0.25


def test_exactly_the_minimum_is_enough():
    assert MIN_NIGHTS_PER_GROUP == 10
    assert compare_groups(5, 10, 2, 10).enough_data
    assert compare_groups(5, 9, 2, 10).more_needed_with == 1


def test_min_nights_can_be_chosen():
    result = compare_groups(3, 6, 1, 7, min_nights=20)
    assert (result.more_needed_with, result.more_needed_without) == (14, 13)
    assert compare_groups(3, 6, 1, 7, min_nights=5).enough_data


def test_a_group_without_nights_has_no_rate():
    result = compare_groups(0, 0, 4, 12)
    assert result.rate_with is None
    assert result.rate_without == pytest.approx(1 / 3)
    assert result.more_needed_with == 10


@pytest.mark.parametrize(
    "counts",
    [(-1, 10, 0, 10), (0, -1, 0, 10), (0, 10, -1, 10), (11, 10, 0, 10), (0, 10, 3, 2)],
)
def test_impossible_counts_are_refused(counts):
    with pytest.raises(ValueError):
        compare_groups(*counts)


def test_min_nights_below_one_is_refused():
    with pytest.raises(ValueError):
        compare_groups(1, 10, 1, 10, min_nights=0)


def test_median():
    assert median([]) is None
    assert median([7]) == 7.0
    assert median([3, 1, 2]) == 2.0
    # Even count: the mean of the two middle values, (2 + 3) / 2.
    assert median([4, 1, 3, 2]) == 2.5


def test_mean():
    assert mean([]) is None
    assert mean([7]) == 7.0
    assert mean([80.0, 60.0]) == 70.0
    assert mean([1, 2, 2, 5]) == 2.5  # 10 / 4


def test_the_app_has_one_median_and_one_mean():
    """Every median and mean is stats.median and stats.mean: no module keeps its own (two
    medians that disagreed on an even count is how this rule came about)."""
    journal = Path(__file__).resolve().parents[1] / "journal"
    own = re.compile(
        r"^\s*def _*(median|mean|average)\(|import statistics|from statistics|// 2\]", re.M
    )
    found = [
        f"{path.relative_to(journal.parent)}: {match[0].strip()}"
        for path in journal.rglob("*.py")
        if path.name != "stats.py"
        for match in own.finditer(path.read_text())
    ]
    assert found == []


def test_per_week():
    # 3 cramps in 14 logged nights = 3 / 14 × 7 = 1.5 a week.
    assert per_week(3, 14) == pytest.approx(1.5)
    assert per_week(0, 5) == 0.0
    assert per_week(0, 0) is None


def test_share():
    assert share(1, 4) == 0.25
    assert share(0, 3) == 0.0
    assert share(0, 0) is None


@st.composite
def groups(draw, max_nights: int = 400) -> tuple[int, int]:
    """(cramp nights, nights) for one group."""
    nights = draw(st.integers(min_value=0, max_value=max_nights))
    return draw(st.integers(min_value=0, max_value=nights)), nights


enough_nights = groups().filter(lambda group: group[1] >= MIN_NIGHTS_PER_GROUP)


@given(groups(), groups())
def test_rates_lie_between_zero_and_one(with_, without):
    result = compare_groups(*with_, *without)
    for rate in (result.rate_with, result.rate_without):
        assert rate is None or 0.0 <= rate <= 1.0


@given(enough_nights, enough_nights)
def test_interval_contains_the_estimate(with_, without):
    result = compare_groups(*with_, *without)
    assert result.ci_low < result.risk_ratio < result.ci_high


@given(groups(), groups())
def test_swapping_the_groups_inverts_ratio_and_interval(with_, without):
    result = compare_groups(*with_, *without)
    swapped = compare_groups(*without, *with_)
    assert swapped.more_needed_with == result.more_needed_without
    assert swapped.more_needed_without == result.more_needed_with
    if result.p_value is None:
        assert swapped.p_value is None
    else:
        assert swapped.p_value == pytest.approx(result.p_value, rel=1e-9)
    if not result.enough_data:
        assert swapped.risk_ratio is None
        return
    assert swapped.risk_ratio == pytest.approx(1 / result.risk_ratio, rel=1e-9)
    assert swapped.ci_low == pytest.approx(1 / result.ci_high, rel=1e-9)
    assert swapped.ci_high == pytest.approx(1 / result.ci_low, rel=1e-9)


@given(
    groups(max_nights=200).filter(lambda group: 0 < group[0] < group[1]),
    groups(max_nights=200).filter(lambda group: 0 < group[0] < group[1]),
    st.integers(min_value=2, max_value=20),
)
def test_more_nights_at_the_same_rates_narrow_the_interval(with_, without, factor):
    # Every cell non-zero, so no correction: SE² = b/(a·n1) + d/(c·n2) shrinks by the factor.
    # (With a zero cell the fixed 0.5 of the correction does not scale with the data.)
    small = compare_groups(*with_, *without, min_nights=1)
    large = compare_groups(*(count * factor for count in (*with_, *without)), min_nights=1)
    assert large.risk_ratio == pytest.approx(small.risk_ratio)
    small_width = math.log(small.ci_high) - math.log(small.ci_low)
    large_width = math.log(large.ci_high) - math.log(large.ci_low)
    assert large_width == pytest.approx(small_width / math.sqrt(factor))


# --- Fisher's exact test ------------------------------------------------------------------


def test_fisher_tea_tasting_by_hand():
    # Fisher's lady tasting tea, and the "3 of 4 against 1 of 4": 8 nights, 4 in each
    # group, 4 cramp nights in all. P(a = k) = C(4, k)·C(4, 4 − k) / C(8, 4) = 1, 16, 36, 16, 1
    # over 70 for k = 0..4. Observed a = 3 (16/70); as likely or less: k = 0, 1, 3, 4.
    assert fisher_exact_p(3, 4, 1, 4) == pytest.approx((1 + 16 + 16 + 1) / 70, rel=1e-12)
    assert fisher_exact_p(2, 4, 2, 4) == pytest.approx(1.0)  # the most likely table


def test_fisher_ten_against_ten_by_hand():
    # 0 of 10 against 5 of 10: 5 cramp nights in 20. P(a = k) = C(10, k)·C(10, 5 − k) / C(20, 5)
    # = 252, 2100, 5400, 5400, 2100, 252 over 15504. Observed k = 0; as likely: k = 5.
    assert fisher_exact_p(0, 10, 5, 10) == pytest.approx(504 / 15504, rel=1e-12)


def test_fisher_the_published_dieting_example():
    # Wikipedia's "Fisher's exact test" example: 1 of 12 men dieting against 9 of 12 women;
    # its two-sided p-value is 0.002759.
    assert fisher_exact_p(1, 12, 9, 12) == pytest.approx(0.002759, abs=5e-7)


def exact_fisher(a: int, n1: int, c: int, n2: int) -> Fraction:
    """Fisher's two-sided p-value with exact fractions, straight from its definition."""
    cramp_nights = a + c

    def probability(x: int) -> Fraction:
        return Fraction(
            math.comb(cramp_nights, x) * math.comb(n1 + n2 - cramp_nights, n1 - x),
            math.comb(n1 + n2, n1),
        )

    support = range(max(0, cramp_nights - n2), min(cramp_nights, n1) + 1)
    observed = probability(a)
    return sum((p for x in support if (p := probability(x)) <= observed), Fraction(0))


@given(groups(max_nights=40), groups(max_nights=40))
def test_fisher_matches_an_exact_enumeration(with_, without):
    assert fisher_exact_p(*with_, *without) == pytest.approx(
        float(exact_fisher(*with_, *without)), rel=1e-9
    )


@given(groups(), groups())
def test_fisher_is_a_probability_and_symmetric(with_, without):
    (a, n1), (c, n2) = with_, without
    p = fisher_exact_p(a, n1, c, n2)
    assert 0.0 < p <= 1.0
    assert fisher_exact_p(c, n2, a, n1) == pytest.approx(p, rel=1e-9)  # groups swapped
    assert fisher_exact_p(n1 - a, n1, n2 - c, n2) == pytest.approx(p, rel=1e-9)  # outcomes


def test_fisher_far_out_tables_stay_finite():
    # 1 of 260 against 2,920 of 2,940: astronomically unlikely without a difference.
    assert fisher_exact_p(1, 260, 2920, 2940) < 1e-100


@pytest.mark.parametrize(("n1", "n2", "cramp_nights"), [(10, 10, 6), (12, 40, 15), (30, 60, 20)])
def test_fisher_never_claims_more_often_than_alpha_without_a_difference(n1, n2, cramp_nights):
    # With no difference, the cramp nights of the first group follow the hypergeometric
    # distribution: the total probability of the tables with p ≤ 0.05 must be at most 0.05.
    support = range(max(0, cramp_nights - n2), min(cramp_nights, n1) + 1)
    total = math.comb(n1 + n2, n1)
    rejected = sum(
        Fraction(math.comb(cramp_nights, x) * math.comb(n1 + n2 - cramp_nights, n1 - x), total)
        for x in support
        if fisher_exact_p(x, n1, cramp_nights - x, n2) <= 0.05
    )
    assert 0 < rejected <= Fraction(5, 100)


def test_compare_groups_gives_the_p_value_once_there_is_enough_data():
    # The example: 4 of 10 against 8 of 40 shows RR 2.0 (0.75–5.33), p far from 0.05.
    result = compare_groups(4, 10, 8, 40)
    assert result.p_value == pytest.approx(float(exact_fisher(4, 10, 8, 40)), rel=1e-9)
    assert result.p_value > 0.2
    assert compare_groups(3, 4, 1, 4).p_value is None  # 6 more nights needed in each group


# --- Holm's adjustment --------------------------------------------------------------------


def test_holm_by_hand():
    # Sorted: 0.005 × 4 = 0.02; 0.01 × 3 = 0.03; 0.03 × 2 = 0.06; 0.04 × 1 = 0.04, raised to
    # the 0.06 before it (the adjusted values never decrease with the raw ones).
    assert holm_adjusted([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert holm_adjusted([0.3, 0.6]) == pytest.approx([0.6, 0.6])
    assert holm_adjusted([0.02]) == [0.02]  # one comparison: nothing to adjust
    assert holm_adjusted([0.5, 0.9, 0.7]) == [1.0, 1.0, 1.0]  # capped at 1
    assert holm_adjusted([]) == []


def test_holm_refuses_what_is_not_a_p_value():
    with pytest.raises(ValueError):
        holm_adjusted([0.2, 1.5])
    with pytest.raises(ValueError):
        holm_adjusted([-0.1])


@given(st.lists(st.floats(min_value=0, max_value=1), max_size=15))
def test_holm_is_never_below_the_raw_p_and_keeps_its_order(p_values):
    adjusted = holm_adjusted(p_values)
    for raw, adj in zip(p_values, adjusted, strict=True):
        # Never below the raw p-value, never above Bonferroni's m·p.
        assert raw <= adj <= min(1.0, len(p_values) * raw)
    pairs = sorted(zip(p_values, adjusted, strict=True))
    assert all(a1 <= a2 for (_r1, a1), (_r2, a2) in pairwise(pairs))


@pytest.mark.parametrize(
    ("ci_low", "ci_high", "excludes"),
    [(1.0, 2.5, False), (0.4, 1.0, False), (1.01, 2.5, True), (0.4, 0.99, True)],
)
def test_an_interval_that_touches_one_does_not_exclude_it(ci_low, ci_high, excludes):
    comparison = GroupComparison(20, 10, 20, 5, 0.5, 0.25, 2.0, ci_low, ci_high, 0, 0, 0.1)
    assert comparison.excludes_one is excludes
