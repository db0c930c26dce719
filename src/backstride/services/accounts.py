"""Accounts: sign-up, sign-in with rate limiting, sessions and API tokens, invitation and
password-reset codes, account deletion, and the audit trail.

Passwords are hashed with argon2id (pwdlib); a new one that is easily guessed (zxcvbn's
estimate: common and breached passwords, names, keyboard patterns, repeats) is refused.
Session tokens and one-time codes are random;
only their SHA-256 is stored. Sign-in failures say the same thing whether the name exists or
not, and take about as long.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from zxcvbn import zxcvbn

from backstride.domain.answers import ContractError, FieldError
from backstride.domain.diary import Person, Role
from backstride.persistence import accounts as repo
from backstride.persistence import repositories as people_repo
from backstride.persistence.accounts import AuditEvent
from backstride.services.records import Clock, utc_now
from backstride.services.security_log import SecurityLog
from backstride.services.store import Store

#: The shortest inactivity after which ``purge`` may delete an account: a floor against a
#: mistyped period, not the retention period itself (that is the clinic's policy, set by the
#: operator; NHS England keeps adult records 8 years after the last entry).
MIN_RETENTION = timedelta(days=365)
MIN_PASSWORD_CHARS = 12  # OWASP ASVS 4.0.3, V2.1.1
MAX_PASSWORD_CHARS = 128  # V2.1.2
#: zxcvbn's score (0 to 4) a new password needs: 0 and 1 fall within about a million guesses
#: (the passwords most often found in breaches and small changes to them; V2.1.7). 2 resists
#: online guessing, which the sign-in rate limit slows further (Wheeler, USENIX Security 2016).
MIN_PASSWORD_SCORE = 2
#: zxcvbn's own cap (its cost grows with length); a longer password is judged on its start.
STRENGTH_CHARS = 72
#: Codes are read aloud or typed from paper: no 0/O or 1/I/L to confuse.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10  # about 50 bits
SESSION_KINDS = ("web", "api")


@dataclass(frozen=True, slots=True)
class Policy:
    """How long things last and how many failed sign-ins are tolerated."""

    #: OWASP ASVS 4.0.3 V3.3.2 (level 2): sign in again at least every 12 hours.
    web_session: timedelta = timedelta(hours=12)
    api_token: timedelta = timedelta(hours=12)
    invitation: timedelta = timedelta(days=14)
    reset_code: timedelta = timedelta(hours=1)
    failure_window: timedelta = timedelta(minutes=15)
    max_failures_per_account: int = 5
    max_failures_per_client: int = 30
    #: Sign-up attempts (made or refused) per address in ``failure_window``: enough for a
    #: clinic signing several patients up on one network, too few to probe which names exist.
    max_signups_per_client: int = 20


class SignInError(Exception):
    """The name and password do not match an account (which one is wrong is not said)."""

    message = "That name and password do not match an account."


class TooManyAttemptsError(Exception):
    """Too many failed sign-ins for this account or from this client, recently."""

    def __init__(self, retry_after_s: int) -> None:
        super().__init__("too many failed sign-ins")
        self.retry_after_s = retry_after_s


#: Password hashes computed at once per process. Each argon2 hash takes 64 MiB and a core
#: for a moment; unbounded, a burst of sign-ins (50 people arriving for morning check-ins)
#: ran dozens at once in the worker's thread pool, starving the threads that held database
#: transactions until other requests failed with "database is locked" (bench/load.py).
HASHING_AT_ONCE = 2
_hashing = threading.BoundedSemaphore(HASHING_AT_ONCE)


class BoundedPasswordHash(PasswordHash):
    """A ``PasswordHash`` that computes at most ``HASHING_AT_ONCE`` hashes at a time in
    this process; the other callers wait their turn."""

    def hash(self, password: str | bytes, *, salt: bytes | None = None) -> str:
        with _hashing:
            return super().hash(password, salt=salt)

    def verify_and_update(
        self,
        password: str | bytes,
        hash: str | bytes,  # noqa: A002 (the library's parameter name)
    ) -> tuple[bool, str | None]:
        with _hashing:
            return super().verify_and_update(password, hash)


def default_hasher() -> PasswordHash:
    """argon2id with the library's defaults (RFC 9106 second recommendation), at most
    ``HASHING_AT_ONCE`` hashes at a time."""
    return BoundedPasswordHash((Argon2Hasher(),))


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def normalise_code(code: str) -> str:
    """Codes are typed by people: case, spaces and dashes do not matter."""
    return "".join(c for c in code.upper() if c.isalnum())


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def check_password(password: str, field: str = "password", *, name: str = "") -> None:
    """A new password's length, then how easily it is guessed (``name``, the account's, counts
    as known to an attacker). The message never repeats the password."""
    if not MIN_PASSWORD_CHARS <= len(password) <= MAX_PASSWORD_CHARS:
        raise ContractError(
            (
                FieldError(
                    field,
                    f"must be {MIN_PASSWORD_CHARS} to {MAX_PASSWORD_CHARS} characters "
                    "(a few words together make a good one)",
                ),
            )
        )
    estimate = zxcvbn(password[:STRENGTH_CHARS], user_inputs=[name] if name else [])
    if estimate["score"] < MIN_PASSWORD_SCORE:
        warning = str(estimate["feedback"]["warning"]).rstrip(".")
        why = f" ({warning[:1].lower()}{warning[1:]})" if warning else ""
        raise ContractError(
            (
                FieldError(
                    field,
                    f"is too easy to guess{why}: a few words that do not usually go together "
                    "make a good one",
                ),
            )
        )


def check_name(name: str) -> str:
    clean = name.strip()
    if not 1 <= len(clean) <= 100 or not clean.isprintable():
        raise ContractError((FieldError("username", "must be 1 to 100 printable characters"),))
    return clean


@dataclass(frozen=True, slots=True)
class ActiveSession:
    """One place an account is signed in: a browser (``kind`` web) or an API token."""

    #: Names the session in a form (a short digest of its stored hash, never the token).
    handle: str
    kind: str
    signed_in_at: datetime
    ends_at: datetime
    #: The session the asking browser uses.
    current: bool


def _handle(token_hash: str) -> str:
    return hashlib.sha256(("session-handle:" + token_hash).encode()).hexdigest()[:20]


class Accounts:
    """Who may sign in, and as whom."""

    def __init__(
        self,
        store: Store,
        clock: Clock = utc_now,
        hasher: PasswordHash | None = None,
        policy: Policy | None = None,
    ) -> None:
        self.store = store
        self.clock = clock
        self.hasher = hasher or default_hasher()
        self.policy = policy or Policy()
        self.security = SecurityLog(clock)
        # Verified when a name is unknown, so that a miss costs as long as a wrong password.
        self._dummy_hash = self.hasher.hash(secrets.token_urlsafe(16))

    # -- accounts -------------------------------------------------------------------------

    def sign_up(
        self, name: str, password: str, role: Role = Role.PERSON, client: str | None = None
    ) -> Person:
        """A new account with its password. From the web (``client`` given: where the
        attempt came from), attempts are limited per address, made or refused alike
        (``TooManyAttemptsError``), so that nobody can try name after name to learn which
        exist."""
        clean = check_name(name)
        check_password(password, name=clean)
        if client is not None:
            self._count_sign_up(client)
        password_hash = self.hasher.hash(password)
        with self.store.transaction() as session:
            if people_repo.find_person(session, clean) is not None:
                raise ContractError((FieldError("username", "is taken: choose another"),))
            person = people_repo.add_person(session, clean, role, self.clock())
            repo.set_password_hash(session, person.id, password_hash)
        self.security.record("account_created", account=person.id, role=role.value)
        return person

    def _count_sign_up(self, client: str) -> None:
        now = self.clock()
        key = _digest(f"signup:{client}")
        with self.store.transaction() as session:
            since = now - self.policy.failure_window
            blocked = repo.count_failures(session, key, since) >= self.policy.max_signups_per_client
            if not blocked:
                repo.add_failure(session, key, now)
        if blocked:
            self.security.record("sign_up_blocked", client=client)
            raise TooManyAttemptsError(int(self.policy.failure_window.total_seconds()))

    def set_password(self, name: str, password: str) -> None:
        """Set a password (admin, CLI); every session of that account ends."""
        account = self._set_password(name, password)
        self.security.record("password_set", account=account)

    def _set_password(self, name: str, password: str) -> int:
        check_password(password, name=name)
        password_hash = self.hasher.hash(password)
        with self.store.transaction() as session:
            found = repo.credentials(session, name)
            if found is None:
                raise ContractError((FieldError("user", "no such user"),))
            repo.set_password_hash(session, found[0].id, password_hash)
            repo.delete_sessions(session, found[0].id)
        return found[0].id

    def change_password(self, person: Person, current: str, new: str, client: str) -> None:
        """A signed-in person's own change: the current password is checked first (with the
        same rate limit as signing in: ``SignInError``/``TooManyAttemptsError``), the new one
        must differ, and every session of the account ends (the caller opens a new one)."""
        check_password(new, "new_password", name=person.name)
        if new == current:
            raise ContractError((FieldError("new_password", "must differ from the current one"),))
        self.sign_in(person.name, current, client)
        self._set_password(person.name, new)
        self.security.record("password_changed", account=person.id, client=client)

    def person(self, person_id: int) -> Person | None:
        with self.store.read() as session:
            return repo.person_by_id(session, person_id)

    def delete_account(self, person: Person) -> None:
        """Delete the account and everything stored about it (diary, plans, sessions)."""
        with self.store.transaction() as session:
            repo.delete_person(session, person.id)
        self.security.record("account_deleted", account=person.id)

    def dormant(self, idle: timedelta) -> list[int]:
        """People keeping a diary who have written nothing for ``idle`` (see
        ``persistence.accounts.last_written``), oldest activity first. Nobody is listed for
        less than ``MIN_RETENTION`` (``ContractError`` naming ``inactive_days``)."""
        if idle < MIN_RETENTION:
            raise ContractError(
                (FieldError("inactive_days", f"must be at least {MIN_RETENTION.days} days"),)
            )
        cutoff = self.clock() - idle
        with self.store.read() as session:
            latest = repo.last_written(session)
        return sorted((i for i, at in latest.items() if at < cutoff), key=lambda i: latest[i])

    def purge(self, idle: timedelta) -> int:
        """Delete the accounts ``dormant(idle)`` lists, everything stored about them with
        them, each in its own transaction and checked again inside it (a person who writes
        something meanwhile is kept). Returns how many were deleted. Each deletion is in the
        security log (``by: retention``)."""
        deleted = 0
        for person_id in self.dormant(idle):
            cutoff = self.clock() - idle
            with self.store.transaction() as session:
                at = repo.last_written(session, person_id).get(person_id)
                if at is None or at >= cutoff:
                    continue
                repo.delete_person(session, person_id)
            self.security.record("account_deleted", account=person_id, by="retention")
            deleted += 1
        return deleted

    # -- signing in -----------------------------------------------------------------------

    def _keys(self, name: str, client: str) -> tuple[str, str]:
        return _digest(f"account:{name.strip().casefold()}"), _digest(f"client:{client}")

    def sign_in(self, name: str, password: str, client: str) -> Person:
        """The account, or ``SignInError``/``TooManyAttemptsError``. ``client`` identifies
        where the attempt came from (the web app passes a keyed pseudonym of the address): it
        keys the rate limit, stored hashed, and the security log."""
        now = self.clock()
        account_key, client_key = self._keys(name, client)
        since = now - self.policy.failure_window
        with self.store.transaction() as session:
            found = repo.credentials(session, name.strip())
            blocked = (
                repo.count_failures(session, account_key, since)
                >= self.policy.max_failures_per_account
                or repo.count_failures(session, client_key, since)
                >= self.policy.max_failures_per_client
            )
        account = found[0].id if found is not None else None
        if blocked:
            self.security.record("sign_in_blocked", account=account, client=client)
            raise TooManyAttemptsError(int(self.policy.failure_window.total_seconds()))
        stored = found[1] if found is not None else None
        valid, new_hash = self.hasher.verify_and_update(password, stored or self._dummy_hash)
        if found is None or stored is None or not valid:
            # Committed before raising: an error inside the transaction would roll it back.
            with self.store.transaction() as session:
                repo.add_failure(session, account_key, now)
                repo.add_failure(session, client_key, now)
            self.security.record("sign_in_failed", account=account, client=client)
            raise SignInError(SignInError.message)
        with self.store.transaction() as session:
            repo.clear_failures(session, account_key)
            repo.prune_failures(session, since)
            if new_hash is not None:
                repo.set_password_hash(session, found[0].id, new_hash)
        self.security.record("sign_in", account=account, client=client)
        return found[0]

    def open_session(self, person: Person, kind: str) -> str:
        """A new random token for ``person``; only its hash is stored."""
        if kind not in SESSION_KINDS:
            raise ValueError(f"unknown session kind {kind!r}")
        token = secrets.token_urlsafe(32)
        now = self.clock()
        lifetime = self.policy.web_session if kind == "web" else self.policy.api_token
        with self.store.transaction() as session:
            repo.delete_expired_sessions(session, now)
            repo.add_session(
                session, _digest(token), person.id, kind=kind, now=now, expires=now + lifetime
            )
        self.security.record("session_opened", account=person.id, kind=kind)
        return token

    def session_person(self, token: str, kind: str) -> Person | None:
        """Who a token signs in (every request asks: a read, which takes no write lock)."""
        with self.store.read() as session:
            return repo.session_person(session, _digest(token), kind, self.clock())

    def close_session(self, token: str) -> None:
        with self.store.transaction() as session:
            owner = repo.delete_session(session, _digest(token))
        if owner is not None:
            self.security.record("session_closed", account=owner)

    def sessions(self, person: Person, current_token: str | None) -> list[ActiveSession]:
        """Where ``person`` is signed in (browsers and API tokens), newest first; the one
        ``current_token`` belongs to is marked."""
        current = _digest(current_token) if current_token else None
        with self.store.read() as session:
            found = repo.sessions_of(session, person.id, self.clock())
        return [
            ActiveSession(
                handle=_handle(r.token_hash),
                kind=r.kind,
                signed_in_at=r.created_at,
                ends_at=r.expires_at,
                current=r.token_hash == current,
            )
            for r in found
        ]

    def end_session(self, person: Person, handle: str) -> bool:
        """End one of ``person``'s own sessions by its handle (``ActiveSession.handle``);
        False when there is none (already ended, or not theirs)."""
        with self.store.transaction() as session:
            found = [
                r.token_hash
                for r in repo.sessions_of(session, person.id, self.clock())
                if hmac.compare_digest(_handle(r.token_hash), handle)
            ]
            for token_hash in found:
                repo.delete_session(session, token_hash)
        if found:
            self.security.record("session_closed", account=person.id, sessions=len(found))
        return bool(found)

    def end_other_sessions(self, person: Person, current_token: str) -> int:
        """End every session of ``person`` except the one ``current_token`` belongs to."""
        with self.store.transaction() as session:
            ended = repo.delete_sessions_except(session, person.id, _digest(current_token))
        if ended:
            self.security.record("session_closed", account=person.id, sessions=ended)
        return ended

    # -- one-time codes -------------------------------------------------------------------

    def _issue(self, person_id: int, purpose: str, lifetime: timedelta) -> str:
        code = new_code()
        now = self.clock()
        with self.store.transaction() as session:
            repo.add_code(
                session,
                _digest(normalise_code(code)),
                purpose=purpose,
                person_id=person_id,
                now=now,
                expires=now + lifetime,
            )
        return code

    def invite(self, clinician: Person) -> str:
        """An invitation code a clinician gives a person, to link them."""
        if clinician.role is not Role.CLINICIAN:
            raise ContractError((FieldError("user", "is not a clinician"),))
        return self._issue(clinician.id, "invite", self.policy.invitation)

    def accept_invitation(self, person: Person, code: str) -> Person:
        """Link ``person`` to the clinician whose code this is; returns the clinician."""
        now = self.clock()
        with self.store.transaction() as session:
            if person.role is not Role.PERSON:
                raise ContractError((FieldError("code", "only people keeping a diary can link"),))
            clinician_id = repo.use_code(session, _digest(normalise_code(code)), "invite", now)
            clinician = None if clinician_id is None else repo.person_by_id(session, clinician_id)
            if clinician is None:
                raise ContractError(
                    (FieldError("code", "is not valid: it may be mistyped, used or expired"),)
                )
            if person.id not in people_repo.linked_people(session, clinician.id):
                people_repo.link(session, clinician.id, person.id, now)
        self.security.record("clinician_linked", account=person.id, clinician=clinician.id)
        return clinician

    def stop_sharing(self, person: Person, clinician_id: int) -> Person | None:
        """End a clinician's access to ``person``'s records (the person's own choice, at any
        time; an invitation code links them again). Returns the clinician, or None if they
        were not linked. Recorded in the person's audit trail and the security log."""
        with self.store.transaction() as session:
            clinician = repo.person_by_id(session, clinician_id)
            if clinician is None or not people_repo.unlink(session, clinician_id, person.id):
                return None
            repo.add_audit(
                session,
                person.id,
                actor=person,
                action="clinician_unlinked",
                detail={"summary": f"You stopped sharing your records with {clinician.name}"},
                now=self.clock(),
            )
        self.security.record("clinician_unlinked", account=person.id, clinician=clinician_id)
        return clinician

    def remove_from_list(self, clinician: Person, person_id: int) -> Person | None:
        """A clinician ends their own access to a linked person (discharged, say). Returns
        the person, or None if they were not linked. The person's audit trail says so, and the
        security log records it."""
        with self.store.transaction() as session:
            person = repo.person_by_id(session, person_id)
            if person is None or not people_repo.unlink(session, clinician.id, person_id):
                return None
            repo.add_audit(
                session,
                person_id,
                actor=clinician,
                action="clinician_unlinked",
                detail={
                    "summary": "Removed you from their list: they can no longer see your records"
                },
                now=self.clock(),
            )
        self.security.record(
            "clinician_unlinked", account=clinician.id, person=person_id, by="clinician"
        )
        return person

    def reset_code(self, name: str) -> str:
        """A one-time code (valid for an hour) with which ``name`` can set a new password."""
        with self.store.transaction() as session:
            found = repo.credentials(session, name)
            if found is None:
                raise ContractError((FieldError("user", "no such user"),))
        code = self._issue(found[0].id, "reset", self.policy.reset_code)
        self.security.record("reset_code_issued", account=found[0].id)
        return code

    def reset_password(self, name: str, code: str, password: str) -> None:
        """Set a new password with a reset code; every session of the account ends."""
        check_password(password, name=name.strip())
        password_hash = self.hasher.hash(password)
        with self.store.read() as session:
            found = repo.credentials(session, name.strip())
        account = found[0].id if found is not None else None
        try:
            self._reset(account, code, password_hash)
        except ContractError:
            self.security.record("password_reset_failed", account=account)
            raise
        self.security.record("password_reset", account=account)

    def _reset(self, account: int | None, code: str, password_hash: str) -> None:
        """Use the code and set the hash, or raise inside the transaction: it rolls back, so
        a mistyped name does not use up the code."""
        with self.store.transaction() as session:
            owner = repo.use_code(session, _digest(normalise_code(code)), "reset", self.clock())
            if account is None or owner != account:
                raise ContractError(
                    (FieldError("code", "is not valid for that name, or has expired"),)
                )
            repo.set_password_hash(session, account, password_hash)
            repo.delete_sessions(session, account)

    # -- the audit trail ------------------------------------------------------------------

    def audit(self, subject_id: int, actor: Person, action: str, detail: dict[str, Any]) -> None:
        with self.store.transaction() as session:
            repo.add_audit(
                session, subject_id, actor=actor, action=action, detail=detail, now=self.clock()
            )

    def record_admin_action(self, name: str, action: str, summary: str) -> None:
        """Put what the command line did to ``name``'s account in their trail (a person's:
        clinicians and admins have no trail page), named as the command line's operator."""
        with self.store.transaction() as session:
            found = repo.credentials(session, name)
            if found is None or found[0].role is not Role.PERSON:
                return
            repo.add_audit(
                session,
                found[0].id,
                actor=None,
                action=action,
                detail={"summary": summary},
                now=self.clock(),
            )

    def audit_trail(self, subject_id: int) -> list[AuditEvent]:
        with self.store.read() as session:
            return repo.audit_events(session, subject_id)

    def audit_lines(self, subject_id: int) -> list[AuditLine]:
        """The trail as the person reads it: every event is stored, but repeated views by
        the same person, each within an hour of the one before, show as one line."""
        return group_repeats(self.audit_trail(subject_id))


#: Views closer together than this, by the same actor, are shown as one line.
REPEAT_WINDOW = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class AuditLine:
    """One line of the trail shown to the person: an event, or a run of repeated views."""

    at: datetime  # the first
    last_at: datetime  # the last (== at for a single event)
    count: int
    actor_name: str
    action: str
    detail: dict[str, Any]


def group_repeats(events: list[AuditEvent]) -> list[AuditLine]:
    """Consecutive "viewed" events by one actor, each within ``REPEAT_WINDOW`` of the one
    before, become one line; everything else stays a line of its own (oldest first)."""
    lines: list[AuditLine] = []
    for event in events:
        last = lines[-1] if lines else None
        if (
            last is not None
            and event.action == last.action == "viewed"
            and event.actor_name == last.actor_name
            and event.at - last.last_at <= REPEAT_WINDOW
        ):
            lines[-1] = AuditLine(
                last.at, event.at, last.count + 1, last.actor_name, last.action, last.detail
            )
            continue
        lines.append(AuditLine(event.at, event.at, 1, event.actor_name, event.action, event.detail))
    return lines
