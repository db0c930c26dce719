"""Where am I signed in: the account page lists one's own browsers and API tokens, and signs
out any of them, or all but this one (OWASP ASVS 3.3.4)."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient

from backstride.services.container import Services
from tests.persistence.conftest import Clock
from tests.web.conftest import add_user, api_token, new_client, sign_in, submit

HANDLE = re.compile(r'name="handle" value="([0-9a-f]+)"')


def handles(client: TestClient) -> list[str]:
    return HANDLE.findall(client.get("/account").text)


def test_the_account_page_lists_where_i_am_signed_in(app: FastAPI, services: Services) -> None:
    add_user(services, "ann")
    phone, laptop = new_client(app), new_client(app)
    sign_in(phone, "ann")
    sign_in(laptop, "ann")
    api_token(laptop, "ann")
    page = phone.get("/account").text
    assert "This browser" in page
    assert page.count("Another browser") == 1
    assert "An app or script (API token)" in page
    assert len(handles(phone)) == 2, "every session but this one has a sign-out button"
    assert "Sign out everywhere else" in page


def test_signing_out_another_browser_ends_only_that_session(
    app: FastAPI, services: Services
) -> None:
    add_user(services, "ann")
    phone, laptop = new_client(app), new_client(app)
    sign_in(phone, "ann")
    sign_in(laptop, "ann")
    [laptop_handle] = handles(phone)
    ended = submit(phone, "/account/sessions/end", {"handle": laptop_handle}, form_page="/account")
    assert ended.status_code == 200
    assert "Signed out there." in ended.text
    assert laptop.get("/account", follow_redirects=False).status_code == 303, "laptop signed out"
    assert phone.get("/account").status_code == 200, "this browser stays signed in"
    again = submit(phone, "/account/sessions/end", {"handle": laptop_handle}, form_page="/account")
    assert "That was already signed out." in again.text


def test_nobody_can_sign_out_someone_elses_session(app: FastAPI, services: Services) -> None:
    add_user(services, "ann")
    add_user(services, "bob")
    ann_phone, ann_laptop, bob = new_client(app), new_client(app), new_client(app)
    sign_in(ann_phone, "ann")
    sign_in(ann_laptop, "ann")
    sign_in(bob, "bob")
    [ann_laptop_handle] = handles(ann_phone)
    answer = submit(
        bob, "/account/sessions/end", {"handle": ann_laptop_handle}, form_page="/account"
    )
    assert "That was already signed out." in answer.text
    assert ann_laptop.get("/account").status_code == 200, "ann's laptop is still signed in"


def test_signing_out_everywhere_else(app: FastAPI, services: Services) -> None:
    add_user(services, "ann")
    phone, laptop, tablet = new_client(app), new_client(app), new_client(app)
    for browser in (phone, laptop, tablet):
        sign_in(browser, "ann")
    headers = api_token(tablet, "ann")
    answer = submit(phone, "/account/sessions/end-others", {}, form_page="/account")
    assert "Signed out everywhere else (3 places)." in answer.text
    assert laptop.get("/account", follow_redirects=False).status_code == 303
    assert tablet.get("/api/v1/status", headers=headers).status_code == 401
    assert phone.get("/account").status_code == 200
    assert handles(phone) == []
    alone = submit(phone, "/account/sessions/end-others", {}, form_page="/account")
    assert "You were not signed in anywhere else." in alone.text


def test_expired_sessions_are_not_listed(services: Services, clock: Clock) -> None:
    ann = add_user(services, "ann")
    current = services.accounts.open_session(ann, "web")
    services.accounts.open_session(ann, "api")
    listed = services.accounts.sessions(ann, current)
    assert sorted((s.kind, s.current) for s in listed) == [("api", False), ("web", True)]
    clock.now += services.accounts.policy.web_session + timedelta(minutes=1)
    assert services.accounts.sessions(ann, current) == []
