"""The shape of ``escalation.yaml``, the diary's escalation rules, checked strictly."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from backstride.content.schema import LevelName, ReviewFile

RuleId = Annotated[str, Field(pattern=r"^diary\.[a-z0-9_]+$")]
SourceId = str
Measure = Literal["pain_now", "pain_walking", "pain_worst"]
Points = Annotated[int, Field(ge=1, le=10)]
Fraction = Annotated[float, Field(gt=0, lt=1)]
Text = Annotated[str, Field(min_length=10)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _RuleBase(_Strict):
    id: RuleId
    title: str = Field(min_length=3)
    rationale: Text
    sources: list[SourceId] = Field(min_length=1)
    review: ReviewFile


class NoImprovementFile(_RuleBase):
    kind: Literal["no_improvement"]
    level: LevelName
    message: Text
    measure: Measure
    min_days: int = Field(ge=1, le=90)
    points: Points
    fraction: Fraction
    recovered_at_most: int = Field(ge=0, le=10)


class SustainedWorseningFile(_RuleBase):
    kind: Literal["sustained_worsening"]
    level: LevelName
    message: Text
    measures: list[Measure] = Field(min_length=1)
    points: Points
    consecutive_entries: int = Field(ge=2, le=30)

    @field_validator("measures")
    @classmethod
    def _unique_measures(cls, measures: list[Measure]) -> list[Measure]:
        if len(set(measures)) != len(measures):
            raise ValueError("a measure is listed twice")
        return measures


class ToleranceFallFile(_RuleBase):
    kind: Literal["tolerance_fall"]
    level: LevelName
    message: Text
    window_days: int = Field(ge=1, le=90)
    fraction: Fraction


class LevelMessagesFile(_Strict):
    """One message for each level the re-assessment can give."""

    emergency: Text
    urgent: Text
    soon: Text
    self_care: Text


class RedFlagFile(_RuleBase):
    kind: Literal["red_flag"]
    level_when_not_assessed: LevelName
    messages: LevelMessagesFile


class MissingCheckInsFile(_RuleBase):
    kind: Literal["missing_check_ins"]
    after_days: int = Field(ge=1, le=30)
    message: Text
    start_message: Text


RuleFile = Annotated[
    NoImprovementFile
    | SustainedWorseningFile
    | ToleranceFallFile
    | RedFlagFile
    | MissingCheckInsFile,
    Field(discriminator="kind"),
]


class EscalationFile(_Strict):
    rules: list[RuleFile] = Field(min_length=1)
