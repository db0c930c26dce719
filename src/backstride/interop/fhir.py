"""FHIR R4B export and import of a person's record: a ``collection`` Bundle as JSON data.

What goes in (docs/reference/exports.md describes every resource and code):

- ``Patient``: the Backstride person id and the name as text; no other demographics.
- per assessment, a ``QuestionnaireResponse`` (one item per answered contract key) and a
  ``RiskAssessment`` holding the urgency, whose ``basis`` is that QuestionnaireResponse;
- per diary day, ``Observation``s: pain now and worst pain walking (LOINC 72514-3 with a
  local code for the context), walking duration (LOINC 55411-3), steps (LOINC 41950-7),
  walking tolerance, "settled by morning", the red-flag answer and one per exercise logged;
- per walking tolerance test recorded with the phone, an ``Observation`` at the time it was
  recorded, with one ``component`` per measure (times in ``s``, estimated distances in
  ``m``, steps, cadence, speed) and the reason the walk ended, coded locally;
- a ``CarePlan`` for the current programme, and a ``Flag`` per unacknowledged escalation.

Every resource is validated by constructing it with the ``fhir.resources.R4B`` models, and
the bundle by our own value-set checks (:func:`check_value_sets`). The same data always gives
the same bundle: every ``fullUrl`` is a UUID derived from Backstride ids.

Patient data is never logged or printed, and error messages name the place (entry index,
resource, field), never the value found there.

Sits in ``backstride.interop``: imports the domain, the standard library and third-party
libraries only.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Final

from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle
from pydantic import ValidationError

from backstride.domain.contract import CORE_FIELDS, FieldSpec, Kind
from backstride.domain.diary import (
    DiaryEntry,
    ExerciseLog,
    Person,
    StoredAssessment,
    StoredEscalation,
    StoredPlan,
)
from backstride.domain.urgency import Urgency
from backstride.domain.walking import StoredWalkingTest

__all__ = [
    "ACTIVITY_SYSTEM",
    "LOINC_CODES",
    "OBSERVATION_CODES",
    "OBSERVATION_SYSTEM",
    "PERSON_ID_SYSTEM",
    "QUESTIONNAIRE_URL",
    "STOP_REASON_DISPLAY",
    "STOP_REASON_SYSTEM",
    "URGENCY_SYSTEM",
    "WALKING_TEST_ID_SYSTEM",
    "BundleError",
    "ImportedAssessment",
    "ImportedFlag",
    "ImportedRecord",
    "ImportedWalkingTest",
    "PlanSummary",
    "check_value_sets",
    "export_bundle",
    "import_bundle",
]

# --- Systems and codes ------------------------------------------------------------------

_BASE: Final = "https://backstride.invalid/fhir"
PERSON_ID_SYSTEM: Final = f"{_BASE}/person-id"
ASSESSMENT_ID_SYSTEM: Final = f"{_BASE}/assessment-id"
PLAN_ID_SYSTEM: Final = f"{_BASE}/plan-id"
ESCALATION_ID_SYSTEM: Final = f"{_BASE}/escalation-id"
WALKING_TEST_ID_SYSTEM: Final = f"{_BASE}/walking-test-id"
QUESTIONNAIRE_URL: Final = f"{_BASE}/Questionnaire/assessment-contract-v1"
URGENCY_SYSTEM: Final = f"{_BASE}/CodeSystem/urgency"
OBSERVATION_SYSTEM: Final = f"{_BASE}/CodeSystem/observation"
ACTIVITY_SYSTEM: Final = f"{_BASE}/CodeSystem/activity"
STOP_REASON_SYSTEM: Final = f"{_BASE}/CodeSystem/walking-test-stop-reason"
EXT_TARGET_MINUTES: Final = f"{_BASE}/StructureDefinition/walking-target-minutes-per-session"
EXT_TARGET_DAYS: Final = f"{_BASE}/StructureDefinition/walking-target-days-per-week"

LOINC: Final = "http://loinc.org"
UCUM: Final = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY: Final = "http://terminology.hl7.org/CodeSystem/observation-category"
DATA_ABSENT_REASON: Final = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
FLAG_CATEGORY: Final = "http://terminology.hl7.org/CodeSystem/flag-category"

LOINC_PAIN: Final = "72514-3"
LOINC_STEPS: Final = "41950-7"
LOINC_EXERCISE_DURATION: Final = "55411-3"

#: The only LOINC codes a Backstride bundle uses, with their display names.
LOINC_CODES: Final[Mapping[str, str]] = {
    LOINC_PAIN: "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
    LOINC_STEPS: "Number of steps in 24 hour Measured",
    LOINC_EXERCISE_DURATION: "Exercise duration",
}

#: Local observation codes (CodeSystem ``OBSERVATION_SYSTEM``).
OBSERVATION_CODES: Final[Mapping[str, str]] = {
    "pain-now": "Back pain now (context of LOINC 72514-3)",
    "pain-walking-worst": "Worst back pain while walking today (context of LOINC 72514-3)",
    "pain-during-exercise": "Pain during the exercise (context of LOINC 72514-3)",
    "walk-tolerance": "Minutes of walking before pain made them stop",
    "walk-no-limit": "Pain did not stop the walk: no walking limit",
    "exercise-log": "Exercise of the programme done that day",
    "exercise": "Which exercise",
    "settled-by-morning": "Yesterday's exercise pain settled by the morning",
    "red-flag-symptoms": "New saddle numbness, bladder or bowel change, or leg weakness",
    "walking-tolerance-test": "Walking tolerance test recorded with the phone",
    "walking-test-time-to-first-symptom": "Time from the start to the first symptom",
    "walking-test-distance-to-first-symptom": "Distance walked to the first symptom (estimate)",
    "walking-test-walking-time": "Time spent walking",
    "walking-test-distance": "Distance walked (estimate)",
    "walking-test-total-time": "Time from the start until the walk ended",
    "walking-test-stop-reason": "Why the walk ended",
    "walking-test-recovery-time": "Time until the symptoms eased after stopping",
    "walking-test-steps": "Steps taken during the test",
    "walking-test-cadence": "Steps per minute while walking",
    "walking-test-speed": "Walking speed (estimate)",
    "walking-test-body-height": "Body height the distance estimates used",
}

#: Why a walking test ended (CodeSystem ``STOP_REASON_SYSTEM``): the stored ``stop_reason``.
STOP_REASON_DISPLAY: Final[Mapping[str, str]] = {
    "pain": "Pain made them stop",
    "time_limit": "The test's time limit was reached",
    "other_symptom": "Another symptom made them stop",
    "other": "Another reason",
}

#: Urgency codes (CodeSystem ``URGENCY_SYSTEM``), most serious first.
URGENCY_DISPLAY: Final[Mapping[str, str]] = {
    "emergency": "Emergency: now, emergency department or emergency number",
    "urgent": "Urgent: same day",
    "soon": "Soon: see a doctor or physiotherapist within 1 to 2 weeks",
    "self_care": "Self-care with safety-net advice",
}

_WALKING_PLAN_CODE: Final = "walking-plan"
_NO_LIMIT_TEXT: Final = "no limit"
_NO_LIMIT_KEY: Final = "walking_tolerance_min"

_WALKING_TEST_CODE: Final = "walking-tolerance-test"
_STEPS_UNIT: Final = "{steps}"
#: A walking test's components, in order: (``StoredWalkingTest`` field, local code, UCUM
#: unit), the unit ``None`` for the coded stop reason. A field that may be ``None`` has no
#: component when it is, as a diary day without steps has no steps Observation.
_WALKING_TEST_PARTS: Final[tuple[tuple[str, str, str | None], ...]] = (
    ("time_to_first_symptom_s", "walking-test-time-to-first-symptom", "s"),
    ("distance_to_first_symptom_m", "walking-test-distance-to-first-symptom", "m"),
    ("walking_time_s", "walking-test-walking-time", "s"),
    ("distance_m", "walking-test-distance", "m"),
    ("total_time_s", "walking-test-total-time", "s"),
    ("stop_reason", "walking-test-stop-reason", None),
    ("recovery_s", "walking-test-recovery-time", "s"),
    ("steps", "walking-test-steps", _STEPS_UNIT),
    ("cadence_spm", "walking-test-cadence", "/min"),
    ("speed_mps", "walking-test-speed", "m/s"),
)
_WALKING_TEST_OPTIONAL: Final = frozenset(
    {"time_to_first_symptom_s", "distance_to_first_symptom_m", "distance_m", "recovery_s"}
    | {"cadence_spm", "speed_mps"}
)
#: The body height the person gave for the distance estimates (``detail["height_m"]``).
_WALKING_TEST_HEIGHT: Final = "walking-test-body-height"
_WALKING_TEST_UNITS: Final[Mapping[str, str]] = {
    **{code: unit for _, code, unit in _WALKING_TEST_PARTS if unit is not None},
    _WALKING_TEST_HEIGHT: "m",
}

# R4 value sets for the statuses and types we use (whole value sets, so a bundle edited by
# another system with a legal status still reads).
_OBSERVATION_STATUS: Final = frozenset(
    {"registered", "preliminary", "final", "amended", "corrected", "cancelled"}
    | {"entered-in-error", "unknown"}
)
_QR_STATUS: Final = frozenset({"in-progress", "completed", "amended", "entered-in-error"})
_QR_STATUS_ALL: Final = _QR_STATUS | {"stopped"}
_CAREPLAN_STATUS: Final = frozenset(
    {"draft", "active", "on-hold", "revoked", "completed", "entered-in-error", "unknown"}
)
_CAREPLAN_INTENT: Final = frozenset({"proposal", "plan", "order", "option"})
_ACTIVITY_STATUS: Final = frozenset(
    {"not-started", "scheduled", "in-progress", "on-hold", "completed", "cancelled"}
    | {"stopped", "unknown", "entered-in-error"}
)
_FLAG_STATUS: Final = frozenset({"active", "inactive", "entered-in-error"})
_BUNDLE_TYPES: Final = frozenset(
    {"document", "message", "transaction", "transaction-response", "batch"}
    | {"batch-response", "history", "searchset", "collection"}
)
_OUR_CATEGORIES: Final = frozenset({"survey", "activity"})
_RESOURCE_TYPES: Final = (
    "Patient",
    "QuestionnaireResponse",
    "RiskAssessment",
    "Observation",
    "CarePlan",
    "Flag",
)

_NAMESPACE: Final = uuid.uuid5(uuid.NAMESPACE_URL, _BASE)
_FIELDS: Final = {spec.key: spec for spec in CORE_FIELDS}
_FIELD_ORDER: Final = {spec.key: i for i, spec in enumerate(CORE_FIELDS)}


# --- Errors and the imported record -----------------------------------------------------


class BundleError(ValueError):
    """A bundle that cannot be read: ``path`` names the entry and field, never the value."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


