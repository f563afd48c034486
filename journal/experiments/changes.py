"""What a user can try in an experiment: a few of Learn's tips, and any yes/no factor of their
own. Never a prescribed medicine: starting, stopping or changing one is for their doctor, and
the app does not set it up. A supplement comes with a "discuss it with your doctor first" step.
"""

from dataclasses import dataclass

from django.db import models


class ChangeKind(models.TextChoices):
    STRETCHING = "stretching", "Stretching before bed"
    WARM_BATH = "warm_bath", "A warm bath or shower before bed"
    LOOSE_BEDDING = "loose_bedding", "Loose bedclothes"
    FEET_NOT_POINTED = "feet_not_pointed", "Feet not pointed"
    FLUIDS = "fluids", "Drinking more in the day"
    MAGNESIUM = "magnesium", "A magnesium supplement"
    CUSTOM = "custom", "A factor of your own"


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    tip_id: str  # the Learn item it comes from: its text and its evidence label
    on_nights: str  # what the app calls nights with the change
    do: str  # what a night with the change asks
    usual: str  # what a night without it asks
    question: str  # the check-in's question about the night's evening or day
    needs_doctor: bool = False  # a supplement: discuss it with a doctor before starting
    drinks_more: bool = False  # never offered to users who limit fluids on medical advice
    own_name: str = ""  # the name of a factor of the user's own

    @property
    def name(self) -> str:
        return self.own_name or self.kind.label


CHANGES = {
    change.kind: change
    for change in (
        Change(
            ChangeKind.STRETCHING,
            "tip-bedtime-stretch",
            on_nights="Stretching nights",
            do="Stretch your calves and hamstrings for a few minutes before bed.",
            usual="Go to bed without stretching.",
            question="Did you stretch your calves and hamstrings before bed?",
        ),
        Change(
            ChangeKind.WARM_BATH,
            "tip-warm-bath",
            on_nights="Warm bath nights",
            do="Have a warm bath or shower before bed.",
            usual="No warm bath or shower in the hour before bed.",
            question="Did you have a warm bath or shower before bed?",
        ),
        Change(
            ChangeKind.LOOSE_BEDDING,
            "tip-loose-bedding",
            on_nights="Loose bedding nights",
            do="Keep the sheets and blankets loose over your feet, and wear loose nightclothes.",
            usual="Make the bed and dress for it as you usually do.",
            question="Were your bedclothes loose over your feet?",
        ),
        Change(
            ChangeKind.FEET_NOT_POINTED,
            "tip-sleep-position",
            on_nights="Feet-up nights",
            do="Lie so that your toes are not pointed down; a pillow at your feet can help.",
            usual="Sleep the way you usually do.",
            question="Did you keep your feet from pointing (a pillow, or how you lay)?",
        ),
        Change(
            ChangeKind.FLUIDS,
            "tip-fluids",
            on_nights="More-to-drink days",
            do="Drink a few more glasses of water than usual through the day.",
            usual="Drink as much as you usually do.",
            question="Did you drink more than usual during the day?",
            drinks_more=True,
        ),
        Change(
            ChangeKind.MAGNESIUM,
            "tip-magnesium",
            on_nights="Magnesium nights",
            do="Take the magnesium supplement as agreed with your doctor or pharmacist.",
            usual="No extra magnesium supplement. Magnesium you take on medical advice stays "
            "as your doctor advised.",
            question="Did you take the magnesium supplement?",
            needs_doctor=True,
        ),
    )
}


def offered_changes(*, fluid_restricted: bool) -> list[Change]:
    """The tips a user may try: not the drinking one for those who limit fluids."""
    return [c for c in CHANGES.values() if not (fluid_restricted and c.drinks_more)]


def custom_change(factor_name: str) -> Change:
    """A yes/no factor of the user's own, such as "tonic water": the check-in's own question."""
    named = factor_name[:1].upper() + factor_name[1:]
    return Change(
        ChangeKind.CUSTOM,
        tip_id="",
        on_nights=f"{named} days",
        do=f"{named}: yes, that day.",
        usual=f"{named}: no, that day.",
        question=f"{named}?",
        own_name=factor_name,
    )


def change_for(kind: str, factor_name: str | None) -> Change:
    """The change an experiment tries: a built-in one, or the user's own factor by its name."""
    if kind == ChangeKind.CUSTOM:
        assert factor_name is not None
        return custom_change(factor_name)
    return CHANGES[ChangeKind(kind)]
