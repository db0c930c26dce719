"""``backstride db backup`` while the server takes check-ins gives a consistent copy, and
``backstride db restore`` brings it back whole (SQLite and PostgreSQL).

Consistent: every row's parents are in the copy; each person's check-ins in it are whole and
exactly as sent; it holds every check-in acknowledged before the backup started and none that
was not sent by the time it ended (a snapshot point between the two); the restore reports the
copy's row counts, and the restored database passes its integrity checks.
"""

from __future__ import annotations

import json
import re
import time
from datetime import date, timedelta
from pathlib import Path

from tests.durability.stream import Stream, prepare_people
from tests.persistence.test_backup_while_writing import assert_every_row_has_its_parents
from tests.persistence.test_durability import assert_exact, check_integrity, stored_entries
from tests.server import Server, cli

BACKUPS = 2


def sent(acked: set[date], first_day: date) -> set[date]:
    """Days sent so far: the acknowledged ones and the one in flight (senders walk back)."""
    in_flight = min(acked) - timedelta(days=1) if acked else first_day
    return acked | {in_flight}


def test_backup_while_serving_restores_a_consistent_copy(
    database_url: str, fresh_url: str, tmp_path: Path
) -> None:
    names = [f"backed-{i}" for i in range(3)]
    tokens = prepare_people(database_url, names)
    yesterday = date.today() - timedelta(days=1)
    server = Server.start(database_url, tmp_path / "server.log", workers=2)
    taken: list[tuple[Path, dict[str, set[date]], dict[str, set[date]]]] = []
    try:
        with Stream(server.url, tokens, yesterday, 0.01) as stream:
            for number in range(BACKUPS):
                time.sleep(1.0)
                before = {s.person: set(s.acked) for s in stream.senders}
                path = tmp_path / f"backup-{number}.json"
                cli(database_url, "db", "backup", "-o", str(path))
                after = {s.person: sent(s.acked, yesterday) for s in stream.senders}
                taken.append((path, before, after))
            stream.stop()
    finally:
        server.stop()
    assert stream.errors() == []

    for path, before, after in taken:
        document = json.loads(path.read_text(encoding="utf-8"))
        tables = document["tables"]
        assert_every_row_has_its_parents(tables)
        rows = sum(len(t) for t in tables.values())
        done = cli(fresh_url, "db", "restore", str(path))
        assert re.search(rf"restored {rows} rows", done.stdout), done.stdout
        for name in names:
            stored = stored_entries(fresh_url, name)
            missing = before[name] - set(stored)
            assert not missing, "a check-in acknowledged before the backup is missing"
            assert set(stored) <= after[name], "the copy has a check-in sent after the backup"
            assert_exact(stored, name, set(stored))
        check_integrity(fresh_url)
    assert all(taken[-1][1].values()), "the backups were taken before anyone checked in"
