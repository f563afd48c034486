"""The FHIR R4 export: a Bundle of type "collection" in JSON.

It holds a Patient; an Observation per cramp; a sleep Observation per night with a sleep
diary; and a MedicationStatement per medication or supplement. Everything is
patient-reported (the patient is the performer and the information source), and there is no
Condition: the app diagnoses nothing.

Codes: only the three verified in shared/reference/clinical.md section 5 are used,
SNOMED CT 55300003 for the cramp, LOINC 72514-3 for its pain and LOINC 93832-4 for sleep
duration. Everything else (body site and side, duration, relief, the other sleep diary items,
medicines) is a CodeableConcept with text only, and quantities carry their unit as text,
because no other code has been verified. Day factors, custom factors, doses and the red-flag
checklist are in the CSV and JSON exports only.
"""

import json
import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

from journal import medication_classes
from journal.models import RELIEF_FIELDS, MedicationKind, Muscle, Side, User, taken_on
from journal.portability.records import JournalRecords, decimal_number, local_iso
from journal.sleep import diary_metrics

SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
MUSCLE_CRAMP = {"system": SNOMED, "code": "55300003", "display": "Muscle cramp (finding)"}
PAIN_SEVERITY = {
    "system": LOINC,
    "code": "72514-3",
    "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
}
SLEEP_DURATION = {"system": LOINC, "code": "93832-4", "display": "Sleep duration"}
PATIENT_REPORTED = [{"text": "Patient-reported, not diagnostic"}]

SIDE_TEXT = {Side.LEFT: "left leg", Side.RIGHT: "right leg", Side.BOTH: "both legs"}


def text_concept(text: str) -> dict:
    return {"text": text}


def quantity(value: int | float, unit: str) -> dict:
    return {"value": value, "unit": unit}


def component(text: str, value_key: str, value: object, coding: dict | None = None) -> dict:
    code = {"coding": [coding], "text": text} if coding else text_concept(text)
    return {"code": code, value_key: value}


def body_site(episode: dict) -> str:
    """ "Calf, left leg"; either part alone when only one was recorded."""
    parts = []
    if episode["muscle"]:
        parts.append(Muscle(episode["muscle"]).label)
    if episode["side"]:
        parts.append(SIDE_TEXT[Side(episode["side"])])
    return ", ".join(parts)


def cramp_observation(episode: dict, patient: dict, tz: ZoneInfo) -> dict:
    components = []
    if episode["pain"] is not None:
        components.append(
            component("Pain (0 to 10)", "valueInteger", episode["pain"], PAIN_SEVERITY)
        )
    if episode["duration_seconds"] is not None:
        components.append(
            component(
                "Duration of the cramp",
                "valueQuantity",
                quantity(episode["duration_seconds"], "seconds"),
            )
        )
    relief = [label for name, label in RELIEF_FIELDS.items() if episode[name]]
    if relief:
        components.append(component("What relieved the cramp", "valueString", ", ".join(relief)))
    components.append(component("The cramp woke the patient", "valueBoolean", episode["woke_me"]))
    if episode["minutes_back_to_sleep"] is not None:
        components.append(
            component(
                "Time to get back to sleep",
                "valueQuantity",
                quantity(episode["minutes_back_to_sleep"], "minutes"),
            )
        )
    if episode["soreness_next_day"] is not None:
        components.append(
            component(
                "Soreness the next day (0 to 10)", "valueInteger", episode["soreness_next_day"]
            )
        )
    observation = {
        "resourceType": "Observation",
        "status": "final",
        "category": PATIENT_REPORTED,
        "code": {"coding": [MUSCLE_CRAMP], "text": "Muscle cramp"},
        "subject": patient,
        "effectiveDateTime": local_iso(episode["started_at"], tz, "seconds"),
        "performer": [patient],
        "component": components,
    }
    if site := body_site(episode):
        observation["bodySite"] = text_concept(site)
    if episode["notes"]:
        observation["note"] = [{"text": episode["notes"]}]
    return observation


