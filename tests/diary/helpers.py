"""Spec-table rows as check-ins: (day offset, pain_now, pain_walking, walking tolerance)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Final

from backstride.domain.diary import DiaryEntry, ExerciseLog
from backstride.domain.escalation_rules import EscalationRules
from backstride.services.assessments import default_service

#: Day 0 of every spec row.
START: Final = date(2026, 3, 2)
#: "no limit" in the tolerance column: pain never stopped the walk.
NL: Final = "no limit"

Tolerance = float | str | None
Row = tuple[int, int, int, Tolerance]


def rules() -> EscalationRules:
    return default_service().content.escalation


def day(offset: int) -> date:
    return START + timedelta(days=offset)


def entry(
    offset: int,
    pain_now: int,
    pain_walking: int,
    tolerance: Tolerance = None,
    *,
    red_flag: bool | None = None,
    exercises: tuple[ExerciseLog, ...] = (),
    steps: int | None = None,
) -> DiaryEntry:
    return DiaryEntry(
        day=day(offset),
        pain_now=pain_now,
        pain_walking=pain_walking,
        walk_minutes=20.0,
        walk_tolerance_min=None if tolerance is None or tolerance == NL else float(tolerance),
        walk_no_limit=tolerance == NL,
        steps=steps,
        exercises=exercises,
        red_flag=red_flag,
    )


def diary(rows: Iterable[Row]) -> list[DiaryEntry]:
    return [entry(*row) for row in rows]
