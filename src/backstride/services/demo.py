"""Demo data for ``backstride serve --demo``: one clinician and one person with three weeks
of made-up diary, clearly labelled as demo on every page. Never used outside demo mode."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from backstride.domain.diary import Person, Role
from backstride.persistence import walking_tests as walking_repo
from backstride.programme.model import Preferences
from backstride.services.records import Records

if TYPE_CHECKING:
    from backstride.services.container import Services

DEMO_PERSON = "demo-person"
DEMO_CLINICIAN = "demo-clinician"
DEMO_PASSWORD = "demo-password"  # noqa: S105 (public by design: shown on the demo landing page)
DEMO_DAYS = 21

#: A made-up person: 68, leg pain on walking eased by sitting (a stenosis-like picture).
DEMO_ANSWERS: dict[str, Any] = {
    "age": 68,
    "sex": "female",
    "duration_days": 90,
    "trend": "unchanged",
    "onset": "gradual",
    "pain_now": 4,
    "pain_walking": 6,
    "walking_tolerance_min": 10,
    "previous_episodes": True,
    "major_trauma": False,
    "minor_trauma": False,
    "leg_pain": "above_knee",
    "leg_pain_sides": "both",
    "leg_pain_worse_than_back": False,
    "leg_numbness_tingling": "none",
    "leg_weakness": "none",
    "saddle_numbness": False,
    "bladder_change": "none",
    "bowel_incontinence": False,
    "sexual_dysfunction_new": False,
    "fever": False,
    "unexplained_weight_loss": False,
    "cancer_history": False,
    "immunosuppressed": False,
    "iv_drug_use": False,
    "recent_infection_or_spinal_procedure": False,
    "osteoporosis": False,
    "long_term_steroids": False,
    "night_pain_unrelieved": False,
    "constant_progressive_pain": False,
    "abdominal_pulsation_or_tearing_pain": False,
    "feeling_unwell": False,
    "relief_sitting_or_bending_forward": True,
    "worse_standing_or_downhill": True,
    "calf_pain_relieved_by_standing_still": False,
    "morning_stiffness_over_30_min": False,
    "improves_with_movement": True,
    "onset_before_40_insidious": False,
    "sitting_hours_per_day": 6,
    "active_minutes_per_week": 60,
    "stress": 2,
}


def seed_demo(services: Services) -> bool:
    """Add the demo accounts and diary unless they exist; True when added."""
    accounts, records = services.accounts, services.records
    with services.store.transaction() as session:
        from backstride.persistence.repositories import find_person  # noqa: PLC0415

        if find_person(session, DEMO_PERSON) is not None:
            return False
    clinician = accounts.sign_up(DEMO_CLINICIAN, DEMO_PASSWORD, Role.CLINICIAN)
    person = accounts.sign_up(DEMO_PERSON, DEMO_PASSWORD, Role.PERSON)
    records.link(clinician.name, person.name)
    now = records.clock()
    start = now - timedelta(days=DEMO_DAYS)
    # The assessment and plan are dated three weeks back, when the diary starts.
    back_then = Records(services.store, services.assessments, lambda: start, records.zone)
    plan = services.plans.plan(DEMO_ANSWERS, Preferences())
    stored = back_then.store_assessment(person.name, DEMO_ANSWERS, plan.assessment)
    contract = services.plans.to_contract(plan, animate=False)
    back_then.store_plan(person.name, stored.id, contract)
    exercise_ids = [e["id"] for e in contract["exercises"]]
    rng = random.Random(20261126)  # noqa: S311 (made-up demo data, not security)
    today = records.today()
    for offset in range(DEMO_DAYS, 0, -1):
        day = today - timedelta(days=offset)
        progress = (DEMO_DAYS - offset) / DEMO_DAYS  # 0 at the start, near 1 yesterday
        if rng.random() < 0.12:
            continue  # a missed check-in now and then
        pain_now = max(0, round(4 - 2 * progress + rng.uniform(-0.6, 0.6)))
        tolerance = round(10 + 9 * progress + rng.uniform(-1.5, 1.5), 1)
        done = [rng.random() < 0.8 for _ in exercise_ids]
        records.add_entry(
            person.name,
            {
                "day": day,
                "pain_now": pain_now,
                "pain_walking": min(10, pain_now + 2),
                "walk_minutes": round(tolerance * 1.5, 1),
                "walk_tolerance_min": tolerance,
                "steps": int(2500 + 2500 * progress + rng.uniform(-400, 400)),
                "exercises": [  # pain during an exercise only when it was done
                    {"exercise_id": e, "done": did, "pain_during": pain_now if did else None}
                    for e, did in zip(exercise_ids, done, strict=True)
                ],
                "settled_by_morning": True,
                "red_flag": False,
            },
        )
    _demo_walking_tests(services, person, now)
    return True


def _demo_walking_tests(services: Services, person: Person, now: datetime) -> None:
    """A made-up walking test each week, in step with the made-up diary: pain comes later
    each week (8, 10, 12 minutes), each walk ends 90 s after it, within the test's 15
    minutes; speed 0.9 m/s, cadence 100 steps a minute."""
    with services.store.transaction() as session:
        for week, weeks_ago in enumerate((3, 2, 1)):
            at = now - timedelta(weeks=weeks_ago) + timedelta(days=1)
            pain_after = 60.0 * (8 + 2 * week)
            walked = pain_after + 90.0
            walking_repo.add_walking_test(
                session,
                person.id,
                {
                    "day": services.records.day_of(at),
                    "recorded_at": at,
                    "time_to_first_symptom_s": pain_after,
                    "distance_to_first_symptom_m": round(0.9 * pain_after),
                    "walking_time_s": walked,
                    "distance_m": round(0.9 * walked),
                    "total_time_s": walked + 5.0,
                    "stop_reason": "pain",
                    "recovery_s": 150.0 - 20.0 * week,
                    "steps": round(100 * walked / 60),
                    "cadence_spm": 100.0,
                    "speed_mps": 0.9,
                    "sampling_rate_hz": 60.0,
                    "detail": {"bouts": [], "quality": [], "height_m": 1.68},
                },
            )
