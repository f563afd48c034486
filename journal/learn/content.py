"""The Learn content: sections, sources, evidence labels and items, read from content/learn/.

The text lives in versioned TOML files, one `[[item]]` entry per item:

    content/learn/sections.toml   the sections, in reading order (slug, title, intro)
    content/learn/sources.toml    the five seed articles and the clinical references (key, name...)
    content/learn/evidence.toml   the evidence labels; `for_tips` marks clinical.md section 3's
    content/learn/items/*.toml    the items: id, section, title, body, evidence, sources, tags

`load_content()` checks everything and raises `ContentError` listing every problem, each naming
its file and item. `get_content()` loads the repository's content once per process; the Learn
views call it when the URLconf is imported, so a malformed file stops the app at start-up, and
`manage.py check_learn_content` checks the files on their own.
"""

import re
import tomllib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from django.conf import settings
from django.urls import reverse

from journal import medication_classes

CONTENT_DIR = Path(settings.BASE_DIR) / "content" / "learn"

# Tags say which of the user's data an item speaks to; the tip rules look items up by them.
TAGS = frozenset(
    {
        "alcohol",
        "bedding",
        "circulation",
        "drink-more",  # suggests drinking more: never shown to users with a fluid restriction
        "exercise",
        "fluids",
        "frequency",
        "long-cramp",
        "medication",
        "minerals",
        "pointed-feet",
        "red-flag",
        "standing",
        "stretching",
        "supplement",
    }
)
DRUG_CLASS_TAG = "drug-class:"  # + a key of journal.medication_classes linked to cramps
DRINK_MORE = "drink-more"

# Items in these sections are tips: their evidence label must be one of clinical.md section 3.
TIP_SECTIONS = frozenset({"prevention", "during-a-cramp"})
# Every item of this section must say so in these words.
MEDICATIONS_SECTION = "medications"
DISCUSS_WITH_DOCTOR = "discuss it with your doctor"
# Learn URLs that are not sections.
RESERVED_SLUGS = frozenset({"checklist", "sources"})

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ITEM_FIELDS: dict[str, type] = {
    "id": str,
    "section": str,
    "title": str,
    "body": str,
    "evidence": str,
    "sources": list,
    "tags": list,
}

# The app never tells anyone to stop a medicine. A sentence that names a medicine and says
# stop, quit, avoid or come off it is refused, unless the word is negated ("don't stop").
_MEDICINE_WORDS = re.compile(
    r"\b(medicines?|medications?|tablets?|pills?|drugs?|diuretics?|statins?|inhalers?|"
    r"beta-blockers?|steroids?|antipsychotics?)\b",
    re.IGNORECASE,
)
_STOP_WORDS = re.compile(
    r"(?<!don't )(?<!don’t )(?<!never )(?<!not )"
    r"\b(stop|stopping|quit|quitting|avoid|avoiding|come off|coming off)\b",
    re.IGNORECASE,
)


