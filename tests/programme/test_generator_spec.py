"""Spec tables: urgency gating, pattern -> exercises, time budget, preferences, pain dosing."""

from __future__ import annotations

from typing import Any

import pytest

from backstride.domain.programme import Direction
from backstride.programme.model import Preferences
from backstride.services.plans import PlanService
from tests.programme.conftest import example

STRAIN = "acute-strain.json"  # self_care, muscle strain
STENOSIS = "stenosis-walker.json"  # soon, stenosis pattern likely

#: A self-care stenosis walker: the stenosis example, recent and improving.
STENOSIS_SELF_CARE = {
    "leg_numbness_tingling": "none",
    "duration_days": 5,
    "trend": "improving",
    "age": 58,
}
#: Sciatica on one side, day 3 and improving: self-care with a radicular pattern.
RADICULAR = {
    "leg_pain": "below_knee",
    "leg_pain_sides": "one",
    "leg_pain_worse_than_back": True,
    "minor_trauma": False,
    "onset": "gradual",
}

GATING = [
    pytest.param(example(STRAIN), "self_care", True, True, 3, id="self-care: full programme"),
    pytest.param(example(STENOSIS), "soon", True, True, 1, id="soon: gentle programme"),
    pytest.param(example(STRAIN, fever=True), "urgent", False, False, 0, id="urgent: none"),
    pytest.param(
        example("saddle-numbness.json"), "emergency", False, False, 0, id="emergency: none"
    ),
]


@pytest.mark.parametrize(("answers", "urgency", "has_exercises", "has_walking", "cap"), GATING)
def test_urgency_gates_the_programme(
    plans: PlanService,
    answers: dict[str, Any],
    urgency: str,
    has_exercises: bool,
    has_walking: bool,
    cap: int,
) -> None:
    plan = plans.plan(answers, Preferences(fitness="high"))
    programme = plan.programme
    assert programme.urgency.value == urgency
    assert bool(programme.exercises) is has_exercises
    assert (programme.walking is not None) is has_walking
    library = plans.content.programme.exercises
    assert all(library[e.exercise_id].intensity <= cap for e in programme.exercises)
    assert programme.safety, "there is always something about safety"
    if urgency == "soon":
        assert any("appointment" in line for line in programme.safety)


PATTERN_ROWS = [
    pytest.param(
        example(STENOSIS, **STENOSIS_SELF_CARE),
        "neurogenic_claudication",
        {"seated_forward_bend", "knee_to_chest", "childs_pose", "pelvic_tilt"},
        {"prone_press_up", "standing_back_extension"},
        id="stenosis: flexion in, extension out",
    ),
    pytest.param(
        example(STRAIN, **RADICULAR),
        "radicular",
        set(),
        {"russian_twist"},
        id="radicular: no loaded rotation",
    ),
    pytest.param(
        example(STRAIN),
        "muscle_strain",
        set(),
        {"prone_press_up", "standing_back_extension"},
        id="no stated extension preference: no extension exercises",
    ),
]


@pytest.mark.parametrize(("answers", "pattern", "some_of", "none_of"), PATTERN_ROWS)
def test_patterns_choose_and_exclude_exercises(
    plans: PlanService,
    answers: dict[str, Any],
    pattern: str,
    some_of: set[str],
    none_of: set[str],
) -> None:
    plan = plans.plan(answers, Preferences(minutes_per_day=60, fitness="high"))
    assert pattern in plan.programme.patterns
    chosen = {e.exercise_id for e in plan.programme.exercises}
    assert chosen, "a self-care plan has exercises"
    if some_of:
        assert chosen & some_of
    assert not chosen & none_of
    library = plans.content.programme.exercises
    for exercise_id in chosen:
        assert pattern not in {n.pattern for n in library[exercise_id].avoid_for}


