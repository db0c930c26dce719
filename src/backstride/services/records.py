"""People, stored assessments and plans, the diary, escalations: one transaction each.

Bad input raises ``ContractError`` naming the field, before anything is written.
"""

from __future__ import annotations

import gc
import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from typing import Any

import pydantic
from pydantic import BaseModel, ConfigDict, Field

from backstride.diary import DiaryStatus, diary_status
from backstride.domain.answers import ContractError, FieldError
from backstride.domain.diary import (
    DiaryEntry,
    Escalation,
    ExerciseLog,
    Person,
    Role,
    StoredAssessment,
    StoredEscalation,
    StoredPlan,
)
from backstride.domain.result import AssessmentResult
from backstride.domain.urgency import Urgency
from backstride.domain.walking import StoredWalkingTest
from backstride.persistence import repositories as repo
from backstride.persistence import walking_tests as walking_repo
from backstride.services.assessments import AssessmentService
from backstride.services.store import Store

Clock = Callable[[], datetime]
#: The check-in's one red-flag question covers these answers; a "yes" leaves them unknown
#: to the engine, which treats unknown warning signs as present (decision 0001).
CHECKIN_RED_FLAG_KEYS = (
    "saddle_numbness",
    "bladder_change",
    "bowel_incontinence",
    "leg_weakness",
    "weakness_progressing",
)
MAX_NOTE_CHARS = 2000
STATUS_CACHE_SIZE = 4096  # people whose diary status one process keeps

#: A user: by name (the command line), or the ``Person`` already looked up (a signed-in web or
#: API user), which saves the service a query.
Who = str | Person


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cycle collector while building many immutable objects (they form no
    cycles; the collector would rescan the growing heap again and again)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def utc_now() -> datetime:
    return datetime.now(UTC)


