"""Tips that fit the user's own data, and red flags worth a doctor's opinion.

`learn_panel(user, today)` reads the user's recent journal in a fixed number of queries (eight,
however long the history), then runs plain rules over what it read. `today` is the user's
current night, `user.night_of(timezone.now())`; the rules look at the WINDOW_NIGHTS (56) nights
that end with it, "the last 8 weeks". As everywhere in the journal, the day factors of date D
go with the night of D, and only logged nights count (a missing night is not a night without
cramps).

Tip rules, in priority order. At most MAX_TIPS (3) tips are shown, one per content item; each
says in its reason what in the user's data chose it.

1. `new_linked_medication`: a medicine of a class linked to cramps
   (journal.medication_classes) started in the last MEDICATION_RECENT_DAYS (182) days, still
   taken, with cramps logged since it started. Points to that class's item, and says to
   discuss it with the doctor (never to stop it).
2. `fluids_under_target`: at least MIN_CRAMP_NIGHTS_FLUIDS (4) nights with cramps whose day
   has fluids logged, MIN_CRAMP_NIGHTS (3) of them under the user's fluid target, and that share
   at least RATE_RATIO (1.5) times the share under target of the nights without cramps (or, with
   fewer than MIN_OTHER_NIGHTS (4) of those to compare with, most (MOSTLY, 60%) cramp nights
   under target). Never for a user with a fluid restriction.
3. `long_standing`: nights after LONG_STANDING_HOURS (8) or more hours on the feet had cramps
   clearly more often than other nights (see `clearly_more_often`).
4. `hard_exercise`: the same for days with vigorous exercise or HARD_EXERCISE_MINUTES (60) or
   more minutes of exercise.
5. `alcohol`: the same for days with any alcohol logged.
6. `tight_bedding`: a yes/no factor of the user's own about bedding (its name mentions sheets,
   blankets, bedding, duvet...) was yes on most (MOSTLY, 60%) of the nights with cramps where it
   was recorded, with at least MIN_YES_NIGHTS (3) such nights.
7. `pointed_feet`: the same for a factor about pointed toes or feet; or, from cramp notes, at
   least MIN_YES_NIGHTS cramps whose notes mention pointed toes or feet, making up most (60%)
   of the cramps with notes.
8. `no_bedtime_stretching`: cramps on at least MIN_CRAMP_NIGHTS_RECENT (3) of the last
   RECENT_NIGHTS (28) nights, and no stretching or yoga session logged on any of those days.

"Clearly more often" (rules 3–5): at least MIN_EXPOSED_NIGHTS (4) logged nights after such a
day, MIN_CRAMP_NIGHTS (3) of them with cramps, at least MIN_OTHER_NIGHTS (4) other logged
nights with the day's value recorded, and a cramp rate after such days at least RATE_RATIO
(1.5) times the rate after the others.

Red flags ("worth seeing a doctor"):

- `long_cramp`: a cramp over 10 minutes (CrampEpisode.lasted_over_ten_minutes) in the last
  RECENT_NIGHTS (28) nights.
- `rising_frequency`: cramp nights per logged week in the last 28 nights at least
  RISE_FACTOR (2) times those of the 28 nights before, with at least MIN_LOGGED_NIGHTS (10)
  logged nights in each period and at least MIN_CRAMP_NIGHTS_RISING (4) cramp nights in the
  recent one (a rise from none counts).
- `checklist`: a yes on the user's latest red-flag checklist, whatever its date.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from journal import medication_classes
from journal.analysis import loading
from journal.formatting import seconds_text
from journal.learn import checklist
from journal.learn.content import Item, get_content
from journal.models import (
    CrampEpisode,
    CustomFactor,
    FactorKind,
    Medication,
    RedFlagChecklist,
    User,
)
from journal.units import FluidUnit, ml_to_unit

WINDOW_NIGHTS = 56
RECENT_NIGHTS = 28
MAX_TIPS = 3

MEDICATION_RECENT_DAYS = 182
MIN_CRAMP_NIGHTS_FLUIDS = 4
MIN_EXPOSED_NIGHTS = 4
MIN_CRAMP_NIGHTS = 3
MIN_OTHER_NIGHTS = 4
RATE_RATIO = 1.5
LONG_STANDING_HOURS = Decimal(8)
HARD_EXERCISE_MINUTES = 60
MOSTLY = 0.6
MIN_YES_NIGHTS = 3
MIN_CRAMP_NIGHTS_RECENT = 3

RISE_FACTOR = 2
MIN_LOGGED_NIGHTS = 10
MIN_CRAMP_NIGHTS_RISING = 4

LINKED_CLASSES = [c.key for c in medication_classes.CATALOGUE if c.linked_to_cramps]
BEDDING_NAME = re.compile(
    r"\b(bed ?sheets?|sheets?|bedding|bedclothes|blankets?|duvets?|covers|quilts?|tucked)\b",
    re.IGNORECASE,
)
POINTED = re.compile(
    r"\bpoint(?:ed|ing)\b.*\b(?:toes?|feet|foot)\b|\b(?:toes?|feet|foot)\b.*\bpoint(?:ed|ing)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ChosenTip:
    """A content item chosen for the user, with the sentence saying why."""

    item: Item
    reason: str
    rule: str


@dataclass(frozen=True)
class RedFlag:
    """A reason, from the user's own data, that it is worth seeing a doctor."""

    item: Item  # the "when to see a doctor" item that explains it
    reason: str
    rule: str


