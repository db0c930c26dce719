"""Spec tables of the diary escalation engine: check-ins in, level, rules and days out.

Each row: check-ins as (day offset, pain_now, pain_walking, walking tolerance in minutes;
None = not recorded, NL = no limit), the expected level, and for each rule that fires the
day offsets it names. "Today" is the latest check-in's day unless a row says otherwise.
"""

from __future__ import annotations

from typing import Any

import pytest

from backstride.diary import diary_status
from backstride.domain.urgency import Urgency
from tests.diary.helpers import NL, Row, day, diary, entry, rules

NO_IMPROVEMENT = "diary.no_improvement_7_days"
WORSENING = "diary.worsening_3_days"
TOLERANCE = "diary.walking_tolerance_halved"
RED_FLAG = "diary.red_flag"
MISSING = "diary.missing_check_ins"

Fired = dict[str, tuple[int, ...]]


def row(rows: list[Row], level: str | None, fired: Fired, name: str) -> Any:
    return pytest.param(rows, level, fired, id=name)


#: Pain for the 7-day rule is the worse of pain_now and pain_walking each day; "more than
#: 7 days" is latest day - first day >= 7; meaningful = >= 2 points AND >= 30 % lower.
NO_IMPROVEMENT_TABLE = [
    row([(0, 5, 6, None), (7, 5, 6, None)], "soon", {NO_IMPROVEMENT: (0, 7)}, "7 days unchanged"),
    row([(0, 5, 6, None), (6, 5, 6, None)], None, {}, "6 days unchanged: too early"),
    row([(0, 6, 6, None), (7, 4, 4, None)], None, {}, "exactly 2 points and 33 %: improved"),
    row([(0, 10, 10, None), (7, 7, 7, None)], None, {}, "exactly 30 % and 3 points: improved"),
    row([(0, 8, 8, None), (7, 6, 6, None)], "soon", {NO_IMPROVEMENT: (0, 7)}, "2 points, 25 %"),
    row([(0, 7, 7, None), (7, 5, 5, None)], "soon", {NO_IMPROVEMENT: (0, 7)}, "2 points, 29 %"),
    row([(0, 3, 3, None), (7, 2, 2, None)], "soon", {NO_IMPROVEMENT: (0, 7)}, "33 %, 1 point"),
    row([(0, 1, 1, None), (7, 0, 0, None)], None, {}, "1 then 0: recovered"),
    row([(0, 0, 0, None), (7, 0, 0, None)], None, {}, "no pain at all"),
    row([(0, 6, 8, None), (7, 2, 8, None)], "soon", {NO_IMPROVEMENT: (0, 7)}, "only now better"),
    row([(0, 8, 6, None), (7, 8, 2, None)], "soon", {NO_IMPROVEMENT: (0, 7)}, "only walk better"),
    row([(0, 8, 8, None), (9, 4, 4, None)], None, {}, "9 days and improving"),
    row(
        [(0, 5, 5, None), (3, 5, 5, None), (10, 5, 5, None)],
        "soon",
        {NO_IMPROVEMENT: (0, 10)},
        "gap in the diary: first and latest named",
    ),
    row(
        [(0, 6, 6, None), (3, 2, 2, None), (8, 6, 6, None)],
        "soon",
        {NO_IMPROVEMENT: (0, 8)},
        "better in between, not at the latest",
    ),
    row([(0, 6, 6, None), (3, 5, 5, None), (7, 2, 2, None)], None, {}, "better at the latest"),
]

#: 3 or more check-ins in a row, each >= 2 points above the first check-in's same score
#: (pain now, or pain while walking); days without a check-in are skipped.
WORSENING_TABLE = [
    row([(0, 3, 3, None), (1, 5, 5, None), (2, 5, 5, None)], None, {}, "2 days worse"),
    row(
        [(0, 3, 3, None), (1, 5, 3, None), (2, 5, 3, None), (3, 5, 3, None)],
        "soon",
        {WORSENING: (1, 2, 3)},
        "3 days pain now 2 worse",
    ),
    row(
        [(0, 2, 4, None), (1, 2, 6, None), (2, 2, 6, None), (3, 2, 7, None)],
        "soon",
        {WORSENING: (1, 2, 3)},
        "3 days walking pain worse",
    ),
    row(
        [(0, 3, 3, None), (1, 4, 4, None), (2, 4, 4, None), (3, 4, 4, None)],
        None,
        {},
        "3 days only 1 point worse",
    ),
    row(
        [(0, 3, 3, None), (1, 5, 5, None), (2, 5, 5, None), (3, 4, 4, None), (4, 5, 5, None)],
        None,
        {},
        "run broken by a check-in below the threshold",
    ),
    row(
        [(0, 3, 3, None), (1, 5, 5, None), (3, 5, 5, None), (4, 5, 5, None)],
        "soon",
        {WORSENING: (1, 3, 4)},
        "days without a check-in are skipped",
    ),
    row(
        [
            (0, 3, 3, None),
            (1, 6, 6, None),
            (2, 6, 6, None),
            (3, 6, 6, None),
            (4, 3, 3, None),
            (5, 3, 3, None),
        ],
        "soon",
        {WORSENING: (1, 2, 3)},
        "an earlier run counts (at any time)",
    ),
    row(
        [(0, 3, 3, None), (1, 5, 3, None), (2, 3, 5, None), (3, 5, 3, None)],
        None,
        {},
        "alternating scores are judged one by one: not caught",
    ),
    row(
        [(0, 3, 3, None), (1, 5, 5, None), (2, 5, 5, None), (3, 5, 5, None), (8, 5, 5, None)],
        "soon",
        {WORSENING: (1, 2, 3, 8), NO_IMPROVEMENT: (0, 8)},
        "worse for 4 check-ins and over a week",
    ),
]

