"""Turns an assessment into a personal programme. Pure: content, result and answers in.

- ``emergency`` and ``urgent``: no exercises and no walking plan, only what to do now.
- ``soon``: a gentle programme (the gate's intensity cap) alongside "book an appointment".
- ``self_care``: the full programme.

Exercises are chosen for the person's patterns and directional preference, never from an
exercise's ``avoid_for`` patterns, dosed from the library's starting dose and the person's
pain, and fitted to the daily time budget together with the walking plan.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace

from backstride.domain.content import ContentBundle, Likelihood
from backstride.domain.expressions import MISSING, Value
from backstride.domain.programme import (
    Category,
    Direction,
    Dose,
    Exercise,
    PainDoseBand,
    ProgrammeContent,
    WalkingRules,
)
from backstride.domain.result import AssessmentResult
from backstride.programme.model import (
    Advice,
    FootwearCheck,
    Interval,
    PlannedExercise,
    Preferences,
    Programme,
    StepGoal,
    WalkingPlan,
    WalkingWeek,
)

_WEIGHT = {Likelihood.LIKELY: 3, Likelihood.POSSIBLE: 1}


def build_programme(
    content: ContentBundle,
    result: AssessmentResult,
    answers: Mapping[str, Value],
    preferences: Preferences,
) -> Programme:
    """The programme for one assessment. ``answers`` are the validated answers behind it."""
    pc = content.programme
    rules = pc.rules
    gate = rules.gates[result.urgency]
    minutes = preferences.minutes_per_day or rules.default_minutes_per_day
    patterns = {p.id: p.likelihood for p in result.patterns}
    labels = {p.id: p.label for p in content.patterns}

    exercises: tuple[PlannedExercise, ...] = ()
    walking: WalkingPlan | None = None
    if gate.exercises:
        exercises = _choose(
            pc,
            patterns=patterns,
            labels=labels,
            answers=answers,
            preferences=preferences,
            max_intensity=gate.max_intensity,
            minutes=minutes,
        )
    if gate.walking:
        used = math.ceil(sum(e.minutes_per_day for e in exercises))
        walking = build_walking(pc, answers, patterns, max(minutes - used, 1))
    cues = {c.id: c for c in pc.posture}
    return Programme(
        urgency=result.urgency,
        minutes_per_day=minutes,
        exercises=exercises,
        walking=walking,
        posture=tuple(Advice(c.id, c.area, f"{c.cue} {c.why}") for c in cues.values()),
        footwear=tuple(FootwearCheck(i.id, i.question, i.advice) for i in pc.footwear.items),
        footwear_evidence=pc.footwear.evidence_note,
        lifestyle=tuple(
            Advice(t.id, t.title, t.advice)
            for t in pc.lifestyle
            if t.when is None or t.when.evaluate(answers) is True
        ),
        education=_education(pc, patterns),
        safety=gate.safety,
        patterns=tuple(patterns),
        content_version=content.version,
    )


def preference(answers: Mapping[str, Value], preferences: Preferences) -> Direction | None:
    """The direction of movement that eases the pain, if the person's answers show one."""
    if preferences.eases_with is not None:
        return Direction(preferences.eases_with)
    if answers.get("relief_sitting_or_bending_forward") is True:
        return Direction.FLEXION
    return None


def eligible(
    exercise: Exercise,
    patterns: Mapping[str, Likelihood],
    direction: Direction | None,
    max_intensity: int,
    can_get_to_floor: bool,
) -> bool:
    """Whether an exercise may be in this person's plan at all."""
    if exercise.category is Category.WALKING:  # walking has its own plan
        return False
    if any(note.pattern in patterns for note in exercise.avoid_for):
        return False
    if exercise.intensity > max_intensity or (exercise.needs_floor and not can_get_to_floor):
        return False
    if exercise.direction is Direction.EXTENSION:  # only with an extension preference
        return direction is Direction.EXTENSION
    return not (exercise.direction is Direction.FLEXION and direction is Direction.EXTENSION)