class ContentError(Exception):
    """The Learn content files are malformed. The message lists every problem found."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(
            "The Learn content has problems:\n" + "\n".join(f"- {p}" for p in problems)
        )


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    intro: str

    @property
    def url(self) -> str:
        return reverse("learn_section", kwargs={"section": self.slug})


@dataclass(frozen=True)
class Source:
    key: str
    name: str
    kind: str  # "article" (one of the five seed articles) or "reference" (clinical.md)
    citation: str
    seed: str = ""  # for articles: the seed file's name

    @property
    def is_article(self) -> bool:
        return self.kind == "article"

    @property
    def url(self) -> str:
        return f"{reverse('learn_sources')}#source-{self.key}"


@dataclass(frozen=True)
class Evidence:
    key: str
    label: str
    meaning: str
    for_tips: bool


@dataclass(frozen=True)
class Item:
    id: str
    section: Section
    title: str
    body: str
    evidence: Evidence
    sources: tuple[Source, ...]
    tags: frozenset[str]

    @cached_property
    def paragraphs(self) -> list[str]:
        return [" ".join(p.split()) for p in re.split(r"\n\s*\n", self.body.strip())]

    @property
    def lead(self) -> str:
        """The first paragraph: what a tip shows before "read more"."""
        return self.paragraphs[0]

    @property
    def text(self) -> str:
        """Everything a reader sees of the item, for searches and checks."""
        return f"{self.title}\n" + "\n".join(self.paragraphs)

    @property
    def url(self) -> str:
        return f"{self.section.url}#{self.id}"

    @property
    def suggests_drinking_more(self) -> bool:
        return DRINK_MORE in self.tags

    @property
    def drug_classes(self) -> frozenset[str]:
        return frozenset(t.removeprefix(DRUG_CLASS_TAG) for t in self.tags if _is_drug_tag(t))


@dataclass(frozen=True)
class Content:
    sections: tuple[Section, ...]
    sources: dict[str, Source]
    evidence: dict[str, Evidence]
    items: tuple[Item, ...]

    @cached_property
    def by_id(self) -> dict[str, Item]:
        return {item.id: item for item in self.items}

    @cached_property
    def by_section(self) -> dict[str, list[Item]]:
        grouped: dict[str, list[Item]] = {section.slug: [] for section in self.sections}
        for item in self.items:
            grouped[item.section.slug].append(item)
        return grouped

    def section(self, slug: str) -> Section | None:
        return next((section for section in self.sections if section.slug == slug), None)

    def item(self, item_id: str) -> Item:
        return self.by_id[item_id]

    def items_for_drug_class(self, key: str) -> list[Item]:
        return [item for item in self.items if key in item.drug_classes]


def advises_stopping_medicine(text: str) -> bool:
    """True if a sentence of `text` names a medicine and tells the reader to stop or avoid it."""
    sentences = re.split(r"(?<=[.!?;:])\s+", " ".join(text.split()))
    return any(_MEDICINE_WORDS.search(s) and _STOP_WORDS.search(s) for s in sentences)


@cache
def get_content() -> Content:
    """The repository's content, loaded and checked once per process."""
    return load_content(CONTENT_DIR)


def load_content(directory: Path) -> Content:
    """Read and check the content under `directory`; raise ContentError naming each problem."""
    problems: list[str] = []
    sections = _load_sections(directory / "sections.toml", problems)
    sources = _load_sources(directory / "sources.toml", problems)
    evidence = _load_evidence(directory / "evidence.toml", problems)
    item_files = sorted((directory / "items").glob("*.toml"))
    if not item_files:
        problems.append(f"{_name(directory / 'items')}: no item files (*.toml) found")
    items: list[Item] = []
    seen: dict[str, str] = {}
    all_read = True
    for path in item_files:
        entries = _entries(path, "item", problems)
        all_read = all_read and entries is not None
        for index, entry in enumerate(entries or [], start=1):
            where = f"{_name(path)}, {_label(entry, index)}"
            item = _item(entry, where, sections, sources, evidence, problems)
            if item is None:
                continue
            if item.id in seen:
                problems.append(
                    f"{_name(path)}, item “{item.id}”: the id is already used in {seen[item.id]}"
                )
                continue
            seen[item.id] = _name(path)
            items.append(item)
    for section in sections.values():
        if all_read and not any(item.section == section for item in items):
            problems.append(f"sections.toml, section “{section.slug}”: has no items")
    if problems:
        raise ContentError(problems)
    return Content(tuple(sections.values()), sources, evidence, tuple(items))


# --- Reading the files --------------------------------------------------------------------


def _name(path: Path) -> str:
    try:
        return str(path.relative_to(Path(settings.BASE_DIR)))
    except ValueError:
        return str(path)


