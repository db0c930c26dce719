"""Databases for storage tests: a fresh SQLite file, and a fresh PostgreSQL database.

PostgreSQL comes from the environment `pg_virtualenv` sets (PGHOST, PGPORT, PGUSER,
PGPASSWORD); `make test` runs the suite inside it with BACKSTRIDE_REQUIRE_POSTGRES=1, so
there a missing server fails the run instead of skipping.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from backstride.services.assessments import default_service
from backstride.services.records import Records
from backstride.services.settings import Settings
from backstride.services.store import Store


def _postgres_admin_url() -> str | None:
    host = os.environ.get("PGHOST")
    if not host:
        return None
    user = os.environ.get("PGUSER", "postgres")
    password = os.environ.get("PGPASSWORD", "")
    port = os.environ.get("PGPORT", "5432")
    return f"postgresql+psycopg://{user}:{password}@{host}:{port}/postgres"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    admin_url = _postgres_admin_url()
    if admin_url is None:
        if os.environ.get("BACKSTRIDE_REQUIRE_POSTGRES") == "1":
            pytest.fail("PostgreSQL is required here but PGHOST is not set")
        pytest.skip("PostgreSQL runs under `make test` (pg_virtualenv)")
    name = f"bs_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 11, 26, 12, 0, tzinfo=UTC))


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    opened = Store.open(Settings(database_url))
    yield opened
    opened.close()


@pytest.fixture
def records(store: Store, clock: Clock) -> Records:
    return Records(store, default_service(), clock)
