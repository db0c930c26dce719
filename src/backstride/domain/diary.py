"""A person's daily check-ins and what is stored about them. Pure data.

One check-in per person per day. Pain is on the 0-10 numeric rating scale; walking
tolerance is the minutes walked before pain made them stop (``None`` when not recorded;
``walk_no_limit`` when pain never stopped them).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from backstride.domain.urgency import Urgency


class Role(enum.Enum):
    PERSON = "person"
    CLINICIAN = "clinician"
    ADMIN = "admin"


@dataclass(frozen=True, slots=True)
class Person:
    id: int
    name: str
    role: Role
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ExerciseLog:
    """One exercise done (or not) that day, with the pain felt during it (0-10)."""

    exercise_id: str
    done: bool
    pain_during: int | None = None


@dataclass(frozen=True, slots=True)
class DiaryEntry:
    """One day's check-in."""

    day: date
    pain_now: int
    pain_walking: int
    walk_minutes: float
    walk_tolerance_min: float | None = None
    walk_no_limit: bool = False
    steps: int | None = None
    exercises: tuple[ExerciseLog, ...] = ()
    settled_by_morning: bool | None = None  # did yesterday's exercise pain settle overnight?
    red_flag: bool | None = None  # new saddle numbness, bladder or bowel change, or weakness
    note: str = ""


@dataclass(frozen=True, slots=True)
class StoredAssessment:
    id: int
    person_id: int
    created_at: datetime
    answers: dict[str, Any]
    result: dict[str, Any]
    content_version: str

    @property
    def urgency(self) -> Urgency:
        return Urgency(self.result["urgency"])


@dataclass(frozen=True, slots=True)
class StoredPlan:
    id: int
    person_id: int
    assessment_id: int
    created_at: datetime
    plan: dict[str, Any]  # the plan contract (docs/reference/plan.md), illustrations left out
    current_week: int


@dataclass(frozen=True, slots=True)
class EntryRef:
    """An entry an escalation reason rests on."""

    day: date
    what: str


@dataclass(frozen=True, slots=True)
class EscalationReason:
    rule: str
    level: Urgency
    message: str
    source: str
    entries: tuple[EntryRef, ...]
    #: What makes this reason news: a reason of the same rule with the same evidence has been
    #: shown already. Empty means the days of ``entries``. Not stored: it only identifies an
    #: escalation when it is found (``Records.fingerprint``).
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Escalation:
    """What the diary says: see a doctor (with reasons), or nothing to escalate."""

    level: Urgency | None
    reasons: tuple[EscalationReason, ...]
    reminders: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StoredEscalation:
    id: int
    person_id: int
    level: Urgency
    reasons: tuple[EscalationReason, ...]
    created_at: datetime
    shown_at: datetime | None
    acknowledged_at: datetime | None