def _score(
    exercise: Exercise, patterns: Mapping[str, Likelihood], direction: Direction | None
) -> int:
    score = sum(_WEIGHT[patterns[p]] for p in exercise.suits if p in patterns)
    return score + (2 if direction is not None and exercise.direction is direction else 0)


def pain_band(pc: ProgrammeContent, answers: Mapping[str, Value]) -> PainDoseBand:
    """The dose band for the worst pain reported; the most cautious when pain is unknown."""
    known = [v for k in ("pain_now", "pain_walking") if isinstance(v := answers.get(k), int)]
    bands = pc.rules.pain_bands  # highest min_pain first
    if not known:
        return bands[0]
    worst = max(known)
    return next(b for b in bands if worst >= b.min_pain)


def personal_dose(dose: Dose, band: PainDoseBand) -> Dose:
    """The starting dose scaled for pain: fewer sets and shorter holds, never below one."""
    return replace(
        dose,
        sets=max(1, round(dose.sets * band.sets_factor)),
        hold_s=None if dose.hold_s is None else max(1, round(dose.hold_s * band.hold_factor)),
    )


def _choose(
    pc: ProgrammeContent,
    *,
    patterns: Mapping[str, Likelihood],
    labels: Mapping[str, str],
    answers: Mapping[str, Value],
    preferences: Preferences,
    max_intensity: int,
    minutes: int,
) -> tuple[PlannedExercise, ...]:
    rules = pc.rules
    cap = min(max_intensity, rules.fitness_intensity.get(preferences.fitness, max_intensity))
    direction = preference(answers, preferences)
    band = pain_band(pc, answers)

    def ok(exercise: Exercise) -> bool:
        return eligible(exercise, patterns, direction, cap, preferences.can_get_to_floor)

    def planned(exercise: Exercise) -> PlannedExercise:
        if band.prefer_regression:
            easier = next(
                (pc.exercises[r] for r in exercise.regressions if ok(pc.exercises[r])), None
            )
            exercise = easier or exercise
        return _planned(exercise, personal_dose(exercise.dose, band), patterns, labels)

    ranked = sorted(
        (e for e in pc.exercises.values() if ok(e)),
        key=lambda e: (-_score(e, patterns, direction), e.id),
    )
    budget_s = minutes * rules.exercise_share * 60
    chosen: list[PlannedExercise] = []
    used_s = 0.0
    queues = {c: [e for e in ranked if e.category is c] for c in rules.category_order}
    while len(chosen) < rules.max_exercises and any(queues.values()):
        for category in rules.category_order:
            if not queues[category] or len(chosen) >= rules.max_exercises:
                continue
            candidate = planned(queues[category].pop(0))
            cost = candidate.dose.seconds() * candidate.dose.times_per_day
            if any(c.exercise_id == candidate.exercise_id for c in chosen):
                continue
            if used_s + cost <= budget_s:
                chosen.append(candidate)
                used_s += cost
    return tuple(chosen)


def _planned(
    exercise: Exercise,
    dose: Dose,
    patterns: Mapping[str, Likelihood],
    labels: Mapping[str, str],
) -> PlannedExercise:
    fits = [p for p in exercise.suits if p in patterns]
    why = exercise.purpose
    if fits:
        why += " It suits the pattern your answers point to: " + labels.get(fits[0], fits[0]) + "."
    notes = [f"{n.how} {n.why}".strip() for n in exercise.modified_for if n.pattern in patterns]
    return PlannedExercise(
        exercise_id=exercise.id,
        name=exercise.name,
        category=exercise.category,
        dose=dose,
        why=why,
        modification=" ".join(notes),
        start_dose=dose,
    )


