"""The doctor summary's experiments: each one with a night in the range, in the words of its
own page, on the summary page, the print view, the PDF and a shared link; none, no section."""

import random
import re
from datetime import date, time, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from journal import summary as doctor_summary
from journal.experiments.changes import ChangeKind
from journal.experiments.design import Condition, Design, last_night, schedule
from journal.learn.content import get_content
from journal.models import (
    CrampEpisode,
    CustomFactor,
    CustomFactorValue,
    DayFactors,
    Experiment,
    ExperimentAnswer,
    ExperimentPause,
    Night,
    ShareLink,
    User,
)
from journal.nights import local_moment
from tests.conftest import london
from tests.experiments.support import experiment_for
from tests.test_summary import pdf_text

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 20)  # the summary's last night is the 19th; "last month" from 20 Feb
START = date(2026, 1, 5)  # 4 blocks of 14 nights: the last night is 1 March


@pytest.fixture
def named(alice, freeze_now):
    freeze_now(london(TODAY, 9, 0))
    alice.first_name = "Alice Example"
    alice.save()
    return alice


def started(user: User, **fields) -> Experiment:
    return experiment_for(user, **({"start": START, "seed": 5} | fields))


def log(user: User, night: date, cramps: int) -> None:
    row = Night.objects.create(user=user, date=night)
    for number in range(cramps):
        moment = local_moment(night + timedelta(days=1), time(2, number), user.tzinfo)
        CrampEpisode.objects.create(night=row, started_at=moment, pain=6)


def planted(user: User, *, followed_from: int = 0) -> Experiment:
    """A finished stretching experiment with cramps on about 1 night in 20 with it and 17 in 20
    without, as tests/experiments/test_experiment_pages.py plants it; every night answered,
    and from night `followed_from` of each block with the change on, "did not" (a low
    adherence)."""
    experiment = started(user)
    draw = random.Random(3)
    for block in schedule(experiment.design(START)):
        with_change = block.condition == Condition.CHANGE
        for number, night in enumerate(block.nights):
            log(user, night, 1 if draw.random() < (0.05 if with_change else 0.85) else 0)
            did_it = with_change and not (followed_from and number >= followed_from)
            ExperimentAnswer.objects.create(experiment=experiment, night=night, did_it=did_it)
    return experiment


def cramp_nights_by_block(user: User, plan: Design) -> dict[Condition, tuple[int, int]]:
    """(nights with cramps, nights) after each block's washout, by the block's condition."""
    with_cramps = set(
        CrampEpisode.objects.for_user(user).values_list("night__date", flat=True).distinct()
    )
    counted: dict[Condition, tuple[int, int]] = {}
    for block in schedule(plan):
        cramps, nights = counted.get(block.condition, (0, 0))
        analysed = block.analysed
        counted[block.condition] = (
            cramps + sum(night in with_cramps for night in analysed),
            nights + len(analysed),
        )
    return counted


def counts_sentence(counted: dict[Condition, tuple[int, int]]) -> str:
    (change_cramps, change_nights), (usual_cramps, usual_nights) = (
        counted[Condition.CHANGE],
        counted[Condition.USUAL],
    )
    return (
        f"On stretching nights you had cramps on {change_cramps} of {change_nights} nights, "
        f"against {usual_cramps} of {usual_nights} on your usual nights."
    )


def words(text: str) -> str:
    return " ".join(text.replace("’", "'").split())


def text_of(response) -> str:
    """A page's text, or a PDF's."""
    if response["Content-Type"] == "application/pdf":
        return words(" ".join(pdf_text(response)))
    return words(re.sub(r"<[^>]+>", " ", response.content.decode()))


def section_of(text: str) -> str:
    """The experiments section: from its heading to the log's."""
    return text[text.index("Experiments Blocks of nights") : text.index("The log, week")]


def test_a_finished_experiment_with_a_clear_effect_is_on_the_page_print_view_and_pdf(
    alice_client, named
):
    experiment = planted(named)
    assert last_night(experiment.design(TODAY)) == date(2026, 3, 1)
    counted = cramp_nights_by_block(named, experiment.design(TODAY))
    assert counted[Condition.CHANGE][1] == counted[Condition.USUAL][1] == 22  # 2 × (14 - 3)
    evidence = get_content().item("tip-bedtime-stretch").evidence.label
    for name in ("summary", "summary_print", "summary_pdf"):
        text = section_of(text_of(alice_client.get(reverse(name))))
        assert f"Stretching before bed Evidence: {evidence}" in text
        assert (
            "Design: 4 blocks × 14 nights, washout 3 nights a block; "
            "5 Jan 2026 to 1 Mar 2026. Finished."
        ) in text
        assert "Did what the block asked on 44 of the 44 nights answered" in text
        assert f"Nights analysed: {counts_sentence(counted)}" in text
        assert re.search(r"Result: It is likely \(\d\d%\) that stretching before bed helps", text)
        assert "the data fit anything from a" in text
        assert "Intention to treat" not in text  # every answer followed: one analysis


def test_with_low_adherence_both_analyses_are_given(alice_client, named):
    # From the 8th night of each stretching block on, "did not": of the 11 nights analysed in
    # each block, 4 of each stretching block followed and all 11 of each usual one.
    experiment = planted(named, followed_from=7)
    text = section_of(text_of(alice_client.get(reverse("summary"))))
    assert "Did what the block asked on 30 of the 44 nights answered" in text
    assert "As treated (by what was done): On stretching nights" in text
    by_block = counts_sentence(cramp_nights_by_block(named, experiment.design(TODAY)))
    assert f"Intention to treat (by block): {by_block}" in text
    # As treated has too few stretching nights for a verdict: no interval by block either.
    assert "Not enough nights to tell" in text and "By block, the data fit" not in text


