"""Who may do what, over every route of the app and every kind of visitor.

``ROUTES`` classifies every route and method the app serves (pages, API, static files). The
first test enumerates ``app.routes`` and fails when a route is missing from the table (or the
table names a route that is gone), so a new route cannot be added without deciding who may
use it. Then each route is called by six visitors over a database with real records:

* anonymous;
* person A and person B, each with an assessment, a programme, check-ins and a walking test;
* a clinician linked to A, and a clinician linked to nobody;
* an admin (the admin's actions are CLI commands: there is no admin-only route, so the
  admin must simply get no patient data anywhere).

Each answer is checked against the access rule: sign-in first (303 to /login for pages, 401
for the API), 403 for the wrong kind of account, 403/404 for someone else's id, and the
route's own answer otherwise. No visitor's answer may contain the records of a person that
visitor may not see (each person's diary note carries a unique marker).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import Enum
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx2 import Response
from starlette.routing import Mount

from backstride.domain.diary import Person, Role
from backstride.persistence import walking_tests as walking_repo
from backstride.services.assessments import default_service
from backstride.services.container import Services
from backstride.services.settings import Settings
from backstride.web.app import create_app
from backstride.web.config import WebConfig
from backstride.web.deps import check_csrf, check_csrf_header
from tests.persistence.conftest import Clock
from tests.web.conftest import (
    PASSWORD,
    SECRET,
    add_user,
    api_token,
    cheap_hasher,
    csrf_token,
    new_client,
    sign_in,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


class Access(Enum):
    STATIC = "static files: anyone"
    ANYONE = "page anyone may use"
    SIGNED_IN = "page for any signed-in account"
    PERSON = "page for people keeping a diary (their own data only)"
    CLINICIAN = "page for clinicians"
    ADMIN = "page for admins"  # none exists: admins act through the CLI
    OWN_BY_ID = "page showing one of the person's own records by id"
    LINKED_BY_ID = "clinician page about a linked person, by id"
    API_ANYONE = "API: no token needed"
    API_OPTIONAL = "API: anyone; a token, when sent, must be valid"
    API_SIGNED_IN = "API: any valid token"
    API_PERSON = "API: a person's token, their own data only"
    API_OWN_OR_LINKED = "API: a person's own id, or a linked clinician's"


@dataclass(frozen=True)
class Call:
    """How a route is called, and what it answers when the visitor may use it."""

    access: Access
    ok: frozenset[int]
    form: dict[str, str] | None = None  # a form POST (sent with the visitor's CSRF token)
    body: Any = None  # a JSON body
    csrf_header: bool = False  # the page script's JSON POST (token in X-CSRF-Token)


def call(
    access: Access,
    *ok: int,
    form: dict[str, str] | None = None,
    body: Any = None,
    csrf_header: bool = False,
) -> Call:
    return Call(access, frozenset(ok or (200,)), form, body, csrf_header)


ANSWERS = json.loads((EXAMPLES / "acute-strain.json").read_text(encoding="utf-8"))
TODAY_ENTRY = {
    "day": "{today}",
    "pain_now": 3,
    "pain_walking": 4,
    "walk_minutes": 20,
    "red_flag": False,
}

#: Every route and method the app serves, and who may use it.
ROUTES: dict[tuple[str, str], Call] = {
    ("MOUNT", "/static"): call(Access.STATIC),
    ("GET", "/favicon.ico"): call(Access.STATIC, 301),
    ("GET", "/openapi.json"): call(Access.API_ANYONE),
    ("HEAD", "/openapi.json"): call(Access.API_ANYONE),
    # -- public pages
    ("GET", "/"): call(Access.ANYONE),
    ("GET", "/about"): call(Access.ANYONE),
    ("GET", "/learn"): call(Access.ANYONE),
    ("GET", "/learn/{page_id}"): call(Access.ANYONE),
    ("GET", "/illustrations/{exercise_id}.svg"): call(Access.ANYONE),
    ("GET", "/assess"): call(Access.ANYONE),
    ("GET", "/assess/result"): call(Access.ANYONE, 303),
    ("GET", "/assess/{section_id}"): call(Access.ANYONE),
    ("POST", "/assess/restart"): call(Access.ANYONE, 303, form={}),
    ("POST", "/assess/{section_id}"): call(Access.ANYONE, 303, 422, form={}),
    ("GET", "/signup"): call(Access.ANYONE, 200, 303),
    ("POST", "/signup"): call(
        Access.ANYONE,
        303,
        form={"username": "{new_name}", "password": PASSWORD, "password_again": PASSWORD},
    ),
    ("GET", "/login"): call(Access.ANYONE, 200, 303),
    ("POST", "/login"): call(Access.ANYONE, 303, form={"username": "{me}", "password": PASSWORD}),
    ("POST", "/logout"): call(Access.ANYONE, 303, form={}),
    ("GET", "/reset"): call(Access.ANYONE),
    ("POST", "/reset"): call(
        Access.ANYONE, 422, form={"username": "{me}", "code": "WRONG-CODE", "password": PASSWORD}
    ),
    # -- any account
    ("GET", "/account"): call(Access.SIGNED_IN),
    # A wrong password: the route is reached (422) and nothing is deleted.
    ("POST", "/account/delete"): call(Access.SIGNED_IN, 422, form={"password": "not the password"}),
    ("POST", "/account/password"): call(
        Access.SIGNED_IN,
        422,
        form={"current_password": "not the password", "new_password": "a new long passphrase"},
    ),
    # A handle that names no session: the route is reached and nothing ends.
    ("POST", "/account/sessions/end"): call(Access.SIGNED_IN, form={"handle": "0" * 20}),
    ("POST", "/account/sessions/end-others"): call(Access.SIGNED_IN, form={}),
    # -- a person's own pages
    ("GET", "/programme"): call(Access.PERSON),
    ("POST", "/programme/done"): call(
        Access.PERSON, 303, form={"exercise_id": "{exercise_id}", "pain_during": "2"}
    ),
    ("GET", "/programme.ics"): call(Access.PERSON),
    ("GET", "/programme.pdf"): call(Access.PERSON),
    ("GET", "/checkin"): call(Access.PERSON),
    ("POST", "/checkin"): call(
        Access.PERSON,
        303,
        form={
            "pain_now": "3",
            "pain_walking": "4",
            "walk_minutes": "20",
            "red_flag": "no",
            "note": "fine",
        },
    ),
    ("POST", "/escalations/acknowledge"): call(Access.PERSON, 303, form={}),
    ("GET", "/progress"): call(Access.PERSON),
    ("GET", "/report.pdf"): call(Access.PERSON),
    ("GET", "/diary.csv"): call(Access.PERSON),
    ("GET", "/account/export.json"): call(Access.PERSON),
    ("POST", "/account/link"): call(Access.PERSON, 422, form={"code": "NOT-A-CODE"}),
    # A clinician id that is nobody: the route is reached and no link ends.
    ("POST", "/account/unlink"): call(Access.PERSON, form={"clinician_id": "999999"}),
    ("GET", "/walk-test"): call(Access.PERSON),
    ("POST", "/walk-test"): call(Access.PERSON, 422, body={"t_s": []}, csrf_header=True),
    ("GET", "/walk-test/{test_id}"): call(Access.OWN_BY_ID),
    # -- a clinician's pages
    ("GET", "/clinician"): call(Access.CLINICIAN),
    ("POST", "/account/invite"): call(Access.CLINICIAN, form={}),
    ("GET", "/clinician/people/{person_id}"): call(Access.LINKED_BY_ID),
    ("GET", "/clinician/people/{person_id}/report.pdf"): call(Access.LINKED_BY_ID),
    ("GET", "/clinician/people/{person_id}/records.json"): call(Access.LINKED_BY_ID),
    ("GET", "/clinician/people/{person_id}/diary.csv"): call(Access.LINKED_BY_ID),
    # Each route is tried on a world of its own: removing A here changes no other route.
    ("POST", "/clinician/people/{person_id}/remove"): call(Access.LINKED_BY_ID, 303, form={}),
    ("POST", "/clinician/people/{person_id}/plan"): call(
        Access.LINKED_BY_ID,
        303,
        form={"action": "remove", "exercise_id": "{exercise_id}"},
    ),
    # -- the API
    ("GET", "/api/v1/health"): call(Access.API_ANYONE),
    ("POST", "/api/v1/token"): call(
        Access.API_ANYONE, body={"username": "{me}", "password": PASSWORD}
    ),
    ("DELETE", "/api/v1/token"): call(Access.API_SIGNED_IN, 204),
    ("POST", "/api/v1/assessments"): call(Access.API_OPTIONAL, body=ANSWERS),
    ("GET", "/api/v1/diary"): call(Access.API_PERSON),
    ("POST", "/api/v1/diary"): call(Access.API_PERSON, 201, body=TODAY_ENTRY),
    ("GET", "/api/v1/status"): call(Access.API_PERSON),
    ("POST", "/api/v1/status/acknowledge"): call(Access.API_PERSON),
    ("GET", "/api/v1/plans/current"): call(Access.API_PERSON),
    ("GET", "/api/v1/exports/fhir"): call(Access.API_PERSON),
    ("GET", "/api/v1/exports/csv"): call(Access.API_PERSON),
    ("GET", "/api/v1/exports/report.pdf"): call(Access.API_PERSON),
    ("GET", "/api/v1/people/{person_id}/diary"): call(Access.API_OWN_OR_LINKED),
    ("GET", "/api/v1/people/{person_id}/status"): call(Access.API_OWN_OR_LINKED),
    ("GET", "/api/v1/people/{person_id}/exports/fhir"): call(Access.API_OWN_OR_LINKED),
    ("GET", "/api/v1/people/{person_id}/exports/csv"): call(Access.API_OWN_OR_LINKED),
    ("GET", "/api/v1/people/{person_id}/exports/report.pdf"): call(Access.API_OWN_OR_LINKED),
}

# -- the app's routes --------------------------------------------------------------------------


def _flatten(routes: Iterable[Any]) -> Iterator[Any]:
    """Routes, looking inside included routers (FastAPI >= 0.120 keeps them nested)."""
    for route in routes:
        nested = getattr(route, "effective_candidates", None)
        if nested is not None:
            yield from _flatten(nested() if callable(nested) else nested)
        else:
            yield route


def served(app: FastAPI) -> dict[tuple[str, str], Any]:
    """(method, path) of every route the app serves; mounts as ("MOUNT", path)."""
    found: dict[tuple[str, str], Any] = {}
    for route in _flatten(app.routes):
        if isinstance(route, Mount):
            found["MOUNT", route.path] = route
            continue
        for method in getattr(route, "methods", None) or ():
            found[method, route.path] = route
    return found


def _calls(dependant: Any) -> Iterator[Any]:
    yield dependant.call
    for sub in dependant.dependencies:
        yield from _calls(sub)


def test_every_route_is_classified(app: FastAPI) -> None:
    routes = served(app)
    unclassified = sorted(set(routes) - set(ROUTES))
    assert not unclassified, f"classify these routes in ROUTES: {unclassified}"
    stale = sorted(set(ROUTES) - set(routes))
    assert not stale, f"ROUTES names routes the app no longer serves: {stale}"


def test_every_page_post_checks_a_csrf_token(app: FastAPI) -> None:
    """Every state-changing page route carries the CSRF check (the API uses bearer tokens
    and never reads cookies, so it needs none)."""
    for (method, path), route in served(app).items():
        if method in {"GET", "HEAD", "MOUNT"} or path.startswith("/api/"):
            continue
        checks = set(_calls(route.dependant))
        assert checks & {check_csrf, check_csrf_header}, f"{method} {path} has no CSRF check"
        assert (check_csrf_header in checks) == ROUTES[method, path].csrf_header, path


def test_no_route_is_admin_only_and_the_table_says_so() -> None:
    """The admin's actions (reset codes, passwords) are CLI commands: no admin web route."""
    assert not [key for key, c in ROUTES.items() if c.access is Access.ADMIN]


