"""Experiments: what one can try, starting one from a tip in two taps, following it, and its
result. Every change goes through journal/experiments/running.py."""

from datetime import date, datetime

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from journal.experiments import analysis, design, results, running, wording
from journal.experiments.changes import CHANGES, Change, ChangeKind, custom_change, offered_changes
from journal.experiments.models import Experiment
from journal.forms.experiments import StartForm
from journal.learn.content import get_content
from journal.models import CustomFactor, FactorKind
from journal.views.types import AuthedRequest


def experiments(request: AuthedRequest) -> HttpResponse:
    user, now = request.user, timezone.now()
    current = running.running_experiment(user, now)
    past = [
        (experiment, results.result(experiment, now))
        for experiment in Experiment.objects.for_user(user)
        .select_related("factor")
        .prefetch_related("pauses")
        if experiment != current
    ]
    content = get_content()
    context = {
        "current": current and _status(current, now),
        "changes": [
            (change, content.item(change.tip_id))
            for change in offered_changes(fluid_restricted=user.fluid_restricted)
        ],
        "own_factors": CustomFactor.objects.for_user(user).filter(
            kind=FactorKind.YES_NO, archived=False
        ),
        "past": [(e, r, wording.verdict_in_words(r, e.about.name)) for e, r in past],
    }
    return render(request, "experiments/index.html", context)


def experiment_new(
    request: AuthedRequest, change: str, factor_pk: int | None = None
) -> HttpResponse:
    """The plan with its dates and, on POST, the start: a tip's "Try it" and then "Start"."""
    user, now = request.user, timezone.now()
    kind, factor, about = _change_or_404(request, change, factor_pk)
    coming = running.coming_night(user, now)
    form = StartForm(request.POST or None, change=about, coming_night=coming)
    current = running.running_experiment(user, now)
    if request.method == "POST" and form.is_valid() and current is None:
        try:
            experiment = running.start_experiment(
                user,
                kind,
                now,
                factor=factor,
                start=form.cleaned_data["start"],
                block_nights=form.cleaned_data["block_nights"],
                blocks=form.cleaned_data["blocks"],
            )
        except running.ExperimentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Started: {about.name.lower()}. Tonight’s plan is below.")
            return redirect("experiment_detail", pk=experiment.pk)
    plan = design.Design(
        start=_chosen_start(form, coming),
        seed=0,
        block_nights=_chosen(form, "block_nights", design.DEFAULT_BLOCK_NIGHTS),
        blocks=_chosen(form, "blocks", design.DEFAULT_BLOCKS),
    )
    context = {
        "about": about,
        "item": get_content().item(about.tip_id) if about.tip_id else None,
        "form": form,
        "current": current,
        "blocks": design.schedule(plan),
        "plan": plan,
        "plan_last": design.last_night(plan),
    }
    return render(request, "experiments/new.html", context)


def experiment_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    experiment = _experiment_or_404(request, pk)
    return render(request, "experiments/detail.html", _status(experiment, timezone.now()))


@require_POST
def experiment_action(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    experiment = _experiment_or_404(request, pk)
    now = timezone.now()
    if not experiment.is_running(running.coming_night(request.user, now)):
        messages.error(request, "This experiment has ended: it can no longer be changed.")
        return redirect("experiment_detail", pk=pk)
    if action == "pause":
        running.pause(experiment, now)
        messages.success(request, "Paused from tonight. The blocks after it move on.")
    elif action == "resume":
        running.resume(experiment, now)
        messages.success(request, "Resumed from tonight.")
    elif action == "extend":
        try:
            running.extend(experiment, now)
        except running.ExperimentError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Extended by a pair of blocks.")
    elif action == "stop":
        if not running.stop(experiment, now):
            messages.success(request, "Cancelled before its first night.")
            return redirect("experiments")
        messages.success(request, "Stopped. What it has so far is below.")
    else:
        raise Http404
    return redirect("experiment_detail", pk=pk)


def _status(experiment: Experiment, now: datetime) -> dict:
    coming = running.coming_night(experiment.user, now)
    result = results.result(experiment, now)
    about = experiment.about
    content = get_content()
    return {
        "experiment": experiment,
        "about": about,
        "item": content.item(about.tip_id) if about.tip_id else None,
        "blocks": design.schedule(experiment.design(coming)),
        "place": results.place_of_coming_night(experiment, now),
        "running": experiment.is_running(coming),
        "paused": experiment.open_pause() is not None,
        "can_extend": running.can_extend(experiment, now),
        "result": result,
        "counts": wording.counts(result.as_treated, about.on_nights),
        "itt_counts": wording.counts(result.intention_to_treat, about.on_nights),
        "verdict": wording.verdict_in_words(result, about.name),
        "itt_interval": result.judged
        and result.intention_to_treat.effect
        and wording.interval_in_words(result.intention_to_treat.effect),
        "before_windows": analysis.BEFORE_WINDOWS,
        "prior_df": analysis.DISPERSION_PRIOR_DF,
        "prior_scale": analysis.DISPERSION_PRIOR_SCALE,
        "draws": f"{analysis.POSTERIOR_DRAWS:,}",
    }


def _experiment_or_404(request: AuthedRequest, pk: int) -> Experiment:
    return get_object_or_404(
        Experiment.objects.for_user(request.user)
        .select_related("factor", "user")
        .prefetch_related("pauses"),
        pk=pk,
    )


def _change_or_404(
    request: AuthedRequest, change: str, factor_pk: int | None
) -> tuple[ChangeKind, CustomFactor | None, Change]:
    if factor_pk is not None:
        factor = get_object_or_404(
            CustomFactor.objects.for_user(request.user).filter(
                kind=FactorKind.YES_NO, archived=False
            ),
            pk=factor_pk,
        )
        return ChangeKind.CUSTOM, factor, custom_change(factor.name)
    offered = {
        c.kind.value: c for c in offered_changes(fluid_restricted=request.user.fluid_restricted)
    }
    if change not in offered:
        raise Http404
    return ChangeKind(change), None, CHANGES[ChangeKind(change)]


def _chosen(form: StartForm, name: str, default: int) -> int:
    """What the form holds for `name` when it is valid there, else the default (for the plan)."""
    value = form[name].value()
    try:
        number = int(value) if value is not None else default
    except (TypeError, ValueError):
        return default
    choices = {int(choice) for choice, _ in form.fields[name].choices}  # type: ignore[attr-defined]
    return number if number in choices else default


def _chosen_start(form: StartForm, coming: date) -> date:
    value = form["start"].value()
    for choice, _ in form.fields["start"].choices:  # type: ignore[attr-defined]
        if value == choice:
            return date.fromisoformat(choice)
    return coming
