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


def random_answers(rng: random.Random, fields: tuple[FieldSpec, ...]) -> dict[str, Value]:
    """A valid answers object: each key answered with probability 0.85."""
    answers: dict[str, Value] = {}
    for spec in fields:
        if rng.random() > 0.85:
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


def throughput(n: int, seed: int) -> tuple[float, dict[str, int]]:
    service = default_service()
    rng = random.Random(seed)
    inputs = [random_answers(rng, service.content.fields) for _ in range(n)]
    levels: dict[str, int] = {}
    start = time.perf_counter()
    for answers in inputs:  # each result is used (counted) and then dropped, as a server would
        level = service.assess(answers).urgency.value
        levels[level] = levels.get(level, 0) + 1
    elapsed = time.perf_counter() - start
    return n / elapsed, levels


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
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    default_service()  # load content once, outside the timed loop
    per_second, levels = throughput(args.n, args.seed)
    print(f"assessments per second: {per_second:,.0f}  (n={args.n}, goal >= 20,000)")
    print(f"urgency mix of the random inputs: {json.dumps(levels, sort_keys=True)}")
    times = cold_start(args.runs)
    print(
        f"cold start of `backstride assess FILE --json`: median {statistics.median(times):.3f} s, "
        f"min {min(times):.3f} s, max {max(times):.3f} s  (runs={args.runs}, goal <= 0.5 s)"
    )


if __name__ == "__main__":
    main()
