"""The built-in questions and the recovery-outlook screen: coverage, order, wording, scoring."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from backstride.content import load_content
from backstride.domain.content import ContentBundle, Question
from backstride.domain.contract import CORE_FIELDS, Kind
from backstride.domain.expressions import Value
from backstride.triage.outlook import score_outlook

MAX_WORDS = 25
CORE_KEYS = [spec.key for spec in CORE_FIELDS]


@pytest.fixture(scope="module")
def content() -> ContentBundle:
    return load_content()


def _core_questions(content: ContentBundle) -> list[Question]:
    items = {item.key for item in content.instrument.items}
    return [q for q in content.questions if q.key not in items]


def test_every_core_key_has_exactly_one_question(content: ContentBundle) -> None:
    keys = [q.key for q in _core_questions(content)]
    assert sorted(keys) == sorted(CORE_KEYS)
    assert len(keys) == len(set(keys))


def test_instrument_items_are_asked_in_the_outlook_section(content: ContentBundle) -> None:
    outlook = [q.key for q in content.questions if q.section == "outlook"]
    assert outlook == [item.key for item in content.instrument.items]
    assert all(key.startswith("outlook_") for key in outlook)


def test_red_flag_questions_come_before_all_others(content: ContentBundle) -> None:
    flags = [q.red_flag for q in content.questions]
    first_other = flags.index(False)
    assert all(flags[:first_other])
    assert not any(flags[first_other:]), "a red-flag question comes after an ordinary one"


def test_red_flag_questions_are_never_skipped(content: ContentBundle) -> None:
    skippable = [q.key for q in content.questions if q.red_flag and q.ask_when is not None]
    assert skippable == []


@pytest.mark.parametrize(
    "key",
    [
        "saddle_numbness",
        "bladder_change",
        "bowel_incontinence",
        "sexual_dysfunction_new",
        "abdominal_pulsation_or_tearing_pain",
        "leg_numbness_tingling",
        "leg_weakness",
        "major_trauma",
        "fever",
        "unexplained_weight_loss",
        "cancer_history",
    ],
)
def test_emergency_and_urgent_signs_are_red_flags(content: ContentBundle, key: str) -> None:
    question = next(q for q in content.questions if q.key == key)
    assert question.red_flag


def test_sections_are_declared_and_grouped(content: ContentBundle) -> None:
    section_ids = [s.id for s in content.sections]
    assert "outlook" in section_ids
    order = [q.section for q in content.questions]
    seen: list[str] = []
    for section in order:
        if not seen or seen[-1] != section:
            assert section not in seen, f"section {section!r} is split in two"
            seen.append(section)
    assert seen == [s for s in section_ids if s in seen], "questions follow the section order"


def test_every_choice_key_labels_exactly_its_values(content: ContentBundle) -> None:
    by_key = {q.key: q for q in content.questions}
    for spec in CORE_FIELDS:
        question = by_key[spec.key]
        if spec.kind is Kind.CHOICE:
            assert sorted(c.value for c in question.choices) == sorted(spec.choices), spec.key
            assert all(c.label.strip() for c in question.choices), spec.key
        else:
            assert question.choices == (), spec.key


def test_question_text_is_short(content: ContentBundle) -> None:
    too_long = {q.key: len(q.text.split()) for q in content.questions}
    assert {k: n for k, n in too_long.items() if n > MAX_WORDS} == {}


def test_help_is_at_most_two_short_sentences(content: ContentBundle) -> None:
    wordy = {q.key for q in content.questions if len(q.help.split()) > 30}
    assert wordy == set()


# ask_when uses three-valued logic: None (unknown) means the question is asked.
@pytest.mark.parametrize(
    ("key", "answers", "asked"),
    [
        ("leg_pain_sides", {}, None),
        ("leg_pain_sides", {"leg_pain": "none"}, False),
        ("leg_pain_sides", {"leg_pain": "above_knee"}, True),
        ("leg_pain_worse_than_back", {"leg_pain": "none"}, False),
        ("leg_pain_worse_than_back", {"leg_pain": "below_knee"}, True),
        ("calf_pain_relieved_by_standing_still", {"leg_pain": "none"}, False),
        ("calf_pain_relieved_by_standing_still", {"leg_pain": "below_knee"}, True),
        ("weakness_progressing", {}, None),
        ("weakness_progressing", {"leg_numbness_tingling": "none"}, None),
        ("weakness_progressing", {"leg_numbness_tingling": "none", "leg_weakness": "none"}, False),
        ("weakness_progressing", {"leg_numbness_tingling": "one"}, True),
        ("weakness_progressing", {"leg_weakness": "both"}, True),
        ("leg_symptoms_recent_change", {"leg_weakness": "none"}, None),
        (
            "leg_symptoms_recent_change",
            {"leg_numbness_tingling": "none", "leg_weakness": "none"},
            False,
        ),
        ("leg_symptoms_recent_change", {"leg_numbness_tingling": "both"}, True),
    ],
)
def test_follow_ups_are_skipped_only_when_known_not_to_apply(
    content: ContentBundle, key: str, answers: Mapping[str, Value], asked: bool | None
) -> None:
    question = next(q for q in content.questions if q.key == key)
    assert question.ask_when is not None
    assert question.ask_when.evaluate(answers) is asked


# ---------------------------------------------------------------- outlook scoring

_NO: dict[str, Value] = {
    "outlook_bothersome": 0,
    "outlook_walking_limited": False,
    "outlook_fear_of_movement": False,
    "outlook_worry": False,
    "outlook_hopeless": False,
    "outlook_low_mood": False,
}


def _with(**changes: Value) -> dict[str, Value]:
    return {**_NO, **{f"outlook_{k}": v for k, v in changes.items()}}


# answers → (level, total, distress). Bands: high = distress ≥ 4; medium = total ≥ 3; else low.
OUTLOOK_TABLE: list[tuple[str, dict[str, Value], str, int, int]] = [
    ("all no", _with(), "low", 0, 0),
    ("bothersome 2 is below positive_from", _with(bothersome=2), "low", 0, 0),
    ("bothersome 3 counts", _with(bothersome=3), "low", 1, 1),
    ("bothersome 4 counts", _with(bothersome=4), "low", 1, 1),
    ("two items", _with(walking_limited=True, fear_of_movement=True), "low", 2, 1),
    (
        "three items: medium",
        _with(walking_limited=True, fear_of_movement=True, worry=True),
        "medium",
        3,
        2,
    ),
    (
        "three distress items: medium",
        _with(fear_of_movement=True, worry=True, hopeless=True),
        "medium",
        3,
        3,
    ),
    (
        "three distress and walking: still medium",
        _with(walking_limited=True, fear_of_movement=True, worry=True, hopeless=True),
        "medium",
        4,
        3,
    ),
    (
        "four psychological items: high",
        _with(fear_of_movement=True, worry=True, hopeless=True, low_mood=True),
        "high",
        4,
        4,
    ),
    (
        "bothersome counts towards distress: high",
        _with(bothersome=3, worry=True, hopeless=True, low_mood=True),
        "high",
        4,
        4,
    ),
    (
        "bothersome 2 does not: medium",
        _with(bothersome=2, worry=True, hopeless=True, low_mood=True, walking_limited=True),
        "medium",
        4,
        3,
    ),
    (
        "everything: high",
        _with(
            bothersome=4,
            walking_limited=True,
            fear_of_movement=True,
            worry=True,
            hopeless=True,
            low_mood=True,
        ),
        "high",
        6,
        5,
    ),
    # Unanswered items count as not positive, so the band is a floor.
    ("one item answered, yes", {"outlook_fear_of_movement": True}, "low", 1, 1),
    ("one item answered, no", {"outlook_low_mood": False}, "low", 0, 0),
    (
        "three answered yes, rest unanswered",
        {"outlook_walking_limited": True, "outlook_worry": True, "outlook_hopeless": True},
        "medium",
        3,
        2,
    ),
    (
        "four distress yes, rest unanswered",
        {
            "outlook_bothersome": 3,
            "outlook_fear_of_movement": True,
            "outlook_worry": True,
            "outlook_low_mood": True,
        },
        "high",
        4,
        4,
    ),
]


@pytest.mark.parametrize(
    ("answers", "level", "total", "distress"),
    [pytest.param(a, lv, t, d, id=name) for name, a, lv, t, d in OUTLOOK_TABLE],
)
def test_outlook_scoring(
    content: ContentBundle, answers: dict[str, Value], level: str, total: int, distress: int
) -> None:
    result = score_outlook(content.instrument, answers)
    assert result is not None
    assert (result.level, result.total, dict(result.subscales)) == (
        level,
        total,
        {"distress": distress},
    )
    expected_unanswered = [i.key for i in content.instrument.items if i.key not in answers]
    assert list(result.unanswered) == expected_unanswered
    assert result.validated is False


def test_outlook_with_no_item_answered_gives_no_result(content: ContentBundle) -> None:
    assert score_outlook(content.instrument, {"age": 70}) is None


def test_outlook_rationale_names_each_positive_item_then_the_band(
    content: ContentBundle,
) -> None:
    result = score_outlook(content.instrument, _with(fear_of_movement=True, bothersome=3))
    assert result is not None
    plain = {i.key: i.plain for i in content.instrument.items}
    band = next(b for b in content.instrument.bands if b.level == result.level)
    assert result.rationale == (
        plain["outlook_bothersome"],
        plain["outlook_fear_of_movement"],
        band.meaning,
    )


def test_outlook_instrument_is_marked_unvalidated_and_original(content: ContentBundle) -> None:
    instrument = content.instrument
    assert instrument.id == "backstride_outlook"
    assert instrument.validated is False
    assert "Backstride original wording" in instrument.licence
    assert "not a substitute for a validated instrument" in instrument.attribution
    assert [b.level for b in instrument.bands] == ["high", "medium", "low"]
