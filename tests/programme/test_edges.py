"""Edges of the generator and progression: unknown pain, no pattern, no age, ladder ends."""

from __future__ import annotations

from dataclasses import replace

import pytest

from backstride.domain.result import AssessmentResult
from backstride.domain.urgency import Urgency
from backstride.programme.generator import build_programme, build_walking, pain_band
from backstride.programme.model import PlannedExercise, Preferences
from backstride.programme.progression import adjust_exercise, decide
from backstride.services.plans import PlanService
from tests.programme.conftest import example
from tests.programme.test_progression import BAD, GOOD, week


def test_unknown_pain_takes_the_most_cautious_band(plans: PlanService) -> None:
    bands = plans.content.programme.rules.pain_bands
    assert pain_band(plans.content.programme, {}) is bands[0]
    assert pain_band(plans.content.programme, {"pain_now": 0}) is bands[-1]


def test_without_patterns_exercises_still_say_why(plans: PlanService) -> None:
    result = AssessmentResult(Urgency.SELF_CARE, (), (), (), (), None, "test")
    programme = build_programme(plans.content, result, {}, Preferences())
    assert programme.exercises
    library = plans.content.programme.exercises
    for planned in programme.exercises:
        assert planned.why == library[planned.exercise_id].purpose
        assert planned.modification == ""


def test_steps_need_an_age_in_range(plans: PlanService) -> None:
    pc = plans.content.programme
    assert build_walking(pc, {}, {}, 60).steps is None
    assert build_walking(pc, {"age": 12}, {}, 60).steps is None
    steps = build_walking(pc, {"age": 70}, {}, 60).steps
    assert steps is not None
    assert (steps.long_term_low, steps.long_term_high) == (6000, 8000)


def test_the_walking_plan_stops_at_its_last_week(plans: PlanService) -> None:
    pc = plans.content.programme
    short = replace(pc, walking=replace(pc.walking, max_weeks=2))
    walking = build_walking(short, {"walking_tolerance_min": 2}, {}, 60)
    assert len(walking.weeks) == 2
    assert walking.weeks[-1].minutes_per_session < walking.target_minutes_per_session


def test_a_week_no_rule_covers_is_an_error_not_a_guess(plans: PlanService) -> None:
    pc = plans.content.programme
    only_progress = tuple(r for r in pc.progression if r.id == "progress.pain_settled")
    with pytest.raises(LookupError, match="no progression rule covers"):
        decide(only_progress, "exercise", week(8, False, 3, True))


def _planned(plans: PlanService, exercise_id: str) -> PlannedExercise:
    programme = build_programme(
        plans.content,
        plans.plan(example("acute-strain.json"), Preferences()).assessment,
        {},
        Preferences(minutes_per_day=240, fitness="high"),
    )
    base = programme.exercises[0]
    exercise = plans.content.programme.exercises[exercise_id]
    return replace(
        base,
        exercise_id=exercise_id,
        name=exercise.name,
        dose=exercise.dose,
        start_dose=exercise.dose,
    )


def test_at_the_top_of_its_ladder_an_exercise_keeps_its_capped_dose(plans: PlanService) -> None:
    library = plans.content.programme.exercises
    top = next(
        e.id for e in library.values() if not e.progressions and e.category.value != "walking"
    )
    current = _planned(plans, top)
    for _ in range(40):
        nxt, _ = adjust_exercise(current, GOOD, plans.content.programme)
        assert nxt.exercise_id == top
        if nxt == current:
            return
        current = nxt
    pytest.fail("the dose never stopped at its cap")


def test_easing_back_from_above_the_start_lowers_the_dose(plans: PlanService) -> None:
    planned = _planned(plans, "bird_dog")
    grown, _ = adjust_exercise(planned, GOOD, plans.content.programme)
    eased, decision = adjust_exercise(grown, BAD, plans.content.programme)
    assert decision.operation.value == "regress"
    assert eased.exercise_id == "bird_dog"
    assert (eased.dose.reps or 0) < (grown.dose.reps or 0) or (eased.dose.hold_s or 0) < (
        grown.dose.hold_s or 0
    )


def test_at_the_bottom_of_its_ladder_easing_back_goes_below_the_start(plans: PlanService) -> None:
    library = plans.content.programme.exercises
    bottom = next(
        e.id for e in library.values() if not e.regressions and e.category.value != "walking"
    )
    planned = _planned(plans, bottom)
    eased, _ = adjust_exercise(planned, BAD, plans.content.programme)
    assert eased.exercise_id == bottom
    start = planned.start_dose
    assert (eased.dose.reps or 0) < (start.reps or 0) or (eased.dose.hold_s or 0) < (
        start.hold_s or 0
    )
