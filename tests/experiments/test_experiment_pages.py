"""Experiments in the app: started from a tip in two taps, followed on the home page and in
the check-in, paused, extended and stopped, and their result; refusals; another user's 404."""

import random
from datetime import date, time, timedelta

import pytest
from django.urls import reverse

from journal.experiments.changes import ChangeKind
from journal.experiments.design import Condition, last_night, schedule
from journal.experiments.models import Experiment, ExperimentAnswer, ExperimentPause
from journal.models import CrampEpisode, CustomFactor, CustomFactorValue, DayFactors, Night
from journal.nights import local_moment
from tests.conftest import html_of, london
from tests.experiments.support import experiment_for
from tests.html_forms import form_as_served

pytestmark = pytest.mark.django_db

TODAY = date(2027, 3, 1)  # a Monday; alice is in London


@pytest.fixture
def signed_in(client, alice, freeze_now):
    freeze_now(london(TODAY, 9, 0))
    client.force_login(alice)
    return client


def started(alice, **fields) -> Experiment:
    return experiment_for(alice, **({"start": TODAY} | fields))


def test_from_the_tip_in_two_taps_an_experiment_starts_tonight(signed_in, alice):
    learn = html_of(signed_in.get(reverse("learn_section", args=["prevention"])))
    try_it = reverse("experiment_new", args=["stretching"])
    assert f'href="{try_it}"' in learn  # tap one
    page = html_of(signed_in.get(try_it))
    assert "4 blocks of 14 nights, from Mon 1 Mar to Sun 25 Apr 2027" in page
    data = form_as_served(page, "start-form", press=("action", "start"))
    response = signed_in.post(try_it, data)  # tap two
    experiment = Experiment.objects.get(user=alice)
    assert response.url == reverse("experiment_detail", args=[experiment.pk])
    assert (experiment.start, experiment.blocks, experiment.block_nights) == (TODAY, 4, 14)
    assert experiment.washout_nights == 3


def test_the_order_drawn_is_shown_with_its_dates(signed_in, alice):
    experiment = started(alice, seed=1)
    page = html_of(signed_in.get(reverse("experiment_detail", args=[experiment.pk])))
    for block in schedule(experiment.design(TODAY)):
        kind = "Stretching nights" if block.condition == Condition.CHANGE else "Usual nights"
        assert f"{block.first_night:%a %-d %b} – {block.last_night:%a %-d %b}" in page
        assert f'<th scope="row">{block.number}</th>\n          <td>{kind}</td>' in page


def test_seven_night_blocks_and_more_of_them_can_be_chosen(signed_in, alice):
    signed_in.post(
        reverse("experiment_new", args=["warm_bath"]),
        {"start": "2027-03-02", "block_nights": "7", "blocks": "8", "action": "start"},
    )
    experiment = Experiment.objects.get(user=alice)
    assert (experiment.start, experiment.block_nights, experiment.blocks) == (
        date(2027, 3, 2),
        7,
        8,
    )


def test_a_supplement_needs_the_doctor_step_first(signed_in, alice):
    url = reverse("experiment_new", args=["magnesium"])
    page = html_of(signed_in.get(url))
    assert "discuss it with your doctor or pharmacist first" in page
    assert "Studied: probably does not help" in page
    response = signed_in.post(url, {"start": "2027-03-01", "block_nights": "14", "blocks": "4"})
    assert "Discuss it with your doctor or pharmacist first, then tick the box." in html_of(
        response
    )
    assert not Experiment.objects.exists()
    signed_in.post(
        url, {"start": "2027-03-01", "block_nights": "14", "blocks": "4", "discussed": "on"}
    )
    assert Experiment.objects.get(user=alice).change == ChangeKind.MAGNESIUM


def test_users_who_limit_fluids_are_never_offered_the_fluid_experiment(signed_in, alice):
    assert reverse("experiment_new", args=["fluids"]) in html_of(signed_in.get("/experiments/"))
    alice.fluid_restricted = True
    alice.save()
    assert "fluids" not in html_of(signed_in.get("/experiments/")).split("What you can try")[1]
    url = reverse("experiment_new", args=["fluids"])
    assert signed_in.get(url).status_code == 404
    assert (
        signed_in.post(
            url, {"start": "2027-03-01", "block_nights": "14", "blocks": "4"}
        ).status_code
        == 404
    )
    assert not Experiment.objects.exists()