@dataclass(frozen=True)
class LearnPanel:
    tips: list[ChosenTip]
    red_flags: list[RedFlag]


@dataclass(frozen=True)
class Finding:
    item_id: str
    reason: str


# --- The user's recent journal, read in a fixed number of queries -------------------------


@dataclass(frozen=True)
class YesNo:
    night: date
    factor: str
    yes: bool


@dataclass(frozen=True)
class RecentJournal:
    today: date
    fluid_target_ml: int
    fluid_unit: str
    fluid_restricted: bool
    nights: dict[date, int]  # every logged night of the window → its number of cramps
    days: dict[date, loading.DayRecord]
    episodes: list[CrampEpisode]
    yes_no: list[YesNo]
    new_medications: list[Medication]  # newest first
    checklist: RedFlagChecklist | None

    @property
    def window_start(self) -> date:
        return self.today - timedelta(days=WINDOW_NIGHTS - 1)

    @property
    def recent_start(self) -> date:
        return self.today - timedelta(days=RECENT_NIGHTS - 1)

    def cramp_nights(self, start: date, end: date | None = None) -> list[date]:
        end = end or self.today
        return sorted(d for d, cramps in self.nights.items() if cramps and start <= d <= end)

    def logged_nights(self, start: date, end: date) -> int:
        return sum(1 for d in self.nights if start <= d <= end)


def recent_journal(user: User, today: date) -> RecentJournal:
    """Everything the rules read, in eight queries whatever the length of the history."""
    start = today - timedelta(days=WINDOW_NIGHTS - 1)
    window = (start, today)
    nights = {night.date: night.cramps for night in loading.load_nights(user, start, today)}
    episodes = list(
        CrampEpisode.objects.for_user(user)
        .filter(night__date__range=window)
        .select_related("night")
        .only("started_at", "duration_seconds", "notes", "night__date")
        .order_by("started_at")
    )
    days = loading.load_days(user, start, today)
    yes_no_names = dict(
        CustomFactor.objects.for_user(user).filter(kind=FactorKind.YES_NO).values_list("pk", "name")
    )
    yes_no = [
        YesNo(day, yes_no_names[factor], value)
        for day, record in days.items()
        for factor, value in record.custom.items()
        if factor in yes_no_names
    ]
    new_medications = list(
        Medication.objects.for_user(user)
        .filter(
            drug_class__in=LINKED_CLASSES,
            started_on__range=(today - timedelta(days=MEDICATION_RECENT_DAYS), today),
        )
        .taken_on(today)
        .order_by("-started_on", "-pk")
    )
    return RecentJournal(
        today=today,
        fluid_target_ml=user.fluid_target_ml,
        fluid_unit=user.fluid_unit,
        fluid_restricted=user.fluid_restricted,
        nights=nights,
        days=days,
        episodes=episodes,
        yes_no=yes_no,
        new_medications=new_medications,
        checklist=RedFlagChecklist.objects.for_user(user).first(),
    )


