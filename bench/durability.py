"""A long durability run through the real server: check-ins stream in over HTTP while the
whole server (master and workers) is SIGKILLed at random moments and restarted; then every
acknowledged check-in is looked for and the database checked.

    .venv/bin/python bench/durability.py [--kills 30] [--database-url URL]

SQLite in a temporary folder by default; for PostgreSQL give a URL (for example under
``pg_virtualenv -t``: ``postgresql+psycopg://$PGUSER:$PGPASSWORD@$PGHOST:$PGPORT/postgres``
with a database made for the run). Prints the figures; `make test` runs the short version
(tests/durability/test_server_kill.py, 3 kills per database).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.durability.stream import Stream, prepare_people
from tests.persistence.test_durability import (
    assert_exact,
    check_integrity,
    stored_entries,
)
from tests.server import Server


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=30)
    parser.add_argument("--people", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--seed", type=int, default=20261126)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'durability.db'}"
        rng = random.Random(args.seed)
        names = [f"long-{i}" for i in range(args.people)]
        tokens = prepare_people(url, names)
        start = time.perf_counter()
        server = Server.start(url, Path(folder) / "server.log", workers=args.workers)
        try:
            with Stream(server.url, tokens, date.today() - timedelta(days=1)) as stream:
                for _ in range(args.kills):
                    time.sleep(rng.uniform(0.3, 2.0))
                    server.kill()
                    server.restart()
                time.sleep(1.0)
                stream.stop()
        finally:
            server.stop()
        elapsed = time.perf_counter() - start
        lost = 0
        for sender in stream.senders:
            stored = stored_entries(url, sender.person)
            lost += len(sender.acked - set(stored))
            assert_exact(stored, sender.person, sender.acked)
        check_integrity(url)
        unknown = sum(len(s.unknown) for s in stream.senders)
        refused = sum(s.refused for s in stream.senders)
        database = url.split(":", 1)[0]
        print(f"database: {database}; {args.kills} kills of the whole server in {elapsed:.0f} s")
        print(
            f"check-ins acknowledged: {stream.acked}; lost: {lost}; in flight at a kill: "
            f"{unknown}; refused while down (sent again): {refused}; errors: "
            f"{len(stream.errors())}; integrity check: passed"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
