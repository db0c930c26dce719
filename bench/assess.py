"""Assessment throughput and CLI cold start. Prints figures; asserts nothing.

    .venv/bin/python bench/assess.py [--n 10000] [--seed 1] [--runs 7]

Goals (issue 2): at least 20,000 assessments a second in one process over random valid
inputs (validation included), and a cold start of `backstride assess FILE --json` of at
most 0.5 s.
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

from backstride.domain.contract import FieldSpec, Kind
from backstride.domain.expressions import Value
from backstride.services.assessments import default_service


def random_answers(
    rng: random.Random, fields: tuple[FieldSpec, ...], answer_rate: float = 0.85
) -> dict[str, Value]:
    """A valid answers object: each key answered with probability ``answer_rate``."""
    answers: dict[str, Value] = {}
    for spec in fields:
        if rng.random() > answer_rate:
            continue
        if spec.kind is Kind.BOOL:
            answers[spec.key] = rng.random() < 0.2
        elif spec.kind is Kind.CHOICE:
            answers[spec.key] = rng.choice(spec.choices)
        elif spec.nullable and rng.random() < 0.2:
            answers[spec.key] = None
        else:
            low = int(spec.minimum or 0)
            high = int(spec.maximum) if spec.maximum is not None else 400
            number = rng.randint(low, high)
            answers[spec.key] = number if spec.kind is Kind.INT else float(number)
    return answers


def throughput(
    n: int, seed: int, repeats: int, answer_rate: float
) -> tuple[list[float], dict[str, int]]:
    """Assessments per second for each of ``repeats`` passes over the same random inputs."""
    service = default_service()
    rng = random.Random(seed)
    inputs = [random_answers(rng, service.content.fields, answer_rate) for _ in range(n)]
    rates = []
    for _ in range(repeats):
        levels: dict[str, int] = {}
        start = time.perf_counter()
        for answers in inputs:  # each result is used (counted) then dropped, as a server would
            level = service.assess(answers).urgency.value
            levels[level] = levels.get(level, 0) + 1
        rates.append(n / (time.perf_counter() - start))
    return rates, levels


def cold_start(runs: int) -> list[float]:
    example = Path(__file__).resolve().parents[1] / "examples" / "acute-strain.json"
    exe = Path(sys.executable).with_name("backstride")
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(  # noqa: S603 (our own console script, fixed arguments)
                [str(exe), "assess", str(example), "--json"],
                check=True,
                stdout=subprocess.DEVNULL,
                cwd=tmp,
            )
            times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=7, help="cold starts to time")
    parser.add_argument("--repeats", type=int, default=5, help="passes over the inputs")
    args = parser.parse_args()
    default_service()  # load content once, outside the timed loop
    mixes = (
        ("random, each key answered with p=0.85", 0.85),
        ("random, every key answered", 1.0),
    )
    for label, answer_rate in mixes:
        rates, levels = throughput(args.n, args.seed, args.repeats, answer_rate)
        print(
            f"{label}: assessments per second median {statistics.median(rates):,.0f}, "
            f"best {max(rates):,.0f}, worst {min(rates):,.0f}  "
            f"(n={args.n} x {args.repeats} passes, goal >= 20,000)"
        )
        print(f"  urgency mix: {json.dumps(levels, sort_keys=True)}")
    times = cold_start(args.runs)
    print(
        f"cold start of `backstride assess FILE --json`: median {statistics.median(times):.3f} s, "
        f"min {min(times):.3f} s, max {max(times):.3f} s  (runs={args.runs}, goal <= 0.5 s)"
    )


if __name__ == "__main__":
    main()
