"""What the diary engine returns: escalation, trend, and chart-ready series. Pure data."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from backstride.domain.diary import Escalation


class Direction(enum.Enum):
    """Course of pain from the first to the latest check-in (the contract's ``trend`` words)."""

    IMPROVING = "improving"
    UNCHANGED = "unchanged"
    WORSENING = "worsening"


@dataclass(frozen=True, slots=True)
class PainTrend:
    """The escalation rule's pain score (by default the worse of now and while walking)."""

    measure: str
    first: int | None
    latest: int | None
    change: int | None  # latest - first; negative is better
    direction: Direction | None  # None with fewer than 2 check-ins


@dataclass(frozen=True, slots=True)
class ToleranceReading:
    """A recorded walking tolerance: minutes, or no limit (``minutes`` is then None)."""

    day: date
    minutes: float | None
    no_limit: bool


@dataclass(frozen=True, slots=True)
class ToleranceTrend:
    """First and latest recorded walking tolerance; check-ins without one are skipped."""

    first: ToleranceReading | None
    latest: ToleranceReading | None
    change_min: float | None  # latest - first in minutes; None if either is missing or no limit


@dataclass(frozen=True, slots=True)
class Trend:
    pain: PainTrend
    tolerance: ToleranceTrend


Point = tuple[date, float | None]


@dataclass(frozen=True, slots=True)
class Series:
    """One point per calendar day from the first to the latest check-in; None = not recorded.

    ``walk_tolerance_min`` is None on a "no limit" day; ``walk_no_limit`` marks those days
    (1.0 yes, 0.0 no). ``exercise_adherence`` is exercises done / exercises logged that day.
    """

    pain_now: tuple[Point, ...]
    pain_walking: tuple[Point, ...]
    walk_tolerance_min: tuple[Point, ...]
    walk_no_limit: tuple[Point, ...]
    walk_minutes: tuple[Point, ...]
    steps: tuple[Point, ...]
    exercise_adherence: tuple[Point, ...]


@dataclass(frozen=True, slots=True)
class DiaryStatus:
    escalation: Escalation
    trend: Trend
    days_logged: int
    series: Series
