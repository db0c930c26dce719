"""Which calendar day a check-in is for: where the people live (``BACKSTRIDE_TIMEZONE``), not
where the server runs. A server in UTC used to give a person in London, checking in at half
past midnight in summer, the day before: their check-in changed yesterday's, which was lost."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from backstride.domain.answers import ContractError
from backstride.services.assessments import default_service
from backstride.services.records import EntryLockedError, Records
from backstride.services.settings import ConfigError, get_settings
from backstride.services.store import Store
from tests.persistence.conftest import Clock

LONDON = ZoneInfo("Europe/London")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")


def _check_in(day: date, pain: int) -> dict[str, object]:
    return {"day": day, "pain_now": pain, "pain_walking": pain, "walk_minutes": 10.0}


def test_a_check_in_after_local_midnight_is_for_the_new_day(store: Store) -> None:
    clock = Clock(datetime(2026, 7, 1, 12, 0, tzinfo=UTC))
    records = Records(store, default_service(), clock, LONDON)
    records.add_user("ann", "person")
    records.add_entry("ann", _check_in(date(2026, 7, 1), 4))
    clock.now = datetime(2026, 7, 1, 23, 30, tzinfo=UTC)  # 00:30 on 2 July in London
    assert records.today() == date(2026, 7, 2)
    with pytest.raises(EntryLockedError):
        records.add_entry("ann", _check_in(date(2026, 7, 1), 6))
    records.add_entry("ann", _check_in(date(2026, 7, 2), 6))
    assert [(e.day, e.pain_now) for e in records.entries("ann")] == [
        (date(2026, 7, 1), 4),
        (date(2026, 7, 2), 6),
    ], "the first day's check-in is kept"


def test_an_evening_check_in_west_of_the_server_is_not_in_the_future(store: Store) -> None:
    clock = Clock(datetime(2026, 3, 2, 5, 30, tzinfo=UTC))  # 21:30 on 1 March in California
    records = Records(store, default_service(), clock, LOS_ANGELES)
    records.add_user("bo", "person")
    assert records.today() == date(2026, 3, 1)
    assert records.local(clock.now).hour == 21
    with pytest.raises(ContractError, match="future"):
        records.add_entry("bo", _check_in(date(2026, 3, 2), 3))
    assert records.add_entry("bo", _check_in(date(2026, 3, 1), 3)).day == date(2026, 3, 1)


def test_the_time_zone_is_named_or_the_machines_own() -> None:
    assert get_settings({"BACKSTRIDE_TIMEZONE": "Europe/London"}).timezone == LONDON
    assert get_settings({"BACKSTRIDE_TIMEZONE": " "}).timezone is None
    assert get_settings({}).timezone is None
    with pytest.raises(ConfigError, match="BACKSTRIDE_TIMEZONE: 'Mars/Olympus'"):
        get_settings({"BACKSTRIDE_TIMEZONE": "Mars/Olympus"})
    with pytest.raises(ConfigError, match="BACKSTRIDE_TIMEZONE"):
        get_settings({"BACKSTRIDE_TIMEZONE": "../../etc/passwd"})
