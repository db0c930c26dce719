"""The assessment engine: answers in, contract result out. Pure and deterministic.

1. Validate the answers against the contract (``ContractError`` names each bad field).
2. Score the recovery-outlook screen; its band becomes the derived fact ``outlook_risk``.
3. Evaluate every rule with three-valued logic. A rule that holds sets a floor at its level.
   A rule left undecided by unanswered questions applies its ``if_unanswered`` level (when
   it has one) and lists the questions whose answers could change the urgency. A follow-up
   question that the other answers show does not apply (its ``ask_when`` is false, as when
   "is the weakness getting worse?" follows "no weakness") is not missing: it was never
   asked. Red-flag questions have no ``ask_when``, so they always apply.
4. Weigh the contributing patterns and gather what to do now.

Conditions are compiled once, when the engine is built (see ``Expr.compile``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from backstride.domain.answers import AnswerValidator
from backstride.domain.content import (
    ContentBundle,
    CriteriaScoring,
    Likelihood,
    PatternRule,
    RatioScoring,
    Rule,
)
from backstride.domain.expressions import Answers, Compiled, Value
from backstride.domain.result import AssessmentResult, PatternFinding, Reason
from backstride.domain.urgency import Urgency
from backstride.triage.outlook import OutlookScorer


class Engine:
    """Evaluates answers against one validated content bundle."""

    def __init__(self, content: ContentBundle) -> None:
        self.content = content
        self.validator = AnswerValidator(content.fields)
        order = [q.key for q in content.questions]
        self._question_rank = {key: i for i, key in enumerate(order)}
        self._meaning = {f.key: f.meaning for f in content.fields}
        self._input_keys = frozenset(f.key for f in content.fields)
        self._rules = tuple((rule.when.compile(), rule) for rule in content.rules)
        self._levels = tuple(Urgency)  # by rank
        self._advice_steps = tuple(content.advice[level].steps for level in Urgency)
        self._reason = {
            rule.id: Reason(rule.id, rule.level, rule.message, rule.source_text)
            for rule in content.rules
        }
        self._patterns = tuple(_Weigher.of(p) for p in content.patterns)
        self._outlook = OutlookScorer(content.instrument)
        self._ask_when = {
            q.key: q.ask_when.compile() for q in content.questions if q.ask_when is not None
        }

    def assess(self, raw: object, where: str = "") -> AssessmentResult:
        """Validate raw decoded JSON and evaluate it; raises ``ContractError`` on bad input."""
        return self.evaluate(self.validator.validate(raw, where))

    def evaluate(self, answers: Mapping[str, Value]) -> AssessmentResult:
        """Evaluate answers that have already been validated."""
        content = self.content
        facts: dict[str, Value] = dict(answers)
        outlook = self._outlook.score(answers)
        if outlook is not None:
            facts["outlook_risk"] = outlook.level

        fired: list[Rule] = []
        undecided: list[Rule] = []
        for test, rule in self._rules:
            holds = test(facts)
            if holds is True:
                fired.append(rule)
            elif holds is None:
                undecided.append(rule)

        decided = self._levels[max([rule.level.rank for rule in fired], default=0)]
        reasons = [self._reason[rule.id] for rule in fired]
        missing: set[str] = set()
        for rule in undecided:
            if rule.level <= decided:
                continue  # no answer to this rule could raise the urgency
            unknown = self._applicable(rule.when.unknown_keys(facts), facts)
            missing |= unknown
            if rule.if_unanswered is not None and unknown:
                reasons.append(self._unanswered_reason(rule, rule.if_unanswered, unknown))

        reasons.sort(key=lambda r: -r.level.rank)
        urgency = reasons[0].level if reasons else Urgency.SELF_CARE
        missing_keys = tuple(sorted(missing, key=self._question_rank.__getitem__))
        return AssessmentResult(
            urgency=urgency,
            reasons=tuple(reasons),
            patterns=self._weigh_patterns(facts),
            missing=missing_keys,
            next_steps=self._next_steps(urgency, fired, bool(missing_keys)),
            outlook=outlook,
            content_version=content.version,
        )

    def _applicable(self, keys: frozenset[str], facts: Answers) -> frozenset[str]:
        """The questions among ``keys`` that a person could be asked, given the other answers."""
        ask_when = self._ask_when
        return frozenset(
            key
            for key in keys & self._input_keys
            if key not in ask_when or ask_when[key](facts) is not False
        )

    def _unanswered_reason(self, rule: Rule, level: Urgency, unknown: Iterable[str]) -> Reason:
        keys = sorted(unknown, key=self._question_rank.__getitem__)
        questions = "; ".join(self._meaning[k] for k in keys)
        message = self.content.unanswered_template.format(title=rule.title, questions=questions)
        return Reason(rule.id, level, message, rule.source_text, tuple(keys))

    def _next_steps(self, urgency: Urgency, fired: list[Rule], missing: bool) -> tuple[str, ...]:
        """The level's steps, then those of the rules that fired, most urgent first. A rule's
        steps below an emergency say when to go to hospital; once the result is to go now they
        are moot and only lengthen what a person in an emergency must read, so an emergency
        lists its own rules' steps alone."""
        steps: list[str] = list(self._advice_steps[urgency.rank])
        for rule in sorted(fired, key=lambda r: -r.level.rank):
            if urgency is Urgency.EMERGENCY and rule.level is not Urgency.EMERGENCY:
                continue
            steps.extend(rule.next_steps)
        if missing:
            steps.append(self.content.missing_step)
        return tuple(dict.fromkeys(steps))

    def _weigh_patterns(self, facts: Answers) -> tuple[PatternFinding, ...]:
        likely: list[PatternFinding] = []
        possible: list[PatternFinding] = []
        for weigher in self._patterns:
            finding = weigher.weigh(facts)
            if finding is not None:
                (likely if finding.likelihood is Likelihood.LIKELY else possible).append(finding)
        return (*likely, *possible)


