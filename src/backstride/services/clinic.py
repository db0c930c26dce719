"""A clinician's side: the caseload ordered by need, one person's records, and changes to a
person's programme, each recorded with who and when.

A clinician sees only the people linked to them; anyone else is ``NotLinkedError`` (the web
answers 404, so a person's existence is not revealed).

Ordering the caseload by need (a clinical decision; review with the clinical lead):

1. **Escalation level**, most serious first: emergency, urgent, soon, then a warning sign the
   re-assessment judged self-care, then none. The level is the higher of the current
   episode's escalation (the diary rules of ``escalation.yaml`` applied to the check-ins since
   the latest assessment, exactly as the person's own pages compute it) and any escalation
   shown to the person and not yet acknowledged (it may be from an earlier episode; until the
   person has acknowledged it, the clinician should assume they have not acted on it).
2. **Worsening trend**: pain rising (the episode's latest pain, the worse of "now" and "while
   walking", at least ``sustained_worsening.points`` above the first check-in's: the trend's
   "worsening" word), or walking tolerance falling (the latest recorded tolerance at least
   ``no_improvement.fraction`` below the first recorded one, or a limit recorded after
   "no limit"). The tolerance threshold borrows the relative minimal important change used
   for pain (Ostelo 2008) so day-to-day variation does not sort people up: it needs review.
3. **Missed check-ins**: people the diary is reminding (no check-in yet, or none for more
   than ``missing_check_ins.after_days`` days), longest silence first; nobody checked in at
   all comes first, as their diary has not started.
4. Then by name.

A missed check-in never outranks a worsening trend, and neither ever outranks an escalation:
silence is not evidence of harm (the missing-check-ins rule is a reminder, never an
escalation).

Speed: each person's episode summary (level, trend words, days logged, last check-in) is
computed once and kept in memory, and computed again when it may have changed: a new
assessment (its id is part of the entry); a new check-in (the diary's largest id has grown:
the people with check-ins above the last one seen are forgotten; a smaller largest id, after
deletions or a restore, forgets everyone); a changed check-in (a check-in can be changed only
on its own day, so the latest ``updated_at`` of the last three days' check-ins is compared
with the one the summary was computed from); and, as a backstop, after 15 to 30 minutes. A
caseload request costs a handful of grouped, indexed queries; only changed people are read
and computed. The escalation rules read the whole episode (a worsening run may lie anywhere
in it and the baseline is its first check-in), so the computation is never cut to a recent
window. ``bench/caseload.py`` measures it (1,000 people x 180 days: p95 about 100 ms warm on
a busy machine, the first request a few seconds).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from fractions import Fraction
from typing import Any

import annotated_types
import pydantic
from pydantic import BaseModel, ConfigDict, Field

from backstride.content.programme_schema import DoseFile
from backstride.diary import DiaryStatus, Direction, Trend, escalate
from backstride.diary.trends import in_order, trend
from backstride.domain.answers import ContractError, FieldError
from backstride.domain.diary import (
    DiaryEntry,
    Person,
    Role,
    StoredAssessment,
    StoredEscalation,
    StoredPlan,
)
from backstride.domain.programme import Category, Dose, Exercise
from backstride.domain.urgency import Urgency
from backstride.domain.walking import StoredWalkingTest
from backstride.persistence import accounts as accounts_repo
from backstride.persistence import caseload as caseload_repo
from backstride.persistence import repositories as repo
from backstride.persistence import walking_tests as walking_repo
from backstride.persistence.accounts import AuditEvent
from backstride.programme.contract import dose_to_contract
from backstride.services.accounts import Accounts
from backstride.services.records import Records, paused_gc
from backstride.services.reports import Reports

#: Audit actions for programme changes (the change history on the clinician's page).
PLAN_ACTIONS = ("plan_dose_changed", "plan_exercise_added", "plan_exercise_removed")
VIEWED = "viewed"
DOWNLOADED = "downloaded"
#: What a clinician may download of a linked person's records, as the person's audit trail
#: names it.
DOWNLOADS = {
    "report": "Downloaded your doctor summary (PDF)",
    "fhir": "Downloaded your records (FHIR file)",
    "csv": "Downloaded your diary (CSV file)",
}
#: A cached episode is computed again after 15 to 30 minutes even if nothing seems changed.
CACHE_SECONDS = 15 * 60
DOSE_FIELDS = ("sets", "reps", "hold_s", "times_per_day")
ACTIONS = ("dose", "add", "remove")


class NotLinkedError(LookupError):
    """The person is not linked to this clinician (or does not exist)."""


@dataclass(frozen=True, slots=True)
class CaseloadRow:
    """One linked person in the caseload."""

    person_id: int
    name: str
    level: Urgency | None  # escalation level (see the module docstring); None = none
    worsening: tuple[str, ...]  # plain words for each worsening trend; empty when none
    trend_words: str  # the course in a few words, e.g. "Pain better (6 → 3 out of 10)"
    last_check_in: date | None
    days_since_check_in: int | None
    missed_check_ins: bool  # the diary's reminder is due
    days_logged: int  # check-ins in the current episode
    assessment_urgency: Urgency | None  # of the latest assessment


@dataclass(frozen=True, slots=True)
class PersonView:
    """Everything a clinician sees about one linked person."""

    person: Person
    assessments: list[StoredAssessment]
    entries: list[DiaryEntry]
    plan: StoredPlan | None
    status: DiaryStatus
    escalations: list[StoredEscalation]
    changes: list[AuditEvent]  # programme changes, oldest first
    addable: list[Exercise]  # library exercises that may be added to the programme
    walking_tests: list[StoredWalkingTest]  # oldest first


@dataclass(frozen=True, slots=True)
class _Episode:
    """The part of a caseload row that depends only on the stored records."""

    level: Urgency | None
    worsening: tuple[str, ...]
    trend_words: str
    days_logged: int
    last_check_in: date | None


@dataclass(frozen=True, slots=True)
class _Cached:
    assessment_id: int | None
    written_at: datetime | None  # the latest updated_at of the person's check-ins, then
    expires: float  # time.monotonic() after which it is computed again (a backstop)
    episode: _Episode


class _ChangeInput(BaseModel):
    """A programme change as the form sends it (text); numbers are checked afterwards."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)
    action: str = Field(max_length=20)
    exercise_id: str = Field(min_length=1, max_length=60)
    sets: str = Field(default="", max_length=10)
    reps: str = Field(default="", max_length=10)
    hold_s: str = Field(default="", max_length=10)
    times_per_day: str = Field(default="", max_length=10)


