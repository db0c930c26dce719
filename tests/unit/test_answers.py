"""Validation of answers: the contract's types and ranges, with messages naming the field."""

from __future__ import annotations

import math

import pytest

from backstride.domain.answers import ROOT, AnswerValidator, ContractError
from backstride.domain.contract import CORE_FIELDS, FieldSpec, Kind, index_fields

VALIDATOR = AnswerValidator(CORE_FIELDS)


def test_returns_only_answered_keys_and_keeps_null_as_an_answer() -> None:
    answers = VALIDATOR.validate(
        {"age": 70, "walking_tolerance_min": None, "sitting_hours_per_day": 3, "fever": False}
    )
    assert answers == {
        "age": 70,
        "walking_tolerance_min": None,
        "sitting_hours_per_day": 3.0,
        "fever": False,
    }
    assert VALIDATOR.validate({}) == {}


@pytest.mark.parametrize(
    ("raw", "field", "fragment"),
    [
        ({"age": 121}, "age", "from 0 to 120"),
        ({"age": -1}, "age", "from 0 to 120"),
        ({"age": True}, "age", "whole number"),
        ({"age": "40"}, "age", "whole number"),
        ({"age": 40.5}, "age", "whole number"),
        ({"age": None}, "age", "whole number"),
        ({"pain_now": 11}, "pain_now", "from 0 to 10"),
        ({"fever": 1}, "fever", "true or false"),
        ({"fever": "yes"}, "fever", "true or false"),
        ({"leg_pain": "ankle"}, "leg_pain", '"below_knee"'),
        ({"walking_tolerance_min": -5}, "walking_tolerance_min", "or null (no limit)"),
        ({"walking_tolerance_min": math.inf}, "walking_tolerance_min", "at least 0"),
        ({"duration_days": -1}, "duration_days", "at least 0"),
        ({"favourite_colour": "blue"}, "favourite_colour", "unknown key"),
    ],
)
def test_bad_input_names_the_field(raw: dict[str, object], field: str, fragment: str) -> None:
    with pytest.raises(ContractError) as caught:
        VALIDATOR.validate(raw)
    assert caught.value.fields == (field,)
    assert fragment in str(caught.value)
    assert str(caught.value).startswith(f"{field}: ")


def test_messages_never_repeat_the_value_given() -> None:
    with pytest.raises(ContractError) as caught:
        VALIDATOR.validate({"stress": 987654, "sex": "confidential-text"})
    text = str(caught.value)
    assert "987654" not in text
    assert "confidential-text" not in text
    assert caught.value.fields == ("sex", "stress")


@pytest.mark.parametrize("raw", [[], "text", 3, None])
def test_the_answers_must_be_one_object_with_string_keys(raw: object) -> None:
    with pytest.raises(ContractError) as caught:
        VALIDATOR.validate(raw, where="line 4")
    assert caught.value.fields == (ROOT,)
    assert str(caught.value).startswith("line 4: (answers): ")


def test_a_key_that_is_not_text_is_an_unknown_key() -> None:
    with pytest.raises(ContractError) as caught:
        VALIDATOR.validate({1: True})
    assert caught.value.fields == ("1",)


def test_field_descriptions() -> None:
    specs = index_fields(CORE_FIELDS)
    assert specs["stress"].describe_type() == "a whole number from 0 to 10"
    assert specs["sitting_hours_per_day"].describe_type() == "a number from 0 to 24"
    plain = FieldSpec("x", Kind.NUMBER, "a number with no range")
    assert plain.describe_type() == "a number"
    assert (
        FieldSpec("y", Kind.NUMBER, "m", minimum=0.5).describe_type() == "a number of at least 0.5"
    )


def test_duplicate_keys_are_refused() -> None:
    with pytest.raises(ValueError, match="duplicate contract key 'age'"):
        index_fields((CORE_FIELDS[0], CORE_FIELDS[0]))
