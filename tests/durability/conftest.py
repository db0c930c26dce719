"""Databases for the durability tests: the storage tests' fresh SQLite file and fresh
PostgreSQL database (``make test`` runs under pg_virtualenv), and a second empty one."""

from __future__ import annotations

from tests.persistence.conftest import database_url, fresh_url

__all__ = ["database_url", "fresh_url"]
