"""FHIR R4B export and import: valid, coded from our value sets, deterministic, round trip."""

from __future__ import annotations

import copy
import dataclasses
import json
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backstride.domain.diary import (
    DiaryEntry,
    EntryRef,
    EscalationReason,
    ExerciseLog,
    Person,
    Role,
    StoredAssessment,
    StoredEscalation,
    StoredPlan,
)
from backstride.domain.urgency import Urgency
from backstride.domain.walking import StoredWalkingTest
from backstride.interop.fhir import (
    LOINC,
    OBSERVATION_CODES,
    OBSERVATION_SYSTEM,
    PERSON_ID_SYSTEM,
    QUESTIONNAIRE_URL,
    STOP_REASON_DISPLAY,
    STOP_REASON_SYSTEM,
    URGENCY_SYSTEM,
    WALKING_TEST_ID_SYSTEM,
    BundleError,
    ImportedWalkingTest,
    check_value_sets,
    export_bundle,
    import_bundle,
)

START = date(2026, 3, 2)
GENERATED = datetime(2026, 3, 16, 18, 30, tzinfo=UTC)
PERSON = Person(
    id=42, name="Ana María O'Neill", role=Role.PERSON, created_at=datetime(2026, 2, 20, tzinfo=UTC)
)
EXERCISE_IDS = ("pelvic_tilt", "childs_pose", "clamshell", "cat_camel", "knee_to_chest")

STENOSIS_ANSWERS: dict[str, Any] = {
    "age": 74,
    "sex": "female",
    "duration_days": 120,
    "trend": "unchanged",
    "onset": "gradual",
    "pain_now": 3,
    "pain_walking": 6,
    "walking_tolerance_min": 10,
    "previous_episodes": True,
    "major_trauma": False,
    "leg_pain": "above_knee",
    "leg_pain_sides": "both",
    "leg_pain_worse_than_back": True,
    "leg_numbness_tingling": "both",
    "leg_weakness": "none",
    "saddle_numbness": False,
    "bladder_change": "none",
    "bowel_incontinence": False,
    "fever": False,
    "cancer_history": False,
    "relief_sitting_or_bending_forward": True,
    "worse_standing_or_downhill": True,
    "sitting_hours_per_day": 5.5,
    "active_minutes_per_week": 60,
    "stress": 3,
    "outlook_bothersome": 3,
    "outlook_walking_limited": True,
}
FOLLOW_UP_ANSWERS: dict[str, Any] = {
    **STENOSIS_ANSWERS,
    "pain_now": 2,
    "pain_walking": 3,
    "walking_tolerance_min": None,  # no limit
    "trend": "improving",
    "sitting_hours_per_day": 4,
}
SOON_RESULT: dict[str, Any] = {
    "contract": 1,
    "urgency": "soon",
    "reasons": [
        {
            "rule": "soon.neurogenic_claudication",
            "level": "soon",
            "message": "Leg symptoms when walking that ease on sitting suggest spinal stenosis.",
            "source": "Suri JAMA 2010",
        }
    ],
    "patterns": [],
    "missing": [],
    "next_steps": [],
}
SELF_CARE_RESULT: dict[str, Any] = {**SOON_RESULT, "urgency": "self_care", "reasons": []}
ASSESSMENTS = (
    StoredAssessment(
        7, 42, datetime(2026, 3, 1, 10, 5, tzinfo=UTC), STENOSIS_ANSWERS, SOON_RESULT, "2026.11.0"
    ),
    StoredAssessment(
        9,
        42,
        datetime(2026, 3, 15, 9, 0, 30, tzinfo=UTC),
        FOLLOW_UP_ANSWERS,
        SELF_CARE_RESULT,
        "2026.11.0",
    ),
)

NOTES = {
    1: "Walked to the shops, with a trolley; easier leaning on it.",
    3: 'Said "not too bad" to the physio.\nSecond line, with a comma, too.',
    5: "=cmd|' /C calc'!A0",
    6: "+1 minute today",
    8: "-2 after the stairs",
    9: "@SUM(A1:A2)",
    12: "Needed to pass water often, felt odd.\r\nSettled next day.",
}
RED_FLAG_DAY = 12


