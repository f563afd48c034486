"""A user's experiments, their pauses and the check-in's answers to "did you do it?".
Imported by journal/models.py, so they are the journal app's."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from journal.experiments import design
from journal.experiments.changes import Change, ChangeKind, change_for
from journal.experiments.design import Design
from journal.models import CustomFactor, Owned, OwnedQuerySet, User

SEED_LIMIT = 2**31  # seeds are drawn below this (they fit any database's integer)


class Experiment(Owned):
    """Alternating blocks of nights with a change and without it (journal/experiments/design.py
    draws them from the seed). Running until its last night has passed or it is stopped."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="experiments")
    change = models.CharField(max_length=16, choices=ChangeKind)
    # A yes/no factor of the user's own, for CUSTOM: its answers are the check-in's.
    factor = models.ForeignKey(
        CustomFactor, null=True, blank=True, on_delete=models.RESTRICT, related_name="experiments"
    )
    start = models.DateField("first night")
    seed = models.PositiveIntegerField()
    block_nights = models.PositiveSmallIntegerField(
        "nights in a block", choices=[(n, f"{n} nights") for n in design.BLOCK_NIGHTS]
    )
    blocks = models.PositiveSmallIntegerField(
        choices=[(n, f"{n} blocks") for n in range(2, design.MAX_BLOCKS + 1, 2)]
    )
    washout_nights = models.PositiveSmallIntegerField()
    # The night it was stopped on, when stopped before its end: nothing after it is analysed.
    stopped_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    owner_path = "user"
    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-start", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(change__in=ChangeKind.values), name="journal_experiment_change_valid"
            ),
            models.CheckConstraint(
                condition=Q(change=ChangeKind.CUSTOM, factor__isnull=False)
                | (~Q(change=ChangeKind.CUSTOM) & Q(factor__isnull=True)),
                name="journal_experiment_factor_only_for_custom",
            ),
            models.CheckConstraint(
                condition=Q(seed__lte=SEED_LIMIT - 1), name="journal_experiment_seed_in_range"
            ),
            models.CheckConstraint(
                condition=Q(block_nights__in=design.BLOCK_NIGHTS),
                name="journal_experiment_block_nights_valid",
            ),
            models.CheckConstraint(
                condition=Q(blocks__in=range(2, design.MAX_BLOCKS + 1, 2)),
                name="journal_experiment_blocks_valid",
            ),
            # The washout leaves most of each block to analyse (design.washout_fits).
            models.CheckConstraint(
                condition=models.lookups.LessThan(F("washout_nights") * 2, F("block_nights")),
                name="journal_experiment_washout_under_half",
            ),
            models.CheckConstraint(
                condition=Q(stopped_on__isnull=True) | Q(stopped_on__gte=F("start")),
                name="journal_experiment_stopped_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_change_display()} from {self.start:%Y-%m-%d}"

    def clean(self) -> None:
        """The database's rules between fields (the factor's is the caller's: it names one)."""
        errors = {}
        if self.seed is not None and self.seed >= SEED_LIMIT:
            errors["seed"] = f"Ensure this value is less than or equal to {SEED_LIMIT - 1}."
        if (
            self.washout_nights is not None
            and self.block_nights is not None
            and not design.washout_fits(self.washout_nights, self.block_nights)
        ):
            errors["washout_nights"] = (
                "The washout must be shorter than half a block, to leave most of each block "
                "to analyse."
            )
        if self.start and self.stopped_on and self.stopped_on < self.start:
            errors["stopped_on"] = "An experiment can’t be stopped before its first night."
        if errors:
            raise ValidationError(errors)

    @property
    def about(self) -> Change:
        return change_for(self.change, self.factor.name if self.factor else None)

    def design(self, coming_night: date) -> Design:
        """The schedule's design as of `coming_night`: a pause still on lasts up to it."""
        pauses = ((pause.first, pause.last) for pause in self.pauses.all())
        return self.planned(design.pauses_up_to(pauses, coming_night))

    def planned(self, paused: tuple[tuple[date, date], ...]) -> Design:
        """The design with these paused ranges (those of an experiment not saved yet, say)."""
        return Design(
            start=self.start,
            seed=self.seed,
            block_nights=self.block_nights,
            blocks=self.blocks,
            washout_nights=self.washout_nights,
            paused=paused,
        )

    def last_night(self, coming_night: date) -> date:
        """Its last night: the night it was stopped on, or the schedule's last."""
        return self.stopped_on or design.last_night(self.design(coming_night))

    def is_running(self, coming_night: date) -> bool:
        return self.stopped_on is None and coming_night <= self.last_night(coming_night)

    def open_pause(self) -> "ExperimentPause | None":
        return next((p for p in self.pauses.all() if p.last is None), None)


class ExperimentPause(Owned):
    """Nights the experiment is set aside on (illness, travel): in no block; later blocks move
    on. `last` is empty while the pause is on."""

    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="pauses")
    first = models.DateField()
    last = models.DateField(null=True, blank=True)

    owner_path = "experiment__user"
    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["first"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last__isnull=True) | Q(last__gte=F("first")),
                name="journal_experiment_pause_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["experiment"],
                condition=Q(last__isnull=True),
                name="journal_experiment_one_open_pause",
            ),
        ]

    def __str__(self) -> str:
        return f"Pause from {self.first:%Y-%m-%d}"

    def clean(self) -> None:
        if self.first and self.last and self.last < self.first:
            raise ValidationError({"last": "A pause can’t end before its first night."})

    @property
    def nights(self) -> int | None:
        return (self.last - self.first).days + 1 if self.last else None


class ExperimentAnswer(Owned):
    """The check-in's answer for one night: did the user do the change that evening or day?
    No row is "not answered", never "no"."""

    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="answers")
    night = models.DateField()
    did_it = models.BooleanField()

    owner_path = "experiment__user"
    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["night"]
        constraints = [
            models.UniqueConstraint(
                fields=["experiment", "night"], name="journal_experiment_answer_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.night:%Y-%m-%d}: {'yes' if self.did_it else 'no'}"
