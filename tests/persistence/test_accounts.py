"""Accounts on SQLite and PostgreSQL: passwords, sessions, rate limits, one-time codes,
deletion and the audit trail."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy import func, select

from backstride.domain.answers import ContractError
from backstride.domain.diary import Role
from backstride.persistence.tables import AuthSessionRow, DiaryEntryRow, PersonRow
from backstride.services.accounts import (
    Accounts,
    Policy,
    SignInError,
    TooManyAttemptsError,
    normalise_code,
)
from backstride.services.records import Records
from backstride.services.store import Store
from tests.persistence.conftest import Clock

PASSWORD = "a long enough passphrase"  # noqa: S105 (test account)


@pytest.fixture
def accounts(store: Store, clock: Clock) -> Accounts:
    hasher = PasswordHash((Argon2Hasher(time_cost=1, memory_cost=1024, parallelism=1),))
    return Accounts(
        store, clock, hasher, Policy(max_failures_per_client=8, api_token=timedelta(hours=1))
    )


def test_passwords_are_stored_as_argon2id_hashes(accounts: Accounts, store: Store) -> None:
    accounts.sign_up("ann", PASSWORD)
    with store.transaction() as session:
        stored = session.scalars(select(PersonRow.password_hash)).one()
    assert stored is not None
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


@pytest.mark.parametrize(
    ("name", "password", "field"),
    [("", PASSWORD, "username"), ("ann", "short", "password"), ("ann", "x" * 129, "password")],
)
def test_sign_up_names_the_bad_field_and_writes_nothing(
    accounts: Accounts, store: Store, name: str, password: str, field: str
) -> None:
    with pytest.raises(ContractError) as caught:
        accounts.sign_up(name, password)
    assert [e.field for e in caught.value.errors] == [field]
    with store.transaction() as session:
        assert session.scalar(select(func.count()).select_from(PersonRow)) == 0


@pytest.mark.parametrize(
    "password",
    [
        "password1234",  # among the most common breached passwords
        "Password12345",  # a small change to one
        "qwertyuiop123",  # a keyboard row
        "aaaaaaaaaaaaaa",  # a repeat
        "abcdefghijklmn",  # a sequence
        "zorgblatt12345",  # the account's own name and a common number
    ],
)
def test_easily_guessed_passwords_are_refused_without_repeating_them(
    accounts: Accounts, store: Store, password: str
) -> None:
    with pytest.raises(ContractError) as caught:
        accounts.sign_up("zorgblatt", password)
    (error,) = caught.value.errors
    assert error.field == "password"
    assert error.message.startswith("is too easy to guess")
    assert password.lower() not in error.message.lower()
    with store.transaction() as session:
        assert session.scalar(select(func.count()).select_from(PersonRow)) == 0


def test_the_accounts_own_name_makes_a_password_easy_to_guess(accounts: Accounts) -> None:
    accounts.sign_up("someone", "zorgblatt12345")  # a stranger's name is no help to guess it
    with pytest.raises(ContractError, match="password: is too easy to guess"):
        accounts.sign_up("zorgblatt", "zorgblatt12345")


def test_every_way_of_setting_a_password_refuses_an_easy_one(accounts: Accounts) -> None:
    accounts.sign_up("ann", PASSWORD)
    ann = accounts.sign_in("ann", PASSWORD, "10.0.0.1")
    weak = "password12345"
    with pytest.raises(ContractError, match="new_password: is too easy to guess"):
        accounts.change_password(ann, PASSWORD, weak, "10.0.0.1")
    with pytest.raises(ContractError, match="password: is too easy to guess"):
        accounts.set_password("ann", weak)
    code = accounts.reset_code("ann")
    with pytest.raises(ContractError, match="password: is too easy to guess"):
        accounts.reset_password("ann", code, weak)
    # Nothing changed: the old password still works, the code is still unused.
    assert accounts.sign_in("ann", PASSWORD, "10.0.0.1").name == "ann"
    accounts.reset_password("ann", code, "lantern orchard pebble")
    assert accounts.sign_in("ann", "lantern orchard pebble", "10.0.0.1").name == "ann"


def test_a_taken_name_is_refused(accounts: Accounts) -> None:
    accounts.sign_up("ann", PASSWORD)
    with pytest.raises(ContractError, match="taken"):
        accounts.sign_up("ann", PASSWORD)


def test_wrong_password_and_unknown_name_fail_alike(accounts: Accounts) -> None:
    accounts.sign_up("ann", PASSWORD)
    with pytest.raises(SignInError) as wrong:
        accounts.sign_in("ann", "not the password", "10.0.0.1")
    with pytest.raises(SignInError) as unknown:
        accounts.sign_in("nobody", PASSWORD, "10.0.0.1")
    assert str(wrong.value) == str(unknown.value)
    assert accounts.sign_in("ann", PASSWORD, "10.0.0.1").name == "ann"


def test_failed_sign_ins_are_rate_limited_per_account_and_per_client(
    accounts: Accounts, clock: Clock
) -> None:
    accounts.sign_up("ann", PASSWORD)
    for _ in range(accounts.policy.max_failures_per_account):
        with pytest.raises(SignInError):
            accounts.sign_in("ann", "wrong password!", "10.0.0.1")
    with pytest.raises(TooManyAttemptsError):
        accounts.sign_in("ann", PASSWORD, "10.0.0.2")  # even the right password, elsewhere
    clock.now += accounts.policy.failure_window + timedelta(seconds=1)
    assert accounts.sign_in("ann", PASSWORD, "10.0.0.2").name == "ann"
    # One client trying many names is stopped too.
    for n in range(accounts.policy.max_failures_per_client):
        with pytest.raises(SignInError):
            accounts.sign_in(f"guess{n}", "wrong password!", "10.0.0.9")
    with pytest.raises(TooManyAttemptsError):
        accounts.sign_in("ann", PASSWORD, "10.0.0.9")


def test_sessions_expire_and_end(accounts: Accounts, store: Store, clock: Clock) -> None:
    ann = accounts.sign_up("ann", PASSWORD)
    web = accounts.open_session(ann, "web")
    api = accounts.open_session(ann, "api")
    assert accounts.session_person(web, "web") == ann
    assert accounts.session_person(web, "api") is None, "a web session is not an API token"
    with store.transaction() as session:
        kept = set(session.scalars(select(AuthSessionRow.token_hash)))
    assert not {web, api} & kept, "only hashes are stored"
    assert len(kept) == 2
    clock.now += accounts.policy.api_token + timedelta(seconds=1)
    assert accounts.session_person(api, "api") is None
    assert accounts.session_person(web, "web") == ann
    accounts.close_session(web)
    assert accounts.session_person(web, "web") is None


def test_a_new_password_ends_every_session(accounts: Accounts) -> None:
    ann = accounts.sign_up("ann", PASSWORD)
    token = accounts.open_session(ann, "web")
    accounts.set_password("ann", "another long passphrase")
    assert accounts.session_person(token, "web") is None
    with pytest.raises(SignInError):
        accounts.sign_in("ann", PASSWORD, "10.0.0.1")


def test_reset_codes_work_once_for_their_owner_within_the_hour(
    accounts: Accounts, clock: Clock
) -> None:
    accounts.sign_up("ann", PASSWORD)
    accounts.sign_up("bob", PASSWORD)
    code = accounts.reset_code("ann")
    with pytest.raises(ContractError):
        accounts.reset_password("bob", code, "bob's new passphrase")
    code = accounts.reset_code("ann")
    accounts.reset_password("ann", code.lower().replace("-", " "), "ann's new passphrase")
    assert accounts.sign_in("ann", "ann's new passphrase", "10.0.0.1").name == "ann"
    with pytest.raises(ContractError):
        accounts.reset_password("ann", code, "yet another passphrase")
    late = accounts.reset_code("ann")
    clock.now += accounts.policy.reset_code + timedelta(seconds=1)
    with pytest.raises(ContractError, match="expired"):
        accounts.reset_password("ann", late, "yet another passphrase")


def test_a_mistyped_name_does_not_use_up_a_reset_code(accounts: Accounts) -> None:
    accounts.sign_up("ann", PASSWORD)
    code = accounts.reset_code("ann")
    for wrong in ("anne", "nobody-at-all"):
        with pytest.raises(ContractError, match="code: is not valid"):
            accounts.reset_password(wrong, code, "ann's new passphrase")
    accounts.reset_password("ann", code, "ann's new passphrase")
    assert accounts.sign_in("ann", "ann's new passphrase", "10.0.0.1").name == "ann"


def test_invitations_link_a_person_to_the_clinician_once(
    accounts: Accounts, records: Records, clock: Clock
) -> None:
    doctor = accounts.sign_up("dr", PASSWORD, Role.CLINICIAN)
    ann = accounts.sign_up("ann", PASSWORD)
    bob = accounts.sign_up("bob", PASSWORD)
    code = accounts.invite(doctor)
    assert len(normalise_code(code)) == 10
    assert accounts.accept_invitation(ann, code) == doctor
    assert [p.name for p in records.linked_people("dr")] == ["ann"]
    with pytest.raises(ContractError, match="not valid"):
        accounts.accept_invitation(bob, code)
    expired = accounts.invite(doctor)
    clock.now += accounts.policy.invitation + timedelta(seconds=1)
    with pytest.raises(ContractError, match="not valid"):
        accounts.accept_invitation(bob, expired)
    with pytest.raises(ContractError):
        accounts.invite(ann)  # only clinicians invite


def test_deleting_an_account_deletes_its_records(
    accounts: Accounts, records: Records, store: Store
) -> None:
    ann = accounts.sign_up("ann", PASSWORD)
    records.add_entry(
        "ann",
        {"day": records.clock().date(), "pain_now": 3, "pain_walking": 4, "walk_minutes": 10},
    )
    accounts.open_session(ann, "web")
    accounts.delete_account(ann)
    with store.transaction() as session:
        assert session.scalar(select(func.count()).select_from(PersonRow)) == 0
        assert session.scalar(select(func.count()).select_from(AuthSessionRow)) == 0
    with pytest.raises(ContractError):
        records.entries("ann")


def test_the_audit_trail_keeps_who_did_what(accounts: Accounts) -> None:
    doctor = accounts.sign_up("dr", PASSWORD, Role.CLINICIAN)
    ann = accounts.sign_up("ann", PASSWORD)
    accounts.audit(ann.id, doctor, "viewed", {"summary": "Viewed the diary"})
    [event] = accounts.audit_trail(ann.id)
    assert (event.actor_name, event.action, event.detail) == (
        "dr",
        "viewed",
        {"summary": "Viewed the diary"},
    )
    assert accounts.audit_trail(doctor.id) == []


# -- retention ---------------------------------------------------------------------------------


def test_dormant_people_are_purged_with_everything_stored_about_them(
    accounts: Accounts,
    records: Records,
    store: Store,
    clock: Clock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    now = clock.now
    clock.now = now - timedelta(days=3 * 365)
    for name in ("old", "wrote-lately", "assessed-lately"):
        records.add_user(name, "person")
    records.add_user("dr", "clinician")  # clinicians are never purged
    clock.now = now - timedelta(days=2 * 365 + 10)
    records.add_entry(
        "old", {"day": clock.now.date(), "pain_now": 3, "pain_walking": 4, "walk_minutes": 10.0}
    )
    records.add_entry(
        "wrote-lately",
        {"day": clock.now.date(), "pain_now": 3, "pain_walking": 4, "walk_minutes": 10.0},
    )
    clock.now = now - timedelta(days=10)
    records.add_entry(
        "wrote-lately",
        {"day": clock.now.date(), "pain_now": 2, "pain_walking": 3, "walk_minutes": 10.0},
    )
    records.store_assessment("assessed-lately", {}, records.assessments.assess({}))
    clock.now = now
    records.add_user("new", "person")
    old = records.history("old")[0]

    idle = timedelta(days=730)
    assert accounts.dormant(idle) == [old.id]
    with caplog.at_level("INFO", logger="backstride.security"):
        assert accounts.purge(idle) == 1
    with store.transaction() as session:
        names = set(session.scalars(select(PersonRow.name)))
    assert names == {"wrote-lately", "assessed-lately", "dr", "new"}
    with store.transaction() as session:
        assert session.scalar(select(func.count()).select_from(DiaryEntryRow)) == 2
    [line] = [r.getMessage() for r in caplog.records if "account_deleted" in r.getMessage()]
    assert '"by":"retention"' in line
    assert f'"account":{old.id}' in line
    assert accounts.purge(idle) == 0  # nothing left to do


def test_the_purge_keeps_someone_who_wrote_since_the_list_was_made(
    accounts: Accounts, records: Records, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    records.add_user("ann", "person")  # created now: not dormant
    ann = records.history("ann")[0]
    monkeypatch.setattr(accounts, "dormant", lambda idle: [ann.id])  # a stale list
    assert accounts.purge(timedelta(days=400)) == 0
    assert records.history("ann")[0] == ann


@pytest.mark.parametrize("days", [0, 30, 364])
def test_a_retention_period_under_a_year_is_refused(accounts: Accounts, days: int) -> None:
    with pytest.raises(ContractError, match="inactive_days: must be at least 365 days"):
        accounts.purge(timedelta(days=days))
