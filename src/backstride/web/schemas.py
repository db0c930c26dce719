"""The JSON API's request and response models, so that the OpenAPI schema documents every
operation. Field names and units are those of the domain (``walk_minutes``, ``pain_now``).

The check-in body mirrors the diary contract (``services.records``); the service validates it
again (a day in the future, minutes and "no limit" together), so the contract stays in one
place and this model only documents and parses it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from backstride.diary import DiaryStatus
from backstride.diary.export import status_to_dict
from backstride.domain.diary import DiaryEntry, StoredPlan
from backstride.services.records import MAX_NOTE_CHARS

Pain = Annotated[int, Field(ge=0, le=10, description="0-10 numeric rating scale")]
Minutes = Annotated[float, Field(ge=0, le=1440, allow_inf_nan=False)]

# -- errors -----------------------------------------------------------------------------------


class Problem(BaseModel):
    """An error: what went wrong, in words."""

    detail: str


class FieldProblem(BaseModel):
    loc: list[str | int] = Field(description='where: ["body", field name] or a query parameter')
    msg: str
    type: str


class InvalidInput(BaseModel):
    """422: one entry per bad field. Values given are never repeated back."""

    detail: list[FieldProblem]


UNAUTHORISED: dict[int | str, dict[str, Any]] = {
    401: {"model": Problem, "description": "no bearer token, or it is unknown, expired or revoked"}
}
FORBIDDEN: dict[int | str, dict[str, Any]] = {
    403: {"model": Problem, "description": "not yours to see (or not for this kind of account)"}
}
INVALID: dict[int | str, dict[str, Any]] = {
    422: {"model": InvalidInput, "description": "bad input: each entry names the field"}
}
UNREADABLE: dict[int | str, dict[str, Any]] = {
    400: {"model": Problem, "description": "the body could not be read as JSON (UTF-8) text"}
}

# -- service and tokens -----------------------------------------------------------------------


class Health(BaseModel):
    status: Literal["ok"]
    version: str
    content_version: str


class TokenRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=128)


class Token(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 (the scheme name, not a secret)
    expires_in: int = Field(description="seconds until the token stops working")


# -- the diary --------------------------------------------------------------------------------


class ExerciseLogIn(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    exercise_id: str = Field(min_length=1, max_length=60)
    done: bool
    pain_during: Pain | None = None


class DiaryEntryIn(BaseModel):
    """One day's check-in (one per day; today's can be changed today, a past day's once)."""

    model_config = ConfigDict(extra="forbid", strict=True)
    day: date = Field(strict=False, description="YYYY-MM-DD, today or earlier")
    pain_now: Pain
    pain_walking: Pain
    walk_minutes: Minutes
    walk_tolerance_min: Minutes | None = Field(
        default=None, description="minutes walked before pain made you stop"
    )
    walk_no_limit: bool = Field(default=False, description="pain did not stop you walking")
    steps: int | None = Field(default=None, ge=0, le=200_000)
    exercises: list[ExerciseLogIn] = []
    settled_by_morning: bool | None = None
    red_flag: bool | None = Field(
        default=None,
        description="new numbness between the legs, bladder or bowel change, or leg weakness",
    )
    note: str = Field(default="", max_length=MAX_NOTE_CHARS)


class ExerciseLogOut(BaseModel):
    exercise_id: str
    done: bool
    pain_during: int | None


class DiaryEntryOut(BaseModel):
    day: date
    pain_now: int
    pain_walking: int
    walk_minutes: float
    walk_tolerance_min: float | None
    walk_no_limit: bool
    steps: int | None
    exercises: list[ExerciseLogOut]
    settled_by_morning: bool | None
    red_flag: bool | None
    note: str

    @classmethod
    def of(cls, entry: DiaryEntry) -> DiaryEntryOut:
        return cls(
            day=entry.day,
            pain_now=entry.pain_now,
            pain_walking=entry.pain_walking,
            walk_minutes=entry.walk_minutes,
            walk_tolerance_min=entry.walk_tolerance_min,
            walk_no_limit=entry.walk_no_limit,
            steps=entry.steps,
            exercises=[
                ExerciseLogOut(exercise_id=e.exercise_id, done=e.done, pain_during=e.pain_during)
                for e in entry.exercises
            ],
            settled_by_morning=entry.settled_by_morning,
            red_flag=entry.red_flag,
            note=entry.note,
        )


# -- status -----------------------------------------------------------------------------------


class EntryRefOut(BaseModel):
    day: date
    what: str


class ReasonOut(BaseModel):
    rule: str
    level: str
    message: str
    source: str
    entries: list[EntryRefOut]


class EscalationOut(BaseModel):
    level: str | None = Field(description="null: nothing to escalate")
    reasons: list[ReasonOut]
    reminders: list[str]


class PainTrendOut(BaseModel):
    measure: str
    first: int | None
    latest: int | None
    change: int | None = Field(description="latest - first; negative is better")
    direction: str | None


class ToleranceReadingOut(BaseModel):
    day: date
    minutes: float | None
    no_limit: bool


class ToleranceTrendOut(BaseModel):
    first: ToleranceReadingOut | None
    latest: ToleranceReadingOut | None
    change_min: float | None


class TrendOut(BaseModel):
    pain: PainTrendOut
    tolerance: ToleranceTrendOut


class StatusOut(BaseModel):
    """The diary's status for the current episode (as ``backstride diary status --json``)."""

    escalation: EscalationOut
    trend: TrendOut
    days_logged: int
    new_escalation: bool = Field(
        description="this escalation was shown now for the first time (and is now stored)"
    )

    @classmethod
    def of(cls, status: DiaryStatus, *, new_escalation: bool) -> StatusOut:
        return cls.model_validate({**status_to_dict(status), "new_escalation": new_escalation})


class CheckIn(BaseModel):
    """A stored check-in and the diary's status after it."""

    entry: DiaryEntryOut
    status: StatusOut


class Acknowledged(BaseModel):
    acknowledged: int = Field(description="how many open escalations were acknowledged")


# -- plans ------------------------------------------------------------------------------------


class PlanOut(BaseModel):
    id: int
    assessment_id: int
    created_at: datetime
    current_week: int
    plan: dict[str, Any] = Field(description="the plan contract (docs/reference/plan.md)")

    @classmethod
    def of(cls, plan: StoredPlan) -> PlanOut:
        return cls(
            id=plan.id,
            assessment_id=plan.assessment_id,
            created_at=plan.created_at,
            current_week=plan.current_week,
            plan=plan.plan,
        )