def _entries(path: Path, table: str, problems: list[str]) -> list[dict[str, Any]] | None:
    """The `[[table]]` entries of a TOML file, or None if it cannot be read.

    A syntax error names the entry it is in.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        problems.append(f"{_name(path)}: cannot be read ({error.strerror})")
        return None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        # Python 3.14 adds error.lineno; before it, the line is only in the message.
        found = re.search(r"line (\d+)", str(error))
        near = _entry_near(text, int(found.group(1)), table) if found else ""
        problems.append(f"{_name(path)}{near}: not valid TOML: {error}")
        return None
    entries = data.get(table)
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        problems.append(f"{_name(path)}: expected a list of [[{table}]] entries")
        return None
    unknown = set(data) - {table}
    if unknown:
        problems.append(f"{_name(path)}: unexpected top-level keys {sorted(unknown)}")
    return entries


def _entry_near(text: str, lineno: int, table: str) -> str:
    """ ", item “x”" for the entry holding line `lineno`, found by its id line."""
    lines = text.splitlines()
    header = f"[[{table}]]"
    start = min(lineno, len(lines)) - 1
    while start > 0 and lines[start].strip() != header:
        start -= 1
    for line in lines[start : start + 200]:
        if match := re.match(r'\s*(?:id|slug|key)\s*=\s*"([^"]+)"', line):
            return f", {table} “{match.group(1)}”"
        if line.strip() == header and line is not lines[start]:
            break
    return f", the {table} around line {lineno}"


def _label(entry: dict[str, Any], index: int) -> str:
    item_id = entry.get("id")
    return f"item “{item_id}”" if isinstance(item_id, str) and item_id else f"item #{index} (no id)"


def _strings(entry: dict[str, Any], fields: Iterable[str], where: str, problems: list[str]) -> bool:
    ok = True
    for name in fields:
        value = entry.get(name)
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{where}: “{name}” must be a non-empty string")
            ok = False
    return ok


def _load_sections(path: Path, problems: list[str]) -> dict[str, Section]:
    sections: dict[str, Section] = {}
    for index, entry in enumerate(_entries(path, "section", problems) or [], start=1):
        where = f"{_name(path)}, section “{entry.get('slug', f'#{index}')}”"
        if not _strings(entry, ("slug", "title", "intro"), where, problems):
            continue
        slug = entry["slug"]
        if not SLUG.match(slug) or slug in RESERVED_SLUGS:
            problems.append(
                f"{where}: the slug must be lower-case words joined by hyphens, "
                f"and not one of {sorted(RESERVED_SLUGS)}"
            )
        elif slug in sections:
            problems.append(f"{where}: the slug is used twice")
        else:
            sections[slug] = Section(slug, entry["title"].strip(), " ".join(entry["intro"].split()))
    return sections


def _load_sources(path: Path, problems: list[str]) -> dict[str, Source]:
    sources: dict[str, Source] = {}
    for index, entry in enumerate(_entries(path, "source", problems) or [], start=1):
        where = f"{_name(path)}, source “{entry.get('key', f'#{index}')}”"
        if not _strings(entry, ("key", "name", "kind", "citation"), where, problems):
            continue
        kind, seed = entry["kind"], entry.get("seed", "")
        if kind not in {"article", "reference"}:
            problems.append(f"{where}: “kind” must be “article” or “reference”")
        elif kind == "article" and not (isinstance(seed, str) and seed.endswith(".txt")):
            problems.append(f"{where}: an article needs “seed”, the name of its seed file")
        elif entry["key"] in sources:
            problems.append(f"{where}: the key is used twice")
        else:
            sources[entry["key"]] = Source(
                entry["key"], entry["name"].strip(), kind, entry["citation"].strip(), seed
            )
    return sources


def _load_evidence(path: Path, problems: list[str]) -> dict[str, Evidence]:
    labels: dict[str, Evidence] = {}
    for index, entry in enumerate(_entries(path, "evidence", problems) or [], start=1):
        where = f"{_name(path)}, evidence “{entry.get('key', f'#{index}')}”"
        if not _strings(entry, ("key", "label", "meaning"), where, problems):
            continue
        if not isinstance(entry.get("for_tips"), bool):
            problems.append(f"{where}: “for_tips” must be true or false")
        elif entry["key"] in labels:
            problems.append(f"{where}: the key is used twice")
        else:
            labels[entry["key"]] = Evidence(
                entry["key"], entry["label"].strip(), entry["meaning"].strip(), entry["for_tips"]
            )
    return labels


def _is_drug_tag(tag: str) -> bool:
    return tag.startswith(DRUG_CLASS_TAG)


def _tag_problem(tag: Any) -> str | None:
    if not isinstance(tag, str):
        return f"tags must be strings, not {tag!r}"
    if _is_drug_tag(tag):
        entry = medication_classes.BY_KEY.get(tag.removeprefix(DRUG_CLASS_TAG))
        if entry is None or not entry.linked_to_cramps:
            return f"unknown tag “{tag}”: not a medication class linked to cramps"
        return None
    if tag not in TAGS:
        return f"unknown tag “{tag}”; use one of {sorted(TAGS)} or {DRUG_CLASS_TAG}<class key>"
    return None


def _item(
    entry: dict[str, Any],
    where: str,
    sections: dict[str, Section],
    sources: dict[str, Source],
    evidence: dict[str, Evidence],
    problems: list[str],
) -> Item | None:
    before = len(problems)
    for name, kind in ITEM_FIELDS.items():
        if name not in entry:
            problems.append(f"{where}: missing field “{name}”")
        elif not isinstance(entry[name], kind):
            problems.append(f"{where}: “{name}” must be a {kind.__name__}")
    if unknown := set(entry) - set(ITEM_FIELDS):
        problems.append(f"{where}: unknown fields {sorted(unknown)}")
    if len(problems) > before:
        return None
    _strings(entry, ("id", "section", "title", "body", "evidence"), where, problems)
    if not SLUG.match(entry["id"]):
        problems.append(f"{where}: the id must be lower-case words joined by hyphens")
    section = sections.get(entry["section"])
    if section is None:
        problems.append(f"{where}: unknown section “{entry['section']}”")
    label = evidence.get(entry["evidence"])
    if label is None:
        problems.append(
            f"{where}: unknown evidence label “{entry['evidence']}”; use one of {sorted(evidence)}"
        )
    elif section and section.slug in TIP_SECTIONS and not label.for_tips:
        problems.append(
            f"{where}: a tip needs an evidence label from clinical.md section 3, not “{label.key}”"
        )
    if not entry["sources"]:
        problems.append(f"{where}: list at least one source")
    for key in entry["sources"]:
        if key not in sources:
            problems.append(f"{where}: unknown source “{key}”")
    if len(set(map(str, entry["sources"]))) != len(entry["sources"]):
        problems.append(f"{where}: a source is listed twice")
    for tag in entry["tags"]:
        if problem := _tag_problem(tag):
            problems.append(f"{where}: {problem}")
    if len(problems) > before:
        return None
    assert section is not None and label is not None  # each would have been a problem
    item = Item(
        id=entry["id"],
        section=section,
        title=entry["title"].strip(),
        body=entry["body"],
        evidence=label,
        sources=tuple(sources[key] for key in entry["sources"]),
        tags=frozenset(entry["tags"]),
    )
    if advises_stopping_medicine(item.text):
        problems.append(
            f"{where}: tells the reader to stop or avoid a medicine; "
            f"say instead to {DISCUSS_WITH_DOCTOR}"
        )
    if section.slug == MEDICATIONS_SECTION and DISCUSS_WITH_DOCTOR not in item.text.lower():
        problems.append(f"{where}: an item on medications must say “{DISCUSS_WITH_DOCTOR}”")
    return None if len(problems) > before else item


def section_counts(content: Content) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for item in content.items:
        counts[item.section.slug] += 1
    return {section.slug: counts[section.slug] for section in content.sections}
