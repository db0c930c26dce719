"""No acknowledged check-in is ever lost: writers SIGKILLed at random moments, then restarted.

A writer process (``tests/persistence/writer.py``) stores one check-in a day and prints
``ACK <date>`` after each commit. Each test round kills it with SIGKILL at a moment chosen by
a seeded random generator (after some acknowledgements, after a random short sleep, while
it starts up, or deterministically between the INSERT and the COMMIT), then checks the
database the way a restarted app sees it, and starts a new writer from the next day.
"""

from __future__ import annotations

import random
import signal
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backstride.domain.diary import DiaryEntry
from backstride.persistence import repositories as repo
from backstride.persistence.engine import create_db_engine
from backstride.persistence.tables import Base, DiaryEntryRow, PersonRow
from backstride.services.assessments import default_service
from backstride.services.records import Records, validate_entry
from backstride.services.settings import Settings
from backstride.services.store import Store
from tests.persistence.writer import START, Writer, planned_entry

SEEDS = (11, 23, 37)
ROUNDS = 5  # four kills, then a writer that is let finish
DAYS = 50  # check-ins per seed; the four kills use up at most about 25
KILLED = -signal.SIGKILL
MID_TRANSACTION = "INSERT INTO diary_entries"


def stored_entries(url: str, person: str) -> dict[date, DiaryEntry]:
    """The person's check-ins as a freshly started app reads them, by day."""
    store = Store.open(Settings(url))
    try:
        entries = Records(store, default_service()).entries(person)
    finally:
        store.close()
    by_day = {e.day: e for e in entries}
    assert len(by_day) == len(entries), "a day appears twice"
    return by_day


def assert_exact(stored: dict[date, DiaryEntry], person: str, days: set[date]) -> None:
    for day in sorted(days):
        assert day in stored, f"acknowledged check-in of {day} for {person} is lost"
        expected = validate_entry(planned_entry(person, day), day)
        assert stored[day] == expected, f"check-in of {day} for {person} came back changed"


def check_integrity(url: str) -> None:
    """The database is sound: SQLite's own checks, or every row readable and the rule that a
    person has one check-in a day enforced on PostgreSQL."""
    engine = create_db_engine(url)
    try:
        with engine.connect() as connection:
            if engine.dialect.name == "sqlite":
                assert connection.exec_driver_sql("PRAGMA integrity_check").all() == [("ok",)]
                assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []
            else:
                _check_postgres(engine)
            duplicates = connection.execute(
                select(DiaryEntryRow.person_id, DiaryEntryRow.day)
                .group_by(DiaryEntryRow.person_id, DiaryEntryRow.day)
                .having(func.count() > 1)
            ).all()
            assert duplicates == []
    finally:
        engine.dispose()


def _check_postgres(engine: Engine) -> None:
    with Session(engine) as session:
        for table in Base.metadata.sorted_tables:  # every row of every table reads back
            session.execute(select(table)).all()
        people = session.scalars(select(PersonRow.id)).all()
        for person_id in people:
            repo.entries(session, person_id)
        row = session.scalars(select(DiaryEntryRow).limit(1)).one_or_none()
        if row is not None:
            twin = DiaryEntryRow(
                person_id=row.person_id,
                day=row.day,
                pain_now=0,
                pain_walking=0,
                walk_minutes=0.0,
                exercises={"items": []},
                created_at=row.created_at,
                updated_at=row.updated_at,
            )
            session.add(twin)
            with pytest.raises(IntegrityError, match="one_per_day"):
                session.flush()
            session.rollback()
    with engine.connect() as connection:  # the B-tree indexes agree with their tables
        connection.execute(text("CREATE EXTENSION IF NOT EXISTS amcheck"))
        indexes = connection.execute(
            text(
                "SELECT c.oid::regclass::text FROM pg_index i"
                " JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid"
                " JOIN pg_am a ON a.oid = c.relam"
                " WHERE a.amname = 'btree' AND t.relnamespace = 'public'::regnamespace"
            )
        ).scalars()
        for index in indexes:
            connection.execute(
                text("SELECT bt_index_check(CAST(:i AS regclass), true)"), {"i": index}
            )
        connection.commit()


def _prepare(url: str, *people: str) -> None:
    """A database at the newest schema with these people (as `backstride user add` leaves it)."""
    store = Store.open(Settings(url))
    records = Records(store, default_service())
    for person in people:
        records.add_user(person, "person")
    store.close()


