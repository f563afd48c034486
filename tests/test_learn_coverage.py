"""Coverage of the five seed articles by the Learn content, and no copied sentences.

ARTICLE_POINTS was written once, by reading each article in shared/seeds/: every cause, tip
and warning it names (and the facts the content cites it for), with the content item that
covers it and words that item must contain. The tests check that each point is covered by an
item that lists the article among its sources, and that no item cites an article for nothing.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

from journal.learn.content import get_content
from tests.conftest import require_shared

SEEDS = Path(settings.BASE_DIR).parent / "shared" / "seeds"
COPY_LIMIT = 8  # words: no run of this many consecutive words of an article may appear

# article key → [(what the article names, content item id, words the item must contain)]
ARTICLE_POINTS: dict[str, list[tuple[str, str, tuple[str, ...]]]] = {
    "while-sleeping": [
        # causes
        ("overuse of muscles", "cause-muscle-fatigue", ("overworked", "repetitive")),
        ("tired muscles", "cause-muscle-fatigue", ("tired",)),
        ("abnormal nerve activity", "cause-nerve-activity", ("nerve", "firing")),
        ("dehydration", "cause-dehydration", ("dehydration",)),
        ("low potassium, magnesium, calcium", "cause-low-minerals", ("potassium", "calcium")),
        ("certain medications", "cause-medicines", ("medicines",)),
        ("diuretics", "med-diuretics", ("diuretics",)),
        ("statins", "med-statins", ("statins",)),
        ("beta-blockers", "med-beta-blockers", ("beta-blockers",)),
        ("pregnancy", "cause-pregnancy", ("pregnancy",)),
        ("kidney disease", "cause-health-conditions", ("kidney disease",)),
        ("diabetes", "cause-health-conditions", ("diabetes",)),
        ("thyroid problems", "cause-health-conditions", ("thyroid",)),
        ("nerve disorders", "cause-health-conditions", ("nerve disorders",)),
        ("nerve disorders", "lookalike-neuropathy", ("nerve disorders",)),
        ("tight blankets or sheets", "cause-tight-bedding", ("sheets", "blankets")),
        ("sleeping position", "cause-sleeping-position", ("toes pointed",)),
        # tips
        ("stretch calves and hamstrings before bed", "tip-bedtime-stretch", ("hamstrings",)),
        ("stay hydrated", "tip-fluids", ("drinking",)),
        ("diet rich in electrolytes", "tip-mineral-foods", ("potassium", "magnesium")),
        ("avoid diuretics and other medicines", "med-talk-to-doctor", ("discuss it with your",)),
        ("hot bath or shower before bed", "tip-warm-bath", ("bath", "shower")),
        ("avoid pointed legs while sleeping", "tip-sleep-position", ("toes pointed",)),
        ("loose-fitting pyjamas", "tip-loose-bedding", ("loose nightclothes",)),
        # warnings
        ("frequent cramps: talk to your doctor", "doctor-frequent-or-severe", ("often",)),
        ("severe cramps: see a doctor", "doctor-frequent-or-severe", ("severe",)),
        ("cramps with other symptoms", "doctor-weakness-numbness", ("other symptoms",)),
    ],
    "at-night": [
        ("disruptive to sleep", "cramp-sleep", ("wake you",)),
        # causes
        ("dehydration", "cause-dehydration", ("dehydration",)),
        ("low magnesium, potassium, calcium", "cause-low-minerals", ("magnesium",)),
        ("overexertion", "cause-muscle-fatigue", ("worked hard",)),
        ("poor circulation", "cause-poor-circulation", ("blood flow",)),
        ("peripheral artery disease", "cause-poor-circulation", ("peripheral artery disease",)),
        ("peripheral artery disease", "lookalike-claudication", ("peripheral artery disease",)),
        ("medications", "cause-medicines", ("side effect",)),
        ("diuretics", "med-diuretics", ("diuretics",)),
        ("statins", "med-statins", ("statins",)),
        ("nerve compression: sciatica, herniated discs", "cause-nerve-compression",
         ("sciatica", "herniated")),
        # tips
        ("stretching before bed", "tip-bedtime-stretch", ("evening",)),
        ("drink enough water", "tip-fluids", ("water",)),
        ("sports drinks", "tip-electrolyte-drinks", ("sports drinks",)),
        ("electrolyte-rich foods such as bananas", "tip-mineral-foods", ("bananas",)),
        ("balanced diet rich in minerals", "tip-mineral-foods", ("balanced diet",)),
        ("ask a professional about supplements", "tip-magnesium", ("health professional",)),
        ("warm bath before bed", "tip-warm-bath", ("bath",)),
        ("massage or a foam roller", "during-massage", ("foam roller",)),
        ("heat or cold", "during-heat-cold", ("warmth", "cold")),
        ("medication review with your doctor", "med-talk-to-doctor", ("discuss it with your",)),
        ("elevate your legs", "tip-elevate-legs", ("feet up",)),
        ("ankle pumps", "tip-elevate-legs", ("ankle pumps",)),
        ("regular walking", "tip-regular-activity", ("walking",)),
        # warnings
        ("cramps that persist or affect quality of life", "doctor-frequent-or-severe",
         ("keep returning", "spoil")),
    ],
    "contractions": [
        ("common at any age and lifestyle", "cramp-how-common", ("any age",)),
        ("legs contracting or twitching in sleep", "lookalike-periodic-limb-movements",
         ("twitches",)),
        ("cause often unknown", "cause-often-unknown", ("no particular cause",)),
        ("home remedies are usually enough", "cramp-usually-harmless", ("home measures",)),
        # causes
        ("dehydration", "cause-dehydration", ("dehydration",)),
        ("poor circulation", "cause-poor-circulation", ("blood flow",)),
        ("sitting or standing for long periods", "cause-long-sitting-standing",
         ("sitting", "standing")),
        ("muscle fatigue from high-intensity exercise", "cause-muscle-fatigue",
         ("intense exercise",)),
        ("medications", "cause-medicines", ("side effect",)),
        ("diuretics", "med-diuretics", ("diuretics",)),
        ("statins", "med-statins", ("statins",)),
        ("diabetes", "cause-health-conditions", ("diabetes",)),
        ("nerve damage", "cause-health-conditions", ("nerve damage",)),
        ("nerve damage", "lookalike-neuropathy", ("nerve damage",)),
        ("kidney disease", "cause-health-conditions", ("kidney disease",)),
        # tips
        ("drink plenty of water, more if active or sweating", "tip-fluids", ("water", "sweat")),
        ("regular physical activity", "tip-regular-activity", ("regular",)),
        ("elevating your legs", "tip-elevate-legs", ("feet up",)),
        ("compression stockings", "tip-compression-stockings", ("compression stockings",)),
        ("rest breaks and stretching after activity", "tip-pace-activity",
         ("rest breaks", "stretch")),
        ("avoid activities that tire your muscles", "tip-pace-activity", ("spread the load",)),
        ("stretching before bed", "tip-bedtime-stretch", ("evening",)),
        ("heat or cold on the area", "during-heat-cold", ("warmth", "cold")),
        # warnings
        ("frequent or severe cramps: talk to your doctor", "doctor-frequent-or-severe",
         ("often", "severe")),
    ],
    "especially": [
        ("sudden, painful contractions lasting minutes", "cramp-what-it-is",
         ("without warning", "minutes")),
        ("common at night, waking people", "cramp-sleep", ("wake you",)),
        # causes
        ("dehydration", "cause-dehydration", ("dehydration",)),
        ("mineral deficiencies", "cause-low-minerals", ("potassium", "magnesium", "calcium")),
        ("overexertion", "cause-muscle-fatigue", ("intense exercise",)),
        ("posture: sitting or standing long", "cause-long-sitting-standing", ("posture",)),
        ("nerve compression: sciatica", "cause-nerve-compression", ("sciatica",)),
        ("pregnancy: hormones, pressure on blood vessels", "cause-pregnancy",
         ("hormones", "blood vessels")),
        ("medications such as diuretics", "cause-medicines", ("diuretics",)),
        ("diuretics", "med-diuretics", ("diuretics",)),
        ("too much alcohol", "cause-alcohol", ("alcohol",)),
        ("diabetes, kidney disease, thyroid problems", "cause-health-conditions",
         ("diabetes", "kidney disease", "thyroid")),
        ("age: muscle loss, reduced circulation", "cause-age", ("loss of muscle", "circulation")),
        # treatments and remedies
        ("stretch the cramped muscle", "during-stretch", ("stretch",)),
        ("massage the cramped muscle", "during-massage", ("rubbing",)),
        ("heating pad or warm bath", "during-heat-cold", ("heating pad", "warm bath")),
        ("cold pack for swelling", "during-heat-cold", ("cold pack", "swelling")),
        ("hydration", "tip-fluids", ("water",)),
        ("regular exercise", "tip-regular-activity", ("regular",)),
        ("magnesium-rich foods like bananas", "tip-mineral-foods", ("magnesium", "bananas")),
        ("magnesium supplements", "tip-magnesium", ("magnesium",)),
        ("stretching before bed", "tip-bedtime-stretch", ("evening",)),
        ("experiment with sleeping positions", "tip-sleep-position", ("ways of lying",)),
    ],
    "remedies": [
        ("sudden involuntary contraction, seconds to minutes", "cramp-what-it-is",
         ("seconds", "minutes")),
        ("calves, thighs, feet and arches", "cramp-where", ("calf", "thigh", "arch")),
        ("soreness may linger", "cramp-soreness", ("sore",)),
        ("cause often unclear", "cause-often-unknown", ("no particular cause",)),
        ("mild spasms resolve without treatment", "cramp-usually-harmless",
         ("no medical treatment",)),
        # causes
        ("dehydration and fluid imbalance", "cause-dehydration", ("dehydration", "fluid")),
        ("low potassium, calcium, magnesium, sodium", "cause-low-minerals", ("sodium",)),
        ("poor blood flow", "cause-poor-circulation", ("blood flow",)),
        ("prolonged sitting", "cause-long-sitting-standing", ("sitting",)),
        ("awkward positioning during rest", "cause-sleeping-position", ("awkward position",)),
        ("certain medications", "cause-medicines", ("medicines",)),
        ("diuretics", "med-diuretics", ("diuretics",)),
        ("birth control pills", "med-hormonal", ("birth control pills",)),
        ("antipsychotics", "med-antipsychotics", ("antipsychotic",)),
        ("statins", "med-statins", ("statins",)),
        ("steroids", "med-steroids", ("steroids",)),
        ("thyroid issues", "cause-health-conditions", ("thyroid",)),
        ("kidney problems", "cause-health-conditions", ("kidney",)),
        ("multiple sclerosis", "cause-health-conditions", ("multiple sclerosis",)),
        ("cardiovascular diseases", "cause-health-conditions", ("cardiovascular",)),
        ("peripheral artery disease", "cause-poor-circulation", ("peripheral artery disease",)),
        ("peripheral artery disease", "lookalike-claudication", ("peripheral artery disease",)),
        ("later stages of pregnancy", "cause-pregnancy", ("later months",)),
        ("lactic acid build-up during intense activity", "cause-muscle-fatigue",
         ("lactic acid",)),
        # treatments and tips
        ("stretching exercises for calves and legs", "during-stretch", ("calf",)),
        ("over-the-counter painkillers, effect varies", "during-painkillers",
         ("over the counter", "not help everyone")),
        ("quinine only under medical supervision", "tip-quinine", ("quinine", "doctor")),
        ("regularly stretch before bed", "tip-bedtime-stretch", ("evening",)),
        ("supportive footwear", "tip-footwear", ("shoes", "support")),
        ("proper resting positions", "tip-sleep-position", ("ways of lying",)),
        ("support toes and legs during sleep", "tip-sleep-position", ("support your legs",)),
        ("keep well hydrated", "tip-fluids", ("drinking",)),
        ("light, controlled exercise", "tip-regular-activity", ("moderate", "gradually")),
        # warnings
        ("persistent or intense cramps: see a doctor", "doctor-frequent-or-severe",
         ("keep returning", "severe")),
    ],
}  # fmt: skip

ALL_POINTS = [
    pytest.param(article, item_id, words, id=f"{article}: {what} → {item_id}")
    for article, points in ARTICLE_POINTS.items()
    for what, item_id, words in points
]


@pytest.mark.parametrize(("article", "item_id", "words"), ALL_POINTS)
def test_every_point_of_every_article_is_covered(article, item_id, words):
    content = get_content()
    assert item_id in content.by_id, f"no item “{item_id}”"
    item = content.item(item_id)
    assert article in {source.key for source in item.sources}, (
        f"“{item_id}” covers this point but does not list the article among its sources"
    )
    text = item.text.lower().replace("-", " ")
    for word in words:
        assert word.lower().replace("-", " ") in text, f"“{item_id}” does not mention “{word}”"


def test_no_item_cites_an_article_for_something_the_list_does_not_hold():
    covered = {
        (article, item_id) for article, points in ARTICLE_POINTS.items() for _, item_id, _ in points
    }
    for item in get_content().items:
        for source in item.sources:
            if source.is_article:
                assert (source.key, item.id) in covered, (
                    f"“{item.id}” cites {source.name}; add what it takes from it to ARTICLE_POINTS"
                )


def test_the_points_list_covers_the_five_articles():
    articles = {s.key for s in get_content().sources.values() if s.is_article}
    assert set(ARTICLE_POINTS) == articles
    assert len(articles) == 5


# --- Against the seed articles themselves --------------------------------------------------


@pytest.fixture(scope="module")
def seeds() -> dict[str, str]:
    require_shared(SEEDS)
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))}


def words_of(text: str) -> list[str]:
    text = text.lower().replace("’", "'").replace("`", "'")
    return re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text)


def copied_runs(article: str, text: str, length: int = COPY_LIMIT) -> set[str]:
    """Runs of `length` consecutive words of `article` that appear in `text`."""
    haystack = f" {' '.join(words_of(text))} "
    words = words_of(article)
    runs = {" ".join(words[i : i + length]) for i in range(len(words) - length + 1)}
    return {run for run in runs if f" {run} " in haystack}


def test_no_sentence_of_an_article_is_copied_into_the_content(seeds):
    content = get_content()
    text = "\n".join(
        [item.text for item in content.items]
        + [f"{section.title}\n{section.intro}" for section in content.sections]
    )
    for name, article in seeds.items():
        assert copied_runs(article, text) == set(), f"copied from {name}"


def test_no_sentence_of_the_clinical_reference_is_copied_either():
    clinical = require_shared(SEEDS.parent / "reference" / "clinical.md")
    text = "\n".join(item.text for item in get_content().items)
    assert copied_runs(clinical.read_text(encoding="utf-8"), text) == set()


def test_the_copy_check_catches_a_copied_sentence(seeds):
    article = seeds["000_064c2cc0a4a7259d.txt"]
    pasted = "Some text. Muscles that are already tired from activity are more susceptible."
    assert "muscles that are already tired from activity are" in copied_runs(article, pasted)
    reworded = "Muscles already tired from the day's activity cramp more easily."
    assert copied_runs(article, reworded) == set()


def test_each_article_source_is_its_seed_file_named_from_its_title(seeds):
    for source in get_content().sources.values():
        if not source.is_article:
            continue
        assert source.seed in seeds, source.key
        first_line = words_of(seeds[source.seed].splitlines()[0])
        assert set(words_of(source.name)) <= set(first_line), source.name
