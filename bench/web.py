"""The web app under load: latency of the busiest pages beside a trivial endpoint.

    .venv/bin/python bench/web.py [--people 1000] [--days 180] [--caseload 100]
                                  [--concurrency 20 50] [--requests 600] [--workers 1]

Builds a temporary SQLite database (bulk inserts, a few seconds): ``--people`` people, each
with one assessment, one programme and ``--days`` days of diary ending yesterday (about 1 day
in 20 missed; pain and walking tolerance as random walks), and one clinician linked to
``--caseload`` of them (100 by default: a busy clinician's list; ``--caseload 1000`` links
everyone, the worst case). Then starts the real server (``backstride serve``, ``--workers``
uvicorn processes, 1 by default) on loopback and, for each concurrency, sends ``--requests``
requests from that many clients at once (each its own signed-in browser: cookie session,
CSRF token read from the form once), measuring each request on the client:

* ``GET /api/v1/health``: the baseline, a trivial endpoint of the same app;
* ``POST /checkin``: a person saves today's check-in (a new entry the first time, then
  changes to it; escalation is evaluated over the person's whole diary each time);
* ``GET /progress``: a person's charts over their whole diary;
* ``GET /clinician``: the clinician's list of linked people, ordered by need.

Prints p50/p95/p99 (ms), requests per second, the server's CPU time per request (its
processes' user and system time over the case, from /proc: what a request costs the server
whatever the client does) and errors per case, and whether the goals are met. Goals (issue):
p95 <= 100 ms and p95 <= 3x the baseline's p95. Prints figures; asserts nothing. The client
runs on the same machine, so it competes with the server for the CPU: figures are an upper
bound of what the server alone would show. The clients send without pause, so each case runs
the server flat out and its latency is mostly queueing: about clients x CPU time per request
for one worker.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import insert, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.server import Server

from backstride.persistence.tables import (
    AssessmentRow,
    ClinicianLinkRow,
    DiaryEntryRow,
    PersonRow,
    PlanRow,
)
from backstride.programme.model import Preferences
from backstride.services.container import Services
from backstride.services.demo import DEMO_ANSWERS
from backstride.services.settings import Settings

BATCH = 20_000
GOAL_P95_MS = 100.0
GOAL_TIMES_BASELINE = 3.0
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
CLINICIAN = "bench-clinician"


def _clip(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def person_name(number: int) -> str:
    return f"bench-{number:05d}"


def diary_rows(
    rng: random.Random, person_id: int, days: int, today: date, exercise_ids: Sequence[str]
) -> Iterator[dict[str, Any]]:
    """One person's check-ins, the last one yesterday, as table rows."""
    pain = rng.uniform(3, 8)
    drift = rng.uniform(-0.04, 0.02)
    tolerance = rng.uniform(5, 40)
    for offset in range(days, 0, -1):
        if rng.random() < 0.05:
            continue
        day = today - timedelta(days=offset)
        pain = _clip(pain + drift + rng.gauss(0, 0.6), 0, 10)
        tolerance = _clip(tolerance * rng.uniform(0.92, 1.1), 1, 240)
        pain_now = round(pain)
        stamp = datetime(day.year, day.month, day.day, 20, tzinfo=UTC)
        yield {
            "person_id": person_id,
            "day": day,
            "pain_now": pain_now,
            "pain_walking": int(_clip(pain_now + rng.randint(0, 2), 0, 10)),
            "walk_minutes": round(rng.uniform(0, 90) * 2) / 2,
            "walk_tolerance_min": round(tolerance, 1),
            "walk_no_limit": False,
            "steps": max(0, int(rng.gauss(5000, 1500))),
            "exercises": {
                "items": [
                    {"id": e, "done": rng.random() < 0.75, "pain_during": None}
                    for e in exercise_ids
                ]
            },
            "settled_by_morning": rng.choice([None, True, True, False]),
            "red_flag": False,
            "note": "",
            "created_at": stamp,
            "updated_at": stamp,
        }


@dataclass(frozen=True)
class Built:
    people: int
    entries: int
    caseload: int
    seconds: float


