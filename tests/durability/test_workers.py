"""Several server workers writing to one SQLite file: concurrent check-ins from many clients
against ``backstride serve --workers 3`` all succeed; no "database is locked" (or any other
server error) reaches a user."""

from __future__ import annotations

import time
from datetime import date, timedelta
from pathlib import Path

from tests.durability.server import Server
from tests.durability.stream import Stream, prepare_people
from tests.persistence.test_durability import assert_exact, check_integrity, stored_entries

CLIENTS = 12
RUN_S = 8.0


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
