"""The pain-monitoring model as a spec table, and what each decision does to a plan."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backstride.domain.answers import ContractError
from backstride.domain.expressions import Value
from backstride.domain.programme import Operation
from backstride.programme.model import Preferences
from backstride.programme.progression import adjust_exercise, adjust_walking, decide
from backstride.services.assessments import default_service
from backstride.services.plans import PlanService
from tests.programme.conftest import example


def week(pain: int, settled: bool, sessions: int, met: bool) -> dict[str, Value]:
    return {
        "pain_during_max": pain,
        "settled_by_morning": settled,
        "sessions_logged": sessions,
        "target_met": met,
    }


def expected(applies_to: str, pain: int, settled: bool, sessions: int, met: bool) -> Operation:
    """The model in words: no sessions hold; too much pain or pain that lingers eases back;
    for walking, a week not completed holds; otherwise progress."""
    if sessions == 0:
        return Operation.HOLD
    if pain > 5 or not settled:
        return Operation.REGRESS
    if applies_to == "walking" and not met:
        return Operation.HOLD
    return Operation.PROGRESS


WEEKS = list(itertools.product(range(11), [True, False], [0, 1, 4], [True, False]))


@pytest.mark.parametrize("applies_to", ["exercise", "walking"])
@pytest.mark.parametrize(("pain", "settled", "sessions", "met"), WEEKS)
def test_every_week_has_exactly_the_expected_decision(
    plans: PlanService, applies_to: str, pain: int, settled: bool, sessions: int, met: bool
) -> None:
    _, decision = decide(
        plans.content.programme.progression, applies_to, week(pain, settled, sessions, met)
    )
    assert decision.operation is expected(applies_to, pain, settled, sessions, met)
    assert decision.message


def test_a_week_must_say_everything(plans: PlanService) -> None:
    with pytest.raises(ContractError) as caught:
        decide(plans.content.programme.progression, "exercise", {"pain_during_max": 3})
    assert set(caught.value.fields) == {"settled_by_morning", "sessions_logged", "target_met"}


GOOD = week(3, True, 4, True)
BAD = week(7, True, 4, True)
NONE = week(0, True, 0, False)


def test_progress_grows_then_moves_up_the_ladder(plans: PlanService) -> None:
    content = plans.content.programme
    plan = plans.plan(
        example("acute-strain.json"), Preferences(minutes_per_day=120, fitness="high")
    )
    laddered = next(
        e for e in plan.programme.exercises if content.exercises[e.exercise_id].progressions
    )
    current = laddered
    for _ in range(30):
        nxt, decision = adjust_exercise(current, GOOD, content)
        assert decision.operation is Operation.PROGRESS
        if nxt.exercise_id != current.exercise_id:
            assert nxt.exercise_id == content.exercises[current.exercise_id].progressions[0]
            assert nxt.dose == content.exercises[nxt.exercise_id].dose
            return
        grew = [
            (a, b)
            for a, b in ((current.dose.reps, nxt.dose.reps), (current.dose.hold_s, nxt.dose.hold_s))
            if a is not None
        ]
        assert all(b is not None and b > a for a, b in grew)
        current = nxt
    pytest.fail("never reached the cap")


def test_regress_at_the_start_moves_down_the_ladder(plans: PlanService) -> None:
    content = plans.content.programme
    plan = plans.plan(
        example("acute-strain.json"), Preferences(minutes_per_day=120, fitness="high")
    )
    laddered = next(
        e for e in plan.programme.exercises if content.exercises[e.exercise_id].regressions
    )
    at_start = replace(laddered, start_dose=laddered.dose)
    eased, decision = adjust_exercise(at_start, BAD, content)
    assert decision.operation is Operation.REGRESS
    assert eased.exercise_id == content.exercises[laddered.exercise_id].regressions[0]


def test_hold_changes_nothing(plans: PlanService) -> None:
    content = plans.content.programme
    plan = plans.plan(example("acute-strain.json"), Preferences(minutes_per_day=60))
    planned = plan.programme.exercises[0]
    same, decision = adjust_exercise(planned, NONE, content)
    assert same == planned
    assert decision.rule_id == "hold.no_logged_session"


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 10), st.booleans(), st.integers(0, 7), st.booleans()),
        min_size=1,
        max_size=30,
    )
)
def test_walking_goes_back_only_with_a_logged_reason(
    weeks: list[tuple[int, bool, int, bool]],
) -> None:
    plans = PlanService(default_service())
    content = plans.content.programme
    walking = plans.plan(
        example("acute-strain.json"), Preferences(minutes_per_day=60)
    ).programme.walking
    assert walking is not None
    current = 1
    for pain, settled, sessions, met in weeks:
        nxt, decision = adjust_walking(
            walking, current, week(pain, settled, sessions, met), content
        )
        assert 1 <= nxt <= len(walking.weeks)
        if nxt < current:
            assert decision.operation is Operation.REGRESS
            assert sessions > 0, "a week with nothing logged never moves the plan back"
            assert pain > 5 or not settled
        if sessions == 0:
            assert nxt == current
        current = nxt


def test_walking_week_must_exist(plans: PlanService) -> None:
    walking = plans.plan(example("acute-strain.json"), Preferences()).programme.walking
    assert walking is not None
    with pytest.raises(ContractError, match="current_week"):
        adjust_walking(walking, 0, GOOD, plans.content.programme)