@dataclass(frozen=True, slots=True)
class ImportedAssessment:
    assessment_id: str | None
    authored: datetime
    answers: dict[str, Any]
    urgency: Urgency


@dataclass(frozen=True, slots=True)
class PlanSummary:
    plan_id: str | None
    status: str
    created: datetime | None
    headline: str
    exercise_ids: tuple[str, ...]
    activities: tuple[str, ...]  # every activity's description, in order
    walking_target_minutes_per_session: float | None
    walking_target_days_per_week: int | None


@dataclass(frozen=True, slots=True)
class ImportedFlag:
    escalation_id: str | None
    level: Urgency | None
    text: str
    start: datetime | None


@dataclass(frozen=True, slots=True)
class ImportedWalkingTest:
    """A walking test read back: the measured fields of ``StoredWalkingTest`` under the same
    names and units. Not a ``StoredWalkingTest``: the bundle holds the test id as text (from
    an identifier, absent in a bundle another system made), no person id (the test belongs
    to the bundle's Patient), and neither the sampling rate nor ``detail``, which are not
    exported (only its height and quality notes are); the diary ``day`` is the local date of
    ``recorded_at``, which the caller knows how to take."""

    test_id: str | None
    recorded_at: datetime
    time_to_first_symptom_s: float | None
    distance_to_first_symptom_m: float | None
    walking_time_s: float
    distance_m: float | None
    total_time_s: float
    stop_reason: str
    recovery_s: float | None
    steps: int
    cadence_spm: float | None
    speed_mps: float | None
    #: The body height given for the distance estimates, if any (``detail["height_m"]``).
    height_m: float | None = None
    #: The analysis's notes on the recording, in words (``detail["quality"]`` messages).
    quality: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ImportedRecord:
    person_id: str | None
    person_name: str
    assessments: tuple[ImportedAssessment, ...]
    entries: tuple[DiaryEntry, ...]
    plan: PlanSummary | None
    flags: tuple[ImportedFlag, ...] = field(default=())
    walking_tests: tuple[ImportedWalkingTest, ...] = field(default=())


# --- Small builders ---------------------------------------------------------------------


def _uid(*parts: object) -> str:
    return str(uuid.uuid5(_NAMESPACE, "/".join(str(p) for p in parts)))


def _ref(uid: str) -> dict[str, Any]:
    return {"reference": f"urn:uuid:{uid}"}


def _instant(value: datetime) -> str:
    """ISO 8601 with a time zone, as FHIR needs for a time. A naive time is taken as UTC: the
    database (SQLite) hands back naive times for the UTC times Backstride stores."""
    if value.tzinfo is None or value.utcoffset() is None:
        value = value.replace(tzinfo=UTC)
    return value.isoformat()


def _loinc(code: str) -> dict[str, Any]:
    return {"system": LOINC, "code": code, "display": LOINC_CODES[code]}


def _local(code: str) -> dict[str, Any]:
    return {"system": OBSERVATION_SYSTEM, "code": code, "display": OBSERVATION_CODES[code]}


def _category(code: str) -> list[dict[str, Any]]:
    display = {"survey": "Survey", "activity": "Activity"}[code]
    return [{"coding": [{"system": OBSERVATION_CATEGORY, "code": code, "display": display}]}]


def _minutes(value: float, what: str) -> dict[str, Any]:
    _check_number(value, what)
    return {"value": value, "unit": "min", "system": UCUM, "code": "min"}


def _check_number(value: object, what: str) -> None:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or value < 0
    ):
        raise ValueError(f"{what} must be a finite number of at least 0")


