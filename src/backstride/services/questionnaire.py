"""The order in which questions are asked, shared by every interface that asks them.

Red-flag questions come first (content order). A follow-up is skipped only when the answers
so far show it does not apply; an unanswered parent means the follow-up is still asked.
Once a red-flag answer makes the result an emergency, nothing else can lower it, so the
interface may stop and show what to do now.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from backstride.domain.content import Question
from backstride.domain.expressions import Value
from backstride.domain.urgency import Urgency
from backstride.triage.engine import Engine


class Questionnaire:
    """Chooses the next question and says when an emergency is already certain."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.questions = engine.content.questions

    def next_question(
        self, answers: Mapping[str, Value], asked: Collection[str]
    ) -> Question | None:
        """The first question not yet asked that may apply, or None when done."""
        for question in self.questions:
            if question.key in asked:
                continue
            if question.ask_when is not None and question.ask_when.evaluate(answers) is False:
                continue
            return question
        return None

    def emergency_certain(self, answers: Mapping[str, Value]) -> bool:
        """True once answers given (not merely unanswered ones) make the result an emergency."""
        result = self.engine.evaluate(answers)
        return any(r.level is Urgency.EMERGENCY and not r.unanswered for r in result.reasons)
