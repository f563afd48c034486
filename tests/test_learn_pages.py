"""The Learn pages (public, with the disclaimer) and the red-flag checklist (signed in)."""

import re
import uuid
from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.admin.sites import site
from django.urls import reverse

from journal.learn.content import get_content
from journal.models import RED_FLAG_QUESTIONS, DayFactors, Night, RedFlagChecklist
from journal.nights import local_moment
from tests.conftest import html_of, london

pytestmark = pytest.mark.django_db

DISCLAIMER = "General information, not a diagnosis."
TODAY = date(2026, 3, 10)
SECTION_URLS = [s.url for s in get_content().sections]
PUBLIC_URLS = ["/learn/", "/learn/sources/", *SECTION_URLS]


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_learn_pages_are_public_and_carry_the_disclaimer(client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = html_of(response)
    assert DISCLAIMER in html
    assert "See a doctor if your cramps are persistent, severe or worrying you." in html
    assert ' style="' not in html  # strict CSP: no inline styles
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)  # nor inline scripts


def test_the_index_lists_every_section_and_explains_the_evidence_labels(client):
    html = html_of(client.get(reverse("learn")))
    for section in get_content().sections:
        assert f'href="{section.url}"' in html
        assert section.title in html
    for label in get_content().evidence.values():
        assert label.meaning in html
    assert "Tips from your journal" not in html  # nobody to tailor tips to
    assert f"/login/?next={reverse('red_flag_checklist')}" in html


def test_each_section_page_shows_all_its_items_with_evidence_and_sources(client):
    content = get_content()
    for section in content.sections:
        html = html_of(client.get(section.url))
        for item in content.by_section[section.slug]:
            assert f'id="{item.id}"' in html
            assert item.title.replace("’", "&#x27;") in html or item.title in html
            assert f"Evidence: {item.evidence.label}" in html
            for source in item.sources:
                assert f'href="{source.url}">{source.name}</a>' in html


def test_the_sources_page_names_the_five_articles_and_every_reference(client):
    html = html_of(client.get(reverse("learn_sources")))
    for source in get_content().sources.values():
        assert f'id="source-{source.key}"' in html
    assert "Leg Cramps While Sleeping" in html and "NICE CKS: Leg cramps" in html


# A count of the articles, or their total: the reader never saw "the five articles".
COUNTED_ARTICLES = re.compile(
    r"\b(?:two|three|four|five|six|seven|eight|nine|ten|\d+)\s+articles\b|\b(?:all|the) five\b",
    re.IGNORECASE,
)


def test_learn_talks_of_the_articles_it_draws_on_never_of_how_many_there_are(client, alice):
    for url in [*PUBLIC_URLS, reverse("red_flag_checklist")]:
        if url == reverse("red_flag_checklist"):
            client.force_login(alice)
        text = re.sub(r"<[^>]+>", " ", html_of(client.get(url)))
        assert not COUNTED_ARTICLES.search(text), (url, COUNTED_ARTICLES.search(text))
    for item in get_content().items:  # also shown as tips on the home and month pages
        for paragraph in (item.title, *item.paragraphs):
            assert not COUNTED_ARTICLES.search(paragraph), (item.id, paragraph)
    sources = html_of(client.get(reverse("learn_sources")))
    assert '<h2 id="articles-heading">The articles this guide draws on</h2>' in sources
    stretching = html_of(client.get("/learn/prevention/"))
    assert "the one tip every article this guide draws on shares" in stretching
    assert "Four of the articles this guide draws on name statins" in html_of(
        client.get("/learn/medications/")
    )


def test_an_unknown_section_is_not_found(client):
    assert client.get("/learn/nothing-here/").status_code == 404


def test_a_user_with_fluid_restriction_never_sees_a_drink_more_tip_on_learn(client, alice):
    anonymous = html_of(client.get("/learn/prevention/"))
    assert 'id="tip-fluids"' in anonymous and 'id="tip-electrolyte-drinks"' in anonymous
    alice.fluid_restricted = True
    alice.save()
    client.force_login(alice)
    for url in PUBLIC_URLS:
        html = html_of(client.get(url))
        for item in get_content().items:
            if item.suggests_drinking_more:
                assert f'id="{item.id}"' not in html and item.title not in html, url
    prevention = html_of(client.get("/learn/prevention/"))
    assert "tips about drinking more are left out here" in prevention
    assert 'id="tip-bedtime-stretch"' in prevention