def _pain(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise ValueError(f"{what} must be a whole number from 0 to 10")
    return value


# --- Export -----------------------------------------------------------------------------


def export_bundle(
    person: Person,
    assessments: Sequence[StoredAssessment],
    entries: Sequence[DiaryEntry],
    plan: StoredPlan | None,
    escalations: Sequence[StoredEscalation],
    *,
    generated_at: datetime,
    walking_tests: Sequence[StoredWalkingTest] = (),
) -> dict[str, Any]:
    """The person's record as a FHIR R4B ``collection`` Bundle, as JSON-ready data.

    Assessments are ordered by time then id, diary entries by day, walking tests by
    ``recorded_at`` then id, escalations by time then id, so the same data gives the same
    bundle. Raises ``ValueError`` naming the resource and field if the data cannot make a
    valid bundle (two diary entries for one day, a pain score out of range, a negative
    number of minutes, an unknown stop reason...). Naive times are taken as UTC.

    Each walking test is an ``Observation`` in category ``activity``, not ``exam``: HL7
    keeps ``exam`` for findings a clinician observes or elicits on the body, and
    ``activity`` for bodily activity measured without a practitioner's supervision, which
    is what a test the person walks alone with their phone is.
    """
    pid = person.id
    patient_uid = _uid("person", pid)
    resources: list[tuple[str, dict[str, Any]]] = [(patient_uid, _patient(person, patient_uid))]
    for assessment in sorted(assessments, key=lambda a: (a.created_at, a.id)):
        qr_uid = _uid("person", pid, "assessment", assessment.id, "questionnaire-response")
        ra_uid = _uid("person", pid, "assessment", assessment.id, "risk-assessment")
        resources.append((qr_uid, _questionnaire_response(assessment, qr_uid, patient_uid)))
        resources.append((ra_uid, _risk_assessment(assessment, ra_uid, qr_uid, patient_uid)))
    seen_days: set[date] = set()
    for entry in sorted(entries, key=lambda e: e.day):
        if entry.day in seen_days:
            raise ValueError("diary: two entries for one day (one check-in per day)")
        seen_days.add(entry.day)
        resources.extend(_day_observations(entry, pid, patient_uid))
    for test in sorted(walking_tests, key=lambda t: (t.recorded_at, t.id)):
        test_uid = _uid("person", pid, "walking-test", test.id, "observation")
        resources.append((test_uid, _walking_test(test, test_uid, patient_uid)))
    if plan is not None:
        plan_uid = _uid("person", pid, "plan", plan.id, "care-plan")
        resources.append((plan_uid, _care_plan(plan, plan_uid, patient_uid)))
    for escalation in sorted(escalations, key=lambda e: (e.created_at, e.id)):
        if escalation.acknowledged_at is None:
            flag_uid = _uid("person", pid, "escalation", escalation.id, "flag")
            resources.append((flag_uid, _flag(escalation, flag_uid, patient_uid)))

    bundle: dict[str, Any] = {
        "resourceType": "Bundle",
        "id": _uid("person", pid, "bundle", _instant(generated_at)),
        "type": "collection",
        "timestamp": _instant(generated_at),
        "entry": [{"fullUrl": f"urn:uuid:{uid}", "resource": res} for uid, res in resources],
    }
    for index, (_, resource) in enumerate(resources):
        problem = _library_problem(resource, f"entry[{index}].resource")
        if problem is not None:
            raise ValueError(f"export broke FHIR R4B: {problem[0]}: {problem[1]}")
    try:
        Bundle.model_validate(bundle)
    except ValidationError as exc:
        path, message = _first_error(exc, "Bundle")
        raise ValueError(f"export broke FHIR R4B: {path}: {message}") from None
    problems = check_value_sets(bundle)
    if problems:
        raise ValueError(f"export broke our value sets: {problems[0]}")
    return bundle


def _patient(person: Person, uid: str) -> dict[str, Any]:
    patient: dict[str, Any] = {
        "resourceType": "Patient",
        "id": uid,
        "identifier": [{"system": PERSON_ID_SYSTEM, "value": str(person.id)}],
    }
    if person.name.strip():
        patient["name"] = [{"text": person.name}]
    return patient


def _answer_value(key: str, value: object) -> dict[str, Any]:
    """The answer element for one contract key (type checked against the contract)."""
    where = f"QuestionnaireResponse item {key!r}"
    if value is None:
        if key == _NO_LIMIT_KEY:
            return {"valueString": _NO_LIMIT_TEXT}
        raise ValueError(f"{where}: only walking_tolerance_min may be null")
    spec = _FIELDS.get(key)
    if spec is not None and not _fits(spec, value):
        raise ValueError(f"{where}: expected {spec.describe_type()}")
    is_bool = isinstance(value, bool)
    is_int = isinstance(value, int) and not is_bool
    is_number = isinstance(value, int | float) and not is_bool and math.isfinite(value)
    is_text = isinstance(value, str) and bool(value.strip())
    kind = spec.kind if spec is not None else None
    if is_bool and kind in (Kind.BOOL, None):
        return {"valueBoolean": value}
    if is_int and kind in (Kind.INT, None):
        return {"valueInteger": value}
    if is_number and kind in (Kind.NUMBER, None):
        return {"valueDecimal": value}
    if is_text and kind in (Kind.CHOICE, None):
        return {"valueString": value}
    expected = spec.describe_type() if spec is not None else "true/false, a number or text"
    raise ValueError(f"{where}: expected {expected}")


def _questionnaire_response(
    assessment: StoredAssessment, uid: str, patient_uid: str
) -> dict[str, Any]:
    keys = sorted(assessment.answers, key=lambda k: (_FIELD_ORDER.get(k, len(_FIELD_ORDER)), k))
    items: list[dict[str, Any]] = []
    for key in keys:
        item: dict[str, Any] = {"linkId": key}
        spec = _FIELDS.get(key)
        if spec is not None:
            item["text"] = spec.meaning
        item["answer"] = [_answer_value(key, assessment.answers[key])]
        items.append(item)
    response: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "id": uid,
        "identifier": {"system": ASSESSMENT_ID_SYSTEM, "value": str(assessment.id)},
        "questionnaire": QUESTIONNAIRE_URL,
        "status": "completed",
        "subject": _ref(patient_uid),
        "authored": _instant(assessment.created_at),
    }
    if items:
        response["item"] = items
    return response


def _risk_assessment(
    assessment: StoredAssessment, uid: str, qr_uid: str, patient_uid: str
) -> dict[str, Any]:
    try:
        level = assessment.urgency.value
    except (KeyError, ValueError):
        raise ValueError("RiskAssessment.prediction: the result has no valid urgency") from None
    prediction: dict[str, Any] = {
        "qualitativeRisk": {
            "coding": [{"system": URGENCY_SYSTEM, "code": level, "display": URGENCY_DISPLAY[level]}]
        }
    }
    reasons = assessment.result.get("reasons") or []
    messages = [r["message"] for r in reasons if isinstance(r, dict) and r.get("message")]
    if messages:
        prediction["rationale"] = " ".join(str(m) for m in messages)
    return {
        "resourceType": "RiskAssessment",
        "id": uid,
        "identifier": [{"system": ASSESSMENT_ID_SYSTEM, "value": str(assessment.id)}],
        "status": "final",
        "subject": _ref(patient_uid),
        "occurrenceDateTime": _instant(assessment.created_at),
        "method": {"text": f"Backstride triage rules, content {assessment.content_version}"},
        "basis": [_ref(qr_uid)],
        "prediction": [prediction],
    }


def _observation(
    uid: str,
    patient_uid: str,
    day: date,
    *,
    category: str,
    coding: list[dict[str, Any]],
    text: str,
    **rest: Any,
) -> tuple[str, dict[str, Any]]:
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "id": uid,
        "status": "final",
        "category": _category(category),
        "code": {"coding": coding, "text": text},
        "subject": _ref(patient_uid),
        "effectiveDateTime": day.isoformat(),
    }
    resource.update(rest)
    return uid, resource