# -- the world: two people with records, two clinicians, an admin ------------------------------

ACTORS = ("anonymous", "person_a", "person_b", "clinician_a", "clinician_other", "admin")
NAMES = {
    "person_a": "ann-a",
    "person_b": "bob-b",
    "clinician_a": "dr-linked",
    "clinician_other": "dr-other",
    "admin": "root-admin",
}
ROLES = {
    "person_a": Role.PERSON,
    "person_b": Role.PERSON,
    "clinician_a": Role.CLINICIAN,
    "clinician_other": Role.CLINICIAN,
    "admin": Role.ADMIN,
}
#: Unique text in each person's diary: it must never reach anyone not allowed to see it.
MARKERS = {"person_a": "zq-marker-of-ann-4711", "person_b": "zq-marker-of-bob-0815"}


@dataclass
class World:
    app: FastAPI
    services: Services
    people: dict[str, Person]
    walking_tests: dict[str, int]
    exercise_id: str
    pages: dict[str, TestClient] = field(default_factory=dict)
    tokens: dict[str, dict[str, str]] = field(default_factory=dict)


def _walking_test(services: Services, person: Person, marker: str) -> int:
    now = datetime.now(UTC)
    values = {
        "day": now.date(),
        "recorded_at": now,
        "time_to_first_symptom_s": 300.0,
        "distance_to_first_symptom_m": 350.0,
        "walking_time_s": 420.0,
        "distance_m": 480.0,
        "total_time_s": 430.0,
        "stop_reason": "pain",
        "recovery_s": 90.0,
        "steps": 700,
        "cadence_spm": 100.0,
        "speed_mps": 1.1,
        "sampling_rate_hz": 100.0,
        "detail": {"bouts": [], "quality": [{"code": "note", "message": marker}], "height_m": 1.7},
    }
    with services.store.transaction() as session:
        return walking_repo.add_walking_test(session, person.id, values).id


