"""Trend, chart series and JSON export of the diary status."""

from __future__ import annotations

import json

import pytest

from backstride.diary import Direction, diary_status, status_to_dict
from backstride.domain.diary import ExerciseLog
from tests.diary.helpers import NL, Row, day, diary, entry, rules


@pytest.mark.parametrize(
    ("rows", "first", "latest", "direction"),
    [
        pytest.param([(0, 6, 6, None), (3, 4, 4, None)], 6, 4, "improving", id="2 points, 33 %"),
        pytest.param([(0, 8, 8, None), (3, 6, 6, None)], 8, 6, "unchanged", id="2 points, 25 %"),
        pytest.param([(0, 1, 1, None), (3, 0, 0, None)], 1, 0, "improving", id="to 0"),
        pytest.param([(0, 3, 2, None), (3, 3, 5, None)], 3, 5, "worsening", id="walking +2"),
        pytest.param([(0, 3, 3, None), (3, 4, 4, None)], 3, 4, "unchanged", id="+1"),
        pytest.param([(0, 3, 3, None)], 3, 3, None, id="one check-in: no direction"),
    ],
)
def test_pain_trend(rows: list[Row], first: int, latest: int, direction: str | None) -> None:
    pain = diary_status(diary(rows), rules(), day(3)).trend.pain
    assert (pain.first, pain.latest, pain.change) == (first, latest, latest - first)
    assert pain.direction == (Direction(direction) if direction else None)


def test_tolerance_trend_skips_unrecorded_and_keeps_no_limit() -> None:
    rows: list[Row] = [(0, 2, 2, None), (1, 2, 2, 40), (2, 2, 2, None), (3, 2, 2, 25)]
    tol = diary_status(diary(rows), rules(), day(3)).trend.tolerance
    assert tol.first is not None
    assert tol.latest is not None
    assert (tol.first.day, tol.first.minutes) == (day(1), 40)
    assert (tol.latest.day, tol.latest.minutes) == (day(3), 25)
    assert tol.change_min == -15
    rows.append((4, 2, 2, NL))
    tol = diary_status(diary(rows), rules(), day(4)).trend.tolerance
    assert tol.latest is not None
    assert tol.latest.no_limit
    assert tol.latest.minutes is None
    assert tol.change_min is None


def test_series_has_one_point_per_calendar_day_with_gaps_as_none() -> None:
    done, skipped = ExerciseLog("cat_camel", True), ExerciseLog("bridge", False)
    entries = [
        entry(2, 4, 6, 30, exercises=(done, skipped), steps=4000),
        entry(0, 3, 5, NL),
    ]
    series = diary_status(entries, rules(), day(2)).series
    assert [d for d, _ in series.pain_now] == [day(0), day(1), day(2)]
    assert [v for _, v in series.pain_now] == [3, None, 4]
    assert [v for _, v in series.pain_walking] == [5, None, 6]
    assert [v for _, v in series.walk_tolerance_min] == [None, None, 30]
    assert [v for _, v in series.walk_no_limit] == [1.0, None, 0.0]
    assert [v for _, v in series.walk_minutes] == [20.0, None, 20.0]
    assert [v for _, v in series.steps] == [None, None, 4000]
    assert [v for _, v in series.exercise_adherence] == [None, None, 0.5]


def test_status_as_json() -> None:
    rows: list[Row] = [(0, 5, 5, 30), (7, 5, 5, 10)]
    out = status_to_dict(diary_status(diary(rows), rules(), day(7)), with_series=True)
    assert json.loads(json.dumps(out)) == out
    assert list(out) == ["escalation", "trend", "days_logged", "series"]
    assert out["escalation"]["level"] == "soon"
    first = out["escalation"]["reasons"][0]
    assert set(first) == {"rule", "level", "message", "source", "entries"}
    assert first["entries"][0]["day"] == "2026-03-02"
    assert out["trend"]["pain"]["direction"] == "unchanged"
    assert out["trend"]["tolerance"]["change_min"] == -20
    assert out["days_logged"] == 2
    assert out["series"]["pain_now"][0] == ["2026-03-02", 5]
    empty = status_to_dict(diary_status([], rules(), day(0)))
    assert empty["escalation"] == {
        "level": None,
        "reasons": [],
        "reminders": [rules().missing_check_ins.start_message],
    }
