"""A diary writer process for the durability tests: check-ins, one acknowledgement each.

    python -m tests.persistence.writer URL PERSON START_DAY N [--new-person-each-day]
        [--die-after SQL [--die-at K]] [--pause SECONDS]

Opens the store, prints ``READY``, then for each of N days from START_DAY (YYYY-MM-DD):
prints ``TRY <date>``, stores that day's check-in with ``Records.add_entry`` under a clock
fixed to noon of that day (so every day is "today" and may be written, or rewritten, then),
and after the commit prints ``ACK <date>`` and flushes. A line reaching the parent means
the entry was committed first. The person is added if missing; with
``--new-person-each-day`` each day goes to a new person ``PERSON-<date>``.

``--die-after SQL`` makes the process SIGKILL itself right after the K-th statement
containing SQL has executed (inside the transaction, before the commit), so a test can
kill a writer mid-transaction deterministically. ``--pause`` sleeps after each check-in,
to keep a writer busy for longer without writing more.

The values of a check-in follow from (person, day) alone: ``planned_entry`` is what was
written, so a test can compare what it reads back.

The rest of the module is the test side: ``Writer`` starts one and reads its lines.
"""

from __future__ import annotations

import argparse
import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
START = date(2026, 1, 5)


def planned_entry(person: str, day: date) -> dict[str, Any]:
    """The raw check-in the writer stores for ``person`` on ``day`` (deterministic)."""
    rng = random.Random(f"{person}/{day.isoformat()}")  # noqa: S311 (test values)
    no_limit = rng.random() < 0.1
    return {
        "day": day,
        "pain_now": rng.randint(0, 10),
        "pain_walking": rng.randint(0, 10),
        "walk_minutes": rng.randint(0, 240) / 2,
        "walk_tolerance_min": None if no_limit else rng.randint(1, 120) / 2,
        "walk_no_limit": no_limit,
        "steps": rng.choice([None, rng.randint(0, 20_000)]),
        "exercises": [
            {"exercise_id": "bird_dog", "done": rng.random() < 0.7, "pain_during": 2},
            {"exercise_id": "walking", "done": True, "pain_during": None},
        ],
        "settled_by_morning": rng.choice([None, True, False]),
        "red_flag": rng.choice([None, False, False, False]),
        "note": f"{person} on {day.isoformat()}: ünïcode ✓ " + "x" * rng.randint(0, 300),
    }


def person_for(person: str, day: date, *, new_person_each_day: bool) -> str:
    return f"{person}-{day.isoformat()}" if new_person_each_day else person


# -- the writer process ---------------------------------------------------------------------


def _die_after(fragment: str, occurrence: int) -> None:
    """SIGKILL this process after the ``occurrence``-th statement containing ``fragment``, on
    any engine (so also while ``Store.open`` creates the schema)."""
    from sqlalchemy import Engine, event  # noqa: PLC0415 (only the writer process needs it)

    seen = [0]

    def after(*args: Any) -> None:
        if fragment in args[2]:
            seen[0] += 1
            if seen[0] >= occurrence:
                os.kill(os.getpid(), signal.SIGKILL)

    event.listen(Engine, "after_cursor_execute", after)


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Write diary check-ins, acknowledging each.")
    parser.add_argument("url")
    parser.add_argument("person")
    parser.add_argument("start_day", type=date.fromisoformat)
    parser.add_argument("n", type=int)
    parser.add_argument("--new-person-each-day", action="store_true")
    parser.add_argument("--die-after", default=None)
    parser.add_argument("--die-at", type=int, default=1)
    parser.add_argument("--pause", type=float, default=0.0, help="seconds between check-ins")
    args = parser.parse_args(argv)

    from backstride.domain.answers import ContractError  # noqa: PLC0415 (parse args first)
    from backstride.services.assessments import default_service  # noqa: PLC0415
    from backstride.services.records import Records  # noqa: PLC0415
    from backstride.services.settings import Settings  # noqa: PLC0415
    from backstride.services.store import Store  # noqa: PLC0415

    now = [datetime.combine(args.start_day, datetime.min.time(), UTC).replace(hour=12)]
    if args.die_after:
        _die_after(args.die_after, args.die_at)
    store = Store.open(Settings(args.url))
    records = Records(store, default_service(), lambda: now[0])
    _say("READY")
    for offset in range(args.n):
        day = args.start_day + timedelta(days=offset)
        now[0] = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
        name = person_for(args.person, day, new_person_each_day=args.new_person_each_day)
        _say(f"TRY {day.isoformat()}")
        try:
            records.user(name)
        except ContractError:
            records.add_user(name, "person")
        records.add_entry(name, planned_entry(name, day))
        _say(f"ACK {day.isoformat()}")
        if args.pause:
            time.sleep(args.pause)
    store.close()
    _say("DONE")


# -- the test side ------------------------------------------------------------------------


class Writer:
    """One writer process; a thread reads its stdout lines into a queue."""

    def __init__(
        self,
        url: str,
        person: str,
        start: date,
        n: int,
        *extra: str,
    ) -> None:
        command = [
            sys.executable,
            "-m",
            "tests.persistence.writer",
            url,
            person,
            start.isoformat(),
            str(n),
            *extra,
        ]
        self.lines: list[str] = []
        self.ended = False
        self.acked: list[date] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        self.process = subprocess.Popen(  # noqa: S603 (our own module, fixed arguments)
            command,
            cwd=ROOT,
            env={**os.environ, "TZ": "UTC", "PYTHONUNBUFFERED": "1"},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._queue.put(line.strip())
        self._queue.put(None)

    def _take(self, line: str | None) -> str | None:
        if line is None:
            self.ended = True
        else:
            self.lines.append(line)
            if line.startswith("ACK "):
                self.acked.append(date.fromisoformat(line.split()[1]))
        return line

    def next_line(self, timeout: float = 30.0) -> str | None:
        """The next line, or None at the end of output."""
        if self.ended:
            return None
        return self._take(self._queue.get(timeout=timeout))

    def wait_for(self, prefix: str, count: int = 1, timeout: float = 30.0) -> bool:
        """Read until ``count`` more lines start with ``prefix``; False if output ended."""
        deadline = time.monotonic() + timeout
        seen = 0
        while seen < count:
            line = self.next_line(max(0.01, deadline - time.monotonic()))
            if line is None:
                return False
            seen += line.startswith(prefix)
        return True

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)

    def finish(self, timeout: float = 60.0) -> int:
        """Wait for the process to end and read every line it printed; its return code."""
        code = self.process.wait(timeout)
        while self.next_line(timeout) is not None:
            pass
        self._reader.join(timeout)
        assert self.process.stderr is not None
        self.stderr = self.process.stderr.read()
        self.process.stderr.close()
        assert self.process.stdout is not None
        self.process.stdout.close()
        return code

    @property
    def in_flight(self) -> date | None:
        """The day it was writing when it ended, if that day was never acknowledged."""
        tries = [line for line in self.lines if line.startswith("TRY ")]
        if not tries:
            return None
        day = date.fromisoformat(tries[-1].split()[1])
        return None if self.acked and self.acked[-1] == day else day


if __name__ == "__main__":
    main()
