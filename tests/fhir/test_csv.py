"""The diary CSV: fixed header, values round trip, free text quoted, formulas neutralised."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backstride.domain.diary import DiaryEntry, ExerciseLog
from backstride.interop.csv_export import DIARY_COLUMNS, diary_csv
from tests.fhir.test_fhir import ENTRIES, NOTES

HEADER = (
    "date,pain_now,pain_walking,walk_minutes,walk_tolerance_min,walk_no_limit,steps,"
    "exercises_done,exercises_planned,settled_by_morning,red_flag,note"
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def unneutralised(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS) else cell


def yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def test_the_header_is_fixed() -> None:
    text = diary_csv(ENTRIES)
    assert text.split("\r\n", 1)[0] == HEADER
    assert ",".join(DIARY_COLUMNS) == HEADER
    assert diary_csv([]) == HEADER + "\r\n"


def test_values_round_trip_through_dict_reader() -> None:
    parsed = rows(diary_csv(ENTRIES))
    assert len(parsed) == len(ENTRIES)
    for row, entry in zip(parsed, ENTRIES, strict=True):
        assert date.fromisoformat(row["date"]) == entry.day
        assert int(row["pain_now"]) == entry.pain_now
        assert int(row["pain_walking"]) == entry.pain_walking
        assert float(row["walk_minutes"]) == entry.walk_minutes
        tolerance = row["walk_tolerance_min"]
        assert (float(tolerance) if tolerance else None) == entry.walk_tolerance_min
        assert row["walk_no_limit"] == yes_no(entry.walk_no_limit)
        assert (int(row["steps"]) if row["steps"] else None) == entry.steps
        assert int(row["exercises_done"]) == sum(log.done for log in entry.exercises)
        assert int(row["exercises_planned"]) == len(entry.exercises)
        assert row["settled_by_morning"] == yes_no(entry.settled_by_morning)
        assert row["red_flag"] == yes_no(entry.red_flag)
        assert unneutralised(row["note"]) == entry.note


def test_notes_with_commas_newlines_and_quotes_survive() -> None:
    parsed = {row["date"]: row["note"] for row in rows(diary_csv(ENTRIES))}
    for offset in (1, 3, 12):
        entry = ENTRIES[offset]
        assert parsed[entry.day.isoformat()] == NOTES[offset]


@pytest.mark.parametrize(
    "note", ["=cmd|' /C calc'!A0", "+1 minute", "-2 after stairs", "@SUM(A1:A2)", "\t=1+1"]
)
def test_formula_cells_are_neutralised_with_a_single_quote(note: str) -> None:
    entry = DiaryEntry(date(2026, 3, 2), 3, 4, 10.0, note=note)
    (row,) = rows(diary_csv([entry]))
    assert row["note"] == "'" + note


def test_the_fixture_formula_notes_are_neutralised() -> None:
    for row in rows(diary_csv(ENTRIES)):
        assert not row["note"].startswith(("=", "+", "-", "@"))


def test_plain_numbers_and_rows_in_day_order() -> None:
    entries = [
        DiaryEntry(date(2026, 3, 3), 2, 3, 7.5, walk_tolerance_min=12.0, steps=4200),
        DiaryEntry(
            date(2026, 3, 2),
            3,
            4,
            10.0,
            walk_no_limit=True,
            exercises=(ExerciseLog("bridge", done=True), ExerciseLog("bird_dog", done=False)),
            red_flag=True,
        ),
    ]
    lines = diary_csv(entries).split("\r\n")
    assert lines[1] == "2026-03-02,3,4,10,,yes,,1,2,,yes,"
    assert lines[2] == "2026-03-03,2,3,7.5,12,no,4200,0,0,,,"


@settings(max_examples=60, deadline=None)
@given(
    note=st.text(st.characters(exclude_categories=["Cs"]), max_size=40),
    minutes=st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False),
)
def test_any_note_and_minutes_round_trip(note: str, minutes: float) -> None:
    entry = DiaryEntry(date(2026, 3, 2), 3, 4, minutes, walk_tolerance_min=minutes, note=note)
    (row,) = rows(diary_csv([entry]))
    assert row["note"] == ("'" + note if note.startswith(FORMULA_STARTS) else note)
    assert float(row["walk_minutes"]) == minutes
    assert float(row["walk_tolerance_min"]) == minutes
