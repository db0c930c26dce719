"""Weekly adjustment by the pain-monitoring model: progress, hold or ease back.

Pain during activity up to 5/10 that settles by the next morning allows progression; more,
or pain that lingers, eases back. The rules, their steps and caps are content
(``progression.yaml``); the first rule that holds for the week's log applies. A rule that
needs a logged session never applies to a week with none: missing a week holds the plan and
never counts against the person.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace

from backstride.domain.answers import ContractError, FieldError
from backstride.domain.expressions import Value
from backstride.domain.programme import (
    WEEK_FIELDS,
    Dose,
    Operation,
    ProgrammeContent,
    ProgressionRule,
)
from backstride.programme.model import PlannedExercise, WalkingPlan

WEEK_KEYS = tuple(f.key for f in WEEK_FIELDS)


@dataclass(frozen=True, slots=True)
class Decision:
    """Which rule applied to a week, and what it said."""

    rule_id: str
    operation: Operation
    message: str


def decide(
    rules: tuple[ProgressionRule, ...], applies_to: str, week: Mapping[str, Value]
) -> tuple[ProgressionRule, Decision]:
    """The first rule for ``applies_to`` (``exercise`` or ``walking``) that holds for the week.

    ``week`` must answer every key of ``WEEK_FIELDS`` (validated by the caller's service).
    """
    absent = [k for k in WEEK_KEYS if k not in week]
    if absent:
        raise ContractError(tuple(FieldError(k, "needed to decide the week") for k in absent))
    logged = week["sessions_logged"] != 0
    for rule in rules:
        if rule.applies_to not in (applies_to, "both"):
            continue
        if rule.needs_logged_session and not logged:
            continue
        if rule.when.evaluate(week) is True:
            return rule, Decision(rule.id, rule.operation, rule.message)
    raise LookupError(f"no progression rule covers this {applies_to} week")


def _scale(value: int | None, factor: float, *, up: bool) -> int | None:
    if value is None:
        return None
    scaled = math.ceil(value * factor) if up else math.floor(value * factor)
    return max(1, max(scaled, value + 1) if up else min(scaled, value - 1))


def adjust_exercise(
    planned: PlannedExercise,
    week: Mapping[str, Value],
    content: ProgrammeContent,
) -> tuple[PlannedExercise, Decision]:
    """The exercise for next week. At its cap it moves to the next exercise in its ladder.
    Easing back returns first to the starting dose; only from there does it move to the
    easier exercise (or, at the bottom of the ladder, below the starting dose)."""
    rule, decision = decide(content.progression, "exercise", week)
    dose, start = planned.dose, planned.start_dose
    exercise = content.exercises[planned.exercise_id]
    if rule.operation is Operation.HOLD:
        return planned, decision
    if rule.operation is Operation.PROGRESS:
        grown = replace(
            dose,
            reps=_scale(dose.reps, 1 + rule.step, up=True),
            hold_s=_scale(dose.hold_s, 1 + rule.step, up=True),
        )
        if rule.cap is not None and _beyond(grown, start, rule.cap):
            if exercise.progressions:
                return _switch(planned, exercise.progressions[0], content), decision
            return planned, decision  # at the top of its ladder: keep the capped dose
        return replace(planned, dose=grown), decision
    at_start = not _above(dose, start)
    if at_start and exercise.regressions:
        return _switch(planned, exercise.regressions[0], content), decision
    eased = replace(
        dose,
        reps=_ease(dose.reps, start.reps, 1 - rule.step, floor_at_start=not at_start),
        hold_s=_ease(dose.hold_s, start.hold_s, 1 - rule.step, floor_at_start=not at_start),
    )
    return replace(planned, dose=eased), decision


def _beyond(dose: Dose, start: Dose, cap: float) -> bool:
    return any(
        now is not None and first is not None and now > first * cap
        for now, first in ((dose.reps, start.reps), (dose.hold_s, start.hold_s))
    )


def _above(dose: Dose, start: Dose) -> bool:
    return any(
        now is not None and first is not None and now > first
        for now, first in ((dose.reps, start.reps), (dose.hold_s, start.hold_s))
    )


def _ease(
    value: int | None, first: int | None, factor: float, *, floor_at_start: bool
) -> int | None:
    """One step down; from above the starting dose, never below it (that is the next step)."""
    eased = _scale(value, factor, up=False)
    if eased is None or first is None or not floor_at_start:
        return eased
    return max(eased, first)


def _switch(
    planned: PlannedExercise, exercise_id: str, content: ProgrammeContent
) -> PlannedExercise:
    other = content.exercises[exercise_id]
    return replace(
        planned,
        exercise_id=other.id,
        name=other.name,
        category=other.category,
        dose=other.dose,
        start_dose=other.dose,
        why=other.purpose,
        modification="",
    )


def adjust_walking(
    plan: WalkingPlan, current_week: int, week: Mapping[str, Value], content: ProgrammeContent
) -> tuple[int, Decision]:
    """The plan week to follow next. It only goes back when a regress rule says why."""
    if not 1 <= current_week <= len(plan.weeks):
        raise ContractError((FieldError("current_week", f"must be from 1 to {len(plan.weeks)}"),))
    rule, decision = decide(content.progression, "walking", week)
    if rule.operation is Operation.PROGRESS:
        return min(current_week + 1, len(plan.weeks)), decision
    if rule.operation is Operation.REGRESS:
        return max(current_week - 1, 1), decision
    return current_week, decision
