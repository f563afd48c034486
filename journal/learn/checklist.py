"""How the red-flag checklist (journal.models.RedFlagChecklist) relates to the Learn content."""

# Keys are the questions of journal.models.RED_FLAG_QUESTIONS (a test keeps them in step).

# Each question → the Learn item that explains why it matters.
EXPLAINED_BY = {
    "weakness": "doctor-weakness-numbness",
    "numbness": "doctor-weakness-numbness",
    "twitching": "doctor-weakness-numbness",
    "swelling": "doctor-swelling",
    "pale_or_cold": "doctor-swelling",
    "pain_walking": "doctor-pain-walking",
    "urge_to_move": "lookalike-restless-legs",
    "partner_jerks": "lookalike-periodic-limb-movements",
    "cramps_elsewhere": "doctor-cramps-elsewhere",
    "long_cramp": "doctor-long-cramp",
    "sleep_disrupted": "doctor-frequent-or-severe",
    "new_medicine": "med-talk-to-doctor",
    "wound_or_toxin": "doctor-wound-or-toxin",
}

# Short forms for sentences such as "you answered yes to: swelling, pain when walking".
SHORT_LABELS = {
    "weakness": "weak legs or thinner muscles",
    "numbness": "numbness or tingling",
    "twitching": "twitching under the skin",
    "swelling": "a swollen, red or warm calf",
    "pale_or_cold": "a pale or cold leg or foot",
    "pain_walking": "calf pain when walking",
    "urge_to_move": "an urge to move your legs",
    "partner_jerks": "legs jerking in your sleep",
    "cramps_elsewhere": "cramps in other parts of the body",
    "long_cramp": "a cramp over 10 minutes",
    "sleep_disrupted": "cramps that often stop you sleeping",
    "new_medicine": "cramps after a change of medicine",
    "wound_or_toxin": "cramps after a wound or a poison",
}
