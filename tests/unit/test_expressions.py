"""The reference interpreter: three-valued logic over answers, as documented."""

from __future__ import annotations

import pytest

from backstride.domain.expressions import AllOf, AnyOf, AtLeast, Compare, Expr, Not, Op, Value

T = Compare("t", Op.EQ, True)  # true when answers["t"] is True
F = Compare("f", Op.EQ, True)  # false: answers["f"] is False
U = Compare("u", Op.EQ, True)  # unknown: "u" is never answered
ANSWERS = {"t": True, "f": False}


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        # all
        (AllOf((T, T)), True),
        (AllOf((T, F)), False),
        (AllOf((U, F)), False),
        (AllOf((T, U)), None),
        # any
        (AnyOf((F, F)), False),
        (AnyOf((F, T)), True),
        (AnyOf((U, T)), True),
        (AnyOf((F, U)), None),
        # not
        (Not(T), False),
        (Not(F), True),
        (Not(U), None),
        # at least
        (AtLeast(2, (T, T, F)), True),
        (AtLeast(2, (T, F, F)), False),
        (AtLeast(2, (T, U, F)), None),
        (AtLeast(1, (U, U)), None),
        (AtLeast(3, (T, U, F)), False),
    ],
)
def test_kleene_truth_table(expr: Expr, expected: bool | None) -> None:
    assert expr.evaluate(ANSWERS) is expected


@pytest.mark.parametrize(
    ("op", "constant", "answer", "expected"),
    [
        (Op.EQ, "both", "both", True),
        (Op.EQ, "both", "one", False),
        (Op.NE, "none", "one", True),
        (Op.NE, "none", "none", False),
        (Op.IN, ("one", "both"), "one", True),
        (Op.IN, ("one", "both"), "none", False),
        (Op.GT, 50, 51, True),
        (Op.GT, 50, 50, False),
        (Op.GE, 50, 50, True),
        (Op.GE, 50, 49, False),
        (Op.LT, 16, 15, True),
        (Op.LT, 16, 16, False),
        (Op.LE, 7, 7, True),
        (Op.LE, 7, 8, False),
        # null means "no limit": larger than every number
        (Op.GT, 10, None, True),
        (Op.GE, 10, None, True),
        (Op.LT, 10, None, False),
        (Op.LE, 10, None, False),
        (Op.EQ, None, None, True),
    ],
)
def test_comparisons(
    op: Op, constant: Value | tuple[Value, ...], answer: Value, expected: bool
) -> None:
    answers: dict[str, Value] = {"k": answer}
    assert Compare("k", op, constant).evaluate(answers) is expected
    # the compiled form agrees; only a nullable key's compiled form needs to handle null
    nullable = Compare("k", op, constant, nullable=True)
    assert nullable.compile()(answers) is expected
    if answer is not None:
        plain = Compare("k", op, constant)
        assert plain.compile()(answers) is expected
        assert AllOf((plain,)).compile()(answers) is expected
        assert AnyOf((plain,)).compile()(answers) is expected


@pytest.mark.parametrize("op", list(Op))
def test_unanswered_is_unknown_for_every_operator(op: Op) -> None:
    constant = ("a",) if op is Op.IN else 1
    assert Compare("k", op, constant).evaluate({}) is None


def test_unknown_keys_name_only_what_keeps_a_condition_undecided() -> None:
    a, b, c = (Compare(k, Op.EQ, True) for k in "abc")
    answers = {"b": True}
    # a AND (b OR c): b is True, so c cannot matter; only a keeps it undecided.
    assert AllOf((a, AnyOf((b, c)))).unknown_keys(answers) == {"a"}
    assert AnyOf((a, c)).unknown_keys({}) == {"a", "c"}
    assert Not(a).unknown_keys({}) == {"a"}
    assert AtLeast(2, (a, b, c)).unknown_keys(answers) == {"a", "c"}
    # decided conditions have no unknown keys
    assert AllOf((a, Compare("b", Op.EQ, False))).unknown_keys(answers) == frozenset()
    assert AnyOf((a, b)).unknown_keys(answers) == frozenset()
    assert AtLeast(1, (a, b)).unknown_keys(answers) == frozenset()
    assert a.unknown_keys({"a": False}) == frozenset()


def test_keys_and_description() -> None:
    expr = AllOf(
        (
            Compare("age", Op.GT, 50),
            AnyOf((Compare("x", Op.IN, ("one", "both")), Not(Compare("y", Op.EQ, None)))),
            AtLeast(1, (Compare("z", Op.EQ, False),)),
        )
    )
    assert expr.keys() == {"age", "x", "y", "z"}
    assert expr.describe() == (
        "(age > 50 AND (x in [one, both] OR NOT y = null) AND AT LEAST 1 OF (z = false))"
    )
    assert Not(expr).keys() == expr.keys()
    assert AnyOf((expr,)).keys() == expr.keys()
    assert AtLeast(1, (expr,)).keys() == expr.keys()
    assert Compare("t", Op.EQ, True).describe() == "t = true"