def build_world(app: FastAPI, services: Services) -> World:
    people = {actor: add_user(services, NAMES[actor], ROLES[actor]) for actor in NAMES}
    tests: dict[str, int] = {}
    for actor, marker in MARKERS.items():
        person = people[actor]
        services.keep_assessment(person, ANSWERS)
        for days_ago in (3, 2, 1):
            day = date.today() - timedelta(days=days_ago)
            services.records.add_entry(
                person.name,
                {
                    "day": day,
                    "pain_now": 4,
                    "pain_walking": 5,
                    "walk_minutes": 15,
                    "red_flag": False,
                    "note": marker,
                },
            )
        tests[actor] = _walking_test(services, person, marker)
    services.records.link(NAMES["clinician_a"], NAMES["person_a"])
    plan = services.records.history(NAMES["person_a"])[3]
    assert plan is not None
    built = World(app, services, people, tests, plan.plan["exercises"][0]["id"])
    built.pages["anonymous"] = new_client(app)
    api = new_client(app)
    for actor, name in NAMES.items():
        built.pages[actor] = new_client(app)
        sign_in(built.pages[actor], name)
        built.tokens[actor] = api_token(api, name)
    return built


@pytest.fixture
def world(app: FastAPI, services: Services) -> World:
    """A world of its own, for a test that changes things."""
    return build_world(app, services)


