"""The design of a personal experiment: alternating blocks of nights with the change and
without it (the user's usual), pure and reproducible.

Blocks come in pairs. The order within each pair, the change first (AB) or the usual first
(BA), is drawn at random, pair by pair, from the seed stored with the experiment, so the same
seed always gives the same schedule. The first nights of each block are a washout: the change's
effect (or its absence) has not settled yet, so they are left out of the analysis. Nights the
experiment is paused on belong to no block; the blocks after a pause move on by its length.
Nights are the journal's nights (journal/nights.py decides which night a moment belongs to).
"""

import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

BLOCK_NIGHTS = (7, 14)
DEFAULT_BLOCK_NIGHTS = 14
DEFAULT_BLOCKS = 4
MAX_BLOCKS = 8
DEFAULT_WASHOUT_NIGHTS = 3


class Condition(StrEnum):
    CHANGE = "change"  # nights with the change being tried
    USUAL = "usual"  # nights without it


class DesignError(ValueError):
    pass


@dataclass(frozen=True)
class Design:
    start: date  # the first night of the first block
    seed: int
    block_nights: int = DEFAULT_BLOCK_NIGHTS
    blocks: int = DEFAULT_BLOCKS
    washout_nights: int = DEFAULT_WASHOUT_NIGHTS
    paused: tuple[tuple[date, date], ...] = field(default=())  # (first, last) paused nights

    def __post_init__(self) -> None:
        if self.block_nights not in BLOCK_NIGHTS:
            raise DesignError(f"Blocks are of {' or '.join(map(str, BLOCK_NIGHTS))} nights.")
        if self.blocks % 2 or not 2 <= self.blocks <= MAX_BLOCKS:
            raise DesignError(f"An experiment has pairs of blocks: 2 to {MAX_BLOCKS} blocks.")
        if not washout_fits(self.washout_nights, self.block_nights):
            raise DesignError("The washout must leave most of each block to analyse.")
        for first, last in self.paused:
            if last < first:
                raise DesignError("A pause ends on or after the night it starts.")


def washout_fits(washout_nights: int, block_nights: int) -> bool:
    """The washout leaves most of each block to analyse: under half of it."""
    return washout_nights >= 0 and 2 * washout_nights < block_nights


@dataclass(frozen=True)
class Block:
    number: int  # from 1
    condition: Condition
    nights: tuple[date, ...]  # in order, pauses left out
    washout_nights: int

    @property
    def first_night(self) -> date:
        return self.nights[0]

    @property
    def last_night(self) -> date:
        return self.nights[-1]

    @property
    def washout(self) -> tuple[date, ...]:
        return self.nights[: self.washout_nights]

    @property
    def analysed(self) -> tuple[date, ...]:
        """The nights the analysis looks at: those after the washout."""
        return self.nights[self.washout_nights :]


def pair_orders(seed: int, pairs: int) -> list[tuple[Condition, Condition]]:
    """The order of each pair, drawn from `seed`: (CHANGE, USUAL) or (USUAL, CHANGE)."""
    draw = random.Random(seed)
    orders = []
    for _ in range(pairs):
        change_first = draw.random() < 0.5
        orders.append(
            (Condition.CHANGE, Condition.USUAL)
            if change_first
            else (Condition.USUAL, Condition.CHANGE)
        )
    return orders


def pauses_up_to(
    pauses: Iterable[tuple[date, date | None]], night: date
) -> tuple[tuple[date, date], ...]:
    """Pauses as (first, last) ranges as of `night`: one still on (no last night yet) covers
    the nights from its first up to `night`."""
    return tuple((first, last or max(first, night)) for first, last in pauses)


def is_paused(design: Design, night: date) -> bool:
    return any(first <= night <= last for first, last in design.paused)


def schedule(design: Design) -> list[Block]:
    """Every block of the experiment, with its nights."""
    conditions = [c for pair in pair_orders(design.seed, design.blocks // 2) for c in pair]
    blocks = []
    night = design.start
    for number, condition in enumerate(conditions, start=1):
        nights: list[date] = []
        while len(nights) < design.block_nights:
            if not is_paused(design, night):
                nights.append(night)
            night += timedelta(days=1)
        blocks.append(Block(number, condition, tuple(nights), design.washout_nights))
    return blocks


@dataclass(frozen=True)
class Place:
    """Where a night falls: its block, and which night of the block it is (from 1)."""

    block: Block
    night_number: int

    @property
    def in_washout(self) -> bool:
        return self.night_number <= self.block.washout_nights


def place_of(design: Design, night: date) -> Place | None:
    """The block `night` belongs to and its number in it; None before the start, after the
    last block, or on a paused night."""
    for block in schedule(design):
        if night in block.nights:
            return Place(block, block.nights.index(night) + 1)
    return None


def last_night(design: Design) -> date:
    return schedule(design)[-1].last_night


def extended(design: Design) -> Design:
    """The design with one more pair of blocks (its order drawn from the same seed)."""
    return Design(
        start=design.start,
        seed=design.seed,
        block_nights=design.block_nights,
        blocks=design.blocks + 2,
        washout_nights=design.washout_nights,
        paused=design.paused,
    )
