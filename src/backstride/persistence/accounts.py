"""Reads and writes for accounts: passwords, sessions, one-time codes, login failures and the
audit trail. Secrets arrive here already hashed; the caller owns the transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, select, text
from sqlalchemy.orm import Session

from backstride.domain.diary import Person, Role
from backstride.persistence.tables import (
    AssessmentRow,
    AuditEventRow,
    AuthSessionRow,
    DiaryEntryRow,
    ExerciseSessionRow,
    LoginFailureRow,
    OneTimeCodeRow,
    PersonRow,
    UTCDateTime,
    WalkingTestRow,
)


@dataclass(frozen=True, slots=True)
class AuditEvent:
    person_id: int
    actor_name: str
    action: str
    detail: dict[str, Any]
    at: datetime


def _person(row: PersonRow) -> Person:
    return Person(row.id, row.name, Role(row.role), row.created_at)


def credentials(session: Session, name: str) -> tuple[Person, str | None] | None:
    row = session.scalars(select(PersonRow).where(PersonRow.name == name)).one_or_none()
    return None if row is None else (_person(row), row.password_hash)


def set_password_hash(session: Session, person_id: int, password_hash: str) -> None:
    row = session.get(PersonRow, person_id)
    if row is not None:
        row.password_hash = password_hash


def person_by_id(session: Session, person_id: int) -> Person | None:
    row = session.get(PersonRow, person_id)
    return None if row is None else _person(row)


def last_written(session: Session, person_id: int | None = None) -> dict[int, datetime]:
    """For every person keeping a diary (not clinicians or admins), or only ``person_id``,
    when the latest of their own records was written: the account itself, check-ins (their
    last change), assessments, exercises marked done, walking tests and sign-in sessions
    still stored."""
    people = select(PersonRow.id, PersonRow.created_at).where(PersonRow.role == Role.PERSON.value)
    if person_id is not None:
        people = people.where(PersonRow.id == person_id)
    latest: dict[int, datetime] = dict(session.execute(people).all())
    sources = (
        (DiaryEntryRow.person_id, DiaryEntryRow.updated_at),
        (AssessmentRow.person_id, AssessmentRow.created_at),
        (ExerciseSessionRow.person_id, ExerciseSessionRow.created_at),
        (WalkingTestRow.person_id, WalkingTestRow.recorded_at),
        (AuthSessionRow.person_id, AuthSessionRow.created_at),
    )
    for owner, written in sources:
        query = select(owner, func.max(written)).group_by(owner)
        if person_id is not None:
            query = query.where(owner == person_id)
        for owner_id, at in session.execute(query):
            if owner_id in latest and at is not None and at > latest[owner_id]:
                latest[owner_id] = at
    return latest


def delete_person(session: Session, person_id: int) -> None:
    """Delete a person and, by cascade, everything stored about them."""
    row = session.get(PersonRow, person_id)
    if row is not None:
        session.delete(row)


# -- sessions -------------------------------------------------------------------------------


def add_session(
    session: Session,
    token_hash: str,
    person_id: int,
    *,
    kind: str,
    now: datetime,
    expires: datetime,
) -> None:
    row = AuthSessionRow(
        token_hash=token_hash, person_id=person_id, kind=kind, created_at=now, expires_at=expires
    )
    session.add(row)


#: Every request asks who its session is: one plain statement (a ``select()`` costs more to
#: build and look up in SQLAlchemy's cache than the database takes to answer it).
_SESSION_PERSON = (
    text(
        "SELECT people.id, people.name, people.role, people.created_at FROM auth_sessions "
        "JOIN people ON people.id = auth_sessions.person_id "
        "WHERE auth_sessions.token_hash = :token_hash AND auth_sessions.kind = :kind "
        "AND auth_sessions.expires_at > :now"
    )
    .bindparams(bindparam("now", type_=UTCDateTime()))
    .columns(created_at=UTCDateTime())
)


def session_person(session: Session, token_hash: str, kind: str, now: datetime) -> Person | None:
    found = session.execute(
        _SESSION_PERSON, {"token_hash": token_hash, "kind": kind, "now": now}
    ).one_or_none()
    if found is None:
        return None
    person_id, name, role, created_at = found
    return Person(person_id, name, Role(role), created_at)


@dataclass(frozen=True, slots=True)
class SessionRecord:
    token_hash: str
    kind: str
    created_at: datetime
    expires_at: datetime


def sessions_of(session: Session, person_id: int, now: datetime) -> list[SessionRecord]:
    """The account's sessions that have not expired, newest first."""
    query = (
        select(AuthSessionRow)
        .where(AuthSessionRow.person_id == person_id, AuthSessionRow.expires_at > now)
        .order_by(AuthSessionRow.created_at.desc(), AuthSessionRow.token_hash)
    )
    return [
        SessionRecord(r.token_hash, r.kind, r.created_at, r.expires_at)
        for r in session.scalars(query)
    ]


