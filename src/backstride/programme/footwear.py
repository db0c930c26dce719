"""Scores the footwear checklist: each "yes" earns the item's weight; each "no" gives advice.

The evidence note always goes with the score: no shoe or insole has been shown to treat back
pain; the checklist is about comfortable walking.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from backstride.domain.answers import ContractError, FieldError
from backstride.domain.programme import Footwear


@dataclass(frozen=True, slots=True)
class FootwearResult:
    score: int
    max_score: int
    verdict: str
    advice: tuple[str, ...]
    unanswered: tuple[str, ...]
    evidence_note: str


def score_footwear(footwear: Footwear, answers: Mapping[str, object]) -> FootwearResult:
    """Score ``answers`` (item id → true/false; missing items are listed, not scored)."""
    known = {item.id for item in footwear.items}
    errors = [
        FieldError(k, "not an item of the footwear checklist") for k in answers if k not in known
    ]
    errors += [
        FieldError(k, "must be true or false")
        for k, v in answers.items()
        if k in known and not isinstance(v, bool)
    ]
    if errors:
        raise ContractError(tuple(errors))
    score = sum(item.weight for item in footwear.items if answers.get(item.id) is True)
    verdict = next(band.verdict for band in footwear.bands if score >= band.min_score)
    return FootwearResult(
        score=score,
        max_score=sum(item.weight for item in footwear.items),
        verdict=verdict,
        advice=tuple(item.advice for item in footwear.items if answers.get(item.id) is False),
        unanswered=tuple(item.id for item in footwear.items if item.id not in answers),
        evidence_note=footwear.evidence_note,
    )
