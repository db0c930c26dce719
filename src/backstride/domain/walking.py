"""A walking tolerance test's stored result (the phone's analysis and the person's markers;
the raw samples are not kept)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class StoredWalkingTest:
    """One test: times in seconds from the Start tap, distances in metres (estimates from
    the phone's movement and the person's height), ``stop_reason`` one of ``pain``,
    ``time_limit``, ``other_symptom``, ``other``; ``detail`` holds the bouts, quality notes
    and height used."""

    id: int
    person_id: int
    day: date
    recorded_at: datetime
    time_to_first_symptom_s: float | None
    distance_to_first_symptom_m: float | None
    walking_time_s: float
    distance_m: float | None
    total_time_s: float
    stop_reason: str
    recovery_s: float | None
    steps: int
    cadence_spm: float | None
    speed_mps: float | None
    sampling_rate_hz: float
    detail: dict[str, Any]
