"""A differential walk: bob's pages are the same whether or not alice has a journal.

tests/test_access_control.py checks that another user's *objects* are a 404 and that a marker
in their text never shows. That cannot see a leak through an aggregate: a count, a median, a
chart bar, a tip chosen from someone else's medicines. So here bob, who has a journal of his
own, gets every page and download of the project (from the resolver, filled with his own
objects, with the query strings that change what is shown) rendered twice: with alice's
overlapping journal in the database, then after alice and everything of hers is deleted. The
two renderings must be the same, once what changes on every request anyway (CSRF tokens, CSP
nonces, random ids) is normalised. PDFs are compared by their text, zips file by file.

`test_the_walk_catches_a_leak` shows that it would notice: with the summary's medication list
looking up every user's medicines, the summary pages and PDFs differ.
"""

import difflib
import io
import itertools
import json
import re
import zipfile
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import NamedTuple

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

import journal.summary
from journal.experiments.changes import CHANGES
from journal.experiments.models import ExperimentAnswer, ExperimentPause
from journal.learn.content import get_content
from journal.models import (
    RED_FLAG_QUESTIONS,
    CrampEpisode,
    CustomFactor,
    CustomFactorValue,
    DayFactors,
    DoseTaken,
    ExerciseSession,
    Medication,
    Night,
    RedFlagChecklist,
    Reminder,
    ShareAccess,
    ShareLink,
    User,
)
from journal.nights import local_moment
from journal.reminders.models import ReminderKind
from journal.summary import DEFAULT_MONTHS, RANGE_MONTHS
from journal.views.patterns import RANGES
from tests.experiments.support import experiment_for
from tests.reminders.support import push_device
from tests.test_access_control import project_urls
from tests.test_data_exports import PASSWORDS, journal_rows

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 15, 13, 0, tzinfo=UTC)  # 09:00 in New York (bob), 14:00 in London
LAST_NIGHT = date(2026, 6, 14)  # bob's current night at NOW
RECENT = 56  # the nights the tips look at
OLDER_MONTHS = 10

# Downloads that ask for the password again: posted, with bob's password.
POSTED = {"data_export_csv", "data_export_json", "data_export_fhir"}
# Views that only take a POST, to change something: the walk's GET is refused (405). A new
# POST-only view must be added here, or to POSTED if it is a download.
ACTIONS = {
    "cramp_now",
    "cramp_undo",
    "cramp_timer_stop",
    "share_create",
    "share_revoke",
    "account_theme",
    "dose_add",
    "factor_add",
    "factor_archive",
    "reminder_save",
    "reminder_pause",
    "push_subscribe",
    "push_remove",
    "experiment_action",
}
# Named URLs the walk leaves out, and why.
NOT_WALKED = {
    "logout": "it would end bob's session half-way through the walk",
    "password_reset_confirm": "its parameters are signed for one user; public, no journal data",
}


def at(user: User, day: date, hour: int, minute: int = 0) -> datetime:
    """`hour:minute` on `day` as `user`'s wall-clock time; hours before noon are the morning
    after the night of `day` (the default night boundary)."""
    if hour < 12:
        day += timedelta(days=1)
    return local_moment(day, time(hour, minute), user.tzinfo)


def answers(**yes: str) -> dict[str, str]:
    return {name: yes.get(name, "no") for name in RED_FLAG_QUESTIONS}


