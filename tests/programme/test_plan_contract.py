"""Every plan validates against the published JSON Schema, for any valid answers."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backstride.programme.model import Preferences
from backstride.services.assessments import default_service
from backstride.services.plans import PlanService
from tests.strategies import answers

SCHEMA = json.loads(
    (resources.files("backstride.programme") / "plan.schema.json").read_text(encoding="utf-8")
)
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
PLANS = PlanService(default_service())
DOC = Path(__file__).resolve().parents[2] / "docs" / "reference" / "plan.md"


def test_the_schema_is_itself_valid() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_the_reference_page_documents_every_key() -> None:
    page = DOC.read_text(encoding="utf-8")
    for key in SCHEMA["properties"]:
        assert f"`{key}`" in page, key


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    answers(PLANS.content.fields),
    st.sampled_from([None, 5, 12, 20, 45, 240]),
    st.booleans(),
    st.sampled_from(["low", "moderate", "high"]),
    st.sampled_from([None, "flexion", "extension"]),
)
def test_any_valid_answers_give_a_valid_plan(
    given_answers: dict[str, Any],
    minutes: int | None,
    floor: bool,
    fitness: str,
    eases_with: str | None,
) -> None:
    plan = PLANS.plan(given_answers, Preferences(minutes, floor, fitness, eases_with))
    out = json.loads(json.dumps(PLANS.to_contract(plan, animate=False)))
    VALIDATOR.validate(out)
    programme = plan.programme
    budget = programme.minutes_per_day
    for week in programme.walking.weeks if programme.walking else ():
        assert programme.exercise_minutes_per_day + week.minutes_per_session <= budget
    library = PLANS.content.programme.exercises
    for planned in programme.exercises:
        avoid = {n.pattern for n in library[planned.exercise_id].avoid_for}
        assert not avoid & set(programme.patterns)
    if programme.urgency.value in ("emergency", "urgent"):
        assert out["exercises"] == []
        assert out["walking"] is None