@pytest.fixture(scope="module")
def shared_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """One world for all the read-only routes (building one per route is slow)."""
    folder = tmp_path_factory.mktemp("shared")
    services = Services.open(
        Settings(f"sqlite:///{folder / 'web.db'}"),
        assessments=default_service(),
        clock=Clock(datetime.now(UTC)),
        hasher=cheap_hasher(),
    )
    config = WebConfig(settings=Settings(f"sqlite:///{folder / 'web.db'}"), secret_key=SECRET)
    yield build_world(create_app(config, services), services)
    services.close()


READS = {"GET", "HEAD", "MOUNT"}


# -- what each visitor may do ------------------------------------------------------------------

LOGIN = "login"  # pages: 303 to /login?next=...
OK = "ok"  # the route's own answer (Call.ok)
PEOPLE = {"person_a", "person_b"}
CLINICIANS = {"clinician_a", "clinician_other"}


def expected(access: Access, actor: str, target: str | None) -> str | int:
    """What ``actor`` must get from a route with this access rule, about ``target`` (the
    owner of the id in the path, "missing" for an id nobody has, None for no id)."""
    anonymous = actor == "anonymous"
    rules: dict[Access, Callable[[], str | int]] = {
        Access.STATIC: lambda: OK,
        Access.ANYONE: lambda: OK,
        Access.API_ANYONE: lambda: OK,
        Access.API_OPTIONAL: lambda: OK,
        Access.SIGNED_IN: lambda: LOGIN if anonymous else OK,
        Access.PERSON: lambda: LOGIN if anonymous else OK if actor in PEOPLE else 403,
        Access.CLINICIAN: lambda: LOGIN if anonymous else OK if actor in CLINICIANS else 403,
        Access.OWN_BY_ID: lambda: (
            LOGIN if anonymous else (OK if target == actor else 404) if actor in PEOPLE else 403
        ),
        Access.LINKED_BY_ID: lambda: (
            LOGIN
            if anonymous
            else (OK if (actor, target) == ("clinician_a", "person_a") else 404)
            if actor in CLINICIANS
            else 403
        ),
        Access.API_SIGNED_IN: lambda: 401 if anonymous else OK,
        Access.API_PERSON: lambda: 401 if anonymous else OK if actor in PEOPLE else 403,
        Access.API_OWN_OR_LINKED: lambda: (
            401
            if anonymous
            else OK
            if target == actor or (actor, target) == ("clinician_a", "person_a")
            else 403
        ),
    }
    return rules[access]()


