"""The shape of each content file, checked strictly before anything is built from it."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

LevelName = Literal["emergency", "urgent", "soon", "self_care"]
SourceId = str
Text = str  # plain words; checked non-empty by min_length below


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ReviewFile(_Strict):
    authored_by: str = Field(min_length=1)
    checked_by: str | None
    date_reviewed: date
    next_review: date

    @model_validator(mode="after")
    def _next_after_reviewed(self) -> ReviewFile:
        if self.next_review <= self.date_reviewed:
            raise ValueError("next_review must come after date_reviewed")
        return self


class SourceFile(_Strict):
    citation: str = Field(min_length=3)
    title: str = Field(min_length=3)
    year: int = Field(ge=1950, le=2100)
    kind: Literal["guideline", "pathway", "paper", "review", "textbook", "consensus", "website"]
    url: str | None = None


class SourcesFile(_Strict):
    sources: dict[str, SourceFile]


class MetaFile(_Strict):
    content_version: str = Field(min_length=1)
    disclaimer: str = Field(min_length=20)
    retired_rule_ids: list[str] = []
    unanswered_template: str = Field(pattern=r"\{questions\}")
    missing_step: str = Field(min_length=10)


class RuleFile(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
    title: str = Field(min_length=3)
    level: LevelName
    if_unanswered: LevelName | None
    message: Text = Field(min_length=10)
    rationale: Text = Field(min_length=10)
    when: dict[str, Any]
    sources: list[SourceId] = Field(min_length=1)
    next_steps: list[Text] = []
    review: ReviewFile


class EvidenceFile(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    when: dict[str, Any]
    supports: Text = Field(min_length=3)
    lr_present: float | None = Field(default=None, gt=0)
    lr_absent: float | None = Field(default=None, gt=0)


class RatioScoringFile(_Strict):
    method: Literal["likelihood_ratio"]
    pretest_probability: float = Field(gt=0, lt=1)
    likely_from: float = Field(gt=0, lt=1)
    possible_from: float = Field(gt=0, lt=1)

    @model_validator(mode="after")
    def _ordered(self) -> RatioScoringFile:
        if self.possible_from >= self.likely_from:
            raise ValueError("possible_from must be below likely_from")
        return self


class CriteriaScoringFile(_Strict):
    method: Literal["criteria"]
    likely_when: dict[str, Any] | None = None
    possible_when: dict[str, Any]


class PatternFile(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str = Field(min_length=3)
    description: Text = Field(min_length=10)
    gate: dict[str, Any] | None = None
    scoring: RatioScoringFile | CriteriaScoringFile = Field(discriminator="method")
    evidence: list[EvidenceFile] = Field(min_length=1)
    sources: list[SourceId] = Field(min_length=1)
    review: ReviewFile


class ChoiceFile(_Strict):
    value: str
    label: str = Field(min_length=1)


class QuestionFile(_Strict):
    key: str
    section: str
    text: Text = Field(min_length=5)
    help: str = ""
    red_flag: bool = False
    ask_when: dict[str, Any] | None = None
    choices: list[ChoiceFile] = []


class SectionFile(_Strict):
    id: str
    title: str


class QuestionsFile(_Strict):
    sections: list[SectionFile] = Field(min_length=1)
    questions: list[QuestionFile] = Field(min_length=1)


class LevelAdviceFile(_Strict):
    headline: Text = Field(min_length=5)
    steps: list[Text] = Field(min_length=1)
    sources: list[SourceId] = Field(min_length=1)


class AdviceFile(_Strict):
    levels: dict[LevelName, LevelAdviceFile]

    @model_validator(mode="after")
    def _every_level(self) -> AdviceFile:
        absent = {"emergency", "urgent", "soon", "self_care"} - set(self.levels)
        if absent:
            raise ValueError(f"advice missing for levels {sorted(absent)}")
        return self


class InstrumentItemFile(_Strict):
    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    text: Text = Field(min_length=5)
    plain: Text = Field(min_length=3)
    kind: Literal["bool", "scale"]
    minimum: int | None = None
    maximum: int | None = None
    positive_from: int | None = None
    subscales: list[str] = []

    @model_validator(mode="after")
    def _scale_fields(self) -> InstrumentItemFile:
        lo, hi, pos = self.minimum, self.maximum, self.positive_from
        if self.kind == "bool":
            if (lo, hi, pos) != (None, None, None):
                raise ValueError("minimum, maximum and positive_from are only for scale items")
        elif lo is None or hi is None or pos is None:
            raise ValueError("a scale item needs minimum, maximum and positive_from")
        elif not lo <= pos <= hi or lo >= hi:
            raise ValueError("need minimum <= positive_from <= maximum and minimum < maximum")
        return self


class BandFile(_Strict):
    level: Literal["low", "medium", "high"]
    total_at_least: int = Field(default=0, ge=0)
    subscale_at_least: dict[str, int] = {}
    meaning: Text = Field(min_length=5)


class InstrumentFile(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    version: str
    licence: str = Field(min_length=3)
    attribution: str = ""
    validated: bool
    items: list[InstrumentItemFile] = Field(min_length=1)
    bands: list[BandFile] = Field(min_length=1)
    sources: list[SourceId] = Field(min_length=1)
    review: ReviewFile
