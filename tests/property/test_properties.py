"""Properties of the engine that must hold for every input, not just the examples."""

from __future__ import annotations

import json
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backstride.domain.answers import ContractError
from backstride.domain.content import CriteriaScoring
from backstride.domain.contract import CORE_FIELDS, index_fields
from backstride.domain.expressions import Expr, Value
from backstride.domain.urgency import Urgency
from backstride.services.assessments import default_service
from tests.strategies import answers, invalid_value_of

SERVICE = default_service()
FIELDS = SERVICE.content.fields
CORE = index_fields(CORE_FIELDS)
PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: Red-flag answers and their positive values (each alone is a warning sign).
RED_FLAGS: list[tuple[str, Value]] = [
    ("saddle_numbness", True),
    ("bladder_change", "retention"),
    ("bladder_change", "incontinence"),
    ("bladder_change", "reduced_sensation"),
    ("bowel_incontinence", True),
    ("sexual_dysfunction_new", True),
    ("abdominal_pulsation_or_tearing_pain", True),
    ("major_trauma", True),
    ("fever", True),
    ("feeling_unwell", True),
    ("unexplained_weight_loss", True),
    ("cancer_history", True),
    ("immunosuppressed", True),
    ("iv_drug_use", True),
    ("recent_infection_or_spinal_procedure", True),
    ("osteoporosis", True),
    ("long_term_steroids", True),
    ("night_pain_unrelieved", True),
    ("constant_progressive_pain", True),
    ("weakness_progressing", True),
    ("leg_weakness", "one"),
    ("leg_weakness", "both"),
    ("leg_numbness_tingling", "both"),
]
NEGATIVE: dict[str, Value] = {key: ("none" if CORE[key].choices else False) for key, _ in RED_FLAGS}


@PROPERTY
@given(answers(FIELDS))
def test_any_valid_input_gives_a_valid_result(given_answers: dict[str, Value]) -> None:
    result = SERVICE.assess(given_answers)
    out = json.loads(json.dumps(result.to_contract()))
    assert list(out)[:6] == ["contract", "urgency", "reasons", "patterns", "missing", "next_steps"]
    assert out["contract"] == 1
    assert out["urgency"] in {u.value for u in Urgency}
    levels = [Urgency(r["level"]) for r in out["reasons"]]
    assert levels == sorted(levels, reverse=True), "reasons are highest level first"
    assert result.urgency == max(levels, default=Urgency.SELF_CARE)
    assert all(r["source"] and r["message"] and r["rule"] for r in out["reasons"])
    assert all(p["likelihood"] in {"likely", "possible"} for p in out["patterns"])
    assert set(out["missing"]) <= set(CORE) | {f.key for f in FIELDS}
    assert not set(out["missing"]) & set(given_answers), "only unanswered keys are missing"
    assert out["next_steps"], "there is always something to do now"
    assert len(set(out["next_steps"])) == len(out["next_steps"])


@PROPERTY
@given(answers(FIELDS), st.sampled_from(RED_FLAGS))
def test_a_positive_red_flag_never_lowers_urgency(
    given_answers: dict[str, Value], flag: tuple[str, Value]
) -> None:
    key, positive = flag
    absent = {k: v for k, v in given_answers.items() if k != key}
    with_flag = SERVICE.assess({**absent, key: positive}).urgency
    assert with_flag >= SERVICE.assess(absent).urgency
    assert with_flag >= SERVICE.assess({**absent, key: NEGATIVE[key]}).urgency