def may_see(actor: str, owner: str) -> bool:
    return actor == owner or (actor, owner) == ("clinician_a", "person_a")


def _targets(path: str) -> tuple[str | None, ...]:
    if "{person_id}" in path or "{test_id}" in path:
        return ("person_a", "person_b", "missing")
    return (None,)


def _fill(text: str, world: World, actor: str, target: str | None) -> str:
    person_id = world.people[target].id if target in world.people else 999_999
    test_id = world.walking_tests.get(target or "", 999_999)
    values = {
        "person_id": str(person_id),
        "test_id": str(test_id),
        "section_id": "urgent_signs",
        "page_id": "hurt_is_not_harm",
        "exercise_id": world.exercise_id,
        "me": NAMES.get(actor, NAMES["person_a"]),  # anonymous signs in as A
        "new_name": f"new-{actor}",
        "today": date.today().isoformat(),
    }
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


def _filled(value: Any, world: World, actor: str, target: str | None) -> Any:
    if isinstance(value, str):
        return _fill(value, world, actor, target)
    if isinstance(value, dict):
        return {k: _filled(v, world, actor, target) for k, v in value.items()}
    return value


def send(world: World, key: tuple[str, str], actor: str, target: str | None) -> Response:
    method, template = key
    spec = ROUTES[key]
    path = _fill(template, world, actor, target)
    if method == "MOUNT":
        return world.pages[actor].get(path + "/css/app.css")
    if path.startswith("/api/") or path == "/openapi.json":
        client = new_client(world.app)  # no cookies: the API reads bearer tokens only
        headers = world.tokens.get(actor, {})
        return client.request(
            method, path, headers=headers, json=_filled(spec.body, world, actor, target)
        )
    client = world.pages[actor]
    if spec.csrf_header:
        token = csrf_token(client, "/reset")
        return client.post(
            path,
            json=_filled(spec.body, world, actor, target),
            headers={"x-csrf-token": token},
            follow_redirects=False,
        )
    if spec.form is not None:
        token = csrf_token(client, "/reset")
        data = {**_filled(spec.form, world, actor, target), "csrf_token": token}
        return client.post(path, data=data, follow_redirects=False)
    return client.request(method, path, follow_redirects=False)


def _text(response: Response) -> str:
    kind = response.headers.get("content-type", "")
    return "" if kind.startswith("application/pdf") else response.text


@pytest.mark.parametrize("key", sorted(ROUTES), ids=lambda key: f"{key[0]} {key[1]}")
def test_who_may_use_each_route(request: pytest.FixtureRequest, key: tuple[str, str]) -> None:
    world: World = request.getfixturevalue("shared_world" if key[0] in READS else "world")
    spec = ROUTES[key]
    for actor in ACTORS:
        for target in _targets(key[1]):
            response = send(world, key, actor, target)
            want = expected(spec.access, actor, target)
            where = f"{key[0]} {key[1]} as {actor} about {target}: {response.status_code}"
            if want == LOGIN:
                assert response.status_code == 303, where
                assert response.headers["location"].startswith("/login?next="), where
            elif want == OK:
                assert response.status_code in spec.ok, where
                if response.status_code == 303:
                    assert not response.headers["location"].startswith("/login"), where
            else:
                assert response.status_code == want, where
            assert response.status_code < 500, where
            body = _text(response)
            for owner, marker in MARKERS.items():
                if not may_see(actor, owner):
                    assert marker not in body, f"{where} shows {owner}'s records"
                    # A form may echo the name the visitor typed; a read never names others.
                    assert key[0] != "GET" or NAMES[owner] not in body, f"{where} names {owner}"