def bobs_journal(bob: User) -> dict:
    """Eight weeks of every other night, a night a month before that, and of each kind of
    record some: a statin started recently (a tip), doses, a checklist, a share link."""
    sheets = CustomFactor.objects.create(user=bob, name="Tight bedsheets")
    driving = CustomFactor.objects.create(
        user=bob, name="Hours driving", kind="number", unit="hours"
    )
    statin = Medication.objects.create(
        user=bob,
        name="Atorvastatin",
        dose=Decimal(20),
        dose_unit="mg",
        drug_class="statin",
        started_on=LAST_NIGHT - timedelta(days=40),
    )
    paracetamol = Medication.objects.create(
        user=bob,
        name="Paracetamol",
        dose=Decimal(500),
        dose_unit="mg",
        kind="as_needed",
        started_on=LAST_NIGHT - timedelta(days=400),
    )
    Medication.objects.create(
        user=bob,
        name="Magnesium glycinate",
        kind="supplement",
        drug_class="supplement",
        started_on=LAST_NIGHT - timedelta(days=200),
        stopped_on=LAST_NIGHT - timedelta(days=120),
    )
    dates = [LAST_NIGHT - timedelta(days=offset) for offset in range(0, RECENT, 2)]
    dates += [LAST_NIGHT - timedelta(days=RECENT + 5 + 30 * k) for k in range(OLDER_MONTHS)]
    dose = episode = None
    for number, day in enumerate(dates):
        night = Night.objects.create(user=bob, date=day, notes=f"Bob's night {number}")
        if number % 5:
            night.into_bed, night.tried_to_sleep = at(bob, day, 22, 30), at(bob, day, 22, 45)
            night.final_awakening, night.out_of_bed = at(bob, day, 6, 30), at(bob, day, 6, 45)
            night.sleep_latency_min, night.awakenings, night.awake_after_onset_min = 15, 1, 10
            night.quality = 3 + number % 2
            night.save()
        cramps = number % 3 == 0
        if cramps:
            episode = CrampEpisode.objects.create(
                night=night,
                started_at=at(bob, day, 2, 30),
                duration_seconds=60 + 10 * number,
                muscle="calf",
                side="left",
                pain=4 + number % 4,
                minutes_back_to_sleep=15,
                relieved_by_stretching=True,
            )
            dose = DoseTaken.objects.create(medication=paracetamol, taken_at=at(bob, day, 2, 50))
        if number % 6 == 0:
            CrampEpisode.objects.create(
                night=night, started_at=at(bob, day, 4, 10), muscle="foot", side="right", pain=3
            )
        if number % 2 == 0:  # half of bob's nights have their day logged
            factors = DayFactors.objects.create(
                user=bob,
                date=day,
                fluids_ml=1500 if cramps else 2300,
                alcohol_units=Decimal(0),
                caffeinated_drinks=2,
                hours_on_feet=Decimal(9 if cramps else 5),
                hours_sitting=Decimal(6),
            )
            ExerciseSession.objects.create(day=factors, kind="walking", minutes=30)
            CustomFactorValue.objects.create(day=factors, factor=sheets, yes=cramps)
            CustomFactorValue.objects.create(day=factors, factor=driving, number=Decimal(number))
    RedFlagChecklist.objects.create(
        user=bob, answered_on=LAST_NIGHT - timedelta(days=20), **answers()
    )
    link = ShareLink.objects.create(
        user=bob,
        start=LAST_NIGHT - timedelta(days=90),
        end=LAST_NIGHT,
        expires_at=NOW + timedelta(days=30),
    )
    ShareAccess.objects.create(link=link, what="page", user_agent="Bob's doctor")
    reminder = Reminder.objects.create(user=bob, kind="evening", at=time(21, 0), enabled=True)
    device = push_device(bob, "Bob's phone", "https://fcm.googleapis.com/fcm/send/bob")
    experiment = experiment_for(
        bob, start=LAST_NIGHT - timedelta(days=20), seed=7, block_nights=7, washout_nights=2
    )
    for back in range(0, 20, 2):
        ExperimentAnswer.objects.create(
            experiment=experiment, night=LAST_NIGHT - timedelta(days=back), did_it=back % 4 == 0
        )
    ExperimentPause.objects.create(
        experiment=experiment,
        first=LAST_NIGHT - timedelta(days=9),
        last=LAST_NIGHT - timedelta(days=8),
    )
    return {
        "experiment_detail": experiment,
        "experiment_action": experiment,
        "reminder": reminder,
        "push_remove": device,
        "episode_edit": episode,
        "episode_delete": episode,
        "cramp_undo": episode,
        "cramp_timer_stop": episode,
        "medication_edit": statin,
        "medication_stop": statin,
        "medication_delete": statin,
        "dose_add": paracetamol,
        "dose_delete": dose,
        "factor_edit": sheets,
        "factor_archive": sheets,
        "factor_delete": sheets,
        "share_revoke": link,
        "token": link.token,
    }


