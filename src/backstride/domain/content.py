"""Clinical content as immutable domain objects (loaded and validated by ``backstride.content``)."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from backstride.domain.contract import FieldSpec
from backstride.domain.expressions import Expr
from backstride.domain.urgency import Urgency

if TYPE_CHECKING:
    from backstride.domain.escalation_rules import EscalationRules
    from backstride.domain.programme import ProgrammeContent


@dataclass(frozen=True, slots=True)
class Source:
    """A guideline, pathway or paper that a rule or piece of advice rests on."""

    id: str
    citation: str
    title: str
    year: int
    kind: str
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Review:
    """Who wrote and who checked a piece of clinical content, and when it is due again."""

    authored_by: str
    checked_by: str | None
    date_reviewed: date
    next_review: date

    @property
    def awaiting_clinical_check(self) -> bool:
        return self.checked_by is None


def cite(sources: tuple[Source, ...]) -> str:
    """The sources as one readable citation string."""
    return "; ".join(s.citation for s in sources)


@dataclass(frozen=True, slots=True)
class Rule:
    """A triage rule: when ``when`` holds, the urgency is at least ``level``.

    While ``when`` is undecided because questions were not answered, the rule applies
    ``if_unanswered`` (a level, or None to only list the missing answers).
    """

    id: str
    title: str
    level: Urgency
    message: str
    rationale: str
    when: Expr
    if_unanswered: Urgency | None
    sources: tuple[Source, ...]
    next_steps: tuple[str, ...]
    review: Review
    file: str

    @property
    def source_text(self) -> str:
        return cite(self.sources)


class Likelihood(enum.Enum):
    """How strongly the answers point to a pattern. Never a diagnosis."""

    POSSIBLE = "possible"
    LIKELY = "likely"


@dataclass(frozen=True, slots=True)
class Evidence:
    """An answer pattern that supports (or, with a ratio below 1, weighs against) a pattern."""

    id: str
    when: Expr
    supports: str
    lr_present: float | None = None
    lr_absent: float | None = None


@dataclass(frozen=True, slots=True)
class RatioScoring:
    """Bayesian scoring: pre-test probability times the likelihood ratios of the evidence."""

    pretest_probability: float
    likely_from: float
    possible_from: float


@dataclass(frozen=True, slots=True)
class CriteriaScoring:
    """Scoring by stated criteria, for patterns without published likelihood ratios."""

    likely_when: Expr | None
    possible_when: Expr


@dataclass(frozen=True, slots=True)
class PatternRule:
    """A likely contributing pattern and how the answers are weighed for it."""

    id: str
    label: str
    description: str
    gate: Expr | None
    scoring: RatioScoring | CriteriaScoring
    evidence: tuple[Evidence, ...]
    sources: tuple[Source, ...]
    review: Review
    file: str


@dataclass(frozen=True, slots=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True, slots=True)
class Question:
    """How a contract key is asked of a person, in plain words."""

    key: str
    section: str
    text: str
    help: str
    red_flag: bool
    ask_when: Expr | None
    choices: tuple[Choice, ...]


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    title: str


@dataclass(frozen=True, slots=True)
class InstrumentItem:
    """One item of a recovery-outlook instrument. Scale items count when ≥ ``positive_from``."""

    key: str
    text: str
    minimum: int | None
    maximum: int | None
    positive_from: int | None
    subscales: tuple[str, ...]
    plain: str

    @property
    def is_scale(self) -> bool:
        return self.maximum is not None


@dataclass(frozen=True, slots=True)
class Band:
    """A risk band: applies when the total and each named subscale reach their minimum."""

    level: str
    total_at_least: int
    subscale_at_least: Mapping[str, int]
    meaning: str


@dataclass(frozen=True, slots=True)
class Instrument:
    """A recovery-outlook screen: built in, or a licensed instrument added as a content pack."""

    id: str
    name: str
    version: str
    licence: str
    attribution: str
    validated: bool
    items: tuple[InstrumentItem, ...]
    bands: tuple[Band, ...]
    sources: tuple[Source, ...]
    review: Review
    file: str
    fields: tuple[FieldSpec, ...]


@dataclass(frozen=True, slots=True)
class LevelAdvice:
    """What every person at one urgency level should do now."""

    level: Urgency
    headline: str
    steps: tuple[str, ...]
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class ContentBundle:
    """All clinical content the engine needs, validated."""

    version: str
    disclaimer: str
    unanswered_template: str
    missing_step: str
    sources: Mapping[str, Source]
    fields: tuple[FieldSpec, ...]
    derived_fields: tuple[FieldSpec, ...]
    rules: tuple[Rule, ...]
    retired_rule_ids: frozenset[str]
    patterns: tuple[PatternRule, ...]
    sections: tuple[Section, ...]
    questions: tuple[Question, ...]
    advice: Mapping[Urgency, LevelAdvice]
    instrument: Instrument
    programme: ProgrammeContent
    escalation: EscalationRules
