"""The API's bearer tokens, and assessments stored for the person whose token is sent."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from backstride.domain.diary import Role
from backstride.persistence.tables import AssessmentRow, PlanRow
from backstride.services.container import Services
from backstride.web.api import STORED_HEADER
from tests.persistence.conftest import Clock
from tests.web.conftest import PASSWORD, add_user, api_token, sign_in

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def rows(services: Services) -> tuple[int, int]:
    with services.store.transaction() as session:
        assessments = session.scalar(select(func.count()).select_from(AssessmentRow))
        plans = session.scalar(select(func.count()).select_from(PlanRow))
    return int(assessments or 0), int(plans or 0)


def answers(example: str = "acute-strain.json") -> object:
    return json.loads((EXAMPLES / example).read_text(encoding="utf-8"))


def test_a_token_for_a_name_and_password(client: TestClient, services: Services) -> None:
    add_user(services, "ann")
    response = client.post("/api/v1/token", json={"username": "ann", "password": PASSWORD})
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"  # noqa: S105 (the scheme name)
    assert body["expires_in"] == 12 * 3600
    assert response.headers["cache-control"] == "no-store"
    status = client.get(
        "/api/v1/status", headers={"Authorization": f"Bearer {body['access_token']}"}
    )
    assert status.status_code == 200


@pytest.mark.parametrize(("name", "password"), [("ann", "wrong password!!"), ("nobody", PASSWORD)])
def test_a_wrong_name_or_password_gets_the_same_401(
    client: TestClient, services: Services, name: str, password: str
) -> None:
    add_user(services, "ann")
    response = client.post("/api/v1/token", json={"username": name, "password": password})
    assert response.status_code == 401
    assert response.json() == {"detail": "That name and password do not match an account."}
    assert response.headers["www-authenticate"] == "Bearer"


def test_a_token_request_without_fields_is_422_naming_them(client: TestClient) -> None:
    response = client.post("/api/v1/token", json={"username": ""})
    assert response.status_code == 422
    assert {tuple(d["loc"]) for d in response.json()["detail"]} == {
        ("body", "username"),
        ("body", "password"),
    }


def test_repeated_failures_are_429_with_retry_after(client: TestClient, services: Services) -> None:
    add_user(services, "ann")
    for _ in range(5):
        wrong = client.post("/api/v1/token", json={"username": "ann", "password": "x" * 12})
        assert wrong.status_code == 401
    refused = client.post("/api/v1/token", json={"username": "ann", "password": PASSWORD})
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) > 0


def test_tokens_expire(client: TestClient, services: Services, clock: Clock) -> None:
    add_user(services, "ann")
    headers = api_token(client, "ann")
    clock.now += timedelta(hours=12, minutes=1)
    response = client.get("/api/v1/status", headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_delete_revokes_the_token(client: TestClient, services: Services) -> None:
    add_user(services, "ann")
    headers = api_token(client, "ann")
    other = api_token(client, "ann")
    assert client.delete("/api/v1/token", headers=headers).status_code == 204
    assert client.get("/api/v1/status", headers=headers).status_code == 401
    assert client.delete("/api/v1/token", headers=headers).status_code == 401
    assert client.get("/api/v1/status", headers=other).status_code == 200, "only that one ends"


def test_delete_without_a_token_is_401(client: TestClient) -> None:
    assert client.delete("/api/v1/token").status_code == 401


def test_a_signed_in_browser_session_does_not_open_the_api(
    client: TestClient, services: Services
) -> None:
    add_user(services, "ann")
    sign_in(client, "ann")
    assert client.get("/account").status_code == 200, "the pages know the session"
    assert client.get("/api/v1/status").status_code == 401, "the API reads no cookies"


# -- assessments ------------------------------------------------------------------------------


def test_an_anonymous_assessment_stores_nothing(client: TestClient, services: Services) -> None:
    response = client.post("/api/v1/assessments", json=answers())
    assert response.status_code == 200
    assert STORED_HEADER.lower() not in response.headers
    assert rows(services) == (0, 0)


def test_a_persons_assessment_is_stored_with_a_plan(client: TestClient, services: Services) -> None:
    add_user(services, "ann")
    anonymous = client.post("/api/v1/assessments", json=answers()).json()
    response = client.post("/api/v1/assessments", json=answers(), headers=api_token(client, "ann"))
    assert response.status_code == 200
    assert response.json() == anonymous, "the body is the same as without an account"
    _, stored, _, plan, _ = services.records.history("ann")
    assert [a.id for a in stored] == [int(response.headers[STORED_HEADER])]
    assert stored[0].result == anonymous
    assert plan is not None
    assert plan.assessment_id == stored[0].id


def test_bad_answers_with_a_token_store_nothing(client: TestClient, services: Services) -> None:
    add_user(services, "ann")
    response = client.post(
        "/api/v1/assessments", json={"age": 130}, headers=api_token(client, "ann")
    )
    assert response.status_code == 422
    assert [d["loc"] for d in response.json()["detail"]] == [["body", "age"]]
    assert rows(services) == (0, 0)


def test_a_bad_token_on_an_assessment_is_401_not_silently_anonymous(
    client: TestClient, services: Services
) -> None:
    response = client.post(
        "/api/v1/assessments", json=answers(), headers={"Authorization": "Bearer not-a-token"}
    )
    assert response.status_code == 401
    assert rows(services) == (0, 0)


def test_a_clinicians_assessment_is_answered_but_not_stored(
    client: TestClient, services: Services
) -> None:
    add_user(services, "dr", Role.CLINICIAN)
    response = client.post("/api/v1/assessments", json=answers(), headers=api_token(client, "dr"))
    assert response.status_code == 200
    assert STORED_HEADER.lower() not in response.headers
    assert rows(services) == (0, 0)
