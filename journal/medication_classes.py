"""Catalogue of medication classes, marking those linked to night leg cramps.

The evidence notes summarise shared/reference/clinical.md section 2. They are
neutral on purpose: the app never suggests stopping a medication, only
discussing it with a doctor. Which class a medicine's name belongs to is in
journal/data/medicine_classes.csv (see journal.medicine_names).
"""

from dataclasses import dataclass

GARRISON = "Garrison et al. 2012, Arch Intern Med 172:120"


@dataclass(frozen=True)
class MedicationClass:
    key: str
    label: str
    examples: str
    linked_to_cramps: bool
    evidence: str


CATALOGUE: tuple[MedicationClass, ...] = (
    MedicationClass(
        "laba",
        "Long-acting beta-2 agonist inhaler (with or without a steroid)",
        "salmeterol, formoterol",
        True,
        "The strongest link found in a large observational study: people starting one were "
        f"about 2.4 times as likely to be treated for cramps in the next year ({GARRISON}).",
    ),
    MedicationClass(
        "potassium_sparing_diuretic",
        "Potassium-sparing diuretic",
        "spironolactone, amiloride",
        True,
        "Linked in a large observational study: about 2.1 times as likely to be treated for "
        f"cramps in the year after starting ({GARRISON}).",
    ),
    MedicationClass(
        "thiazide_diuretic",
        "Thiazide or thiazide-like diuretic",
        "hydrochlorothiazide, indapamide",
        True,
        "Linked in a large observational study: about 1.5 times as likely to be treated for "
        f"cramps in the year after starting ({GARRISON}).",
    ),
    MedicationClass(
        "loop_diuretic",
        "Loop diuretic",
        "furosemide, bumetanide",
        True,
        "A small association (about 1.2 times) that was not statistically clear in a large "
        f"observational study ({GARRISON}).",
    ),
    MedicationClass(
        "statin",
        "Statin",
        "atorvastatin, simvastatin, rosuvastatin",
        True,
        "A small association (about 1.16 times as likely to be treated for cramps) in a large "
        f"observational study ({GARRISON}); also listed by the Merck Manual.",
    ),
    MedicationClass(
        "short_acting_beta_agonist",
        "Short-acting beta-2 agonist inhaler",
        "salbutamol (albuterol)",
        True,
        "Listed among medicines to ask about when someone has cramps (NICE CKS, Leg cramps).",
    ),
    MedicationClass(
        "calcium_channel_blocker",
        "Calcium channel blocker",
        "nifedipine, amlodipine",
        True,
        "Nifedipine is listed among medicines to ask about when someone has cramps "
        "(NICE CKS, Leg cramps).",
    ),
    MedicationClass(
        "beta_blocker",
        "Beta-blocker",
        "bisoprolol, metoprolol, propranolol",
        True,
        "Named by patient articles and the Merck Manual; study evidence for a link is weak.",
    ),
    MedicationClass(
        "arb",
        "Angiotensin receptor blocker (ARB)",
        "losartan, candesartan",
        True,
        "Listed by the Merck Manual; no figures on how strong the link is.",
    ),
    MedicationClass(
        "hormonal",
        "Oestrogen, raloxifene or hormonal contraceptive",
        "conjugated oestrogens, raloxifene, combined pill",
        True,
        "Conjugated oestrogens and raloxifene are among the drugs most often associated with "
        "cramps in one review, though cramps on them are uncommon (Am Fam Physician 2012); "
        "birth-control pills are named by patient articles.",
    ),
    MedicationClass(
        "antipsychotic",
        "Antipsychotic",
        "",
        True,
        "Named by patient articles; little study evidence either way.",
    ),
    MedicationClass(
        "steroid",
        "Steroid tablets",
        "prednisolone",
        True,
        "Named by patient articles; little study evidence either way.",
    ),
    MedicationClass(
        "other_reported",
        "Other medicine reported with cramps",
        "naproxen, teriparatide, iron sucrose, gabapentin, zolpidem, citalopram, donepezil",
        True,
        "Reported with cramps in studies or case reports, usually rarely "
        "(Am Fam Physician 2012; Merck Manual).",
    ),
    MedicationClass(
        "cramp_treatment",
        "Prescribed for cramps",
        "quinine",
        False,
        "Quinine is prescription-only: it reduces cramps a little but can have serious side "
        "effects, so it is used only under a doctor's supervision (Cochrane 2015; FDA 2010; "
        "MHRA).",
    ),
    # Common types not linked with cramps in the sources of clinical.md, named so that people
    # find their medicine instead of choosing "Other".
    MedicationClass(
        "ace_inhibitor", "ACE inhibitor", "ramipril, lisinopril, perindopril", False, ""
    ),
    MedicationClass(
        "proton_pump_inhibitor",
        "Proton pump inhibitor (for stomach acid)",
        "omeprazole, lansoprazole",
        False,
        "",
    ),
    MedicationClass("ssri", "SSRI antidepressant", "sertraline, fluoxetine", False, ""),
    MedicationClass("biguanide", "Metformin (a biguanide, for diabetes)", "metformin", False, ""),
    MedicationClass(
        "anticoagulant",
        "Anticoagulant (blood thinner)",
        "warfarin, apixaban, rivaroxaban",
        False,
        "",
    ),
    MedicationClass("antiplatelet", "Antiplatelet", "clopidogrel, ticagrelor", False, ""),
    MedicationClass(
        "pain_reliever", "Pain reliever", "paracetamol, ibuprofen, co-codamol", False, ""
    ),
    MedicationClass("thyroid_hormone", "Thyroid hormone", "levothyroxine", False, ""),
    MedicationClass(
        "supplement",
        "Supplement or vitamin",
        "magnesium, vitamin B complex, vitamin K2",
        False,
        "",
    ),
    MedicationClass("other", "Other", "", False, ""),
)

BY_KEY = {item.key: item for item in CATALOGUE}
CHOICES = [(item.key, item.label) for item in CATALOGUE]