# --- Choosing -----------------------------------------------------------------------------


def learn_panel(user: User, today: date) -> LearnPanel:
    """The tips and the red flags for `user`, from one reading of the journal."""
    journal = recent_journal(user, today)
    return LearnPanel(tips=choose_tips(journal), red_flags=find_red_flags(journal))


def tips_for(user: User, today: date) -> list[ChosenTip]:
    """At most MAX_TIPS tips for `user`, each with the reason it was chosen."""
    return choose_tips(recent_journal(user, today))


def red_flags_for(user: User, today: date) -> list[RedFlag]:
    return find_red_flags(recent_journal(user, today))


def choose_tips(journal: RecentJournal) -> list[ChosenTip]:
    content = get_content()
    chosen: list[ChosenTip] = []
    for rule in TIP_RULES:
        finding = rule(journal)
        if finding is None:
            continue
        item = content.item(finding.item_id)
        if journal.fluid_restricted and item.suggests_drinking_more:
            continue  # whatever a rule says, never suggest drinking more to these users
        if any(tip.item == item for tip in chosen):
            continue
        chosen.append(ChosenTip(item, finding.reason, rule.__name__))
        if len(chosen) == MAX_TIPS:
            break
    return chosen


def find_red_flags(journal: RecentJournal) -> list[RedFlag]:
    content = get_content()
    return [
        RedFlag(content.item(finding.item_id), finding.reason, rule.__name__)
        for rule in RED_FLAG_RULES
        if (finding := rule(journal)) is not None
    ]


# --- Tip rules ----------------------------------------------------------------------------


def new_linked_medication(journal: RecentJournal) -> Finding | None:
    for medication in journal.new_medications:
        since = max(medication.started_on, journal.window_start)
        cramp_nights = len(journal.cramp_nights(since))
        if not cramp_nights:
            continue
        items = get_content().items_for_drug_class(medication.drug_class)
        if not items:
            continue
        kind = re.sub(r"\s*\(.*\)", "", medication.catalogue_entry.label).lower()
        period = "since" if medication.started_on >= journal.window_start else "in the last 8 weeks"
        return Finding(
            items[0].id,
            f"You started {medication.name} ({kind}) on {_long_date(medication.started_on)} "
            f"and have logged cramps on {_nights(cramp_nights)} {period}. This type of medicine "
            "has been linked with cramps in some people: discuss it with your doctor, and "
            "don’t stop or change it on your own.",
        )
    return None


def fluids_under_target(journal: RecentJournal) -> Finding | None:
    if journal.fluid_restricted:
        return None
    target = journal.fluid_target_ml
    split = night_split(
        journal, lambda day: None if day.fluids_ml is None else day.fluids_ml < target
    )
    cramp_nights = split.exposed_cramp + split.other_cramp
    other_nights = split.exposed_calm + split.other_calm
    if cramp_nights < MIN_CRAMP_NIGHTS_FLUIDS or split.exposed_cramp < MIN_CRAMP_NIGHTS:
        return None
    share_cramp = split.exposed_cramp / cramp_nights
    if other_nights >= MIN_OTHER_NIGHTS:
        share_other = split.exposed_calm / other_nights
        if share_cramp <= share_other or share_cramp < RATE_RATIO * share_other:
            return None
    elif share_cramp < MOSTLY:
        return None
    against = (
        f", against {split.exposed_calm} of the {other_nights} nights without"
        if other_nights
        else ""
    )
    return Finding(
        "tip-fluids",
        f"You logged under your fluid target ({_volume(target, journal.fluid_unit)}) on "
        f"{split.exposed_cramp} of the {cramp_nights} nights with cramps in the last 8 weeks"
        f"{against}.",
    )


def long_standing(journal: RecentJournal) -> Finding | None:
    split = night_split(
        journal,
        lambda day: None if day.hours_on_feet is None else day.hours_on_feet >= LONG_STANDING_HOURS,
    )
    if not clearly_more_often(split):
        return None
    return Finding(
        "tip-pace-activity",
        f"You had cramps on {split.exposed_cramp} of the {split.exposed} nights after "
        f"{LONG_STANDING_HOURS} or more hours on your feet, against {split.other_cramp} of the "
        f"{split.other} other nights, in the last 8 weeks.",
    )


