"""The programme's words and calendar, from plan data alone (no app needed)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from icalendar import Calendar

from backstride.interop.calendar import dose_text, intervals_text, programme_calendar, walking_days
from backstride.services.today import current_week

DOSE = {"sets": 2, "reps": 10, "hold_s": None, "rest_s": 30, "times_per_day": 1}


@pytest.mark.parametrize(
    ("dose", "words"),
    [
        (DOSE, "2 sets of 10, resting 30 seconds between, once a day"),
        ({**DOSE, "sets": 1, "per_side": True}, "1 set of 10 on each side, once a day"),
        ({**DOSE, "reps": None, "hold_s": 20, "times_per_day": 2},
         "2 holds of 20 seconds, resting 30 seconds between, twice a day"),
        ({**DOSE, "sets": 1, "reps": None, "hold_s": 20, "rest_s": 0, "times_per_day": 3},
         "1 hold of 20 seconds, 3 times a day"),
        ({**DOSE, "reps": 8, "hold_s": 5, "rest_s": None},
         "2 sets of 8, holding each for 5 seconds, once a day"),
        ({"sets": 3, "reps": None, "hold_s": None, "per_side": True, "times_per_day": 1},
         "3 sets on each side, once a day"),
        ({"sets": 1, "reps": None, "hold_s": None, "times_per_day": None}, "1 set, once a day"),
    ],
)  # fmt: skip
def test_a_dose_in_words(dose: dict[str, object], words: str) -> None:
    assert dose_text(dose) == words


def test_intervals_in_words() -> None:
    week = {"intervals": [{"walk_min": 7.5, "rest_min": 2.0}, {"walk_min": 7.5, "rest_min": 0}]}
    assert intervals_text(week) == "walk 7.5 min, rest 2 min; walk 7.5 min"


@pytest.mark.parametrize(
    ("days", "offsets"),
    [(0, []), (1, [0]), (3, [0, 2, 5]), (5, [0, 1, 3, 4, 6]), (7, [*range(7)]), (9, [*range(7)])],
)
def test_walking_days_are_spread_over_the_week(days: int, offsets: list[int]) -> None:
    assert walking_days(days) == offsets


WEEKS = [
    {"week": 1, "days": 2, "minutes_per_session": 10, "intervals": [], "posture_cue": ""},
    {"week": 2, "days": 3, "minutes_per_session": 12, "intervals": [], "posture_cue": "Tall"},
]


@pytest.mark.parametrize(("number", "expected"), [(0, 1), (1, 1), (2, 2), (9, 2)])
def test_the_current_week_is_the_last_one_started(number: int, expected: int) -> None:
    week = current_week({"walking": {"weeks": WEEKS}}, number)
    assert week is not None
    assert week["week"] == expected


def test_no_walking_plan_has_no_week() -> None:
    assert current_week({"walking": None}, 1) is None
    assert current_week({"walking": {"weeks": []}}, 1) is None


def test_a_calendar_without_exercises_has_only_walks_and_the_last_week_repeats() -> None:
    plan = {"exercises": [], "walking": {"weeks": WEEKS, "rest_position": ""}}
    ics = programme_calendar(
        plan, plan_id=7, current_week=2, start=date(2026, 11, 30), now=datetime.now(UTC)
    )
    events = list(Calendar.from_ical(ics).walk("VEVENT"))
    assert len(events) == 4 * 3  # week 2, then week 2 again (the plan's last week)
    assert {str(e["summary"]) for e in events} == {"Walk: 12 min"}
    assert min(e.decoded("dtstart") for e in events) == date(2026, 11, 30)
    assert all("Tall" in str(e["description"]) for e in events)
    assert "Resting" not in ics.decode()


def test_a_plan_with_nothing_to_do_is_an_empty_calendar() -> None:
    ics = programme_calendar(
        {"exercises": [], "walking": None},
        plan_id=1,
        current_week=1,
        start=date(2026, 11, 30),
        now=datetime.now(UTC),
    )
    assert list(Calendar.from_ical(ics).walk("VEVENT")) == []