def build_walking(
    pc: ProgrammeContent,
    answers: Mapping[str, Value],
    patterns: Mapping[str, Likelihood],
    budget_minutes: int,
) -> WalkingPlan:
    """Weeks of walking from the person's tolerance up to the target (or their time budget).

    Bouts start below the tolerance (a share of it); first a walking day is added each week
    until the target days, then each session grows by the weekly increase. Nothing ever
    goes down in the plan: easing back is the progression rules' job, with a logged reason.
    """
    wr = pc.walking
    tolerance = answers.get("walking_tolerance_min", MISSING)
    cap = max(1, min(wr.target_minutes_per_session, budget_minutes))
    if tolerance is None:  # no limit: one continuous walk
        first = min(cap, wr.no_limit_start_minutes)
        bout = float(first)
    else:
        known = isinstance(tolerance, int | float) and not isinstance(tolerance, bool)
        limit = float(tolerance) if isinstance(tolerance, int | float) else 0.0
        limit = limit if known else wr.unknown_tolerance_minutes
        # down to the half minute, so a bout always ends before the pain would stop them
        bout = max(wr.min_bout_minutes, math.floor(limit * wr.bout_fraction_of_tolerance * 2) / 2)
        first = min(cap, max(1, math.ceil(bout * wr.start_bouts)))
    weeks = _weeks(wr, first, bout, cap, pc)
    rest_position = next(
        p.position for p in wr.rest_positions if p.pattern is None or p.pattern in patterns
    )
    return WalkingPlan(
        start_tolerance_min=float(tolerance) if isinstance(tolerance, int | float) else None,
        tolerance_known=tolerance is not MISSING,
        rest_position=rest_position,
        target_minutes_per_session=cap,
        target_days_per_week=wr.target_days_per_week,
        budget_limited=cap < wr.target_minutes_per_session,
        weeks=weeks,
        steps=_steps(wr, answers),
    )


def _weeks(
    wr: WalkingRules, first: int, bout: float, cap: int, pc: ProgrammeContent
) -> tuple[WalkingWeek, ...]:
    cues = {c.id: c.cue for c in pc.posture}
    days, minutes = wr.start_days_per_week, first
    weeks: list[WalkingWeek] = []
    for week in range(1, wr.max_weeks + 1):
        length = min(float(minutes), max(bout, round(bout * minutes / first)))
        weeks.append(
            WalkingWeek(
                week=week,
                days=days,
                minutes_per_session=minutes,
                intervals=_intervals(minutes, length, wr.rest_minutes),
                posture_cue=cues[wr.weekly_cues[(week - 1) % len(wr.weekly_cues)]],
            )
        )
        if days >= wr.target_days_per_week and minutes >= cap:
            break
        if days < wr.target_days_per_week:
            days += 1
        else:
            minutes = min(cap, max(minutes + 1, round(minutes * (1 + wr.weekly_increase))))
    return tuple(weeks)


def _intervals(minutes: int, bout: float, rest: float) -> tuple[Interval, ...]:
    count = max(1, math.ceil(minutes / bout - 1e-9))
    walk = round(minutes / count, 1)
    return tuple(Interval(walk, rest if i < count - 1 else 0.0) for i in range(count))


def _steps(wr: WalkingRules, answers: Mapping[str, Value]) -> StepGoal | None:
    age = answers.get("age")
    if not isinstance(age, int) or isinstance(age, bool):
        return None
    for target in wr.step_targets:
        if age >= target.min_age and (target.max_age is None or age <= target.max_age):
            return StepGoal(target.plateau_low, target.plateau_high, wr.step_first_goal_increase)
    return None


def _education(pc: ProgrammeContent, patterns: Mapping[str, Likelihood]) -> tuple[Advice, ...]:
    """Every page, those about the person's patterns first."""
    pages = sorted(pc.education, key=lambda p: (not set(p.topics) & set(patterns), p.id))
    return tuple(Advice(p.id, p.title, p.summary) for p in pages)