def _day_observations(
    entry: DiaryEntry, pid: int, patient_uid: str
) -> Iterable[tuple[str, dict[str, Any]]]:
    day = entry.day

    def uid(kind: str) -> str:
        return _uid("person", pid, "diary", day.isoformat(), kind)

    pain_now: dict[str, Any] = {"valueInteger": _pain(entry.pain_now, "Observation pain-now")}
    if entry.note:
        pain_now["note"] = [{"text": entry.note}]
    yield _observation(
        uid("pain-now"),
        patient_uid,
        day,
        category="survey",
        coding=[_loinc(LOINC_PAIN), _local("pain-now")],
        text="Back pain now (0-10)",
        **pain_now,
    )
    yield _observation(
        uid("pain-walking-worst"),
        patient_uid,
        day,
        category="survey",
        coding=[_loinc(LOINC_PAIN), _local("pain-walking-worst")],
        text="Worst back pain while walking (0-10)",
        valueInteger=_pain(entry.pain_walking, "Observation pain-walking-worst"),
    )
    yield _observation(
        uid("walk-duration"),
        patient_uid,
        day,
        category="activity",
        coding=[_loinc(LOINC_EXERCISE_DURATION)],
        text="Minutes walked",
        valueQuantity=_minutes(entry.walk_minutes, "Observation walk-duration valueQuantity"),
    )
    if entry.walk_tolerance_min is not None or entry.walk_no_limit:
        tolerance: dict[str, Any] = {}
        if entry.walk_tolerance_min is not None:
            tolerance["valueQuantity"] = _minutes(
                entry.walk_tolerance_min, "Observation walk-tolerance valueQuantity"
            )
        else:
            tolerance["dataAbsentReason"] = {
                "coding": [
                    {
                        "system": DATA_ABSENT_REASON,
                        "code": "not-applicable",
                        "display": "Not Applicable",
                    }
                ],
                "text": _NO_LIMIT_TEXT,
            }
        if entry.walk_no_limit:
            tolerance["component"] = [
                {"code": {"coding": [_local("walk-no-limit")]}, "valueBoolean": True}
            ]
        yield _observation(
            uid("walk-tolerance"),
            patient_uid,
            day,
            category="activity",
            coding=[_local("walk-tolerance")],
            text="Walking tolerance (minutes before pain stopped the walk)",
            **tolerance,
        )
    if entry.steps is not None:
        steps = entry.steps
        if isinstance(steps, bool) or not isinstance(steps, int) or steps < 0:
            raise ValueError("Observation steps valueQuantity must be a whole number >= 0")
        yield _observation(
            uid("steps"),
            patient_uid,
            day,
            category="activity",
            coding=[_loinc(LOINC_STEPS)],
            text="Steps per day",
            valueQuantity={"value": steps, "unit": "/d", "system": UCUM, "code": "/d"},
        )
    for code, answer, text in (
        ("settled-by-morning", entry.settled_by_morning, "Exercise pain settled by morning"),
        ("red-flag-symptoms", entry.red_flag, "New red-flag symptoms"),
    ):
        if answer is not None:
            yield _observation(
                uid(code),
                patient_uid,
                day,
                category="survey",
                coding=[_local(code)],
                text=text,
                valueBoolean=answer,
            )
    for index, log in enumerate(entry.exercises):
        yield _observation(
            uid(f"exercise-log/{index}"),
            patient_uid,
            day,
            category="activity",
            coding=[_local("exercise-log")],
            text="Exercise done",
            valueBoolean=log.done,
            component=_exercise_components(log),
        )


def _exercise_components(log: ExerciseLog) -> list[dict[str, Any]]:
    components: list[dict[str, Any]] = [
        {
            "code": {"coding": [_local("exercise")]},
            "valueCodeableConcept": {
                "coding": [{"system": ACTIVITY_SYSTEM, "code": log.exercise_id}]
            },
        }
    ]
    if log.pain_during is not None:
        components.append(
            {
                "code": {"coding": [_loinc(LOINC_PAIN), _local("pain-during-exercise")]},
                "valueInteger": _pain(log.pain_during, "Observation exercise-log pain"),
            }
        )
    return components


def _walking_test(test: StoredWalkingTest, uid: str, patient_uid: str) -> dict[str, Any]:
    components: list[dict[str, Any]] = []
    for name, code, unit in _WALKING_TEST_PARTS:
        where = f"Observation {_WALKING_TEST_CODE} component {code}"
        value = getattr(test, name)
        component: dict[str, Any] = {"code": {"coding": [_local(code)]}}
        if unit is None:
            if value not in STOP_REASON_DISPLAY:
                raise ValueError(f"{where}: expected one of {', '.join(STOP_REASON_DISPLAY)}")
            component["valueCodeableConcept"] = {
                "coding": [
                    {
                        "system": STOP_REASON_SYSTEM,
                        "code": value,
                        "display": STOP_REASON_DISPLAY[value],
                    }
                ]
            }
        elif value is None and name in _WALKING_TEST_OPTIONAL:
            continue
        else:
            _check_number(value, where)
            if unit == _STEPS_UNIT and not isinstance(value, int):
                raise ValueError(f"{where} must be a whole number")
            component["valueQuantity"] = {
                "value": value,
                "unit": unit,
                "system": UCUM,
                "code": unit,
            }
        components.append(component)
    height = test.detail.get("height_m")
    if height is not None:
        _check_number(height, f"Observation {_WALKING_TEST_CODE} component {_WALKING_TEST_HEIGHT}")
        components.append(
            {
                "code": {"coding": [_local(_WALKING_TEST_HEIGHT)]},
                "valueQuantity": {"value": height, "unit": "m", "system": UCUM, "code": "m"},
            }
        )
    observation: dict[str, Any] = {
        "resourceType": "Observation",
        "id": uid,
        "identifier": [{"system": WALKING_TEST_ID_SYSTEM, "value": str(test.id)}],
        "status": "final",
        "category": _category("activity"),
        "code": {"coding": [_local(_WALKING_TEST_CODE)], "text": "Walking tolerance test"},
        "subject": _ref(patient_uid),
        "effectiveDateTime": _instant(test.recorded_at),
        "component": components,
    }
    # The analysis's notes on the recording (too short, gaps, phone moved), in words.
    quality = test.detail.get("quality")
    flags = quality if isinstance(quality, list) else []
    notes = [str(q["message"]) for q in flags if isinstance(q, Mapping) and q.get("message")]
    if notes:
        observation["note"] = [{"text": note} for note in notes]
    return observation


def _dose_text(dose: Mapping[str, Any]) -> str:
    parts: list[str] = []
    if dose.get("sets") and dose.get("reps"):
        parts.append(f"{dose['sets']} sets of {dose['reps']}")
    if dose.get("hold_s"):
        parts.append(f"hold {dose['hold_s']} s")
    if dose.get("per_side"):
        parts.append("each side")
    if dose.get("times_per_day"):
        parts.append(f"{dose['times_per_day']} times a day")
    return ", ".join(parts)


