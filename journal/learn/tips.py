"""Tips that fit the user's own data, and red flags worth a doctor's opinion.

`learn_panel(user, today)` reads the user's recent journal in a fixed number of queries (nine,
however long the history), then runs plain rules over what it read. `today` is the user's
current night, `user.night_of(timezone.now())`; most rules look at the WINDOW_NIGHTS (56)
nights that end with it, "the last 8 weeks". As everywhere in the journal, the day factors of
date D go with the night of D, and only logged nights count (a missing night is not a night
without cramps).

Tip rules, in priority order. At most MAX_TIPS (3) tips are shown, one per content item; each
says in its reason what in the user's data chose it.

1. `new_linked_medication`: a medicine of a class linked to cramps
   (journal.medication_classes) started in the last MEDICATION_RECENT_DAYS (182) days, still
   taken, with cramps logged since it started. Points to that class's item, and says to
   discuss it with the doctor (never to stop it).
2. `fluids_under_target`: the factor page, over its "last 3 months" range, claims that cramp
   nights were more common after days under the fluid target. Never for a user with a fluid
   restriction (the factor page has no such comparison for them).
3. `long_standing`: the same for 8 hours or more on the feet.
4. `hard_exercise`: the same for vigorous exercise, or else for more exercise than usual.
5. `alcohol`: the same for any alcohol.
6. `tight_bedding`: a yes/no factor of the user's own about bedding (its name mentions sheets,
   blankets, bedding, duvet...) was yes on most (MOSTLY, 60%) of the nights with cramps where it
   was recorded, with at least MIN_YES_NIGHTS (3) such nights.
7. `pointed_feet`: the same for a factor about pointed toes or feet; or, from cramp notes, at
   least MIN_YES_NIGHTS cramps whose notes mention pointed toes or feet, making up most (60%)
   of the cramps with notes.
8. `no_bedtime_stretching`: cramps on at least MIN_CRAMP_NIGHTS_RECENT (3) of the last
   RECENT_NIGHTS (28) nights, exercise recorded on at least one of those days, and no
   stretching or yoga session on any of them.

Rules 2–5 say only what the factor page says. They take its decision
(journal.analysis.factors.factor_findings) over the same nights and factors: the same
minimum of nights in each group, the same allowance for the page's many comparisons (Holm's
method), and their reason quotes the page's numbers and names the page. The nights are those
of the page's "last 3 months" (FACTOR_PAGE_RANGE), from `factor_page_start`.

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

from django.utils import timezone

from journal import medication_classes
from journal.analysis import factors, loading, periods
from journal.experiments.running import running_experiment
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

WINDOW_NIGHTS = 56
RECENT_NIGHTS = 28
MAX_TIPS = 3

FACTOR_PAGE_RANGE = "3m"  # the factor page's range whose decision rules 2–5 repeat
FACTOR_PAGE_MONTHS = 3

MEDICATION_RECENT_DAYS = 182
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
    factor_range: str | None = None  # the factor page's range the reason quotes, if any


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
    factor_range: str | None = None


# --- The user's recent journal, read in a fixed number of queries -------------------------


@dataclass(frozen=True)
class YesNo:
    night: date
    factor: str
    yes: bool


@dataclass(frozen=True)
class RecentJournal:
    today: date
    fluid_restricted: bool
    nights: dict[date, int]  # every logged night of the window and the page's range → cramps
    days: dict[date, loading.DayRecord]  # and the days before, for "usual"
    episodes: list[CrampEpisode]  # of the window
    yes_no: list[YesNo]  # of the window
    new_medications: list[Medication]  # newest first
    checklist: RedFlagChecklist | None
    findings: dict[str, factors.FactorResult]  # the factor page's, last 3 months, by key
    # The Learn tip of the change an experiment under way is testing: never shown as a tip
    # meanwhile, since on the nights without it the plan is not to follow it.
    under_test: str = ""

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


def factor_page_start(today: date) -> date:
    """The first night of the factor page's "last 3 months" ending with `today`.

    The page also starts a range no earlier than the first logged night, which changes no
    result: no night is logged before it, and "usual" reads the days before each night
    whatever the range.
    """
    start, _end = periods.range_ending(today, FACTOR_PAGE_MONTHS)
    return start


def recent_journal(user: User, today: date) -> RecentJournal:
    """Everything the rules read, in nine queries whatever the length of the history (ten
    with an experiment under way: its pauses)."""
    window_start = today - timedelta(days=WINDOW_NIGHTS - 1)
    page_start = factor_page_start(today)
    start = min(page_start, window_start)
    nights = loading.load_nights(user, start, today)
    episodes = list(
        CrampEpisode.objects.for_user(user)
        .filter(night__date__range=(window_start, today))
        .select_related("night")
        .only("started_at", "duration_seconds", "notes", "night__date")
        .order_by("started_at")
    )
    days = loading.load_days(user, factors.history_start(start), today)
    custom_factors = list(CustomFactor.objects.for_user(user))
    medications = list(Medication.objects.for_user(user))
    yes_no_names = {c.pk: c.name for c in custom_factors if c.kind == FactorKind.YES_NO}
    yes_no = [
        YesNo(day, yes_no_names[factor], value)
        for day, record in days.items()
        if window_start <= day <= today
        for factor, value in record.custom.items()
        # Always a bool: a factor's kind is fixed once it has values.
        if factor in yes_no_names and isinstance(value, bool)
    ]
    findings = factors.factor_findings(
        [night for night in nights if night.date >= page_start],
        days,
        factors.factors_for(user, custom_factors, medications),
    )
    experiment = running_experiment(user, timezone.now())
    return RecentJournal(
        under_test=experiment.about.tip_id if experiment else "",
        today=today,
        fluid_restricted=user.fluid_restricted,
        nights={night.date: night.cramps for night in nights},
        days=days,
        episodes=episodes,
        yes_no=yes_no,
        new_medications=_new_linked_medications(medications, today),
        checklist=RedFlagChecklist.objects.for_user(user).first(),
        findings={result.factor.key: result for result in findings},
    )


def _new_linked_medications(medications: list[Medication], today: date) -> list[Medication]:
    """Medicines of a class linked to cramps, started recently and still taken, newest first."""
    since = today - timedelta(days=MEDICATION_RECENT_DAYS)
    recent = [
        m
        for m in medications
        if m.drug_class in LINKED_CLASSES and since <= m.started_on <= today and m.taken_on(today)
    ]
    return sorted(recent, key=lambda m: (m.started_on, m.pk), reverse=True)


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
        if any(tip.item == item for tip in chosen) or item.id == journal.under_test:
            continue
        chosen.append(ChosenTip(item, finding.reason, rule.__name__, finding.factor_range))
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
            f"and have logged cramps on {_count(cramp_nights, 'night')} {period}. This type of "
            "medicine has been linked with cramps in some people: discuss it with your doctor, and "
            "don’t stop or change it on your own.",
        )
    return None


def fluids_under_target(journal: RecentJournal) -> Finding | None:
    if journal.fluid_restricted:
        return None
    return _factor_tip(journal, "tip-fluids", "fluids_under_target")


def long_standing(journal: RecentJournal) -> Finding | None:
    return _factor_tip(journal, "tip-pace-activity", "on_feet")


def hard_exercise(journal: RecentJournal) -> Finding | None:
    return _factor_tip(journal, "tip-pace-activity", "vigorous_exercise") or _factor_tip(
        journal, "tip-pace-activity", "exercise"
    )


def alcohol(journal: RecentJournal) -> Finding | None:
    return _factor_tip(journal, "cause-alcohol", "alcohol")


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
    stretched = [
        day.stretched
        for d, day in journal.days.items()
        if journal.recent_start <= d <= journal.today and day.stretched is not None
    ]
    if not stretched or any(stretched):
        return None  # exercise not recorded is not "no stretching"
    return Finding(
        "tip-bedtime-stretch",
        f"You logged cramps on {_count(len(cramp_nights), 'night')} in the last 4 weeks, and "
        f"no stretching or yoga on any of the {_count(len(stretched), 'day')} you recorded "
        "exercise.",
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
    # Each lasted over ten minutes, so each has a length: the `or 0` never counts.
    longest = max(long_ones, key=lambda e: e.duration_seconds or 0)
    assert longest.duration_seconds is not None
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


def _factor_tip(journal: RecentJournal, item_id: str, factor_key: str) -> Finding | None:
    """A tip when the factor page claims more cramp nights with the factor, in its numbers."""
    result = journal.findings.get(factor_key)
    if result is None or not result.claimed or not result.more_common_with_it:
        return None
    return Finding(
        item_id,
        f"On the factor page for the last 3 months, “{result.factor.label}” stands out: "
        f"cramps on {result.with_text} nights with it, against {result.without_text} "
        f"without. That is unlikely to be chance, even allowing for the page’s "
        f"{_count(result.comparisons, 'comparison')}.",
        factor_range=FACTOR_PAGE_RANGE,
    )


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


def _count(count: int, noun: str) -> str:
    return f"1 {noun}" if count == 1 else f"{count} {noun}s"


def _long_date(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"