def build(
    database_url: str,
    people: int,
    days: int,
    caseload: int,
    *,
    seed: int = 1,
    today: date | None = None,
) -> Built:
    """Fill a new database: people with an assessment, a programme and a diary; one clinician
    linked to the first ``caseload`` of them. Nobody has a password (sessions are opened
    directly, see ``open_sessions``)."""
    start = time.perf_counter()
    today = today or datetime.now().astimezone().date()
    services = Services.open(Settings(database_url))
    try:
        plan = services.plans.plan(DEMO_ANSWERS, Preferences())
        contract = services.plans.to_contract(plan, animate=False)
        result = plan.assessment.to_contract()
        exercise_ids = [e["id"] for e in contract["exercises"]]
        began = datetime.combine(today - timedelta(days=days), datetime.min.time(), UTC)
        rng = random.Random(seed)
        written = 0
        with services.store.engine.begin() as connection:
            rows = [
                {"id": i, "name": person_name(i), "role": "person", "created_at": began}
                for i in range(1, people + 1)
            ]
            rows.append(
                {"id": people + 1, "name": CLINICIAN, "role": "clinician", "created_at": began}
            )
            connection.execute(insert(PersonRow), rows)
            connection.execute(
                insert(AssessmentRow),
                [
                    {
                        "id": i,
                        "person_id": i,
                        "created_at": began,
                        "answers": DEMO_ANSWERS,
                        "result": result,
                        "content_version": plan.assessment.content_version,
                    }
                    for i in range(1, people + 1)
                ],
            )
        # One programme stored the way the app stores it; everyone else gets a copy.
        services.records.store_plan(person_name(1), 1, contract)
        with services.store.engine.begin() as connection:
            stored = connection.execute(select(PlanRow.plan)).scalar_one()
            if people > 1:
                connection.execute(
                    insert(PlanRow),
                    [
                        {
                            "person_id": i,
                            "assessment_id": i,
                            "created_at": began,
                            "plan": stored,
                            "current_week": 1,
                        }
                        for i in range(2, people + 1)
                    ],
                )
            linked = min(caseload, people)
            if linked:
                connection.execute(
                    insert(ClinicianLinkRow),
                    [
                        {"clinician_id": people + 1, "person_id": i, "created_at": began}
                        for i in range(1, linked + 1)
                    ],
                )
            batch: list[dict[str, Any]] = []
            for person_id in range(1, people + 1):
                batch.extend(diary_rows(rng, person_id, days, today, exercise_ids))
                if len(batch) >= BATCH:
                    connection.execute(insert(DiaryEntryRow), batch)
                    written += len(batch)
                    batch = []
            if batch:
                connection.execute(insert(DiaryEntryRow), batch)
                written += len(batch)
    finally:
        services.close()
    return Built(people, written, min(caseload, people), time.perf_counter() - start)


def open_sessions(database_url: str, ids: dict[int, str]) -> dict[str, str]:
    """A web session token for each name (what signing in would give, without the password
    hashing that the benchmark does not measure)."""
    services = Services.open(Settings(database_url))
    try:
        tokens = {}
        for person_id, name in ids.items():
            person = services.accounts.person(person_id)
            if person is None or person.name != name:
                raise RuntimeError(f"no person {person_id} named {name}")
            tokens[name] = services.accounts.open_session(person, "web")
        return tokens
    finally:
        services.close()


# -- the load ------------------------------------------------------------------------------


@dataclass
class Case:
    name: str
    method: str
    path: str
    #: Who the clients are: "anonymous", "person" (a different person each) or "clinician".
    who: str


CASES = (
    Case("baseline GET /api/v1/health", "GET", "/api/v1/health", "anonymous"),
    Case("POST /checkin", "POST", "/checkin", "person"),
    Case("GET /progress", "GET", "/progress", "person"),
    Case("GET /clinician", "GET", "/clinician", "clinician"),
)


@dataclass
class Measured:
    case: str
    concurrency: int
    latencies_s: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    wall_s: float = 0.0
    #: The server's CPU time over the measured requests.
    server_cpu_s: float = 0.0

    def percentile_ms(self, q: int) -> float:
        if len(self.latencies_s) < 2:
            return self.latencies_s[0] * 1000 if self.latencies_s else float("nan")
        return statistics.quantiles(self.latencies_s, n=100, method="inclusive")[q - 1] * 1000

    @property
    def throughput(self) -> float:
        return len(self.latencies_s) / self.wall_s if self.wall_s else 0.0

    @property
    def server_ms_per_request(self) -> float:
        count = len(self.latencies_s) + sum(self.errors.values())
        return 1000 * self.server_cpu_s / count if count else float("nan")


def checkin_form(rng: random.Random, token: str) -> dict[str, str]:
    pain = rng.randint(1, 6)
    return {
        "csrf_token": token,
        "pain_now": str(pain),
        "pain_walking": str(min(10, pain + 1)),
        "walk_minutes": str(rng.randint(5, 60)),
        "walk_tolerance_min": str(rng.randint(5, 40)),
        "steps": str(rng.randint(1000, 9000)),
        "settled_by_morning": "yes",
        "red_flag": "no",
        "note": "",
    }


async def _client(
    server: str, token: str | None, case: Case
) -> tuple[httpx.AsyncClient, str | None]:
    client = httpx.AsyncClient(base_url=server, timeout=60, follow_redirects=False)
    if token:
        client.cookies.set("bs_session", token, domain="127.0.0.1")
    csrf = None
    if case.method == "POST":
        page = await client.get(case.path)
        found = CSRF.search(page.text)
        if not found:
            raise RuntimeError(f"{case.path} answered {page.status_code} with no form")
        csrf = found.group(1)
    return client, csrf