def test_medicines_are_not_something_to_experiment_with(signed_in):
    page = html_of(signed_in.get("/experiments/"))
    assert "starting, stopping or changing one is for you and your doctor" in page
    assert signed_in.get(reverse("experiment_new", args=["quinine"])).status_code == 404


def test_one_experiment_at_a_time(signed_in, alice):
    started(alice)
    response = signed_in.post(
        reverse("experiment_new", args=["warm_bath"]),
        {"start": "2027-03-01", "block_nights": "14", "blocks": "4"},
    )
    assert "You already have an experiment under way" in html_of(response)
    assert Experiment.objects.count() == 1


def test_a_bad_design_is_refused_with_its_message_and_what_was_chosen_kept(signed_in):
    response = signed_in.post(
        reverse("experiment_new", args=["stretching"]),
        {"start": "2027-03-02", "block_nights": "10", "blocks": "6"},
    )
    page = html_of(response)
    assert "error-summary" in page and "Select a valid choice" in page
    kept = form_as_served(page, "start-form", press=("action", "start"))
    assert kept["start"] == ["2027-03-02"] and kept["blocks"] == ["6"]
    assert not Experiment.objects.exists()


def test_the_home_page_says_which_kind_of_night_the_coming_one_is(signed_in, alice):
    experiment = started(alice, seed=1)  # seed 1: the change first
    assert schedule(experiment.design(TODAY))[0].condition == Condition.CHANGE
    page = html_of(signed_in.get("/"))
    assert "Stretching nights: 1 of 14." in page
    assert "not analysed" in page


def test_the_check_in_asks_and_saves_the_answer(signed_in, alice):
    experiment = started(alice, start=TODAY - timedelta(days=5))
    night = TODAY - timedelta(days=1)
    url = reverse("checkin_for", args=[night])
    page = html_of(signed_in.get(url))
    assert "Did you stretch your calves and hamstrings before bed?" in page
    data = form_as_served(page, "checkin-form", press=("action", "save"))
    assert signed_in.post(url, data).status_code == 302
    assert not ExperimentAnswer.objects.exists()  # untouched: not answered, never "no"
    data = form_as_served(html_of(signed_in.get(url)), "checkin-form", press=("action", "save"))
    assert signed_in.post(url, data | {"experiment-did_it": "yes"}).status_code == 302
    answer = ExperimentAnswer.objects.get()
    assert (answer.experiment, answer.night, answer.did_it) == (experiment, night, True)
    served = form_as_served(html_of(signed_in.get(url)), "checkin-form", press=("action", "save"))
    assert served["experiment-did_it"] == ["yes"]
    signed_in.post(url, served | {"experiment-did_it": ""})
    assert not ExperimentAnswer.objects.exists()  # emptied: back to not answered


def test_the_check_in_of_a_night_outside_the_blocks_does_not_ask(signed_in, alice):
    started(alice, start=TODAY)
    page = html_of(signed_in.get(reverse("checkin_for", args=[TODAY - timedelta(days=1)])))
    assert "Your experiment" not in page


def test_a_factor_of_ones_own_is_answered_by_its_own_question(signed_in, alice):
    tonic = CustomFactor.objects.create(user=alice, name="tonic water")
    url = reverse("experiment_new_own", args=[tonic.pk])
    signed_in.post(url, {"start": "2027-03-01", "block_nights": "14", "blocks": "4"})
    experiment = Experiment.objects.get(user=alice)
    assert experiment.factor == tonic
    page = html_of(signed_in.get(reverse("checkin_for", args=[TODAY])))
    assert "Your experiment" not in page  # the factor's own field asks it
    day = DayFactors.objects.create(user=alice, date=TODAY)
    CustomFactorValue.objects.create(day=day, factor=tonic, yes=False)
    from journal.experiments.results import answer_for

    assert answer_for(experiment, TODAY) is False