def hard_exercise(journal: RecentJournal) -> Finding | None:
    split = night_split(
        journal, lambda day: day.vigorous or day.exercise_minutes >= HARD_EXERCISE_MINUTES
    )
    if not clearly_more_often(split):
        return None
    return Finding(
        "tip-pace-activity",
        f"You had cramps on {split.exposed_cramp} of the {split.exposed} nights after vigorous "
        f"exercise or {HARD_EXERCISE_MINUTES} minutes or more of exercise, against "
        f"{split.other_cramp} of the {split.other} other nights, in the last 8 weeks.",
    )


def alcohol(journal: RecentJournal) -> Finding | None:
    split = night_split(
        journal, lambda day: None if day.alcohol_units is None else day.alcohol_units > 0
    )
    if not clearly_more_often(split):
        return None
    return Finding(
        "cause-alcohol",
        f"You had cramps on {split.exposed_cramp} of the {split.exposed} nights after drinking "
        f"alcohol, against {split.other_cramp} of the {split.other} nights after days without, "
        "in the last 8 weeks.",
    )


def tight_bedding(journal: RecentJournal) -> Finding | None:
    return _mostly_yes(journal, BEDDING_NAME, "tip-loose-bedding")


def pointed_feet(journal: RecentJournal) -> Finding | None:
    finding = _mostly_yes(journal, POINTED, "tip-sleep-position")
    if finding:
        return finding
    noted = [e for e in journal.episodes if e.notes.strip()]
    pointed = [e for e in noted if POINTED.search(e.notes)]
    if len(pointed) < MIN_YES_NIGHTS or len(pointed) < MOSTLY * len(noted):
        return None
    return Finding(
        "tip-sleep-position",
        f"Your notes mention pointed toes or feet for {len(pointed)} of the {len(noted)} cramps "
        "you wrote notes about in the last 8 weeks.",
    )


def no_bedtime_stretching(journal: RecentJournal) -> Finding | None:
    cramp_nights = journal.cramp_nights(journal.recent_start)
    if len(cramp_nights) < MIN_CRAMP_NIGHTS_RECENT:
        return None
    recent_days = (
        day for d, day in journal.days.items() if journal.recent_start <= d <= journal.today
    )
    if any(day.stretched for day in recent_days):
        return None
    return Finding(
        "tip-bedtime-stretch",
        f"You logged cramps on {_nights(len(cramp_nights))} in the last 4 weeks, and no "
        "stretching or yoga sessions.",
    )


TIP_RULES: tuple[Callable[[RecentJournal], Finding | None], ...] = (
    new_linked_medication,
    fluids_under_target,
    long_standing,
    hard_exercise,
    alcohol,
    tight_bedding,
    pointed_feet,
    no_bedtime_stretching,
)


# --- Red-flag rules -----------------------------------------------------------------------


def long_cramp(journal: RecentJournal) -> Finding | None:
    long_ones = [
        e
        for e in journal.episodes
        if e.night.date >= journal.recent_start and e.lasted_over_ten_minutes
    ]
    if not long_ones:
        return None
    longest = max(long_ones, key=lambda e: e.duration_seconds)
    when = f"the night of {_long_date(longest.night.date)}"
    minutes = seconds_text(longest.duration_seconds)
    if len(long_ones) == 1:
        reason = f"A cramp on {when} lasted {minutes}."
    else:
        reason = (
            f"{len(long_ones)} cramps in the last 4 weeks lasted more than 10 minutes; "
            f"the longest, on {when}, lasted {minutes}."
        )
    return Finding("doctor-long-cramp", reason)