async def run_case(
    server: Server, case: Case, concurrency: int, requests: int, tokens: dict[str, str]
) -> Measured:
    names = [n for n in tokens if n != CLINICIAN]
    if case.who == "person":
        client_tokens: list[str | None] = [
            tokens[names[i % len(names)]] for i in range(concurrency)
        ]
    elif case.who == "clinician":
        client_tokens = [tokens[CLINICIAN]] * concurrency
    else:
        client_tokens = [None] * concurrency
    clients = [await _client(server.url, token, case) for token in client_tokens]
    measured = Measured(case.name, concurrency)
    remaining = requests
    ok = {"GET": 200, "POST": 303}[case.method]

    async def one(client: httpx.AsyncClient, csrf: str | None, rng: random.Random) -> None:
        started = time.perf_counter()
        try:
            if case.method == "POST":
                answer = await client.post(case.path, data=checkin_form(rng, csrf or ""))
            else:
                answer = await client.get(case.path)
        except httpx.TransportError as exc:  # a dropped connection counts as an error
            key = type(exc).__name__
            measured.errors[key] = measured.errors.get(key, 0) + 1
            return
        elapsed = time.perf_counter() - started
        if answer.status_code == ok:
            measured.latencies_s.append(elapsed)
        else:
            key = str(answer.status_code)
            measured.errors[key] = measured.errors.get(key, 0) + 1

    async def worker(number: int, warm: bool) -> None:
        nonlocal remaining
        client, csrf = clients[number]
        rng = random.Random(number)
        if warm:
            await one(client, csrf, rng)
            return
        while remaining > 0:
            remaining -= 1
            await one(client, csrf, rng)

    try:
        await asyncio.gather(*(worker(i, warm=True) for i in range(concurrency)))
        measured.latencies_s.clear()
        measured.errors.clear()
        started, cpu = time.perf_counter(), server.cpu_s()
        await asyncio.gather(*(worker(i, warm=False) for i in range(concurrency)))
        measured.wall_s = time.perf_counter() - started
        measured.server_cpu_s = server.cpu_s() - cpu
    finally:
        for client, _ in clients:
            await client.aclose()
    return measured


def verdict(result: Measured, baseline: Measured | None) -> str:
    p95 = result.percentile_ms(95)
    if baseline is None:
        return "baseline"
    base = baseline.percentile_ms(95)
    ratio = p95 / base if base else float("inf")
    met = p95 <= GOAL_P95_MS and ratio <= GOAL_TIMES_BASELINE and not result.errors
    return f"{ratio:4.1f}x base  {'MET' if met else 'NOT MET'}"


def main(argv: Sequence[str] | None = None) -> list[Measured]:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--days", type=int, default=180)
    parser.add_argument("--caseload", type=int, default=100)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[20, 50])
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    results: list[Measured] = []
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'web-bench.db'}"
        built = build(url, args.people, args.days, args.caseload, seed=args.seed)
        print(
            f"data: {built.people} people x {args.days} days = {built.entries} check-ins, "
            f"one clinician linked to {built.caseload}; built in {built.seconds:.1f} s (SQLite)"
        )
        clients = max(args.concurrency)
        ids = {i: person_name(i) for i in range(1, min(clients, args.people) + 1)}
        tokens = open_sessions(url, {**ids, args.people + 1: CLINICIAN})
        server = Server.start(url, Path(tmp) / "server.log", workers=args.workers)
        print(
            f"server: backstride serve, {args.workers} uvicorn worker(s), loopback; "
            f"{args.requests} requests per case after one warm-up request per client"
        )
        print(
            f"{'case':30} {'clients':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
            f"{'req/s':>7} {'cpu ms':>7} {'errors':>7}  goal (p95 <= {GOAL_P95_MS:.0f} ms and "
            f"<= {GOAL_TIMES_BASELINE:.0f}x base)"
        )
        try:
            for concurrency in args.concurrency:
                baseline = None
                for case in CASES:
                    result = asyncio.run(run_case(server, case, concurrency, args.requests, tokens))
                    results.append(result)
                    errors = sum(result.errors.values())
                    print(
                        f"{case.name:30} {concurrency:>7} {result.percentile_ms(50):8.1f} "
                        f"{result.percentile_ms(95):8.1f} {result.percentile_ms(99):8.1f} "
                        f"{result.throughput:7.1f} {result.server_ms_per_request:7.2f} "
                        f"{errors:>7}  {verdict(result, baseline)}"
                        + (f" {json.dumps(result.errors)}" if errors else "")
                    )
                    baseline = baseline or result
        finally:
            server.stop()
    return results


if __name__ == "__main__":
    main()
