"""The Learn content files: loading, validation with messages naming the item, and the rules
the content must keep (evidence labels, sources, medicines, tags)."""

import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from journal import medication_classes
from journal.learn import checklist
from journal.learn.content import (
    CONTENT_DIR,
    DISCUSS_WITH_DOCTOR,
    TIP_SECTIONS,
    ContentError,
    advises_stopping_medicine,
    get_content,
    load_content,
)
from journal.models import RED_FLAG_QUESTIONS
from tests.conftest import require_shared

CLINICAL = Path(settings.BASE_DIR).parent / "shared" / "reference" / "clinical.md"

SECTIONS = [
    "what-they-are",
    "causes",
    "prevention",
    "during-a-cramp",
    "medications",
    "see-a-doctor",
    "look-alikes",
]


@pytest.fixture
def content_copy(tmp_path) -> Path:
    """A copy of the real content to break in one place."""
    copy = tmp_path / "learn"
    shutil.copytree(CONTENT_DIR, copy)
    return copy


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems_of(directory: Path) -> str:
    with pytest.raises(ContentError) as error:
        load_content(directory)
    return str(error.value)


def test_the_content_loads_with_every_section_of_the_issue_in_order():
    content = load_content(CONTENT_DIR)
    assert [section.slug for section in content.sections] == SECTIONS
    assert all(content.by_section[slug] for slug in SECTIONS)
    assert len(content.items) >= 60
    assert len({item.id for item in content.items}) == len(content.items)


def test_every_tip_carries_an_evidence_label_of_clinical_md_section_3_and_sources():
    content = get_content()
    tips = [item for item in content.items if item.section.slug in TIP_SECTIONS]
    assert len(tips) >= 15
    for item in tips:
        assert item.evidence.for_tips, item.id
        assert item.sources, item.id


def test_the_tip_labels_are_the_honest_labels_of_clinical_md(clinical_md):
    section_3 = clinical_md.split("## 3.")[1].split("## 4.")[0]
    table_labels = {
        row.split("|")[-2].strip().lower() for row in section_3.splitlines() if row.count("|") > 3
    }
    evidence = get_content().evidence.values()
    ours = {e.label.lower().replace("’", "'") for e in evidence if e.for_tips}
    assert ours <= table_labels
    # Every label of the table is used by at least one tip.
    used = {item.evidence.label.lower().replace("’", "'") for item in get_content().items}
    assert table_labels - {"honest label", "---"} <= used


def test_medication_items_say_discuss_it_with_your_doctor_and_never_stop():
    content = get_content()
    for item in content.by_section["medications"]:
        assert DISCUSS_WITH_DOCTOR in item.text.lower(), item.id
    for item in content.items:
        assert not advises_stopping_medicine(item.text), item.id


@pytest.mark.parametrize(
    "text",
    [
        "Stop taking your statin if cramps start.",
        "Avoid using diuretics and other medications that cause cramps.",
        "If cramps are bad, quit the tablets.",
    ],
)
def test_stopping_a_medicine_is_recognised(text):
    assert advises_stopping_medicine(text)


@pytest.mark.parametrize(
    "text",
    [
        "Discuss it with your doctor. Don’t stop or change it on your own.",
        "Never stop a medicine without advice.",
        "Cramps that regularly stop you sleeping count as frequent.",
    ],
)
def test_not_stopping_a_medicine_is_fine(text):
    assert not advises_stopping_medicine(text)


def test_every_medication_class_linked_to_cramps_has_an_item():
    content = get_content()
    for entry in medication_classes.CATALOGUE:
        if entry.linked_to_cramps:
            items = content.items_for_drug_class(entry.key)
            assert items, f"no Learn item for {entry.key}"
            assert all(item.section.slug == "medications" for item in items)


def test_every_checklist_question_is_explained_by_an_item():
    content = get_content()
    assert checklist.EXPLAINED_BY.keys() == RED_FLAG_QUESTIONS.keys()
    assert checklist.SHORT_LABELS.keys() == RED_FLAG_QUESTIONS.keys()
    for item_id in checklist.EXPLAINED_BY.values():
        assert content.item(item_id)


def test_drink_more_items_are_tagged_so_they_can_be_left_out():
    tagged = {item.id for item in get_content().items if item.suggests_drinking_more}
    assert tagged == {"tip-fluids", "tip-electrolyte-drinks"}
    for item in get_content().items:
        if item.id not in tagged:  # no other item tells the reader to drink more
            assert not re.search(r"\bdrink (more|plenty|enough)\b", item.text, re.I), item.id


def test_every_source_is_cited_and_every_clinical_key_is_in_clinical_md(clinical_md):
    content = get_content()
    cited = {source.key for item in content.items for source in item.sources}
    assert cited == set(content.sources)
    for source in content.sources.values():
        if not source.is_article:
            assert f"[{source.key}]" in clinical_md, source.key