def rising_frequency(journal: RecentJournal) -> Finding | None:
    recent_start, previous_end = journal.recent_start, journal.recent_start - timedelta(days=1)
    previous_start = journal.window_start
    recent_logged = journal.logged_nights(recent_start, journal.today)
    previous_logged = journal.logged_nights(previous_start, previous_end)
    if min(recent_logged, previous_logged) < MIN_LOGGED_NIGHTS:
        return None
    recent = len(journal.cramp_nights(recent_start))
    previous = len(journal.cramp_nights(previous_start, previous_end))
    recent_rate, previous_rate = 7 * recent / recent_logged, 7 * previous / previous_logged
    if recent < MIN_CRAMP_NIGHTS_RISING or recent_rate < RISE_FACTOR * previous_rate:
        return None
    return Finding(
        "doctor-frequent-or-severe",
        f"Your cramps are clearly more frequent: cramps on {recent} of the {recent_logged} "
        f"nights you logged in the last 4 weeks ({recent_rate:.1f} a week), against {previous} "
        f"of {previous_logged} in the 4 weeks before ({previous_rate:.1f} a week).",
    )


def checklist_answers(journal: RecentJournal) -> Finding | None:
    answers = journal.checklist
    if answers is None or not (yes := answers.yes_fields()):
        return None
    labels = "; ".join(checklist.SHORT_LABELS[name] for name in yes)
    return Finding(
        checklist.EXPLAINED_BY[yes[0]],
        f"On your red-flag checklist of {_long_date(answers.answered_on)} you answered yes to: "
        f"{labels}.",
    )


RED_FLAG_RULES: tuple[Callable[[RecentJournal], Finding | None], ...] = (
    long_cramp,
    rising_frequency,
    checklist_answers,
)


# --- Helpers ------------------------------------------------------------------------------


@dataclass(frozen=True)
class NightSplit:
    """Logged nights whose day has the factor recorded, by exposure and by cramps."""

    exposed_cramp: int = 0
    exposed_calm: int = 0
    other_cramp: int = 0
    other_calm: int = 0

    @property
    def exposed(self) -> int:
        return self.exposed_cramp + self.exposed_calm

    @property
    def other(self) -> int:
        return self.other_cramp + self.other_calm


def night_split(
    journal: RecentJournal, exposed: Callable[[loading.DayRecord], bool | None]
) -> NightSplit:
    """Split the logged nights by `exposed(day)` (None: not recorded, left out) and cramps."""
    counts = {(True, True): 0, (True, False): 0, (False, True): 0, (False, False): 0}
    for night, cramps in journal.nights.items():
        day = journal.days.get(night)
        if day is None or (is_exposed := exposed(day)) is None:
            continue
        counts[(bool(is_exposed), cramps > 0)] += 1
    return NightSplit(
        counts[(True, True)], counts[(True, False)], counts[(False, True)], counts[(False, False)]
    )


def clearly_more_often(split: NightSplit) -> bool:
    """Cramps clearly more often after exposed days than after the others (see the docstring)."""
    if split.exposed < MIN_EXPOSED_NIGHTS or split.exposed_cramp < MIN_CRAMP_NIGHTS:
        return False
    if split.other < MIN_OTHER_NIGHTS:
        return False
    exposed_rate = split.exposed_cramp / split.exposed
    other_rate = split.other_cramp / split.other
    return exposed_rate > other_rate and exposed_rate >= RATE_RATIO * other_rate


def _mostly_yes(journal: RecentJournal, name: re.Pattern, item_id: str) -> Finding | None:
    """A yes/no factor named like `name` was yes on most of the cramp nights it was recorded."""
    by_factor: dict[str, list[bool]] = {}
    for value in journal.yes_no:
        if name.search(value.factor) and journal.nights.get(value.night):
            by_factor.setdefault(value.factor, []).append(value.yes)
    for factor, answers in sorted(by_factor.items()):
        yes = sum(answers)
        if yes >= MIN_YES_NIGHTS and yes >= MOSTLY * len(answers):
            return Finding(
                item_id,
                f"“{factor}” was yes on {yes} of the {len(answers)} nights with cramps where "
                "you recorded it, in the last 8 weeks.",
            )
    return None


def _nights(count: int) -> str:
    return "1 night" if count == 1 else f"{count} nights"


def _long_date(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def _volume(ml: int, unit: str) -> str:
    amount = ml_to_unit(ml, unit)
    if unit == FluidUnit.US_FL_OZ:
        return f"{amount:g} fl oz"
    return f"{amount:,} ml"
