"""`backstride db backup` while a writer process stores check-ins gives a consistent copy.

Consistent: every row of the copy has its parents, every check-in in it is whole and as
written, it holds at least every check-in acknowledged before the backup started, and it
restores into a fresh database of the same kind.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event

from backstride.persistence.tables import Base
from backstride.services.assessments import default_service
from backstride.services.records import Records
from backstride.services.settings import Settings
from backstride.services.store import Store
from tests.persistence.test_durability import (
    _prepare,
    assert_exact,
    check_integrity,
    stored_entries,
)
from tests.persistence.writer import ROOT, START, Writer, person_for

EXAMPLES = ROOT / "examples"


def _assessed(url: str, person: str) -> None:
    """The person with a stored assessment, so the copy has rows in more than one table."""
    _prepare(url, person)
    store = Store.open(Settings(url))
    records = Records(store, default_service())
    answers = json.loads((EXAMPLES / "acute-strain.json").read_text(encoding="utf-8"))
    records.store_assessment(person, answers, records.assessments.assess(answers))
    store.close()


def _rows(backup: Path) -> dict[str, list[dict[str, Any]]]:
    document = json.loads(backup.read_text(encoding="utf-8"))
    tables: dict[str, list[dict[str, Any]]] = document["tables"]
    return tables


def assert_every_row_has_its_parents(tables: dict[str, list[dict[str, Any]]]) -> None:
    for table in Base.metadata.sorted_tables:
        for key in table.foreign_keys:
            parent = key.column.table.name
            present = {row[key.column.name] for row in tables[parent]}
            for row in tables[table.name]:
                value = row[key.parent.name]
                assert value is None or value in present, (
                    f"{table.name} row {row['id']} points at {parent} {value}, "
                    "which is not in the backup"
                )


def _days_of(tables: dict[str, list[dict[str, Any]]], person_id: int) -> list[date]:
    return sorted(
        date.fromisoformat(row["day"]["$t"])
        for row in tables["diary_entries"]
        if row["person_id"] == person_id
    )


def _restore_and_compare(
    backup: Path, fresh_url: str, person: str, days: list[date], acked_before: int
) -> None:
    """The copy restores into a fresh database, and holds whole, exact check-ins."""
    store = Store.open(Settings(fresh_url))
    try:
        counts = store.restore(backup)
    finally:
        store.close()
    assert counts["diary_entries"] >= acked_before
    stored = stored_entries(fresh_url, person)
    assert sorted(stored) == days
    assert_exact(stored, person, set(days))
    check_integrity(fresh_url)


def test_backups_taken_while_a_writer_writes_are_consistent(
    database_url: str, fresh_url: str, tmp_path: Path
) -> None:
    _assessed(database_url, "ann")
    writer = Writer(database_url, "ann", START, 300, "--pause", "0.003")
    store = Store.open(Settings(database_url))
    backups: list[tuple[Path, int]] = []
    try:
        for number, acks in enumerate((3, 15, 30)):
            assert writer.wait_for("ACK", acks - len(writer.acked))
            path = tmp_path / f"backup-{number}.json"
            backups.append((path, len(writer.acked)))
            store.backup(path)
        # and once through the command line, as people run it
        path = tmp_path / "backup-cli.json"
        backups.append((path, len(writer.acked)))
        exe = Path(sys.executable).with_name("backstride")
        subprocess.run(  # noqa: S603 (our own console script, fixed arguments)
            [str(exe), "db", "backup", "-o", str(path)],
            check=True,
            capture_output=True,
            env={**os.environ, "BACKSTRIDE_DATABASE_URL": database_url},
            timeout=60,
        )
        assert writer.process.poll() is None, "the writer was still writing during the backups"
    finally:
        store.close()
        writer.kill()
        writer.finish()

    ann_id = _rows(backups[0][0])["people"][0]["id"]
    previous = 0
    for path, acked_before in backups:
        tables = _rows(path)
        assert_every_row_has_its_parents(tables)
        days = _days_of(tables, ann_id)
        assert len(days) >= acked_before, "a check-in acknowledged before the backup is missing"
        assert len(days) >= previous
        previous = len(days)
        assert days == [START + timedelta(days=i) for i in range(len(days))]
        assert len(tables["assessments"]) == 1
        _restore_and_compare(path, fresh_url, "ann", days, acked_before)
    assert previous <= len(writer.acked) + 1, "the copy has check-ins nobody wrote"


def test_a_backup_is_one_snapshot_while_people_are_added(
    database_url: str, fresh_url: str, tmp_path: Path
) -> None:
    """A person added with a check-in while the backup reads is in the copy whole or not at all.

    The backup reads the people first; the test holds it there until the writer has added
    one more person and that person's check-in, then lets it read the check-ins.
    """
    _prepare(database_url)
    writer = Writer(database_url, "new", START, 300, "--new-person-each-day", "--pause", "0.003")
    store = Store.open(Settings(database_url))
    held: list[int] = []

    def hold(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "FROM diary_entries" in statement and not held:
            held.append(len(writer.acked))
            assert writer.wait_for("TRY")  # a new person, created after the people were read
            assert writer.wait_for("ACK")  # ... and that person's check-in, committed

    try:
        assert writer.wait_for("ACK", 3)
        acked_before = len(writer.acked)
        event.listen(store.engine, "before_cursor_execute", hold)
        path = tmp_path / "backup.json"
        store.backup(path)
    finally:
        store.close()
        writer.kill()
        writer.finish()
    assert held, "the backup never read the check-ins"
    tables = _rows(path)
    assert len(tables["diary_entries"]) >= acked_before
    assert_every_row_has_its_parents(tables)
    names = {row["id"]: row["name"] for row in tables["people"]}
    # The writer adds a person and then that person's check-in in two transactions, so a
    # consistent snapshot may hold the newest person without a check-in yet, never more.
    with_entry = {row["person_id"] for row in tables["diary_entries"]}
    assert len(with_entry) == len(tables["diary_entries"]), "each person has one check-in"
    assert len(set(names) - with_entry) <= 1, "only the person being added may lack one"
    restored = Store.open(Settings(fresh_url))
    try:
        restored.restore(path)
    finally:
        restored.close()
    for row in tables["diary_entries"]:
        day = date.fromisoformat(row["day"]["$t"])
        name = names[row["person_id"]]
        assert name == person_for("new", day, new_person_each_day=True)
        assert_exact(stored_entries(fresh_url, name), name, {day})