def test_a_signed_in_user_sees_their_tips_and_red_flags_on_learn(client, alice, freeze_now):
    freeze_now(london(TODAY, 21, 0))
    for days_ago in range(1, 5):
        night = Night.objects.create(user=alice, date=TODAY - timedelta(days=days_ago))
        night.episodes.create(started_at=london(night.date, 23), duration_seconds=60 * days_ago)
        DayFactors.objects.create(user=alice, date=night.date, no_exercise=True)
    night.episodes.update(duration_seconds=12 * 60)
    client.force_login(alice)
    html = html_of(client.get(reverse("learn")))
    assert "Tips from your journal" in html
    assert (
        "You logged cramps on 4 nights in the last 4 weeks, and no stretching or yoga on any of "
        "the 4 days you recorded exercise." in html
    )
    assert "Worth seeing a doctor" in html
    assert "lasted 12 min." in html


# --- The red-flag checklist ----------------------------------------------------------------


def checklist_data(token: uuid.UUID | None = None, **answers) -> dict[str, str]:
    return (
        {name: "no" for name in RED_FLAG_QUESTIONS}
        | {"token": str(token or uuid.uuid4())}
        | answers
    )


def test_the_checklist_needs_login(client):
    response = client.get(reverse("red_flag_checklist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client.post(reverse("red_flag_checklist"), checklist_data()).status_code == 302
    assert not RedFlagChecklist.objects.exists()


def test_the_checklist_asks_every_question(alice_client):
    html = html_of(alice_client.get(reverse("red_flag_checklist")))
    for question in RED_FLAG_QUESTIONS.values():
        assert question.replace("'", "&#x27;") in html
    assert html.count('type="radio"') == 3 * len(RED_FLAG_QUESTIONS)
    assert "Your answers of" not in html  # nothing saved yet


def test_saving_the_checklist_keeps_each_submission_with_its_date(alice_client, alice, freeze_now):
    freeze_now(london(date(2026, 3, 1), 0, 30))  # 00:30 in London: the user's own date
    response = alice_client.post(reverse("red_flag_checklist"), checklist_data(swelling="yes"))
    assert response.status_code == 302
    freeze_now(london(date(2026, 3, 9), 20, 0))
    alice_client.post(
        reverse("red_flag_checklist"), checklist_data(numbness="yes", urge_to_move="not_sure")
    )
    first, second = RedFlagChecklist.objects.for_user(alice).order_by("created_at")
    assert (first.answered_on, first.yes_fields()) == (date(2026, 3, 1), ["swelling"])
    assert (second.answered_on, second.yes_fields()) == (date(2026, 3, 9), ["numbness"])
    assert RedFlagChecklist.objects.for_user(alice).latest() == second
    html = html_of(alice_client.get(reverse("red_flag_checklist")))
    assert "Your answers of 9 March 2026" in html
    assert "Worth seeing a doctor." in html
    assert 'href="/learn/see-a-doctor/#doctor-weakness-numbness"' in html
    assert "Not sure: an urge to move your legs." in html
    assert "Earlier answers" in html and "Yes to: a swollen, red or warm calf" in html
    # The form starts from the latest answers, to update what changed.
    assert re.search(r'name="numbness" value="yes"[^>]*checked', html)


def test_the_date_saved_is_the_users_own_date(client, bob, freeze_now):
    new_york = ZoneInfo("America/New_York")
    freeze_now(local_moment(date(2026, 3, 1), time(22, 0), new_york))  # 03:00 UTC on the 2nd
    client.force_login(bob)
    client.post(reverse("red_flag_checklist"), checklist_data())
    assert RedFlagChecklist.objects.for_user(bob).get().answered_on == date(2026, 3, 1)


def test_answers_reads_back_as_question_and_answer_pairs(alice):
    values = {name: "no" for name in RED_FLAG_QUESTIONS} | {"pain_walking": "not_sure"}
    checklist = RedFlagChecklist.objects.create(user=alice, answered_on=TODAY, **values)
    pairs = checklist.answers()
    assert len(pairs) == len(RED_FLAG_QUESTIONS)
    assert pairs[0] == (RED_FLAG_QUESTIONS["weakness"], "No")
    assert (RED_FLAG_QUESTIONS["pain_walking"], "Not sure") in pairs


def test_the_questions_answered_are_saved_and_the_others_stay_not_answered(alice_client, alice):
    data = {"token": str(uuid.uuid4()), "swelling": "no", "numbness": "not_sure"}
    response = alice_client.post(reverse("red_flag_checklist"), data)
    assert response.status_code == 302
    saved = RedFlagChecklist.objects.for_user(alice).get()
    assert (saved.swelling, saved.numbness) == ("no", "not_sure")
    unanswered = [name for name in RED_FLAG_QUESTIONS if name not in ("swelling", "numbness")]
    assert saved.fields_answered(None) == unanswered
    assert all(getattr(saved, name) is None for name in unanswered)  # never saved as "no"
    assert dict(saved.answers())[RED_FLAG_QUESTIONS["weakness"]] == "Not answered"
    html = html_of(alice_client.get(reverse("red_flag_checklist")))
    assert "You answered no" not in html  # 11 questions are not answered, not answered no
    assert "No yes answers. You left 11 questions unanswered." in html
    assert "Not sure: numbness or tingling." in html
    assert "Not answered: weak legs or thinner muscles; twitching under the skin;" in html
    # The form starts from those answers: the unanswered stay unchosen.
    assert re.search(r'name="swelling" value="no"[^>]*checked', html)
    assert not re.search(r'name="weakness" value="[a-z_]+"[^>]*checked', html)


def test_a_checklist_with_nothing_answered_is_refused(alice_client):
    response = alice_client.post(reverse("red_flag_checklist"), {"token": str(uuid.uuid4())})
    assert response.status_code == 200
    html = html_of(response)
    assert "There is a problem" in html
    assert "Answer at least one question, then save." in html
    assert not RedFlagChecklist.objects.exists()


def test_an_answer_not_offered_is_refused_next_to_it_keeping_the_other_answers(alice_client, alice):
    data = checklist_data(swelling="yes", twitching="maybe")
    del data["numbness"]
    response = alice_client.post(reverse("red_flag_checklist"), data)
    assert response.status_code == 200
    assert response.context["form"].errors == {"twitching": ["Choose yes, no or not sure."]}
    html = html_of(response)
    assert re.search(r'name="swelling" value="yes"[^>]*checked', html)
    assert 'href="#id_twitching_0"' in html  # the error summary links to the question
    assert not RedFlagChecklist.objects.exists()


def test_a_form_sent_twice_saves_one_submission(alice_client, alice):
    data = checklist_data(token=uuid.uuid4(), swelling="yes")
    alice_client.post(reverse("red_flag_checklist"), data)
    response = alice_client.post(reverse("red_flag_checklist"), data, follow=True)
    assert "These answers were already saved." in html_of(response)
    assert RedFlagChecklist.objects.for_user(alice).count() == 1


def test_bob_cannot_see_alices_checklist_answers(client, alice, bob):
    client.force_login(alice)
    client.post(reverse("red_flag_checklist"), checklist_data(wound_or_toxin="yes"))
    client.force_login(bob)
    html = html_of(client.get(reverse("red_flag_checklist")))
    assert "Your answers of" not in html
    assert "Worth seeing a doctor" not in html
    assert not re.search(r'value="yes"[^>]*checked', html)
    assert not RedFlagChecklist.objects.for_user(bob).exists()
    # Nor can he reuse her form's token to learn anything or overwrite her answers.
    token = RedFlagChecklist.objects.get().client_token
    client.post(reverse("red_flag_checklist"), checklist_data(token=token))
    assert RedFlagChecklist.objects.for_user(alice).get().yes_fields() == ["wound_or_toxin"]
    assert html_of(client.get(reverse("learn"))).count("Worth seeing a doctor") == 0


def test_the_checklist_is_in_the_admin():
    assert RedFlagChecklist in site._registry
