"""Throwaway PostgreSQL databases for tests and benchmarks, in the server `pg_virtualenv`
starts (it sets PGHOST, PGPORT, PGUSER and PGPASSWORD; `make test` runs under it)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text


def admin_url() -> str | None:
    """The server's maintenance database, or None when no server is configured."""
    host = os.environ.get("PGHOST")
    if not host:
        return None
    user = os.environ.get("PGUSER", "postgres")
    password = os.environ.get("PGPASSWORD", "")
    port = os.environ.get("PGPORT", "5432")
    return f"postgresql+psycopg://{user}:{password}@{host}:{port}/postgres"


@contextmanager
def temporary_database(prefix: str = "bs") -> Iterator[str]:
    """A new empty database, dropped afterwards (connections and all)."""
    admin = admin_url()
    if admin is None:
        raise RuntimeError("no PostgreSQL server: run under pg_virtualenv (PGHOST is not set)")
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()
