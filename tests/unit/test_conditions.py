"""The condition vocabulary: what parses, and the error for everything that does not."""

from __future__ import annotations

import pytest

from backstride.content.conditions import ConditionError, parse_condition
from backstride.domain.contract import CORE_FIELDS, index_fields
from backstride.domain.expressions import AllOf, AnyOf, AtLeast, Compare, Not, Op

FIELDS = index_fields(CORE_FIELDS)


@pytest.mark.parametrize(
    ("node", "expected"),
    [
        ({"saddle_numbness": True}, Compare("saddle_numbness", Op.EQ, True)),
        ({"key": "age", "lt": 16}, Compare("age", Op.LT, 16)),
        ({"key": "age", "ge": 50.5}, Compare("age", Op.GE, 50.5)),
        (
            {"key": "bladder_change", "in": ["retention", "incontinence"]},
            Compare("bladder_change", Op.IN, ("retention", "incontinence")),
        ),
        ({"key": "trend", "ne": "improving"}, Compare("trend", Op.NE, "improving")),
        ({"walking_tolerance_min": None}, Compare("walking_tolerance_min", Op.EQ, None, True)),
        (
            {"key": "walking_tolerance_min", "lt": 10},
            Compare("walking_tolerance_min", Op.LT, 10, nullable=True),
        ),
        (
            {"all": [{"fever": True}, {"not": {"feeling_unwell": False}}]},
            AllOf((Compare("fever", Op.EQ, True), Not(Compare("feeling_unwell", Op.EQ, False)))),
        ),
        (
            {"any": [{"fever": True}]},
            AnyOf((Compare("fever", Op.EQ, True),)),
        ),
        (
            {"at_least": 1, "of": [{"fever": True}, {"iv_drug_use": True}]},
            AtLeast(1, (Compare("fever", Op.EQ, True), Compare("iv_drug_use", Op.EQ, True))),
        ),
    ],
)
def test_parses(node: dict[str, object], expected: object) -> None:
    assert parse_condition(node, FIELDS) == expected


@pytest.mark.parametrize(
    ("node", "path", "fragment"),
    [
        ([], "when", "non-empty mapping"),
        ({}, "when", "non-empty mapping"),
        ({"saddle_numbnes": True}, "when.saddle_numbnes", "unknown answer key"),
        ({"fever": "yes"}, "when.fever", "not a value of fever"),
        ({"leg_pain": "ankle"}, "when.leg_pain", "not a value of leg_pain"),
        ({"key": "age", "gt": "fifty"}, "when.gt", "not a value of age"),
        ({"key": "age", "gt": True}, "when.gt", "not a value of age"),
        ({"key": "fever", "gt": 1}, "when.gt", "cannot be ordered"),
        ({"key": "age", "gt": None}, "when.gt", "cannot order against null"),
        ({"age": None}, "when.age", "cannot be null"),
        ({"key": "age", "between": 1}, "when", "one operator"),
        ({"key": "age", "gt": 1, "lt": 5}, "when", "one operator"),
        ({"key": "trend", "in": []}, "when.in", "non-empty list"),
        ({"key": "trend", "in": "improving"}, "when.in", "non-empty list"),
        ({"all": []}, "when.all", "non-empty list"),
        ({"any": {"fever": True}}, "when.any", "non-empty list"),
        ({"all": [{"fever": True}], "any": [{"fever": True}]}, "when", "stand alone"),
        ({"at_least": 3, "of": [{"fever": True}]}, "when.at_least", "from 1 to 1"),
        ({"at_least": True, "of": [{"fever": True}]}, "when.at_least", "whole number"),
        ({"at_least": 1}, "when", "exactly the keys"),
        ({"fever": True, "age": 3}, "when", "cannot read condition"),
        ({"all": [{"fever": True}, {"not": {"nope": 1}}]}, "when.all[1].not.nope", "unknown"),
    ],
)
def test_errors_name_the_place(node: object, path: str, fragment: str) -> None:
    with pytest.raises(ConditionError) as caught:
        parse_condition(node, FIELDS)
    assert caught.value.path == path
    assert fragment in str(caught.value)