#: A recorded tolerance at most half of one recorded up to 7 days earlier.
TOLERANCE_TABLE = [
    row([(0, 2, 2, 30), (3, 2, 2, 15)], "soon", {TOLERANCE: (0, 3)}, "exactly half"),
    row([(0, 2, 2, 30), (3, 2, 2, 15.5)], None, {}, "just above half"),
    row([(0, 6, 6, 30), (7, 3, 3, 15)], "soon", {TOLERANCE: (0, 7)}, "half, 7 days apart"),
    row([(0, 6, 6, 30), (8, 3, 3, 15)], None, {}, "half, 8 days apart: not in a week"),
    row(
        [(0, 2, 2, 30), (2, 2, 2, None), (4, 2, 2, 12)],
        "soon",
        {TOLERANCE: (0, 4)},
        "unrecorded tolerance skipped",
    ),
    row([(0, 2, 2, 30), (3, 2, 2, NL)], None, {}, "later no limit is not a fall"),
    row([(0, 2, 2, NL), (3, 2, 2, 40)], "soon", {TOLERANCE: (0, 3)}, "no limit, then a limit"),
    row([(0, 2, 2, NL), (3, 2, 2, NL)], None, {}, "no limit twice"),
    row(
        [(0, 2, 2, 40), (2, 2, 2, 30), (5, 2, 2, 20)],
        "soon",
        {TOLERANCE: (0, 5)},
        "step by step to half within the week",
    ),
    row(
        [(0, 6, 6, 40), (4, 5, 5, 30), (8, 3, 3, 20)],
        None,
        {},
        "half only over 8 days: not caught",
    ),
    row([(0, 2, 2, 0), (1, 2, 2, 0)], None, {}, "0 minutes twice is no fall"),
    row(
        [(0, 2, 2, 30), (2, 2, 2, 10), (4, 2, 2, 30)],
        "soon",
        {TOLERANCE: (0, 2)},
        "an earlier fall counts (at any time)",
    ),
]

BASIC_TABLE = [
    row([], None, {}, "empty diary"),
    row([(0, 9, 9, 5)], None, {}, "one check-in never escalates on trends"),
]

ALL_TABLES = NO_IMPROVEMENT_TABLE + WORSENING_TABLE + TOLERANCE_TABLE + BASIC_TABLE


@pytest.mark.parametrize(("rows", "level", "fired"), ALL_TABLES)
def test_spec_table(rows: list[Row], level: str | None, fired: Fired) -> None:
    entries = diary(rows)
    today = entries[-1].day if entries else day(0)
    status = diary_status(entries, rules(), today)
    escalation = status.escalation
    assert escalation.level == (Urgency(level) if level else None)
    named = {
        r.rule: tuple(sorted({(e.day - day(0)).days for e in r.entries}))
        for r in escalation.reasons
    }
    assert named == fired
    for reason in escalation.reasons:
        assert reason.message
        assert reason.source
        assert reason.entries, "every reason names the entries behind it"
    assert status.days_logged == len(rows)


# --- red flags: (check-ins with a red-flag answer, re-assessment level) -> level, days ---

RED_FLAG_TABLE = [
    pytest.param({2}, Urgency.EMERGENCY, "emergency", (2,), id="one yes, re-triage emergency"),
    pytest.param({1, 3}, Urgency.URGENT, "urgent", (1, 3), id="two yes, re-triage urgent"),
    pytest.param({2}, Urgency.SOON, "soon", (2,), id="re-triage soon"),
    pytest.param({2}, Urgency.SELF_CARE, "self_care", (2,), id="re-triage self-care is recorded"),
    # level_when_not_assessed in escalation.yaml: emergency.
    pytest.param({2}, None, "emergency", (2,), id="yes without a re-triage level"),
    pytest.param(set(), Urgency.URGENT, "urgent", (), id="level given, no check-in says yes"),
    pytest.param(set(), None, None, None, id="no red flag"),
]


