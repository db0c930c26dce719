"""Load: simulated people doing the daily journey against the real server.

    .venv/bin/python bench/load.py [--people 50] [--duration 300] [--workers 3]
                                   [--database sqlite|postgresql] [--think 1.0] [--days 90]

Builds a database with bench/web.py's builder (``--people`` people, each with an assessment,
a programme and ``--days`` days of diary ending yesterday), gives each a password, starts
``backstride serve --workers N`` on loopback, and runs one asyncio task per person for
``--duration`` seconds. Each person signs in once (``GET /login``, ``POST /login``: a cookie
session, argon2 on the server) and then repeats the day's journey: ``GET /checkin``, ``POST
/checkin`` (the CSRF token from the form; the first time a new entry, then changes to it),
``GET /programme``, ``GET /progress``, with a random think time (mean ``--think`` seconds)
between steps.

``--database postgresql`` uses the server that the PG* variables name (run under
``pg_virtualenv``) and a new database in it, dropped at the end; ``--database-url URL`` uses
an existing empty database.

Prints per step and overall: requests, p50/p95/p99 (ms), errors by status; throughput in
requests per second. Goals (issue 7): no errors, p95 <= 100 ms. Asserts nothing. The client
runs on the same machine and competes with the server for the CPU.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from backstride.services.accounts import Accounts
from backstride.services.settings import Settings
from backstride.services.store import Store

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.benches import load_bench
from tests.postgres import admin_url, temporary_database
from tests.server import Server

GOAL_P95_MS = 100.0
PASSWORD = "load-test password 1"  # noqa: S105 (throwaway bench accounts)
STEPS = ("sign in", "GET /checkin", "POST /checkin", "GET /programme", "GET /progress")


@dataclass
class Results:
    latencies_s: dict[str, list[float]] = field(default_factory=lambda: {s: [] for s in STEPS})
    errors: dict[str, dict[str, int]] = field(default_factory=lambda: {s: {} for s in STEPS})
    wall_s: float = 0.0

    def add(self, step: str, elapsed_s: float, status: int, expected: int) -> None:
        if status == expected:
            self.latencies_s[step].append(elapsed_s)
        else:
            counts = self.errors[step]
            counts[str(status)] = counts.get(str(status), 0) + 1

    def all_latencies(self) -> list[float]:
        return [x for step in STEPS for x in self.latencies_s[step]]

    def error_count(self) -> int:
        return sum(sum(c.values()) for c in self.errors.values())


def percentile_ms(values: list[float], q: int) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0] * 1000
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] * 1000


def csrf_of(page: httpx.Response) -> str:
    found = load_bench("web").CSRF.search(page.text)
    return found.group(1) if found else ""


async def person_journey(  # noqa: PLR0917 (one call site, every argument needed)
    base_url: str, name: str, results: Results, deadline: float, think_s: float, seed: int
) -> None:
    rng = random.Random(seed)
    checkin_form = load_bench("web").checkin_form

    async def pause() -> None:
        await asyncio.sleep(rng.expovariate(1 / think_s) if think_s > 0 else 0)

    async def step(name: str, expected: int, call: object) -> httpx.Response | None:
        started = time.perf_counter()
        try:
            answer: httpx.Response = await call  # type: ignore[misc]
        except httpx.HTTPError as exc:
            results.add(name, 0.0, 0, expected)
            results.errors[name][type(exc).__name__] = results.errors[name].pop("0")
            return None
        results.add(name, time.perf_counter() - started, answer.status_code, expected)
        return answer

    await asyncio.sleep(rng.uniform(0, max(think_s, 0.1) * 2))  # people arrive over time
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as client:
        login = await client.get("/login")
        data = {"csrf_token": csrf_of(login), "username": name, "password": PASSWORD}
        signed = await step("sign in", 303, client.post("/login", data=data))
        if signed is None or signed.status_code != 303:
            return
        while time.monotonic() < deadline:
            await pause()
            page = await step("GET /checkin", 200, client.get("/checkin"))
            if page is None:
                continue
            await pause()
            await step(
                "POST /checkin", 303, client.post("/checkin", data=checkin_form(rng, csrf_of(page)))
            )
            await pause()
            await step("GET /programme", 200, client.get("/programme"))
            await pause()
            await step("GET /progress", 200, client.get("/progress"))


async def run_load(base_url: str, names: list[str], duration_s: float, think_s: float) -> Results:
    results = Results()
    started = time.monotonic()
    deadline = started + duration_s
    await asyncio.gather(
        *(
            person_journey(base_url, name, results, deadline, think_s, number)
            for number, name in enumerate(names)
        )
    )
    results.wall_s = time.monotonic() - started
    return results


def set_passwords(database_url: str, names: list[str]) -> None:
    store = Store.open(Settings(database_url))
    try:
        accounts = Accounts(store)
        for name in names:
            accounts.set_password(name, PASSWORD)
    finally:
        store.close()


@contextmanager
def database(kind: str, url: str | None) -> Iterator[str]:
    """An empty database to build into: a temporary SQLite file, or a new PostgreSQL
    database on the server the PG* variables name."""
    if url:
        yield url
        return
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{Path(tmp) / 'load.db'}"
        return
    if admin_url() is None:
        raise SystemExit("--database postgresql: run under pg_virtualenv (PGHOST is not set)")
    with temporary_database("bs_load") as created:
        yield created


def report(results: Results) -> None:
    print(f"{'step':16} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}  errors")
    rows = [(step, results.latencies_s[step], results.errors[step]) for step in STEPS]
    everything = results.all_latencies()
    merged: dict[str, int] = {}
    for counts in results.errors.values():
        for key, count in counts.items():
            merged[key] = merged.get(key, 0) + count
    rows.append(("overall", everything, merged))
    for step, values, errors in rows:
        print(
            f"{step:16} {len(values):>8} {percentile_ms(values, 50):8.1f} "
            f"{percentile_ms(values, 95):8.1f} {percentile_ms(values, 99):8.1f}  "
            f"{sum(errors.values())}{' ' + str(errors) if errors else ''}"
        )
    total = len(everything) + results.error_count()
    print(f"throughput: {total / results.wall_s:.1f} requests/s over {results.wall_s:.0f} s")
    p95 = percentile_ms(everything, 95)
    met = results.error_count() == 0 and p95 <= GOAL_P95_MS
    print(
        f"goal (0 errors, p95 <= {GOAL_P95_MS:.0f} ms): {'MET' if met else 'NOT MET'} "
        f"({results.error_count()} errors, p95 {p95:.1f} ms)"
    )


def main(argv: Sequence[str] | None = None) -> Results:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--people", type=int, default=50)
    parser.add_argument("--duration", type=float, default=300.0, help="seconds")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--database-url", default=None, help="an existing empty database")
    parser.add_argument("--think", type=float, default=1.0, help="mean seconds between steps")
    parser.add_argument("--days", type=int, default=90, help="days of diary per person")
    args = parser.parse_args(argv)

    web = load_bench("web")  # its builder
    with database(args.database, args.database_url) as url, tempfile.TemporaryDirectory() as logs:
        built = web.build(url, args.people, args.days, 0)
        names = [web.person_name(i) for i in range(1, args.people + 1)]
        set_passwords(url, names)
        kind = url.split(":", 1)[0]
        print(
            f"data: {built.people} people x {args.days} days = {built.entries} check-ins "
            f"({kind}), built in {built.seconds:.1f} s"
        )
        server = Server.start(url, Path(logs) / "server.log", workers=args.workers)
        print(
            f"load: {args.people} people, {args.duration:.0f} s, think time {args.think} s "
            f"(mean), backstride serve --workers {args.workers}, loopback"
        )
        try:
            results = asyncio.run(run_load(server.url, names, args.duration, args.think))
        finally:
            server.stop()
    report(results)
    return results


if __name__ == "__main__":
    main()