class _ExerciseInput(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    exercise_id: str = Field(min_length=1, max_length=60)
    done: bool
    pain_during: int | None = Field(default=None, ge=0, le=10)


class _EntryInput(BaseModel):
    """A check-in as it arrives; the constraints are the contract for diary entries."""

    model_config = ConfigDict(extra="forbid", strict=True)
    day: date
    pain_now: int = Field(ge=0, le=10)
    pain_walking: int = Field(ge=0, le=10)
    walk_minutes: float = Field(ge=0, le=1440, allow_inf_nan=False)
    walk_tolerance_min: float | None = Field(default=None, ge=0, le=1440, allow_inf_nan=False)
    walk_no_limit: bool = False
    steps: int | None = Field(default=None, ge=0, le=200_000)
    exercises: list[_ExerciseInput] = []
    settled_by_morning: bool | None = None
    red_flag: bool | None = None
    note: str = Field(default="", max_length=MAX_NOTE_CHARS)


class EntryLockedError(ContractError):
    """A past day's check-in exists: it could be changed only on that day."""


def validate_entry(raw: dict[str, Any], today: date) -> DiaryEntry:
    """A ``DiaryEntry`` from raw values, or ``ContractError`` naming every bad field."""
    try:
        parsed = _EntryInput.model_validate(raw)
    except pydantic.ValidationError as exc:
        fields: dict[str, FieldError] = {}
        for error in exc.errors(include_input=False, include_url=False):
            name = ".".join(str(p) for p in error["loc"]) or "entry"
            fields.setdefault(name, FieldError(name, error["msg"].lower()))
        raise ContractError(tuple(fields.values())) from None
    if parsed.day > today:
        raise ContractError((FieldError("date", "cannot be in the future"),))
    if parsed.walk_no_limit and parsed.walk_tolerance_min is not None:
        raise ContractError(
            (FieldError("walk_tolerance_min", "give minutes or no limit, not both"),)
        )
    return DiaryEntry(
        day=parsed.day,
        pain_now=parsed.pain_now,
        pain_walking=parsed.pain_walking,
        walk_minutes=parsed.walk_minutes,
        walk_tolerance_min=parsed.walk_tolerance_min,
        walk_no_limit=parsed.walk_no_limit,
        steps=parsed.steps,
        exercises=tuple(
            ExerciseLog(e.exercise_id, e.done, e.pain_during) for e in parsed.exercises
        ),
        settled_by_morning=parsed.settled_by_morning,
        red_flag=parsed.red_flag,
        note=parsed.note,
    )


@dataclass(frozen=True, slots=True)
class Episode:
    """A person's current episode as one read saw it."""

    person: Person
    has_assessment: bool
    #: The day the episode began (the latest assessment's), or None without an assessment.
    since: date | None
    status: DiaryStatus
    #: The latest check-ins, newest first (as many as asked for).
    recent: list[DiaryEntry]
    #: The fingerprints of every escalation stored for the person (``record_escalation``).
    stored: frozenset[str]
    #: The escalations shown and not yet acknowledged (what every page's banner lists), when
    #: asked for (``episode_status(open_escalations=True)``); otherwise empty.
    open: list[StoredEscalation]
    #: The walking tests, oldest first, when asked for (``episode_status(walking_tests=True)``);
    #: otherwise empty.
    walking_tests: list[StoredWalkingTest]


class Records:
    """The stored side of Backstride."""

    def __init__(
        self,
        store: Store,
        assessments: AssessmentService,
        clock: Clock = utc_now,
        zone: tzinfo | None = None,
    ) -> None:
        self.store = store
        self.assessments = assessments
        self.clock = clock
        #: The people's time zone (``Settings.timezone``); None: this machine's.
        self.zone = zone
        # Diary statuses by what they are computed from (person, latest assessment, the
        # episode's check-ins as stored, today): a changed check-in changes the key, so an
        # entry is never stale. Each worker process keeps its own.
        self._statuses: OrderedDict[tuple[Any, ...], DiaryStatus] = OrderedDict()
        self._statuses_lock = threading.Lock()

    # -- the people's calendar ------------------------------------------------------------

    def local(self, moment: datetime) -> datetime:
        """``moment`` on the people's clock."""
        return moment.astimezone(self.zone)

    def day_of(self, moment: datetime) -> date:
        """The people's calendar day of ``moment``."""
        return self.local(moment).date()

    def today(self) -> date:
        """The people's calendar day now: the day a check-in is for."""
        return self.day_of(self.clock())

    # -- people ---------------------------------------------------------------------------

    def add_user(self, name: str, role: str) -> Person:
        clean = name.strip()
        if not 1 <= len(clean) <= 100 or not clean.isprintable():
            raise ContractError((FieldError("name", "must be 1 to 100 printable characters"),))
        try:
            parsed_role = Role(role)
        except ValueError:
            roles = ", ".join(r.value for r in Role)
            raise ContractError((FieldError("role", f"must be one of {roles}"),)) from None
        with self.store.transaction() as session:
            if repo.find_person(session, clean) is not None:
                raise ContractError((FieldError("name", "a user with that name exists"),))
            return repo.add_person(session, clean, parsed_role, self.clock())

    def user(self, name: str) -> Person:
        with self.store.read() as session:
            return self.person_in(session, name)

    @staticmethod
    def person_in(session: Any, who: Who, role: Role | None = None) -> Person:
        """The user ``who`` names; a ``Person`` the caller already looked up (the signed-in
        user of a request) is taken as it is, saving a query."""
        person = who if isinstance(who, Person) else repo.find_person(session, who)
        if person is None:
            raise ContractError((FieldError("user", "no such user"),))
        if role is not None and person.role is not role:
            raise ContractError((FieldError("user", f"is not a {role.value}"),))
        return person

    def link(self, clinician: str, person: str) -> None:
        """Link a clinician to a person (once)."""
        with self.store.transaction() as session:
            doctor = self.person_in(session, clinician, Role.CLINICIAN)
            patient = self.person_in(session, person, Role.PERSON)
            if patient.id in repo.linked_people(session, doctor.id):
                raise ContractError((FieldError("person", "is already linked"),))
            repo.link(session, doctor.id, patient.id, self.clock())

    def linked_people(self, clinician: str) -> list[Person]:
        with self.store.read() as session:
            doctor = self.person_in(session, clinician, Role.CLINICIAN)
            return repo.people(session, repo.linked_people(session, doctor.id))

    def clinicians_of(self, who: Who) -> list[Person]:
        """The clinicians a person is linked to (who can see their records)."""
        with self.store.read() as session:
            patient = self.person_in(session, who, Role.PERSON)
            return repo.people(session, repo.clinicians_of(session, patient.id))

    def is_linked(self, clinician_id: int, person_id: int) -> bool:
        with self.store.read() as session:
            return person_id in repo.linked_people(session, clinician_id)

    # -- assessments and plans ----------------------------------------------------------

    def store_assessment(
        self, who: Who, answers: dict[str, Any], result: AssessmentResult
    ) -> StoredAssessment:
        with self.store.transaction() as session:
            person = self.person_in(session, who, Role.PERSON)
            return repo.add_assessment(
                session,
                person.id,
                answers=answers,
                result=result.to_contract(),
                content_version=result.content_version,
                now=self.clock(),
            )

    def store_plan(self, who: Who, assessment_id: int, plan: dict[str, Any]) -> StoredPlan:
        stored = dict(plan)
        stored["exercises"] = [
            {**e, "illustration": "", "start_dose": e["dose"]} for e in plan["exercises"]
        ]
        if stored.get("walking"):
            stored["walking"] = {**stored["walking"], "illustration": ""}
        with self.store.transaction() as session:
            person = self.person_in(session, who, Role.PERSON)
            return repo.add_plan(session, person.id, assessment_id, stored, self.clock())

    # -- the diary ------------------------------------------------------------------------

    def add_entry(self, who: Who, raw: dict[str, Any]) -> DiaryEntry:
        """Store one day's check-in. A day's entry can be changed only on that day."""
        now = self.clock()
        today = self.day_of(now)
        entry = validate_entry(raw, today)
        with self.store.transaction() as session:
            person = self.person_in(session, who, Role.PERSON)
            existing = repo.find_entry_row(session, person.id, entry.day)
            if existing is not None and entry.day != today:
                raise EntryLockedError(
                    (
                        FieldError(
                            "date", "that day's check-in exists and can only be changed that day"
                        ),
                    )
                )
            repo.save_entry(session, person.id, entry, now, existing)
        return entry

    def entries(self, who: Who, *, since: date | None = None) -> list[DiaryEntry]:
        """The person's check-ins in day order (from ``since`` on, when given)."""
        with self.store.read() as session:
            person = self.person_in(session, who, Role.PERSON)
            return repo.entries(session, person.id, since)

    def history(
        self, who: Who
    ) -> tuple[
        Person, list[StoredAssessment], list[DiaryEntry], StoredPlan | None, list[StoredEscalation]
    ]:
        """Everything stored about one person (for reports and exports)."""
        with self.store.read() as session:
            person = self.person_in(session, who, Role.PERSON)
            return (
                person,
                repo.assessments(session, person.id),
                repo.entries(session, person.id),
                repo.current_plan(session, person.id),
                repo.escalations(session, person.id),
            )

    def red_flag_level(self, latest: StoredAssessment | None) -> Urgency:
        """The engine's level when a check-in reports a warning sign: the latest answers with
        the check-in's warning signs unknown (so treated as present)."""
        answers = latest.answers if latest is not None else {}
        kept = {k: v for k, v in answers.items() if k not in CHECKIN_RED_FLAG_KEYS}
        return self.assessments.assess(kept).urgency

    def current_status(
        self, latest: StoredAssessment | None, entries: Sequence[DiaryEntry], today: date
    ) -> DiaryStatus:
        """The status of the current episode: the check-ins since the latest assessment,
        re-assessed when one of them reports a warning sign."""
        start = self.day_of(latest.created_at) if latest is not None else None
        episode = [e for e in entries if start is None or e.day >= start]
        red = self.red_flag_level(latest) if any(e.red_flag for e in episode) else None
        return diary_status(episode, self.assessments.content.escalation, today, red)

    @staticmethod
    def fingerprint(escalation: Escalation) -> str:
        """Identifies an escalation by its rules and their evidence (``EscalationReason.evidence``,
        else the days of its entries), so showing it twice stores it once."""
        key = [
            (r.rule, list(r.evidence) or [e.day.isoformat() for e in r.entries])
            for r in escalation.reasons
        ]
        return hashlib.sha256(json.dumps(key).encode()).hexdigest()

    def record_escalation(
        self,
        person: Person,
        escalation: Escalation,
        stored: Collection[str] | None = None,
    ) -> StoredEscalation | None:
        """Store an escalation when it is shown, unless the same one (same rules, same
        evidence) was stored before: open, it is already on every page; acknowledged, the
        person has read it. New evidence makes a new escalation: a warning sign on another day,
        a new run of worse days, another week without improvement (not every day of it).
        ``stored``: the person's stored fingerprints when the caller has just read them
        (``Episode.stored``)."""
        if escalation.level is None:
            return None
        fingerprint = self.fingerprint(escalation)
        if stored is None:
            with self.store.read() as session:  # usually stored already: no write lock then
                stored = repo.escalation_fingerprints(session, person.id)
        if fingerprint in stored:
            return None
        with self.store.transaction() as session:
            if fingerprint in repo.escalation_fingerprints(session, person.id):
                return None
            return repo.add_escalation(
                session,
                person.id,
                level=escalation.level,
                reasons=escalation.reasons,
                fingerprint=fingerprint,
                now=self.clock(),
            )

    def episode_status(
        self,
        who: Who,
        *,
        recent: int = 0,
        open_escalations: bool = False,
        walking_tests: bool = False,
    ) -> Episode:
        """The current episode's status (computed once per version of the diary, see
        ``_statuses``), with the ``recent`` latest check-ins and, if asked, the escalations
        still open (for a page's banner), in one read. Stores nothing."""
        today = self.today()
        with self.store.read() as session:
            person = self.person_in(session, who, Role.PERSON)
            head = repo.latest_assessment_head(session, person.id)
            start = self.day_of(head[1]) if head is not None else None
            key = (
                person.id,
                None if head is None else head[0],
                repo.diary_version(session, person.id, start),
                today,
            )
            with self._statuses_lock:
                status = self._statuses.get(key)
            # Only when the diary changed: the answers and the check-ins to compute it from.
            if status is None:
                latest = repo.latest_assessment(session, person.id)
                status = self.current_status(latest, repo.entries(session, person.id, start), today)
                with self._statuses_lock:
                    self._statuses[key] = status
                    while len(self._statuses) > STATUS_CACHE_SIZE:
                        self._statuses.popitem(last=False)
            latest_entries = repo.latest_entries(session, person.id, recent) if recent else []
            stored = repo.escalation_fingerprints(session, person.id)
            still_open = (
                repo.open_escalations(session, person.id) if open_escalations and stored else []
            )
            walking = walking_repo.walking_tests(session, person.id) if walking_tests else []
        return Episode(
            person, head is not None, start, status, latest_entries, stored, still_open, walking
        )

    def status(self, who: Who) -> tuple[DiaryStatus, StoredEscalation | None]:
        """The diary's status for the current episode; a new escalation is stored as shown."""
        episode = self.episode_status(who)
        new = self.record_escalation(episode.person, episode.status.escalation, episode.stored)
        return episode.status, new

    def peek_status(self, who: Who) -> DiaryStatus:
        """The diary's status for the current episode, storing nothing (for a clinician's
        view: an escalation is stored only when the person is shown it)."""
        return self.episode_status(who).status

    def statuses(self) -> dict[str, DiaryStatus]:
        """Every person's current diary status, loaded in a few queries and computed, not
        stored (nobody is shown anything). For overviews of many people."""
        today = self.today()
        with paused_gc():
            with self.store.read() as session:
                people = repo.all_people(session, Role.PERSON)
                latest = repo.latest_assessments(session)
                entries = repo.all_entries(session)
            return {
                person.name: self.current_status(
                    latest.get(person.id), entries.get(person.id, ()), today
                )
                for person in people
            }

    def open_escalations(self, who: Who) -> list[StoredEscalation]:
        """Escalations shown but not yet acknowledged (shown at the top of every page)."""
        with self.store.read() as session:
            person = self.person_in(session, who, Role.PERSON)
            return repo.open_escalations(session, person.id)

    def acknowledge(self, who: Who) -> int:
        with self.store.transaction() as session:
            person = self.person_in(session, who, Role.PERSON)
            return repo.acknowledge_all(session, person.id, self.clock())