def test_an_extension_preference_brings_extension_exercises(plans: PlanService) -> None:
    plan = plans.plan(
        example(STRAIN), Preferences(minutes_per_day=60, fitness="high", eases_with="extension")
    )
    library = plans.content.programme.exercises
    directions = {library[e.exercise_id].direction for e in plan.programme.exercises}
    assert Direction.EXTENSION in directions
    assert Direction.FLEXION not in directions


@pytest.mark.parametrize("minutes", [5, 8, 10, 15, 20, 30, 45, 60, 120])
@pytest.mark.parametrize(
    "answers",
    [example(STRAIN), example(STENOSIS), example(STRAIN, walking_tolerance_min=2)],
    ids=["strain", "stenosis", "short-tolerance"],
)
def test_every_day_fits_the_time_budget(
    plans: PlanService, answers: dict[str, Any], minutes: int
) -> None:
    programme = plans.plan(answers, Preferences(minutes_per_day=minutes)).programme
    exercise_minutes = programme.exercise_minutes_per_day
    assert exercise_minutes <= minutes
    assert programme.walking is not None
    for week in programme.walking.weeks:
        assert exercise_minutes + week.minutes_per_session <= minutes, week


def test_no_floor_and_low_fitness(plans: PlanService) -> None:
    library = plans.content.programme.exercises
    plan = plans.plan(example(STRAIN), Preferences(can_get_to_floor=False, fitness="low"))
    assert plan.programme.exercises
    for planned in plan.programme.exercises:
        assert not library[planned.exercise_id].needs_floor
        assert library[planned.exercise_id].intensity == 1


def test_severe_pain_lowers_the_dose(plans: PlanService) -> None:
    mild = plans.plan(example(STRAIN, pain_now=2, pain_walking=2), Preferences(minutes_per_day=60))
    severe = plans.plan(
        example(STRAIN, pain_now=8, pain_walking=8), Preferences(minutes_per_day=60)
    )
    mild_sets = sum(e.dose.sets for e in mild.programme.exercises) / len(mild.programme.exercises)
    severe_sets = sum(e.dose.sets for e in severe.programme.exercises) / len(
        severe.programme.exercises
    )
    assert severe_sets < mild_sets


@pytest.mark.parametrize(
    ("tolerance", "first_bout_max"),
    [(2, 2), (4, 3), (10, 7.5), (20, 15)],
)
def test_walking_starts_below_the_tolerance(
    plans: PlanService, tolerance: float, first_bout_max: float
) -> None:
    answers = example(STRAIN, walking_tolerance_min=tolerance)
    walking = plans.plan(answers, Preferences(minutes_per_day=60)).programme.walking
    assert walking is not None
    first = walking.weeks[0]
    assert max(i.walk_min for i in first.intervals) <= max(first_bout_max, 1)
    assert walking.weeks[-1].minutes_per_session == 30
    assert walking.weeks[-1].days == 5


def test_stenosis_rests_sitting_or_leaning_forward(plans: PlanService) -> None:
    walking = plans.plan(example(STENOSIS), Preferences()).programme.walking
    assert walking is not None
    assert "lean forward" in walking.rest_position or "Sit" in walking.rest_position


def test_walking_weeks_never_go_down(plans: PlanService) -> None:
    for tolerance in (None, 0, 1, 3, 5, 12, 25, 60):
        answers = example(STRAIN, walking_tolerance_min=tolerance)
        walking = plans.plan(answers, Preferences(minutes_per_day=60)).programme.walking
        assert walking is not None
        for before, after in zip(walking.weeks, walking.weeks[1:], strict=False):
            assert after.days >= before.days
            assert after.minutes_per_session >= before.minutes_per_session
            assert after.days * after.minutes_per_session > before.days * before.minutes_per_session


def test_lifestyle_follows_the_answers(plans: PlanService) -> None:
    sitting = plans.plan(example(STRAIN, sitting_hours_per_day=10), Preferences()).programme
    moving = plans.plan(example(STRAIN, sitting_hours_per_day=1), Preferences()).programme
    assert {a.id for a in sitting.lifestyle} - {a.id for a in moving.lifestyle}
