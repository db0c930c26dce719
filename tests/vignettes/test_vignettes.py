"""Clinical vignettes: an independent oracle for the triage engine.

The vignettes (vignettes.yaml) were written from the assessment contract and the clinical
reference, not from the engine's rules. Each one is checked on its own (urgency within the
acceptable levels, expected patterns present, unanswered questions listed as missing), and
the whole suite is audited against the acceptance bar of reference section 6.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from backstride.domain.contract import CORE_FIELDS
from tests.vignettes.audit import (
    LEVELS,
    PATTERN_IDS,
    RANK,
    AuditReport,
    contract_floor,
    format_matrix,
    load_vignettes,
    run_suite,
)

VIGNETTES = load_vignettes()
CONTRACT_KEYS = frozenset(f.key for f in CORE_FIELDS)
BY_ID = {v["id"]: v for v in VIGNETTES}

MIN_CASES = 60
MIN_PER_LEVEL = {"emergency": 12, "urgent": 12, "soon": 16, "self_care": 16}


def _ids(v: dict[str, Any]) -> str:
    return f"{v['id']}-{v['title']}"


PARAMS = [pytest.param(v, id=_ids(v)) for v in VIGNETTES]
WITH_PATTERNS = [p for p, v in zip(PARAMS, VIGNETTES, strict=True) if v.get("expect_patterns")]
WITH_MISSING = [p for p, v in zip(PARAMS, VIGNETTES, strict=True) if v.get("expect_missing")]


@pytest.fixture(scope="module")
def service() -> Any:
    from backstride.services.assessments import default_service  # noqa: PLC0415

    return default_service()


@pytest.fixture(scope="module")
def report(service: Any) -> AuditReport:
    return run_suite(VIGNETTES, service)


# ---------------------------------------------------------------------------- the suite itself


def test_suite_size_and_spread() -> None:
    assert len(VIGNETTES) >= MIN_CASES
    counts = Counter(v["gold"] for v in VIGNETTES)
    for level, minimum in MIN_PER_LEVEL.items():
        assert counts[level] >= minimum, f"{level}: {counts[level]} < {minimum}"
    assert sum(1 for v in VIGNETTES if v.get("expect_missing")) >= 4


def test_ids_unique_and_sequential() -> None:
    ids = [v["id"] for v in VIGNETTES]
    assert len(set(ids)) == len(ids)
    assert ids == [f"v{i:03d}" for i in range(1, len(ids) + 1)]


@pytest.mark.parametrize("vignette", PARAMS)
def test_vignette_well_formed(vignette: dict[str, Any]) -> None:
    allowed = {
        "id", "title", "story", "answers", "gold", "acceptable",
        "expect_patterns", "expect_missing", "sources",
    }  # fmt: skip
    assert set(vignette) <= allowed
    for key in ("id", "title", "story", "answers", "gold", "acceptable", "sources"):
        assert vignette.get(key), f"{key} is required"
    answers = vignette["answers"]
    unknown = set(answers) - CONTRACT_KEYS
    assert not unknown, f"answers use keys outside the contract: {sorted(unknown)}"

    # Complete answers, except the questions the vignette deliberately leaves unanswered.
    unanswered = CONTRACT_KEYS - set(answers)
    expected_missing = set(vignette.get("expect_missing", ()))
    assert expected_missing <= unanswered, "expect_missing keys must be left unanswered"
    assert unanswered == expected_missing, (
        f"unanswered {sorted(unanswered)} differ from expect_missing {sorted(expected_missing)}"
    )

    # Gold and acceptable levels: gold plus only MORE cautious levels, never below a floor.
    gold, acceptable = vignette["gold"], vignette["acceptable"]
    assert gold in LEVELS
    assert set(acceptable) <= set(LEVELS)
    assert gold in acceptable
    assert all(RANK[level] >= RANK[gold] for level in acceptable)
    floor = contract_floor(answers)
    assert RANK[gold] >= RANK[floor], f"gold {gold} is below the contract floor {floor}"
    assert set(vignette.get("expect_patterns", ())) <= PATTERN_IDS


# ---------------------------------------------------------------------------- against the engine


@pytest.mark.parametrize("vignette", PARAMS)
def test_answers_valid_for_engine(vignette: dict[str, Any], service: Any) -> None:
    answers = service.engine.validator.validate(dict(vignette["answers"]), vignette["id"])
    assert set(answers) == set(vignette["answers"])


@pytest.mark.parametrize("vignette", PARAMS)
def test_vignette_urgency(vignette: dict[str, Any], service: Any) -> None:
    result = service.assess(dict(vignette["answers"]))
    level = result.urgency.value
    fired = ", ".join(f"{r.rule}={r.level.value}" for r in result.reasons) or "none"
    assert level in vignette["acceptable"], (
        f"{vignette['id']} {vignette['title']}: engine {level}, gold {vignette['gold']}, "
        f"acceptable {vignette['acceptable']}; rules: {fired}"
    )
    floor = contract_floor(vignette["answers"])
    assert RANK[level] >= RANK[floor], f"engine {level} is below the contract floor {floor}"


@pytest.mark.parametrize("vignette", WITH_PATTERNS)
def test_vignette_patterns(vignette: dict[str, Any], service: Any) -> None:
    result = service.assess(dict(vignette["answers"]))
    found = {p.id: p.likelihood.value for p in result.patterns}
    for pattern in vignette["expect_patterns"]:
        assert pattern in found, f"{pattern} not among the engine's patterns {found}"


@pytest.mark.parametrize("vignette", WITH_MISSING)
def test_vignette_missing(vignette: dict[str, Any], service: Any) -> None:
    result = service.assess(dict(vignette["answers"]))
    absent = set(vignette["expect_missing"]) - set(result.missing)
    assert not absent, f"not listed in missing: {sorted(absent)}; missing={result.missing}"


# ---------------------------------------------------------------------------- suite audit


def test_audit_emergency_sensitivity(report: AuditReport) -> None:
    emergencies = [v["id"] for v in VIGNETTES if v["gold"] == "emergency"]
    assert report.emergency_sensitivity == 1.0, (
        f"emergency vignettes under-triaged ({len(emergencies)} in suite)\n" + format_matrix(report)
    )


def test_audit_no_under_triage_below_contract_floors(report: AuditReport) -> None:
    assert not report.floor_violations, format_matrix(report)


def test_audit_safe_rate(report: AuditReport) -> None:
    assert report.safe_rate >= 0.97, format_matrix(report)


def test_audit_exact_accuracy(report: AuditReport) -> None:
    assert report.exact_rate >= 0.60, format_matrix(report)


def test_audit_self_care_accuracy(report: AuditReport) -> None:
    assert report.level_exact_rate("self_care") >= 0.40, format_matrix(report)


# ---------------------------------------------------------------------------- the audit maths


def test_audit_function_counts() -> None:
    from tests.vignettes.audit import Outcome, audit  # noqa: PLC0415

    outcomes = [
        Outcome("a", "emergency", "emergency", "emergency"),
        Outcome("b", "urgent", "soon", "urgent"),  # under by one, below floor
        Outcome("c", "soon", "urgent"),  # over
        Outcome("d", "self_care", "self_care"),
        Outcome("e", "soon", "self_care"),  # under by one, floor not violated
    ]
    rep = audit(outcomes)
    assert rep.total == 5
    assert rep.matrix["urgent"]["soon"] == 1
    assert rep.exact == 2
    assert rep.safe == 3
    assert rep.gilbert_safe == 5
    assert rep.under == 2
    assert rep.over == 1
    assert rep.floor_violations == ("b",)
    assert rep.under_triaged == ("b", "e")
    assert rep.emergency_sensitivity == 1.0
    assert rep.level_exact_rate("soon") == 0.0


def test_contract_floor_reading() -> None:
    base = next(
        v["answers"]
        for v in VIGNETTES
        if v["gold"] == "self_care" and v["answers"]["leg_pain"] == "none"
    )
    assert contract_floor(base) == "self_care"
    assert contract_floor({**base, "saddle_numbness": True}) == "emergency"
    unanswered_saddle = {k: a for k, a in base.items() if k != "saddle_numbness"}
    assert contract_floor(unanswered_saddle) == "emergency"
    # Numbness in both legs: emergency unless answered long-standing and unchanged.
    both = {**base, "leg_numbness_tingling": "both"}
    assert contract_floor({**both, "leg_symptoms_recent_change": False}) == "soon"
    assert contract_floor({**both, "leg_symptoms_recent_change": True}) == "emergency"
    # One leg: exempt only when 7 days or less and improving.
    one = {**base, "leg_numbness_tingling": "one", "duration_days": 3, "trend": "improving"}
    assert contract_floor(one) == "self_care"
    assert contract_floor({**one, "duration_days": 8}) == "soon"
    assert contract_floor({**one, "trend": "unchanged"}) == "soon"
    assert contract_floor({**base, "cancer_history": True, "age": 51}) == "urgent"
    assert contract_floor({**base, "age": 15}) == "soon"
