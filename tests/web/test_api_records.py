"""The API for signed-in people: diary, status, plan, exports; and clinicians' reads of the
people linked to them (403 for anyone else's data, unknown ids included)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from backstride.domain.diary import Role
from backstride.services.container import Services
from tests.persistence.conftest import Clock
from tests.web.conftest import add_user, api_token

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def today(clock: Clock) -> date:
    return clock().astimezone().date()


def check_in(day: date, **fields: object) -> dict[str, object]:
    return {
        "day": day.isoformat(),
        "pain_now": 3,
        "pain_walking": 4,
        "walk_minutes": 20,
        **fields,
    }


@pytest.fixture
def ann(client: TestClient, services: Services) -> dict[str, str]:
    add_user(services, "ann")
    return api_token(client, "ann")


def store_assessment(client: TestClient, headers: dict[str, str]) -> int:
    answers = json.loads((EXAMPLES / "acute-strain.json").read_text(encoding="utf-8"))
    response = client.post("/api/v1/assessments", json=answers, headers=headers)
    assert response.status_code == 200
    return int(response.headers["x-stored-assessment-id"])


# -- 401 everywhere ---------------------------------------------------------------------------

PROTECTED = [
    ("GET", "/api/v1/diary"),
    ("POST", "/api/v1/diary"),
    ("GET", "/api/v1/status"),
    ("POST", "/api/v1/status/acknowledge"),
    ("GET", "/api/v1/plans/current"),
    ("GET", "/api/v1/exports/fhir"),
    ("GET", "/api/v1/exports/csv"),
    ("GET", "/api/v1/exports/report.pdf"),
    ("GET", "/api/v1/people/1/diary"),
    ("GET", "/api/v1/people/1/status"),
    ("DELETE", "/api/v1/token"),
]


@pytest.mark.parametrize(("method", "path"), PROTECTED)
@pytest.mark.parametrize("token", [None, "not-a-token"])
def test_protected_routes_are_401_without_a_valid_token(
    client: TestClient, services: Services, method: str, path: str, token: str | None
) -> None:
    add_user(services, "ann")
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = client.request(method, path, headers=headers, json=check_in(date(2026, 1, 1)))
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(
    ("method", "path"), [p for p in PROTECTED if "/people/" not in p[1] and "token" not in p[1]]
)
def test_a_persons_routes_are_403_for_a_clinician(
    client: TestClient, services: Services, method: str, path: str
) -> None:
    add_user(services, "dr", Role.CLINICIAN)
    response = client.request(method, path, headers=api_token(client, "dr"), json={})
    assert response.status_code == 403


# -- the diary --------------------------------------------------------------------------------


def test_a_check_in_is_stored_and_returned_with_the_status(
    client: TestClient, services: Services, clock: Clock, ann: dict[str, str]
) -> None:
    body = check_in(
        today(clock),
        walk_tolerance_min=12.5,
        steps=4000,
        exercises=[{"exercise_id": "bridge", "done": True, "pain_during": 2}],
        note="a good day",
    )
    response = client.post("/api/v1/diary", json=body, headers=ann)
    assert response.status_code == 201
    out = response.json()
    assert out["entry"]["day"] == today(clock).isoformat()
    assert out["entry"]["walk_tolerance_min"] == 12.5
    assert out["entry"]["exercises"] == [{"exercise_id": "bridge", "done": True, "pain_during": 2}]
    assert out["status"]["days_logged"] == 1
    assert out["status"]["escalation"]["level"] is None
    [stored] = services.records.entries("ann")
    assert (stored.steps, stored.note) == (4000, "a good day")
    assert client.get("/api/v1/diary", headers=ann).json() == [out["entry"]]


def test_the_diary_is_oldest_first_and_can_start_from_a_day(
    client: TestClient, clock: Clock, ann: dict[str, str]
) -> None:
    days = [today(clock) - timedelta(days=n) for n in (1, 3, 2)]
    for day in days:
        assert client.post("/api/v1/diary", json=check_in(day), headers=ann).status_code == 201
    listed = client.get("/api/v1/diary", headers=ann).json()
    assert [e["day"] for e in listed] == sorted(d.isoformat() for d in days)
    since = (today(clock) - timedelta(days=2)).isoformat()
    recent = client.get("/api/v1/diary", params={"since": since}, headers=ann).json()
    assert [e["day"] for e in recent] == sorted(d.isoformat() for d in days[::2])


def test_a_bad_since_is_422_naming_it(client: TestClient, ann: dict[str, str]) -> None:
    response = client.get("/api/v1/diary", params={"since": "soon"}, headers=ann)
    assert response.status_code == 422
    assert [d["loc"] for d in response.json()["detail"]] == [["query", "since"]]


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ({"pain_now": 11}, {"pain_now"}),
        ({"pain_walking": "4"}, {"pain_walking"}),
        ({"walk_minutes": None, "steps": -1}, {"walk_minutes", "steps"}),
        ({"day": "yesterday"}, {"day"}),
        ({"colour": "blue"}, {"colour"}),
        ({"exercises": [{"exercise_id": "bridge"}]}, {"exercises.0.done"}),
        ({"note": "x" * 2001}, {"note"}),
    ],
)
def test_a_bad_check_in_is_422_naming_the_fields_and_writes_nothing(
    client: TestClient,
    services: Services,
    clock: Clock,
    ann: dict[str, str],
    change: dict[str, object],
    fields: set[str],
) -> None:
    response = client.post("/api/v1/diary", json={**check_in(today(clock)), **change}, headers=ann)
    assert response.status_code == 422
    named = {".".join(str(p) for p in d["loc"][1:]) for d in response.json()["detail"]}
    assert named == fields
    assert all(d["loc"][0] == "body" for d in response.json()["detail"])
    assert services.records.entries("ann") == []


@pytest.mark.parametrize(
    ("change", "field"),
    [({"walk_tolerance_min": 5, "walk_no_limit": True}, "walk_tolerance_min"), ({}, "day")],
)
def test_the_diary_contract_rules_are_422_naming_the_field(
    client: TestClient,
    services: Services,
    clock: Clock,
    ann: dict[str, str],
    change: dict[str, object],
    field: str,
) -> None:
    day = today(clock) if change else today(clock) + timedelta(days=1)
    response = client.post("/api/v1/diary", json=check_in(day, **change), headers=ann)
    assert response.status_code == 422
    assert [d["loc"] for d in response.json()["detail"]] == [["body", field]]
    assert services.records.entries("ann") == []


def test_todays_check_in_can_be_replaced_a_past_days_is_409(
    client: TestClient, services: Services, clock: Clock, ann: dict[str, str]
) -> None:
    now, before = today(clock), today(clock) - timedelta(days=1)
    assert client.post("/api/v1/diary", json=check_in(now), headers=ann).status_code == 201
    again = client.post("/api/v1/diary", json=check_in(now, pain_now=5), headers=ann)
    assert again.status_code == 201
    assert client.post("/api/v1/diary", json=check_in(before), headers=ann).status_code == 201
    late = client.post("/api/v1/diary", json=check_in(before, pain_now=9), headers=ann)
    assert late.status_code == 409
    assert "only be changed that day" in late.json()["detail"]
    assert [e.pain_now for e in services.records.entries("ann")] == [3, 5]


# -- status and escalations -------------------------------------------------------------------


def test_a_warning_sign_escalates_at_once_and_is_stored_as_shown(
    client: TestClient, services: Services, clock: Clock, ann: dict[str, str]
) -> None:
    response = client.post("/api/v1/diary", json=check_in(today(clock), red_flag=True), headers=ann)
    assert response.status_code == 201
    status = response.json()["status"]
    assert status["escalation"]["level"] == "emergency"
    assert status["escalation"]["reasons"]
    assert status["new_escalation"] is True
    assert len(services.records.open_escalations("ann")) == 1

    again = client.get("/api/v1/status", headers=ann).json()
    assert again["escalation"] == status["escalation"]
    assert again["new_escalation"] is False, "the same escalation is stored once"

    acknowledged = client.post("/api/v1/status/acknowledge", headers=ann)
    assert acknowledged.status_code == 200
    assert acknowledged.json() == {"acknowledged": 1}
    assert services.records.open_escalations("ann") == []


def test_an_empty_diary_has_a_quiet_status(client: TestClient, ann: dict[str, str]) -> None:
    response = client.get("/api/v1/status", headers=ann)
    assert response.status_code == 200
    body = response.json()
    assert body["days_logged"] == 0
    assert body["escalation"]["level"] is None
    assert body["trend"]["tolerance"] == {"first": None, "latest": None, "change_min": None}


# -- plans and exports ------------------------------------------------------------------------


def test_the_current_plan_is_404_until_an_assessment_is_stored(
    client: TestClient, ann: dict[str, str]
) -> None:
    assert client.get("/api/v1/plans/current", headers=ann).status_code == 404
    assessment_id = store_assessment(client, ann)
    response = client.get("/api/v1/plans/current", headers=ann)
    assert response.status_code == 200
    body = response.json()
    assert body["assessment_id"] == assessment_id
    assert body["current_week"] >= 0
    assert body["plan"]["exercises"]


def test_exports_fhir_and_csv(client: TestClient, clock: Clock, ann: dict[str, str]) -> None:
    client.post("/api/v1/diary", json=check_in(today(clock)), headers=ann)
    fhir = client.get("/api/v1/exports/fhir", headers=ann)
    assert fhir.status_code == 200
    assert fhir.headers["content-type"] == "application/fhir+json"
    assert fhir.headers["cache-control"] == "no-store"
    assert fhir.json()["resourceType"] == "Bundle"

    exported = client.get("/api/v1/exports/csv", headers=ann)
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/csv")
    assert "attachment" in exported.headers["content-disposition"]
    table = list(csv.DictReader(io.StringIO(exported.text)))
    assert len(table) == 1
    assert today(clock).isoformat() in exported.text


def test_the_report_pdf_needs_a_stored_assessment(client: TestClient, ann: dict[str, str]) -> None:
    assert client.get("/api/v1/exports/report.pdf", headers=ann).status_code == 404
    store_assessment(client, ann)
    response = client.get("/api/v1/exports/report.pdf", headers=ann)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


# -- other people's data ----------------------------------------------------------------------


@pytest.fixture
def people(client: TestClient, services: Services, clock: Clock) -> dict[str, int]:
    """ann (linked to dr), bob (linked to nobody), dr and other-dr (clinicians)."""
    ids = {
        "ann": add_user(services, "ann").id,
        "bob": add_user(services, "bob").id,
        "dr": add_user(services, "dr", Role.CLINICIAN).id,
        "other-dr": add_user(services, "other-dr", Role.CLINICIAN).id,
    }
    services.records.link("dr", "ann")
    headers = api_token(client, "ann")
    client.post("/api/v1/diary", json=check_in(today(clock), red_flag=True), headers=headers)
    client.delete("/api/v1/token", headers=headers)
    services.records.acknowledge("ann")
    return ids


@pytest.mark.parametrize("what", ["diary", "status"])
def test_a_linked_clinician_reads_a_persons_records(
    client: TestClient, services: Services, people: dict[str, int], what: str
) -> None:
    response = client.get(f"/api/v1/people/{people['ann']}/{what}", headers=api_token(client, "dr"))
    assert response.status_code == 200
    [event] = services.accounts.audit_trail(people["ann"])
    assert (event.actor_name, event.action) == ("dr", f"api:read {what}")
    assert event.detail["summary"].startswith("Read your diary")  # what the person reads


def test_a_linked_clinician_exports_a_persons_records_and_the_person_sees_it(
    client: TestClient, services: Services, people: dict[str, int]
) -> None:
    dr = api_token(client, "dr")
    base = f"/api/v1/people/{people['ann']}/exports"
    bundle = client.get(f"{base}/fhir", headers=dr)
    assert bundle.status_code == 200
    assert bundle.headers["content-type"] == "application/fhir+json"
    assert bundle.json()["resourceType"] == "Bundle"
    table = client.get(f"{base}/csv", headers=dr)
    assert len(list(csv.DictReader(io.StringIO(table.text)))) == 1
    assert client.get(f"{base}/report.pdf", headers=dr).status_code == 404  # no assessment
    summaries = [e.detail["summary"] for e in services.accounts.audit_trail(people["ann"])]
    assert summaries == ["Downloaded your records (FHIR file)", "Downloaded your diary (CSV file)"]
    # The person's own export through the same address is not a clinician's access.
    ann = api_token(client, "ann")
    assert client.get(f"{base}/csv", headers=ann).text == table.text
    assert len(services.accounts.audit_trail(people["ann"])) == 2
    # Anyone else: 403, and nothing recorded.
    for who in ("bob", "other-dr"):
        assert client.get(f"{base}/fhir", headers=api_token(client, who)).status_code == 403
    assert len(services.accounts.audit_trail(people["ann"])) == 2


def test_a_clinicians_view_shows_but_stores_no_escalation(
    client: TestClient, services: Services, people: dict[str, int]
) -> None:
    dr = api_token(client, "dr")
    diary = client.get(f"/api/v1/people/{people['ann']}/diary", headers=dr).json()
    assert [e["red_flag"] for e in diary] == [True]
    status = client.get(f"/api/v1/people/{people['ann']}/status", headers=dr).json()
    assert status["escalation"]["level"] == "emergency"
    assert status["new_escalation"] is False
    assert services.records.open_escalations("ann") == [], "only ann's own view stores it"


@pytest.mark.parametrize(
    ("viewer", "subject"),
    [
        ("other-dr", "ann"),  # a clinician not linked to her
        ("dr", "bob"),  # linked to someone else
        ("bob", "ann"),  # another person
        ("dr", "other-dr"),  # not a person at all
        ("dr", None),  # no such id
        ("bob", None),
    ],
)
@pytest.mark.parametrize("what", ["diary", "status"])
def test_anyone_elses_records_are_403(
    client: TestClient,
    services: Services,
    people: dict[str, int],
    viewer: str,
    subject: str | None,
    what: str,
) -> None:
    person_id = people[subject] if subject else max(people.values()) + 1
    response = client.get(f"/api/v1/people/{person_id}/{what}", headers=api_token(client, viewer))
    assert response.status_code == 403
    assert response.json() == {"detail": "that is not yours to see"}, "the same for unknown ids"
    assert services.accounts.audit_trail(people["ann"]) == []


def test_a_person_may_read_their_own_id(
    client: TestClient, services: Services, people: dict[str, int]
) -> None:
    ann = api_token(client, "ann")
    own = client.get(f"/api/v1/people/{people['ann']}/diary", headers=ann)
    assert own.status_code == 200
    assert own.json() == client.get("/api/v1/diary", headers=ann).json()
    assert services.accounts.audit_trail(people["ann"]) == [], "reading your own is not audited"


def test_a_person_id_that_is_not_a_number_is_422(
    client: TestClient, people: dict[str, int]
) -> None:
    response = client.get("/api/v1/people/ann/diary", headers=api_token(client, "dr"))
    assert response.status_code == 422
    assert [d["loc"] for d in response.json()["detail"]] == [["path", "person_id"]]
