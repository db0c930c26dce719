"""Assessment JSON and JSONL text, and diary check-ins (the service and the web form):
any input gives a result or a ``ContractError`` naming the field, never a crash; a refused
check-in writes nothing."""

from __future__ import annotations

import contextlib
import json
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backstride.domain.answers import ContractError
from backstride.domain.contract import CORE_FIELDS
from backstride.services.assessments import default_service
from backstride.services.container import Services
from backstride.services.records import validate_entry
from backstride.web.pages.person import parse_checkin
from tests.fuzz.conftest import FUZZ, JSON, ODD_NUMBERS, assert_clear, row_counts
from tests.strategies import answers, invalid_value_of
from tests.web.conftest import add_user

KEYS = [spec.key for spec in CORE_FIELDS]

#: Answers objects: valid ones, ones with a bad field, and unknown keys.
ANSWERS = st.one_of(
    answers(CORE_FIELDS),
    st.tuples(answers(CORE_FIELDS), st.sampled_from(CORE_FIELDS)).flatmap(
        lambda pair: invalid_value_of(pair[1]).map(lambda bad: {**pair[0], pair[1].key: bad})
    ),
    st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=10), JSON | ODD_NUMBERS, max_size=8),
    JSON,
)


def _text_of(value: Any) -> str:
    return json.dumps(value)  # NaN and Infinity written as json.dumps does (not strict JSON)


@FUZZ
@given(text=st.text(max_size=200), jsonl=st.booleans())
def test_any_text_is_assessed_or_refused_clearly(text: str, jsonl: bool) -> None:
    try:
        results = default_service().assess_text(text, jsonl=jsonl)
    except ContractError as error:
        assert_clear(error)
    else:
        assert len(results) == (
            sum(1 for line in text.splitlines() if line.strip()) if jsonl else 1
        )


@FUZZ
@given(value=ANSWERS)
def test_any_json_document_is_assessed_or_refused_clearly(value: Any) -> None:
    try:
        (result,) = default_service().assess_text(_text_of(value), jsonl=False)
    except ContractError as error:
        assert_clear(error)
    else:
        assert result.urgency is not None


@FUZZ
@given(lines=st.lists(ANSWERS, min_size=1, max_size=4), bad_line=st.integers(0, 3))
def test_one_bad_jsonl_line_refuses_the_batch_naming_its_line(
    lines: list[Any], bad_line: int
) -> None:
    """All lines are checked before any result: a broken line refuses the whole batch."""
    texts = [_text_of(v) for v in lines]
    broken = min(bad_line, len(texts) - 1)
    texts[broken] = texts[broken][:-1] + "}}"  # not JSON any more (or never was an object)
    with pytest.raises(ContractError) as refused:
        default_service().assess_text("\n".join(texts), jsonl=True)
    assert_clear(refused.value)
    assert refused.value.where.startswith("line ")


ENTRY_KEYS = [
    "day",
    "pain_now",
    "pain_walking",
    "walk_minutes",
    "walk_tolerance_min",
    "walk_no_limit",
    "steps",
    "exercises",
    "settled_by_morning",
    "red_flag",
    "note",
]
GOOD_ENTRY = {
    "day": date.today() - timedelta(days=1),
    "pain_now": 3,
    "pain_walking": 4,
    "walk_minutes": 20.0,
    "red_flag": False,
}
ENTRIES = st.one_of(
    st.dictionaries(
        st.sampled_from(ENTRY_KEYS) | st.text(max_size=8),
        JSON | ODD_NUMBERS | st.dates(),
        max_size=8,
    ),
    st.tuples(st.sampled_from(ENTRY_KEYS), JSON | ODD_NUMBERS | st.dates()).map(
        lambda pair: {**GOOD_ENTRY, pair[0]: pair[1]}
    ),
)


@FUZZ
@given(raw=ENTRIES)
def test_any_check_in_is_a_diary_entry_or_a_clear_refusal(raw: dict[str, Any]) -> None:
    try:
        entry = validate_entry(raw, date.today())
    except ContractError as error:
        assert_clear(error)
    else:
        assert 0 <= entry.pain_now <= 10
        assert entry.day <= date.today()


@FUZZ
@given(raw=ENTRIES)
def test_a_refused_check_in_writes_nothing(services: Services, raw: dict[str, Any]) -> None:
    with contextlib.suppress(ContractError):  # made by an earlier example
        add_user(services, "fuzz")
    before = row_counts(services)
    try:
        services.records.add_entry("fuzz", raw)
    except ContractError as error:
        assert_clear(error)
        assert row_counts(services) == before
    else:
        assert sum(row_counts(services).values()) >= sum(before.values())


FORM_KEYS = [
    "pain_now",
    "pain_walking",
    "walk_minutes",
    "walk_tolerance_min",
    "walk_no_limit",
    "steps",
    "settled_by_morning",
    "red_flag",
    "note",
    "done-walk",
    "pain-walk",
]


@FUZZ
@given(values=st.dictionaries(st.sampled_from(FORM_KEYS), st.text(max_size=12), max_size=11))
def test_the_check_in_form_is_read_or_each_bad_field_named(values: dict[str, str]) -> None:
    raw, errors = parse_checkin(values, ["walk"])
    assert set(errors) <= set(FORM_KEYS) | {"exercises"}
    assert all(message.strip() for message in errors.values())
    if not errors:
        try:
            validate_entry({**raw, "day": date.today()}, date.today())
        except ContractError as error:
            assert_clear(error)
