"""Recognising a medicine from the name typed, to propose its type (never to set it unseen).

Two sources, each doing what it is good at:

- journal/data/medicine_classes.csv: each generic name the app classifies, its other generic
  names (salbutamol is albuterol in the US), its class key in journal.medication_classes
  and the WHO ATC code that places it there.
- The offline dictionary of `drug-named-entity-recognition` (Fast Data Science, MIT; pinned
  in requirements.txt): about 107,000 brand names and spelling variants, each with its
  generic name ("Lipitor" is atorvastatin, "Lasix" furosemide, "Ventolin" albuterol).

The package's own finder builds a trigram index of every variant when it is imported, which
keeps about 330 MB in each process. We only need the variants of the generics in our file,
so the dictionary is read once, on the first lookup, and only those (a few thousand) kept.
"""

import bz2
import csv
import difflib
import functools
import importlib.util
import pickle
import re
from dataclasses import dataclass
from pathlib import Path

from journal import medication_classes

CLASSES_FILE = Path(__file__).parent / "data" / "medicine_classes.csv"
MAX_WORDS = 4  # the longest name looked up: "fluticasone furoate and vilanterol"
FUZZY_MIN_LENGTH = 5  # shorter words are too easily close to a medicine by chance
FUZZY_CUTOFF = 0.85  # difflib's ratio: "simvastatn" is 0.95 from "simvastatin"


@dataclass(frozen=True)
class Generic:
    """A row of medicine_classes.csv."""

    name: str
    other_names: tuple[str, ...]
    entry: medication_classes.MedicationClass
    source: str


@dataclass(frozen=True)
class Recognition:
    """What the typed name was recognised as."""

    typed: str  # the words recognised, as typed: "Lipitor"
    generic: Generic
    close_spelling: bool  # "simvastatn": a guess, to be checked

    @property
    def entry(self) -> medication_classes.MedicationClass:
        return self.generic.entry

    @property
    def is_generic_name(self) -> bool:
        """The typed words are the generic name itself (in any case), not a brand."""
        return self.typed.lower() == self.generic.name


def load_generics(path: Path = CLASSES_FILE) -> list[Generic]:
    """The rows of the data file; an unknown class key is an error, not a silent "Other"."""
    with path.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    generics = []
    for number, row in enumerate(rows, start=2):
        entry = medication_classes.BY_KEY.get(row["class"])
        if entry is None:
            raise ValueError(f"{path.name} line {number}: unknown class {row['class']!r}")
        other_names = tuple(name for name in row["also_known_as"].split(";") if name)
        generics.append(Generic(row["generic"], other_names, entry, row["source"]))
    return generics


def library_variants() -> dict[str, list[str]]:
    """The dictionary of drug-named-entity-recognition: each lower-case variant (brand name,
    spelling) and the generic names it stands for. Read without importing the package."""
    spec = importlib.util.find_spec("drug_named_entity_recognition")
    assert spec is not None and spec.origin is not None  # a requirement, installed as files
    path = Path(spec.origin).parent / "drug_ner_dictionary.pkl.bz2"
    # The package's own file, pinned with it: the one its finder unpickles on import.
    with bz2.open(path, "rb") as file:
        return pickle.load(file)["drug_variant_to_canonical"]


@dataclass(frozen=True)
class Names:
    index: dict[str, Generic]  # every lower-case name we recognise
    our_words: tuple[str, ...]  # our one-word generic names, for close spellings
    known_words: frozenset[str]  # every one-word name in the dictionary, of any medicine


@functools.cache
def names() -> Names:
    """Our generics, their other names, and each variant in the dictionary that stands for one
    of them (and for no medicine of another type); read once per process."""
    index: dict[str, Generic] = {}
    for generic in load_generics():
        for name in (generic.name, *generic.other_names):
            index[name] = generic
    ours = tuple(name for name in index if " " not in name)
    variants = library_variants()
    for variant, canonicals in variants.items():
        found = {index[name] for name in canonicals if name in index}
        types = {generic.entry.key for generic in found}
        if len(types) == 1 and variant not in index:
            index[variant] = min(found, key=lambda generic: generic.name)
    known = frozenset(variant for variant in variants if " " not in variant)
    return Names(index, ours, known)


def words_of(text: str) -> list[str]:
    return re.findall(r"[^\W\d_][\w'/-]*", text)


@functools.lru_cache(maxsize=2048)
def recognise(text: str) -> Recognition | None:
    """The medicine in `text` ("Lipitor 20 mg"), or None when none is recognised or the words
    name medicines of different types (a combination the app cannot file under one)."""
    words = words_of(text)
    index = names().index
    found: list[Recognition] = []
    start = 0
    while start < len(words):
        for length in range(min(MAX_WORDS, len(words) - start), 0, -1):
            phrase = " ".join(words[start : start + length])
            generic = index.get(phrase.lower())
            if generic is not None:
                found.append(Recognition(phrase, generic, close_spelling=False))
                start += length
                break
        else:
            start += 1
    if not found:
        found = close_spellings(words)
    if len({recognition.entry.key for recognition in found}) != 1:
        return None
    return found[0]


def close_spellings(words: list[str]) -> list[Recognition]:
    """Words a letter or two away from one of our generic names ("simvastatn"), unless the
    word is itself the name of a medicine in the dictionary (hydrocortisone is not a
    misspelt prednisone)."""
    found = []
    for word in words:
        lower = word.lower()
        if len(lower) < FUZZY_MIN_LENGTH or lower in names().known_words:
            continue
        close = difflib.get_close_matches(lower, names().our_words, 1, FUZZY_CUTOFF)
        if close:
            found.append(Recognition(word, names().index[close[0]], close_spelling=True))
    return found
