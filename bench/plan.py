"""Plan throughput and the cold start of `backstride plan --json`. Prints; asserts nothing.

    .venv/bin/python bench/plan.py [--n 2000] [--seed 1] [--runs 5]

Goal (issue 3): a cold start of `backstride plan ANSWERS.json --json` of at most 0.5 s.
Plans per second are measured without illustrations (the generator) and with the JSON
form and its inline SVG illustrations (what `--json` prints).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from backstride.programme.generator import build_programme
from backstride.programme.model import Preferences
from backstride.services.assessments import default_service
from backstride.services.plans import PlanService

#: Questions whose answers are randomised; red-flag answers stay benign so that most inputs
#: give a real programme (self-care or soon) rather than an emergency with no plan.
VARIED = (
    "age",
    "sex",
    "duration_days",
    "trend",
    "onset",
    "pain_now",
    "pain_walking",
    "walking_tolerance_min",
    "previous_episodes",
    "minor_trauma",
    "leg_pain",
    "leg_pain_sides",
    "leg_pain_worse_than_back",
    "relief_sitting_or_bending_forward",
    "worse_standing_or_downhill",
    "morning_stiffness_over_30_min",
    "improves_with_movement",
    "sitting_hours_per_day",
    "active_minutes_per_week",
    "stress",
)


def varied_answers(
    rng: random.Random, base: dict[str, object], fields: dict[str, object]
) -> dict[str, object]:
    answers = dict(base)
    for key in VARIED:
        spec = fields[key]
        if spec.choices:  # type: ignore[attr-defined]
            answers[key] = rng.choice(spec.choices)  # type: ignore[attr-defined]
        elif spec.kind.value == "bool":  # type: ignore[attr-defined]
            answers[key] = rng.random() < 0.5
        else:
            high = spec.maximum if spec.maximum is not None else 60  # type: ignore[attr-defined]
            answers[key] = rng.randint(int(spec.minimum or 0), int(high))  # type: ignore[attr-defined]
    answers["age"] = rng.randint(16, 90)
    return answers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    service = PlanService(default_service())
    engine = service.assessments.engine
    rng = random.Random(args.seed)
    example = Path(__file__).resolve().parents[1] / "examples" / "acute-strain.json"
    base = json.loads(example.read_text(encoding="utf-8"))
    fields = {f.key: f for f in service.content.fields}
    inputs = [engine.validator.validate(varied_answers(rng, base, fields)) for _ in range(args.n)]
    results = [engine.evaluate(a) for a in inputs]
    preferences = Preferences()
    start = time.perf_counter()
    for answers, result in zip(inputs, results, strict=True):
        build_programme(service.content, result, answers, preferences)
    generator_rate = args.n / (time.perf_counter() - start)
    start = time.perf_counter()
    for answers in inputs:
        service.to_contract(service.plan(answers, preferences))
    full_rate = args.n / (time.perf_counter() - start)
    levels = {u.value: sum(r.urgency is u for r in results) for u in {r.urgency for r in results}}
    print(f"plans per second (generator only): {generator_rate:,.0f}  (n={args.n})")
    print(f"plans per second (assess + plan + JSON with SVG): {full_rate:,.0f}")
    print(f"  urgency mix: {dict(sorted(levels.items()))}")

    exe = Path(sys.executable).with_name("backstride")
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.runs):
            start = time.perf_counter()
            subprocess.run(  # noqa: S603 (our own console script, fixed arguments)
                [str(exe), "plan", str(example), "--json"],
                check=True,
                stdout=subprocess.DEVNULL,
                cwd=tmp,
            )
            times.append(time.perf_counter() - start)
    print(
        f"cold start of `backstride plan FILE --json`: median {statistics.median(times):.3f} s, "
        f"min {min(times):.3f} s, max {max(times):.3f} s  (runs={args.runs}, goal <= 0.5 s)"
    )


if __name__ == "__main__":
    main()
