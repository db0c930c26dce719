"""A ``DiaryStatus`` as plain JSON-ready data (what ``backstride diary status --json`` prints)."""

from __future__ import annotations

from typing import Any

from backstride.diary.model import DiaryStatus, Point, ToleranceReading
from backstride.domain.diary import Escalation


def status_to_dict(status: DiaryStatus, *, with_series: bool = False) -> dict[str, Any]:
    """``escalation`` (level or null, reasons, reminders), ``trend``, ``days_logged``."""
    pain, tol = status.trend.pain, status.trend.tolerance
    out: dict[str, Any] = {
        "escalation": escalation_to_dict(status.escalation),
        "trend": {
            "pain": {
                "measure": pain.measure,
                "first": pain.first,
                "latest": pain.latest,
                "change": pain.change,
                "direction": pain.direction.value if pain.direction else None,
            },
            "tolerance": {
                "first": _reading(tol.first),
                "latest": _reading(tol.latest),
                "change_min": tol.change_min,
            },
        },
        "days_logged": status.days_logged,
    }
    if with_series:
        s = status.series
        out["series"] = {
            "pain_now": _points(s.pain_now),
            "pain_walking": _points(s.pain_walking),
            "walk_tolerance_min": _points(s.walk_tolerance_min),
            "walk_no_limit": _points(s.walk_no_limit),
            "walk_minutes": _points(s.walk_minutes),
            "steps": _points(s.steps),
            "exercise_adherence": _points(s.exercise_adherence),
        }
    return out


def escalation_to_dict(escalation: Escalation) -> dict[str, Any]:
    return {
        "level": escalation.level.value if escalation.level else None,
        "reasons": [
            {
                "rule": r.rule,
                "level": r.level.value,
                "message": r.message,
                "source": r.source,
                "entries": [{"day": e.day.isoformat(), "what": e.what} for e in r.entries],
            }
            for r in escalation.reasons
        ],
        "reminders": list(escalation.reminders),
    }


def _reading(reading: ToleranceReading | None) -> dict[str, Any] | None:
    if reading is None:
        return None
    return {
        "day": reading.day.isoformat(),
        "minutes": reading.minutes,
        "no_limit": reading.no_limit,
    }


def _points(points: tuple[Point, ...]) -> list[list[Any]]:
    return [[day.isoformat(), value] for day, value in points]
