"""The block schedule of a personal experiment (journal/experiments/design.py): dates worked
out by hand, the order drawn from a stored seed, washout, pauses and the night rule at block
boundaries."""

from collections import Counter
from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from journal.experiments.design import (
    Condition,
    Design,
    DesignError,
    extended,
    last_night,
    pair_orders,
    place_of,
    schedule,
)
from journal.nights import local_moment, night_of

START = date(2027, 1, 4)  # a Monday night
LONDON = ZoneInfo("Europe/London")


def test_by_default_four_blocks_of_fourteen_nights_one_after_another():
    blocks = schedule(Design(start=START, seed=1))
    assert [(b.number, b.first_night, b.last_night) for b in blocks] == [
        (1, date(2027, 1, 4), date(2027, 1, 17)),
        (2, date(2027, 1, 18), date(2027, 1, 31)),
        (3, date(2027, 2, 1), date(2027, 2, 14)),
        (4, date(2027, 2, 15), date(2027, 2, 28)),
    ]
    assert all(len(b.nights) == 14 for b in blocks)
    assert last_night(Design(start=START, seed=1)) == date(2027, 2, 28)


def test_each_pair_holds_one_block_of_each_in_an_order_drawn_from_the_seed():
    for seed in range(50):
        conditions = [b.condition for b in schedule(Design(start=START, seed=seed, blocks=8))]
        for pair in zip(conditions[::2], conditions[1::2], strict=True):
            assert set(pair) == {Condition.CHANGE, Condition.USUAL}
    # The same seed, the same order, every time it is worked out.
    assert pair_orders(2027, 4) == pair_orders(2027, 4)


def test_the_order_is_a_fair_draw_per_pair():
    firsts = Counter(order[0] for seed in range(4000) for order in pair_orders(seed, 2))
    share = firsts[Condition.CHANGE] / sum(firsts.values())
    assert 0.47 < share < 0.53  # 8,000 pairs: a fair coin is within this 99.99% of the time
    both_orders = {tuple(pair_orders(seed, 2)) for seed in range(100)}
    assert len(both_orders) == 4  # AB-AB, AB-BA, BA-AB and BA-BA all occur


def test_the_first_nights_of_each_block_are_a_washout_left_out_of_the_analysis():
    [first, *_] = schedule(Design(start=START, seed=1))
    assert first.washout == (date(2027, 1, 4), date(2027, 1, 5), date(2027, 1, 6))
    assert first.analysed[0] == date(2027, 1, 7)
    assert len(first.analysed) == 11
    week_blocks = schedule(Design(start=START, seed=1, block_nights=7))
    assert [len(b.analysed) for b in week_blocks] == [4, 4, 4, 4]
    assert len(schedule(Design(start=START, seed=1, washout_nights=0))[0].analysed) == 14


PAIRS = "An experiment has pairs of blocks: 2 to 8 blocks."
WASHOUT = "The washout must leave most of each block to analyse."


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"blocks": 3}, PAIRS),
        ({"blocks": 0}, PAIRS),
        ({"blocks": 10}, PAIRS),
        ({"block_nights": 10}, "Blocks are of 7 or 14 nights."),
        ({"washout_nights": 7}, WASHOUT),  # half of a 14-night block
        ({"block_nights": 7, "washout_nights": 4}, WASHOUT),
        ({"washout_nights": -1}, WASHOUT),
        (
            {"paused": ((date(2027, 1, 9), date(2027, 1, 8)),)},
            "A pause ends on or after the night it starts.",
        ),
    ],
)
def test_a_design_that_cannot_be_run_is_refused_saying_why(options, message):
    with pytest.raises(DesignError) as refused:
        Design(start=START, seed=1, **options)
    assert str(refused.value) == message


def test_the_conditions_are_stored_by_these_names():
    assert {block.condition.value for block in schedule(Design(start=START, seed=1))} == {
        "change",
        "usual",
    }


def test_the_smallest_and_largest_designs_are_taken():
    assert len(schedule(Design(start=START, seed=1, blocks=2))) == 2
    assert len(schedule(Design(start=START, seed=1, blocks=8, block_nights=7))) == 8
    assert len(schedule(Design(start=START, seed=1, washout_nights=6))[0].analysed) == 8


def test_paused_nights_belong_to_no_block_and_the_blocks_after_move_on():
    pause = (date(2027, 1, 8), date(2027, 1, 11))  # four nights in the first block
    design = Design(start=START, seed=1, paused=(pause,))
    first, second, *_ = schedule(design)
    assert date(2027, 1, 8) not in first.nights and date(2027, 1, 11) not in first.nights
    assert first.nights[3:5] == (date(2027, 1, 7), date(2027, 1, 12))
    assert first.last_night == date(2027, 1, 21)  # four nights later than without the pause
    assert second.first_night == date(2027, 1, 22)
    assert last_night(design) == date(2027, 3, 4)
    assert place_of(design, date(2027, 1, 9)) is None
    one_night = Design(start=START, seed=1, paused=((date(2027, 1, 8), date(2027, 1, 8)),))
    assert place_of(one_night, date(2027, 1, 8)) is None
    assert last_night(one_night) == date(2027, 3, 1)


def test_where_a_night_falls_in_the_schedule():
    design = Design(start=START, seed=1)
    opening = place_of(design, START)
    assert opening is not None
    assert (opening.block.number, opening.night_number, opening.in_washout) == (1, 1, True)
    third = place_of(design, START + timedelta(days=2))
    assert third is not None and (third.night_number, third.in_washout) == (3, True)
    fourth = place_of(design, START + timedelta(days=3))
    assert fourth is not None and (fourth.night_number, fourth.in_washout) == (4, False)
    fifth_of_second = place_of(design, date(2027, 1, 22))
    assert fifth_of_second is not None
    assert (fifth_of_second.block.number, fifth_of_second.night_number) == (2, 5)
    assert place_of(design, START - timedelta(days=1)) is None
    assert place_of(design, date(2027, 3, 1)) is None


def test_a_cramp_in_the_small_hours_after_a_block_s_last_night_belongs_to_that_block():
    design = Design(start=START, seed=1)
    at_three = local_moment(date(2027, 1, 18), time(3, 0), LONDON)  # morning after block 1
    night = night_of(at_three, LONDON)  # the default boundary, noon
    place = place_of(design, night)
    assert night == date(2027, 1, 17)
    assert place is not None and (place.block.number, place.night_number) == (1, 14)
    evening = local_moment(date(2027, 1, 18), time(22, 0), LONDON)
    later = place_of(design, night_of(evening, LONDON))
    assert later is not None and (later.block.number, later.night_number) == (2, 1)


def test_extending_adds_a_pair_and_keeps_the_blocks_drawn_so_far():
    design = Design(start=START, seed=7)
    longer = extended(design)
    assert longer.blocks == 6
    before, after = schedule(design), schedule(longer)
    assert after[:4] == before
    assert {after[4].condition, after[5].condition} == {Condition.CHANGE, Condition.USUAL}
    assert after[4].first_night == date(2027, 3, 1)
    with pytest.raises(DesignError):
        extended(Design(start=START, seed=7, blocks=8))


def test_extending_keeps_the_block_length_washout_and_pauses():
    pause = (date(2027, 1, 6), date(2027, 1, 7))
    design = Design(start=START, seed=7, block_nights=7, washout_nights=2, paused=(pause,))
    longer = extended(design)
    assert (longer.block_nights, longer.washout_nights, longer.paused) == (7, 2, (pause,))
    assert schedule(longer)[:4] == schedule(design)
