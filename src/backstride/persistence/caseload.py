"""Reads for a clinician's caseload: the linked people and small summaries of their records,
in a few queries whatever the number of people (the service caches what it computes).

Reads and writes in the caller's session (the service owns the transaction).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from backstride.domain.diary import DiaryEntry, Role, StoredAssessment
from backstride.domain.urgency import Urgency
from backstride.persistence.tables import (
    AssessmentRow,
    ClinicianLinkRow,
    DiaryEntryRow,
    EscalationRow,
    PersonRow,
    PlanRow,
    UTCDateTime,
)

#: Rows per ``IN (...)`` list: well under every driver's limit on bound parameters.
CHUNK = 500


@dataclass(frozen=True, slots=True)
class Episode:
    """One person's check-ins since a day, without exercises or notes, and the latest time
    any of their check-ins was written."""

    entries: list[DiaryEntry]
    updated_at: datetime | None


@dataclass(frozen=True, slots=True)
class AssessmentSummary:
    id: int
    created_at: datetime
    urgency: Urgency


def _linked(clinician_id: int) -> Select[Any]:
    return select(ClinicianLinkRow.person_id).where(ClinicianLinkRow.clinician_id == clinician_id)


def linked_people(session: Session, clinician_id: int) -> list[tuple[int, str]]:
    """The linked people's ids and names."""
    query = (
        select(PersonRow.id, PersonRow.name)
        .where(PersonRow.id.in_(_linked(clinician_id)), PersonRow.role == Role.PERSON.value)
        .order_by(PersonRow.id)
    )
    return [(int(i), str(n)) for i, n in session.execute(query)]


def latest_assessment_ids(session: Session, clinician_id: int) -> dict[int, int]:
    """Each linked person's latest assessment id (ids grow with time)."""
    query = (
        select(AssessmentRow.person_id, func.max(AssessmentRow.id))
        .where(AssessmentRow.person_id.in_(_linked(clinician_id)))
        .group_by(AssessmentRow.person_id)
    )
    return {int(person_id): int(latest) for person_id, latest in session.execute(query)}


def assessment(session: Session, assessment_id: int) -> StoredAssessment | None:
    row = session.get(AssessmentRow, assessment_id)
    if row is None:
        return None
    return StoredAssessment(
        row.id, row.person_id, row.created_at, row.answers, row.result, row.content_version
    )


def assessment_summaries(session: Session, ids: Sequence[int]) -> dict[int, AssessmentSummary]:
    found: dict[int, AssessmentSummary] = {}
    for start in range(0, len(ids), CHUNK):
        query = select(AssessmentRow.id, AssessmentRow.created_at, AssessmentRow.result).where(
            AssessmentRow.id.in_(ids[start : start + CHUNK])
        )
        for row_id, created_at, result in session.execute(query):
            found[row_id] = AssessmentSummary(row_id, created_at, Urgency(result["urgency"]))
    return found


def recently_written(session: Session, clinician_id: int, since: date) -> dict[int, datetime]:
    """The latest ``updated_at`` of each linked person's check-ins from ``since`` on (the
    only ones that can still be changed)."""
    query = (
        select(DiaryEntryRow.person_id, func.max(DiaryEntryRow.updated_at))
        .where(DiaryEntryRow.person_id.in_(_linked(clinician_id)), DiaryEntryRow.day >= since)
        .group_by(DiaryEntryRow.person_id)
    )
    return {int(person_id): at for person_id, at in session.execute(query)}


def max_entry_id(session: Session) -> int:
    return int(session.scalar(select(func.max(DiaryEntryRow.id))) or 0)


def people_with_entries_after(session: Session, entry_id: int) -> set[int]:
    """Who has a check-in stored after ``entry_id`` (ids only grow: new check-ins)."""
    query = select(DiaryEntryRow.person_id).where(DiaryEntryRow.id > entry_id).distinct()
    return {int(i) for i in session.scalars(query)}


def open_escalation_levels(session: Session, clinician_id: int) -> dict[int, Urgency]:
    """The highest level among each linked person's escalations not yet acknowledged."""
    query = (
        select(EscalationRow.person_id, EscalationRow.level)
        .where(
            EscalationRow.person_id.in_(_linked(clinician_id)),
            EscalationRow.acknowledged_at.is_(None),
        )
        .distinct()
    )
    found: dict[int, Urgency] = {}
    for person_id, level in session.execute(query):
        urgency = Urgency(level)
        if person_id not in found or urgency > found[person_id]:
            found[person_id] = urgency
    return found


#: The check-in fields the escalation rules and the trend read (no exercises, no notes).
_LEAN_COLUMNS = (
    DiaryEntryRow.person_id,
    DiaryEntryRow.day,
    DiaryEntryRow.pain_now,
    DiaryEntryRow.pain_walking,
    DiaryEntryRow.walk_minutes,
    DiaryEntryRow.walk_tolerance_min,
    DiaryEntryRow.walk_no_limit,
    DiaryEntryRow.red_flag,
    DiaryEntryRow.updated_at,
)


def episode_entries(session: Session, since: dict[int, date | None]) -> dict[int, Episode]:
    """The check-ins of each person in ``since`` from that day on (all when None), in day
    order, without exercises or notes. Read through the driver, like
    ``repositories.all_entries``: per-value result processing costs more than the rest."""
    columns = ", ".join(c.name for c in _LEAN_COLUMNS)
    found: dict[int, list[DiaryEntry]] = {person_id: [] for person_id in since}
    written: dict[int, datetime] = {}
    stamp = UTCDateTime().process_result_value
    qmark = session.get_bind().dialect.paramstyle == "qmark"
    ids = sorted(since)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        marks = ", ".join("?" if qmark else f"%(p{i})s" for i in range(len(chunk)))
        # The SQL holds only placeholders; the values are bound.
        sql = (
            f"SELECT {columns} FROM diary_entries WHERE person_id IN ({marks}) "  # noqa: S608
            "ORDER BY person_id, day"
        )
        params: Any = tuple(chunk) if qmark else {f"p{i}": v for i, v in enumerate(chunk)}
        rows = session.connection().exec_driver_sql(sql, params).fetchall()
        for raw in rows:
            person_id, day, pain_now, pain_walking, walk_minutes, tolerance, no_limit, red, at = raw
            at = stamp(datetime.fromisoformat(at) if isinstance(at, str) else at, None)
            if at is not None and (person_id not in written or at > written[person_id]):
                written[person_id] = at
            day = date.fromisoformat(day) if isinstance(day, str) else day
            first = since[person_id]
            if first is not None and day < first:
                continue
            found[person_id].append(
                DiaryEntry(
                    day,
                    pain_now,
                    pain_walking,
                    walk_minutes,
                    tolerance,
                    bool(no_limit),
                    red_flag=None if red is None else bool(red),
                )
            )
    return {i: Episode(found[i], written.get(i)) for i in since}


def replace_plan(session: Session, plan_id: int, plan: dict[str, Any]) -> None:
    """Store a changed plan in place (its week and weekly adjustments stay as they are)."""
    row = session.get_one(PlanRow, plan_id)
    row.plan = plan