def test_an_unfinished_experiment_says_too_early_to_tell(alice_client, named):
    under_way = started(named, start=TODAY - timedelta(days=10))
    for back in range(1, 11):
        night = TODAY - timedelta(days=back)
        log(named, night, back % 2)
        ExperimentAnswer.objects.create(experiment=under_way, night=night, did_it=True)
    text = section_of(text_of(alice_client.get(reverse("summary"))))
    assert "10 Mar 2026 to 4 May 2026. Under way." in text
    assert "Result: Too early to tell:" in text
    for verdict in ("It is likely", "No clear difference", "more common with"):
        assert verdict not in text


def test_a_stopped_experiment_says_too_early_to_tell_however_clear_its_nights(alice_client, named):
    experiment = planted(named)
    experiment.stopped_on = date(2026, 2, 15)
    experiment.save()
    text = section_of(text_of(alice_client.get(reverse("summary"))))
    assert "5 Jan 2026 to 15 Feb 2026. Stopped early." in text
    assert "Result: Too early to tell:" in text and "It is likely" not in text


def test_pauses_and_unanswered_nights_are_counted_and_an_own_factor_has_no_evidence_label(
    alice_client, named
):
    tonic = CustomFactor.objects.create(user=named, name="tonic water")
    experiment = started(named, change=ChangeKind.CUSTOM, factor=tonic, block_nights=7, blocks=2)
    ExperimentPause.objects.create(
        experiment=experiment, first=START + timedelta(days=3), last=START + timedelta(days=4)
    )
    for night in schedule(experiment.design(TODAY))[0].analysed:
        log(named, night, 0)
        if night != START + timedelta(days=6):  # one night not answered
            day = DayFactors.objects.create(user=named, date=night)
            CustomFactorValue.objects.create(day=day, factor=tonic, yes=True)
    text = section_of(text_of(alice_client.get(reverse("summary"))))
    assert "Tonic water The patient's own factor" in text
    assert "5 Jan 2026 to 20 Jan 2026, 2 nights paused. Finished." in text  # 14 nights + 2
    assert "of the 3 nights answered" in text and "1 not answered, left out" in text
    assert "Evidence:" not in text


def test_no_experiment_no_section(alice_client, named):
    log(named, TODAY - timedelta(days=2), 1)
    for name in ("summary", "summary_print"):
        html = alice_client.get(reverse(name)).content.decode()
        assert 'id="experiments"' not in html and "Experiments</h2>" not in html
    assert "Experiments" not in text_of(alice_client.get(reverse("summary_pdf")))


def test_an_experiment_outside_the_range_is_left_out(alice_client, named):
    started(named, start=date(2025, 11, 3), block_nights=7, blocks=2)  # to 16 Nov 2025
    log(named, TODAY - timedelta(days=2), 1)
    assert 'id="experiments"' not in alice_client.get(reverse("summary")).content.decode()
    text = text_of(alice_client.get(reverse("summary"), {"months": 6}))
    assert "3 Nov 2025 to 16 Nov 2025. Finished." in section_of(text)


def test_an_experiment_is_in_a_range_holding_its_first_or_its_last_night(named):
    planted(named)  # 5 Jan to 1 Mar 2026
    now = london(TODAY, 9)
    for first, last in ((date(2026, 3, 1), TODAY), (date(2025, 12, 1), START)):
        (line,) = doctor_summary.experiment_lines(named, first, last, now)
        assert line.about.name == "Stretching before bed"
    assert not doctor_summary.experiment_lines(named, date(2026, 3, 2), TODAY, now)
    assert not doctor_summary.experiment_lines(
        named, date(2025, 12, 1), START - timedelta(days=1), now
    )


def test_another_users_experiment_never_appears(alice_client, named, bob):
    log(named, TODAY - timedelta(days=2), 1)
    bobs = started(bob, change=ChangeKind.WARM_BATH, start=TODAY - timedelta(days=20))
    for back in range(1, 21):
        log(bob, TODAY - timedelta(days=back), 1)
        ExperimentAnswer.objects.create(
            experiment=bobs, night=TODAY - timedelta(days=back), did_it=True
        )
    link = ShareLink.objects.create(
        user=named, start=date(2026, 1, 1), end=date(2026, 3, 19), expires_at=london(TODAY, 23)
    )
    doctor = Client()
    for response in (
        alice_client.get(reverse("summary")),
        alice_client.get(reverse("summary_print")),
        doctor.get(link.get_absolute_url()),
    ):
        assert 'id="experiments"' not in response.content.decode()
        assert "warm bath" not in response.content.decode().lower()
    shared_pdf = text_of(doctor.get(reverse("shared_summary_pdf", args=[link.token])))
    assert "Experiments" not in shared_pdf and "warm bath" not in shared_pdf.lower()
    # With one of her own, alice's link shows hers and only hers.
    planted(named)
    text = text_of(doctor.get(link.get_absolute_url()))
    assert "Stretching before bed" in section_of(text) and "warm bath" not in text.lower()
    bob_client = Client()
    bob_client.force_login(bob)
    bob_text = section_of(text_of(bob_client.get(reverse("summary"))))
    assert "A warm bath or shower before bed" in bob_text and "Stretching" not in bob_text
