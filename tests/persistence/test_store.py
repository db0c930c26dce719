"""Storage on SQLite and PostgreSQL: migrations, transactions, the diary's rules, backups."""

from __future__ import annotations

import base64
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from backstride.domain.answers import ContractError
from backstride.persistence import migrate
from backstride.persistence.engine import create_db_engine
from backstride.persistence.tables import Base
from backstride.services.records import Records
from backstride.services.settings import Settings
from backstride.services.store import Store
from tests.persistence.conftest import Clock

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TODAY = date(2026, 11, 26)


def entry(day: date, **changes: Any) -> dict[str, Any]:
    raw: dict[str, Any] = {"day": day, "pain_now": 4, "pain_walking": 5, "walk_minutes": 20.0}
    raw.update(changes)
    return raw


def test_migrations_go_up_and_down_and_match_the_tables(database_url: str) -> None:
    engine = create_db_engine(database_url)
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision(engine)
    with engine.connect() as connection:
        diffs = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diffs == [], "the migrations and the tables disagree"
    migrate.downgrade(engine, "base")
    assert migrate.current_revision(engine) is None
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    migrate.upgrade(engine)
    assert {t.name for t in Base.metadata.sorted_tables} <= set(inspect(engine).get_table_names())
    engine.dispose()


def test_an_outdated_schema_is_refused_with_advice(database_url: str) -> None:
    engine = create_db_engine(database_url)
    migrate.upgrade(engine)
    Store(engine).check_schema()
    migrate.downgrade(engine, "base")
    with pytest.raises(ContractError, match="run `backstride db upgrade`"):
        Store(engine).check_schema()
    with pytest.raises(ContractError, match="run `backstride db upgrade`"):
        Store.open(Settings(database_url), upgrade=False)
    engine.dispose()


def test_a_bad_check_in_names_the_field_and_writes_nothing(records: Records) -> None:
    records.add_user("ann", "person")
    cases = [
        (entry(TODAY, pain_now=11), "pain_now"),
        (entry(TODAY + timedelta(days=1)), "date"),
        (entry(TODAY, steps=-3), "steps"),
        (entry(TODAY, walk_minutes=float("nan")), "walk_minutes"),
        (entry(TODAY, note="x" * 2001), "note"),
        (entry(TODAY, walk_no_limit=True, walk_tolerance_min=5.0), "walk_tolerance_min"),
        (
            entry(TODAY, exercises=[{"exercise_id": "bird_dog", "done": True, "pain_during": 12}]),
            "exercises.0.pain_during",
        ),
    ]
    for raw, field in cases:
        with pytest.raises(ContractError) as caught:
            records.add_entry("ann", raw)
        assert field in caught.value.fields, (raw, caught.value.fields)
    with pytest.raises(ContractError, match="user: no such user"):
        records.add_entry("nobody", entry(TODAY))
    assert records.entries("ann") == []


def test_one_check_in_a_day_editable_only_that_day(records: Records, clock: Clock) -> None:
    records.add_user("ann", "person")
    records.add_entry("ann", entry(TODAY - timedelta(days=1), pain_now=6))
    records.add_entry("ann", entry(TODAY, pain_now=5))
    records.add_entry("ann", entry(TODAY, pain_now=3, note="better by evening"))
    with pytest.raises(ContractError, match="can only be changed that day"):
        records.add_entry("ann", entry(TODAY - timedelta(days=1), pain_now=2))
    days = {e.day: e for e in records.entries("ann")}
    assert days[TODAY].pain_now == 3
    assert days[TODAY].note == "better by evening"
    assert days[TODAY - timedelta(days=1)].pain_now == 6
    clock.now += timedelta(days=1)
    with pytest.raises(ContractError, match="can only be changed that day"):
        records.add_entry("ann", entry(TODAY, pain_now=1))


def test_only_people_keep_diaries(records: Records) -> None:
    records.add_user("dr", "clinician")
    with pytest.raises(ContractError, match="user: is not a person"):
        records.add_entry("dr", entry(TODAY))
    with pytest.raises(ContractError, match="role: must be one of"):
        records.add_user("x", "king")
    with pytest.raises(ContractError, match="name: must be 1 to 100"):
        records.add_user("   ", "person")


