"""A signed-in person's day: their programme with what is done today, the check-in, their
progress, and the programme as a calendar. One transaction per use case.

Exercises marked done on the programme page are kept (``exercise_sessions``) until the
day's check-in takes them in; when the check-in already exists, it takes them in at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from backstride.diary import DiaryStatus
from backstride.domain.answers import ContractError, FieldError
from backstride.domain.diary import (
    DiaryEntry,
    ExerciseLog,
    Role,
    StoredEscalation,
    StoredPlan,
)
from backstride.domain.urgency import Urgency
from backstride.domain.walking import StoredWalkingTest
from backstride.interop.calendar import dose_text, intervals_text, programme_calendar
from backstride.persistence import exercise_sessions as sessions_repo
from backstride.persistence import repositories as repo
from backstride.services.plans import PlanService
from backstride.services.records import Records, Who

__all__ = ["CheckinView", "ProgrammeView", "ProgressView", "Today", "dose_text", "intervals_text"]

#: How many recent check-ins the progress page lists.
RECENT_CHECK_INS = 14


@dataclass(frozen=True, slots=True)
class ProgrammeView:
    """The current plan, this week of its walking plan, and what is done today."""

    stored: StoredPlan
    week: dict[str, Any] | None
    done: Mapping[str, ExerciseLog]
    today: date

    @property
    def plan(self) -> dict[str, Any]:
        return self.stored.plan


@dataclass(frozen=True, slots=True)
class CheckinView:
    """Today's check-in as it stands (None before the first save) and the exercises to list,
    each with whether it is done and the pain during it (from the entry or the done-logs)."""

    today: date
    entry: DiaryEntry | None
    exercises: tuple[tuple[dict[str, Any], ExerciseLog], ...]


@dataclass(frozen=True, slots=True)
class ProgressView:
    status: DiaryStatus
    new_escalation: StoredEscalation | None
    #: The latest check-ins, newest first, from before the episode too.
    recent: tuple[DiaryEntry, ...]
    has_assessment: bool
    today: date
    #: Escalations shown and not yet acknowledged, the new one included (the banner's list).
    open_escalations: tuple[StoredEscalation, ...]
    #: The day the current episode began (the latest assessment's): the status and the charts
    #: cover the check-ins from then on. None without an assessment (then they cover all).
    since: date | None
    #: The walking tests recorded with the phone, oldest first (all of them, not the episode's).
    walking_tests: tuple[StoredWalkingTest, ...]


def current_week(plan: dict[str, Any], week_number: int) -> dict[str, Any] | None:
    """The walking plan's week ``week_number`` (the last one after the plan ends)."""
    walking = plan.get("walking")
    if not walking or not walking.get("weeks"):
        return None
    weeks: list[dict[str, Any]] = walking["weeks"]
    earlier = [w for w in weeks if w["week"] <= week_number]
    return earlier[-1] if earlier else weeks[0]


