"""The diary through storage: escalations from real check-ins, stored once, acknowledged."""

from __future__ import annotations

import gc
import json
from datetime import timedelta
from pathlib import Path

import pytest

from backstride.domain.answers import ContractError
from backstride.domain.urgency import Urgency
from backstride.services.records import Records, paused_gc
from tests.persistence.conftest import Clock
from tests.persistence.test_store import TODAY, entry

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _assessed(records: Records) -> None:
    records.add_user("ann", "person")
    answers = json.loads((EXAMPLES / "acute-strain.json").read_text(encoding="utf-8"))
    records.store_assessment("ann", answers, records.assessments.assess(answers))


def _days(records: Records, clock: Clock, pains: list[int]) -> None:
    start = clock.now
    for offset, pain in enumerate(pains):
        clock.now = start + timedelta(days=offset)
        records.add_entry("ann", entry(clock.now.date(), pain_now=pain, pain_walking=pain))


def test_a_week_without_improvement_says_see_a_doctor_once(records: Records, clock: Clock) -> None:
    _assessed(records)
    _days(records, clock, [6] * 9)
    status, stored = records.status("ann")
    assert status.escalation.level is Urgency.SOON
    assert stored is not None
    assert stored.shown_at == clock.now
    assert any(r.entries for r in status.escalation.reasons), "reasons name their entries"
    _, again = records.status("ann")
    assert again is None, "the same open escalation is stored once"
    assert records.acknowledge("ann") == 1
    history = records.history("ann")[4]
    assert len(history) == 1
    assert history[0].acknowledged_at == clock.now
    _, after = records.status("ann")
    assert after is None, "an acknowledged escalation does not come back"
    assert records.open_escalations("ann") == []
    start = clock.now
    for days in range(1, 6):  # days 9 to 13 of the episode: still the second week
        clock.now = start + timedelta(days=days)
        records.add_entry("ann", entry(clock.now.date(), pain_now=6, pain_walking=6))
        assert records.status("ann")[1] is None, "the same week without improvement is read"
    clock.now = start + timedelta(days=6)
    records.add_entry("ann", entry(clock.now.date(), pain_now=6, pain_walking=6))
    _, renewed = records.status("ann")
    assert renewed is not None, "another week without improvement raises it again"


def test_improving_pain_does_not_escalate(records: Records, clock: Clock) -> None:
    _assessed(records)
    _days(records, clock, [7, 7, 6, 5, 4, 4, 3, 3, 2])
    status, stored = records.status("ann")
    assert status.escalation.level is None
    assert stored is None


def test_a_red_flag_check_in_re_runs_the_assessment(records: Records, clock: Clock) -> None:
    _assessed(records)
    records.add_entry("ann", entry(TODAY, red_flag=True))
    status, stored = records.status("ann")
    assert status.escalation.level is Urgency.EMERGENCY
    assert stored is not None
    assert stored.level is Urgency.EMERGENCY


def test_missing_check_ins_remind_and_never_escalate(records: Records, clock: Clock) -> None:
    _assessed(records)
    records.add_entry("ann", entry(TODAY, pain_now=3, pain_walking=3))
    clock.now += timedelta(days=10)
    status, stored = records.status("ann")
    assert status.escalation.level is None
    assert status.escalation.reminders
    assert stored is None


