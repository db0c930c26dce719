"""The programme as an iCalendar file (RFC 5545): a daily exercise session and the walks of
the walking plan, for the next weeks. Only the plan goes in: no diary, no pain scores, no
name (calendars are often synced to other services)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from icalendar import Calendar, Event

PRODID = "-//Backstride//Programme//EN"
DAYS_PER_WEEK = 7


def _times(n: int) -> str:
    return {1: "once a day", 2: "twice a day"}.get(n, f"{n} times a day")


def dose_text(dose: dict[str, Any]) -> str:
    """An exercise's dose in words: "2 sets of 8, holding each for 2 seconds, twice a day"."""
    sets, reps, hold = dose.get("sets") or 1, dose.get("reps"), dose.get("hold_s")
    side = " on each side" if dose.get("per_side") else ""
    if reps:
        text = f"{sets} {'set' if sets == 1 else 'sets'} of {reps}{side}"
        if hold:
            text += f", holding each for {hold} seconds"
    elif hold:
        text = f"{sets} {'hold' if sets == 1 else 'holds'} of {hold} seconds{side}"
    else:
        text = f"{sets} {'set' if sets == 1 else 'sets'}{side}"
    rest = dose.get("rest_s")
    if rest and sets > 1:
        text += f", resting {rest} seconds between"
    return f"{text}, {_times(dose.get('times_per_day') or 1)}"


def intervals_text(week: dict[str, Any]) -> str:
    """A week's walk as intervals: "walk 5 min, rest 1 min; walk 5 min"."""
    parts = []
    for interval in week.get("intervals", []):
        part = f"walk {_minutes(interval['walk_min'])}"
        if interval.get("rest_min"):
            part += f", rest {_minutes(interval['rest_min'])}"
        parts.append(part)
    return "; ".join(parts)


def _minutes(value: float) -> str:
    return f"{value:g} min"


def walking_days(days: int) -> list[int]:
    """Which days of a 7-day block to walk on, spread out (3 → 0, 2, 4)."""
    days = max(0, min(days, DAYS_PER_WEEK))
    return sorted({round(i * DAYS_PER_WEEK / days) % DAYS_PER_WEEK for i in range(days)})


def _week(weeks: list[dict[str, Any]], number: int) -> dict[str, Any]:
    earlier = [w for w in weeks if w["week"] <= number]
    return earlier[-1] if earlier else weeks[0]


def programme_calendar(
    plan: dict[str, Any],
    *,
    plan_id: int,
    current_week: int,
    start: date,
    now: datetime,
    weeks: int = 4,
) -> bytes:
    """The plan's next ``weeks`` weeks from ``start``, as all-day events."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Backstride programme")
    exercises = plan.get("exercises") or []
    if exercises:
        event = Event()
        event.add("uid", f"backstride-plan-{plan_id}-exercises-{start.isoformat()}")
        event.add("dtstamp", now)
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(days=1))
        event.add("rrule", {"freq": "daily", "count": weeks * DAYS_PER_WEEK})
        minutes = round(sum(e.get("minutes_per_day") or 0 for e in exercises))
        event.add("summary", f"Back exercises (about {minutes} minutes)")
        lines = [f"{e['name']}: {dose_text(e['dose'])}." for e in exercises]
        lines.extend(plan.get("safety") or [])  # when to stop, from the content
        event.add("description", "\n".join(lines))
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    walking = plan.get("walking")
    if walking and walking.get("weeks"):
        for offset in range(weeks):
            week = _week(walking["weeks"], current_week + offset)
            for day_offset in walking_days(week["days"]):
                day = start + timedelta(days=offset * DAYS_PER_WEEK + day_offset)
                calendar.add_component(_walk(plan_id, day, week, walking, now))
    ics: bytes = calendar.to_ical()
    return ics


def _walk(
    plan_id: int, day: date, week: dict[str, Any], walking: dict[str, Any], now: datetime
) -> Event:
    event = Event()
    event.add("uid", f"backstride-plan-{plan_id}-walk-{day.isoformat()}")
    event.add("dtstamp", now)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", f"Walk: {_minutes(week['minutes_per_session'])}")
    lines = [f"Intervals: {intervals_text(week)}."]
    if walking.get("rest_position"):
        lines.append(f"Resting: {walking['rest_position']}")
    if week.get("posture_cue"):
        lines.append(week["posture_cue"])
    event.add("description", "\n".join(lines))
    event.add("transp", "TRANSPARENT")
    return event
