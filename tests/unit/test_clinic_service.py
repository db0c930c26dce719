"""The clinic service: caseload correctness against the person's own status, the cache
following new and changed check-ins, and every refused programme change."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from backstride.diary.model import (
    Direction,
    PainTrend,
    ToleranceReading,
    ToleranceTrend,
    Trend,
)
from backstride.domain.answers import ContractError
from backstride.domain.diary import Person, Role
from backstride.domain.urgency import Urgency
from backstride.services.assessments import default_service
from backstride.services.clinic import CaseloadRow, NotLinkedError, dose_text, need_order
from backstride.services.container import Services
from backstride.services.settings import Settings

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
NOW = datetime(2026, 11, 26, 12, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def services(tmp_path: Path, clock: Clock) -> Iterator[Services]:
    opened = Services.open(
        Settings(f"sqlite:///{tmp_path / 'clinic.db'}"), assessments=default_service(), clock=clock
    )
    yield opened
    opened.close()


def today() -> date:
    return NOW.astimezone().date()


def add(services: Services, name: str, ago: int, pain: int, **extra: Any) -> None:
    day = today() - timedelta(days=ago)
    raw = {"day": day, "pain_now": pain, "pain_walking": pain, "walk_minutes": 5.0, **extra}
    services.records.add_entry(name, raw)


def linked(
    services: Services, clock: Clock, name: str, example: str = "stenosis-walker"
) -> tuple[Person, Person]:
    try:
        doctor = services.records.user("doc")
    except ContractError:
        doctor = services.records.add_user("doc", "clinician")
    person = services.records.add_user(name, "person")
    services.records.link("doc", name)
    answers = json.loads((EXAMPLES / f"{example}.json").read_text(encoding="utf-8"))
    clock.now = NOW - timedelta(days=20)
    services.keep_assessment(person, answers)
    clock.now = NOW
    return doctor, person


def row(services: Services, doctor: Person, name: str) -> CaseloadRow:
    return next(r for r in services.clinic.caseload(doctor) if r.name == name)


def test_caseload_matches_each_persons_own_status(services: Services, clock: Clock) -> None:
    doctor, _ = linked(services, clock, "a")
    linked(services, clock, "b")
    for ago in range(12, 0, -1):
        add(services, "a", ago, 3 + (ago < 5) * 3)  # a worsening run: escalated "soon"
        add(services, "b", ago, 3, walk_tolerance_min=30.0 if ago > 6 else 12.0)
    for found in services.clinic.caseload(doctor):
        status, _ = services.records.status(found.name)
        assert found.level == status.escalation.level
        assert found.days_logged == status.days_logged
    assert row(services, doctor, "b").worsening == ("Walking tolerance down (30 → 12 min)",)


def test_cache_follows_new_and_changed_check_ins(services: Services, clock: Clock) -> None:
    doctor, _ = linked(services, clock, "a")
    add(services, "a", 1, 3)
    assert row(services, doctor, "a").level is None
    assert row(services, doctor, "a").days_logged == 1
    add(services, "a", 0, 3)  # a new check-in
    assert row(services, doctor, "a").days_logged == 2
    clock.now = NOW + timedelta(minutes=5)
    add(services, "a", 0, 3, red_flag=True)  # today's check-in changed in place
    clock.now = NOW
    assert row(services, doctor, "a").level is Urgency.EMERGENCY
    add(services, "a", 3, 3)  # a missed day filled in later
    assert row(services, doctor, "a").days_logged == 3


def test_a_new_assessment_starts_a_new_episode(services: Services, clock: Clock) -> None:
    doctor, person = linked(services, clock, "a")
    for ago in (3, 2, 1):
        add(services, "a", ago, 3)
    assert row(services, doctor, "a").days_logged == 3
    answers = json.loads((EXAMPLES / "acute-strain.json").read_text(encoding="utf-8"))
    services.keep_assessment(person, answers)
    found = row(services, doctor, "a")
    assert found.days_logged == 0
    assert found.assessment_urgency is Urgency.SELF_CARE


def test_unacknowledged_escalations_count(services: Services, clock: Clock) -> None:
    doctor, person = linked(services, clock, "a")
    add(services, "a", 1, 3, red_flag=True)
    services.records.status("a")  # shown to the person: stored, open
    answers = json.loads((EXAMPLES / "acute-strain.json").read_text(encoding="utf-8"))
    services.keep_assessment(person, answers)  # a new episode without the warning sign
    assert row(services, doctor, "a").level is Urgency.EMERGENCY
    services.records.acknowledge("a")
    assert row(services, doctor, "a").level is None


def test_only_clinicians_have_a_caseload(services: Services, clock: Clock) -> None:
    _, person = linked(services, clock, "a")
    with pytest.raises(PermissionError):
        services.clinic.caseload(person)


def test_downloads_are_for_clinicians_and_known_kinds_only(
    services: Services, clock: Clock
) -> None:
    doctor, person = linked(services, clock, "a")
    with pytest.raises(PermissionError):
        services.clinic.download(person, person.id, "csv")
    with pytest.raises(ValueError, match="unknown download: xml"):
        services.clinic.download(doctor, person.id, "xml")
    assert services.accounts.audit_trail(person.id) == []  # refused: nothing recorded
    assert services.clinic.download(doctor, person.id, "csv").startswith(b"date,")


def test_unlinked_person_is_not_found(services: Services, clock: Clock) -> None:
    doctor, _ = linked(services, clock, "a")
    stranger = services.records.add_user("z", "person")
    with pytest.raises(NotLinkedError):
        services.clinic.person_view(doctor, stranger.id)
    with pytest.raises(NotLinkedError):
        services.clinic.adjust_plan(doctor, stranger.id, {"action": "remove", "exercise_id": "x"})
    with pytest.raises(NotLinkedError):
        services.clinic.download(doctor, stranger.id, "report")


def refused(services: Services, doctor: Person, person: Person, change: dict[str, Any]) -> str:
    before = services.records.history(person.name)[3]
    with pytest.raises(ContractError) as caught:
        services.clinic.adjust_plan(doctor, person.id, change)
    assert services.records.history(person.name)[3] == before
    return "; ".join(f"{e.field}: {e.message}" for e in caught.value.errors)


DOSE = {"sets": "2", "reps": "8", "hold_s": "2", "times_per_day": "2"}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"action": "stretch", "exercise_id": "pelvic_tilt"}, "action: must be one of"),
        ({"action": "dose"}, "exercise_id: field required"),
        ({"action": "dose", "exercise_id": "pelvic_tilt", **DOSE}, "the dose is the same"),
        (
            {
                "action": "dose",
                "exercise_id": "childs_pose",
                "reps": "5",
                "sets": "3",
                "hold_s": "15",
                "times_per_day": "2",
            },
            "reps: is not used by this exercise",
        ),
        ({"action": "dose", "exercise_id": "plank", **DOSE}, "not in this person's programme"),
        ({"action": "add", "exercise_id": "moonwalk"}, "not in the exercise library"),
        ({"action": "add", "exercise_id": "interval_walk"}, "walking has its own plan"),
        ({"action": "add", "exercise_id": "pelvic_tilt"}, "already in the programme"),
        ({"action": "add", "exercise_id": "standing_back_extension"}, "to be avoided"),
        ({"action": "remove", "exercise_id": "plank"}, "not in this person's programme"),
    ],
)
def test_refused_changes_name_the_field(
    services: Services, clock: Clock, change: dict[str, Any], expected: str
) -> None:
    doctor, person = linked(services, clock, "a")
    assert expected in refused(services, doctor, person, change)


def test_no_exercises_are_added_after_an_emergency_assessment(
    services: Services, clock: Clock
) -> None:
    doctor, person = linked(services, clock, "a", "saddle-numbness")
    message = refused(services, doctor, person, {"action": "add", "exercise_id": "bird_dog"})
    assert "get medical help first" in message
    assert services.clinic.person_view(doctor, person.id).addable == []


def test_no_programme_yet(services: Services) -> None:
    doctor = services.records.add_user("doc", "clinician")
    person = services.records.add_user("a", "person")
    services.records.link("doc", "a")
    with pytest.raises(ContractError, match="plan"):
        services.clinic.adjust_plan(doctor, person.id, {"action": "remove", "exercise_id": "x"})


def test_dose_change_returns_its_summary(services: Services, clock: Clock) -> None:
    doctor, person = linked(services, clock, "a")
    change = {"action": "dose", "exercise_id": "childs_pose", "sets": "2", "hold_s": "20",
              "times_per_day": "3", "reps": ""}  # fmt: skip
    summary = services.clinic.adjust_plan(doctor, person.id, change)
    assert summary == (
        "Changed the dose of Child's pose: 3×15 s hold, twice a day → 2×20 s hold, 3 times a day"
    )
    events = [e for e in services.accounts.audit_trail(person.id) if e.action.startswith("plan_")]
    assert events[-1].actor_name == "doc"
    assert events[-1].detail["before"]["hold_s"] == 15
    assert events[-1].detail["after"]["hold_s"] == 20


def test_dose_text() -> None:
    dose = {"sets": 1, "reps": 10, "hold_s": None, "times_per_day": 1, "per_side": True}
    assert dose_text(dose) == "1×10 each side, once a day"


def trend(
    pain: Direction | None, first: ToleranceReading | None, latest: ToleranceReading | None
) -> Trend:
    return Trend(PainTrend("pain", 2, 5, 3, pain), ToleranceTrend(first, latest, None))


def test_worsening_words(services: Services) -> None:
    day0, day5 = date(2026, 11, 1), date(2026, 11, 6)
    clinic = services.clinic
    unlimited = ToleranceReading(day0, None, no_limit=True)
    assert clinic.worsening(trend(None, unlimited, ToleranceReading(day5, 20.0, False))) == (
        "Walking tolerance down (no limit → 20 min)",
    )
    small_fall = trend(
        None, ToleranceReading(day0, 20.0, False), ToleranceReading(day5, 15.0, False)
    )
    assert clinic.worsening(small_fall) == ()
    worse = trend(Direction.WORSENING, None, None)
    assert clinic.worsening(worse) == ("Pain worse (2 → 5 out of 10)",)
    assert clinic.trend_words(trend(None, None, None)) == "Not enough check-ins yet"


def caseload_row(name: str, **kw: Any) -> CaseloadRow:
    fields: dict[str, Any] = {
        "person_id": 1, "name": name, "level": None, "worsening": (), "trend_words": "",
        "last_check_in": None, "days_since_check_in": 0, "missed_check_ins": False,
        "days_logged": 0, "assessment_urgency": None,
    }  # fmt: skip
    return CaseloadRow(**{**fields, **kw})


def test_need_order() -> None:
    rows = [
        caseload_row("steady"),
        caseload_row("quiet 4", missed_check_ins=True, days_since_check_in=4),
        caseload_row("quiet 9", missed_check_ins=True, days_since_check_in=9),
        caseload_row("worse and quiet", worsening=("x",), missed_check_ins=True),
        caseload_row("soon", level=Urgency.SOON),
        caseload_row("self-care sign", level=Urgency.SELF_CARE),
        caseload_row("emergency", level=Urgency.EMERGENCY),
        caseload_row("urgent", level=Urgency.URGENT),
    ]
    assert [r.name for r in sorted(rows, key=need_order)] == [
        "emergency", "urgent", "soon", "self-care sign", "worse and quiet", "quiet 9",
        "quiet 4", "steady",
    ]  # fmt: skip


def test_role_check_for_person_view(services: Services, clock: Clock) -> None:
    _, person = linked(services, clock, "a")
    with pytest.raises(PermissionError):
        services.clinic.person_view(person, person.id)
    assert Role.PERSON is person.role
