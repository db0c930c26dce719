"""Properties of the diary engine that hold for every diary, not only the spec rows."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backstride.diary import diary_status
from backstride.domain.diary import DiaryEntry
from backstride.domain.urgency import Urgency
from tests.diary.helpers import NL, day, entry, rules

PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

pain = st.integers(min_value=0, max_value=10)
tolerance = st.one_of(
    st.none(), st.just(NL), st.floats(min_value=0, max_value=180, allow_nan=False)
)
levels = st.sampled_from(list(Urgency))


@st.composite
def diaries(draw: st.DrawFn, max_size: int = 20, red_flags: bool = True) -> list[DiaryEntry]:
    offsets = draw(st.lists(st.integers(0, 40), unique=True, max_size=max_size))
    flag = st.sampled_from([None, False, True]) if red_flags else st.sampled_from([None, False])
    return [entry(d, draw(pain), draw(pain), draw(tolerance), red_flag=draw(flag)) for d in offsets]


def _rank(level: Urgency | None) -> int:
    return -1 if level is None else level.rank


def _today(entries: list[DiaryEntry], extra: int) -> date:
    return day(max((e.day - day(0)).days for e in entries) + extra if entries else extra)


@PROPERTY
@given(diaries(), levels, st.integers(0, 10))
def test_a_red_flag_level_never_lowers_the_escalation(
    entries: list[DiaryEntry], level: Urgency, extra: int
) -> None:
    """Against the same diary with no red-flag answer: the red flag only adds caution.

    (A re-assessment level *replaces* the level assumed for a yes answer without one, so
    the comparison is with the diary's trends alone.)
    """
    today = _today(entries, extra)
    no_flags = [replace(e, red_flag=None) for e in entries]
    without = diary_status(no_flags, rules(), today).escalation
    with_flag = diary_status(entries, rules(), today, red_flag_level=level).escalation
    assert _rank(with_flag.level) >= _rank(without.level)
    assert _rank(with_flag.level) >= level.rank
    assert set(without.reasons) <= set(with_flag.reasons)


@PROPERTY
@given(diaries().filter(bool), levels)
def test_a_yes_answer_without_a_re_assessment_is_never_below_one_with_it(
    entries: list[DiaryEntry], level: Urgency
) -> None:
    """level_when_not_assessed is the most serious level, so a missing re-triage is safe."""
    today = _today(entries, 0)
    flagged = [replace(e, red_flag=True) for e in entries[:1]] + entries[1:]
    unassessed = diary_status(flagged, rules(), today).escalation
    assessed = diary_status(flagged, rules(), today, red_flag_level=level).escalation
    assert _rank(unassessed.level) >= _rank(assessed.level)


@PROPERTY
@given(diaries(max_size=1, red_flags=False), st.integers(0, 60))
def test_fewer_than_two_check_ins_never_escalate_on_trends(
    entries: list[DiaryEntry], extra: int
) -> None:
    escalation = diary_status(entries, rules(), _today(entries, extra)).escalation
    assert escalation.level is None
    assert escalation.reasons == ()


@PROPERTY
@given(diaries(), st.integers(0, 10), st.randoms(use_true_random=False))
def test_the_result_never_depends_on_the_order_of_entries(
    entries: list[DiaryEntry], extra: int, rnd: random.Random
) -> None:
    today = _today(entries, extra)
    shuffled = list(entries)
    rnd.shuffle(shuffled)
    assert diary_status(shuffled, rules(), today) == diary_status(entries, rules(), today)


@PROPERTY
@given(diaries(), st.integers(0, 60))
def test_missing_check_ins_never_change_the_escalation(
    entries: list[DiaryEntry], extra: int
) -> None:
    on_the_day = diary_status(entries, rules(), _today(entries, 0)).escalation
    later = diary_status(entries, rules(), _today(entries, extra)).escalation
    assert (later.level, later.reasons) == (on_the_day.level, on_the_day.reasons)


@PROPERTY
@given(diaries())
def test_every_reason_names_entries_of_the_diary_and_the_level_is_the_highest(
    entries: list[DiaryEntry],
) -> None:
    escalation = diary_status(entries, rules(), _today(entries, 0)).escalation
    days = {e.day for e in entries}
    for reason in escalation.reasons:
        assert reason.entries
        assert {ref.day for ref in reason.entries} <= days
    assert escalation.level == max((r.level for r in escalation.reasons), default=None)
    ranks = [r.level.rank for r in escalation.reasons]
    assert ranks == sorted(ranks, reverse=True)