def test_pause_resume_extend_and_stop(signed_in, alice, freeze_now):
    experiment = started(alice)
    act = lambda action: signed_in.post(  # noqa: E731
        reverse("experiment_action", args=[experiment.pk, action])
    )
    act("pause")
    assert ExperimentPause.objects.get().first == TODAY
    assert "Paused." in html_of(signed_in.get("/"))
    freeze_now(london(TODAY + timedelta(days=4), 9, 0))
    act("resume")
    pause = ExperimentPause.objects.get()
    assert (pause.first, pause.last) == (TODAY, TODAY + timedelta(days=3))
    experiment.refresh_from_db()
    assert last_night(experiment.design(TODAY)) == date(2027, 4, 25) + timedelta(days=4)
    act("extend")
    experiment.refresh_from_db()
    assert experiment.blocks == 6
    act("stop")
    experiment.refresh_from_db()
    assert experiment.stopped_on == TODAY + timedelta(days=3)
    page = html_of(signed_in.get(reverse("experiment_detail", args=[experiment.pk])))
    assert "Too early to tell" in page
    assert act("pause").status_code == 302 and ExperimentPause.objects.count() == 1


def test_stopped_before_its_first_night_it_is_gone(signed_in, alice):
    experiment = started(alice, start=TODAY + timedelta(days=1))
    signed_in.post(reverse("experiment_action", args=[experiment.pk, "stop"]))
    assert not Experiment.objects.exists()


def test_a_paused_night_is_not_asked_about(signed_in, alice):
    experiment = started(alice, start=TODAY - timedelta(days=10))
    ExperimentPause.objects.create(experiment=experiment, first=TODAY - timedelta(days=2))
    page = html_of(signed_in.get(reverse("checkin_for", args=[TODAY - timedelta(days=1)])))
    assert "Your experiment" not in page


def _log(alice, night: date, cramps: int) -> None:
    row = Night.objects.create(user=alice, date=night)
    for number in range(cramps):
        moment = local_moment(night + timedelta(days=1), time(2, number), alice.tzinfo)
        CrampEpisode.objects.create(night=row, started_at=moment, pain=6)


def test_a_finished_experiment_with_a_clear_effect_says_so_in_plain_words(
    client, alice, freeze_now
):
    start = date(2027, 1, 4)
    experiment = started(alice, start=start, seed=5)
    draw = random.Random(3)
    for block in schedule(experiment.design(start)):
        with_change = block.condition == Condition.CHANGE
        for night in block.nights:
            _log(alice, night, 1 if draw.random() < (0.05 if with_change else 0.85) else 0)
            ExperimentAnswer.objects.create(experiment=experiment, night=night, did_it=with_change)
    freeze_now(
        london(last_night(experiment.design(start)) + timedelta(days=1), 12, 30)
    )  # noon: the last night is over
    client.force_login(alice)
    page = html_of(client.get(reverse("experiment_detail", args=[experiment.pk])))
    assert "It is likely (" in page and "that stretching before bed helps you" in page
    assert "On stretching nights you had cramps on" in page
    assert "the data fit anything from a" in page


def test_another_users_experiment_is_not_found(client, alice, bob, freeze_now):
    experiment = started(alice)
    freeze_now(london(TODAY, 9, 0))
    client.force_login(bob)
    assert client.get(reverse("experiment_detail", args=[experiment.pk])).status_code == 404
    for action in ("pause", "resume", "extend", "stop"):
        response = client.post(reverse("experiment_action", args=[experiment.pk, action]))
        assert response.status_code == 404
    tonic = CustomFactor.objects.create(user=alice, name="tonic water")
    assert client.get(reverse("experiment_new_own", args=[tonic.pk])).status_code == 404
    experiment.refresh_from_db()
    assert experiment.stopped_on is None and experiment.blocks == 4


def test_the_database_refuses_a_design_out_of_range(alice):
    from django.db import IntegrityError, transaction

    for bad in ({"block_nights": 10}, {"blocks": 3}, {"washout_nights": 7}, {"blocks": 10}):
        with pytest.raises(IntegrityError), transaction.atomic():
            started(alice, **bad)


