"""Ordering check-ins, reading their scores, and the trend and chart series they show."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from fractions import Fraction
from itertools import pairwise

from backstride.diary.model import (
    Direction,
    PainTrend,
    Point,
    Series,
    ToleranceReading,
    ToleranceTrend,
    Trend,
)
from backstride.domain.diary import DiaryEntry
from backstride.domain.escalation_rules import EscalationRules, NoImprovementRule, PainMeasure

#: How each pain score is named in a reason's entries and in the trend.
MEASURE_LABELS: dict[PainMeasure, str] = {
    PainMeasure.PAIN_NOW: "pain now",
    PainMeasure.PAIN_WALKING: "pain while walking",
    PainMeasure.PAIN_WORST: "pain (the worse of now and while walking)",
}


def in_order(entries: Sequence[DiaryEntry]) -> tuple[DiaryEntry, ...]:
    """The check-ins sorted by day; two check-ins on one day raise ``ValueError``."""
    ordered = tuple(sorted(entries, key=lambda e: e.day))
    for before, after in pairwise(ordered):
        if before.day == after.day:
            raise ValueError(f"two check-ins on the same day ({after.day.isoformat()})")
    return ordered


def pain(entry: DiaryEntry, measure: PainMeasure) -> int:
    if measure is PainMeasure.PAIN_NOW:
        return entry.pain_now
    if measure is PainMeasure.PAIN_WALKING:
        return entry.pain_walking
    return max(entry.pain_now, entry.pain_walking)


def exact(value: float) -> Fraction:
    """A content number as an exact fraction, so 30 % of 10 is exactly 3."""
    return Fraction(str(value))


def meaningful_improvement(first: int, latest: int, rule: NoImprovementRule) -> bool:
    """At least ``points`` lower AND at least ``fraction`` of the first value lower."""
    fall = first - latest
    return fall >= rule.points and fall >= exact(rule.fraction) * first


def tolerance(entry: DiaryEntry) -> ToleranceReading | None:
    """The check-in's walking tolerance, or None when it was not recorded."""
    if entry.walk_no_limit:
        return ToleranceReading(entry.day, None, no_limit=True)
    if entry.walk_tolerance_min is None:
        return None
    return ToleranceReading(entry.day, entry.walk_tolerance_min, no_limit=False)


def trend(entries: tuple[DiaryEntry, ...], rules: EscalationRules) -> Trend:
    return Trend(_pain_trend(entries, rules), _tolerance_trend(entries))


def _pain_trend(entries: tuple[DiaryEntry, ...], rules: EscalationRules) -> PainTrend:
    rule = rules.no_improvement
    label = MEASURE_LABELS[rule.measure]
    if not entries:
        return PainTrend(label, None, None, None, None)
    first, latest = pain(entries[0], rule.measure), pain(entries[-1], rule.measure)
    direction: Direction | None = None
    if len(entries) > 1:
        recovered = latest <= rule.recovered_at_most and latest < first
        if meaningful_improvement(first, latest, rule) or recovered:
            direction = Direction.IMPROVING
        elif latest - first >= rules.sustained_worsening.points:
            direction = Direction.WORSENING
        else:
            direction = Direction.UNCHANGED
    return PainTrend(label, first, latest, latest - first, direction)


def _tolerance_trend(entries: tuple[DiaryEntry, ...]) -> ToleranceTrend:
    readings = [r for r in map(tolerance, entries) if r is not None]
    if not readings:
        return ToleranceTrend(None, None, None)
    first, latest = readings[0], readings[-1]
    change = None
    if first.minutes is not None and latest.minutes is not None:
        change = latest.minutes - first.minutes
    return ToleranceTrend(first, latest, change)


def series(entries: tuple[DiaryEntry, ...]) -> Series:
    """Chart-ready points, one per calendar day from the first to the latest check-in."""
    by_day = {e.day: e for e in entries}
    days: list[date] = []
    if entries:
        span = (entries[-1].day - entries[0].day).days
        days = [entries[0].day + timedelta(days=n) for n in range(span + 1)]

    def points(read: Callable[[DiaryEntry], float | None]) -> tuple[Point, ...]:
        return tuple((d, read(by_day[d]) if d in by_day else None) for d in days)

    return Series(
        pain_now=points(lambda e: e.pain_now),
        pain_walking=points(lambda e: e.pain_walking),
        walk_tolerance_min=points(lambda e: None if e.walk_no_limit else e.walk_tolerance_min),
        walk_no_limit=points(lambda e: 1.0 if e.walk_no_limit else 0.0),
        walk_minutes=points(lambda e: e.walk_minutes),
        steps=points(lambda e: e.steps),
        exercise_adherence=points(_adherence),
    )


def _adherence(entry: DiaryEntry) -> float | None:
    if not entry.exercises:
        return None
    return sum(1 for x in entry.exercises if x.done) / len(entry.exercises)