class Today:
    """A person's day with their programme, over the records and the plan service."""

    def __init__(self, records: Records, plans: PlanService) -> None:
        self.records = records
        self.plans = plans

    def today(self) -> date:
        return self.records.today()  # the person's own calendar day

    # -- the programme -----------------------------------------------------------------

    def programme(self, who: Who) -> ProgrammeView | None:
        today = self.today()
        with self.records.store.read() as session:
            person = self.records.person_in(session, who, Role.PERSON)
            stored = _current_plan(session, person.id)
            if stored is None:
                return None
            done = sessions_repo.done_on(session, person.id, today)
        return ProgrammeView(stored, current_week(stored.plan, stored.current_week), done, today)

    def mark_done(self, who: Who, exercise_id: str, pain_during: int | None) -> None:
        """Record an exercise of the current plan as done today, with the pain during it."""
        errors = []
        if pain_during is None or not 0 <= pain_during <= 10:
            errors.append(FieldError("pain_during", "choose a number from 0 to 10"))
        today = self.today()
        with self.records.store.transaction() as session:
            person = self.records.person_in(session, who, Role.PERSON)
            stored = _current_plan(session, person.id)
            ids = {e["id"] for e in stored.plan["exercises"]} if stored else set()
            if exercise_id not in ids:
                errors.insert(0, FieldError("exercise_id", "is not in your programme"))
            if errors:
                raise ContractError(tuple(errors))
            sessions_repo.add_session(
                session,
                person.id,
                day=today,
                exercise_id=exercise_id,
                pain_during=pain_during,
                now=self.records.clock(),
            )
            # A check-in already saved today takes the exercise in at once.
            sessions_repo.include_in_entry(
                session, person.id, today, ExerciseLog(exercise_id, True, pain_during)
            )

    # -- the check-in ------------------------------------------------------------------

    def plan_exercise_ids(self, who: Who) -> list[str]:
        """The current plan's exercises, in its order (what a check-in form can log): one
        read, without the day's done-logs and check-in the form page needs."""
        with self.records.store.read() as session:
            person = self.records.person_in(session, who, Role.PERSON)
            stored = _current_plan(session, person.id)
        return [item["id"] for item in stored.plan["exercises"]] if stored else []

    def checkin(self, who: Who) -> CheckinView:
        today = self.today()
        with self.records.store.read() as session:
            person = self.records.person_in(session, who, Role.PERSON)
            stored = _current_plan(session, person.id)
            done = sessions_repo.done_on(session, person.id, today)
            entries = _entries_since(session, person.id, today)
        entry = entries[-1] if entries and entries[-1].day == today else None
        logged = {e.exercise_id: e for e in entry.exercises} if entry else {}
        exercises = []
        for item in stored.plan["exercises"] if stored else []:
            log = logged.get(item["id"]) or ExerciseLog(item["id"], False)
            marked = done.get(item["id"])
            if marked is not None:  # done on the programme page (maybe after the check-in)
                pain = marked.pain_during if marked.pain_during is not None else log.pain_during
                log = ExerciseLog(item["id"], True, pain)
            exercises.append((item, log))
        return CheckinView(today, entry, tuple(exercises))

    def save_checkin(
        self, who: Who, raw: dict[str, Any]
    ) -> tuple[DiaryEntry, DiaryStatus, StoredEscalation | None]:
        """Store today's check-in (``ContractError`` naming fields, nothing written), then
        work out the diary's status, storing a new escalation as it is shown."""
        entry = self.records.add_entry(who, {**raw, "day": self.today()})
        status, new = self.records.status(who)
        return entry, status, new

    # -- progress ----------------------------------------------------------------------

    def progress(self, who: Who) -> ProgressView:
        """The diary's status (a new escalation is stored as shown) and recent check-ins."""
        today = self.today()
        episode = self.records.episode_status(
            who, recent=RECENT_CHECK_INS, open_escalations=True, walking_tests=True
        )
        status = episode.status
        new = self.records.record_escalation(episode.person, status.escalation, episode.stored)
        still_open = (*episode.open, new) if new is not None else tuple(episode.open)
        return ProgressView(
            status,
            new,
            tuple(episode.recent),
            episode.has_assessment,
            today,
            still_open,
            episode.since,
            tuple(episode.walking_tests),
        )

    # -- downloads and content ---------------------------------------------------------

    def calendar(self, who: Who) -> bytes | None:
        """The programme's next four weeks as iCalendar, or None without a plan."""
        with self.records.store.read() as session:
            person = self.records.person_in(session, who, Role.PERSON)
            stored = _current_plan(session, person.id)
        if stored is None:
            return None
        return programme_calendar(
            stored.plan,
            plan_id=stored.id,
            current_week=stored.current_week,
            start=self.today(),
            now=self.records.clock(),
        )

    def handout_pdf(self, who: Who) -> bytes | None:
        """The current programme as the printable handout (PDF, still illustrations), as a
        clinician's changes and the weekly progression left it; None without a plan."""
        with self.records.store.read() as session:
            person = self.records.person_in(session, who, Role.PERSON)
            stored = _current_plan(session, person.id)
        if stored is None:
            return None
        # WeasyPrint is slow to import: only the handout and the summary need it.
        from backstride.interop.handout import html_to_pdf, render_handout_html  # noqa: PLC0415

        # The stored plan keeps no drawings: they come from the content, still.
        plan = dict(stored.plan)
        plan["exercises"] = [
            {**e, "illustration": self.plans.illustration(e["id"], animate=False)}
            for e in plan["exercises"]
        ]
        if plan.get("walking"):
            walk = self.plans.illustration("interval_walk", animate=False)
            plan["walking"] = {**plan["walking"], "illustration": walk}
        return html_to_pdf(render_handout_html(plan, generated_on=self.today()))

    def illustration(self, exercise_id: str) -> str | None:
        """An exercise's animated illustration (standalone SVG), or None if unknown."""
        if exercise_id not in self.plans.content.programme.illustrations:
            return None
        return self.plans.illustration(exercise_id, animate=True)

    def headline(self, level: Urgency) -> str:
        """What an urgency level means for the person, in the content's words."""
        return self.plans.content.advice[level].headline

    def alt_texts(self) -> dict[str, str]:
        """What each illustration shows, in words (its alt text)."""
        return {k: v.alt for k, v in self.plans.content.programme.illustrations.items()}


def _current_plan(session: Any, person_id: int) -> StoredPlan | None:
    return repo.current_plan(session, person_id)


def _entries_since(session: Any, person_id: int, day: date) -> list[DiaryEntry]:
    return repo.entries(session, person_id, since=day)
