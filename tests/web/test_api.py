"""The JSON API: health, assessments without an account, and 422s naming the field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel

from backstride.services.assessments import default_service
from backstride.services.records import _EntryInput as EntryContract
from backstride.services.records import _ExerciseInput as ExerciseContract
from backstride.web.schemas import DiaryEntryIn, ExerciseLogIn

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_health(client: TestClient) -> None:
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["content_version"] == default_service().content.version


@pytest.mark.parametrize(
    ("example", "urgency"),
    [("acute-strain.json", "self_care"), ("saddle-numbness.json", "emergency")],
)
def test_assessment_returns_the_contract_result(
    client: TestClient, example: str, urgency: str
) -> None:
    answers = json.loads((EXAMPLES / example).read_text(encoding="utf-8"))
    response = client.post("/api/v1/assessments", json=answers)
    assert response.status_code == 200
    body = response.json()
    assert body == default_service().assess(answers).to_contract()
    assert body["urgency"] == urgency


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"age": 130}, "age"),
        ({"fever": "yes"}, "fever"),
        ({"favourite": 1}, "favourite"),
        ([1, 2], "(answers)"),
        ("text", "(answers)"),
    ],
)
def test_bad_answers_are_422_naming_the_field(
    client: TestClient, payload: object, field: str
) -> None:
    response = client.post("/api/v1/assessments", json=payload)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert [d["loc"] for d in detail] == [["body", field]]
    assert "130" not in json.dumps(detail), "messages never repeat the value given"


def test_a_body_that_is_not_json_is_422(client: TestClient) -> None:
    response = client.post(
        "/api/v1/assessments", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422


def test_the_openapi_schema_documents_the_api(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert {"/api/v1/health", "/api/v1/assessments"} <= set(schema["paths"])
    assert "422" in schema["paths"]["/api/v1/assessments"]["post"]["responses"]


def test_no_page_loads_scripts_from_elsewhere(client: TestClient) -> None:
    assert client.get("/docs").status_code == 404
    assert client.get("/redoc").status_code == 404


#: Every operation of the API and the answers its schema must document.
DOCUMENTED = {
    ("get", "/api/v1/health"): {"200"},
    ("post", "/api/v1/token"): {"200", "400", "401", "422", "429"},
    ("delete", "/api/v1/token"): {"204", "401"},
    ("post", "/api/v1/assessments"): {"200", "400", "401", "422"},
    ("get", "/api/v1/diary"): {"200", "401", "403", "422"},
    ("post", "/api/v1/diary"): {"201", "400", "401", "403", "409", "422"},
    ("get", "/api/v1/status"): {"200", "401", "403"},
    ("post", "/api/v1/status/acknowledge"): {"200", "401", "403"},
    ("get", "/api/v1/plans/current"): {"200", "401", "403", "404"},
    ("get", "/api/v1/exports/fhir"): {"200", "401", "403"},
    ("get", "/api/v1/exports/csv"): {"200", "401", "403"},
    ("get", "/api/v1/exports/report.pdf"): {"200", "401", "403", "404"},
    ("get", "/api/v1/people/{person_id}/diary"): {"200", "401", "403", "422"},
    ("get", "/api/v1/people/{person_id}/status"): {"200", "401", "403", "422"},
    ("get", "/api/v1/people/{person_id}/exports/fhir"): {"200", "401", "403", "422"},
    ("get", "/api/v1/people/{person_id}/exports/csv"): {"200", "401", "403", "422"},
    ("get", "/api/v1/people/{person_id}/exports/report.pdf"): {"200", "401", "403", "404", "422"},
}


def test_the_openapi_schema_lists_every_route_with_its_answers(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    operations = {
        (method, path): op
        for path, item in schema["paths"].items()
        if path.startswith("/api/")
        for method, op in item.items()
    }
    assert set(operations) == set(DOCUMENTED)
    for key, codes in DOCUMENTED.items():
        op = operations[key]
        assert set(op["responses"]) == codes, key
        assert op.get("description") or op.get("summary"), key
    bearer = schema["components"]["securitySchemes"]["HTTPBearer"]
    assert bearer["scheme"] == "bearer"
    assert "security" in operations[("get", "/api/v1/status")]
    entry = schema["components"]["schemas"]["DiaryEntryIn"]
    assert {"day", "pain_now", "pain_walking", "walk_minutes"} <= set(entry["required"])
    status = operations[("get", "/api/v1/status")]["responses"]["200"]
    assert status["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/StatusOut"
    }


def test_the_check_in_body_declares_the_fields_of_the_diary_contract() -> None:
    """The API documents the service's check-in contract; the two cannot drift apart."""
    pairs: list[tuple[type[BaseModel], type[BaseModel]]] = [
        (DiaryEntryIn, EntryContract),
        (ExerciseLogIn, ExerciseContract),
    ]
    for documented, contract in pairs:
        assert {n: f.is_required() for n, f in documented.model_fields.items()} == {
            n: f.is_required() for n, f in contract.model_fields.items()
        }
