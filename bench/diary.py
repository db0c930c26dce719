"""The diary at scale: status and escalation for everyone, and one doctor report.

    .venv/bin/python bench/diary.py [--people 1000] [--days 365] [--seed 1]

Builds a temporary SQLite database of ``--people`` people, each with one stored assessment
and ``--days`` days of check-ins (about 1 day in 20 missed; pain and walking tolerance as
random walks; steps; three exercises; red flags rare), written with bulk inserts. Then
times:

* status and escalation for everyone at once (``Records.statuses``: a few bulk queries,
  computed, nothing stored; what an overview of many people uses), then one by one, the way
  ``backstride diary status`` does it (``Records.status``: one read of the person's history,
  the status, and a new escalation stored when one is shown), and that split into loading
  alone and computing alone;
* rendering one doctor report PDF (``Reports.report_pdf``), the first (cold: WeasyPrint is
  imported and warmed up) and the median of the next three;

and prints peak memory: tracemalloc's peak over a traced pass (statuses for 100 people one
after another, then one report) and the process's maximum resident set size.

Goals (issue): status and escalation for 1,000 people x 365 days in at most 5 s; one report
in at most 1 s. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from backstride.persistence.tables import AssessmentRow, DiaryEntryRow, PersonRow
from backstride.services.assessments import default_service
from backstride.services.records import Records
from backstride.services.reports import Reports
from backstride.services.settings import Settings
from backstride.services.store import Store

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
FIRST_DAY = date(2025, 11, 1)
EXERCISES = ("bird_dog", "pelvic_tilt", "walking")
BATCH = 20_000
TRACED = 100  # people in the traced pass (tracemalloc makes everything about 3x slower)


def _clip(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def person_entries(rng: random.Random, person_id: int, days: int) -> Iterator[dict[str, Any]]:
    """One person's check-ins as table rows: random walks for pain and tolerance."""
    pain = rng.uniform(3, 8)
    drift = rng.uniform(-0.04, 0.02)  # most people slowly improve
    tolerance = rng.uniform(5, 40)
    base_steps = rng.randint(2_000, 9_000)
    for offset in range(days):
        if rng.random() < 0.05:  # a missed check-in
            continue
        day = FIRST_DAY + timedelta(days=offset)
        pain = _clip(pain + drift + rng.gauss(0, 0.6), 0, 10)
        tolerance = _clip(tolerance * rng.uniform(0.9, 1.12), 1, 240)
        pain_now = round(pain)
        no_limit = tolerance > 120 and rng.random() < 0.5
        recorded = not no_limit and rng.random() < 0.8
        stamp = datetime(day.year, day.month, day.day, 20, tzinfo=UTC)
        yield {
            "person_id": person_id,
            "day": day,
            "pain_now": pain_now,
            "pain_walking": int(_clip(pain_now + rng.randint(0, 2), 0, 10)),
            "walk_minutes": round(rng.uniform(0, 90) * 2) / 2,
            "walk_tolerance_min": round(tolerance, 1) if recorded else None,
            "walk_no_limit": no_limit,
            "steps": None if rng.random() < 0.2 else max(0, int(rng.gauss(base_steps, 1500))),
            "exercises": {
                "items": [
                    {
                        "id": exercise,
                        "done": rng.random() < 0.75,
                        "pain_during": rng.choice([None, max(0, pain_now - 1)]),
                    }
                    for exercise in EXERCISES
                ]
            },
            "settled_by_morning": rng.choice([None, True, True, True, False]),
            "red_flag": True if rng.random() < 0.0003 else rng.choice([None, False]),
            "note": "" if rng.random() < 0.9 else "stiff in the morning, better after walking",
            "created_at": stamp,
            "updated_at": stamp,
        }


def build(store: Store, people: int, days: int, seed: int) -> int:
    """Fill the database; returns the number of check-ins written."""
    service = default_service()
    answers = json.loads((EXAMPLES / "acute-strain.json").read_text(encoding="utf-8"))
    result = service.assess(answers)
    created = datetime(FIRST_DAY.year, FIRST_DAY.month, FIRST_DAY.day, 9, tzinfo=UTC)
    rng = random.Random(seed)
    written = 0
    with store.engine.begin() as connection:
        connection.execute(
            insert(PersonRow.__table__),
            [
                {"id": i, "name": f"person-{i:05d}", "role": "person", "created_at": created}
                for i in range(1, people + 1)
            ],
        )
        connection.execute(
            insert(AssessmentRow.__table__),
            [
                {
                    "person_id": i,
                    "created_at": created,
                    "answers": answers,
                    "result": result.to_contract(),
                    "content_version": result.content_version,
                }
                for i in range(1, people + 1)
            ],
        )
        batch: list[dict[str, Any]] = []
        for person_id in range(1, people + 1):
            batch.extend(person_entries(rng, person_id, days))
            if len(batch) >= BATCH:
                connection.execute(insert(DiaryEntryRow.__table__), batch)
                written += len(batch)
                batch = []
        if batch:
            connection.execute(insert(DiaryEntryRow.__table__), batch)
            written += len(batch)
    return written


