"""Reads and writes in the caller's session (the service owns the transaction)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, TextClause, bindparam, delete, select, text
from sqlalchemy.orm import Session

from backstride.domain.diary import (
    DiaryEntry,
    EntryRef,
    EscalationReason,
    ExerciseLog,
    Person,
    Role,
    StoredAssessment,
    StoredEscalation,
    StoredPlan,
)
from backstride.domain.urgency import Urgency
from backstride.persistence.tables import (
    AssessmentRow,
    ClinicianLinkRow,
    DiaryEntryRow,
    EscalationRow,
    PersonRow,
    PlanAdjustmentRow,
    PlanRow,
    UTCDateTime,
)


def _person(row: PersonRow) -> Person:
    return Person(row.id, row.name, Role(row.role), row.created_at)


def add_person(session: Session, name: str, role: Role, now: datetime) -> Person:
    row = PersonRow(name=name, role=role.value, created_at=now)
    session.add(row)
    session.flush()
    return _person(row)


def find_person(session: Session, name: str) -> Person | None:
    row = session.scalars(select(PersonRow).where(PersonRow.name == name)).one_or_none()
    return None if row is None else _person(row)


def link(session: Session, clinician_id: int, person_id: int, now: datetime) -> None:
    session.add(ClinicianLinkRow(clinician_id=clinician_id, person_id=person_id, created_at=now))


def unlink(session: Session, clinician_id: int, person_id: int) -> bool:
    """Remove the link; False if there was none."""
    query = delete(ClinicianLinkRow).where(
        ClinicianLinkRow.clinician_id == clinician_id, ClinicianLinkRow.person_id == person_id
    )
    return bool(session.execute(query).rowcount)  # type: ignore[attr-defined]


def linked_people(session: Session, clinician_id: int) -> list[int]:
    query = select(ClinicianLinkRow.person_id).where(ClinicianLinkRow.clinician_id == clinician_id)
    return list(session.scalars(query.order_by(ClinicianLinkRow.person_id)))


def clinicians_of(session: Session, person_id: int) -> list[int]:
    query = select(ClinicianLinkRow.clinician_id).where(ClinicianLinkRow.person_id == person_id)
    return list(session.scalars(query.order_by(ClinicianLinkRow.clinician_id)))


def people(session: Session, ids: Sequence[int]) -> list[Person]:
    query = select(PersonRow).where(PersonRow.id.in_(ids)).order_by(PersonRow.id)
    return [_person(r) for r in session.scalars(query)]


def add_assessment(
    session: Session,
    person_id: int,
    *,
    answers: dict[str, Any],
    result: dict[str, Any],
    content_version: str,
    now: datetime,
) -> StoredAssessment:
    row = AssessmentRow(
        person_id=person_id,
        created_at=now,
        answers=answers,
        result=result,
        content_version=content_version,
    )
    session.add(row)
    session.flush()
    return _assessment(row)


def _assessment(row: AssessmentRow) -> StoredAssessment:
    return StoredAssessment(
        row.id, row.person_id, row.created_at, row.answers, row.result, row.content_version
    )


def assessments(session: Session, person_id: int) -> list[StoredAssessment]:
    query = select(AssessmentRow).where(AssessmentRow.person_id == person_id)
    return [_assessment(r) for r in session.scalars(query.order_by(AssessmentRow.id))]


def latest_assessment(session: Session, person_id: int) -> StoredAssessment | None:
    query = select(AssessmentRow).where(AssessmentRow.person_id == person_id)
    row = session.scalars(query.order_by(AssessmentRow.id.desc()).limit(1)).first()
    return None if row is None else _assessment(row)


_LATEST_ASSESSMENT_HEAD = text(
    "SELECT id, created_at FROM assessments WHERE person_id = :person ORDER BY id DESC LIMIT 1"
).columns(created_at=UTCDateTime())


def latest_assessment_head(session: Session, person_id: int) -> tuple[int, datetime] | None:
    """The id and time of the person's latest assessment (what a diary's episode starts from),
    without reading its answers and result."""
    row = session.execute(_LATEST_ASSESSMENT_HEAD, {"person": person_id}).first()
    return None if row is None else (row[0], row[1])


def add_plan(
    session: Session, person_id: int, assessment_id: int, plan: dict[str, Any], now: datetime
) -> StoredPlan:
    row = PlanRow(
        person_id=person_id, assessment_id=assessment_id, created_at=now, plan=plan, current_week=1
    )
    session.add(row)
    session.flush()
    return _plan(row)


def _plan(row: PlanRow) -> StoredPlan:
    return StoredPlan(
        row.id, row.person_id, row.assessment_id, row.created_at, row.plan, row.current_week
    )


def current_plan(session: Session, person_id: int) -> StoredPlan | None:
    query = select(PlanRow).where(PlanRow.person_id == person_id).order_by(PlanRow.id.desc())
    row = session.scalars(query.limit(1)).one_or_none()
    return None if row is None else _plan(row)


def record_adjustment(
    session: Session,
    plan_id: int,
    *,
    week_start: date,
    decisions: dict[str, Any],
    plan: dict[str, Any],
    current_week: int,
    now: datetime,
) -> None:
    row = session.get_one(PlanRow, plan_id)
    row.plan = plan
    row.current_week = current_week
    session.add(
        PlanAdjustmentRow(
            plan_id=plan_id, week_start=week_start, created_at=now, decisions=decisions
        )
    )


def adjustment_weeks(session: Session, plan_id: int) -> list[date]:
    query = select(PlanAdjustmentRow.week_start).where(PlanAdjustmentRow.plan_id == plan_id)
    return list(session.scalars(query.order_by(PlanAdjustmentRow.week_start)))


def _exercises_json(entry: DiaryEntry) -> dict[str, Any]:
    return {
        "items": [
            {"id": e.exercise_id, "done": e.done, "pain_during": e.pain_during}
            for e in entry.exercises
        ]
    }


def find_entry_row(session: Session, person_id: int, day: date) -> DiaryEntryRow | None:
    query = select(DiaryEntryRow).where(
        DiaryEntryRow.person_id == person_id, DiaryEntryRow.day == day
    )
    return session.scalars(query).one_or_none()


def save_entry(
    session: Session,
    person_id: int,
    entry: DiaryEntry,
    now: datetime,
    existing: DiaryEntryRow | None,
) -> None:
    row = existing or DiaryEntryRow(person_id=person_id, day=entry.day, created_at=now)
    row.pain_now = entry.pain_now
    row.pain_walking = entry.pain_walking
    row.walk_minutes = entry.walk_minutes
    row.walk_tolerance_min = entry.walk_tolerance_min
    row.walk_no_limit = entry.walk_no_limit
    row.steps = entry.steps
    row.exercises = _exercises_json(entry)
    row.settled_by_morning = entry.settled_by_morning
    row.red_flag = entry.red_flag
    row.note = entry.note
    row.updated_at = now
    session.add(row)
    session.flush()


#: Diary columns read as plain rows: check-ins are read in bulk and never changed through
#: these reads, so ORM objects (and their bookkeeping) would only cost time.
_ENTRY_COLUMNS = (
    DiaryEntryRow.person_id,
    DiaryEntryRow.day,
    DiaryEntryRow.pain_now,
    DiaryEntryRow.pain_walking,
    DiaryEntryRow.walk_minutes,
    DiaryEntryRow.walk_tolerance_min,
    DiaryEntryRow.walk_no_limit,
    DiaryEntryRow.steps,
    DiaryEntryRow.exercises,
    DiaryEntryRow.settled_by_morning,
    DiaryEntryRow.red_flag,
    DiaryEntryRow.note,
)


def _entries(rows: Any) -> dict[int, list[DiaryEntry]]:
    """Check-ins from plain driver rows (``_ENTRY_COLUMNS``), grouped by person in row order.

    Values are converted here for both drivers: SQLite gives text dates, JSON text and 0/1;
    psycopg gives dates, dicts and booleans. The same exercise logs repeat from day to day
    and person to person; they are immutable, so equal ones are read once and shared.
    """
    found: dict[int, list[DiaryEntry]] = {}
    shared: dict[str, tuple[ExerciseLog, ...]] = {}
    for raw in rows:
        (person_id, day, pain_now, pain_walking, walk_minutes, tolerance, no_limit, steps,
         exercises, settled, red_flag, note) = raw  # fmt: skip
        key = exercises if isinstance(exercises, str) else json.dumps(exercises, sort_keys=True)
        logs = shared.get(key)
        if logs is None:
            items = json.loads(key).get("items", ())
            logs = shared[key] = tuple(
                ExerciseLog(e["id"], e["done"], e.get("pain_during")) for e in items
            )
        found.setdefault(person_id, []).append(
            DiaryEntry(
                date.fromisoformat(day) if isinstance(day, str) else day,
                pain_now,
                pain_walking,
                walk_minutes,
                tolerance,
                bool(no_limit),
                steps,
                logs,
                None if settled is None else bool(settled),
                None if red_flag is None else bool(red_flag),
                note,
            )
        )
    return found


#: The hot reads go through the driver with plain SQL (no input is formatted into it:
#: values are bound): SQLAlchemy's per-column result processing (a regular expression per
#: date on SQLite, JSON decoding) cost more than everything else on a diary's pages.
_ENTRY_SQL = "SELECT {columns} FROM diary_entries {where} ORDER BY person_id, day"


def _entry_sql(where: str) -> TextClause:
    columns = ", ".join(c.name for c in _ENTRY_COLUMNS)
    return text(_ENTRY_SQL.format(columns=columns, where=where))


def entries(session: Session, person_id: int, since: date | None = None) -> list[DiaryEntry]:
    """One person's check-ins in day order (from ``since`` on)."""
    if since is None:
        query = _entry_sql("WHERE person_id = :person")
        params: dict[str, Any] = {"person": person_id}
    else:
        query = _entry_sql("WHERE person_id = :person AND day >= :since").bindparams(
            bindparam("since", type_=Date)
        )
        params = {"person": person_id, "since": since}
    return _entries(session.execute(query, params)).get(person_id, [])