def sleep_observation(night: dict, patient: dict, tz: ZoneInfo) -> dict:
    """The night's total sleep time, with the other sleep diary items as components."""
    metrics = diary_metrics(night)
    assert metrics is not None, "only nights with a sleep diary become sleep observations"
    components = [
        component("Time in bed", "valueQuantity", quantity(metrics.time_in_bed_min, "minutes")),
    ]
    if metrics.efficiency_pct is not None:  # not computable without time in bed
        components.append(
            component(
                "Sleep efficiency", "valueQuantity", quantity(metrics.efficiency_pct, "percent")
            )
        )
    components += [
        component(
            "Time to fall asleep",
            "valueQuantity",
            quantity(night["sleep_latency_min"], "minutes"),
        ),
        component("Awakenings, not counting the final one", "valueInteger", night["awakenings"]),
        component(
            "Time awake in the night",
            "valueQuantity",
            quantity(night["awake_after_onset_min"], "minutes"),
        ),
    ]
    if night["quality"] is not None:
        components.append(
            component(
                "Sleep quality (1 very poor to 5 very good)", "valueInteger", night["quality"]
            ),
        )
    observation = {
        "resourceType": "Observation",
        "status": "final",
        "category": PATIENT_REPORTED,
        "code": {"coding": [SLEEP_DURATION], "text": "Total sleep time"},
        "subject": patient,
        "effectivePeriod": {
            "start": local_iso(night["into_bed"], tz, "seconds"),
            "end": local_iso(night["out_of_bed"], tz, "seconds"),
        },
        "performer": [patient],
        "valueQuantity": quantity(metrics.total_sleep_min, "minutes"),
        "component": components,
    }
    if night["notes"]:
        observation["note"] = [{"text": night["notes"]}]
    return observation


def medication_status(started_on: date, stopped_on: date | None, today: date) -> str:
    """Active while taken today (the stop date is the last day taken), intended before its
    start, else completed."""
    if taken_on(started_on, stopped_on, today):
        return "active"
    return "intended" if today < started_on else "completed"


def medication_statement(medication: dict, patient: dict, today: date) -> dict:
    """The medicine with its period; the period's end is the last day taken (inclusive)."""
    stopped_on = medication["stopped_on"]
    period = {"start": medication["started_on"].isoformat()}
    if stopped_on is not None:
        period["end"] = stopped_on.isoformat()
    kind = MedicationKind(medication["kind"])
    dose = ""
    if medication["dose"] is not None:
        dose = f"{decimal_number(medication['dose'])} {medication['dose_unit']}".strip() + ", "
    entry = medication_classes.BY_KEY[medication["drug_class"]]
    linked = " (linked with cramps in some people)" if entry.linked_to_cramps else ""
    notes = [{"text": f"Type of medicine: {entry.label}{linked}."}]
    if medication["notes"]:
        notes.append({"text": medication["notes"]})
    return {
        "resourceType": "MedicationStatement",
        "status": medication_status(medication["started_on"], stopped_on, today),
        "medicationCodeableConcept": text_concept(medication["name"]),
        "subject": patient,
        "effectivePeriod": period,
        "informationSource": patient,
        "note": notes,
        "dosage": [
            {
                "text": f"{dose}{kind.label.lower()}",
                "asNeededBoolean": kind == MedicationKind.AS_NEEDED,
            }
        ],
    }


def patient_resource(user: User) -> dict:
    patient: dict = {"resourceType": "Patient"}
    name: dict[str, str | list[str]] = {"text": f"{user.first_name} {user.last_name}".strip()}
    if user.first_name:
        name["given"] = [user.first_name]
    if user.last_name:
        name["family"] = user.last_name
    if name["text"]:
        patient["name"] = [name]
    if user.date_of_birth is not None:
        patient["birthDate"] = user.date_of_birth.isoformat()
    return patient


def _entry(resource: dict) -> dict:
    return {"fullUrl": f"urn:uuid:{uuid.uuid4()}", "resource": resource}


def fhir_bundle(user: User, now: datetime) -> dict:
    tz = user.tzinfo
    records = JournalRecords(user)
    patient_entry = _entry(patient_resource(user))
    patient = {"reference": patient_entry["fullUrl"]}
    entries = [patient_entry]
    for night in records.nights:
        entries += [
            _entry(cramp_observation(episode, patient, tz)) for episode in night["episodes"]
        ]
        if night["into_bed"] is not None:
            entries.append(_entry(sleep_observation(night, patient, tz)))
    today = now.astimezone(tz).date()
    entries += [
        _entry(medication_statement(medication, patient, today))
        for medication in records.medications
    ]
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": local_iso(now, tz, "seconds"),
        "entry": entries,
    }


def fhir_json(user: User, now: datetime) -> bytes:
    return (json.dumps(fhir_bundle(user, now), ensure_ascii=False, indent=2) + "\n").encode()