def statuses(records: Records, names: list[str]) -> tuple[float, list[float], dict[str, int]]:
    """``Records.status`` for everyone: total seconds, seconds each, and the level mix."""
    each = []
    levels: dict[str, int] = {}
    start = time.perf_counter()
    for name in names:
        t0 = time.perf_counter()
        status, _ = records.status(name)
        each.append(time.perf_counter() - t0)
        level = status.escalation.level.value if status.escalation.level else "none"
        levels[level] = levels.get(level, 0) + 1
    return time.perf_counter() - start, each, levels


def split(records: Records, names: list[str]) -> tuple[float, float]:
    """Seconds to load everyone's history, and to compute every status from it."""
    today = records.clock().date()
    loaded = computed = 0.0
    for name in names:
        start = time.perf_counter()
        _, assessments, entries, _, _ = records.history(name)
        loaded += time.perf_counter() - start
        start = time.perf_counter()
        records.current_status(assessments[-1] if assessments else None, entries, today)
        computed += time.perf_counter() - start
    return loaded, computed


def reports(records: Records, name: str) -> tuple[float, list[float], int]:
    """Seconds for the first report, for three more, and the PDF's size."""
    maker = Reports(records)
    start = time.perf_counter()
    pdf = maker.report_pdf(name)
    cold = time.perf_counter() - start
    warm = []
    for _ in range(3):
        start = time.perf_counter()
        maker.report_pdf(name)
        warm.append(time.perf_counter() - start)
    return cold, warm, len(pdf)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    last_day = FIRST_DAY + timedelta(days=args.days - 1)
    now = datetime(last_day.year, last_day.month, last_day.day, 21, tzinfo=UTC)

    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Settings(f"sqlite:///{Path(tmp) / 'bench.db'}"))
        records = Records(store, default_service(), lambda: now)
        start = time.perf_counter()
        written = build(store, args.people, args.days, args.seed)
        size = (Path(tmp) / "bench.db").stat().st_size / 1e6
        print(
            f"built {args.people:,} people x {args.days} days: {written:,} check-ins "
            f"in {time.perf_counter() - start:.1f} s (SQLite, {size:.0f} MB, seed {args.seed})"
        )
        names = [f"person-{i:05d}" for i in range(1, args.people + 1)]

        start = time.perf_counter()
        everyone = records.statuses()
        bulk = time.perf_counter() - start
        mix: dict[str, int] = {}
        for status in everyone.values():
            level = status.escalation.level.value if status.escalation.level else "none"
            mix[level] = mix.get(level, 0) + 1
        print(
            f"status and escalation for all {len(everyone):,} at once (Records.statuses: bulk "
            f"load, computed, nothing stored): {bulk:.2f} s  (goal <= 5 s)"
        )
        print(f"  levels: {json.dumps(mix, sort_keys=True)}")

        total, each, levels = statuses(records, names)
        print(
            f"one by one, as `backstride diary status` does (Records.status, escalations "
            f"stored): {total:.2f} s"
        )
        print(
            f"  per person: mean {statistics.mean(each) * 1000:.2f} ms, median "
            f"{statistics.median(each) * 1000:.2f} ms, max {max(each) * 1000:.2f} ms"
        )
        print(f"  levels: {json.dumps(levels, sort_keys=True)}")
        loaded, computed = split(records, names)
        print(
            f"  split (a second pass, nothing stored): loading histories {loaded:.2f} s, "
            f"diary_status {computed:.2f} s"
        )

        cold, warm, pdf_bytes = reports(records, names[0])
        print(
            f"doctor report PDF for one person ({args.days} days): first {cold:.2f} s "
            f"(WeasyPrint cold), then median {statistics.median(warm):.2f} s over "
            f"{len(warm)}  (goal <= 1 s); {pdf_bytes / 1000:.0f} kB"
        )

        tracemalloc.start()  # people are handled one at a time: a sample shows the peak
        statuses(records, names[:TRACED])
        Reports(records).report_pdf(names[0])
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        store.close()
    maxrss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    print(
        f"peak memory: tracemalloc peak {peak / 1e6:.1f} MB (statuses for {TRACED} people, "
        f"then one report); max RSS {maxrss_mb:.0f} MB (whole run, build included)"
    )


if __name__ == "__main__":
    main()
