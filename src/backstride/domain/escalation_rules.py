"""The diary's escalation rules as immutable domain objects (loaded from ``escalation.yaml``).

Pure data. Every threshold and every message comes from the content file; the diary
package only applies them.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass

from backstride.domain.content import Review, Source, cite
from backstride.domain.urgency import Urgency


class RuleKind(enum.Enum):
    """What a diary rule looks at. Each kind appears exactly once in the content."""

    NO_IMPROVEMENT = "no_improvement"
    SUSTAINED_WORSENING = "sustained_worsening"
    TOLERANCE_FALL = "tolerance_fall"
    RED_FLAG = "red_flag"
    MISSING_CHECK_INS = "missing_check_ins"


class PainMeasure(enum.Enum):
    """Which pain score of a check-in a rule reads (0-10 numeric rating scale)."""

    PAIN_NOW = "pain_now"
    PAIN_WALKING = "pain_walking"
    PAIN_WORST = "pain_worst"  # the higher of pain_now and pain_walking that day


@dataclass(frozen=True, slots=True)
class RuleText:
    """What every diary rule carries besides its numbers: words, sources and review."""

    id: str
    title: str
    rationale: str
    sources: tuple[Source, ...]
    review: Review
    file: str

    @property
    def source_text(self) -> str:
        return cite(self.sources)


@dataclass(frozen=True, slots=True)
class NoImprovementRule:
    """Pain still there ``min_days`` after the episode's first entry without a meaningful fall.

    Meaningful = the latest value is at least ``points`` lower AND at most
    ``(1 - fraction)`` of the first value. A latest value at or below
    ``recovered_at_most`` counts as recovered, whatever the first value was.
    """

    text: RuleText
    level: Urgency
    message: str
    measure: PainMeasure
    min_days: int
    points: int
    fraction: float
    recovered_at_most: int


@dataclass(frozen=True, slots=True)
class SustainedWorseningRule:
    """``consecutive_entries`` check-ins in a row, each ``points`` or more above the first."""

    text: RuleText
    level: Urgency
    message: str
    measures: tuple[PainMeasure, ...]
    points: int
    consecutive_entries: int


@dataclass(frozen=True, slots=True)
class ToleranceFallRule:
    """A recorded walking tolerance at most ``fraction`` of one recorded up to ``window_days``
    earlier. A "no limit" day is never the later side of a fall; as the earlier side it
    counts as unlimited."""

    text: RuleText
    level: Urgency
    message: str
    window_days: int
    fraction: float


@dataclass(frozen=True, slots=True)
class RedFlagRule:
    """A check-in answered yes to the red-flag question: the re-triage level applies.

    Without a re-triage level, ``level_when_not_assessed`` applies. The message depends
    on the level.
    """

    text: RuleText
    level_when_not_assessed: Urgency
    messages: Mapping[Urgency, str]


@dataclass(frozen=True, slots=True)
class MissingCheckInsRule:
    """A reminder (never an escalation) when the last check-in is over ``after_days`` old."""

    text: RuleText
    after_days: int
    message: str
    start_message: str


EscalationRule = (
    NoImprovementRule
    | SustainedWorseningRule
    | ToleranceFallRule
    | RedFlagRule
    | MissingCheckInsRule
)


@dataclass(frozen=True, slots=True)
class EscalationRules:
    """One rule of each kind, validated."""

    no_improvement: NoImprovementRule
    sustained_worsening: SustainedWorseningRule
    tolerance_fall: ToleranceFallRule
    red_flag: RedFlagRule
    missing_check_ins: MissingCheckInsRule

    @property
    def all(self) -> tuple[EscalationRule, ...]:
        return (
            self.no_improvement,
            self.sustained_worsening,
            self.tolerance_fall,
            self.red_flag,
            self.missing_check_ins,
        )