def dose_bounds(field: str) -> tuple[int, int]:
    """The range the content schema allows for one dose field (``DoseFile``)."""
    low = high = None
    for item in DoseFile.model_fields[field].metadata:
        if isinstance(item, annotated_types.Ge):
            low = int(item.ge)  # type: ignore[call-overload]
        elif isinstance(item, annotated_types.Le):
            high = int(item.le)  # type: ignore[call-overload]
    if low is None or high is None:  # pragma: no cover - the schema gives both
        raise LookupError(f"no range for {field}")
    return low, high


#: How each field of a programme change is named on the page.
DOSE_LABELS = {
    "sets": "Sets",
    "reps": "Repetitions",
    "hold_s": "Hold (seconds)",
    "times_per_day": "Times a day",
}
CHANGE_LABELS = {
    **DOSE_LABELS,
    "action": "Change",
    "exercise_id": "Exercise",
    "plan": "Programme",
}


def dose_text(dose: Mapping[str, Any]) -> str:
    """A dose in a few words: "2 x 10, hold 5 s, twice a day" (with a multiplication sign)."""
    if dose.get("reps") is not None:
        text = f"{dose['sets']}×{dose['reps']}"
        if dose.get("hold_s") is not None:
            text += f", hold {dose['hold_s']} s"
    else:
        text = f"{dose['sets']}×{dose['hold_s']} s hold"
    if dose.get("per_side"):
        text += " each side"
    times = dose["times_per_day"]
    text += {1: ", once a day", 2: ", twice a day"}.get(times, f", {times} times a day")
    return text


