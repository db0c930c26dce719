"""The security log (ASVS V7): each event an investigation needs is written once, as JSON,
with the account's number and a pseudonym of the client, and never a name, a password, a
token, an address or anything about health."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from backstride.cli.logs import log_config
from backstride.domain.diary import Role
from backstride.services.container import Services
from backstride.services.security_log import EVENTS, LOGGER, SecurityLog
from tests.web.conftest import PASSWORD, add_user, api_token, new_client, sign_in, submit

WRONG = "wrong horse battery staple"


def events(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    lines = [r.getMessage() for r in caplog.records if r.name == LOGGER]
    return [json.loads(line) for line in lines]


def named(caplog: pytest.LogCaptureFixture, event: str) -> list[dict[str, Any]]:
    return [e for e in events(caplog) if e["event"] == event]


@pytest.fixture(autouse=True)
def _capture(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger=LOGGER)


def assert_private(caplog: pytest.LogCaptureFixture, *secrets: str) -> None:
    text = "\n".join(r.getMessage() for r in caplog.records if r.name == LOGGER)
    for secret in (*secrets, PASSWORD, WRONG, "testclient", "127.0.0.1"):
        assert secret not in text


def test_signing_in_and_failing_are_logged_without_names_or_passwords(
    client: TestClient, services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    ann = add_user(services, "ann-smith")
    caplog.clear()
    failed = submit(client, "/login", {"username": "ann-smith", "password": WRONG})
    assert failed.status_code == 401
    unknown = submit(client, "/login", {"username": WRONG, "password": PASSWORD})
    assert unknown.status_code == 401
    sign_in(client, "ann-smith")
    [wrong_password, no_account] = named(caplog, "sign_in_failed")
    assert wrong_password["account"] == ann.id
    assert no_account["account"] is None, "a name without an account is not repeated"
    [signed_in] = named(caplog, "sign_in")
    assert signed_in["account"] == ann.id
    assert signed_in["client"] == wrong_password["client"] != None  # noqa: E711
    assert [e["kind"] for e in named(caplog, "session_opened")] == ["web"]
    assert all(datetime.fromisoformat(e["at"]).tzinfo is not None for e in events(caplog))
    assert_private(caplog, "ann-smith")


def test_sign_ins_refused_by_the_rate_limit_are_logged(
    client: TestClient, services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    ann = add_user(services, "ann")
    limit = services.accounts.policy.max_failures_per_account
    for _ in range(limit + 1):
        client.post("/api/v1/token", json={"username": "ann", "password": WRONG})
    assert len(named(caplog, "sign_in_failed")) == limit
    [blocked] = named(caplog, "sign_in_blocked")
    assert blocked["account"] == ann.id
    assert_private(caplog, "ann")


def test_access_to_what_is_not_yours_is_logged_with_the_route_pattern(
    app: FastAPI, services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    ann = add_user(services, "ann")
    bob = add_user(services, "bob")
    lee = add_user(services, "dr-lee", Role.CLINICIAN)
    person, clinician = new_client(app), new_client(app)
    sign_in(person, "ann")
    sign_in(clinician, "dr-lee")
    caplog.clear()
    assert person.get("/clinician").status_code == 403
    assert clinician.get(f"/clinician/people/{bob.id}").status_code == 404
    headers = api_token(person, "ann")
    assert person.get(f"/api/v1/people/{bob.id}/diary", headers=headers).status_code == 403
    denied = named(caplog, "access_denied")
    assert [(e["account"], e["method"], e["route"]) for e in denied] == [
        (ann.id, "GET", "/clinician"),
        (lee.id, "GET", "/clinician/people/{person_id}"),
        (ann.id, "GET", "/api/v1/people/{person_id}/diary"),
    ]
    assert all(isinstance(e["client"], str) and len(e["client"]) >= 16 for e in denied)
    assert_private(caplog, "ann", "bob", "dr-lee")


def test_a_form_without_its_token_is_logged(
    client: TestClient, services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    ann = add_user(services, "ann")
    sign_in(client, "ann")
    caplog.clear()
    assert client.post("/checkin", data={"pain_now": "3"}).status_code == 403
    [rejected] = named(caplog, "csrf_rejected")
    assert (rejected["account"], rejected["route"]) == (ann.id, "/checkin")


def test_account_changes_are_logged(
    client: TestClient, services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    response = submit(
        client,
        "/signup",
        {"username": "cara", "password": PASSWORD, "password_again": PASSWORD},
    )
    assert response.status_code == 303
    [created] = named(caplog, "account_created")
    cara = created["account"]
    assert created["role"] == "person"
    code = services.accounts.reset_code("cara")
    bad = submit(client, "/reset", {"username": "cara", "code": "WRONG-CODE", "password": WRONG})
    assert bad.status_code == 422
    good = submit(client, "/reset", {"username": "cara", "code": code, "password": WRONG})
    assert good.status_code == 303
    sign_in(client, "cara", WRONG)
    assert submit(client, "/logout", {}, form_page="/account").status_code == 303
    sign_in(client, "cara", WRONG)
    deleted = submit(client, "/account/delete", {"password": WRONG}, form_page="/account")
    assert deleted.status_code == 303
    said = [(e["event"], e["account"]) for e in events(caplog)]
    for expected in (
        ("reset_code_issued", cara),
        ("password_reset_failed", cara),
        ("password_reset", cara),
        ("session_closed", cara),
        ("account_deleted", cara),
    ):
        assert expected in said
    assert_private(caplog, "cara", code)


def test_only_known_events_are_written() -> None:
    log = SecurityLog(lambda: datetime(2026, 11, 26, tzinfo=UTC))
    with pytest.raises(ValueError, match="unknown security event"):
        log.record("signed_in")
    assert "sign_in" in EVENTS


def test_serve_writes_the_security_log_to_standard_error() -> None:
    config = log_config()
    logger = config["loggers"][LOGGER]
    assert logger["level"] == "INFO"
    (handler,) = logger["handlers"]
    assert config["handlers"][handler]["stream"] == "ext://sys.stderr"