def diary_entry(offset: int) -> DiaryEntry:
    """A realistic day: offsets 2 and 10 walk with no limit, 4, 7 and 11 have no steps."""
    no_limit = offset in {2, 10}
    return DiaryEntry(
        day=START + timedelta(days=offset),
        pain_now=max(1, 5 - offset // 4),
        pain_walking=max(2, 7 - offset // 3),
        walk_minutes=12.0 + offset / 2,
        walk_tolerance_min=(25.0 if offset == 10 else None) if no_limit else 8.0 + offset * 1.25,
        walk_no_limit=no_limit,
        steps=None if offset in {4, 7, 11} else 3500 + 150 * offset,
        exercises=tuple(
            ExerciseLog(ex, done=i < 3 + offset % 3, pain_during=(2 + i) if i < 2 else None)
            for i, ex in enumerate(EXERCISE_IDS)
        )
        if offset != 6
        else (),
        settled_by_morning=None if offset == 0 else offset != 9,
        red_flag=offset == RED_FLAG_DAY or (None if offset == 1 else False),
        note=NOTES.get(offset, ""),
    )


ENTRIES = tuple(diary_entry(n) for n in range(14))

PLAN_BODY: dict[str, Any] = {
    "contract": 1,
    "urgency": "soon",
    "headline": "Book an appointment with a doctor or physiotherapist in the next 1 to 2 weeks",
    "content_version": "2026.11.0",
    "minutes_per_day": 45,
    "patterns": ["neurogenic_claudication"],
    "exercises": [
        {
            "id": ex,
            "name": ex.replace("_", " ").capitalize(),
            "category": "mobility",
            "dose": {
                "sets": 2,
                "reps": 8,
                "hold_s": 2,
                "rest_s": 30,
                "times_per_day": 2,
                "per_side": ex == "clamshell",
            },
            "minutes_per_day": 3.7,
        }
        for ex in EXERCISE_IDS
    ],
    "walking": {
        "start_tolerance_min": 10.0,
        "tolerance_known": True,
        "rest_position": "Sit down, or lean forward on a rail.",
        "target_minutes_per_session": 30,
        "target_days_per_week": 5,
        "budget_limited": False,
        "steps": None,
        "weeks": [
            {"week": 1, "days": 3, "minutes_per_session": 15, "intervals": []},
            {"week": 2, "days": 4, "minutes_per_session": 15, "intervals": []},
            {"week": 3, "days": 5, "minutes_per_session": 17, "intervals": []},
        ],
    },
    "safety": ["Book an appointment within 1 to 2 weeks."],
}
PLAN = StoredPlan(11, 42, 7, datetime(2026, 3, 1, 10, 6, tzinfo=UTC), PLAN_BODY, current_week=2)

REASON = EscalationReason(
    rule="diary.red_flag",
    level=Urgency.URGENT,
    message="A new change in bladder control was reported.",
    source="NICE NG59",
    entries=(EntryRef(START + timedelta(days=RED_FLAG_DAY), "red-flag answer: yes"),),
)
ACKNOWLEDGED = StoredEscalation(
    3,
    42,
    Urgency.SOON,
    (),
    datetime(2026, 3, 8, 19, tzinfo=UTC),
    datetime(2026, 3, 8, 19, tzinfo=UTC),
    datetime(2026, 3, 9, 8, tzinfo=UTC),
)
ACTIVE = StoredEscalation(
    4, 42, Urgency.URGENT, (REASON,), datetime(2026, 3, 14, 20, tzinfo=UTC), None, None
)


def walking_test(test_id: int, day: int, **changes: Any) -> StoredWalkingTest:
    """A test on diary day ``day`` at 11:00: pain after 3 min 20 s, every value recorded."""
    test = StoredWalkingTest(
        id=test_id,
        person_id=42,
        day=START + timedelta(days=day),
        recorded_at=datetime(2026, 3, 2, 11, tzinfo=UTC) + timedelta(days=day),
        time_to_first_symptom_s=200.5,
        distance_to_first_symptom_m=210.25,
        walking_time_s=320.0,
        distance_m=333.75,
        total_time_s=330.5,
        stop_reason="pain",
        recovery_s=95.0,
        steps=512,
        cadence_spm=98.5,
        speed_mps=1.05,
        sampling_rate_hz=60.0,
        detail={"bouts": [], "quality": [], "height_m": 1.62},
    )
    return dataclasses.replace(test, **changes)


PHONE_MOVED = {"code": "phone_moved", "message": "The phone moved on the belt during the walk."}
NOT_RECORDED: dict[str, Any] = {
    "time_to_first_symptom_s": None,
    "distance_to_first_symptom_m": None,
    "distance_m": None,
    "recovery_s": None,
    "cadence_spm": None,
    "speed_mps": None,
}
#: Ids out of time order on purpose; tests 6 and 5 share a time, so the id decides.
WALKING_TESTS = (
    walking_test(3, 0),
    walking_test(
        6,
        7,
        stop_reason="other_symptom",
        detail={"bouts": [], "quality": [PHONE_MOVED], "height_m": 1.62},
    ),
    walking_test(5, 7, stop_reason="other", walking_time_s=0, distance_m=0.0, steps=0),
    walking_test(2, 13, stop_reason="time_limit", total_time_s=900.0, detail={}, **NOT_RECORDED),
)
#: The measured fields that StoredWalkingTest has too (height and notes come from ``detail``).
MEASURES = [f.name for f in dataclasses.fields(ImportedWalkingTest)][2:-2]


def export(**changes: Any) -> dict[str, Any]:
    arguments: dict[str, Any] = {
        "person": PERSON,
        "assessments": ASSESSMENTS,
        "entries": ENTRIES,
        "plan": PLAN,
        "escalations": (ACKNOWLEDGED, ACTIVE),
        "walking_tests": WALKING_TESTS,
    }
    arguments.update(changes)
    return export_bundle(**arguments, generated_at=GENERATED)


def as_json(bundle: dict[str, Any]) -> bytes:
    return json.dumps(bundle, sort_keys=True, ensure_ascii=False).encode()


def resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def index_of(bundle: dict[str, Any], test: Callable[[dict[str, Any]], bool]) -> int:
    return next(i for i, e in enumerate(bundle["entry"]) if test(e["resource"]))


def has_code(resource: dict[str, Any], system: str, code: str) -> bool:
    return any(c["system"] == system and c["code"] == code for c in resource["code"]["coding"])


# --- The export -------------------------------------------------------------------------


def test_the_bundle_validates_with_the_library_after_a_json_round_trip() -> None:
    bundle = export()
    parsed = Bundle.model_validate(json.loads(as_json(bundle)))
    assert parsed.type == "collection"
    kinds = Counter(e["resource"]["resourceType"] for e in bundle["entry"])
    assert kinds["Patient"] == 1
    assert kinds["QuestionnaireResponse"] == 2
    assert kinds["RiskAssessment"] == 2
    assert kinds["CarePlan"] == 1
    assert kinds["Flag"] == 1
    # pain now, pain walking, duration every day; steps on 11 days; tolerance on all 14.
    exercise_logs = sum(len(e.exercises) for e in ENTRIES)
    settled = sum(e.settled_by_morning is not None for e in ENTRIES)
    red = sum(e.red_flag is not None for e in ENTRIES)
    walking = len(WALKING_TESTS)
    assert kinds["Observation"] == 14 * 3 + 11 + 14 + settled + red + exercise_logs + walking


def test_our_value_set_checks_find_nothing() -> None:
    assert check_value_sets(export()) == []


def test_every_full_url_is_a_unique_urn_uuid_and_references_resolve() -> None:
    bundle = export()
    urls = [e["fullUrl"] for e in bundle["entry"]]
    assert len(set(urls)) == len(urls)
    assert all(u.startswith("urn:uuid:") and len(u) == 45 for u in urls)
    references = set(_references(bundle))
    referable = {
        e["fullUrl"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] in {"Patient", "QuestionnaireResponse"}
    }
    assert references == referable  # subjects, and the basis of each RiskAssessment


def _references(value: object) -> list[str]:
    if isinstance(value, dict):
        found = [value["reference"]] if "reference" in value else []
        return found + [r for v in value.values() for r in _references(v)]
    if isinstance(value, list):
        return [r for v in value for r in _references(v)]
    return []


def test_the_same_data_gives_a_byte_identical_bundle_whatever_the_input_order() -> None:
    first = as_json(export())
    again = as_json(export())
    shuffled = as_json(
        export(
            assessments=tuple(reversed(ASSESSMENTS)),
            entries=tuple(reversed(ENTRIES)),
            escalations=(ACTIVE, ACKNOWLEDGED),
            walking_tests=tuple(reversed(WALKING_TESTS)),
        )
    )
    assert first == again == shuffled


def test_patient_has_the_backstride_id_and_name_and_nothing_invented() -> None:
    (patient,) = resources(export(), "Patient")
    assert patient["identifier"] == [{"system": PERSON_ID_SYSTEM, "value": "42"}]
    assert patient["name"] == [{"text": PERSON.name}]
    assert set(patient) == {"resourceType", "id", "identifier", "name"}


def test_questionnaire_response_has_one_typed_item_per_answered_key() -> None:
    first, second = resources(export(), "QuestionnaireResponse")
    assert first["questionnaire"] == QUESTIONNAIRE_URL
    assert first["status"] == "completed"
    assert first["authored"] == "2026-03-01T10:05:00+00:00"
    items = {i["linkId"]: i["answer"][0] for i in first["item"]}
    assert set(items) == set(STENOSIS_ANSWERS)
    assert items["age"] == {"valueInteger": 74}
    assert items["sex"] == {"valueString": "female"}
    assert items["previous_episodes"] == {"valueBoolean": True}
    assert items["sitting_hours_per_day"] == {"valueDecimal": 5.5}
    assert items["walking_tolerance_min"] == {"valueDecimal": 10}
    assert items["outlook_bothersome"] == {"valueInteger": 3}
    second_items = {i["linkId"]: i["answer"][0] for i in second["item"]}
    assert second_items["walking_tolerance_min"] == {"valueString": "no limit"}


def test_risk_assessment_codes_the_urgency_and_rests_on_its_questionnaire_response() -> None:
    bundle = export()
    url_of = {id(e["resource"]): e["fullUrl"] for e in bundle["entry"]}
    responses = resources(bundle, "QuestionnaireResponse")
    risks = resources(bundle, "RiskAssessment")
    for response, risk, expected in zip(responses, risks, ("soon", "self_care"), strict=True):
        assert risk["basis"] == [{"reference": url_of[id(response)]}]
        (coding,) = risk["prediction"][0]["qualitativeRisk"]["coding"]
        assert (coding["system"], coding["code"]) == (URGENCY_SYSTEM, expected)
        assert risk["status"] == "final"


def test_observations_use_loinc_codes_units_and_categories() -> None:
    observations = resources(export(), "Observation")
    day_one = [o for o in observations if o["effectiveDateTime"] == START.isoformat()]
    pain = [o for o in day_one if has_code(o, LOINC, "72514-3")]
    assert {o["valueInteger"] for o in pain} == {ENTRIES[0].pain_now, ENTRIES[0].pain_walking}
    assert all(o["category"][0]["coding"][0]["code"] == "survey" for o in pain)
    walking = next(o for o in pain if has_code(o, OBSERVATION_SYSTEM, "pain-walking-worst"))
    assert walking["valueInteger"] == ENTRIES[0].pain_walking
    steps = next(o for o in day_one if has_code(o, LOINC, "41950-7"))
    assert steps["valueQuantity"] == {
        "value": ENTRIES[0].steps,
        "unit": "/d",
        "system": "http://unitsofmeasure.org",
        "code": "/d",
    }
    assert steps["category"][0]["coding"][0]["code"] == "activity"
    duration = next(o for o in day_one if has_code(o, LOINC, "55411-3"))
    assert duration["valueQuantity"]["code"] == "min"
    assert duration["valueQuantity"]["value"] == ENTRIES[0].walk_minutes


def test_days_without_steps_have_no_steps_observation() -> None:
    observations = resources(export(), "Observation")
    step_days = {o["effectiveDateTime"] for o in observations if has_code(o, LOINC, "41950-7")}
    missing = {e.day.isoformat() for e in ENTRIES if e.steps is None}
    assert missing
    assert not step_days & missing


def test_no_limit_tolerance_is_a_data_absent_reason_plus_a_component() -> None:
    observations = resources(export(), "Observation")
    tolerance = {
        o["effectiveDateTime"]: o
        for o in observations
        if has_code(o, OBSERVATION_SYSTEM, "walk-tolerance")
    }
    no_limit_only = tolerance[(START + timedelta(days=2)).isoformat()]
    assert "valueQuantity" not in no_limit_only
    assert no_limit_only["dataAbsentReason"]["coding"][0]["code"] == "not-applicable"
    assert no_limit_only["component"][0]["valueBoolean"] is True
    both = tolerance[(START + timedelta(days=10)).isoformat()]
    assert both["valueQuantity"]["value"] == 25.0
    assert both["component"][0]["valueBoolean"] is True
    limited = tolerance[START.isoformat()]
    assert limited["valueQuantity"] == {
        "value": 8.0,
        "unit": "min",
        "system": "http://unitsofmeasure.org",
        "code": "min",
    }
    assert "component" not in limited


def test_the_red_flag_answer_is_an_observation() -> None:
    observations = resources(export(), "Observation")
    red = [
        o
        for o in observations
        if has_code(o, OBSERVATION_SYSTEM, "red-flag-symptoms") and o["valueBoolean"]
    ]
    assert [o["effectiveDateTime"] for o in red] == [
        (START + timedelta(days=RED_FLAG_DAY)).isoformat()
    ]


def test_care_plan_holds_the_exercises_and_the_weekly_walking_target() -> None:
    (plan,) = resources(export(), "CarePlan")
    assert (plan["status"], plan["intent"]) == ("active", "plan")
    assert plan["description"] == PLAN_BODY["headline"]
    *exercises, walking = plan["activity"]
    assert [a["detail"]["code"]["coding"][0]["code"] for a in exercises] == list(EXERCISE_IDS)
    assert (
        exercises[0]["detail"]["description"] == "Pelvic tilt: 2 sets of 8, hold 2 s, 2 times a day"
    )
    detail = walking["detail"]
    assert "Week 2: walk 15 minutes a session, 4 days a week." in detail["description"]
    assert "Weekly target: 30 minutes a session, 5 days a week." in detail["description"]
    assert detail["scheduledTiming"]["repeat"] == {
        "frequency": 4,
        "period": 1,
        "periodUnit": "wk",
        "duration": 15,
        "durationUnit": "min",
    }


def test_only_the_unacknowledged_escalation_gives_a_flag() -> None:
    (flag,) = resources(export(), "Flag")
    assert flag["identifier"][0]["value"] == str(ACTIVE.id)
    assert flag["status"] == "active"
    assert flag["period"] == {"start": "2026-03-14T20:00:00+00:00"}
    assert REASON.message in flag["code"]["text"]
    assert flag["code"]["coding"][0]["code"] == "urgent"
    none = export(escalations=(ACKNOWLEDGED,))
    assert resources(none, "Flag") == []


def is_walking_test(resource: dict[str, Any]) -> bool:
    return resource["resourceType"] == "Observation" and has_code(
        resource, OBSERVATION_SYSTEM, "walking-tolerance-test"
    )


def walking_observations(bundle: dict[str, Any]) -> list[dict[str, Any]]:
    return [o for o in resources(bundle, "Observation") if is_walking_test(o)]


def components(observation: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each component by its local code (the only coding a walking-test component has)."""
    found: dict[str, dict[str, Any]] = {}
    for component in observation["component"]:
        (coding,) = component["code"]["coding"]
        assert coding["system"] == OBSERVATION_SYSTEM
        found[coding["code"]] = component
    return found


def ucum(value: float, unit: str) -> dict[str, Any]:
    return {"value": value, "unit": unit, "system": "http://unitsofmeasure.org", "code": unit}


def test_a_walking_test_is_an_activity_observation_with_one_component_per_measure() -> None:
    bundle = export()
    first = walking_observations(bundle)[0]
    assert first["identifier"] == [{"system": WALKING_TEST_ID_SYSTEM, "value": "3"}]
    assert first["status"] == "final"
    assert first["category"][0]["coding"][0]["code"] == "activity"
    assert first["effectiveDateTime"] == "2026-03-02T11:00:00+00:00"
    assert bundle["entry"][0]["resource"]["resourceType"] == "Patient"
    assert first["subject"] == {"reference": bundle["entry"][0]["fullUrl"]}
    assert not any(key.startswith("value") for key in first)  # the components hold it all
    parts = components(first)
    assert list(parts) == [
        "walking-test-time-to-first-symptom",
        "walking-test-distance-to-first-symptom",
        "walking-test-walking-time",
        "walking-test-distance",
        "walking-test-total-time",
        "walking-test-stop-reason",
        "walking-test-recovery-time",
        "walking-test-steps",
        "walking-test-cadence",
        "walking-test-speed",
        "walking-test-body-height",
    ]
    assert parts["walking-test-time-to-first-symptom"]["valueQuantity"] == ucum(200.5, "s")
    assert parts["walking-test-distance-to-first-symptom"]["valueQuantity"] == ucum(210.25, "m")
    assert parts["walking-test-walking-time"]["valueQuantity"] == ucum(320.0, "s")
    assert parts["walking-test-distance"]["valueQuantity"] == ucum(333.75, "m")
    assert parts["walking-test-total-time"]["valueQuantity"] == ucum(330.5, "s")
    assert parts["walking-test-recovery-time"]["valueQuantity"] == ucum(95.0, "s")
    assert parts["walking-test-steps"]["valueQuantity"] == ucum(512, "{steps}")
    assert parts["walking-test-cadence"]["valueQuantity"] == ucum(98.5, "/min")
    assert parts["walking-test-speed"]["valueQuantity"] == ucum(1.05, "m/s")
    assert parts["walking-test-body-height"]["valueQuantity"] == ucum(1.62, "m")
    assert "note" not in first  # no quality notes on this recording
    (reason,) = parts["walking-test-stop-reason"]["valueCodeableConcept"]["coding"]
    assert (reason["system"], reason["code"]) == (STOP_REASON_SYSTEM, "pain")
    assert reason["display"]


def test_walking_test_values_not_recorded_have_no_component() -> None:
    last = walking_observations(export())[-1]
    parts = components(last)
    assert set(parts) == {
        "walking-test-walking-time",
        "walking-test-total-time",
        "walking-test-stop-reason",
        "walking-test-steps",
    }
    assert all("dataAbsentReason" not in c for c in last["component"])
    (reason,) = parts["walking-test-stop-reason"]["valueCodeableConcept"]["coding"]
    assert reason["code"] == "time_limit"


def test_walking_tests_follow_the_diary_in_time_then_id_order() -> None:
    bundle = export()
    order = [o["identifier"][0]["value"] for o in walking_observations(bundle)]
    assert order == ["3", "5", "6", "2"]
    last_diary = max(
        i
        for i, e in enumerate(bundle["entry"])
        if e["resource"]["resourceType"] == "Observation" and not is_walking_test(e["resource"])
    )
    first_test = index_of(bundle, is_walking_test)
    plan = index_of(bundle, lambda r: r["resourceType"] == "CarePlan")
    assert last_diary < first_test < plan
    assert resources(export(walking_tests=()), "Observation") == [
        o for o in resources(bundle, "Observation") if not is_walking_test(o)
    ]


def test_every_local_observation_and_stop_reason_code_is_documented() -> None:
    reference = Path(__file__).parents[2] / "docs" / "reference" / "exports.md"
    text = reference.read_text(encoding="utf-8")
    undocumented = [c for c in (*OBSERVATION_CODES, *STOP_REASON_DISPLAY) if f"`{c}`" not in text]
    assert undocumented == []


def test_no_plan_no_care_plan_and_naive_times_are_utc() -> None:
    naive = StoredAssessment(
        1, 42, datetime(2026, 3, 1, 10, 5), STENOSIS_ANSWERS, SOON_RESULT, "2026.11.0"
    )
    naive_test = walking_test(1, 0, recorded_at=datetime(2026, 3, 2, 11, 30))
    bundle = export(plan=None, assessments=(naive,), walking_tests=(naive_test,))
    assert resources(bundle, "CarePlan") == []
    (response,) = resources(bundle, "QuestionnaireResponse")
    assert response["authored"] == "2026-03-01T10:05:00+00:00"
    (test,) = walking_observations(bundle)
    assert test["effectiveDateTime"] == "2026-03-02T11:30:00+00:00"


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"entries": (DiaryEntry(START, 11, 3, 10.0),)}, "pain-now"),
        ({"entries": (DiaryEntry(START, 3, 3, -1.0),)}, "walk-duration"),
        ({"entries": (diary_entry(0), diary_entry(0))}, "two entries for one day"),
        (
            {
                "assessments": (
                    StoredAssessment(1, 42, GENERATED, {"sex": None}, SOON_RESULT, "2026.11.0"),
                )
            },
            "'sex'",
        ),
        (
            {
                "assessments": (
                    StoredAssessment(1, 42, GENERATED, {"age": 40.5}, SOON_RESULT, "2026.11.0"),
                )
            },
            "'age': expected a whole number",
        ),
        (
            {"walking_tests": (walking_test(1, 0, stop_reason="tired"),)},
            "walking-tolerance-test component walking-test-stop-reason: expected one of pain, ",
        ),
        (
            {"walking_tests": (walking_test(1, 0, walking_time_s=-3.0),)},
            "component walking-test-walking-time must be a finite number of at least 0",
        ),
        (
            {"walking_tests": (walking_test(1, 0, speed_mps=float("nan")),)},
            "component walking-test-speed must be a finite number",
        ),
        (
            {"walking_tests": (walking_test(1, 0, steps=12.5),)},
            "component walking-test-steps must be a whole number",
        ),
        (
            {"walking_tests": (walking_test(1, 0, total_time_s=None),)},
            "component walking-test-total-time must be a finite number",
        ),
    ],
)
def test_data_that_cannot_make_a_valid_bundle_raises_naming_the_place(
    changes: dict[str, Any], named: str
) -> None:
    with pytest.raises(ValueError, match=named) as caught:
        export(**changes)
    assert "tired" not in str(caught.value)  # the value found is not repeated


# --- The round trip ---------------------------------------------------------------------


def test_round_trip_gives_back_the_same_record() -> None:
    record = import_bundle(json.loads(as_json(export())))
    assert record.person_name == PERSON.name
    assert record.person_id == "42"
    assert len(record.assessments) == len(ASSESSMENTS)
    for imported, stored in zip(record.assessments, ASSESSMENTS, strict=True):
        assert imported.answers == stored.answers
        assert imported.urgency is stored.urgency
        assert imported.authored == stored.created_at
        assert imported.assessment_id == str(stored.id)
    assert record.assessments[1].answers["walking_tolerance_min"] is None
    assert len(record.entries) == len(ENTRIES)
    for imported_entry, entry in zip(record.entries, ENTRIES, strict=True):
        for name in DiaryEntry.__slots__:
            assert getattr(imported_entry, name) == getattr(entry, name), name
    assert record.entries == ENTRIES
    assert record.plan is not None
    assert record.plan.exercise_ids == EXERCISE_IDS
    assert record.plan.walking_target_minutes_per_session == 30
    assert record.plan.walking_target_days_per_week == 5
    assert record.plan.headline == PLAN_BODY["headline"]
    assert record.plan.created == PLAN.created_at
    assert [f.escalation_id for f in record.flags] == [str(ACTIVE.id)]
    assert record.flags[0].level is Urgency.URGENT


def test_walking_tests_round_trip_with_and_without_the_optional_values() -> None:
    record = import_bundle(json.loads(as_json(export())))
    in_order = sorted(WALKING_TESTS, key=lambda t: (t.recorded_at, t.id))
    assert [t.test_id for t in record.walking_tests] == [str(t.id) for t in in_order]
    for imported, stored in zip(record.walking_tests, in_order, strict=True):
        assert imported.recorded_at == stored.recorded_at
        for name in MEASURES:
            assert getattr(imported, name) == getattr(stored, name), name
        assert isinstance(imported.steps, int)
    last = record.walking_tests[-1]
    assert all(getattr(last, name) is None for name in NOT_RECORDED)
    # From ``detail``: the height given, and the analysis's notes in words.
    assert [(t.height_m, t.quality) for t in record.walking_tests] == [
        (1.62, ()),
        (1.62, ()),
        (1.62, (PHONE_MOVED["message"],)),
        (None, ()),
    ]


@pytest.mark.parametrize("quality", ["odd", {"code": "x"}, [{"code": "x"}, "odd"]])
def test_quality_notes_in_an_unexpected_shape_are_left_out(quality: object) -> None:
    test = walking_test(9, 1, detail={"quality": quality})
    (observation,) = walking_observations(export(walking_tests=(test,)))
    assert "note" not in observation


def test_round_trip_without_plan_or_diary() -> None:
    record = import_bundle(export(plan=None, entries=(), escalations=(), walking_tests=()))
    assert record.plan is None
    assert record.entries == ()
    assert record.flags == ()
    assert record.walking_tests == ()


def test_import_passes_over_walking_test_components_it_does_not_know() -> None:
    bundle = copy.deepcopy(export())
    index = index_of(bundle, is_walking_test)
    observation = bundle["entry"][index]["resource"]
    observation["component"].append(
        {"code": {"coding": [{"system": "https://example.org/gait", "code": "stride"}]}}
    )
    del observation["identifier"]  # as in a bundle another system wrote
    (first, *_) = import_bundle(bundle).walking_tests
    assert first.test_id is None
    assert first.walking_time_s == WALKING_TESTS[0].walking_time_s


# --- Bad bundles ------------------------------------------------------------------------


def _pain_now_index(bundle: dict[str, Any]) -> int:
    return index_of(bundle, lambda r: r["resourceType"] == "Observation")


def _wrong_top_type(bundle: dict[str, Any]) -> str:
    bundle["resourceType"] = "Patient"
    return "Bundle.resourceType"


def _unsupported_resource(bundle: dict[str, Any]) -> str:
    index = _pain_now_index(bundle)
    bundle["entry"][index]["resource"]["resourceType"] = "Medication"
    return f"entry[{index}].resource.resourceType"


def _observation_as_patient(bundle: dict[str, Any]) -> str:
    index = _pain_now_index(bundle)
    bundle["entry"][index]["resource"]["resourceType"] = "Patient"
    return f"entry[{index}].resource"


def _pain_eleven(bundle: dict[str, Any]) -> str:
    index = _pain_now_index(bundle)
    bundle["entry"][index]["resource"]["valueInteger"] = 11
    return f"entry[{index}].resource.valueInteger"


def _pain_as_text(bundle: dict[str, Any]) -> str:
    index = _pain_now_index(bundle)
    bundle["entry"][index]["resource"]["valueInteger"] = True
    return f"entry[{index}].resource.valueInteger"


def _missing_date(bundle: dict[str, Any]) -> str:
    index = _pain_now_index(bundle)
    del bundle["entry"][index]["resource"]["effectiveDateTime"]
    return f"entry[{index}].resource.effectiveDateTime"


def _unknown_loinc(bundle: dict[str, Any]) -> str:
    index = _pain_now_index(bundle)
    bundle["entry"][index]["resource"]["code"]["coding"][0]["code"] = "8480-6"
    return f"entry[{index}].resource.code.coding[0].code"


def _unknown_urgency(bundle: dict[str, Any]) -> str:
    index = index_of(bundle, lambda r: r["resourceType"] == "RiskAssessment")
    risk = bundle["entry"][index]["resource"]
    risk["prediction"][0]["qualitativeRisk"]["coding"][0]["code"] = "whenever"
    return f"entry[{index}].resource.prediction[0].qualitativeRisk.coding[0].code"


def _bad_flag_status(bundle: dict[str, Any]) -> str:
    index = index_of(bundle, lambda r: r["resourceType"] == "Flag")
    bundle["entry"][index]["resource"]["status"] = "paused"
    return f"entry[{index}].resource.status"


def _missing_status(bundle: dict[str, Any]) -> str:
    index = _pain_now_index(bundle)
    del bundle["entry"][index]["resource"]["status"]
    return f"entry[{index}].resource.status"


def _bad_steps_unit(bundle: dict[str, Any]) -> str:
    index = index_of(
        bundle, lambda r: r["resourceType"] == "Observation" and has_code(r, LOINC, "41950-7")
    )
    bundle["entry"][index]["resource"]["valueQuantity"]["code"] = "min"
    return f"entry[{index}].resource.valueQuantity.code"


def _missing_pain_walking(bundle: dict[str, Any]) -> str:
    index = index_of(
        bundle,
        lambda r: (
            r["resourceType"] == "Observation"
            and has_code(r, OBSERVATION_SYSTEM, "pain-walking-worst")
        ),
    )
    del bundle["entry"][index]
    return f"entry[{index - 1}]"


def _two_answers(bundle: dict[str, Any]) -> str:
    index = index_of(bundle, lambda r: r["resourceType"] == "QuestionnaireResponse")
    item = bundle["entry"][index]["resource"]["item"][0]
    item["answer"].append({"valueInteger": 75})
    return f"entry[{index}].resource.item[0].answer"


def _wrong_answer_type(bundle: dict[str, Any]) -> str:
    index = index_of(bundle, lambda r: r["resourceType"] == "QuestionnaireResponse")
    bundle["entry"][index]["resource"]["item"][0]["answer"] = [{"valueString": "74"}]
    return f"entry[{index}].resource.item[0].answer[0]"


def _age_out_of_range(bundle: dict[str, Any]) -> str:
    index = index_of(bundle, lambda r: r["resourceType"] == "QuestionnaireResponse")
    bundle["entry"][index]["resource"]["item"][0]["answer"] = [{"valueInteger": 140}]
    return f"entry[{index}].resource.item[0].answer[0]"


def _unknown_choice(bundle: dict[str, Any]) -> str:
    index = index_of(bundle, lambda r: r["resourceType"] == "QuestionnaireResponse")
    bundle["entry"][index]["resource"]["item"][1]["answer"] = [{"valueString": "unknown"}]
    return f"entry[{index}].resource.item[1].answer[0]"


def _walking_part(bundle: dict[str, Any], code: str) -> tuple[int, int, dict[str, Any]]:
    """The first walking test's entry index, and the index and body of its ``code`` part."""
    index = index_of(bundle, is_walking_test)
    observation = bundle["entry"][index]["resource"]
    (number,) = [
        i
        for i, c in enumerate(observation["component"])
        if c["code"]["coding"][0]["code"] == f"walking-test-{code}"
    ]
    return index, number, observation["component"][number]


def _unknown_stop_reason(bundle: dict[str, Any]) -> str:
    index, number, part = _walking_part(bundle, "stop-reason")
    part["valueCodeableConcept"]["coding"][0]["code"] = "tired"
    return f"entry[{index}].resource.component[{number}].valueCodeableConcept.coding[0].code"


def _speed_in_km_h(bundle: dict[str, Any]) -> str:
    index, number, part = _walking_part(bundle, "speed")
    part["valueQuantity"].update(unit="km/h", code="km/h")
    return f"entry[{index}].resource.component[{number}].valueQuantity.code"


def _half_a_step(bundle: dict[str, Any]) -> str:
    index, number, part = _walking_part(bundle, "steps")
    part["valueQuantity"]["value"] = 512.5
    return f"entry[{index}].resource.component[{number}].valueQuantity.value"


def _walking_test_without_time(bundle: dict[str, Any]) -> str:
    index = index_of(bundle, is_walking_test)
    del bundle["entry"][index]["resource"]["effectiveDateTime"]
    return f"entry[{index}].resource.effectiveDateTime"


def _walking_test_without_total_time(bundle: dict[str, Any]) -> str:
    index, number, _ = _walking_part(bundle, "total-time")
    del bundle["entry"][index]["resource"]["component"][number]
    return f"entry[{index}].resource.component"


def _walking_test_steps_twice(bundle: dict[str, Any]) -> str:
    index, _, part = _walking_part(bundle, "steps")
    components = bundle["entry"][index]["resource"]["component"]
    components.append(copy.deepcopy(part))
    return f"entry[{index}].resource.component[{len(components) - 1}].code"


def _stop_reason_as_text(bundle: dict[str, Any]) -> str:
    index, number, part = _walking_part(bundle, "stop-reason")
    part["valueCodeableConcept"] = {"text": "pain"}
    return f"entry[{index}].resource.component[{number}].valueCodeableConcept"


def _walking_time_as_text(bundle: dict[str, Any]) -> str:
    index, number, part = _walking_part(bundle, "walking-time")
    del part["valueQuantity"]
    part["valueString"] = "five minutes"
    return f"entry[{index}].resource.component[{number}].valueQuantity"


@pytest.mark.parametrize(
    "breaking",
    [
        _unknown_stop_reason,
        _speed_in_km_h,
        _half_a_step,
        _walking_test_without_time,
        _walking_test_without_total_time,
        _walking_test_steps_twice,
        _stop_reason_as_text,
        _walking_time_as_text,
        _age_out_of_range,
        _unknown_choice,
        _wrong_top_type,
        _unsupported_resource,
        _observation_as_patient,
        _pain_eleven,
        _pain_as_text,
        _missing_date,
        _unknown_loinc,
        _unknown_urgency,
        _bad_flag_status,
        _missing_status,
        _bad_steps_unit,
        _missing_pain_walking,
        _two_answers,
        _wrong_answer_type,
    ],
)
def test_a_bad_bundle_raises_bundle_error_naming_the_place(
    breaking: Callable[[dict[str, Any]], str],
) -> None:
    bundle = copy.deepcopy(export())
    path = breaking(bundle)
    with pytest.raises(BundleError) as caught:
        import_bundle(bundle)
    assert caught.value.path.startswith(path), (caught.value.path, path)
    assert isinstance(caught.value, ValueError)
    message = str(caught.value)
    assert PERSON.name not in message
    for value in ("8480-6", "tired", "km/h", "512.5", "five minutes"):
        assert value not in message  # the value found is not repeated


@pytest.mark.parametrize("value", [None, [], "text", {"resourceType": "Bundle", "entry": {}}])
def test_something_that_is_not_a_bundle_raises_bundle_error(value: object) -> None:
    with pytest.raises(BundleError, match="Bundle"):
        import_bundle(value)


def test_check_value_sets_lists_each_problem() -> None:
    bundle = copy.deepcopy(export())
    _pain_eleven(bundle)
    _unknown_urgency(bundle)
    bundle["type"] = "pile"
    problems = check_value_sets(bundle)
    assert len(problems) == 3
    assert problems[0].startswith("Bundle.type")


def test_a_walking_test_without_a_required_measure_names_the_component_missing() -> None:
    bundle = copy.deepcopy(export())
    path = _walking_test_without_total_time(bundle)
    with pytest.raises(BundleError) as caught:
        import_bundle(bundle)
    assert caught.value.path == path
    assert caught.value.message == "no walking-test-total-time component"


def test_check_value_sets_catches_a_stop_reason_outside_its_code_system() -> None:
    bundle = copy.deepcopy(export())
    path = _unknown_stop_reason(bundle)
    assert check_value_sets(bundle) == [
        f"{path}: code not in the Backstride walking-test stop-reason CodeSystem"
    ]


# --- Property: any diary round trips ----------------------------------------------------

pain = st.integers(min_value=0, max_value=10)
minutes = st.floats(min_value=0, max_value=1440, allow_nan=False, allow_infinity=False)
logs = st.builds(
    ExerciseLog,
    exercise_id=st.sampled_from(EXERCISE_IDS),
    done=st.booleans(),
    pain_during=st.none() | pain,
)


@st.composite
def diaries(draw: st.DrawFn) -> list[DiaryEntry]:
    offsets = draw(st.sets(st.integers(min_value=0, max_value=400), max_size=8))
    return [
        DiaryEntry(
            day=START + timedelta(days=offset),
            pain_now=draw(pain),
            pain_walking=draw(pain),
            walk_minutes=draw(minutes),
            walk_tolerance_min=draw(st.none() | minutes),
            walk_no_limit=draw(st.booleans()),
            steps=draw(st.none() | st.integers(min_value=0, max_value=100_000)),
            exercises=tuple(draw(st.lists(logs, max_size=4))),
            settled_by_morning=draw(st.none() | st.booleans()),
            red_flag=draw(st.none() | st.booleans()),
            note=draw(st.text(st.characters(exclude_categories=["Cs"]), max_size=40)),
        )
        for offset in sorted(offsets)
    ]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(entries=diaries())
def test_any_diary_round_trips_through_fhir(entries: list[DiaryEntry]) -> None:
    bundle = export(entries=tuple(entries), assessments=(), plan=None, escalations=())
    assert check_value_sets(bundle) == []
    record = import_bundle(json.loads(json.dumps(bundle)))
    assert record.entries == tuple(entries)


# --- Property: any walking tests round trip ---------------------------------------------

seconds = st.floats(min_value=0, max_value=3600, allow_nan=False, allow_infinity=False)
metres = st.floats(min_value=0, max_value=5000, allow_nan=False, allow_infinity=False)
rates = st.floats(min_value=0, max_value=300, allow_nan=False, allow_infinity=False)
stored_walking_tests = st.builds(
    StoredWalkingTest,
    id=st.integers(min_value=1, max_value=10**9),
    person_id=st.just(42),
    day=st.just(START),
    recorded_at=st.datetimes(
        min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC)
    ),
    time_to_first_symptom_s=st.none() | seconds,
    distance_to_first_symptom_m=st.none() | metres,
    walking_time_s=seconds,
    distance_m=st.none() | metres,
    total_time_s=seconds,
    stop_reason=st.sampled_from(["pain", "time_limit", "other_symptom", "other"]),
    recovery_s=st.none() | seconds,
    steps=st.integers(min_value=0, max_value=100_000),
    cadence_spm=st.none() | rates,
    speed_mps=st.none() | rates,
    sampling_rate_hz=st.just(60.0),
    detail=st.just({}),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tests=st.lists(stored_walking_tests, max_size=5, unique_by=lambda t: t.id))
def test_any_walking_tests_round_trip_through_fhir(tests: list[StoredWalkingTest]) -> None:
    bundle = export(walking_tests=tuple(tests), entries=(), assessments=(), plan=None)
    assert check_value_sets(bundle) == []
    record = import_bundle(json.loads(json.dumps(bundle)))
    in_order = sorted(tests, key=lambda t: (t.recorded_at, t.id))
    assert [t.test_id for t in record.walking_tests] == [str(t.id) for t in in_order]
    for imported, stored in zip(record.walking_tests, in_order, strict=True):
        assert imported.recorded_at == stored.recorded_at
        assert [getattr(imported, n) for n in MEASURES] == [getattr(stored, n) for n in MEASURES]