def _log(ratio: float | None) -> float | None:
    return None if ratio is None else math.log(ratio)


@dataclass(frozen=True, slots=True)
class _Weigher:
    """One pattern with its conditions compiled."""

    pattern: PatternRule
    gate: Compiled | None
    #: (condition, supports text, log LR when present or None, log LR when absent or None)
    evidence: tuple[tuple[Compiled, str, float | None, float | None], ...]
    likely: Compiled | None
    possible: Compiled | None

    @classmethod
    def of(cls, pattern: PatternRule) -> _Weigher:
        scoring = pattern.scoring
        likely = possible = None
        if isinstance(scoring, CriteriaScoring):
            possible = scoring.possible_when.compile()
            if scoring.likely_when is not None:
                likely = scoring.likely_when.compile()
        return cls(
            pattern=pattern,
            gate=pattern.gate.compile() if pattern.gate is not None else None,
            evidence=tuple(
                (e.when.compile(), e.supports, _log(e.lr_present), _log(e.lr_absent))
                for e in pattern.evidence
            ),
            likely=likely,
            possible=possible,
        )

    def weigh(self, facts: Answers) -> PatternFinding | None:
        if self.gate is not None and self.gate(facts) is not True:
            return None
        scoring = self.pattern.scoring
        if isinstance(scoring, RatioScoring):
            likelihood, supported = self._by_ratios(scoring, facts)
        else:
            likelihood = self._by_criteria(facts)
            if likelihood is None:
                return None
            supported = [text for test, text, _, _ in self.evidence if test(facts) is True]
        if likelihood is None:
            return None
        return PatternFinding(self.pattern.id, self.pattern.label, likelihood, tuple(supported))

    def _by_criteria(self, facts: Answers) -> Likelihood | None:
        if self.likely is not None and self.likely(facts) is True:
            return Likelihood.LIKELY
        if self.possible is not None and self.possible(facts) is True:
            return Likelihood.POSSIBLE
        return None

    def _by_ratios(
        self, scoring: RatioScoring, facts: Answers
    ) -> tuple[Likelihood | None, list[str]]:
        """Post-test probability from the pre-test odds and each answered item's ratio."""
        p = scoring.pretest_probability
        log_odds = math.log(p / (1 - p))
        supported: list[str] = []
        for test, text, log_present, log_absent in self.evidence:
            holds = test(facts)
            if holds is True:
                if log_present is not None:
                    log_odds += log_present
                if log_present is None or log_present > 0:  # ratio above 1 supports
                    supported.append(text)
            elif holds is False and log_absent is not None:
                log_odds += log_absent
        probability = 1 / (1 + math.exp(-log_odds))
        if probability >= scoring.likely_from:
            return Likelihood.LIKELY, supported
        if probability >= scoring.possible_from:
            return Likelihood.POSSIBLE, supported
        return None, supported
