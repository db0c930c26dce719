"""`backstride assess --interactive`: red flags first, skips, don't know, early stop, save."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backstride.cli.interactive import UNKNOWN, parse_reply
from backstride.cli.main import app
from backstride.domain.content import Choice, Question
from backstride.domain.contract import CORE_FIELDS, index_fields
from backstride.domain.expressions import Value
from backstride.services.assessments import default_service
from backstride.services.questionnaire import Questionnaire

SPECS = index_fields(CORE_FIELDS)
runner = CliRunner()


def _question(key: str, choices: tuple[Choice, ...] = ()) -> Question:
    return Question(key, "s", "text?", "", False, None, choices)


@pytest.mark.parametrize(
    ("key", "reply", "expected"),
    [
        ("fever", "y", True),
        ("fever", "No", False),
        ("fever", "?", UNKNOWN),
        ("age", "70", 70),
        ("walking_tolerance_min", "12.5", 12.5),
        ("walking_tolerance_min", "no limit", None),
        ("age", "don't know", UNKNOWN),
    ],
)
def test_replies(key: str, reply: str, expected: object) -> None:
    assert parse_reply(SPECS[key], _question(key), reply) == expected


def test_choice_replies_by_number_or_value() -> None:
    question = _question("trend", (Choice("improving", "Better"), Choice("worsening", "Worse")))
    assert parse_reply(SPECS["trend"], question, "2") == "worsening"
    assert parse_reply(SPECS["trend"], question, "improving") == "improving"
    with pytest.raises(ValueError, match="number from 1 to 2"):
        parse_reply(SPECS["trend"], question, "7")
    with pytest.raises(ValueError, match="number from 1 to 2"):
        parse_reply(SPECS["trend"], question, "no")  # trend has no "none" choice


def test_no_means_none_where_none_is_a_choice() -> None:
    sides = _question(
        "leg_weakness", (Choice("none", "No"), Choice("one", "1"), Choice("both", "2"))
    )
    assert parse_reply(SPECS["leg_weakness"], sides, "n") == "none"
    assert parse_reply(SPECS["leg_weakness"], sides, "No") == "none"


def test_messages_to_a_person_never_say_null() -> None:
    with pytest.raises(ValueError, match="please type") as caught:
        parse_reply(SPECS["walking_tolerance_min"], _question("walking_tolerance_min"), "-3")
    assert "null" not in str(caught.value)


def test_an_empty_reply_is_never_an_answer() -> None:
    with pytest.raises(ValueError, match="type an answer"):
        parse_reply(SPECS["saddle_numbness"], _question("saddle_numbness"), "   ")


@pytest.mark.parametrize(
    ("key", "reply", "hint"),
    [
        ("fever", "maybe", "y (yes)"),
        ("age", "old", "whole number"),
        ("age", "200", "0 to 120"),
        ("walking_tolerance_min", "lots", "at least 0, or no limit, or ?"),
    ],
)
def test_unclear_replies_say_what_to_type(key: str, reply: str, hint: str) -> None:
    with pytest.raises(ValueError, match=hint.replace("(", r"\(").replace(")", r"\)")):
        parse_reply(SPECS[key], _question(key), reply)


def test_red_flag_questions_come_first_and_are_never_skipped() -> None:
    service = default_service()
    flow = Questionnaire(service.engine)
    red = [q.key for q in service.content.questions if q.red_flag]
    asked: list[str] = []
    answers: dict[str, Value] = {}
    while (q := flow.next_question(answers, asked)) is not None:
        asked.append(q.key)
    assert asked[: len(red)] == red


def test_follow_ups_that_do_not_apply_are_skipped() -> None:
    service = default_service()
    flow = Questionnaire(service.engine)
    answers = {"leg_pain": "none", "leg_numbness_tingling": "none", "leg_weakness": "none"}
    asked: list[str] = []
    while (q := flow.next_question(answers, asked)) is not None:
        asked.append(q.key)
    assert "leg_pain_sides" not in asked
    # with the parent unanswered, the follow-up is still asked
    asked = []
    while (q := flow.next_question({}, asked)) is not None:
        asked.append(q.key)
    assert "leg_pain_sides" in asked


def _replies_for_all(value_for: dict[str, str]) -> str:
    service = default_service()
    return "\n".join(value_for.get(q.key, "?") for q in service.content.questions) + "\n"


def test_emergency_stops_the_questions_and_shows_help_now(tmp_path: Path) -> None:
    service = default_service()
    first = next(q for q in service.content.questions if q.key == "saddle_numbness")
    position = service.content.questions.index(first)
    replies = "\n".join(["n"] * position + ["y"]) + "\n"
    save = tmp_path / "answers.json"
    result = runner.invoke(app, ["assess", "--interactive", "--save", str(save)], input=replies)
    assert result.exit_code == 0, result.output
    assert "Stop here" in result.stdout
    assert "EMERGENCY" in result.stdout
    saved = json.loads(save.read_text(encoding="utf-8"))
    assert saved["saddle_numbness"] is True
    assert default_service().assess(saved).urgency.value == "emergency"


def test_dont_know_everywhere_is_treated_conservatively_and_offers_to_save(
    tmp_path: Path,
) -> None:
    replies = _replies_for_all({}) + str(tmp_path / "mine.json") + "\n"
    result = runner.invoke(app, ["assess", "-i"], input=replies)
    assert result.exit_code == 0, result.output
    assert "EMERGENCY" in result.stdout
    assert "did not answer" in result.stdout
    assert json.loads((tmp_path / "mine.json").read_text(encoding="utf-8")) == {}


def test_retries_an_unclear_reply_and_stops_cleanly_at_end_of_input() -> None:
    result = runner.invoke(app, ["assess", "-i"], input="maybe\n\n")
    assert "please type y (yes), n (no) or ? (don't know)" in result.stdout
    assert "please type an answer, or ? if you don't know" in result.stdout
    assert result.exit_code == 130
    assert "nothing was assessed or saved" in result.stdout
