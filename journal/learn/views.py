"""The Learn pages (public) and the red-flag checklist (signed in)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from journal.experiments.changes import offered_changes
from journal.learn import checklist
from journal.learn.content import Content, Item, get_content
from journal.learn.forms import RedFlagChecklistForm
from journal.learn.tips import learn_panel
from journal.models import RED_FLAG_QUESTIONS, ChecklistAnswer, RedFlagChecklist
from journal.views.types import AuthedRequest

# Loaded when the URLconf is imported, so that a malformed content file stops the app at
# start-up with a message naming the item, rather than on the first visit to a Learn page.
get_content()

EARLIER_CHECKLISTS_SHOWN = 10


def _learn_context(content: Content, **extra) -> dict:
    return {"sections": content.sections, "current_page": "learn", **extra}


def _hides_drink_more(request: HttpRequest) -> bool:
    return bool(getattr(request.user, "fluid_restricted", False))


@login_not_required
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    content = get_content()
    context = _learn_context(
        content,
        section_list=[(s, len(content.by_section[s.slug])) for s in content.sections],
        tip_labels=[e for e in content.evidence.values() if e.for_tips],
        background_labels=[e for e in content.evidence.values() if not e.for_tips],
    )
    if request.user.is_authenticated:
        panel = learn_panel(request.user, request.user.night_of(timezone.now()))
        context |= {"tips": panel.tips, "red_flags": panel.red_flags}
    return render(request, "learn/index.html", context)


@login_not_required
@require_safe
def section(request: HttpRequest, section: str) -> HttpResponse:
    content = get_content()
    current = content.section(section)
    if current is None:
        raise Http404("No such Learn section.")
    items = content.by_section[current.slug]
    shown = [
        item for item in items if not (_hides_drink_more(request) and item.suggests_drinking_more)
    ]
    position = content.sections.index(current)
    # A signed-in user can try these tips for themselves (Experiments).
    tries = (
        {c.tip_id: c.kind for c in offered_changes(fluid_restricted=_hides_drink_more(request))}
        if request.user.is_authenticated
        else {}
    )
    return render(
        request,
        "learn/section.html",
        _learn_context(
            content,
            section=current,
            items=[(item, tries.get(item.id)) for item in shown],
            drink_more_hidden=len(shown) < len(items),
            previous_section=content.sections[position - 1] if position else None,
            next_section=content.sections[position + 1]
            if position + 1 < len(content.sections)
            else None,
        ),
    )


@login_not_required
@require_safe
def sources(request: HttpRequest) -> HttpResponse:
    content = get_content()
    every = list(content.sources.values())
    return render(
        request,
        "learn/sources.html",
        _learn_context(
            content,
            articles=[s for s in every if s.is_article],
            references=[s for s in every if not s.is_article],
        ),
    )


@require_http_methods(["GET", "POST"])
def red_flag_checklist(request: AuthedRequest) -> HttpResponse:
    """Answer the red-flag questions; each save is a new dated submission, the newest shown."""
    user = request.user
    history = list(RedFlagChecklist.objects.for_user(user)[: EARLIER_CHECKLISTS_SHOWN + 1])
    latest = history[0] if history else None
    form = RedFlagChecklistForm(request.POST or None, user=user, previous=latest)
    if request.method == "POST" and form.is_valid():
        if save_checklist_once(form):
            messages.success(request, "Your answers are saved. Thank you.")
        else:
            messages.info(request, "These answers were already saved.")
        return redirect("red_flag_checklist")
    content = get_content()
    return render(
        request,
        "learn/checklist.html",
        _learn_context(
            content,
            form=form,
            latest=latest,
            latest_answers=latest.answers() if latest else [],
            latest_yes=_explained(content, latest.yes_fields()) if latest else [],
            latest_not_sure=_short_labels(latest, ChecklistAnswer.NOT_SURE),
            latest_not_answered=_short_labels(latest, None),
            earlier=[(c, _short_labels(c, ChecklistAnswer.YES)) for c in history[1:]],
        ),
    )


def save_checklist_once(form: RedFlagChecklistForm) -> bool:
    """Save a new submission unless this form was saved before. Returns whether it saved."""
    if form.already_saved:
        return False
    form.instance.answered_on = timezone.localdate()  # the user's own date (middleware)
    try:
        with transaction.atomic():
            form.save()
    except IntegrityError:  # the same form arrived twice at the same moment
        return False
    return True


def _explained(content: Content, names: list[str]) -> list[tuple[str, Item]]:
    return [(RED_FLAG_QUESTIONS[n], content.item(checklist.EXPLAINED_BY[n])) for n in names]


def _short_labels(answers: RedFlagChecklist | None, answer: str | None) -> list[str]:
    """The short labels of the questions given `answer` (None: those not answered)."""
    if answers is None:
        return []
    return [checklist.SHORT_LABELS[name] for name in answers.fields_answered(answer)]
