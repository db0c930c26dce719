"""Signing up, in and out, resets, the account page, and what every response carries."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from backstride.domain.diary import Role
from backstride.services.container import Services
from backstride.services.demo import DEMO_PASSWORD, seed_demo
from backstride.services.settings import Settings
from backstride.services.walking_tests import WalkingTests
from backstride.web.app import create_app
from backstride.web.config import DEMO_SECRET, ConfigError, WebConfig
from backstride.web.security import CSP
from tests.persistence.conftest import Clock
from tests.web.conftest import PASSWORD, add_user, new_client, sign_in, submit


def test_pages_carry_the_security_headers(client: TestClient) -> None:
    response = client.get("/")
    assert response.headers["content-security-policy"] == CSP
    assert "unsafe-inline" not in CSP
    assert "frame-ancestors 'none'" in CSP
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"
    assert "strict-transport-security" not in response.headers


def test_hsts_and_secure_cookies_behind_tls(services: Services, config: WebConfig) -> None:
    secure = WebConfig(config.settings, config.secret_key, secure=True)
    with TestClient(create_app(secure, services), base_url="https://testserver") as client:
        response = client.get("/login")
        assert "max-age=" in response.headers["strict-transport-security"]
        assert "secure" in response.headers["set-cookie"].lower()


@pytest.mark.parametrize("secret", ["", "short", DEMO_SECRET])
def test_unsafe_secrets_are_refused_outside_demo_mode(secret: str) -> None:
    with pytest.raises(ConfigError, match="BACKSTRIDE_SECRET_KEY"):
        WebConfig.from_env({"BACKSTRIDE_SECRET_KEY": secret, "BACKSTRIDE_DATABASE_URL": "x"})
    demo = WebConfig.from_env({"BACKSTRIDE_DEMO": "1", "BACKSTRIDE_DATABASE_URL": "x"})
    assert demo.demo


def test_every_page_works_on_its_own(client: TestClient) -> None:
    for path in ("/", "/about", "/learn", "/login", "/signup", "/reset", "/assess"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "Emergency?" in response.text, "the emergency note is on every page"
        assert 'href="tel:' in response.text


def test_sign_up_signs_in_and_rotates_the_session(client: TestClient) -> None:
    response = submit(
        client, "/signup", {"username": "ann", "password": PASSWORD, "password_again": PASSWORD}
    )
    assert response.status_code == 303
    first = client.cookies["bs_session"]
    page = client.get("/account")
    assert page.status_code == 200
    assert "ann" in page.text
    submit(client, "/logout", {}, form_page="/account")
    assert client.get("/account", follow_redirects=False).status_code == 303
    sign_in(client, "ann")
    assert client.cookies["bs_session"] != first, "a new session on every sign-in"


def test_sign_up_errors_name_the_field(client: TestClient) -> None:
    response = submit(
        client, "/signup", {"username": "ann", "password": "short", "password_again": "short"}
    )
    assert response.status_code == 422
    assert 'id="password-error"' in response.text
    response = submit(
        client,
        "/signup",
        {"username": "ann", "password": PASSWORD, "password_again": PASSWORD + "!"},
    )
    assert response.status_code == 422
    assert "not the same" in response.text
    common = "password12345"  # refused: one of the most common passwords
    response = submit(
        client, "/signup", {"username": "ann", "password": common, "password_again": common}
    )
    assert response.status_code == 422
    error = re.search(r'id="password-error"[^>]*>(.*?)<', response.text, re.S)
    assert error is not None
    assert "too easy to guess" in error.group(1)
    assert common not in response.text  # neither repeated nor kept in the form
    assert client.get("/account", follow_redirects=False).status_code == 303  # no account


def test_sign_in_failure_does_not_say_which_part_is_wrong(
    client: TestClient, services: Services
) -> None:
    add_user(services, "ann")
    wrong = submit(client, "/login", {"username": "ann", "password": "wrong password!"})
    unknown = submit(client, "/login", {"username": "nobody", "password": PASSWORD})
    assert wrong.status_code == unknown.status_code == 401
    message = re.compile(r'<div class="error-summary"[^>]*><p>(.*?)</p>')
    said_wrong, said_unknown = message.search(wrong.text), message.search(unknown.text)
    assert said_wrong is not None
    assert said_unknown is not None
    assert said_wrong.group(1) == said_unknown.group(1)


def test_too_many_failures_are_429_with_retry_after(client: TestClient, services: Services) -> None:
    add_user(services, "ann")
    for _ in range(services.accounts.policy.max_failures_per_account):
        submit(client, "/login", {"username": "ann", "password": "wrong password!"})
    response = submit(client, "/login", {"username": "ann", "password": PASSWORD})
    assert response.status_code == 429
    assert int(response.headers["retry-after"]) > 0


def test_forms_without_a_valid_token_are_refused(client: TestClient, services: Services) -> None:
    add_user(services, "ann")
    client.get("/login")
    response = client.post("/login", data={"username": "ann", "password": PASSWORD})
    assert response.status_code == 403
    other = new_client(client.app)  # type: ignore[arg-type]
    other.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
    assert token
    stolen = other.post(
        "/login", data={"username": "ann", "password": PASSWORD, "csrf_token": token.group(1)}
    )
    assert stolen.status_code == 403, "a token is bound to its own visitor"


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil"])
def test_sign_in_never_redirects_off_site(
    client: TestClient, services: Services, target: str
) -> None:
    add_user(services, "ann")
    response = submit(client, "/login", {"username": "ann", "password": PASSWORD, "next": target})
    assert response.headers["location"] == "/programme"


def test_pages_need_sign_in_and_the_right_role(app: FastAPI, services: Services) -> None:
    add_user(services, "ann")
    add_user(services, "dr", Role.CLINICIAN)
    anonymous = new_client(app)
    response = anonymous.get("/account", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/account"
    doctor = new_client(app)
    sign_in(doctor, "dr")
    assert doctor.get("/account/export.json").status_code == 403


def test_password_reset_with_a_code(client: TestClient, services: Services) -> None:
    add_user(services, "ann")
    code = services.accounts.reset_code("ann")
    bad = submit(
        client, "/reset", {"username": "ann", "code": "WRONG-CODE1", "password": "new passphrase 1"}
    )
    assert bad.status_code == 422
    good = submit(
        client, "/reset", {"username": "ann", "code": code, "password": "new passphrase 1"}
    )
    assert good.headers["location"] == "/login?reset=1"
    sign_in(client, "ann", "new passphrase 1")


def test_a_person_links_to_a_clinician_with_an_invitation(app: FastAPI, services: Services) -> None:
    add_user(services, "ann")
    add_user(services, "dr", Role.CLINICIAN)
    doctor = new_client(app)
    sign_in(doctor, "dr")
    page = submit(doctor, "/account/invite", {}, form_page="/account")
    code = re.search(r'id="invitation-code">([A-Z0-9-]+)<', page.text)
    assert code
    patient = new_client(app)
    sign_in(patient, "ann")
    wrong = submit(patient, "/account/link", {"code": "AAAAA-AAAAA"}, form_page="/account")
    assert wrong.status_code == 422
    linked = submit(patient, "/account/link", {"code": code.group(1)}, form_page="/account")
    assert linked.status_code == 200
    assert "linked to dr" in linked.text
    assert [p.name for p in services.records.linked_people("dr")] == ["ann"]


def test_a_person_stops_sharing_with_a_clinician(
    app: FastAPI, services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    ann = add_user(services, "ann")
    dr = add_user(services, "dr", Role.CLINICIAN)
    add_user(services, "dr-other", Role.CLINICIAN)
    services.records.link("dr", "ann")
    services.records.link("dr-other", "ann")
    doctor = new_client(app)
    sign_in(doctor, "dr")
    assert doctor.get(f"/clinician/people/{ann.id}").status_code == 200
    patient = new_client(app)
    sign_in(patient, "ann")
    assert "Stop sharing with dr</button>" in patient.get("/account").text

    with caplog.at_level("INFO", logger="backstride.security"):
        page = submit(
            patient, "/account/unlink", {"clinician_id": str(dr.id)}, form_page="/account"
        )
    assert page.status_code == 200
    assert "dr can no longer see your records" in page.text
    assert [c.name for c in services.records.clinicians_of("ann")] == ["dr-other"]
    # The clinician's page and list lose the person at once.
    assert doctor.get(f"/clinician/people/{ann.id}").status_code == 404
    assert ">ann</a>" not in doctor.get("/clinician").text
    # Written down for the person, and in the security log (numbers only).
    assert "You stopped sharing your records with dr" in page.text
    [line] = [r.getMessage() for r in caplog.records if "clinician_unlinked" in r.getMessage()]
    assert f'"clinician":{dr.id}' in line
    assert "ann" not in line
    # Again, or a clinician never linked: nothing to stop.
    again = submit(patient, "/account/unlink", {"clinician_id": str(dr.id)}, form_page="/account")
    assert "could already not see your records" in again.text
    assert [c.name for c in services.records.clinicians_of("ann")] == ["dr-other"]


def test_export_and_delete_my_account(client: TestClient, services: Services) -> None:
    add_user(services, "ann")
    sign_in(client, "ann")
    export = client.get("/account/export.json")
    assert export.status_code == 200
    assert export.json()["resourceType"] == "Bundle"
    assert "attachment" in export.headers["content-disposition"]
    refused = submit(
        client, "/account/delete", {"password": "wrong password!"}, form_page="/account"
    )
    assert refused.status_code == 422
    assert services.accounts.person(1) is not None
    deleted = submit(client, "/account/delete", {"password": PASSWORD}, form_page="/account")
    assert deleted.headers["location"] == "/?deleted=1"
    assert services.accounts.person(1) is None
    assert client.get("/account", follow_redirects=False).status_code == 303


def test_the_demo_is_seeded_once_and_labelled(services: Services) -> None:
    assert seed_demo(services) is True
    assert seed_demo(services) is False
    entries = services.records.entries("demo-person")
    assert 14 <= len(entries) <= 21
    # A walking test each of the last three weeks, pain coming later each week.
    tests = WalkingTests(services.records).tests("demo-person")
    assert [t.time_to_first_symptom_s for t in tests] == [480.0, 600.0, 720.0]
    assert all(t.total_time_s <= 15 * 60 for t in tests)  # the test stops itself at 15 min
    assert all(entries[0].day <= t.day <= entries[-1].day for t in tests)
    config = WebConfig(Settings("sqlite://"), DEMO_SECRET, demo=True)
    with TestClient(create_app(config, services)) as client:
        assert "made-up sample data" in client.get("/").text
        sign_in(client, "demo-clinician", DEMO_PASSWORD)
        assert client.get("/account").status_code == 200


def test_the_icon_is_served(client: TestClient) -> None:
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200
    assert icon.headers["content-type"].startswith("image/svg+xml")


def test_changing_my_password_signs_out_everywhere_else(
    app: FastAPI, client: TestClient, services: Services
) -> None:
    add_user(services, "ann")
    sign_in(client, "ann")
    other = new_client(app)
    sign_in(other, "ann")
    wrong = submit(
        client,
        "/account/password",
        {"current_password": "not my password", "new_password": "a brand new passphrase"},
        form_page="/account",
    )
    assert wrong.status_code == 422
    assert "not your current password" in wrong.text
    short = submit(
        client,
        "/account/password",
        {"current_password": PASSWORD, "new_password": "short"},
        form_page="/account",
    )
    assert short.status_code == 422
    changed = submit(
        client,
        "/account/password",
        {"current_password": PASSWORD, "new_password": "a brand new passphrase"},
        form_page="/account",
    )
    assert changed.status_code == 303
    page = client.get(changed.headers["location"])
    assert page.status_code == 200, "this browser stays signed in"
    assert "Your password is changed" in page.text
    assert "This browser" in page.text, "its new session is listed"
    assert "Another browser" not in page.text
    assert other.get("/account", follow_redirects=False).status_code == 303
    sign_in(new_client(app), "ann", "a brand new passphrase")


def test_web_sessions_end_after_twelve_hours(
    client: TestClient, services: Services, clock: Clock
) -> None:
    add_user(services, "ann")
    sign_in(client, "ann")
    clock.now += timedelta(hours=12, seconds=1)
    assert client.get("/account", follow_redirects=False).status_code == 303
