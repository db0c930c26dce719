"""The plan's JSON form (``backstride plan --json``), documented in docs/reference/plan.md."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from backstride.domain.programme import Dose, ProgrammeContent
from backstride.programme.model import PLAN_CONTRACT_VERSION, Programme, WalkingPlan


def dose_to_contract(dose: Dose) -> dict[str, Any]:
    """A dose as the plan contract writes it (docs/reference/plan.md)."""
    return {
        "sets": dose.sets,
        "reps": dose.reps,
        "hold_s": dose.hold_s,
        "rest_s": dose.rest_s,
        "times_per_day": dose.times_per_day,
        "per_side": dose.per_side,
    }


def plan_to_contract(
    programme: Programme,
    content: ProgrammeContent,
    illustration: Callable[[str], str],
    headline: str,
    disclaimer: str,
) -> dict[str, Any]:
    """The plan as JSON-ready data; ``illustration`` gives an exercise's SVG (or its path)."""
    exercises = []
    for planned in programme.exercises:
        exercise = content.exercises[planned.exercise_id]
        dose = planned.dose
        exercises.append(
            {
                "id": planned.exercise_id,
                "name": planned.name,
                "category": planned.category.value,
                "dose": dose_to_contract(dose),
                "minutes_per_day": round(planned.minutes_per_day, 1),
                "illustration": illustration(planned.exercise_id),
                "why": planned.why,
                "modification": planned.modification,
                "steps": list(exercise.steps),
                "form_cues": list(exercise.form_cues),
                "common_mistakes": list(exercise.common_mistakes),
                "stop_rules": list(exercise.stop_rules),
                "sources": [s.citation for s in exercise.sources],
            }
        )
    return {
        "contract": PLAN_CONTRACT_VERSION,
        "urgency": programme.urgency.value,
        "headline": headline,
        "content_version": programme.content_version,
        "minutes_per_day": programme.minutes_per_day,
        "patterns": list(programme.patterns),
        "exercises": exercises,
        "walking": _walking(programme.walking, illustration),
        "posture": [{"id": a.id, "area": a.title, "text": a.text} for a in programme.posture],
        "footwear": [
            {"id": f.id, "question": f.question, "advice": f.advice} for f in programme.footwear
        ],
        "footwear_evidence": programme.footwear_evidence,
        "lifestyle": [{"id": a.id, "title": a.title, "text": a.text} for a in programme.lifestyle],
        "education": [
            {"id": a.id, "title": a.title, "summary": a.text} for a in programme.education
        ],
        "safety": list(programme.safety),
        "disclaimer": disclaimer,
    }


def _walking(plan: WalkingPlan | None, illustration: Callable[[str], str]) -> Any:
    if plan is None:
        return None
    return {
        "start_tolerance_min": plan.start_tolerance_min,
        "tolerance_known": plan.tolerance_known,
        "rest_position": plan.rest_position,
        "target_minutes_per_session": plan.target_minutes_per_session,
        "target_days_per_week": plan.target_days_per_week,
        "budget_limited": plan.budget_limited,
        "illustration": illustration("interval_walk"),
        "steps": None
        if plan.steps is None
        else {
            "long_term_low": plan.steps.long_term_low,
            "long_term_high": plan.steps.long_term_high,
            "first_goal_increase": plan.steps.first_goal_increase,
        },
        "weeks": [
            {
                "week": w.week,
                "days": w.days,
                "minutes_per_session": w.minutes_per_session,
                "intervals": [
                    {"walk_min": i.walk_min, "rest_min": i.rest_min} for i in w.intervals
                ],
                "posture_cue": w.posture_cue,
            }
            for w in plan.weeks
        ],
    }