@pytest.mark.parametrize(("yes_days", "given", "level", "days"), RED_FLAG_TABLE)
def test_red_flag_table(
    yes_days: set[int], given: Urgency | None, level: str | None, days: tuple[int, ...] | None
) -> None:
    entries = [entry(d, 2, 2, red_flag=(d in yes_days)) for d in range(4)]
    escalation = diary_status(entries, rules(), day(3), red_flag_level=given).escalation
    assert escalation.level == (Urgency(level) if level else None)
    reasons = {r.rule: r for r in escalation.reasons}
    if days is None:
        assert RED_FLAG not in reasons
        return
    reason = reasons[RED_FLAG]
    assert tuple((e.day - day(0)).days for e in reason.entries) == days
    assert reason.message == rules().red_flag.messages[reason.level]


def test_unanswered_red_flag_question_does_not_escalate() -> None:
    entries = [entry(0, 2, 2, red_flag=None), entry(1, 2, 2, red_flag=None)]
    assert diary_status(entries, rules(), day(1)).escalation.level is None


def test_red_flag_comes_first_and_sets_the_level_over_a_trend() -> None:
    rows = [(0, 3, 3, None), (1, 5, 5, None), (2, 5, 5, None), (3, 5, 5, None)]
    entries = diary(rows)
    entries[2] = entry(2, 5, 5, red_flag=True)
    escalation = diary_status(entries, rules(), day(3), red_flag_level=Urgency.URGENT).escalation
    assert escalation.level is Urgency.URGENT
    assert [r.rule for r in escalation.reasons] == [RED_FLAG, WORSENING]


def test_a_lower_red_flag_level_does_not_lower_a_trend_escalation() -> None:
    rows = [(0, 5, 5, None), (7, 5, 5, None)]
    entries = diary(rows)
    entries[1] = entry(7, 5, 5, red_flag=True)
    escalation = diary_status(entries, rules(), day(7), Urgency.SELF_CARE).escalation
    assert escalation.level is Urgency.SOON
    assert {r.rule for r in escalation.reasons} == {RED_FLAG, NO_IMPROVEMENT}


# --- missing check-ins: a reminder, never an escalation ---

MISSING_TABLE = [
    pytest.param([0], 2, False, None, id="2 days since the last check-in: no reminder"),
    pytest.param([0], 3, True, None, id="3 days since: reminder"),
    pytest.param([0, 1], 40, True, None, id="weeks without a check-in: reminder only"),
    pytest.param([0, 1], 1, False, None, id="checked in today"),
    pytest.param([0, 7], 20, True, "soon", id="reminder beside a trend escalation"),
]


@pytest.mark.parametrize(("offsets", "today", "reminded", "level"), MISSING_TABLE)
def test_missing_check_ins_table(
    offsets: list[int], today: int, reminded: bool, level: str | None
) -> None:
    entries = [entry(d, 5, 5) for d in offsets]
    escalation = diary_status(entries, rules(), day(today)).escalation
    expected = (rules().missing_check_ins.message,) if reminded else ()
    assert escalation.reminders == expected
    assert escalation.level == (Urgency(level) if level else None)
    assert MISSING not in {r.rule for r in escalation.reasons}


def test_empty_diary_asks_to_start_and_never_escalates() -> None:
    status = diary_status([], rules(), day(0), None)
    assert status.escalation.level is None
    assert status.escalation.reasons == ()
    assert status.escalation.reminders == (rules().missing_check_ins.start_message,)
    assert status.days_logged == 0
    assert status.trend.pain.first is None
    assert status.trend.pain.direction is None
    assert status.trend.tolerance.first is None


def test_duplicate_day_is_refused() -> None:
    with pytest.raises(ValueError, match="same day"):
        diary_status([entry(0, 2, 2), entry(1, 3, 3), entry(0, 4, 4)], rules(), day(1))


def test_entries_in_any_order_give_the_same_status() -> None:
    rows = [(0, 3, 3, 30), (1, 5, 5, 20), (2, 5, 5, 14), (3, 5, 5, None), (8, 5, 5, NL)]
    in_order = diary_status(diary(rows), rules(), day(8))
    shuffled = diary_status(diary([rows[3], rows[0], rows[4], rows[2], rows[1]]), rules(), day(8))
    assert shuffled == in_order
    assert {r.rule for r in in_order.escalation.reasons} == {NO_IMPROVEMENT, WORSENING, TOLERANCE}


# --- every rule of escalation.yaml has at least one spec row ---

COVERED = (
    {rule for param in ALL_TABLES for rule in param.values[2]}
    | ({RED_FLAG} if RED_FLAG_TABLE else set())
    | ({MISSING} if MISSING_TABLE else set())
)


def test_every_rule_in_the_content_has_a_spec_row() -> None:
    assert {r.text.id for r in rules().all} <= COVERED
