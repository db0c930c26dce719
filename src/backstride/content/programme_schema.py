"""The shape of the programme's content files (exercises, education, advice, walking)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from backstride.content.schema import LevelName, ReviewFile

Id = str
PatternId = str
SourceId = str


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DoseFile(_Strict):
    sets: int = Field(ge=1, le=10)
    reps: int | None = Field(default=None, ge=1, le=50)
    hold_s: int | None = Field(default=None, ge=1, le=300)
    rest_s: int = Field(ge=0, le=300)
    times_per_day: int = Field(ge=1, le=6)
    per_side: bool = False
    rep_s: int = Field(default=3, ge=1, le=20, description="seconds to do one rep, holds apart")

    @model_validator(mode="after")
    def _reps_or_hold(self) -> DoseFile:
        if self.reps is None and self.hold_s is None:
            raise ValueError("a dose needs reps, hold_s or both")
        return self


class PatternNoteFile(_Strict):
    pattern: PatternId
    why: str = Field(min_length=10)
    how: str = ""


class ExerciseFile(_Strict):
    id: Id = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str = Field(min_length=3)
    category: Literal["stretch", "mobility", "core", "walking"]
    direction: Literal["flexion", "extension", "neutral", "rotation"]
    purpose: str = Field(min_length=10)
    steps: list[str] = Field(min_length=2)
    form_cues: list[str] = Field(min_length=1)
    common_mistakes: list[str] = Field(min_length=1)
    dose: DoseFile
    intensity: int = Field(ge=1, le=3, description="1 gentle, 2 moderate, 3 demanding")
    needs_floor: bool
    equipment: list[Literal["mat", "chair", "wall", "step", "poles", "none"]] = []
    progressions: list[Id] = []
    regressions: list[Id] = []
    suits: list[PatternId] = Field(min_length=1)
    modified_for: list[PatternNoteFile] = []
    avoid_for: list[PatternNoteFile] = []
    stop_rules: list[str] = Field(min_length=1)
    sources: list[SourceId] = Field(min_length=1)
    review: ReviewFile


class EducationFrontMatter(_Strict):
    id: Id = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str = Field(min_length=3)
    summary: str = Field(min_length=10)
    topics: list[str] = Field(min_length=1)
    sources: list[SourceId] = Field(min_length=1)
    review: ReviewFile


class PostureCueFile(_Strict):
    id: Id = Field(pattern=r"^[a-z][a-z0-9_]*$")
    area: Literal["walking", "sitting", "standing", "lifting", "sleeping"]
    cue: str = Field(min_length=5)
    why: str = Field(min_length=5)
    sources: list[SourceId] = Field(min_length=1)


class PostureFile(_Strict):
    cues: list[PostureCueFile] = Field(min_length=6)
    review: ReviewFile


class FootwearItemFile(_Strict):
    id: Id = Field(pattern=r"^[a-z][a-z0-9_]*$")
    question: str = Field(min_length=5)
    advice: str = Field(min_length=5)
    weight: int = Field(ge=1, le=3)


class FootwearBandFile(_Strict):
    min_score: int = Field(ge=0)
    verdict: str = Field(min_length=5)


class FootwearFile(_Strict):
    items: list[FootwearItemFile] = Field(min_length=5)
    bands: list[FootwearBandFile] = Field(min_length=2)
    evidence_note: str = Field(min_length=20)
    sources: list[SourceId] = Field(min_length=1)
    review: ReviewFile

    @model_validator(mode="after")
    def _bands(self) -> FootwearFile:
        scores = [b.min_score for b in self.bands]
        if scores != sorted(scores, reverse=True) or scores[-1] != 0:
            raise ValueError("bands must run from the highest min_score down to 0")
        return self


class LifestyleTipFile(_Strict):
    id: Id = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str = Field(min_length=3)
    advice: str = Field(min_length=10)
    when: dict[str, Any] | None = None
    priority: int = Field(ge=1, le=9, description="1 shows first")
    sources: list[SourceId] = Field(min_length=1)


class LifestyleFile(_Strict):
    tips: list[LifestyleTipFile] = Field(min_length=5)
    review: ReviewFile


class RestPositionFile(_Strict):
    pattern: PatternId | None
    position: str = Field(min_length=5)


class StepTargetFile(_Strict):
    min_age: int = Field(ge=0)
    max_age: int | None = None
    plateau_low: int = Field(ge=1000)
    plateau_high: int = Field(ge=1000)


class WalkingFile(_Strict):
    target_minutes_per_session: int = Field(ge=5, le=120)
    target_days_per_week: int = Field(ge=1, le=7)
    start_days_per_week: int = Field(ge=1, le=7)
    bout_fraction_of_tolerance: float = Field(gt=0, le=1)
    min_bout_minutes: float = Field(gt=0)
    no_limit_start_minutes: int = Field(ge=1)
    unknown_tolerance_minutes: float = Field(gt=0)
    start_bouts: int = Field(ge=1, le=10)
    weekly_increase: float = Field(gt=0, le=0.5)
    max_weeks: int = Field(ge=1, le=104)
    rest_minutes: float = Field(gt=0)
    rest_positions: list[RestPositionFile] = Field(min_length=1)
    weekly_cues: list[Id] = Field(min_length=1)
    step_targets: list[StepTargetFile] = Field(min_length=1)
    step_first_goal_increase: int = Field(ge=0)
    sources: list[SourceId] = Field(min_length=1)
    review: ReviewFile


class ProgressionRuleFile(_Strict):
    id: Id = Field(pattern=r"^[a-z][a-z0-9_.]*$")
    applies_to: Literal["exercise", "walking", "both"]
    when: dict[str, Any]
    operation: Literal["progress", "hold", "regress"]
    step: float = Field(ge=0, le=1)
    cap: float | None = None
    needs_logged_session: bool
    message: str = Field(min_length=10)
    sources: list[SourceId] = Field(min_length=1)


class ProgressionFile(_Strict):
    rules: list[ProgressionRuleFile] = Field(min_length=3)
    review: ReviewFile


class GateFile(_Strict):
    exercises: bool
    walking: bool
    max_intensity: int = Field(ge=0, le=3)
    safety: list[str] = Field(min_length=1)


class PainBandFile(_Strict):
    min_pain: int = Field(ge=0, le=10)
    sets_factor: float = Field(gt=0, le=1)
    hold_factor: float = Field(gt=0, le=1)
    prefer_regression: bool


class ProgrammeFile(_Strict):
    default_minutes_per_day: int = Field(ge=5, le=120)
    min_minutes_per_day: int = Field(ge=1, le=60)
    max_exercises: int = Field(ge=1, le=12)
    exercise_share: float = Field(gt=0, lt=1, description="share of the daily time for exercises")
    category_order: list[Literal["stretch", "mobility", "core", "walking"]]
    gates: dict[LevelName, GateFile]
    pain_bands: list[PainBandFile] = Field(min_length=1)
    fitness_intensity: dict[Literal["low", "moderate", "high"], int]
    sources: list[SourceId] = Field(min_length=1)
    review: ReviewFile
