"""The generated programme: what a person does each day and week, and why."""

from __future__ import annotations

from dataclasses import dataclass

from backstride.domain.programme import Category, Dose
from backstride.domain.urgency import Urgency

PLAN_CONTRACT_VERSION = 1


@dataclass(frozen=True, slots=True)
class Preferences:
    """What the person told us about their time and body."""

    minutes_per_day: int | None = None
    can_get_to_floor: bool = True
    fitness: str = "moderate"
    eases_with: str | None = None  # "flexion", "extension" or None (not known)


@dataclass(frozen=True, slots=True)
class PlannedExercise:
    """One exercise in the plan with its personal dose."""

    exercise_id: str
    name: str
    category: Category
    dose: Dose
    why: str
    modification: str
    start_dose: Dose

    @property
    def minutes_per_day(self) -> float:
        return self.dose.seconds() * self.dose.times_per_day / 60


@dataclass(frozen=True, slots=True)
class Interval:
    walk_min: float
    rest_min: float


@dataclass(frozen=True, slots=True)
class WalkingWeek:
    week: int
    days: int
    minutes_per_session: int
    intervals: tuple[Interval, ...]
    posture_cue: str


@dataclass(frozen=True, slots=True)
class StepGoal:
    long_term_low: int
    long_term_high: int
    first_goal_increase: int


@dataclass(frozen=True, slots=True)
class WalkingPlan:
    start_tolerance_min: float | None
    tolerance_known: bool
    rest_position: str
    target_minutes_per_session: int
    target_days_per_week: int
    budget_limited: bool
    weeks: tuple[WalkingWeek, ...]
    steps: StepGoal | None


@dataclass(frozen=True, slots=True)
class FootwearCheck:
    id: str
    question: str
    advice: str


@dataclass(frozen=True, slots=True)
class Advice:
    id: str
    title: str
    text: str


@dataclass(frozen=True, slots=True)
class Programme:
    """A person's programme, or, at emergency and urgent levels, only what to do now."""

    urgency: Urgency
    minutes_per_day: int
    exercises: tuple[PlannedExercise, ...]
    walking: WalkingPlan | None
    posture: tuple[Advice, ...]
    footwear: tuple[FootwearCheck, ...]
    footwear_evidence: str
    lifestyle: tuple[Advice, ...]
    education: tuple[Advice, ...]
    safety: tuple[str, ...]
    patterns: tuple[str, ...]
    content_version: str

    @property
    def exercise_minutes_per_day(self) -> float:
        return sum(e.minutes_per_day for e in self.exercises)
