"""The JSON API fuzzed against its own OpenAPI schema (schemathesis, in-process over ASGI).

Every operation, anonymous and with a person's bearer token: no answer is a server error,
and every answer (status code, content type, body) is one the schema documents. Examples
are bounded so the whole file runs in well under a minute inside ``make test``.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import TYPE_CHECKING, cast

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from backstride.services.container import Services
from backstride.services.settings import Settings
from backstride.web.app import create_app
from backstride.web.config import WebConfig
from tests.web.conftest import SECRET, add_user, api_token

if TYPE_CHECKING:
    from schemathesis.specs.openapi.schemas import OpenApiCase


def _openapi() -> dict[str, object]:
    """The app's own schema. Building it reads only the routes, so the services are a
    stand-in here; every test case runs against a real app over a fresh database."""
    config = WebConfig(settings=Settings("sqlite://"), secret_key=SECRET)
    return create_app(config, cast(Services, SimpleNamespace())).openapi()


schema = schemathesis.openapi.from_dict(_openapi())

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def person_token(app: FastAPI, services: Services) -> dict[str, str]:
    """A person with an assessment, a plan and a check-in, signed in to the API."""
    person = add_user(services, "ann")
    services.keep_assessment(person, {"age": 45, "pain_now": 4, "saddle_numbness": False})
    with TestClient(app) as client:
        return api_token(client, "ann")


@schema.parametrize()
@FUZZ
def test_anonymous(case: OpenApiCase, app: FastAPI) -> None:
    case.call_and_validate(app=app, checks=CHECKS)


@schema.parametrize()
@FUZZ
def test_signed_in_person(case: OpenApiCase, app: FastAPI, person_token: dict[str, str]) -> None:
    headers = dict(case.headers or {})
    if "Authorization" not in headers and "authorization" not in headers:
        headers.update(person_token)
    case.call_and_validate(app=app, headers=headers, checks=CHECKS)
