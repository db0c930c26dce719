"""Several server workers writing to one SQLite file: concurrent check-ins from many clients
against ``backstride serve --workers 3`` all succeed; no "database is locked" (or any other
server error) reaches a user."""

from __future__ import annotations

import asyncio
import re
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import httpx

from backstride.services.accounts import HASHING_AT_ONCE, BoundedPasswordHash
from backstride.services.container import Services
from backstride.services.settings import Settings
from tests.durability.stream import PASSWORD, Stream, prepare_people
from tests.persistence.test_durability import assert_exact, check_integrity, stored_entries
from tests.server import Server

CLIENTS = 12
RUN_S = 8.0
BURST = 30
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def test_concurrent_check_ins_through_three_workers_on_sqlite(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'clinic.db'}"
    names = [f"busy-{i:02d}" for i in range(CLIENTS)]
    tokens = prepare_people(url, names)
    server = Server.start(url, tmp_path / "server.log", workers=3)
    try:
        assert len(server.worker_pids()) == 3
        with Stream(server.url, tokens, date.today() - timedelta(days=1)) as stream:
            time.sleep(RUN_S)
    finally:
        server.stop()
    assert stream.errors() == []
    assert all(not s.unknown and not s.refused for s in stream.senders)
    assert stream.acked >= CLIENTS * 3, "the clients hardly wrote"
    assert "database is locked" not in server.output()
    assert "Traceback" not in server.output()
    for sender in stream.senders:
        stored = stored_entries(url, sender.person)
        assert set(stored) == sender.acked
        assert_exact(stored, sender.person, sender.acked)
    check_integrity(url)


def test_a_burst_of_sign_ins_through_three_workers_on_sqlite(tmp_path: Path) -> None:
    """Everyone signing in at once (argon2 on the server) fails nobody: the hashing is
    bounded per process, so the threads holding transactions keep the CPU they need."""
    url = f"sqlite:///{tmp_path / 'clinic.db'}"
    names = [f"morning-{i:02d}" for i in range(BURST)]
    services = Services.open(Settings(url))
    try:
        for name in names:
            services.records.add_user(name, "person")
            services.accounts.set_password(name, PASSWORD)
    finally:
        services.close()
    server = Server.start(url, tmp_path / "server.log", workers=3)

    async def sign_in(client: httpx.AsyncClient, name: str) -> int:
        page = await client.get("/login")
        found = CSRF.search(page.text)
        assert found
        data = {"csrf_token": found.group(1), "username": name, "password": PASSWORD}
        return (await client.post("/login", data=data)).status_code

    async def everyone() -> list[int]:
        clients = [httpx.AsyncClient(base_url=server.url, timeout=120) for _ in names]
        try:
            return await asyncio.gather(
                *(sign_in(c, n) for c, n in zip(clients, names, strict=True))
            )
        finally:
            for client in clients:
                await client.aclose()

    try:
        codes = asyncio.run(everyone())
    finally:
        server.stop()
    assert codes == [303] * BURST, server.output()
    assert "database is locked" not in server.output()


def test_password_hashing_is_bounded_per_process() -> None:
    running = [0]
    most = [0]
    lock = threading.Lock()

    class Slow:
        """A stand-in hasher that notes how many hash at once."""

        def identify(self, _hash: str | bytes) -> bool:
            return True

        def hash(self, _password: str | bytes, *, salt: bytes | None = None) -> str:
            with lock:
                running[0] += 1
                most[0] = max(most[0], running[0])
            time.sleep(0.02)
            with lock:
                running[0] -= 1
            return "hashed"

    hasher = BoundedPasswordHash((Slow(),))  # type: ignore[arg-type]
    threads = [threading.Thread(target=hasher.hash, args=("pw",)) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most[0] == HASHING_AT_ONCE