def test_backup_and_restore_round_trip(records: Records, store: Store, tmp_path: Path) -> None:
    records.add_user("ann", "person")
    answers = json.loads((EXAMPLES / "acute-strain.json").read_text(encoding="utf-8"))
    records.store_assessment("ann", answers, records.assessments.assess(answers))
    for offset in range(5):
        records.add_entry(
            "ann", entry(TODAY - timedelta(days=offset), pain_now=offset, note=f"day {offset}")
        )
    before = records.history("ann")
    backup = tmp_path / "backup.json"
    counts = store.backup(backup)
    assert counts["diary_entries"] == 5
    records.add_entry("ann", entry(TODAY, pain_now=9))  # changed after the backup
    records.add_user("bob", "person")
    store.restore(backup)
    assert records.history("ann") == before
    with pytest.raises(ContractError, match="no such user"):
        records.user("bob")
    records.add_user("carl", "person")  # ids continue after a restore
    broken = tmp_path / "broken.json"
    broken.write_text("{}", encoding="utf-8")
    with pytest.raises(ContractError, match="format"):
        store.restore(broken)
    assert records.history("ann")[2] == before[2], "a refused restore changes nothing"


PASSPHRASE = "correct horse battery staple"  # noqa: S105 (a test passphrase)


def test_a_sealed_backup_restores_only_with_its_passphrase(
    records: Records, store: Store, tmp_path: Path
) -> None:
    records.add_user("ann-with-a-rare-name", "person")
    records.add_entry("ann-with-a-rare-name", entry(TODAY, pain_now=4, note="knee and back"))
    before = records.history("ann-with-a-rare-name")
    sealed = tmp_path / "backup.sealed"
    store.backup(sealed, PASSPHRASE)
    content = sealed.read_bytes()
    assert b"ann-with-a-rare-name" not in content
    assert b"knee and back" not in content
    assert json.loads(content)["format"] == "backstride-sealed-1"
    records.add_user("bob", "person")
    with pytest.raises(ContractError, match="passphrase: this backup is sealed"):
        store.restore(sealed)
    with pytest.raises(ContractError, match="passphrase: does not open this backup"):
        store.restore(sealed, "not the passphrase at all")
    assert records.user("bob"), "a refused restore changes nothing"
    store.restore(sealed, PASSPHRASE)
    assert records.history("ann-with-a-rare-name") == before
    with pytest.raises(ContractError, match="no such user"):
        records.user("bob")


def test_a_changed_sealed_backup_is_refused(store: Store, records: Records, tmp_path: Path) -> None:
    records.add_user("ann", "person")
    sealed = tmp_path / "backup.sealed"
    store.backup(sealed, PASSPHRASE)
    envelope = json.loads(sealed.read_bytes())
    data = bytearray(base64.b64decode(envelope["data"]))
    data[len(data) // 2] ^= 1
    flipped = tmp_path / "flipped.sealed"
    flipped.write_text(json.dumps({**envelope, "data": base64.b64encode(data).decode()}))
    with pytest.raises(ContractError, match="passphrase: does not open this backup"):
        store.restore(flipped, PASSPHRASE)
    renamed = tmp_path / "renamed.sealed"
    renamed.write_text(json.dumps({**envelope, "cipher": "ROT13"}))
    with pytest.raises(ContractError, match="format: not a readable backstride-sealed-1 file"):
        store.restore(renamed, PASSPHRASE)
    costly = tmp_path / "costly.sealed"
    costly.write_text(json.dumps({**envelope, "kdf": {**envelope["kdf"], "n": 2**30}}))
    with pytest.raises(ContractError, match="format"):
        store.restore(costly, PASSPHRASE)


def test_passphrases_are_long_and_plain_backups_take_none(
    store: Store, records: Records, tmp_path: Path
) -> None:
    records.add_user("ann", "person")
    with pytest.raises(ContractError, match="passphrase: must be at least 12 characters"):
        store.backup(tmp_path / "short.sealed", "short")
    assert not (tmp_path / "short.sealed").exists()
    plain = tmp_path / "plain.json"
    store.backup(plain)
    with pytest.raises(ContractError, match="passphrase: this backup is not sealed"):
        store.restore(plain, PASSPHRASE)
