"""No acknowledged check-in is lost when the whole server is killed: check-ins stream in over
HTTP while ``backstride serve --workers 2`` (master and workers at once) is SIGKILLed at random
moments and restarted, on SQLite and on PostgreSQL.

Each round lets the stream run against the server for a random time (sometimes none: the
kill lands while the server is still starting or migrating), then kills the process group and
starts it again. At the end every check-in answered 201 is stored exactly as sent, nothing is
stored that was not sent, and the database passes its integrity checks.
"""

from __future__ import annotations

import os
import random
import time
from datetime import date, timedelta
from pathlib import Path

from tests.durability.stream import Stream, prepare_people
from tests.persistence.test_durability import assert_exact, check_integrity, stored_entries
from tests.server import Server

#: Kills per database; a longer run: BACKSTRIDE_DURABILITY_KILLS=30 pytest tests/durability
KILLS = int(os.environ.get("BACKSTRIDE_DURABILITY_KILLS", "3"))
PEOPLE = 4
SEED = 20261126


def test_acknowledged_check_ins_survive_killing_the_server(
    database_url: str, tmp_path: Path
) -> None:
    rng = random.Random(SEED)  # noqa: S311 (kill moments, not cryptography)
    names = [f"stream-{i}" for i in range(PEOPLE)]
    tokens = prepare_people(database_url, names)
    yesterday = date.today() - timedelta(days=1)  # the server's clock is real
    server = Server.start(database_url, tmp_path / "server.log", workers=2)
    killed_while_starting = 0
    try:
        with Stream(server.url, tokens, yesterday) as stream:
            for round_ in range(KILLS):
                if round_ == 1:  # once: a kill while the server starts (imports, migration)
                    server.stop()
                    server.restart(wait=False)
                    time.sleep(rng.uniform(0.2, 1.0))
                    killed_while_starting += 1
                else:
                    time.sleep(rng.uniform(0.3, 2.0))
                server.kill()
                server.restart()
            time.sleep(1.0)  # the stream goes on against the last server
            stream.stop()
    finally:
        server.stop()

    assert stream.errors() == [], server.output()
    assert stream.acked >= 40, "the stream hardly ran"
    interrupted = sum(len(s.unknown) + s.refused for s in stream.senders)
    assert interrupted > 0, "no kill landed while check-ins were being sent"
    for sender in stream.senders:
        stored = stored_entries(database_url, sender.person)
        assert_exact(stored, sender.person, sender.acked)
        unacknowledged = set(stored) - sender.acked
        assert unacknowledged <= sender.unknown, "a check-in nobody sent is stored"
        assert_exact(stored, sender.person, unacknowledged)
    check_integrity(database_url)
    assert killed_while_starting == 1
    assert "database is locked" not in server.output()
