"""Hypothesis strategies for answers, built from the contract's field specs."""

from __future__ import annotations

from hypothesis import strategies as st

from backstride.domain.contract import FieldSpec, Kind
from backstride.domain.expressions import Value


def value_of(spec: FieldSpec) -> st.SearchStrategy[Value]:
    """Any valid value of one field."""
    if spec.kind is Kind.BOOL:
        strategy: st.SearchStrategy[Value] = st.booleans()
    elif spec.kind is Kind.CHOICE:
        strategy = st.sampled_from(spec.choices)
    elif spec.kind is Kind.INT:
        low = int(spec.minimum) if spec.minimum is not None else None
        high = int(spec.maximum) if spec.maximum is not None else 100_000
        strategy = st.integers(min_value=low, max_value=high)
    else:
        strategy = st.floats(
            min_value=spec.minimum,
            max_value=spec.maximum if spec.maximum is not None else 1e6,
            allow_nan=False,
            allow_infinity=False,
        )
    return st.one_of(strategy, st.none()) if spec.nullable else strategy


def answers(fields: tuple[FieldSpec, ...]) -> st.SearchStrategy[dict[str, Value]]:
    """Any valid answers object: every key optional."""
    return st.fixed_dictionaries({}, optional={f.key: value_of(f) for f in fields})


def invalid_value_of(spec: FieldSpec) -> st.SearchStrategy[object]:
    """A value that breaks the field's type or range."""
    wrong_type: list[object] = ["text", [1], {"a": 1}]
    if spec.kind is not Kind.BOOL:
        wrong_type.append(True)
    else:
        wrong_type += [0, 1, "true"]
    if not spec.nullable:
        wrong_type.append(None)
    options: list[st.SearchStrategy[object]] = [st.sampled_from(wrong_type)]
    if spec.kind is Kind.CHOICE:
        options.append(st.text(min_size=1).filter(lambda s: s not in spec.choices))
    if spec.kind is Kind.INT:
        options.append(st.floats(allow_nan=False).filter(lambda x: not float(x).is_integer()))
    if spec.kind in (Kind.INT, Kind.NUMBER) and spec.minimum is not None:
        options.append(st.integers(max_value=int(spec.minimum) - 1))
    if spec.kind in (Kind.INT, Kind.NUMBER) and spec.maximum is not None:
        options.append(st.integers(min_value=int(spec.maximum) + 1))
    return st.one_of(options)