def latest_entries(session: Session, person_id: int, count: int) -> list[DiaryEntry]:
    """One person's latest ``count`` check-ins, newest first."""
    columns = ", ".join(c.name for c in _ENTRY_COLUMNS)
    query = text(
        f"SELECT {columns} FROM diary_entries WHERE person_id = :person "  # noqa: S608 (constant columns)
        "ORDER BY day DESC LIMIT :count"
    )
    rows = session.execute(query, {"person": person_id, "count": count})
    return _entries(rows).get(person_id, [])


_DIARY_VERSION = "SELECT count(id), max(id), max(updated_at) FROM diary_entries WHERE {where}"
_DIARY_VERSION_ALL = text(_DIARY_VERSION.format(where="person_id = :person"))
_DIARY_VERSION_SINCE = text(
    _DIARY_VERSION.format(where="person_id = :person AND day >= :since")
).bindparams(bindparam("since", type_=Date))


def diary_version(session: Session, person_id: int, since: date | None) -> tuple[Any, ...]:
    """What identifies the content of a person's check-ins from ``since`` on: their number,
    the newest row and the last change (a check-in is changed in place on its own day).
    Compared only with itself, so the database's own representation is kept."""
    if since is None:
        return tuple(session.execute(_DIARY_VERSION_ALL, {"person": person_id}).one())
    query, params = _DIARY_VERSION_SINCE, {"person": person_id, "since": since}
    return tuple(session.execute(query, params).one())