class Clinic:
    """What a clinician may see and do, over the stored records and the audit trail."""

    def __init__(
        self, records: Records, accounts: Accounts, reports: Reports | None = None
    ) -> None:
        self.records = records
        self.accounts = accounts
        self.reports = reports or Reports(records)
        self.content = records.assessments.content
        self._episodes: dict[int, _Cached] = {}
        self._assessments: dict[int, caseload_repo.AssessmentSummary] = {}
        self._red_levels: dict[int, Urgency] = {}
        self._seen_entry_id: int | None = None
        self._lock = threading.Lock()

    # -- the caseload ---------------------------------------------------------------------

    def caseload(self, clinician: Person) -> list[CaseloadRow]:
        """The people linked to ``clinician``, most in need first (see the module docstring)."""
        self._check_clinician(clinician)
        today = self.records.today()
        # A check-in can be changed only on its own day; two days back allows for time zones.
        editable_from = today - timedelta(days=2)
        with self.records.store.read() as session:
            people = caseload_repo.linked_people(session, clinician.id)
            latest_ids = caseload_repo.latest_assessment_ids(session, clinician.id)
            written = caseload_repo.recently_written(session, clinician.id, editable_from)
            open_levels = caseload_repo.open_escalation_levels(session, clinician.id)
            unknown = [i for i in latest_ids.values() if i not in self._assessments]
            if unknown:
                self._assessments.update(caseload_repo.assessment_summaries(session, unknown))
            self._forget_new_check_ins(session)
        now = time.monotonic()
        stale = []
        for person_id, _ in people:
            cached = self._episodes.get(person_id)
            if (
                cached is None
                or cached.assessment_id != latest_ids.get(person_id)
                or cached.expires < now
                or (
                    person_id in written
                    and (cached.written_at is None or written[person_id] > cached.written_at)
                )
            ):
                stale.append(person_id)
        if stale:
            self._compute(stale, latest_ids)
        rows = []
        after = self.content.escalation.missing_check_ins.after_days
        for person_id, name in people:
            episode = self._episodes[person_id].episode
            latest_id = latest_ids.get(person_id)
            levels = [x for x in (episode.level, open_levels.get(person_id)) if x is not None]
            last = episode.last_check_in
            since = None if last is None else (today - last).days
            rows.append(
                CaseloadRow(
                    person_id=person_id,
                    name=name,
                    level=max(levels) if levels else None,
                    worsening=episode.worsening,
                    trend_words=episode.trend_words,
                    last_check_in=last,
                    days_since_check_in=since,
                    missed_check_ins=since is None or since > after,
                    days_logged=episode.days_logged,
                    assessment_urgency=None
                    if latest_id is None
                    else self._assessments[latest_id].urgency,
                )
            )
        return sorted(rows, key=need_order)

    def _forget_new_check_ins(self, session: Any) -> None:
        """Drop the cached episodes of people with check-ins stored since the last look
        (ids grow; a smaller largest id means rows were deleted or restored: forget all)."""
        largest = caseload_repo.max_entry_id(session)
        with self._lock:
            seen, self._seen_entry_id = self._seen_entry_id, largest
            if seen is None or largest < seen:
                self._episodes.clear()
            elif largest > seen:
                for person_id in caseload_repo.people_with_entries_after(session, seen):
                    self._episodes.pop(person_id, None)

    def _compute(self, ids: list[int], latest_ids: dict[int, int]) -> None:
        starts: dict[int, date | None] = {}
        for person_id in ids:
            latest = latest_ids.get(person_id)
            starts[person_id] = (
                None
                if latest is None
                else self.records.day_of(self._assessments[latest].created_at)
            )
        rules = self.content.escalation
        with paused_gc():
            with self.records.store.transaction() as session:
                episodes = caseload_repo.episode_entries(session, starts)
            now = time.monotonic()
            for person_id in ids:
                ordered = in_order(episodes[person_id].entries)
                latest = latest_ids.get(person_id)
                red = None
                if any(e.red_flag for e in ordered):
                    red = self._red_flag_level(latest)
                # ``today`` only decides reminders, which the caseload works out itself.
                level = escalate(ordered, rules, date.min, red).level
                course = trend(ordered, rules)
                episode = _Episode(
                    level=level,
                    worsening=self.worsening(course),
                    trend_words=self.trend_words(course),
                    days_logged=len(ordered),
                    last_check_in=ordered[-1].day if ordered else None,
                )
                # Spread the backstop expiries so they never all fall due together.
                expires = now + CACHE_SECONDS + (person_id * 7919) % CACHE_SECONDS
                with self._lock:
                    self._episodes[person_id] = _Cached(
                        latest, episodes[person_id].updated_at, expires, episode
                    )

    def _red_flag_level(self, assessment_id: int | None) -> Urgency:
        """The re-assessment level for a check-in's warning sign (kept per assessment)."""
        if assessment_id is not None and assessment_id in self._red_levels:
            return self._red_levels[assessment_id]
        latest = None
        if assessment_id is not None:
            with self.records.store.read() as session:
                latest = caseload_repo.assessment(session, assessment_id)
        level = self.records.red_flag_level(latest)
        if assessment_id is not None:
            self._red_levels[assessment_id] = level
        return level

    def worsening(self, course: Trend) -> tuple[str, ...]:
        """Words for each worsening trend of an episode (see the module docstring)."""
        found = []
        pain = course.pain
        if pain.direction is Direction.WORSENING:
            found.append(f"Pain worse ({pain.first} → {pain.latest} out of 10)")
        first, latest = course.tolerance.first, course.tolerance.latest
        if first is not None and latest is not None and latest.day > first.day:
            share = Fraction(str(self.content.escalation.no_improvement.fraction))
            if first.no_limit and not latest.no_limit:
                found.append(f"Walking tolerance down (no limit → {latest.minutes:g} min)")
            elif (
                first.minutes is not None
                and latest.minutes is not None
                and Fraction(latest.minutes) <= (1 - share) * Fraction(first.minutes)
            ):
                found.append(f"Walking tolerance down ({first.minutes:g} → {latest.minutes:g} min)")
        return tuple(found)

    @staticmethod
    def trend_words(course: Trend) -> str:
        pain = course.pain
        if pain.direction is None:
            return "Not enough check-ins yet"
        words = {
            Direction.IMPROVING: "Pain better",
            Direction.UNCHANGED: "Pain about the same",
            Direction.WORSENING: "Pain worse",
        }[pain.direction]
        return f"{words} ({pain.first} → {pain.latest} out of 10)"

    # -- one person -----------------------------------------------------------------------

    def download(self, clinician: Person, person_id: int, what: str) -> bytes:
        """A linked person's doctor summary (``report``, PDF), records (``fhir``, a FHIR
        bundle as JSON) or diary (``csv``), recorded in their audit trail once made.
        ``NotLinkedError`` for anyone else; ``ContractError`` when there is no assessment to
        summarise (nothing recorded then)."""
        self._check_clinician(clinician)
        if what not in DOWNLOADS:
            raise ValueError(f"unknown download: {what}")
        with self.records.store.read() as session:
            person = self._linked_person(session, clinician, person_id)
        data = self.reports.export(person, what)
        self.accounts.audit(person.id, clinician, DOWNLOADED, {"summary": DOWNLOADS[what]})
        return data

    def person_view(self, clinician: Person, person_id: int) -> PersonView:
        """A linked person's records; every view is recorded in their audit trail."""
        self._check_clinician(clinician)
        now = self.records.clock()
        with self.records.store.transaction() as session:
            person = self._linked_person(session, clinician, person_id)
            assessments = repo.assessments(session, person.id)
            entries = repo.entries(session, person.id)
            plan = repo.current_plan(session, person.id)
            escalations = repo.escalations(session, person.id)
            trail = accounts_repo.audit_events(session, person.id)
            walking = walking_repo.walking_tests(session, person.id)
            # Every view is stored; the person's account page groups repeats for reading.
            accounts_repo.add_audit(
                session,
                person.id,
                actor=clinician,
                action=VIEWED,
                detail={"summary": "Viewed your diary and programme"},
                now=now,
            )
        status = self.records.current_status(
            assessments[-1] if assessments else None, entries, self.records.day_of(now)
        )
        return PersonView(
            person=person,
            assessments=assessments,
            entries=entries,
            plan=plan,
            status=status,
            escalations=escalations,
            changes=[e for e in trail if e.action in PLAN_ACTIONS],
            addable=self.addable(plan),
            walking_tests=walking,
        )

    def addable(self, plan: StoredPlan | None) -> list[Exercise]:
        """Library exercises that may be added: not walking (it has its own plan), not in
        the plan already, and not to be avoided for any of the person's patterns."""
        if plan is None or not self._gate_allows(plan):
            return []
        present = {e["id"] for e in plan.plan["exercises"]}
        patterns = set(plan.plan.get("patterns", ()))
        return sorted(
            (
                e
                for e in self.content.programme.exercises.values()
                if e.category is not Category.WALKING
                and e.id not in present
                and not any(n.pattern in patterns for n in e.avoid_for)
            ),
            key=lambda e: e.name,
        )

    def _gate_allows(self, plan: StoredPlan) -> bool:
        urgency = Urgency(plan.plan["urgency"])
        return self.content.programme.rules.gates[urgency].exercises

    # -- changing the programme -----------------------------------------------------------

    def adjust_plan(self, clinician: Person, person_id: int, change: Mapping[str, Any]) -> str:
        """Change the person's current programme: ``action`` is ``dose`` (with ``sets``,
        ``reps``, ``hold_s``, ``times_per_day``), ``add`` or ``remove``, for
        ``exercise_id``. The plan is changed in place (its week and weekly adjustments stay)
        and the change is recorded in the person's audit trail with before and after.
        Returns the change in words. Bad input is ``ContractError`` naming the field, and
        nothing is written."""
        self._check_clinician(clinician)
        parsed = _parse_change(change)
        now = self.records.clock()
        with self.records.store.transaction() as session:
            person = self._linked_person(session, clinician, person_id)
            stored = repo.current_plan(session, person.id)
            if stored is None:
                raise ContractError((FieldError("plan", "this person has no programme yet"),))
            if parsed.action == "dose":
                plan, action, detail = self._change_dose(stored, parsed, change)
            elif parsed.action == "add":
                plan, action, detail = self._add(stored, parsed.exercise_id)
            else:
                plan, action, detail = self._remove(stored, parsed.exercise_id)
            caseload_repo.replace_plan(session, stored.id, plan)
            accounts_repo.add_audit(
                session,
                person.id,
                actor=clinician,
                action=action,
                detail={**detail, "plan_id": stored.id},
                now=now,
            )
        summary: str = detail["summary"]
        return summary

    def _change_dose(
        self, stored: StoredPlan, parsed: _ChangeInput, raw: Mapping[str, Any]
    ) -> tuple[dict[str, Any], str, dict[str, Any]]:
        items = stored.plan["exercises"]
        index = _index(items, parsed.exercise_id)
        item = items[index]
        before = dict(item["dose"])
        after = dict(before)
        errors = []
        for field in DOSE_FIELDS:
            text = str(raw.get(field, "") or "").strip()
            used = before.get(field) is not None
            if not used:
                if text:
                    errors.append(FieldError(field, "is not used by this exercise: leave empty"))
                continue
            low, high = dose_bounds(field)
            value = int(text) if text.isdigit() else None
            if value is None or not low <= value <= high:
                errors.append(FieldError(field, f"must be a whole number from {low} to {high}"))
                continue
            after[field] = value
        if errors:
            raise ContractError(tuple(errors))
        if after == before:
            raise ContractError((FieldError("sets", "the dose is the same as before"),))
        library = self.content.programme.exercises[item["id"]]
        changed = {
            **item,
            "dose": after,
            # The clinician's dose is the new starting point for the weekly progression: it
            # grows from it and eases back to it (decision noted in the module docstring).
            "start_dose": after,
            "minutes_per_day": _minutes(after, library.dose.rep_s),
        }
        plan = {**stored.plan, "exercises": [*items[:index], changed, *items[index + 1 :]]}
        summary = f"Changed the dose of {item['name']}: {dose_text(before)} → {dose_text(after)}"
        detail = {"summary": summary, "exercise_id": item["id"], "before": before, "after": after}
        return plan, "plan_dose_changed", detail

    def _add(
        self, stored: StoredPlan, exercise_id: str
    ) -> tuple[dict[str, Any], str, dict[str, Any]]:
        library = self.content.programme.exercises.get(exercise_id)
        if library is None:
            raise ContractError((FieldError("exercise_id", "is not in the exercise library"),))
        if library.category is Category.WALKING:
            raise ContractError(
                (FieldError("exercise_id", "walking has its own plan: it is not added here"),)
            )
        items = stored.plan["exercises"]
        if any(e["id"] == exercise_id for e in items):
            raise ContractError((FieldError("exercise_id", "is already in the programme"),))
        if not self._gate_allows(stored):
            raise ContractError(
                (
                    FieldError(
                        "exercise_id",
                        "this person's latest assessment says to get medical help first: "
                        "their programme holds no exercises until a new assessment",
                    ),
                )
            )
        patterns = set(stored.plan.get("patterns", ()))
        avoided = [n for n in library.avoid_for if n.pattern in patterns]
        if avoided:
            labels = {p.id: p.label for p in self.content.patterns}
            names = ", ".join(labels.get(n.pattern, n.pattern) for n in avoided)
            raise ContractError(
                (
                    FieldError(
                        "exercise_id",
                        f"{library.name} is to be avoided for this person's pattern "
                        f"({names}): {avoided[0].why}",
                    ),
                )
            )
        item = self._item(library, patterns)
        plan = {**stored.plan, "exercises": [*items, item]}
        summary = f"Added {library.name} ({dose_text(item['dose'])})"
        detail = {
            "summary": summary,
            "exercise_id": library.id,
            "before": None,
            "after": item["dose"],
        }
        return plan, "plan_exercise_added", detail

    def _remove(
        self, stored: StoredPlan, exercise_id: str
    ) -> tuple[dict[str, Any], str, dict[str, Any]]:
        items = stored.plan["exercises"]
        index = _index(items, exercise_id)
        item = items[index]
        plan = {**stored.plan, "exercises": [*items[:index], *items[index + 1 :]]}
        summary = f"Removed {item['name']} ({dose_text(item['dose'])})"
        detail = {
            "summary": summary,
            "exercise_id": item["id"],
            "before": item["dose"],
            "after": None,
        }
        return plan, "plan_exercise_removed", detail

    def _item(self, exercise: Exercise, patterns: set[str]) -> dict[str, Any]:
        """A library exercise as a stored plan item, at the library's starting dose (the
        clinician adjusts it from there)."""
        dose = dose_to_contract(exercise.dose)
        notes = [f"{n.how} {n.why}".strip() for n in exercise.modified_for if n.pattern in patterns]
        return {
            "id": exercise.id,
            "name": exercise.name,
            "category": exercise.category.value,
            "dose": dose,
            "minutes_per_day": _minutes(dose, exercise.dose.rep_s),
            "illustration": "",
            "why": exercise.purpose,
            "modification": " ".join(notes),
            "steps": list(exercise.steps),
            "form_cues": list(exercise.form_cues),
            "common_mistakes": list(exercise.common_mistakes),
            "stop_rules": list(exercise.stop_rules),
            "sources": [s.citation for s in exercise.sources],
            "start_dose": dict(dose),
        }

    # -- checks ---------------------------------------------------------------------------

    @staticmethod
    def _check_clinician(clinician: Person) -> None:
        if clinician.role is not Role.CLINICIAN:
            raise PermissionError("only clinicians have a caseload")

    @staticmethod
    def _linked_person(session: Any, clinician: Person, person_id: int) -> Person:
        person = accounts_repo.person_by_id(session, person_id)
        if (
            person is None
            or person.role is not Role.PERSON
            or person_id not in repo.linked_people(session, clinician.id)
        ):
            raise NotLinkedError(person_id)
        return person


