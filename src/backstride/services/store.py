"""The database: opened from settings, kept at the newest schema, backed up and restored.

Backups are logical: every table's rows as JSON, with the schema revision, read in one
transaction (a consistent snapshot while the app is serving) and restored in one
transaction. The same file restores into SQLite or PostgreSQL.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete, insert, select, text
from sqlalchemy.orm import Session, sessionmaker

from backstride.domain.answers import ROOT, ContractError, FieldError
from backstride.persistence import migrate
from backstride.persistence.engine import SQLITE_BEGIN, create_db_engine, session_factory
from backstride.persistence.tables import Base
from backstride.services.sealed import check_passphrase, is_sealed, seal, unseal
from backstride.services.settings import Settings

BACKUP_FORMAT = "backstride-backup-1"


class Store:
    """One database. Every unit of work is one transaction (``with store.transaction()``)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions: sessionmaker[Session] = session_factory(engine)
        # On SQLite a read-only unit of work begins DEFERRED: it takes no write lock, so
        # pages that only read never queue behind a writer (WAL gives them a snapshot).
        self._readers: sessionmaker[Session] = session_factory(
            engine.execution_options(**{SQLITE_BEGIN: "DEFERRED"})
        )

    @classmethod
    def open(cls, settings: Settings, *, upgrade: bool = True) -> Store:
        """Open the database; a new (empty) one is brought to the newest schema."""
        store = cls(create_db_engine(settings.database_url))
        try:
            if upgrade and migrate.current_revision(store.engine) is None:
                store.upgrade()
            store.check_schema()
        except BaseException:
            store.close()
            raise
        return store

    def upgrade(self) -> None:
        migrate.upgrade(self.engine)

    def check_schema(self) -> None:
        current, head = migrate.current_revision(self.engine), migrate.head_revision(self.engine)
        if current != head:
            raise ContractError(
                (FieldError("database", "schema is out of date: run `backstride db upgrade`"),)
            )

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on any error."""
        with self._sessions() as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session in one read-only transaction (a consistent snapshot; nothing to commit)."""
        with self._readers() as session, session.begin():
            yield session

    def close(self) -> None:
        self.engine.dispose()

    # -- backup and restore ---------------------------------------------------------------

    def backup(self, path: Path, passphrase: str | None = None) -> dict[str, int]:
        """Write every row to ``path``; returns row counts per table (no patient data). With
        a ``passphrase`` the file is sealed (``services.sealed``: scrypt and AES-256-GCM)."""
        if passphrase is not None:
            check_passphrase(passphrase)
        tables: dict[str, list[dict[str, Any]]] = {}
        reader = self.engine.connect().execution_options(**{SQLITE_BEGIN: "DEFERRED"})
        with reader as connection, connection.begin():
            if connection.dialect.name == "postgresql":
                connection.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"))
            revision = migrate.revision_of(connection)
            for table in Base.metadata.sorted_tables:
                rows = connection.execute(select(table).order_by(*table.primary_key.columns))
                tables[table.name] = [_encode(dict(row._mapping)) for row in rows]
        document = {"format": BACKUP_FORMAT, "revision": revision, "tables": tables}
        tmp = path.with_suffix(path.suffix + ".tmp")
        content = json.dumps(document, separators=(",", ":")).encode("utf-8")
        tmp.write_bytes(content if passphrase is None else seal(content, passphrase))
        tmp.replace(path)  # the backup file appears whole or not at all
        return {name: len(rows) for name, rows in tables.items()}

    def restore(self, path: Path, passphrase: str | None = None) -> dict[str, int]:
        """Replace every row with the backup's, in one transaction (all or nothing). A sealed
        backup needs its ``passphrase``; nothing is written when it does not open it."""
        try:
            content = path.read_bytes()
        except OSError:
            raise ContractError((FieldError(ROOT, "not a readable Backstride backup"),)) from None
        if is_sealed(content):
            if passphrase is None:
                raise ContractError(
                    (FieldError("passphrase", "this backup is sealed: give its passphrase"),)
                )
            content = unseal(content, passphrase)
        elif passphrase is not None:
            raise ContractError((FieldError("passphrase", "this backup is not sealed"),))
        try:
            document = json.loads(content.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise ContractError((FieldError(ROOT, "not a readable Backstride backup"),)) from None
        if not isinstance(document, dict) or document.get("format") != BACKUP_FORMAT:
            raise ContractError((FieldError("format", f"must be {BACKUP_FORMAT}"),))
        if document.get("revision") != migrate.head_revision(self.engine):
            raise ContractError(
                (FieldError("revision", "made with another schema: upgrade first, then restore"),)
            )
        tables = document.get("tables", {})
        counts: dict[str, int] = {}
        with self.engine.begin() as connection:
            for table in reversed(Base.metadata.sorted_tables):
                connection.execute(delete(table))
            for table in Base.metadata.sorted_tables:
                rows = [_decode(table, row) for row in tables.get(table.name, [])]
                if rows:
                    connection.execute(insert(table), rows)
                counts[table.name] = len(rows)
                # Tables keyed by a hash (sessions, one-time codes) have no id sequence.
                if connection.dialect.name == "postgresql" and rows and "id" in table.c:
                    connection.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "  # noqa: S608 (our own table names)
                            f"(SELECT MAX(id) FROM {table.name}))"
                        )
                    )
        return counts


def _encode(row: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in row.items():
        if isinstance(value, datetime | date):
            out[key] = {"$t": value.isoformat()}
        elif isinstance(value, bytes):
            out[key] = {"$b": base64.b64encode(value).decode()}
        else:
            out[key] = value
    return out


def _decode(table: Any, row: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in row.items():
        if isinstance(value, dict) and set(value) == {"$t"}:
            column = table.columns[key]
            parse = (
                datetime.fromisoformat
                if "DateTime" in type(column.type).__name__
                else date.fromisoformat
            )
            out[key] = parse(value["$t"])
        else:
            out[key] = value
    return out
