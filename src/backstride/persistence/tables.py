"""The tables. Answers, results and plans are stored as their JSON contracts."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on every database (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("a stored time must carry its time zone")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, datetime: UTCDateTime}  # noqa: RUF012


class PersonRow(Base):
    __tablename__ = "people"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column()
    # An argon2id hash (PHC string); None for a user who cannot sign in to the web app.
    password_hash: Mapped[str | None] = mapped_column(String(255), nullable=True, default=None)
    __table_args__ = (CheckConstraint("role IN ('person', 'clinician', 'admin')", name="role"),)


class ClinicianLinkRow(Base):
    __tablename__ = "clinician_links"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    clinician_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column()
    __table_args__ = (UniqueConstraint("clinician_id", "person_id", name="pair"),)


class AssessmentRow(Base):
    __tablename__ = "assessments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column()
    answers: Mapped[dict[str, Any]]
    result: Mapped[dict[str, Any]]
    content_version: Mapped[str] = mapped_column(String(40))


class PlanRow(Base):
    __tablename__ = "plans"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column()
    plan: Mapped[dict[str, Any]]
    current_week: Mapped[int] = mapped_column(Integer, default=1)


class PlanAdjustmentRow(Base):
    __tablename__ = "plan_adjustments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    week_start: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column()
    decisions: Mapped[dict[str, Any]]
    __table_args__ = (UniqueConstraint("plan_id", "week_start", name="week"),)


class DiaryEntryRow(Base):
    __tablename__ = "diary_entries"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    pain_now: Mapped[int] = mapped_column(Integer)
    pain_walking: Mapped[int] = mapped_column(Integer)
    walk_minutes: Mapped[float] = mapped_column(Float)
    walk_tolerance_min: Mapped[float | None] = mapped_column(Float, nullable=True)
    walk_no_limit: Mapped[bool] = mapped_column(Boolean, default=False)
    steps: Mapped[int | None] = mapped_column(Integer, nullable=True)
    exercises: Mapped[dict[str, Any]]
    settled_by_morning: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    red_flag: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column()
    __table_args__ = (
        UniqueConstraint("person_id", "day", name="one_per_day"),
        CheckConstraint("pain_now BETWEEN 0 AND 10", name="pain_now"),
        CheckConstraint("pain_walking BETWEEN 0 AND 10", name="pain_walking"),
        CheckConstraint("walk_minutes >= 0", name="walk_minutes"),
        CheckConstraint("walk_tolerance_min IS NULL OR walk_tolerance_min >= 0", name="tolerance"),
        CheckConstraint("steps IS NULL OR steps >= 0", name="steps"),
    )


class ExerciseSessionRow(Base):
    """An exercise marked done on the programme page, kept until (and after) that day's
    check-in, which takes them in."""

    __tablename__ = "exercise_sessions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    exercise_id: Mapped[str] = mapped_column(String(60))
    pain_during: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column()
    __table_args__ = (
        Index("ix_exercise_sessions_person_day", "person_id", "day"),
        CheckConstraint("pain_during IS NULL OR pain_during BETWEEN 0 AND 10", name="pain"),
    )


class EscalationRow(Base):
    __tablename__ = "escalations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    level: Mapped[str] = mapped_column(String(20))
    reasons: Mapped[dict[str, Any]]
    fingerprint: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column()
    shown_at: Mapped[datetime | None] = mapped_column(nullable=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(nullable=True)


class AuthSessionRow(Base):
    """A signed-in browser (kind ``web``) or API client (kind ``api``). Only a hash of the
    token is kept, so a copy of the database signs nobody in."""

    __tablename__ = "auth_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column()
    expires_at: Mapped[datetime] = mapped_column()
    __table_args__ = (CheckConstraint("kind IN ('web', 'api')", name="kind"),)


class LoginFailureRow(Base):
    """One failed sign-in, kept for rate limiting (by account name and by client address)."""

    __tablename__ = "login_failures"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), index=True)  # a hash: no names kept here
    at: Mapped[datetime] = mapped_column()


class OneTimeCodeRow(Base):
    """A clinician's invitation code or an admin's password-reset code (hashed, expiring,
    used once)."""

    __tablename__ = "one_time_codes"
    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    purpose: Mapped[str] = mapped_column(String(10))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column()
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column(nullable=True)
    __table_args__ = (CheckConstraint("purpose IN ('invite', 'reset')", name="purpose"),)


class AuditEventRow(Base):
    """Who did what to whose record, and when (a clinician's change to a programme, say)."""

    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), nullable=True
    )
    actor_name: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[dict[str, Any]]
    at: Mapped[datetime] = mapped_column()


class WalkingTestRow(Base):
    """One walking tolerance test recorded by a phone at the lower back. The raw samples are
    not kept: only what the test found, and the quality flags that qualify it."""

    __tablename__ = "walking_tests"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column()
    time_to_first_symptom_s: Mapped[float | None] = mapped_column(Float, nullable=True)
    distance_to_first_symptom_m: Mapped[float | None] = mapped_column(Float, nullable=True)
    walking_time_s: Mapped[float] = mapped_column(Float)
    distance_m: Mapped[float | None] = mapped_column(Float, nullable=True)
    total_time_s: Mapped[float] = mapped_column(Float)
    stop_reason: Mapped[str] = mapped_column(String(20))
    recovery_s: Mapped[float | None] = mapped_column(Float, nullable=True)
    steps: Mapped[int] = mapped_column(Integer)
    cadence_spm: Mapped[float | None] = mapped_column(Float, nullable=True)
    speed_mps: Mapped[float | None] = mapped_column(Float, nullable=True)
    sampling_rate_hz: Mapped[float] = mapped_column(Float)
    detail: Mapped[dict[str, Any]]  # bouts and quality flags, as the gait JSON gives them
    __table_args__ = (
        CheckConstraint("walking_time_s >= 0", name="walking_time"),
        CheckConstraint("steps >= 0", name="steps"),
    )
