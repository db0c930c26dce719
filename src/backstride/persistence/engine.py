"""Engines from URLs.

SQLite gets WAL, foreign keys, a busy timeout and full sync on every connection, and real
transactions: Python's sqlite3 driver would otherwise open a transaction only before a
write, leaving reads and DDL outside it (a backup would not be one snapshot, and a
migration killed halfway would leave tables without their version). Following SQLAlchemy's
pysqlite recipe, the driver's own handling is turned off and the engine issues ``BEGIN``
itself: ``BEGIN IMMEDIATE`` by default, so a writer takes the write lock up front and
waits (busy timeout) instead of failing with "database is locked" when upgrading a read
lock; ``BEGIN DEFERRED`` for snapshot reads (``execution_options(sqlite_begin="DEFERRED")``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

#: How long a transaction waits for another's write lock before failing. Generous: on a busy
#: two-core server a lock holder can be kept off the CPU for seconds (bench/load.py saw
#: "database is locked" with 5 s), and waiting is better than failing a check-in.
SQLITE_BUSY_TIMEOUT_MS = 30_000
SQLITE_BEGIN = "sqlite_begin"


def create_db_engine(url: str) -> Engine:
    """An engine for ``url`` (``sqlite:///PATH`` or ``postgresql+psycopg://...``)."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _sqlite_connect(connection: Any, _record: Any) -> None:
    connection.isolation_level = None  # we say BEGIN ourselves (see the module docstring)
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=FULL")  # an acknowledged check-in survives power loss
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    mode = connection.get_execution_options().get(SQLITE_BEGIN, "IMMEDIATE")
    if mode not in ("IMMEDIATE", "DEFERRED"):
        raise ValueError(f"unknown {SQLITE_BEGIN} {mode!r}")
    connection.exec_driver_sql(f"BEGIN {mode}")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