# --- A malformed file fails with a message naming the item --------------------------------


EVIDENCE = 'evidence = "untested"\nsources = ["remedies"]'
SOURCES = 'sources = ["remedies"]\ntags = ["standing"]'
TAGS_LINE = 'tags = ["standing"]\n'
TITLE = 'title = "Supportive footwear"'
FOOTWEAR = "item “tip-footwear”"
BREAKAGES = [
    (EVIDENCE, EVIDENCE.replace("untested", "maybe"), "unknown evidence label “maybe”"),
    (SOURCES, SOURCES.replace('"remedies"', '"nobody"'), "unknown source “nobody”"),
    (SOURCES, SOURCES.replace('"remedies"', ""), "list at least one source"),
    (TAGS_LINE, TAGS_LINE.replace("standing", "stand"), "unknown tag “stand”"),
    (TAGS_LINE, 'tags = "standing"\n', "“tags” must be a list"),
    (f"{TITLE}\n", "", "missing field “title”"),
    (f'section = "prevention"\n{TITLE}', f'section = "shoes"\n{TITLE}', "unknown section “shoes”"),
    (
        EVIDENCE,
        EVIDENCE.replace("untested", "clinical-guidance"),
        "a tip needs an evidence label from clinical.md section 3",
    ),
    (
        "long hours standing. It has not",
        "long hours standing. Stop taking your statins. It has not",
        "tells the reader to stop or avoid a medicine",
    ),
    (TITLE, TITLE.rstrip('"'), "not valid TOML"),
]


@pytest.mark.parametrize(("old", "new", "message"), BREAKAGES)
def test_a_malformed_item_is_named_in_the_error(content_copy, old, new, message):
    edit(content_copy / "items" / "3-prevention.toml", old, new)
    problems = problems_of(content_copy)
    assert f"items/3-prevention.toml, {FOOTWEAR}: {message}" in problems


def test_a_duplicate_id_is_named(content_copy):
    edit(content_copy / "items" / "3-prevention.toml", 'id = "tip-footwear"', 'id = "tip-fluids"')
    problems = problems_of(content_copy)
    assert "3-prevention.toml, item “tip-fluids”: the id is already used in" in problems


def test_a_medication_item_without_discuss_it_with_your_doctor_is_refused(content_copy):
    edit(
        content_copy / "items" / "5-medications.toml",
        "One article lists antipsychotic medicines. We found no study figures on how strong the "
        "link is.\n\nIf you take one and have cramps, discuss it with your doctor.",
        "One article lists antipsychotic medicines.\n\nIf you take one, ask.",
    )
    assert "item “med-antipsychotics”: an item on medications must say" in problems_of(content_copy)


def test_a_toml_syntax_error_names_the_item_it_is_in(content_copy):
    edit(content_copy / "items" / "2-causes.toml", 'title = "Alcohol"', "title = Alcohol")
    problems = problems_of(content_copy)
    assert "2-causes.toml, item “cause-alcohol”: not valid TOML" in problems


def test_every_problem_is_listed_at_once(content_copy):
    edit(content_copy / "items" / "2-causes.toml", 'evidence = "commonly-named"', 'evidence = "x"')
    edit(content_copy / "items" / "4-during-a-cramp.toml", 'sources = ["remedies"]', "sources = []")
    problems = problems_of(content_copy)
    assert "item “cause-dehydration”: unknown evidence label “x”" in problems
    assert "item “during-painkillers”: list at least one source" in problems


def test_a_section_without_items_and_an_unknown_section_slug_are_refused(content_copy):
    (content_copy / "items" / "7-look-alikes.toml").unlink()
    edit(content_copy / "sections.toml", 'slug = "causes"', 'slug = "sources"')
    problems = problems_of(content_copy)
    assert "section “look-alikes”: has no items" in problems
    assert "section “sources”: the slug must be" in problems


def test_the_management_command_reports_counts_or_every_problem(content_copy, capsys):
    call_command("check_learn_content")
    out = capsys.readouterr().out
    content = get_content()
    assert f"{len(content.items)} items in 7 sections" in out
    assert f"Prevention: {len(content.by_section['prevention'])}" in out
    edit(content_copy / "items" / "3-prevention.toml", 'id = "tip-footwear"', 'id = "Tip Footwear"')
    with pytest.raises(CommandError, match="item “Tip Footwear”: the id must be lower-case"):
        call_command("check_learn_content", "--dir", str(content_copy))


@pytest.fixture
def clinical_md() -> str:
    require_shared(CLINICAL)
    return CLINICAL.read_text(encoding="utf-8")
