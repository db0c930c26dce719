"""Databases for the durability tests: the storage tests' fresh SQLite file and fresh
PostgreSQL database (``make test`` runs under pg_virtualenv), and a second empty one."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.persistence.conftest import _postgres_admin_url, database_url

__all__ = ["database_url", "fresh_url"]


@pytest.fixture
def fresh_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    """A second database of the same kind as ``database_url``, not created yet (SQLite) or
    empty (PostgreSQL)."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'restored.db'}"
        return
    admin_url = _postgres_admin_url()
    assert admin_url is not None
    name = f"bs_fresh_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
