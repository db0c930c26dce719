"""Reads and writes for exercises marked done on the programme page (the caller owns the
transaction)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from backstride.domain.diary import ExerciseLog
from backstride.persistence.tables import DiaryEntryRow, ExerciseSessionRow


def add_session(
    session: Session,
    person_id: int,
    *,
    day: date,
    exercise_id: str,
    pain_during: int | None,
    now: datetime,
) -> None:
    session.add(
        ExerciseSessionRow(
            person_id=person_id,
            day=day,
            exercise_id=exercise_id,
            pain_during=pain_during,
            created_at=now,
        )
    )
    session.flush()


def done_on(session: Session, person_id: int, day: date) -> dict[str, ExerciseLog]:
    """The exercises marked done that day, by id; the latest pain given for each."""
    query = (
        select(ExerciseSessionRow.exercise_id, ExerciseSessionRow.pain_during)
        .where(ExerciseSessionRow.person_id == person_id, ExerciseSessionRow.day == day)
        .order_by(ExerciseSessionRow.id)
    )
    return {
        exercise_id: ExerciseLog(exercise_id, True, pain)
        for exercise_id, pain in session.execute(query)
    }


def include_in_entry(session: Session, person_id: int, day: date, log: ExerciseLog) -> bool:
    """Put ``log`` into that day's check-in, if there is one (replacing the exercise's
    earlier line); returns whether there was one."""
    row = session.scalars(
        select(DiaryEntryRow).where(DiaryEntryRow.person_id == person_id, DiaryEntryRow.day == day)
    ).one_or_none()
    if row is None:
        return False
    items = [i for i in row.exercises.get("items", []) if i["id"] != log.exercise_id]
    items.append({"id": log.exercise_id, "done": log.done, "pain_during": log.pain_during})
    row.exercises = {**row.exercises, "items": items}
    return True
