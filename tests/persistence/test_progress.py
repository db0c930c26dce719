"""The weekly progression on stored check-ins: progress, ease back, hold, once a week."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from backstride.domain.answers import ContractError
from backstride.programme.model import Preferences
from backstride.services.plans import PlanService
from backstride.services.progress import Progress
from backstride.services.records import Records
from tests.persistence.conftest import Clock

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
MONDAY = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def _start(records: Records, clock: Clock) -> dict[str, Any]:
    clock.now = MONDAY
    records.add_user("ann", "person")
    answers = json.loads((EXAMPLES / "acute-strain.json").read_text(encoding="utf-8"))
    plans = PlanService(records.assessments)
    plan = plans.plan(answers, Preferences())
    stored = records.store_assessment("ann", answers, plan.assessment)
    contract = plans.to_contract(plan, animate=False)
    records.store_plan("ann", stored.id, contract)
    return contract


def _week(
    records: Records, clock: Clock, plan: dict[str, Any], *, pain: int, settled: bool, days: int
) -> None:
    ids = [e["id"] for e in plan["exercises"]]
    for offset in range(days):
        clock.now = MONDAY + timedelta(days=offset)
        records.add_entry(
            "ann",
            {
                "day": clock.now.date(),
                "pain_now": 2,
                "pain_walking": pain,
                "walk_minutes": 15.0,
                "exercises": [{"exercise_id": i, "done": True, "pain_during": pain} for i in ids],
                "settled_by_morning": settled,
            },
        )
    clock.now = MONDAY + timedelta(days=7)


def test_a_good_week_progresses_exercises_and_walking(records: Records, clock: Clock) -> None:
    plan = _start(records, clock)
    _week(records, clock, plan, pain=3, settled=True, days=6)
    result = Progress(records).adjust_last_week("ann")
    assert {d["operation"] for d in result.decisions["exercises"]} == {"progress"}
    assert result.decisions["walking"]["to_week"] == 2
    stored = records.history("ann")[3]
    assert stored is not None
    assert stored.current_week == 2
    before = {e["id"]: e["dose"] for e in plan["exercises"]}
    for item in stored.plan["exercises"]:
        if item["id"] in before:
            old, new = before[item["id"]], item["dose"]
            assert (new["reps"] or 0) > (old["reps"] or 0) or (new["hold_s"] or 0) > (
                old["hold_s"] or 0
            )
    with pytest.raises(ContractError, match="week: last week is already adjusted"):
        Progress(records).adjust_last_week("ann")


def test_a_painful_week_eases_back_with_its_reason(records: Records, clock: Clock) -> None:
    plan = _start(records, clock)
    _week(records, clock, plan, pain=7, settled=False, days=5)
    result = Progress(records).adjust_last_week("ann")
    assert {d["operation"] for d in result.decisions["exercises"]} == {"regress"}
    walking = result.decisions["walking"]
    assert walking["operation"] == "regress"
    assert walking["to_week"] == 1  # cannot go below the first week
    assert "5 out of 10" in walking["message"]


def test_a_week_without_check_ins_holds(records: Records, clock: Clock) -> None:
    _start(records, clock)
    clock.now = MONDAY + timedelta(days=7)
    result = Progress(records).adjust_last_week("ann")
    assert {d["operation"] for d in result.decisions["exercises"]} == {"hold"}
    assert result.decisions["walking"]["rule"] == "hold.no_logged_session"


def test_no_plan_no_adjustment(records: Records, clock: Clock) -> None:
    records.add_user("bo", "person")
    with pytest.raises(ContractError, match="no stored plan"):
        Progress(records).adjust_last_week("bo")
