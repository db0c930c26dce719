"""The web app on a server in UTC serving people in London (``BACKSTRIDE_TIMEZONE``): a
check-in after local midnight is for the new day, and pages give times on the people's clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from backstride.services.assessments import default_service
from backstride.services.container import Services
from backstride.services.settings import Settings
from backstride.web.app import create_app
from backstride.web.config import WebConfig
from tests.persistence.conftest import Clock
from tests.web.conftest import SECRET, add_user, cheap_hasher, sign_in, submit
from tests.web.test_person_pages import CHECKIN, answers

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def london(tmp_path: Path) -> Iterator[tuple[Services, TestClient, Clock]]:
    settings = Settings(f"sqlite:///{tmp_path / 'london.db'}", timezone=LONDON)
    clock = Clock(datetime(2026, 7, 1, 12, 0, tzinfo=UTC))
    services = Services.open(
        settings, assessments=default_service(), clock=clock, hasher=cheap_hasher()
    )
    app = create_app(WebConfig(settings=settings, secret_key=SECRET), services)
    with TestClient(app) as client:
        yield services, client, clock
    services.close()


def test_a_check_in_after_midnight_in_london_is_for_the_new_day(
    london: tuple[Services, TestClient, Clock],
) -> None:
    services, client, clock = london
    person = add_user(services, "ann")
    services.keep_assessment(person, answers("stenosis-walker"))
    sign_in(client, "ann")
    assert submit(client, "/checkin", {**CHECKIN, "pain_now": "3"}).status_code == 303
    clock.now = datetime(2026, 7, 1, 23, 30, tzinfo=UTC)  # 00:30 on 2 July in London
    assert submit(client, "/checkin", {**CHECKIN, "pain_now": "5"}).status_code == 303
    entries = services.records.entries("ann")
    assert [(e.day, e.pain_now) for e in entries] == [(date(2026, 7, 1), 3), (date(2026, 7, 2), 5)]


def test_pages_give_times_on_the_peoples_clock(
    london: tuple[Services, TestClient, Clock],
) -> None:
    services, client, clock = london
    clock.now = datetime(2026, 7, 1, 23, 30, tzinfo=UTC)
    add_user(services, "ann")
    sign_in(client, "ann")
    clock.now += timedelta(minutes=1)
    page = client.get("/account").text
    assert "2026-07-02 00:30 BST" in page, "signed in at half past midnight, summer time"
    assert "UTC" not in page
