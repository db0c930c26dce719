"""The weekly progression on real diary data: last week's check-ins adjust the stored plan.

A week's facts for the pain-monitoring rules (``WEEK_FIELDS``):
- exercises: ``sessions_logged`` = days with an exercise done; ``pain_during_max`` = the worst
  pain logged during an exercise, or, when none was logged, the worst pain when walking
  that week (a cautious stand-in); ``target_met`` is not used by exercise rules;
- walking: ``sessions_logged`` = days with a walk; ``pain_during_max`` = the worst pain when
  walking; ``target_met`` = walked on at least the plan week's days;
- both: ``settled_by_morning`` is false when any check-in of the week said the pain had not
  settled by the next morning (an unanswered question does not count against the person).
Each plan is adjusted at most once per week, and every decision is stored with its reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from backstride.domain.answers import ContractError, FieldError
from backstride.domain.diary import DiaryEntry, Role
from backstride.domain.expressions import Value
from backstride.domain.programme import Category, Dose
from backstride.persistence import repositories as repo
from backstride.programme.contract import dose_to_contract
from backstride.programme.model import Interval, PlannedExercise, WalkingPlan, WalkingWeek
from backstride.programme.progression import adjust_exercise, adjust_walking
from backstride.services.records import Records, Who


@dataclass(frozen=True, slots=True)
class WeekResult:
    week_start: date
    decisions: dict[str, Any]


def week_facts(entries: list[DiaryEntry], kind: str, planned_days: int) -> dict[str, Value]:
    settled = all(e.settled_by_morning is not False for e in entries)
    walking_pain = max((e.pain_walking for e in entries), default=0)
    if kind == "walking":
        walks = sum(1 for e in entries if e.walk_minutes > 0)
        return {
            "pain_during_max": walking_pain if walks else 0,
            "settled_by_morning": settled,
            "sessions_logged": walks,
            "target_met": walks >= planned_days,
        }
    done = [log for e in entries for log in e.exercises if log.done]
    days = sum(1 for e in entries if any(log.done for log in e.exercises))
    logged = [log.pain_during for log in done if log.pain_during is not None]
    return {
        "pain_during_max": max(logged) if logged else walking_pain,
        "settled_by_morning": settled,
        "sessions_logged": days,
        "target_met": True,
    }


class Progress:
    """Applies the weekly progression to a person's stored plan."""

    def __init__(self, records: Records) -> None:
        self.records = records
        self.content = records.assessments.content.programme

    def adjust_last_week(self, who: Who) -> WeekResult:
        today = self.records.today()
        week_start = today - timedelta(days=today.weekday() + 7)
        week_end = week_start + timedelta(days=6)
        with self.records.store.transaction() as session:
            person = self.records.person_in(session, who, Role.PERSON)
            stored = repo.current_plan(session, person.id)
            if stored is None:
                raise ContractError((FieldError("user", "has no stored plan yet"),))
            if week_start in repo.adjustment_weeks(session, stored.id):
                raise ContractError((FieldError("week", "last week is already adjusted"),))
            week = [
                e for e in repo.entries(session, person.id, since=week_start) if e.day <= week_end
            ]
            plan = dict(stored.plan)
            decisions: dict[str, Any] = {"exercises": [], "walking": None}
            exercises = []
            for item in plan["exercises"]:
                planned = self._planned(item)
                new, decision = adjust_exercise(
                    planned, week_facts(week, "exercise", 0), self.content
                )
                decisions["exercises"].append(
                    {
                        "id": planned.exercise_id,
                        "rule": decision.rule_id,
                        "operation": decision.operation.value,
                        "message": decision.message,
                        "now": new.exercise_id,
                    }
                )
                exercises.append(self._item(item, new))
            plan["exercises"] = exercises
            current_week = stored.current_week
            if plan.get("walking"):
                walking = self._walking(plan["walking"])
                days = walking.weeks[current_week - 1].days
                facts = week_facts(week, "walking", days)
                current_week, decision = adjust_walking(walking, current_week, facts, self.content)
                decisions["walking"] = {
                    "rule": decision.rule_id,
                    "operation": decision.operation.value,
                    "message": decision.message,
                    "from_week": stored.current_week,
                    "to_week": current_week,
                }
            repo.record_adjustment(
                session,
                stored.id,
                week_start=week_start,
                decisions=decisions,
                plan=plan,
                current_week=current_week,
                now=self.records.clock(),
            )
        return WeekResult(week_start, decisions)

    def _planned(self, item: dict[str, Any]) -> PlannedExercise:
        library = self.content.exercises[item["id"]]
        dose = _dose(item["dose"], library.dose.rep_s)
        start = _dose(item.get("start_dose", item["dose"]), library.dose.rep_s)
        return PlannedExercise(
            item["id"],
            item["name"],
            Category(item["category"]),
            dose,
            item["why"],
            item["modification"],
            start,
        )

    def _item(self, item: dict[str, Any], planned: PlannedExercise) -> dict[str, Any]:
        d, s = planned.dose, planned.start_dose
        return {
            **item,
            "id": planned.exercise_id,
            "name": planned.name,
            "category": planned.category.value,
            "dose": dose_to_contract(d),
            "start_dose": dose_to_contract(s),
        }

    @staticmethod
    def _walking(data: dict[str, Any]) -> WalkingPlan:
        weeks = tuple(
            WalkingWeek(
                w["week"],
                w["days"],
                w["minutes_per_session"],
                tuple(Interval(i["walk_min"], i["rest_min"]) for i in w["intervals"]),
                w["posture_cue"],
            )
            for w in data["weeks"]
        )
        return WalkingPlan(
            data["start_tolerance_min"],
            data["tolerance_known"],
            data["rest_position"],
            data["target_minutes_per_session"],
            data["target_days_per_week"],
            data["budget_limited"],
            weeks,
            None,
        )


def _dose(data: dict[str, Any], rep_s: int) -> Dose:
    return Dose(
        data["sets"],
        data["reps"],
        data["hold_s"],
        data["rest_s"],
        data["times_per_day"],
        data["per_side"],
        rep_s,
    )
