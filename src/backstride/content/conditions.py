"""Parses the closed condition vocabulary of content files into expression trees.

Forms (YAML):

* ``{all: [c, ...]}``, ``{any: [c, ...]}``, ``{not: c}``, ``{at_least: N, of: [c, ...]}``
* ``{key: K, eq: V}`` and likewise ``ne``, ``in`` (a list), ``gt``, ``ge``, ``lt``, ``le``
* ``{K: V}``: shorthand for ``{key: K, eq: V}``

Every key must be a known answer (or derived) field and every constant must be a value that
field can take, so a typo in a content file is an error at load time, never a silent False.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from backstride.domain.contract import FieldSpec, Kind
from backstride.domain.expressions import (
    ORDERING_OPS,
    AllOf,
    AnyOf,
    AtLeast,
    Compare,
    Expr,
    Not,
    Op,
    Value,
)

_OPS = {op.value: op for op in Op}
_COMBINATORS = frozenset({"all", "any", "not", "at_least"})


class ConditionError(ValueError):
    """A condition that breaks the vocabulary; ``path`` says where inside the condition."""

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        super().__init__(message)


def parse_condition(node: object, fields: Mapping[str, FieldSpec], path: str = "when") -> Expr:
    """The expression tree for ``node``; raises ``ConditionError`` naming the bad part."""
    if not isinstance(node, dict) or not node:
        raise ConditionError(path, "a condition must be a non-empty mapping")
    keys = set(node)
    if keys & _COMBINATORS:
        return _combinator(node, fields, path)
    if "key" in keys:
        return _comparison(node, fields, path)
    if len(node) == 1:
        ((key, value),) = node.items()
        return _compare(str(key), Op.EQ, value, fields, f"{path}.{key}")
    raise ConditionError(path, f"cannot read condition with keys {sorted(map(str, keys))}")


def _parts(node: object, fields: Mapping[str, FieldSpec], path: str) -> tuple[Expr, ...]:
    if not isinstance(node, list) or not node:
        raise ConditionError(path, "must be a non-empty list of conditions")
    return tuple(parse_condition(part, fields, f"{path}[{i}]") for i, part in enumerate(node))


def _combinator(node: dict[Any, Any], fields: Mapping[str, FieldSpec], path: str) -> Expr:
    if "at_least" in node:
        if set(node) != {"at_least", "of"}:
            raise ConditionError(path, "at_least needs exactly the keys 'at_least' and 'of'")
        count = node["at_least"]
        parts = _parts(node["of"], fields, f"{path}.of")
        if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= len(parts):
            raise ConditionError(
                f"{path}.at_least", f"must be a whole number from 1 to {len(parts)}"
            )
        return AtLeast(count, parts)
    if len(node) != 1:
        raise ConditionError(path, "all, any and not each stand alone in their mapping")
    ((word, inner),) = node.items()
    if word == "not":
        return Not(parse_condition(inner, fields, f"{path}.not"))
    parts = _parts(inner, fields, f"{path}.{word}")
    return AllOf(parts) if word == "all" else AnyOf(parts)


def _comparison(node: dict[Any, Any], fields: Mapping[str, FieldSpec], path: str) -> Expr:
    operators = [k for k in node if k != "key"]
    if len(operators) != 1 or operators[0] not in _OPS:
        raise ConditionError(path, f"a comparison needs 'key' and one operator of {sorted(_OPS)}")
    word = operators[0]
    return _compare(str(node["key"]), _OPS[word], node[word], fields, f"{path}.{word}")


def _compare(
    key: str, op: Op, value: object, fields: Mapping[str, FieldSpec], path: str
) -> Compare:
    spec = fields.get(key)
    if spec is None:
        raise ConditionError(path, f"unknown answer key {key!r}")
    if op is Op.IN:
        if not isinstance(value, list) or not value:
            raise ConditionError(path, "'in' needs a non-empty list")
        return Compare(key, op, tuple(_constant(spec, v, path) for v in value), spec.nullable)
    if op in ORDERING_OPS:
        if spec.kind not in (Kind.INT, Kind.NUMBER):
            raise ConditionError(path, f"{key} is not a number and cannot be ordered")
        if value is None:
            raise ConditionError(path, "cannot order against null")
    return Compare(key, op, _constant(spec, value, path), spec.nullable)


def _constant(spec: FieldSpec, value: object, path: str) -> Value:
    if value is None:
        if spec.nullable:
            return None
        raise ConditionError(path, f"{spec.key} cannot be null")
    ok = (
        (spec.kind is Kind.BOOL and isinstance(value, bool))
        or (spec.kind is Kind.CHOICE and value in spec.choices)
        or (
            spec.kind in (Kind.INT, Kind.NUMBER)
            and isinstance(value, int | float)
            and not isinstance(value, bool)
        )
    )
    if not ok:
        raise ConditionError(
            path, f"{value!r} is not a value of {spec.key} ({spec.describe_type()})"
        )
    return value  # type: ignore[return-value]