def test_with_low_adherence_intention_to_treat_is_shown_but_no_interval_before_the_end(
    signed_in, alice
):
    experiment = started(alice, start=TODAY - timedelta(days=20))
    for back in range(1, 21):
        night = TODAY - timedelta(days=back)
        _log(alice, night, back % 2)
        ExperimentAnswer.objects.create(experiment=experiment, night=night, did_it=back % 3 == 0)
    page = html_of(signed_in.get(reverse("experiment_detail", args=[experiment.pk])))
    assert "(intention to treat)" in page and "Too early to tell" in page
    assert "the data fit anything" not in page


def test_the_last_night_counts_once_it_is_over_by_the_night_rule(client, alice, freeze_now):
    experiment = started(alice, start=date(2027, 1, 4), block_nights=7, blocks=2, washout_nights=2)
    last = last_night(experiment.design(date(2027, 1, 4)))
    freeze_now(london(last + timedelta(days=1), 11, 59))  # the night of `last` runs to noon
    client.force_login(alice)
    url = reverse("experiment_detail", args=[experiment.pk])
    assert "Too early to tell" in html_of(client.get(url))
    freeze_now(london(last + timedelta(days=1), 12, 0))
    assert "Not enough nights to tell" in html_of(client.get(url))


def test_while_it_runs_the_tip_under_test_is_not_offered(alice, freeze_now, monkeypatch):
    from journal.learn import tips

    def says_stretch(journal):
        return tips.Finding("tip-bedtime-stretch", "A reason.")

    monkeypatch.setattr(tips, "TIP_RULES", (says_stretch,))
    freeze_now(london(TODAY, 9, 0))
    assert [tip.item.id for tip in tips.tips_for(alice, TODAY)] == ["tip-bedtime-stretch"]
    started(alice)
    assert tips.tips_for(alice, TODAY) == []


def test_turning_on_limit_fluids_stops_a_drinking_more_experiment(signed_in, alice):
    experiment = started(alice, change=ChangeKind.FLUIDS, start=TODAY - timedelta(days=3))
    page = html_of(signed_in.get(reverse("account")))
    data = form_as_served(page, "settings-form", press=("action", "save"))
    response = signed_in.post(reverse("account"), data | {"fluid_restricted": "on"}, follow=True)
    assert "the drinking-more experiment has stopped" in html_of(response)
    experiment.refresh_from_db()
    assert experiment.stopped_on == TODAY - timedelta(days=1)


def test_blocks_can_be_added_only_before_the_last_pair_begins(signed_in, alice, freeze_now):
    experiment = started(alice, start=TODAY - timedelta(days=28))  # block 3 begins tonight
    url = reverse("experiment_action", args=[experiment.pk, "extend"])
    page = html_of(signed_in.get(reverse("experiment_detail", args=[experiment.pk])))
    assert "Add a pair of blocks" not in page
    signed_in.post(url)
    experiment.refresh_from_db()
    assert experiment.blocks == 4
    freeze_now(london(TODAY - timedelta(days=1), 9, 0))  # the night before: block 2's last
    signed_in.post(url)
    experiment.refresh_from_db()
    assert experiment.blocks == 6


def test_a_factor_tried_in_an_experiment_keeps_what_the_experiment_needs(signed_in, alice):
    tonic = CustomFactor.objects.create(user=alice, name="tonic water")
    started(alice, change=ChangeKind.CUSTOM, factor=tonic)
    response = signed_in.post(reverse("factor_archive", args=[tonic.pk]), follow=True)
    assert "is being tried in your experiment" in html_of(response)
    response = signed_in.post(reverse("factor_delete", args=[tonic.pk]), follow=True)
    assert "was tried in an experiment, which keeps it" in html_of(response)
    response = signed_in.post(
        reverse("factor_edit", args=[tonic.pk]), {"name": "tonic water", "kind": "number"}
    )
    assert "is tried in an experiment as a yes/no factor" in html_of(response)
    tonic.refresh_from_db()
    assert (tonic.archived, tonic.kind) == (False, "yes_no")