def _care_plan(plan: StoredPlan, uid: str, patient_uid: str) -> dict[str, Any]:
    body = plan.plan
    activities: list[dict[str, Any]] = []
    for index, exercise in enumerate(body.get("exercises") or []):
        where = f"CarePlan.activity (exercise {index})"
        if not isinstance(exercise, Mapping) or not exercise.get("id"):
            raise ValueError(f"{where}: an exercise without an id")
        name = str(exercise.get("name") or exercise["id"])
        dose = exercise.get("dose") or {}
        description = name
        if isinstance(dose, Mapping) and _dose_text(dose):
            description = f"{name}: {_dose_text(dose)}"
        detail: dict[str, Any] = {
            "code": {
                "coding": [
                    {"system": ACTIVITY_SYSTEM, "code": str(exercise["id"]), "display": name}
                ],
                "text": name,
            },
            "status": "in-progress",
            "description": description,
        }
        times = dose.get("times_per_day") if isinstance(dose, Mapping) else None
        if isinstance(times, int) and not isinstance(times, bool) and times > 0:
            detail["scheduledTiming"] = {
                "repeat": {"frequency": times, "period": 1, "periodUnit": "d"}
            }
        activities.append({"detail": detail})
    walking = body.get("walking")
    if isinstance(walking, Mapping):
        activities.append({"detail": _walking_detail(walking, plan.current_week)})
    care_plan: dict[str, Any] = {
        "resourceType": "CarePlan",
        "id": uid,
        "identifier": [{"system": PLAN_ID_SYSTEM, "value": str(plan.id)}],
        "status": "active",
        "intent": "plan",
        "title": "Backstride programme",
        "subject": _ref(patient_uid),
        "created": _instant(plan.created_at),
    }
    if isinstance(body.get("headline"), str) and body["headline"].strip():
        care_plan["description"] = body["headline"]
    if activities:
        care_plan["activity"] = activities
    return care_plan


def _walking_detail(walking: Mapping[str, Any], current_week: int) -> dict[str, Any]:
    target_min = walking.get("target_minutes_per_session")
    target_days = walking.get("target_days_per_week")
    weeks = [w for w in walking.get("weeks") or [] if isinstance(w, Mapping)]
    week = next((w for w in weeks if w.get("week") == current_week), weeks[-1] if weeks else None)
    parts: list[str] = []
    detail: dict[str, Any] = {
        "code": {
            "coding": [
                {"system": ACTIVITY_SYSTEM, "code": _WALKING_PLAN_CODE, "display": "Walking plan"}
            ],
            "text": "Walking plan",
        },
        "status": "in-progress",
    }
    if week is not None:
        parts.append(
            f"Week {week.get('week')}: walk {week.get('minutes_per_session')} minutes a session, "
            f"{week.get('days')} days a week."
        )
        days, minutes = week.get("days"), week.get("minutes_per_session")
        if isinstance(days, int) and isinstance(minutes, int | float) and days > 0:
            detail["scheduledTiming"] = {
                "repeat": {
                    "frequency": days,
                    "period": 1,
                    "periodUnit": "wk",
                    "duration": minutes,
                    "durationUnit": "min",
                }
            }
    extensions: list[dict[str, Any]] = []
    if target_min is not None and target_days is not None:
        _check_number(target_min, "CarePlan walking target minutes")
        if isinstance(target_days, bool) or not isinstance(target_days, int):
            raise ValueError("CarePlan walking target days must be a whole number")
        parts.append(f"Weekly target: {target_min} minutes a session, {target_days} days a week.")
        extensions = [
            {"url": EXT_TARGET_MINUTES, "valueQuantity": _minutes(target_min, "target")},
            {"url": EXT_TARGET_DAYS, "valueInteger": target_days},
        ]
    if extensions:
        detail = {"extension": extensions, **detail}
    detail["description"] = " ".join(parts) if parts else "Walking plan"
    return detail


def _flag(escalation: StoredEscalation, uid: str, patient_uid: str) -> dict[str, Any]:
    level = escalation.level.value
    messages = " ".join(r.message for r in escalation.reasons if r.message.strip())
    text = f"Backstride diary escalation ({level})" + (f": {messages}" if messages else "")
    return {
        "resourceType": "Flag",
        "id": uid,
        "identifier": [{"system": ESCALATION_ID_SYSTEM, "value": str(escalation.id)}],
        "status": "active",
        "category": [
            {"coding": [{"system": FLAG_CATEGORY, "code": "clinical", "display": "Clinical"}]}
        ],
        "code": {
            "coding": [
                {"system": URGENCY_SYSTEM, "code": level, "display": URGENCY_DISPLAY[level]}
            ],
            "text": text,
        },
        "subject": _ref(patient_uid),
        "period": {"start": _instant(escalation.created_at)},
    }


# --- Library validation -----------------------------------------------------------------


def _loc_path(prefix: str, loc: Sequence[int | str]) -> str:
    path = prefix
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def _first_error(exc: ValidationError, prefix: str) -> tuple[str, str]:
    """The first error's place and message, without the input value (patient data)."""
    errors = exc.errors(include_url=False, include_context=False, include_input=False)
    first = errors[0]
    message = str(first.get("msg", "invalid")).split("\n")[0].strip()
    return _loc_path(prefix, first.get("loc", ())), message


def _library_problem(resource: Mapping[str, Any], prefix: str) -> tuple[str, str] | None:
    kind = resource.get("resourceType")
    if kind not in _RESOURCE_TYPES:
        return f"{prefix}.resourceType", f"expected one of {', '.join(_RESOURCE_TYPES)}"
    try:
        get_fhir_model_class(str(kind)).model_validate(dict(resource))
    except ValidationError as exc:
        return _first_error(exc, prefix)
    return None


# --- Our value-set checks ---------------------------------------------------------------


def check_value_sets(bundle: dict[str, Any]) -> list[str]:
    """What in the bundle breaks our value sets, as ``"path: problem"`` lines; empty if none.

    Checks: LOINC codes only from :data:`LOINC_CODES`; local observation, urgency and
    walking-test stop-reason codes only from our CodeSystems (also in components' coded
    values); pain scores whole numbers 0-10 (also in components); quantities in the UCUM
    unit their code needs and not negative, walking-test steps whole; categories survey or
    activity; statuses, intents and the bundle type from their R4 value sets.
    """
    return [f"{path}: {message}" for path, message in _value_set_problems(bundle)]


def _codings(concept: object) -> list[Mapping[str, Any]]:
    if not isinstance(concept, Mapping):
        return []
    codings = concept.get("coding")
    if not isinstance(codings, list):
        return []
    return [c for c in codings if isinstance(c, Mapping)]


def _code_problems(concept: object, path: str) -> Iterable[tuple[str, str]]:
    for i, coding in enumerate(_codings(concept)):
        system, code = coding.get("system"), coding.get("code")
        where = f"{path}.coding[{i}].code"
        if system == LOINC and code not in LOINC_CODES:
            yield where, "LOINC code outside Backstride's set (72514-3, 41950-7, 55411-3)"
        elif system == OBSERVATION_SYSTEM and code not in OBSERVATION_CODES:
            yield where, "code not in the Backstride observation CodeSystem"
        elif system == URGENCY_SYSTEM and code not in URGENCY_DISPLAY:
            yield where, "code not in the Backstride urgency CodeSystem"
        elif system == STOP_REASON_SYSTEM and code not in STOP_REASON_DISPLAY:
            yield where, "code not in the Backstride walking-test stop-reason CodeSystem"


def _has_code(concept: object, system: str, code: str) -> bool:
    return any(c.get("system") == system and c.get("code") == code for c in _codings(concept))


