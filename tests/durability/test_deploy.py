"""The clinic deployment of docs/how-to/deploy.md, step by step, on one PostgreSQL database:
``backstride db upgrade``, an account, ``backstride serve --workers 2``; a person signs in on
one worker and checks in on the other (sessions live in the database, not in a worker); an
upgrade to the same version (``db upgrade`` again) is a no-op after which the app starts and
the data is there; and the restore drill (backup, restore into a fresh database, serve it).
"""

from __future__ import annotations

import os
import re
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from backstride.services.accounts import Accounts
from backstride.services.settings import Settings
from backstride.services.store import Store
from tests.durability.stream import PASSWORD
from tests.server import Server, cli

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
NAME = "clinic-person"
CHECKIN = {
    "pain_now": "4",
    "pain_walking": "6",
    "walk_minutes": "20",
    "walk_tolerance_min": "12",
    "steps": "3500",
    "settled_by_morning": "yes",
    "red_flag": "no",
    "note": "",
}


@contextmanager
def only(server: Server, worker: int) -> Iterator[None]:
    """Every new connection is served by worker ``worker``: the others are paused (SIGSTOP)
    and so accept nothing while it runs."""
    pids = server.worker_pids()
    paused = [pid for i, pid in enumerate(pids) if i != worker]
    for pid in paused:
        os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        for pid in paused:
            os.kill(pid, signal.SIGCONT)


def form_token(client: httpx.Client, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200, (path, page.status_code)
    found = CSRF.search(page.text)
    assert found, f"{path} has no form"
    return found.group(1)


def sign_in(server: Server) -> httpx.Cookies:
    with server.client() as client:
        token = form_token(client, "/login")
        data = {"csrf_token": token, "username": NAME, "password": PASSWORD}
        answer = client.post("/login", data=data)
        assert answer.status_code == 303, answer.text[:500]
        return client.cookies


def check_in(server: Server, cookies: httpx.Cookies) -> None:
    with server.client(cookies=cookies) as client:  # a new connection
        token = form_token(client, "/checkin")
        answer = client.post("/checkin", data={**CHECKIN, "csrf_token": token})
        assert answer.status_code == 303, answer.text[:500]
        assert answer.headers["location"].startswith("/progress")


def stored_pain(url: str) -> list[int]:
    from backstride.services.assessments import default_service  # noqa: PLC0415
    from backstride.services.records import Records  # noqa: PLC0415

    store = Store.open(Settings(url), upgrade=False)
    try:
        return [e.pain_now for e in Records(store, default_service()).entries(NAME)]
    finally:
        store.close()


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_clinic_deployment_on_postgresql(database_url: str, fresh_url: str, tmp_path: Path) -> None:
    # 1. A new database: the schema, then an account (the doc uses `user add` and
    #    `user password`, which asks for the password at the terminal).
    assert "newest schema" in cli(database_url, "db", "upgrade").stdout
    cli(database_url, "user", "add", NAME)
    store = Store.open(Settings(database_url), upgrade=False)
    Accounts(store).set_password(NAME, PASSWORD)
    store.close()

    # 2. Two workers on one database: sign in through one, check in through the other.
    server = Server.start(database_url, tmp_path / "server.log", workers=2)
    try:
        assert len(server.worker_pids()) == 2
        with only(server, 0):
            cookies = sign_in(server)
        with only(server, 1):
            check_in(server, cookies)
        with only(server, 0):
            check_in(server, cookies)  # today's check-in, changed the same day
    finally:
        server.stop()
    assert stored_pain(database_url) == [4]

    # 3. An upgrade: `db upgrade` on the existing database changes nothing, the app starts,
    #    the session and the check-in are still there.
    assert "newest schema" in cli(database_url, "db", "upgrade").stdout
    server.restart()
    try:
        with server.client(cookies=cookies) as client:
            page = client.get("/checkin")
            assert page.status_code == 200
            assert 'value="20"' in page.text  # today's walk, as saved
    finally:
        server.stop()

    # 4. The restore drill: back up, restore into a fresh database, serve that, sign in.
    backup = tmp_path / "backstride-backup.json"
    cli(database_url, "db", "backup", "-o", str(backup))
    cli(fresh_url, "db", "restore", str(backup))
    assert stored_pain(fresh_url) == [4]
    drill = Server.start(fresh_url, tmp_path / "drill.log", workers=2)
    try:
        check_in(drill, sign_in(drill))
    finally:
        drill.stop()
    assert "Traceback" not in server.output() + drill.output()
