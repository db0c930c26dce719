"""A clinician's caseload at scale: everyone linked to one clinician, ordered by need.

    .venv/bin/python bench/caseload.py [--people 1000] [--days 180] [--runs 50] [--seed 1]

Builds a temporary SQLite database like ``bench/diary.py`` (``--people`` people with one
assessment and ``--days`` days of check-ins each), links them all to one clinician, then
times ``Clinic.caseload``: the first call (cold: every episode is read and computed), the
median and 95th percentile of ``--runs`` further calls (nothing changed), and calls after
one person checked in again (that person is recomputed).

Goal (issue 5): p95 at most 100 ms for 1,000 people x 180 days. Prints figures; asserts
nothing.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, update

from backstride.persistence.tables import ClinicianLinkRow, DiaryEntryRow, PersonRow
from backstride.services.accounts import Accounts
from backstride.services.assessments import default_service
from backstride.services.clinic import Clinic
from backstride.services.records import Records
from backstride.services.settings import Settings
from backstride.services.store import Store
from diary import FIRST_DAY, build  # type: ignore[import-not-found]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--days", type=int, default=180)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    last_day = FIRST_DAY + timedelta(days=args.days - 1)
    now = datetime(last_day.year, last_day.month, last_day.day, 21, tzinfo=UTC)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Settings(f"sqlite:///{Path(tmp) / 'bench.db'}"))
        start = time.perf_counter()
        written = build(store, args.people, args.days, args.seed)
        clinician_id = args.people + 1
        with store.engine.begin() as connection:
            connection.execute(
                insert(PersonRow.__table__),
                [{"id": clinician_id, "name": "clinician", "role": "clinician", "created_at": now}],
            )
            connection.execute(
                insert(ClinicianLinkRow.__table__),
                [
                    {"clinician_id": clinician_id, "person_id": i, "created_at": now}
                    for i in range(1, args.people + 1)
                ],
            )
        built_s = time.perf_counter() - start
        print(f"built {args.people} people, {written} check-ins in {built_s:.1f} s")
        records = Records(store, default_service(), lambda: now)
        clinic = Clinic(records, Accounts(store, lambda: now))
        clinician = records.user("clinician")

        start = time.perf_counter()
        rows = clinic.caseload(clinician)
        print(f"cold: {1000 * (time.perf_counter() - start):.0f} ms for {len(rows)} rows")
        warm = []
        for _ in range(args.runs):
            start = time.perf_counter()
            clinic.caseload(clinician)
            warm.append(time.perf_counter() - start)
        warm.sort()
        p95 = warm[max(0, round(0.95 * len(warm)) - 1)]
        print(
            f"warm: median {1000 * statistics.median(warm):.1f} ms, p95 {1000 * p95:.1f} ms "
            f"({args.runs} runs)"
        )
        with store.engine.begin() as connection:
            connection.execute(
                update(DiaryEntryRow.__table__)
                .where(DiaryEntryRow.person_id == 1, DiaryEntryRow.day == last_day)
                .values(pain_now=9, updated_at=now)
            )
        start = time.perf_counter()
        clinic.caseload(clinician)
        print(f"after one changed check-in: {1000 * (time.perf_counter() - start):.1f} ms")
        levels: dict[str, int] = {}
        for row in rows:
            key = row.level.value if row.level else "none"
            levels[key] = levels.get(key, 0) + 1
        worse = sum(1 for r in rows if r.worsening)
        print(f"levels: {levels}; worsening: {worse}")
        store.close()


if __name__ == "__main__":
    main()