def all_entries(session: Session) -> dict[int, list[DiaryEntry]]:
    """Every person's check-ins in day order, in one query (for overviews of many people)."""
    return _entries(session.execute(_entry_sql("")))


def latest_assessments(session: Session) -> dict[int, StoredAssessment]:
    """Each person's latest assessment, in one query."""
    latest: dict[int, StoredAssessment] = {}
    for row in session.scalars(select(AssessmentRow).order_by(AssessmentRow.id)):
        latest[row.person_id] = _assessment(row)
    return latest


def all_people(session: Session, role: Role) -> list[Person]:
    query = select(PersonRow).where(PersonRow.role == role.value).order_by(PersonRow.id)
    return [_person(r) for r in session.scalars(query)]


def _reasons_json(reasons: Sequence[EscalationReason]) -> dict[str, Any]:
    return {
        "items": [
            {
                "rule": r.rule,
                "level": r.level.value,
                "message": r.message,
                "source": r.source,
                "entries": [{"day": e.day.isoformat(), "what": e.what} for e in r.entries],
            }
            for r in reasons
        ]
    }


def _escalation(row: Any) -> StoredEscalation:
    """From an ``EscalationRow`` or a plain row with its columns."""
    reasons = tuple(
        EscalationReason(
            r["rule"],
            Urgency(r["level"]),
            r["message"],
            r["source"],
            tuple(EntryRef(date.fromisoformat(e["day"]), e["what"]) for e in r["entries"]),
        )
        for r in row.reasons.get("items", [])
    )
    return StoredEscalation(
        row.id,
        row.person_id,
        Urgency(row.level),
        reasons,
        row.created_at,
        row.shown_at,
        row.acknowledged_at,
    )


def add_escalation(
    session: Session,
    person_id: int,
    *,
    level: Urgency,
    reasons: Sequence[EscalationReason],
    fingerprint: str,
    now: datetime,
) -> StoredEscalation:
    row = EscalationRow(
        person_id=person_id,
        level=level.value,
        reasons=_reasons_json(reasons),
        fingerprint=fingerprint,
        created_at=now,
        shown_at=now,
    )
    session.add(row)
    session.flush()
    return _escalation(row)


def escalations(session: Session, person_id: int) -> list[StoredEscalation]:
    query = select(EscalationRow).where(EscalationRow.person_id == person_id)
    return [_escalation(r) for r in session.scalars(query.order_by(EscalationRow.id))]


_OPEN_ESCALATIONS = text(
    "SELECT id, person_id, level, reasons, created_at, shown_at, acknowledged_at "
    "FROM escalations WHERE person_id = :person AND acknowledged_at IS NULL ORDER BY id"
).columns(
    reasons=JSON(),
    created_at=UTCDateTime(),
    shown_at=UTCDateTime(),
    acknowledged_at=UTCDateTime(),
)
_FINGERPRINTS = text("SELECT fingerprint FROM escalations WHERE person_id = :person")


def open_escalations(session: Session, person_id: int) -> list[StoredEscalation]:
    """Escalations shown and not acknowledged (every page of the person asks)."""
    return [_escalation(r) for r in session.execute(_OPEN_ESCALATIONS, {"person": person_id})]


def escalation_fingerprints(session: Session, person_id: int) -> frozenset[str]:
    """Every escalation ever stored for the person, open or acknowledged."""
    return frozenset(session.scalars(_FINGERPRINTS, {"person": person_id}))


def acknowledge_all(session: Session, person_id: int, now: datetime) -> int:
    rows = session.scalars(
        select(EscalationRow).where(
            EscalationRow.person_id == person_id, EscalationRow.acknowledged_at.is_(None)
        )
    ).all()
    for row in rows:
        row.acknowledged_at = now
    return len(rows)