def test_statuses_for_everyone_match_each_persons_status(records: Records, clock: Clock) -> None:
    """The bulk overview (driver-level reads) gives what the one-by-one status gives."""
    answers = json.loads((EXAMPLES / "acute-strain.json").read_text(encoding="utf-8"))
    start = clock.now
    for name, pains, flag in (
        ("ann", [6] * 9, None),
        ("bo", [7, 6, 4, 3, 2], None),
        ("cy", [5, 5], True),
    ):
        clock.now = start
        records.add_user(name, "person")
        records.store_assessment(name, answers, records.assessments.assess(answers))
        for offset, pain in enumerate(pains):
            clock.now = start + timedelta(days=offset)
            records.add_entry(
                name,
                entry(
                    clock.now.date(),
                    pain_now=pain,
                    pain_walking=pain,
                    walk_tolerance_min=None if offset % 2 else 10.0,
                    walk_no_limit=bool(offset % 2),
                    steps=None if offset == 1 else 3000,
                    exercises=[{"exercise_id": "bird_dog", "done": True, "pain_during": 2}],
                    settled_by_morning=offset % 3 != 0,
                    red_flag=flag if offset == 1 else False,
                    note=f"day {offset}",
                ),
            )
    records.add_user("dee", "person")  # no assessment, no diary
    clock.now = start + timedelta(days=9)
    everyone = records.statuses()
    assert set(everyone) == {"ann", "bo", "cy", "dee"}
    for name in ("ann", "bo", "cy", "dee"):
        assert everyone[name] == records.status(name)[0], name
    assert everyone["ann"].escalation.level is Urgency.SOON
    assert everyone["cy"].escalation.level is Urgency.EMERGENCY
    assert everyone["dee"].days_logged == 0


def test_pausing_the_collector_always_restores_it() -> None:
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError, match="boom"), paused_gc():
        raise RuntimeError("boom")
    assert gc.isenabled(), "re-enabled after an error"
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled(), "a collector that was off stays off"
    finally:
        gc.enable()


def test_a_status_is_computed_once_per_version_of_the_diary(records: Records, clock: Clock) -> None:
    _assessed(records)
    records.add_entry("ann", entry(clock.now.date(), pain_now=3, pain_walking=3))
    first = records.episode_status("ann").status
    assert records.episode_status("ann").status is first, "unchanged diary: the same status"
    clock.now += timedelta(minutes=5)
    records.add_entry("ann", entry(clock.now.date(), pain_now=7, pain_walking=7))
    changed = records.episode_status("ann").status
    assert changed is not first, "today's check-in changed: computed again"
    assert changed.trend.pain.latest == 7
    clock.now += timedelta(days=1)
    tomorrow = records.episode_status("ann").status
    assert tomorrow is not changed, "a new day can bring reminders: computed again"
    records.add_entry("ann", entry(clock.now.date(), red_flag=True))
    assert records.episode_status("ann").status.escalation.level is not None


def test_an_episode_is_read_in_one_go_by_name_or_by_person(records: Records, clock: Clock) -> None:
    records.add_user("ann", "person")
    empty = records.episode_status("ann", recent=3)
    assert (empty.has_assessment, empty.recent, empty.stored) == (False, [], frozenset())
    answers = json.loads((EXAMPLES / "acute-strain.json").read_text(encoding="utf-8"))
    result = records.assessments.assess(answers)
    records.store_assessment("ann", answers, result)
    _days(records, clock, [6] * 9)
    ann = records.user("ann")
    by_name, by_person = records.episode_status("ann", recent=3), records.episode_status(ann)
    assert by_name.person == by_person.person == ann
    assert by_name.has_assessment
    assert [e.pain_now for e in by_name.recent] == [6, 6, 6]
    assert by_name.recent[0].day == clock.now.date(), "newest first"
    assert by_person.status is by_name.status, "the same version of the diary: computed once"
    status, stored = records.status(ann)
    assert stored is not None
    assert records.episode_status(ann).stored == {records.fingerprint(status.escalation)}
    assert records.status(ann)[1] is None, "shown once"
    assert records.open_escalations(ann) == records.open_escalations("ann") == [stored]
    records.add_user("dr-lee", "clinician")
    with pytest.raises(ContractError, match="is not a person"):
        records.episode_status(records.user("dr-lee"))
    later = records.store_assessment("ann", answers, result)
    again = records.episode_status(ann)
    assert again.status is not status, "a new assessment starts a new episode"
    assert later.created_at.date() == clock.now.date()
