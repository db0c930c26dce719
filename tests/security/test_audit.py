"""The audit trail: every clinician view or change of a person's data is stored, and the
person reads it on their account page (repeated views grouped into one line)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient

from backstride.domain.diary import Role
from backstride.persistence.accounts import AuditEvent
from backstride.services.accounts import group_repeats
from backstride.services.container import Services
from tests.persistence.conftest import Clock
from tests.web.conftest import add_user, api_token, new_client, sign_in

START = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def event(actor: str, minutes: int, action: str = "viewed") -> AuditEvent:
    return AuditEvent(1, actor, action, {}, START + timedelta(minutes=minutes))


def test_repeated_views_group_into_one_line_and_changes_never_do() -> None:
    lines = group_repeats(
        [
            event("dr-a", 0),
            event("dr-a", 30),
            event("dr-a", 80),  # within an hour of the previous view: same run
            event("dr-b", 85),  # someone else
            event("dr-a", 90, "plan_dose_changed"),  # a change: always its own line
            event("dr-a", 95),
            event("dr-a", 200),  # more than an hour later: a new line
        ]
    )
    assert [(line.actor_name, line.action, line.count) for line in lines] == [
        ("dr-a", "viewed", 3),
        ("dr-b", "viewed", 1),
        ("dr-a", "plan_dose_changed", 1),
        ("dr-a", "viewed", 1),
        ("dr-a", "viewed", 1),
    ]
    assert lines[0].at == START
    assert lines[0].last_at == START + timedelta(minutes=80)


def test_every_clinician_read_is_stored_and_shown_to_the_person(
    app: FastAPI, services: Services, clock: Clock
) -> None:
    ann = add_user(services, "ann")
    add_user(services, "dr-who", Role.CLINICIAN)
    services.records.link("dr-who", "ann")
    doctor = new_client(app)
    sign_in(doctor, "dr-who")
    headers = api_token(new_client(app), "dr-who")
    for _ in range(3):
        assert doctor.get(f"/clinician/people/{ann.id}").status_code == 200
    clock.now += timedelta(minutes=5)
    assert new_client(app).get(f"/api/v1/people/{ann.id}/diary", headers=headers).status_code == 200
    trail = services.accounts.audit_trail(ann.id)
    assert [e.action for e in trail] == ["viewed"] * 3 + ["api:read diary"]
    assert {e.actor_name for e in trail} == {"dr-who"}

    person = new_client(app)
    sign_in(person, "ann")
    page = person.get("/account").text
    assert page.count("<td>dr-who</td>") == 2  # one line for the three views, one for the API
    assert "(3 times, the last at" in page


def test_a_person_reading_their_own_data_is_not_audited(app: FastAPI, services: Services) -> None:
    ann = add_user(services, "ann")
    client = new_client(app)
    headers = api_token(client, "ann")
    assert client.get(f"/api/v1/people/{ann.id}/diary", headers=headers).status_code == 200
    assert services.accounts.audit_trail(ann.id) == []


def test_a_refused_read_is_not_shown_as_a_view(app: FastAPI, services: Services) -> None:
    ann = add_user(services, "ann")
    add_user(services, "dr-other", Role.CLINICIAN)
    client = TestClient(app)
    sign_in(client, "dr-other")
    assert client.get(f"/clinician/people/{ann.id}").status_code == 404
    assert services.accounts.audit_trail(ann.id) == []
