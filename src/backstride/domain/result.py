"""The output side of assessment contract v1."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from backstride.domain.content import Likelihood
from backstride.domain.contract import CONTRACT_VERSION
from backstride.domain.urgency import Urgency


@dataclass(frozen=True, slots=True)
class Reason:
    """A rule that fired: why the urgency is what it is."""

    rule: str
    level: Urgency
    message: str
    source: str
    unanswered: tuple[str, ...] = ()

    def to_contract(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "level": self.level.value,
            "message": self.message,
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class PatternFinding:
    """A likely contributing pattern, with the answers that support it."""

    id: str
    label: str
    likelihood: Likelihood
    supported_by: tuple[str, ...]

    def to_contract(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "likelihood": self.likelihood.value,
            "supported_by": list(self.supported_by),
        }


@dataclass(frozen=True, slots=True)
class OutlookResult:
    """The recovery-outlook screen's band, with its rationale."""

    instrument: str
    level: str
    total: int
    subscales: tuple[tuple[str, int], ...]
    rationale: tuple[str, ...]
    unanswered: tuple[str, ...]
    validated: bool

    def to_contract(self) -> dict[str, Any]:
        return {
            "instrument": self.instrument,
            "level": self.level,
            "score": self.total,
            "subscales": dict(self.subscales),
            "rationale": list(self.rationale),
            "unanswered": list(self.unanswered),
            "validated": self.validated,
        }


@dataclass(frozen=True, slots=True)
class AssessmentResult:
    """One assessment: urgency, reasons, patterns, what is missing and what to do now."""

    urgency: Urgency
    reasons: tuple[Reason, ...]
    patterns: tuple[PatternFinding, ...]
    missing: tuple[str, ...]
    next_steps: tuple[str, ...]
    outlook: OutlookResult | None
    content_version: str

    @property
    def fired_rules(self) -> tuple[str, ...]:
        return tuple(r.rule for r in self.reasons)

    def to_contract(self) -> dict[str, Any]:
        """The contract's output object (keys in the contract's order)."""
        out: dict[str, Any] = {
            "contract": CONTRACT_VERSION,
            "urgency": self.urgency.value,
            "reasons": [r.to_contract() for r in self.reasons],
            "patterns": [p.to_contract() for p in self.patterns],
            "missing": list(self.missing),
            "next_steps": list(self.next_steps),
        }
        if self.outlook is not None:
            out["outlook"] = self.outlook.to_contract()
        return out