def _is_pain_score(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 10


def _quantity_problems(
    holder: Mapping[str, Any], path: str, unit_code: str, *, whole: bool = False
) -> Iterable[tuple[str, str]]:
    quantity = holder.get("valueQuantity")
    if quantity is None:
        return
    if not isinstance(quantity, Mapping):
        yield f"{path}.valueQuantity", "not a Quantity"
        return
    if quantity.get("system") != UCUM or quantity.get("code") != unit_code:
        yield f"{path}.valueQuantity.code", f"expected UCUM {unit_code!r}"
    value = quantity.get("value")
    if isinstance(value, bool) or not isinstance(value, int | float):
        yield f"{path}.valueQuantity.value", "not a number"
    elif not math.isfinite(value) or value < 0:
        yield f"{path}.valueQuantity.value", "must be a number of at least 0"
    elif whole and not float(value).is_integer():
        yield f"{path}.valueQuantity.value", "must be a whole number"


def _observation_problems(res: Mapping[str, Any], path: str) -> Iterable[tuple[str, str]]:
    if res.get("status") not in _OBSERVATION_STATUS:
        yield f"{path}.status", "not in the R4 observation-status value set"
    for i, category in enumerate(res.get("category") or []):
        for j, coding in enumerate(_codings(category)):
            if coding.get("system") == OBSERVATION_CATEGORY and (
                coding.get("code") not in _OUR_CATEGORIES
            ):
                yield f"{path}.category[{i}].coding[{j}].code", "expected survey or activity"
    code = res.get("code")
    yield from _code_problems(code, f"{path}.code")
    holders: list[tuple[object, Mapping[str, Any], str]] = [(code, res, path)]
    for i, component in enumerate(res.get("component") or []):
        if isinstance(component, Mapping):
            where = f"{path}.component[{i}]"
            yield from _code_problems(component.get("code"), f"{where}.code")
            value = component.get("valueCodeableConcept")
            yield from _code_problems(value, f"{where}.valueCodeableConcept")
            holders.append((component.get("code"), component, f"{path}.component[{i}]"))
    for concept, holder, where in holders:
        if _has_code(concept, LOINC, LOINC_PAIN) and not _is_pain_score(holder.get("valueInteger")):
            yield f"{where}.valueInteger", "pain must be a whole number from 0 to 10"
        if _has_code(concept, LOINC, LOINC_STEPS):
            yield from _quantity_problems(holder, where, "/d", whole=True)
        if _has_code(concept, LOINC, LOINC_EXERCISE_DURATION) or _has_code(
            concept, OBSERVATION_SYSTEM, "walk-tolerance"
        ):
            yield from _quantity_problems(holder, where, "min")
        for local, unit in _WALKING_TEST_UNITS.items():
            if _has_code(concept, OBSERVATION_SYSTEM, local):
                yield from _quantity_problems(holder, where, unit, whole=unit == _STEPS_UNIT)


def _questionnaire_response_problems(
    res: Mapping[str, Any], path: str
) -> Iterable[tuple[str, str]]:
    if res.get("status") not in _QR_STATUS_ALL:
        yield f"{path}.status", "not in the R4 questionnaire-answers-status value set"


def _risk_assessment_problems(res: Mapping[str, Any], path: str) -> Iterable[tuple[str, str]]:
    if res.get("status") not in _OBSERVATION_STATUS:
        yield f"{path}.status", "not in the R4 observation-status value set"
    for i, prediction in enumerate(res.get("prediction") or []):
        if isinstance(prediction, Mapping):
            concept = prediction.get("qualitativeRisk")
            yield from _code_problems(concept, f"{path}.prediction[{i}].qualitativeRisk")


def _care_plan_problems(res: Mapping[str, Any], path: str) -> Iterable[tuple[str, str]]:
    if res.get("status") not in _CAREPLAN_STATUS:
        yield f"{path}.status", "not in the R4 request-status value set"
    if res.get("intent") not in _CAREPLAN_INTENT:
        yield f"{path}.intent", "not in the R4 care-plan-intent value set"
    for i, activity in enumerate(res.get("activity") or []):
        detail = activity.get("detail") if isinstance(activity, Mapping) else None
        if isinstance(detail, Mapping) and detail.get("status") not in _ACTIVITY_STATUS:
            yield (
                f"{path}.activity[{i}].detail.status",
                "not in the R4 care-plan-activity-status value set",
            )


def _flag_problems(res: Mapping[str, Any], path: str) -> Iterable[tuple[str, str]]:
    if res.get("status") not in _FLAG_STATUS:
        yield f"{path}.status", "not in the R4 flag-status value set"
    yield from _code_problems(res.get("code"), f"{path}.code")


def _no_problems(res: Mapping[str, Any], path: str) -> Iterable[tuple[str, str]]:
    del res, path
    return ()


_CHECKS: Final[Mapping[str, Callable[[Mapping[str, Any], str], Iterable[tuple[str, str]]]]] = {
    "Observation": _observation_problems,
    "QuestionnaireResponse": _questionnaire_response_problems,
    "RiskAssessment": _risk_assessment_problems,
    "CarePlan": _care_plan_problems,
    "Flag": _flag_problems,
}


def _resource_problems(res: Mapping[str, Any], path: str) -> Iterable[tuple[str, str]]:
    kind = res.get("resourceType")
    if kind not in _RESOURCE_TYPES:
        return [(f"{path}.resourceType", f"expected one of {', '.join(_RESOURCE_TYPES)}")]
    return _CHECKS.get(str(kind), _no_problems)(res, path)


def _value_set_problems(bundle: Mapping[str, Any]) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    if bundle.get("type") not in _BUNDLE_TYPES:
        problems.append(("Bundle.type", "not in the R4 bundle-type value set"))
    entries = bundle.get("entry") or []
    if not isinstance(entries, list):
        return [*problems, ("Bundle.entry", "not a list")]
    for index, entry in enumerate(entries):
        resource = entry.get("resource") if isinstance(entry, Mapping) else None
        if isinstance(resource, Mapping):
            problems.extend(_resource_problems(resource, f"entry[{index}].resource"))
    return problems


# --- Import -----------------------------------------------------------------------------


def import_bundle(bundle: object) -> ImportedRecord:
    """Read back a bundle :func:`export_bundle` made (for example after ``json.loads``).

    Validates it with the FHIR R4B models and our value-set checks, then rebuilds the
    person's name, the assessments, the diary entries, the walking tests and the plan
    summary. Raises
    :class:`BundleError` naming the entry index and field of the first thing it cannot read.
    Nothing is written: storing what comes back is the caller's job.
    """
    if not isinstance(bundle, Mapping):
        raise BundleError("Bundle", "expected a JSON object")
    if bundle.get("resourceType") != "Bundle":
        raise BundleError("Bundle.resourceType", "expected 'Bundle'")
    raw_entries = bundle.get("entry", [])
    if not isinstance(raw_entries, list):
        raise BundleError("Bundle.entry", "expected a list")
    resources: list[tuple[str, str, Mapping[str, Any]]] = []  # (path, fullUrl, resource)
    for index, entry in enumerate(raw_entries):
        path = f"entry[{index}]"
        if not isinstance(entry, Mapping):
            raise BundleError(path, "expected an object")
        resource = entry.get("resource")
        if not isinstance(resource, Mapping):
            raise BundleError(f"{path}.resource", "missing or not an object")
        problem = _library_problem(resource, f"{path}.resource")
        if problem is not None:
            raise BundleError(*problem)
        full_url = entry.get("fullUrl")
        resources.append((f"{path}.resource", str(full_url or ""), resource))
    try:
        Bundle.model_validate(dict(bundle))
    except ValidationError as exc:
        raise BundleError(*_first_error(exc, "Bundle")) from None
    problems = _value_set_problems(bundle)
    if problems:
        path, message = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise BundleError(path, message + more)
    return _read(resources)


def _read(resources: list[tuple[str, str, Mapping[str, Any]]]) -> ImportedRecord:
    patients = [(p, r) for p, _, r in resources if r["resourceType"] == "Patient"]
    if len(patients) != 1:
        raise BundleError("Bundle.entry", "expected exactly one Patient")
    person_id, person_name = _read_patient(*patients[0])

    risks: dict[str, tuple[str, Mapping[str, Any]]] = {}
    for path, _, res in resources:
        if res["resourceType"] == "RiskAssessment":
            for basis in res.get("basis") or []:
                risks[str(basis.get("reference", ""))] = (path, res)
    assessments = tuple(
        _read_assessment(path, url, res, risks)
        for path, url, res in resources
        if res["resourceType"] == "QuestionnaireResponse"
    )
    observations: list[tuple[str, Mapping[str, Any]]] = []
    walking_tests: list[ImportedWalkingTest] = []
    for path, _, res in resources:
        if res["resourceType"] != "Observation":
            continue
        if _has_code(res.get("code"), OBSERVATION_SYSTEM, _WALKING_TEST_CODE):
            walking_tests.append(_read_walking_test(path, res))
        else:
            observations.append((path, res))
    plans = [(p, r) for p, _, r in resources if r["resourceType"] == "CarePlan"]
    if len(plans) > 1:
        raise BundleError(plans[1][0], "more than one CarePlan")
    flags = tuple(_read_flag(p, r) for p, _, r in resources if r["resourceType"] == "Flag")
    return ImportedRecord(
        person_id=person_id,
        person_name=person_name,
        assessments=assessments,
        entries=_read_diary(observations),
        plan=_read_plan(*plans[0]) if plans else None,
        flags=flags,
        walking_tests=tuple(walking_tests),
    )


def _read_patient(path: str, res: Mapping[str, Any]) -> tuple[str | None, str]:
    person_id = None
    for identifier in res.get("identifier") or []:
        if identifier.get("system") == PERSON_ID_SYSTEM:
            person_id = identifier.get("value")
    names = res.get("name") or []
    name = names[0].get("text") if names else ""
    if not isinstance(name, str):
        raise BundleError(f"{path}.name[0].text", "expected the name as text")
    return person_id, name


def _read_datetime(value: object, path: str) -> datetime:
    if not isinstance(value, str):
        raise BundleError(path, "missing")
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise BundleError(path, "not a date and time") from None


def _read_assessment(
    path: str,
    full_url: str,
    res: Mapping[str, Any],
    risks: Mapping[str, tuple[str, Mapping[str, Any]]],
) -> ImportedAssessment:
    if res.get("questionnaire") != QUESTIONNAIRE_URL:
        raise BundleError(f"{path}.questionnaire", "not the Backstride assessment contract v1")
    authored = _read_datetime(res.get("authored"), f"{path}.authored")
    answers: dict[str, Any] = {}
    for i, item in enumerate(res.get("item") or []):
        where = f"{path}.item[{i}]"
        key = item.get("linkId")
        if key in answers:
            raise BundleError(f"{where}.linkId", "answered twice")
        answer_list = item.get("answer") or []
        if len(answer_list) != 1:
            raise BundleError(f"{where}.answer", "expected exactly one answer")
        answers[key] = _read_answer(key, answer_list[0], f"{where}.answer[0]")
    if full_url not in risks:
        raise BundleError(path, "no RiskAssessment has this QuestionnaireResponse as its basis")
    risk_path, risk = risks[full_url]
    urgency: Urgency | None = None
    for i, prediction in enumerate(risk.get("prediction") or []):
        for coding in _codings(prediction.get("qualitativeRisk")):
            if coding.get("system") == URGENCY_SYSTEM:
                urgency = Urgency(coding["code"])
        if urgency is None:
            raise BundleError(f"{risk_path}.prediction[{i}].qualitativeRisk", "no urgency code")
    if urgency is None:
        raise BundleError(f"{risk_path}.prediction", "missing")
    identifier = res.get("identifier")
    assessment_id = identifier.get("value") if isinstance(identifier, Mapping) else None
    return ImportedAssessment(assessment_id, authored, answers, urgency)


def _read_answer(key: str, answer: Mapping[str, Any], path: str) -> Any:
    spec = _FIELDS.get(key)
    if "valueBoolean" in answer:
        value: Any = answer["valueBoolean"]
    elif "valueInteger" in answer:
        value = answer["valueInteger"]
    elif "valueDecimal" in answer:
        value = answer["valueDecimal"]
    elif "valueString" in answer:
        value = answer["valueString"]
        if key == _NO_LIMIT_KEY and value == _NO_LIMIT_TEXT:
            return None
    else:
        raise BundleError(path, "expected valueBoolean, valueInteger, valueDecimal or valueString")
    if spec is not None and not _fits(spec, value):
        raise BundleError(path, f"{key} expects {spec.describe_type()}")
    return value


def _fits(spec: FieldSpec, value: object) -> bool:
    """Does an answer have the contract's type and lie in its range or choices?"""
    if spec.kind is Kind.BOOL:
        return isinstance(value, bool)
    if spec.kind is Kind.CHOICE:
        return isinstance(value, str) and value in spec.choices
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if spec.kind is Kind.INT and not isinstance(value, int):
        return False
    too_low = spec.minimum is not None and value < spec.minimum
    too_high = spec.maximum is not None and value > spec.maximum
    return math.isfinite(value) and not too_low and not too_high


def _kind_of(res: Mapping[str, Any]) -> str | None:
    code = res.get("code")
    for local in (
        "pain-now",
        "pain-walking-worst",
        "walk-tolerance",
        "settled-by-morning",
        "red-flag-symptoms",
        "exercise-log",
    ):
        if _has_code(code, OBSERVATION_SYSTEM, local):
            return local
    if _has_code(code, LOINC, LOINC_EXERCISE_DURATION):
        return "walk-duration"
    if _has_code(code, LOINC, LOINC_STEPS):
        return "steps"
    if _has_code(code, LOINC, LOINC_PAIN):
        return "pain-now"  # the plain rating scale, without our context code, is "now"
    return None


@dataclass(slots=True)
class _Day:
    first_path: str
    values: dict[str, tuple[str, Mapping[str, Any]]] = field(default_factory=dict)
    exercises: list[tuple[str, Mapping[str, Any]]] = field(default_factory=list)


def _read_diary(observations: list[tuple[str, Mapping[str, Any]]]) -> tuple[DiaryEntry, ...]:
    days: dict[date, _Day] = {}
    for path, res in observations:
        kind = _kind_of(res)
        if kind is None:
            raise BundleError(f"{path}.code", "not an observation Backstride exports")
        effective = res.get("effectiveDateTime")
        if not isinstance(effective, str):
            raise BundleError(f"{path}.effectiveDateTime", "missing: the diary day")
        try:
            day = date.fromisoformat(effective[:10])
        except ValueError:
            raise BundleError(f"{path}.effectiveDateTime", "not a full date") from None
        record = days.setdefault(day, _Day(path))
        if kind == "exercise-log":
            record.exercises.append((path, res))
        elif kind in record.values:
            raise BundleError(path, "a second observation of the same kind for one day")
        else:
            record.values[kind] = (path, res)
    return tuple(_read_day(day, days[day]) for day in sorted(days))


def _need(record: _Day, kind: str) -> tuple[str, Mapping[str, Any]]:
    if kind not in record.values:
        raise BundleError(record.first_path, f"the diary day has no {kind} Observation")
    return record.values[kind]


def _pain_value(path: str, holder: Mapping[str, Any]) -> int:
    value = holder.get("valueInteger")
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise BundleError(f"{path}.valueInteger", "pain must be a whole number from 0 to 10")
    return value


def _quantity_value(path: str, res: Mapping[str, Any]) -> float:
    quantity = res.get("valueQuantity")
    if not isinstance(quantity, Mapping) or "value" not in quantity:
        raise BundleError(f"{path}.valueQuantity", "missing")
    return float(quantity["value"])


def _boolean(record: _Day, kind: str) -> bool | None:
    if kind not in record.values:
        return None
    path, res = record.values[kind]
    value = res.get("valueBoolean")
    if not isinstance(value, bool):
        raise BundleError(f"{path}.valueBoolean", "missing")
    return value


def _read_day(day: date, record: _Day) -> DiaryEntry:
    now_path, now = _need(record, "pain-now")
    walking_path, walking = _need(record, "pain-walking-worst")
    duration_path, duration = _need(record, "walk-duration")
    notes = now.get("note") or []
    note = notes[0].get("text", "") if notes else ""
    tolerance: float | None = None
    no_limit = False
    if "walk-tolerance" in record.values:
        tolerance_path, tolerance_res = record.values["walk-tolerance"]
        if "valueQuantity" in tolerance_res:
            tolerance = _quantity_value(tolerance_path, tolerance_res)
        for component in tolerance_res.get("component") or []:
            if _has_code(component.get("code"), OBSERVATION_SYSTEM, "walk-no-limit"):
                no_limit = component.get("valueBoolean") is True
    steps: int | None = None
    if "steps" in record.values:
        steps = int(_quantity_value(*record.values["steps"]))
    return DiaryEntry(
        day=day,
        pain_now=_pain_value(now_path, now),
        pain_walking=_pain_value(walking_path, walking),
        walk_minutes=_quantity_value(duration_path, duration),
        walk_tolerance_min=tolerance,
        walk_no_limit=no_limit,
        steps=steps,
        exercises=tuple(_read_exercise(path, res) for path, res in record.exercises),
        settled_by_morning=_boolean(record, "settled-by-morning"),
        red_flag=_boolean(record, "red-flag-symptoms"),
        note=note if isinstance(note, str) else _bad_note(now_path),
    )


def _bad_note(path: str) -> str:
    raise BundleError(f"{path}.note[0].text", "expected text")


def _read_exercise(path: str, res: Mapping[str, Any]) -> ExerciseLog:
    done = res.get("valueBoolean")
    if not isinstance(done, bool):
        raise BundleError(f"{path}.valueBoolean", "missing: was the exercise done?")
    exercise_id: str | None = None
    pain: int | None = None
    for component in res.get("component") or []:
        code = component.get("code")
        if _has_code(code, OBSERVATION_SYSTEM, "exercise"):
            for coding in _codings(component.get("valueCodeableConcept")):
                if coding.get("system") == ACTIVITY_SYSTEM:
                    exercise_id = coding.get("code")
        elif _has_code(code, LOINC, LOINC_PAIN) or _has_code(
            code, OBSERVATION_SYSTEM, "pain-during-exercise"
        ):
            pain = _pain_value(f"{path}.component", component)
    if not exercise_id:
        raise BundleError(f"{path}.component", "no exercise code")
    return ExerciseLog(exercise_id=exercise_id, done=done, pain_during=pain)


def _read_walking_test(path: str, res: Mapping[str, Any]) -> ImportedWalkingTest:
    """One walking-test Observation. Components Backstride does not export are passed over,
    as on the diary's Observations."""
    recorded_at = _read_datetime(res.get("effectiveDateTime"), f"{path}.effectiveDateTime")
    fields = {code: (name, unit) for name, code, unit in _WALKING_TEST_PARTS}
    values: dict[str, Any] = dict.fromkeys(_WALKING_TEST_OPTIONAL)
    found: set[str] = set()
    height: float | None = None
    for i, component in enumerate(res.get("component") or []):
        where = f"{path}.component[{i}]"
        concept = component.get("code")
        if _has_code(concept, OBSERVATION_SYSTEM, _WALKING_TEST_HEIGHT):
            height = _quantity_value(where, component)
            continue
        code = next((c for c in fields if _has_code(concept, OBSERVATION_SYSTEM, c)), None)
        if code is None:
            continue
        name, unit = fields[code]
        if name in found:
            raise BundleError(f"{where}.code", "a second component of the same kind")
        found.add(name)
        if unit is None:
            reasons = [
                c.get("code")
                for c in _codings(component.get("valueCodeableConcept"))
                if c.get("system") == STOP_REASON_SYSTEM
            ]
            if not reasons:
                raise BundleError(f"{where}.valueCodeableConcept", "no stop-reason code")
            values[name] = reasons[0]
        else:
            values[name] = _quantity_value(where, component)
    for name, code, _ in _WALKING_TEST_PARTS:
        if name not in found and name not in _WALKING_TEST_OPTIONAL:
            raise BundleError(f"{path}.component", f"no {code} component")
    values["steps"] = int(values["steps"])
    test_id = next(
        (
            str(identifier.get("value"))
            for identifier in res.get("identifier") or []
            if identifier.get("system") == WALKING_TEST_ID_SYSTEM
        ),
        None,
    )
    notes = tuple(str(note.get("text", "")) for note in res.get("note") or [])
    return ImportedWalkingTest(
        test_id=test_id, recorded_at=recorded_at, **values, height_m=height, quality=notes
    )


def _read_plan(path: str, res: Mapping[str, Any]) -> PlanSummary:
    plan_id = None
    for identifier in res.get("identifier") or []:
        if identifier.get("system") == PLAN_ID_SYSTEM:
            plan_id = identifier.get("value")
    created = res.get("created")
    exercise_ids: list[str] = []
    descriptions: list[str] = []
    target_minutes: float | None = None
    target_days: int | None = None
    for i, activity in enumerate(res.get("activity") or []):
        detail = activity.get("detail") or {}
        descriptions.append(str(detail.get("description", "")))
        for coding in _codings(detail.get("code")):
            if coding.get("system") != ACTIVITY_SYSTEM:
                continue
            if coding.get("code") != _WALKING_PLAN_CODE:
                exercise_ids.append(str(coding.get("code")))
        for extension in detail.get("extension") or []:
            if extension.get("url") == EXT_TARGET_MINUTES:
                where = f"{path}.activity[{i}].detail.extension"
                target_minutes = _quantity_value(where, extension)
            elif extension.get("url") == EXT_TARGET_DAYS:
                target_days = extension.get("valueInteger")
    return PlanSummary(
        plan_id=plan_id,
        status=str(res.get("status")),
        created=_read_datetime(created, f"{path}.created") if created is not None else None,
        headline=str(res.get("description", "")),
        exercise_ids=tuple(exercise_ids),
        activities=tuple(descriptions),
        walking_target_minutes_per_session=target_minutes,
        walking_target_days_per_week=target_days,
    )


def _read_flag(path: str, res: Mapping[str, Any]) -> ImportedFlag:
    escalation_id = None
    for identifier in res.get("identifier") or []:
        if identifier.get("system") == ESCALATION_ID_SYSTEM:
            escalation_id = identifier.get("value")
    level = None
    for coding in _codings(res.get("code")):
        if coding.get("system") == URGENCY_SYSTEM:
            level = Urgency(coding["code"])
    start = (res.get("period") or {}).get("start")
    code = res.get("code")
    text = code.get("text", "") if isinstance(code, Mapping) else ""
    return ImportedFlag(
        escalation_id=escalation_id,
        level=level,
        text=str(text),
        start=_read_datetime(start, f"{path}.period.start") if start is not None else None,
    )
