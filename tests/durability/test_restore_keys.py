"""A backup holding rows of every kind restores on both databases, and the restored database
goes on numbering new rows after the restored ones (PostgreSQL's id sequences are moved on;
tables keyed by a token hash, such as sessions and one-time codes, have none)."""

from __future__ import annotations

from pathlib import Path

from backstride.domain.diary import Role
from backstride.services.container import Services
from backstride.services.settings import Settings


def test_sessions_and_codes_restore_and_new_rows_follow(
    database_url: str, fresh_url: str, tmp_path: Path
) -> None:
    services = Services.open(Settings(database_url))
    try:
        ann = services.records.add_user("ann", "person")
        clinician = services.records.add_user("dr-lee", Role.CLINICIAN.value)
        token = services.accounts.open_session(ann, "web")
        services.accounts.invite(clinician)
        counts = services.store.backup(tmp_path / "backup.json")
    finally:
        services.close()
    assert counts["auth_sessions"] == 1
    assert counts["one_time_codes"] == 1

    restored = Services.open(Settings(fresh_url))
    try:
        assert restored.store.restore(tmp_path / "backup.json") == counts
        assert restored.accounts.session_person(token, "web") == ann
        bob = restored.records.add_user("bob", "person")  # a new id after the restored ones
        assert bob.id > max(ann.id, clinician.id)
    finally:
        restored.close()
