"""Reads and writes of walking tolerance test results (the caller owns the transaction)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backstride.domain.walking import StoredWalkingTest
from backstride.persistence.tables import WalkingTestRow


def _stored(row: WalkingTestRow) -> StoredWalkingTest:
    return StoredWalkingTest(
        id=row.id,
        person_id=row.person_id,
        day=row.day,
        recorded_at=row.recorded_at,
        time_to_first_symptom_s=row.time_to_first_symptom_s,
        distance_to_first_symptom_m=row.distance_to_first_symptom_m,
        walking_time_s=row.walking_time_s,
        distance_m=row.distance_m,
        total_time_s=row.total_time_s,
        stop_reason=row.stop_reason,
        recovery_s=row.recovery_s,
        steps=row.steps,
        cadence_spm=row.cadence_spm,
        speed_mps=row.speed_mps,
        sampling_rate_hz=row.sampling_rate_hz,
        detail=row.detail,
    )


def add_walking_test(session: Session, person_id: int, values: dict[str, Any]) -> StoredWalkingTest:
    row = WalkingTestRow(person_id=person_id, **values)
    session.add(row)
    session.flush()
    return _stored(row)


def tests_on(session: Session, person_id: int, day: date) -> int:
    """How many tests the person recorded on ``day``."""
    query = select(func.count()).where(
        WalkingTestRow.person_id == person_id, WalkingTestRow.day == day
    )
    return int(session.scalar(query) or 0)


def walking_tests(session: Session, person_id: int) -> list[StoredWalkingTest]:
    query = (
        select(WalkingTestRow)
        .where(WalkingTestRow.person_id == person_id)
        .order_by(WalkingTestRow.recorded_at, WalkingTestRow.id)
    )
    return [_stored(r) for r in session.scalars(query)]


def walking_test(session: Session, person_id: int, test_id: int) -> StoredWalkingTest | None:
    """One of the person's tests (None for another person's or an unknown id)."""
    row = session.get(WalkingTestRow, test_id)
    return None if row is None or row.person_id != person_id else _stored(row)
