"""Sign-in, sessions and headers, from an attacker's side: a stolen cookie stops working at
sign-out, a new sign-in ends the old session, a password reset ends every session, guessing
is slowed per account and per address, messages do not tell which names exist, and every
kind of answer carries the security headers."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from backstride.domain.answers import ContractError
from backstride.services.container import Services
from backstride.web.app import create_app
from backstride.web.config import WebConfig
from backstride.web.security import CSP, SESSION_COOKIE
from tests.web.conftest import PASSWORD, add_user, api_token, new_client, sign_in, submit

ERROR_SUMMARY = re.compile(r'<div class="error-summary"[^>]*>(.*?)</div>', re.DOTALL)


def replay(app: FastAPI, token: str) -> int:
    """What another browser holding this session cookie gets from /account."""
    thief = new_client(app)
    thief.cookies.set(SESSION_COOKIE, token)
    return thief.get("/account", follow_redirects=False).status_code


def test_sign_out_ends_the_session_on_the_server(app: FastAPI, services: Services) -> None:
    add_user(services, "ann")
    client = new_client(app)
    sign_in(client, "ann")
    token = client.cookies[SESSION_COOKIE]
    assert replay(app, token) == 200
    assert submit(client, "/logout", {}, form_page="/account").status_code == 303
    assert replay(app, token) == 303  # a copied cookie is useless after sign-out


def test_signing_in_again_ends_the_previous_session(app: FastAPI, services: Services) -> None:
    add_user(services, "ann")
    client = new_client(app)
    sign_in(client, "ann")
    first = client.cookies[SESSION_COOKIE]
    submit(client, "/login", {"username": "ann", "password": PASSWORD}, form_page="/reset")
    assert client.cookies[SESSION_COOKIE] != first
    assert replay(app, first) == 303


def test_a_password_reset_ends_every_session_and_token(app: FastAPI, services: Services) -> None:
    add_user(services, "ann")
    client = new_client(app)
    sign_in(client, "ann")
    token = client.cookies[SESSION_COOKIE]
    headers = api_token(new_client(app), "ann")
    code = services.accounts.reset_code("ann")
    reset = submit(
        new_client(app),
        "/reset",
        {"username": "ann", "code": code, "password": "a brand new passphrase"},
    )
    assert reset.status_code == 303
    assert replay(app, token) == 303
    assert new_client(app).get("/api/v1/status", headers=headers).status_code == 401


def test_a_revoked_api_token_stops_working(app: FastAPI, services: Services) -> None:
    add_user(services, "ann")
    client = new_client(app)
    headers = api_token(client, "ann")
    assert client.delete("/api/v1/token", headers=headers).status_code == 204
    assert client.get("/api/v1/status", headers=headers).status_code == 401


def test_guessing_from_one_address_is_slowed_across_names(app: FastAPI, services: Services) -> None:
    """Spraying one password over many names hits the per-address limit."""
    client = new_client(app)
    limit = services.accounts.policy.max_failures_per_client
    answers = [
        client.post("/api/v1/token", json={"username": f"user{i}", "password": PASSWORD})
        for i in range(limit + 1)
    ]
    assert {a.status_code for a in answers[:limit]} == {401}
    assert answers[limit].status_code == 429
    assert int(answers[limit].headers["retry-after"]) > 0


def test_a_reset_does_not_tell_which_names_exist(app: FastAPI, services: Services) -> None:
    add_user(services, "ann")
    answers = [
        submit(
            new_client(app),
            "/reset",
            {"username": name, "code": "ABCDEFGHJK", "password": "a brand new passphrase"},
        )
        for name in ("ann", "nobody-here")
    ]
    assert [a.status_code for a in answers] == [422, 422]
    summaries = [ERROR_SUMMARY.search(a.text) for a in answers]
    assert summaries[0] is not None
    assert summaries[1] is not None
    assert summaries[0].group(1).replace("ann", "X") == summaries[1].group(1).replace(
        "nobody-here", "X"
    )


def test_the_session_cookie_is_httponly_and_samesite(app: FastAPI, services: Services) -> None:
    add_user(services, "ann")
    response = sign_in(new_client(app), "ann")
    cookie = next(
        c for c in response.headers.get_list("set-cookie") if c.startswith(SESSION_COOKIE)
    )
    flags = cookie.lower()
    assert "httponly" in flags
    assert "samesite=lax" in flags
    assert "path=/" in flags


def test_api_errors_never_repeat_what_was_sent(client: TestClient) -> None:
    secret = "my-secret-password-" + "x" * 200  # too long: refused
    response = client.post("/api/v1/token", json={"username": "ann", "password": secret})
    assert response.status_code == 422
    assert secret not in response.text
    assert response.json()["detail"][0]["loc"] == ["body", "password"]


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/", 200),
        ("GET", "/api/v1/health", 200),
        ("GET", "/api/v1/status", 401),
        ("POST", "/api/v1/token", 422),
        ("GET", "/no-such-page", 404),
        ("GET", "/programme", 303),
        ("GET", "/static/css/app.css", 200),
        ("GET", "/openapi.json", 200),
    ],
)
def test_every_kind_of_answer_has_the_security_headers(
    client: TestClient, method: str, path: str, status: int
) -> None:
    response = client.request(
        method, path, json={} if method == "POST" else None, follow_redirects=False
    )
    assert response.status_code == status
    assert response.headers["content-security-policy"] == CSP
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert "strict-transport-security" not in response.headers  # only behind TLS


def test_behind_tls_cookies_carry_the_host_prefix(services: Services, config: WebConfig) -> None:
    """`__Host-` cookies: Secure, the whole site, no Domain, so no other site under the same
    domain can plant a session or a draft (ASVS 3.4.4). Signing in and out work with them."""
    add_user(services, "ann")
    app = create_app(replace(config, secure=True), services)
    with TestClient(app, base_url="https://testserver") as browser:
        signed_in = sign_in(browser, "ann")
        cookies = signed_in.headers.get_list("set-cookie")
        session = next(c for c in cookies if c.startswith(f"__Host-{SESSION_COOKIE}="))
        flags = session.lower()
        assert "secure" in flags
        assert "path=/" in flags
        assert "domain=" not in flags
        assert not any(c.startswith(f"{SESSION_COOKIE}=") for c in cookies)
        assert browser.get("/account", follow_redirects=False).status_code == 200
        token = browser.cookies[f"__Host-{SESSION_COOKIE}"]
        with TestClient(app, base_url="https://testserver") as planted:
            planted.cookies.set(SESSION_COOKIE, token)
            assert planted.get("/account", follow_redirects=False).status_code == 303, (
                "behind TLS only the prefixed cookie signs anyone in"
            )
        out = submit(browser, "/logout", {}, form_page="/account")
        ended = next(c for c in out.headers.get_list("set-cookie") if "__Host-" in c).lower()
        assert "secure" in ended
        assert "max-age=0" in ended


def test_trying_name_after_name_at_sign_up_is_slowed_per_address(
    app: FastAPI, services: Services
) -> None:
    """Sign-up says when a name is taken (a person must choose another), so attempts from one
    address are limited, made or refused alike; another address is not affected."""
    add_user(services, "ann")
    limit = services.accounts.policy.max_signups_per_client
    prober = TestClient(app, client=("203.0.113.7", 40000))
    answers = []
    for number in range(limit + 1):
        name = "ann" if number % 2 else f"new-{number}"
        form = {"username": name, "password": PASSWORD, "password_again": PASSWORD}
        answers.append(submit(prober, "/signup", form).status_code)
        prober.cookies.clear()
    assert answers[:limit] == [303 if n % 2 == 0 else 422 for n in range(limit)]
    assert answers[limit] == 429
    blocked = submit(
        prober, "/signup", {"username": "new-x", "password": PASSWORD, "password_again": PASSWORD}
    )
    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) > 0
    assert "Too many accounts were tried from here" in blocked.text
    with pytest.raises(ContractError, match="no such user"):
        services.records.user("new-x")  # nothing was created once blocked
    neighbour = TestClient(app, client=("198.51.100.9", 40000))
    form = {"username": "cara", "password": PASSWORD, "password_again": PASSWORD}
    assert submit(neighbour, "/signup", form).status_code == 303