def need_order(row: CaseloadRow) -> tuple[Any, ...]:
    """The caseload's sort key: most in need first (see the module docstring)."""
    silence = -(row.days_since_check_in if row.days_since_check_in is not None else 10**9)
    return (
        -(row.level.rank if row.level is not None else -1),
        not row.worsening,
        not row.missed_check_ins,
        silence if row.missed_check_ins else 0,
        row.name.casefold(),
        row.person_id,
    )


def _parse_change(raw: Mapping[str, Any]) -> _ChangeInput:
    try:
        parsed = _ChangeInput.model_validate({k: str(v) for k, v in raw.items()})
    except pydantic.ValidationError as exc:
        fields: dict[str, FieldError] = {}
        for error in exc.errors(include_input=False, include_url=False):
            name = ".".join(str(p) for p in error["loc"]) or "change"
            fields.setdefault(name, FieldError(name, error["msg"].lower()))
        raise ContractError(tuple(fields.values())) from None
    if parsed.action not in ACTIONS:
        raise ContractError((FieldError("action", "must be one of " + ", ".join(ACTIONS)),))
    return parsed


def _index(items: list[dict[str, Any]], exercise_id: str) -> int:
    for index, item in enumerate(items):
        if item["id"] == exercise_id:
            return index
    raise ContractError((FieldError("exercise_id", "is not in this person's programme"),))


def _minutes(dose: Mapping[str, Any], rep_s: int) -> float:
    value = Dose(
        dose["sets"],
        dose["reps"],
        dose["hold_s"],
        dose["rest_s"],
        dose["times_per_day"],
        dose["per_side"],
        rep_s,
    )
    return round(value.seconds() * value.times_per_day / 60, 1)


__all__ = [
    "PLAN_ACTIONS",
    "CaseloadRow",
    "Clinic",
    "NotLinkedError",
    "PersonView",
    "dose_text",
    "need_order",
]