def alices_journal(alice: User) -> None:
    """On many of bob's dates and others, more often: more cramps at other hours, other
    medicines (one of a class linked to cramps started after bob's statin), days with yoga and
    alcohol, a yes on the checklist, a share link, reminders and a device of her own."""
    bananas = CustomFactor.objects.create(user=alice, name="Bananas")
    Medication.objects.create(
        user=alice,
        name="Amlodipine",
        dose=Decimal(5),
        dose_unit="mg",
        drug_class="calcium_channel_blocker",
        started_on=LAST_NIGHT - timedelta(days=20),
    )
    inhaler = Medication.objects.create(
        user=alice,
        name="Salbutamol",
        kind="as_needed",
        drug_class="short_acting_beta_agonist",
        started_on=LAST_NIGHT - timedelta(days=300),
    )
    Medication.objects.create(
        user=alice,
        name="Furosemide",
        drug_class="loop_diuretic",
        started_on=LAST_NIGHT - timedelta(days=150),
        stopped_on=LAST_NIGHT - timedelta(days=70),
    )
    # Every night of the last four weeks, so that her sleep times would outnumber bob's in
    # anything taken over recent nights (the check-in's usual times are a median), then
    # every third night.
    offsets = [*range(0, 28), *range(28, RECENT, 3)]
    dates = [LAST_NIGHT - timedelta(days=offset) for offset in offsets]
    dates += [LAST_NIGHT - timedelta(days=RECENT + 20 + 30 * k) for k in range(OLDER_MONTHS + 2)]
    for number, day in enumerate(dates):
        night = Night.objects.create(
            user=alice,
            date=day,
            into_bed=at(alice, day, 21, 0),
            tried_to_sleep=at(alice, day, 21, 30),
            final_awakening=at(alice, day, 5, 0),
            out_of_bed=at(alice, day, 8, 0),
            sleep_latency_min=40,
            awakenings=4,
            awake_after_onset_min=60,
            quality=1,
            notes=f"Alice's night {number}",
        )
        for hour, minutes in ((23, 30), (3, 40), (5, 15)):
            CrampEpisode.objects.create(
                night=night,
                started_at=at(alice, day, hour, minutes),
                duration_seconds=700,
                muscle="thigh_back",
                side="both",
                pain=9,
                woke_me=True,
                relieved_by_heat=True,
            )
        DoseTaken.objects.create(medication=inhaler, taken_at=at(alice, day, 3, 0))
        factors = DayFactors.objects.create(
            user=alice,
            date=day,
            fluids_ml=900,
            alcohol_units=Decimal(4),
            caffeinated_drinks=6,
            hours_on_feet=Decimal(2),
            hours_sitting=Decimal(12),
        )
        ExerciseSession.objects.create(day=factors, kind="yoga", minutes=90, intensity="vigorous")
        CustomFactorValue.objects.create(day=factors, factor=bananas, yes=True)
    RedFlagChecklist.objects.create(
        user=alice, answered_on=LAST_NIGHT - timedelta(days=5), **answers(numbness="yes")
    )
    ShareLink.objects.create(
        user=alice,
        start=LAST_NIGHT - timedelta(days=30),
        end=LAST_NIGHT,
        expires_at=NOW + timedelta(days=7),
    )
    for kind, clock in (("evening", time(22, 15)), ("morning", time(6, 40))):
        Reminder.objects.create(user=alice, kind=kind, at=clock, enabled=True, by_push=True)
    push_device(alice, "Alice's tablet", "https://fcm.googleapis.com/fcm/send/alice")
    experiment = experiment_for(
        alice, change="warm_bath", start=LAST_NIGHT - timedelta(days=30), seed=3
    )
    for back in range(30):
        ExperimentAnswer.objects.create(
            experiment=experiment, night=LAST_NIGHT - timedelta(days=back), did_it=back % 3 == 0
        )


# --- The walk -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Visit:
    name: str
    url: str
    posted: dict | None = None  # the form sent, for the downloads that are posted

    @property
    def label(self) -> str:
        return f"{'POST' if self.posted is not None else 'GET'} {self.url}"


def dated_records() -> dict[date, tuple]:
    """Every date with a night or a day of anyone's (and last night), and who logged what."""
    logged: dict[date, set] = {LAST_NIGHT: set()}
    for model in (Night, DayFactors):
        for day, user in model.objects.values_list("date", "user__email"):
            logged.setdefault(day, set()).add((model.__name__, user))
    return {day: tuple(sorted(logged[day])) for day in sorted(logged)}


def one_date_of_each_kind(records: dict[date, tuple]) -> list[date]:
    """The newest date of each combination of who logged a night or a day, and last night."""
    newest: dict[tuple, date] = {}
    for day, who in records.items():
        newest[who] = max(day, newest.get(who, day))
    return sorted(set(newest.values()) | {LAST_NIGHT})