@PROPERTY
@given(answers(FIELDS), st.sampled_from(sorted(CORE)))
def test_an_unanswered_red_flag_is_never_read_as_no(
    given_answers: dict[str, Value], key: str
) -> None:
    """Leaving a question out never lowers the urgency below a benign answer's; when some
    answer to a question that applies would raise the urgency, it is listed as missing; a
    follow-up that the other answers show does not apply is never missing."""
    absent = {k: v for k, v in given_answers.items() if k != key}
    without = SERVICE.assess(absent)
    if key in NEGATIVE:
        assert without.urgency >= SERVICE.assess({**absent, key: NEGATIVE[key]}).urgency
    spec = CORE[key]
    candidates: list[Value] = (
        [True, False] if spec.choices == () and spec.minimum is None else list(spec.choices)
    )
    if spec.minimum is not None:
        top = spec.maximum if spec.maximum is not None else 400
        numbers = [spec.minimum, (spec.minimum + top) / 2, top, 7, 8, 15, 16, 50, 51, 70]
        numbers = [c for c in numbers if spec.minimum <= c <= top]
        if spec.kind.value == "int":
            numbers = [int(c) for c in numbers if float(c).is_integer()]
        candidates = list(numbers)
        if spec.nullable:
            candidates.append(None)
    question = next(q for q in SERVICE.content.questions if q.key == key)
    applies = question.ask_when is None or question.ask_when.evaluate(absent) is not False
    for value in candidates:
        if applies and SERVICE.assess({**absent, key: value}).urgency > without.urgency:
            assert key in without.missing, f"{key}={value!r} raises urgency but is not missing"
    if not applies:
        assert key not in without.missing, "a follow-up that does not apply is not missing"


@PROPERTY
@given(answers(FIELDS), st.data())
def test_invalid_input_is_refused_naming_the_field(
    given_answers: dict[str, Value], data: st.DataObject
) -> None:
    spec = data.draw(st.sampled_from(FIELDS))
    bad = data.draw(invalid_value_of(spec))
    with pytest.raises(ContractError) as caught:
        SERVICE.assess({**given_answers, spec.key: bad})
    assert spec.key in caught.value.fields


@PROPERTY
@given(answers(FIELDS), st.text(min_size=1).filter(lambda k: k not in {f.key for f in FIELDS}))
def test_unknown_keys_are_refused_by_name(given_answers: dict[str, Value], key: str) -> None:
    with pytest.raises(ContractError) as caught:
        SERVICE.assess({**given_answers, key: True})
    assert key in caught.value.fields


@PROPERTY
@given(answers(FIELDS), st.randoms(use_true_random=False))
def test_the_same_answers_give_the_same_result(
    given_answers: dict[str, Value], rng: random.Random
) -> None:
    items = list(given_answers.items())
    rng.shuffle(items)
    first = SERVICE.assess(given_answers).to_contract()
    assert SERVICE.assess(dict(items)).to_contract() == first
    assert SERVICE.assess(given_answers).to_contract() == first


def _all_conditions() -> list[tuple[str, Expr]]:
    content = SERVICE.content
    found: list[tuple[str, Expr]] = [(r.id, r.when) for r in content.rules]
    for p in content.patterns:
        found += [(f"{p.id}.{e.id}", e.when) for e in p.evidence]
        if p.gate is not None:
            found.append((f"{p.id}.gate", p.gate))
        if isinstance(p.scoring, CriteriaScoring):
            found.append((f"{p.id}.possible", p.scoring.possible_when))
            if p.scoring.likely_when is not None:
                found.append((f"{p.id}.likely", p.scoring.likely_when))
    found += [(f"ask_when.{q.key}", q.ask_when) for q in content.questions if q.ask_when]
    return found


CONDITIONS = _all_conditions()
COMPILED = [(name, expr, expr.compile()) for name, expr in CONDITIONS]


@PROPERTY
@given(answers(FIELDS), st.sampled_from(["low", "medium", "high", None]))
def test_compiled_conditions_agree_with_the_reference_interpreter(
    given_answers: dict[str, Value], outlook: str | None
) -> None:
    facts: dict[str, Value] = dict(given_answers)
    if outlook is not None:
        facts["outlook_risk"] = outlook
    for name, expr, compiled in COMPILED:
        assert compiled(facts) is expr.evaluate(facts), name