# -- the checks can fail: the markers do show where they are allowed ---------------------------


@pytest.mark.parametrize(
    ("actor", "key", "target"),
    [
        ("person_a", ("GET", "/api/v1/diary"), None),
        ("person_b", ("GET", "/api/v1/exports/csv"), None),
        ("person_a", ("GET", "/walk-test/{test_id}"), "person_a"),
        ("clinician_a", ("GET", "/clinician/people/{person_id}"), "person_a"),
        ("clinician_a", ("GET", "/api/v1/people/{person_id}/diary"), "person_a"),
    ],
)
def test_allowed_visitors_do_see_the_marked_records(
    shared_world: World, actor: str, key: tuple[str, str], target: str | None
) -> None:
    response = send(shared_world, key, actor, target)
    assert response.status_code == 200
    owner = target or actor
    assert MARKERS[owner] in response.text or key[1].startswith("/walk-test")
    if key[1].startswith("/walk-test"):
        assert "Walking test result" in response.text


def test_an_admin_gets_no_patient_data_anywhere(shared_world: World) -> None:
    """With no admin-only route, the admin is an account like any other: every read route,
    with either person's id, gives nothing of theirs."""
    for key in ROUTES:
        if key[0] not in {"GET", "HEAD"}:
            continue
        for target in _targets(key[1]):
            body = _text(send(shared_world, key, "admin", target))
            assert all(marker not in body for marker in MARKERS.values()), key


# -- CSRF ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    sorted(k for k, c in ROUTES.items() if c.form is not None or c.csrf_header),
    ids=lambda key: f"{key[0]} {key[1]}",
)
def test_a_form_post_without_its_token_is_403_and_changes_nothing(
    world: World, key: tuple[str, str]
) -> None:
    spec = ROUTES[key]
    actor = {
        Access.ANYONE: "person_a",
        Access.SIGNED_IN: "person_a",
        Access.PERSON: "person_a",
        Access.CLINICIAN: "clinician_a",
        Access.LINKED_BY_ID: "clinician_a",
    }[spec.access]
    client = world.pages[actor]
    target = "person_a" if "{person_id}" in key[1] else None
    path = _fill(key[1], world, actor, target)
    own = csrf_token(client, "/reset")
    tokens = {
        "missing": None,
        "forged": ("B" if own[0] == "A" else "A") + own[1:],
        "another visitor's": csrf_token(world.pages["person_b"], "/reset"),
    }
    person_a = world.people["person_a"]
    before = (
        world.services.accounts.audit_trail(person_a.id),
        world.services.records.entries(person_a.name),
        world.services.records.history(person_a.name)[3],
    )
    for name, value in tokens.items():
        if spec.csrf_header:
            headers = {} if value is None else {"x-csrf-token": value}
            body = _filled(spec.body, world, actor, target)
            response = client.post(path, json=body, headers=headers, follow_redirects=False)
        else:
            data = _filled(spec.form or {}, world, actor, target)
            if value is not None:
                data["csrf_token"] = value
            response = client.post(path, data=data, follow_redirects=False)
        assert response.status_code == 403, (key, name)
    after = (
        world.services.accounts.audit_trail(person_a.id),
        world.services.records.entries(person_a.name),
        world.services.records.history(person_a.name)[3],
    )
    assert after == before
    assert client.get("/account").status_code == 200  # still signed in: logout was refused


# -- the API never accepts a session cookie -----------------------------------------------------


def test_the_api_ignores_the_web_session_cookie(world: World) -> None:
    """A page on another site can make a browser send its cookies, never a bearer token."""
    client = world.pages["person_a"]  # signed in to the pages
    for key, spec in ROUTES.items():
        if spec.access in {Access.API_PERSON, Access.API_SIGNED_IN, Access.API_OWN_OR_LINKED}:
            path = _fill(key[1], world, "person_a", "person_a")
            response = client.request(
                key[0], path, json=_filled(spec.body, world, "person_a", None)
            )
            assert response.status_code == 401, key


def test_an_invalid_token_is_401_even_where_a_token_is_optional(world: World) -> None:
    response = new_client(world.app).post(
        "/api/v1/assessments", json=ANSWERS, headers={"Authorization": "Bearer not-a-token"}
    )
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