def visits(bob: User, bobs: dict) -> list[Visit]:
    """Every named URL from the resolver, filled with bob's objects, with its variants."""
    records = dated_records()
    dates = list(records)
    months = sorted({(day.year, day.month) for day in dates})
    values = {
        "pk": lambda name: [bobs[name].pk],
        # The day page for every date; the forms for logging on one date of each kind.
        "date": lambda name: dates if name == "day_detail" else one_date_of_each_kind(records),
        "section": lambda name: [section.slug for section in get_content().sections],
        "token": lambda name: [
            bobs["reminder"].unsubscribe_token if name == "reminder_off" else bobs["token"]
        ],
        "kind": lambda name: ReminderKind.values,
        "change": lambda name: [change.kind.value for change in CHANGES.values()],
        "factor_pk": lambda name: [bobs["factor_edit"].pk],
        "action": lambda name: ["pause"],  # a POST-only view: the GET is refused
    }
    query_strings = {
        "trends": [f"?range={key}" for key in RANGES],
        "factor_analysis": [f"?range={key}" for key in RANGES],
        "summary": [f"?months={months}" for months in RANGE_MONTHS],
        "summary_print": [f"?months={months}" for months in RANGE_MONTHS],
        # The print view's document through WeasyPrint, half a second a PDF: one range here
        # (bob's shared link gives another), every range of the print view above.
        "summary_pdf": [f"?months={DEFAULT_MONTHS}"],
        # Fourteen dates a page, back to the first date anyone logged.
        "day_list": [f"?page={page}" for page in range(1, (LAST_NIGHT - dates[0]).days // 14 + 2)],
    }
    found = []
    for route, name in project_urls():
        if name in NOT_WALKED:
            continue
        parameters = {p: c for c, p in re.findall(r"<(?:(\w+):)?(\w+)>", route)}
        if "pk" in parameters:
            assert name in bobs, f"say which of bob's objects {name!r} should be walked with"
        choices = []
        if {"year", "month"} <= parameters.keys():  # a month page for each month with data
            choices.append([{"year": year, "month": month} for year, month in months])
            del parameters["year"], parameters["month"]
        for parameter, converter in parameters.items():
            fill = values.get(converter) or values.get(parameter)
            if fill is None:
                pytest.fail(f"{name!r}: say how to fill <{parameter}>, or why it is not walked")
            choices.append([{parameter: value} for value in fill(name)])
        posted = {"password": PASSWORDS[bob.email]} if name in POSTED else None
        for combination in itertools.product(*choices):
            url = reverse(name, kwargs={k: v for part in combination for k, v in part.items()})
            for query in query_strings.get(name, [""]):
                found.append(Visit(name, url + query, posted))
    return found


UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
VOLATILE = [
    (re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+'), r"\1CSRF"),
    (re.compile(r'("x-csrftoken": ")[^"]+'), r"\1CSRF"),
    (re.compile(r'("csrf_token": ")[^"]+'), r"\1CSRF"),
    (re.compile(r'(nonce=")[^"]+'), r"\1NONCE"),
]


def normalised(text: str) -> str:
    """`text` without what changes on every request: tokens, nonces and random UUIDs (each
    UUID is numbered by its first appearance, so references between them still compare)."""
    for pattern, replacement in VOLATILE:
        text = pattern.sub(replacement, text)
    numbers: dict[str, int] = {}
    return UUID.sub(lambda m: f"uuid-{numbers.setdefault(m.group(), len(numbers) + 1)}", text)


class Body(NamedTuple):
    kind: str  # "head" (status and headers), "html", "pdf", "csv", "txt", "json", "fhir"...
    text: str


def bodies(response) -> dict[str, Body]:
    """What to compare of one response, by part: its head, then its body as text (a PDF's
    text, a zip's files one by one, JSON indented)."""
    kind = response.get("Content-Type", "").split(";")[0].strip()
    head = [f"{header}: {response[header]}" for header in HEADERS if header in response]
    parts = {"head": Body("head", "\n".join([str(response.status_code), *head]))}
    content = response.content
    if kind == "application/pdf":
        pages = PdfReader(io.BytesIO(content)).pages
        text = "\n".join(f"--- page {n} ---\n{page.extract_text()}" for n, page in enumerate(pages))
        parts["pdf"] = Body("pdf", text)
    elif kind == "application/zip":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            for name in archive.namelist():
                text = archive.read(name).decode("utf-8-sig")
                parts[name] = Body(name.rsplit(".", 1)[-1], text)
    elif kind in {"application/json", "application/fhir+json"}:
        text = json.dumps(json.loads(content), indent=1, ensure_ascii=False)
        parts["json"] = Body("fhir" if "fhir" in kind else "json", normalised(text))
    else:
        parts["body"] = Body("html" if kind == "text/html" else kind, normalised(content.decode()))
    return parts


HEADERS = ("Content-Type", "Content-Disposition", "Location")
Rendering = dict[tuple[str, str], Body]  # (visit label, part) → body


def render_walk(client: Client, walk: list[Visit]) -> Rendering:
    """Every visit's bodies. Rolled back afterwards, so that what a visit records (opening a
    shared link is recorded) is not there for the next walk to see."""
    rendered = {}
    with transaction.atomic():
        for visit in walk:
            if visit.posted is None:
                response = client.get(visit.url)
            else:
                response = client.post(visit.url, visit.posted)
            for part, body in bodies(response).items():
                rendered[visit.label, part] = body
        transaction.set_rollback(True)
    return rendered


def differences(before: Rendering, after: Rendering, lines: int = 16) -> dict[tuple, str]:
    """The start of a unified diff for each part that is not the same in both renderings."""
    found = {}
    for key in sorted(before.keys() | after.keys()):
        old, new = (rendering.get(key, Body("", "(missing)")).text for rendering in (before, after))
        if old != new:
            diff = difflib.unified_diff(
                old.splitlines(), new.splitlines(), "with alice", "without alice", lineterm="", n=1
            )
            found[key] = "\n".join(list(diff)[:lines])
    return found


def report(found: dict[tuple, str], shown: int = 30) -> str:
    return f"{len(found)} parts differ with alice's journal and without:\n" + "\n\n".join(
        f"== {label} ({part})\n{diff}" for (label, part), diff in list(found.items())[:shown]
    )


def differential(
    client: Client, walk: list[Visit], bob: User, alice: User
) -> tuple[dict[tuple, str], Rendering]:
    """Bob's walk with alice's journal, then without: (what differs, the first rendering)."""
    bob_rows = journal_rows(bob)
    with_alice = render_walk(client, walk)
    User.objects.filter(pk=alice.pk).delete()
    assert not any(journal_rows(alice).values())
    assert journal_rows(bob) == bob_rows
    without_alice = render_walk(client, walk)
    return differences(with_alice, without_alice), with_alice


@pytest.fixture
def journals(alice, bob, freeze_now):
    freeze_now(NOW)
    bobs = bobs_journal(bob)
    alices_journal(alice)
    client = Client()
    client.force_login(bob)
    return client, bobs


def test_bobs_pages_are_the_same_with_and_without_alices_journal(journals, alice, bob):
    client, bobs = journals
    walk = visits(bob, bobs)
    found, rendered = differential(client, walk, bob, alice)
    assert not found, report(found)

    # Every page was shown, except that a GET is refused by views that only take a POST
    # (and signup sends bob home); and what was shown is bob's journal.
    status = {visit.label: rendered[visit.label, "head"].text.split("\n")[0] for visit in walk}
    refused = {visit.name for visit in walk if status[visit.label] == "405"}
    assert refused == ACTIONS, "a new POST-only view? Say whether it is an action or a download"
    assert {label for label, code in status.items() if code != "200"} == {
        visit.label for visit in walk if visit.name in ACTIONS
    } | {"GET /signup/"}
    assert "You started Atorvastatin" in rendered["GET /", "body"].text  # a tip, from his statin
    assert "Magnesium glycinate" in rendered["GET /summary/?months=12", "body"].text
    assert "Atorvastatin" in rendered[f"GET /summary/pdf/?months={DEFAULT_MONTHS}", "pdf"].text
    assert "Atorvastatin" in rendered[f"GET /shared/{bobs['token']}/pdf/", "pdf"].text
    assert "Paracetamol" in rendered["POST /data/export/fhir/", "json"].text
    counts = Counter(
        body.kind
        for (label, part), body in rendered.items()
        if part != "head" and status[label] == "200"
    )
    # CSV: the twelve files of the CSV export. JSON: the journal export, and the token the phone
    # fetches before sending (/cramps/sync/).
    assert (counts["csv"], counts["json"], counts["fhir"]) == (12, 2, 1), counts
    print(f"compared with and without alice's journal: {dict(counts)}")


LEAKED_INTO = {"summary", "summary_print", "summary_pdf", "shared_summary", "shared_summary_pdf"}
CONTROLS = {"home", "medications", "factor_analysis"}  # show medicines otherwise


def test_the_walk_catches_a_leak(journals, alice, bob, monkeypatch):
    """The summary's medication list looked up without `for_user`, so with everyone's
    medicines: the same comparison, over the summaries and some other pages that show
    medicines, finds alice's medicines in every summary page and PDF, and nowhere else."""
    client, bobs = journals
    leaky = SimpleNamespace(objects=SimpleNamespace(for_user=lambda user: Medication.objects))
    monkeypatch.setattr(journal.summary, "Medication", leaky)
    walk = [visit for visit in visits(bob, bobs) if visit.name in LEAKED_INTO | CONTROLS]
    found, rendered = differential(client, walk, bob, alice)
    summaries = {visit.label for visit in walk if visit.name in LEAKED_INTO}
    assert {label for label, _part in found} == summaries, report(found)
    assert {label for (label, _part), body in rendered.items() if "Amlodipine" in body.text} == (
        summaries
    )
