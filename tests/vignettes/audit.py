"""Audit of triage advice against the clinical vignettes (gold standard).

Importable by the tests and by a report script::

    from tests.vignettes.audit import run_suite, format_matrix
    report = run_suite()
    print(format_matrix(report))

Definitions follow shared/reference/clinical-facts.md section 6:

- *exact*: the advice equals the gold level (Semigran 2015; Hill 2020).
- *safe*: the advice is at the gold level or MORE cautious (the strict reading used as the
  acceptance bar here). ``gilbert_safe_rate`` also reports Gilbert 2020's looser reading,
  which additionally tolerates advice one level less cautious than gold.
- *under-triage* / *over-triage*: advice less / more urgent than gold.
- *floor violation*: advice below the minimum that the contract's product floors require
  for those answers (``contract_floor``), computed here from the contract text alone.

Nothing here reads the engine's rule files: the floors are an independent reading of the
"Product policy: floors" section of shared/spec/assessment-contract.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from backstride.domain.contract import CONTRACT_PATTERN_IDS

#: Contract urgency levels, least serious first.
LEVELS: tuple[str, ...] = ("self_care", "soon", "urgent", "emergency")
RANK: dict[str, int] = {level: i for i, level in enumerate(LEVELS)}

VIGNETTES_PATH = Path(__file__).with_name("vignettes.yaml")

PATTERN_IDS = CONTRACT_PATTERN_IDS


def load_vignettes(path: Path = VIGNETTES_PATH) -> list[dict[str, Any]]:
    """The vignettes, as a list of plain dicts."""
    with path.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    if not isinstance(data, list):
        raise TypeError(f"{path} must hold a YAML list of vignettes")
    return data


# ---------------------------------------------------------------------------- contract floors


def _could_be(answers: Mapping[str, Any], key: str, *values: object) -> bool:
    """True when the answer is one of ``values``, or unanswered (treated conservatively)."""
    return key not in answers or answers[key] in values


def _is(answers: Mapping[str, Any], key: str, *values: object) -> bool:
    return key in answers and answers[key] in values


def contract_floor(answers: Mapping[str, Any]) -> str:
    """The lowest level the contract's product floors allow for these answers.

    Emergency items (cauda equina signs, belly pulsation/tearing pain, both-leg symptoms)
    that are unanswered count as present: the contract treats unanswered red-flag
    questions conservatively and the reference treats missing EMERGENCY answers as
    positive. Other floors apply only when their answers are given.
    """
    floor = "self_care"

    def lift(level: str) -> None:
        nonlocal floor
        if RANK[level] > RANK[floor]:
            floor = level

    # Emergency: possible cauda equina syndrome, possible AAA.
    if (
        _could_be(answers, "saddle_numbness", True)
        or _could_be(answers, "bladder_change", "retention", "incontinence", "reduced_sensation")
        or _could_be(answers, "bowel_incontinence", True)
        or _could_be(answers, "sexual_dysfunction_new", True)
        or _could_be(answers, "abdominal_pulsation_or_tearing_pain", True)
    ):
        lift("emergency")

    # Both legs: emergency unless answered long-standing and unchanged, then at least soon.
    both_legs = _could_be(answers, "leg_numbness_tingling", "both") or _could_be(
        answers, "leg_weakness", "both"
    )
    if both_legs:
        lift("soon" if _is(answers, "leg_symptoms_recent_change", False) else "emergency")

    # At least urgent.
    age = answers.get("age")
    cancer_context = (
        (isinstance(age, int) and age > 50)
        or _is(answers, "night_pain_unrelieved", True)
        or _is(answers, "constant_progressive_pain", True)
    )
    if (
        _is(answers, "major_trauma", True)
        or _is(answers, "fever", True)
        or _is(answers, "weakness_progressing", True)
        or _is(answers, "unexplained_weight_loss", True)
        or (_is(answers, "cancer_history", True) and cancer_context)
    ):
        lift("urgent")

    # Course of the pain.
    duration = answers.get("duration_days")
    improving = _is(answers, "trend", "improving")
    short_and_improving = isinstance(duration, int) and duration <= 7 and improving
    if (
        isinstance(duration, int)
        and duration > 7
        and _is(answers, "trend", "unchanged", "worsening")
    ) or _is(answers, "trend", "worsening"):
        lift("soon")

    # One leg.
    if (
        _is(answers, "leg_numbness_tingling", "one") or _is(answers, "leg_pain", "below_knee")
    ) and not short_and_improving:
        lift("soon")
    if _is(answers, "leg_weakness", "one"):
        lift("soon" if _is(answers, "leg_symptoms_recent_change", False) else "urgent")

    # Under 16: out of scope, never self-care.
    if isinstance(age, int) and age < 16:
        lift("soon")

    return floor


# ---------------------------------------------------------------------------- the audit


@dataclass(frozen=True, slots=True)
class Outcome:
    """One vignette's gold level, the engine's level and the contract floor."""

    id: str
    gold: str
    engine: str
    floor: str = "self_care"


@dataclass(frozen=True)
class AuditReport:
    """Counts and rates over a set of outcomes."""

    total: int
    #: matrix[gold][engine] = count
    matrix: dict[str, dict[str, int]]
    exact: int
    safe: int
    gilbert_safe: int
    under: int
    over: int
    floor_violations: tuple[str, ...]
    under_triaged: tuple[str, ...]
    per_level: dict[str, dict[str, float]] = field(default_factory=dict)

    @property
    def exact_rate(self) -> float:
        return self.exact / self.total if self.total else 0.0

    @property
    def safe_rate(self) -> float:
        return self.safe / self.total if self.total else 0.0

    @property
    def gilbert_safe_rate(self) -> float:
        return self.gilbert_safe / self.total if self.total else 0.0

    @property
    def under_rate(self) -> float:
        return self.under / self.total if self.total else 0.0

    @property
    def over_rate(self) -> float:
        return self.over / self.total if self.total else 0.0

    @property
    def emergency_sensitivity(self) -> float:
        """Share of emergency-gold vignettes that the engine called emergency."""
        return self.per_level["emergency"]["exact_rate"]

    def level_exact_rate(self, level: str) -> float:
        return self.per_level[level]["exact_rate"]


def audit(outcomes: Iterable[Outcome]) -> AuditReport:
    """Confusion matrix (gold x engine) and the section-6 rates."""
    items = list(outcomes)
    matrix = {g: dict.fromkeys(LEVELS, 0) for g in LEVELS}
    exact = safe = gilbert = under = over = 0
    floor_violations: list[str] = []
    under_triaged: list[str] = []
    for o in items:
        matrix[o.gold][o.engine] += 1
        diff = RANK[o.engine] - RANK[o.gold]
        exact += diff == 0
        safe += diff >= 0
        gilbert += diff >= -1
        if diff < 0:
            under += 1
            under_triaged.append(o.id)
        over += diff > 0
        if RANK[o.engine] < RANK[o.floor]:
            floor_violations.append(o.id)
    per_level: dict[str, dict[str, float]] = {}
    for g in LEVELS:
        n = sum(matrix[g].values())
        hit = matrix[g][g]
        below = sum(matrix[g][e] for e in LEVELS if RANK[e] < RANK[g])
        above = sum(matrix[g][e] for e in LEVELS if RANK[e] > RANK[g])
        per_level[g] = {
            "n": n,
            "exact": hit,
            "exact_rate": hit / n if n else 0.0,
            "under": below,
            "under_rate": below / n if n else 0.0,
            "over": above,
            "over_rate": above / n if n else 0.0,
        }
    return AuditReport(
        total=len(items),
        matrix=matrix,
        exact=exact,
        safe=safe,
        gilbert_safe=gilbert,
        under=under,
        over=over,
        floor_violations=tuple(floor_violations),
        under_triaged=tuple(under_triaged),
        per_level=per_level,
    )


def run_suite(
    vignettes: Sequence[Mapping[str, Any]] | None = None, service: Any = None
) -> AuditReport:
    """Assess every vignette with the engine and audit the results."""
    if vignettes is None:
        vignettes = load_vignettes()
    if service is None:
        from backstride.services.assessments import default_service  # noqa: PLC0415

        service = default_service()
    outcomes = [
        Outcome(
            id=v["id"],
            gold=v["gold"],
            engine=service.assess(dict(v["answers"])).urgency.value,
            floor=contract_floor(v["answers"]),
        )
        for v in vignettes
    ]
    return audit(outcomes)


def format_matrix(report: AuditReport) -> str:
    """The confusion matrix and rates as plain text."""
    short = {"self_care": "self", "soon": "soon", "urgent": "urg", "emergency": "emerg"}
    width = 10
    lines = ["gold \\ engine".ljust(14) + "".join(short[e].rjust(width) for e in LEVELS) + "     n"]
    for g in reversed(LEVELS):
        row = report.matrix[g]
        lines.append(
            short[g].ljust(14)
            + "".join(str(row[e]).rjust(width) for e in LEVELS)
            + str(sum(row.values())).rjust(6)
        )
    lines += [
        "",
        f"cases {report.total}",
        f"exact-match accuracy {report.exact_rate:.1%} ({report.exact}/{report.total})",
        f"safe (gold or more cautious) {report.safe_rate:.1%} ({report.safe}/{report.total})",
        f"safe (Gilbert 2020, within one level below) {report.gilbert_safe_rate:.1%}",
        f"under-triage {report.under_rate:.1%}  over-triage {report.over_rate:.1%}",
        f"emergency sensitivity {report.emergency_sensitivity:.1%}",
        "exact by gold level: "
        + ", ".join(f"{g} {report.level_exact_rate(g):.0%}" for g in reversed(LEVELS)),
        f"under-triaged: {', '.join(report.under_triaged) or 'none'}",
        f"below contract floor: {', '.join(report.floor_violations) or 'none'}",
    ]
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    print(format_matrix(run_suite()))  # noqa: T201
