"""A web app over a fresh SQLite database, clients for pages and the API, and helpers that
do what a browser does (read the CSRF token from the page, then post the form)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx2 import Response
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from backstride.domain.diary import Person, Role
from backstride.services.assessments import default_service
from backstride.services.container import Services
from backstride.services.settings import Settings
from backstride.web.app import create_app
from backstride.web.config import WebConfig
from tests.persistence.conftest import Clock

SECRET = "test-secret-" + "x" * 40
PASSWORD = "correct horse battery"  # noqa: S105 (test accounts)
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def cheap_hasher() -> PasswordHash:
    """Still argon2id, with tiny costs so tests stay fast."""
    return PasswordHash((Argon2Hasher(time_cost=1, memory_cost=1024, parallelism=1),))


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime.now(UTC))


@pytest.fixture
def services(tmp_path: Path, clock: Clock) -> Iterator[Services]:
    opened = Services.open(
        Settings(f"sqlite:///{tmp_path / 'web.db'}"),
        assessments=default_service(),
        clock=clock,
        hasher=cheap_hasher(),
    )
    yield opened
    opened.close()


@pytest.fixture
def config(tmp_path: Path) -> WebConfig:
    return WebConfig(settings=Settings(f"sqlite:///{tmp_path / 'web.db'}"), secret_key=SECRET)


@pytest.fixture
def app(config: WebConfig, services: Services) -> FastAPI:
    return create_app(config, services)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


def new_client(app: FastAPI) -> TestClient:
    """Another browser (its own cookies)."""
    return TestClient(app)


def csrf_token(client: TestClient, path: str) -> str:
    page = client.get(path)
    found = CSRF.search(page.text)
    assert found, f"{path} has no form with a CSRF token"
    return found.group(1)


def submit(
    client: TestClient, path: str, data: dict[str, str], *, form_page: str | None = None
) -> Response:
    """Post a form the way a browser does: load the page, then post with its token."""
    token = csrf_token(client, form_page or path)
    return client.post(path, data={**data, "csrf_token": token}, follow_redirects=False)


def add_user(services: Services, name: str, role: Role = Role.PERSON) -> Person:
    return services.accounts.sign_up(name, PASSWORD, role)


def sign_in(client: TestClient, name: str, password: str = PASSWORD) -> Response:
    response = submit(client, "/login", {"username": name, "password": password})
    assert response.status_code == 303, response.text
    return response


def api_token(client: TestClient, name: str, password: str = PASSWORD) -> dict[str, str]:
    response = client.post("/api/v1/token", json={"username": name, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}