def _kill(writer: Writer, mode: str, rng: random.Random) -> None:
    if mode == "after-acks":  # just after a commit: usually inside the next transaction
        writer.wait_for("ACK", rng.randint(1, 8))
    elif mode == "while-writing":  # any moment of the write loop
        writer.wait_for("READY")
        time.sleep(rng.uniform(0, 0.06))
    elif mode == "while-starting":  # while importing or opening the store
        time.sleep(rng.uniform(0, 0.8))
    writer.kill()


@pytest.mark.parametrize("seed", SEEDS)
def test_acknowledged_check_ins_survive_sigkill(database_url: str, seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311 (kill moments, not cryptography)
    person = f"walker-{seed}"
    _prepare(database_url, person)
    end = START + timedelta(days=DAYS)
    acked: set[date] = set()
    next_day = START
    modes = ["after-acks", "while-writing", "while-starting", "mid-transaction"]
    rng.shuffle(modes)
    mid_transaction_kills = 0
    for round_ in range(ROUNDS):
        mode = modes[round_] if round_ < ROUNDS - 1 else "finish"
        before = set(stored_entries(database_url, person))
        extra: tuple[str, ...] = ()
        if mode == "mid-transaction":
            extra = ("--die-after", MID_TRANSACTION, "--die-at", str(rng.randint(1, 6)))
        writer = Writer(database_url, person, next_day, (end - next_day).days, *extra)
        if mode not in {"finish", "mid-transaction"}:
            _kill(writer, mode, rng)
        code = writer.finish()

        if mode == "finish" or code == 0:
            assert code == 0, writer.stderr
            assert writer.lines[-1] == "DONE"
        else:
            assert code == KILLED, writer.stderr
        assert "database is locked" not in writer.stderr
        acked.update(writer.acked)
        stored = stored_entries(database_url, person)
        assert_exact(stored, person, acked)
        # Unacknowledged but stored: at most the day in flight when a writer was killed after
        # its commit and before its ACK (this round's, or the one this round restarted at).
        extra_days = set(stored) - acked
        assert len(extra_days) <= 1
        assert extra_days <= {writer.in_flight, next_day}, "a day nobody was writing is stored"
        if mode == "mid-transaction" and code == KILLED:
            mid_transaction_kills += 1
            assert writer.in_flight is not None
            if writer.in_flight not in before:
                assert writer.in_flight not in stored, "an uncommitted check-in was stored"
        check_integrity(database_url)
        if writer.acked:
            next_day = writer.acked[-1] + timedelta(days=1)

    stored = stored_entries(database_url, person)
    everything = {START + timedelta(days=i) for i in range(DAYS)}
    assert acked == everything
    assert set(stored) == everything
    assert_exact(stored, person, everything)
    assert mid_transaction_kills == 1


def test_concurrent_writers_on_sqlite_wait_for_each_other(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/shared.db"
    _prepare(url, "ann", "bob")
    days = 60
    ann = Writer(url, "ann", START, days)
    bob = Writer(url, "bob", START, days)
    assert bob.wait_for("ACK", 15)
    bob.kill()  # a writer killed while the other writes leaves no lock behind
    assert ann.finish() == 0, ann.stderr
    assert bob.finish() == KILLED
    restart = bob.acked[-1] + timedelta(days=1)
    bob_again = Writer(url, "bob", restart, (START + timedelta(days=days) - restart).days)
    carl = Writer(url, "carl", START, days)  # a third person, created by its writer
    for writer in (bob_again, carl):
        assert writer.finish() == 0, writer.stderr
    for writer in (ann, bob, bob_again, carl):
        assert "locked" not in writer.stderr
    everything = {START + timedelta(days=i) for i in range(days)}
    assert set(ann.acked) == everything
    assert set(bob.acked) | set(bob_again.acked) == everything
    assert set(carl.acked) == everything
    for person in ("ann", "bob", "carl"):
        stored = stored_entries(url, person)
        assert set(stored) == everything
        assert_exact(stored, person, everything)
    check_integrity(url)


def test_a_writer_killed_while_creating_the_database_leaves_one_that_opens(
    database_url: str,
) -> None:
    """The first `Store.open` of a new database creates the schema; a kill half-way through
    must leave no half-made schema that the next start cannot open."""
    first = Writer(database_url, "ann", START, 5, "--die-after", "CREATE TABLE diary_entries")
    assert first.finish() == KILLED
    assert "READY" not in first.lines
    again = Writer(database_url, "ann", START, 5)
    assert again.finish() == 0, again.stderr
    stored = stored_entries(database_url, "ann")
    assert_exact(stored, "ann", set(again.acked))
    assert len(again.acked) == 5
    check_integrity(database_url)
