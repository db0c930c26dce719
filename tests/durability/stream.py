"""A stream of check-ins over the JSON API, one thread per person, each acknowledged by 201.

Each sender walks back through past days (a past day may be written once), posting that
day's ``planned_entry`` (deterministic from person and day, so what was sent can be compared
with what is stored). It keeps what the server said:

* ``acked``: days answered 201 (the entry was committed before the answer);
* ``unknown``: days whose request was sent but no answer came (the server died): stored or
  not, either is right;
* ``refused``: days never sent (connection refused while the server was down): tried again;
* ``errors``: any other answer (a 5xx, a 409, a 422, "database is locked" in a body).
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import httpx

from backstride.services.settings import Settings
from tests.persistence.writer import planned_entry

# What a test opens sessions with; kept here so that the stream needs no password hashing.
PASSWORD = "a long test password 1"  # noqa: S105 (test accounts)


def api_body(person: str, day: date) -> dict[str, Any]:
    """``planned_entry`` in the API's JSON shape."""
    body = planned_entry(person, day)
    body["day"] = day.isoformat()
    round_tripped: dict[str, Any] = json.loads(json.dumps(body))
    return round_tripped


def prepare_people(database_url: str, names: list[str]) -> dict[str, str]:
    """Add people (no password hashing) and open an API token for each, as
    ``POST /api/v1/token`` would: tokens live in the database, so they outlive restarts."""
    from backstride.services.container import Services  # noqa: PLC0415 (heavy)

    services = Services.open(Settings(database_url))
    try:
        tokens = {}
        for name in names:
            person = services.records.add_user(name, "person")
            tokens[name] = services.accounts.open_session(person, "api")
        return tokens
    finally:
        services.close()


@dataclass
class Sender:
    base_url: str
    person: str
    token: str
    first_day: date
    acked: set[date] = field(default_factory=set)
    unknown: set[date] = field(default_factory=set)
    refused: int = 0
    errors: list[str] = field(default_factory=list)
    latencies_s: list[float] = field(default_factory=list)

    def run(self, stop: threading.Event, pause_s: float = 0.0) -> None:
        headers = {"Authorization": f"Bearer {self.token}"}
        day = self.first_day
        with httpx.Client(base_url=self.base_url, timeout=20, headers=headers) as client:
            while not stop.is_set():
                started = time.perf_counter()
                try:
                    answer = client.post("/api/v1/diary", json=api_body(self.person, day))
                except httpx.ConnectError:
                    self.refused += 1  # never sent: the same day again in a moment
                    time.sleep(0.05)
                    continue
                except httpx.TransportError:
                    self.unknown.add(day)  # sent; the server died before answering
                else:
                    if answer.status_code == 201:
                        self.acked.add(day)
                        self.latencies_s.append(time.perf_counter() - started)
                    else:
                        self.errors.append(f"{day}: {answer.status_code} {answer.text[:300]}")
                day -= timedelta(days=1)
                if pause_s:
                    time.sleep(pause_s)


class Stream:
    """Senders for several people, in threads, until ``stop()``."""

    def __init__(
        self, base_url: str, tokens: dict[str, str], first_day: date, pause_s: float = 0.0
    ) -> None:
        self.senders = [Sender(base_url, name, token, first_day) for name, token in tokens.items()]
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=s.run, args=(self._stop, pause_s), daemon=True)
            for s in self.senders
        ]

    def __enter__(self) -> Stream:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)

    @property
    def acked(self) -> int:
        return sum(len(s.acked) for s in self.senders)

    def errors(self) -> list[str]:
        return [f"{s.person} {e}" for s in self.senders for e in s.errors]