def delete_sessions_except(session: Session, person_id: int, keep_hash: str) -> int:
    """End every session of the account but one; how many ended."""
    query = delete(AuthSessionRow).where(
        AuthSessionRow.person_id == person_id, AuthSessionRow.token_hash != keep_hash
    )
    return len(session.execute(query.returning(AuthSessionRow.token_hash)).all())


def delete_session(session: Session, token_hash: str) -> int | None:
    """End one session; the account it belonged to, or None if there was none."""
    query = (
        delete(AuthSessionRow)
        .where(AuthSessionRow.token_hash == token_hash)
        .returning(AuthSessionRow.person_id)
    )
    return session.execute(query).scalar_one_or_none()


def delete_sessions(session: Session, person_id: int) -> None:
    session.execute(delete(AuthSessionRow).where(AuthSessionRow.person_id == person_id))


def delete_expired_sessions(session: Session, now: datetime) -> None:
    session.execute(delete(AuthSessionRow).where(AuthSessionRow.expires_at <= now))


# -- login failures -------------------------------------------------------------------------


def add_failure(session: Session, key: str, now: datetime) -> None:
    session.add(LoginFailureRow(key=key, at=now))


def count_failures(session: Session, key: str, since: datetime) -> int:
    query = select(func.count()).where(LoginFailureRow.key == key, LoginFailureRow.at > since)
    return int(session.scalar(query) or 0)


def clear_failures(session: Session, key: str) -> None:
    session.execute(delete(LoginFailureRow).where(LoginFailureRow.key == key))


def prune_failures(session: Session, before: datetime) -> None:
    session.execute(delete(LoginFailureRow).where(LoginFailureRow.at <= before))


# -- one-time codes -------------------------------------------------------------------------


def add_code(
    session: Session,
    code_hash: str,
    *,
    purpose: str,
    person_id: int,
    now: datetime,
    expires: datetime,
) -> None:
    session.add(
        OneTimeCodeRow(
            code_hash=code_hash,
            purpose=purpose,
            person_id=person_id,
            created_at=now,
            expires_at=expires,
        )
    )


def use_code(session: Session, code_hash: str, purpose: str, now: datetime) -> int | None:
    """Mark a valid, unused code as used and return whose it is; None when it is not valid."""
    row = session.get(OneTimeCodeRow, code_hash)
    if row is None or row.purpose != purpose or row.used_at is not None or row.expires_at <= now:
        return None
    row.used_at = now
    return row.person_id


# -- audit ----------------------------------------------------------------------------------


#: How the trail names what the command line did (the operator has no account of their own).
COMMAND_LINE = "Administrator (command line)"


def add_audit(
    session: Session,
    person_id: int,
    *,
    actor: Person | None,
    action: str,
    detail: dict[str, Any],
    now: datetime,
) -> None:
    """One event in ``person_id``'s trail; ``actor`` None for the command line's operator."""
    session.add(
        AuditEventRow(
            person_id=person_id,
            actor_id=None if actor is None else actor.id,
            actor_name=COMMAND_LINE if actor is None else actor.name,
            action=action,
            detail=detail,
            at=now,
        )
    )


def audit_events(session: Session, person_id: int) -> list[AuditEvent]:
    query = (
        select(AuditEventRow)
        .where(AuditEventRow.person_id == person_id)
        .order_by(AuditEventRow.at, AuditEventRow.id)
    )
    return [
        AuditEvent(r.person_id, r.actor_name, r.action, r.detail, r.at)
        for r in session.scalars(query)
    ]
