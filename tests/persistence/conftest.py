"""Databases for storage tests: a fresh SQLite file, and a fresh PostgreSQL database.

PostgreSQL comes from the environment `pg_virtualenv` sets (PGHOST, PGPORT, PGUSER,
PGPASSWORD); `make test` runs the suite inside it with BACKSTRIDE_REQUIRE_POSTGRES=1, so
there a missing server fails the run instead of skipping.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from backstride.services.assessments import default_service
from backstride.services.records import Records
from backstride.services.settings import Settings
from backstride.services.store import Store
from tests.postgres import admin_url, temporary_database


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    if admin_url() is None:
        if os.environ.get("BACKSTRIDE_REQUIRE_POSTGRES") == "1":
            pytest.fail("PostgreSQL is required here but PGHOST is not set")
        pytest.skip("PostgreSQL runs under `make test` (pg_virtualenv)")
    with temporary_database() as url:
        yield url


@pytest.fixture
def fresh_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    """A second database of the same kind as ``database_url`` (for restores): not created
    yet (SQLite) or empty (PostgreSQL)."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'restored.db'}"
        return
    with temporary_database("bs_fresh") as url:
        yield url


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
