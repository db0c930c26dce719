"""The personal programme: exercise library, walking plan, advice content, and the plan itself.

Pure data. Every clinical number (doses, walking targets, progression steps) comes from a
content file; nothing here decides anything.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass

from backstride.domain.content import Review, Source
from backstride.domain.contract import FieldSpec, Kind
from backstride.domain.expressions import Expr
from backstride.domain.urgency import Urgency
from backstride.illustration.model import Illustration


class Category(enum.Enum):
    STRETCH = "stretch"
    MOBILITY = "mobility"
    CORE = "core"
    WALKING = "walking"


class Direction(enum.Enum):
    """The spinal movement an exercise leans on (directional preference, McKenzie)."""

    FLEXION = "flexion"
    EXTENSION = "extension"
    NEUTRAL = "neutral"
    ROTATION = "rotation"


@dataclass(frozen=True, slots=True)
class Dose:
    """How much of an exercise: ``reps`` or ``hold_s`` (or both) per set, per side if sided."""

    sets: int
    reps: int | None
    hold_s: int | None
    rest_s: int
    times_per_day: int
    per_side: bool
    rep_s: int

    def seconds(self) -> int:
        """Time for one bout, rests between sets included (used to fit the time budget)."""
        if self.reps is not None:
            per_set = self.reps * (self.rep_s + (self.hold_s or 0))
        else:
            per_set = self.hold_s or 0
        if self.per_side:
            per_set *= 2
        return self.sets * per_set + (self.sets - 1) * self.rest_s


@dataclass(frozen=True, slots=True)
class PatternNote:
    """Why an exercise is changed or left out for a pattern, and how."""

    pattern: str
    why: str
    how: str = ""


@dataclass(frozen=True, slots=True)
class Exercise:
    """One exercise of the library (stable id, text, dose, clinical fit, sources)."""

    id: str
    name: str
    category: Category
    direction: Direction
    purpose: str
    steps: tuple[str, ...]
    form_cues: tuple[str, ...]
    common_mistakes: tuple[str, ...]
    dose: Dose
    intensity: int
    needs_floor: bool
    equipment: tuple[str, ...]
    progressions: tuple[str, ...]
    regressions: tuple[str, ...]
    suits: tuple[str, ...]
    modified_for: tuple[PatternNote, ...]
    avoid_for: tuple[PatternNote, ...]
    stop_rules: tuple[str, ...]
    sources: tuple[Source, ...]
    review: Review
    file: str


@dataclass(frozen=True, slots=True)
class EducationPage:
    """A plain-language page (Markdown body)."""

    id: str
    title: str
    summary: str
    topics: tuple[str, ...]
    body: str
    sources: tuple[Source, ...]
    review: Review
    file: str


@dataclass(frozen=True, slots=True)
class PostureCue:
    id: str
    area: str
    cue: str
    why: str
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class FootwearItem:
    id: str
    question: str
    advice: str
    weight: int


@dataclass(frozen=True, slots=True)
class FootwearBand:
    min_score: int
    verdict: str


@dataclass(frozen=True, slots=True)
class Footwear:
    """The footwear checklist, scored; the evidence note is shown with every result."""

    items: tuple[FootwearItem, ...]
    bands: tuple[FootwearBand, ...]
    evidence_note: str
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class LifestyleTip:
    """Advice shown when ``when`` holds for the person's answers (always when None)."""

    id: str
    title: str
    advice: str
    when: Expr | None
    priority: int
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class RestPosition:
    pattern: str | None
    position: str


@dataclass(frozen=True, slots=True)
class StepTarget:
    min_age: int
    max_age: int | None
    plateau_low: int
    plateau_high: int


@dataclass(frozen=True, slots=True)
class WalkingRules:
    """The walking programme's numbers, all from the walking content file."""

    target_minutes_per_session: int
    target_days_per_week: int
    start_days_per_week: int
    bout_fraction_of_tolerance: float
    min_bout_minutes: float
    no_limit_start_minutes: int
    unknown_tolerance_minutes: float
    start_bouts: int
    weekly_increase: float
    max_weeks: int
    rest_minutes: float
    rest_positions: tuple[RestPosition, ...]
    weekly_cues: tuple[str, ...]
    step_targets: tuple[StepTarget, ...]
    step_first_goal_increase: int
    sources: tuple[Source, ...]


class Operation(enum.Enum):
    PROGRESS = "progress"
    HOLD = "hold"
    REGRESS = "regress"


@dataclass(frozen=True, slots=True)
class ProgressionRule:
    """Weekly adjustment by the pain-monitoring model; the first rule that holds applies."""

    id: str
    applies_to: str
    when: Expr
    operation: Operation
    step: float
    cap: float | None
    needs_logged_session: bool
    message: str
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class PainDoseBand:
    """Starting dose by current pain: sets and holds scaled, regression preferred."""

    min_pain: int
    sets_factor: float
    hold_factor: float
    prefer_regression: bool


@dataclass(frozen=True, slots=True)
class UrgencyGate:
    """What a programme at one urgency level may contain, and the safety words shown."""

    level: Urgency
    exercises: bool
    walking: bool
    max_intensity: int
    safety: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ProgrammeRules:
    """Selection and gating: which exercises, how many, at what dose, under which urgency."""

    default_minutes_per_day: int
    min_minutes_per_day: int
    max_exercises: int
    exercise_share: float
    category_order: tuple[Category, ...]
    gates: Mapping[Urgency, UrgencyGate]
    pain_bands: tuple[PainDoseBand, ...]
    fitness_intensity: Mapping[str, int]
    sources: tuple[Source, ...]


#: The facts a week of logged sessions gives to the progression rules (pain-monitoring model).
WEEK_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("pain_during_max", Kind.INT, "worst pain during the sessions, 0 to 10", 0, 10),
    FieldSpec("settled_by_morning", Kind.BOOL, "pain settled by the next morning every time"),
    FieldSpec("sessions_logged", Kind.INT, "sessions logged this week", minimum=0, maximum=50),
    FieldSpec("target_met", Kind.BOOL, "every planned session of the week was done"),
)


@dataclass(frozen=True, slots=True)
class ProgrammeContent:
    """Everything the programme generator reads."""

    exercises: Mapping[str, Exercise]
    education: tuple[EducationPage, ...]
    posture: tuple[PostureCue, ...]
    footwear: Footwear
    lifestyle: tuple[LifestyleTip, ...]
    walking: WalkingRules
    progression: tuple[ProgressionRule, ...]
    rules: ProgrammeRules
    illustrations: Mapping[str, Illustration]
