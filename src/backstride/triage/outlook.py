"""Scores a recovery-outlook instrument (built in, or a licensed content pack)."""

from __future__ import annotations

from backstride.domain.content import Instrument, InstrumentItem
from backstride.domain.expressions import Answers
from backstride.domain.result import OutlookResult


def _positive(item: InstrumentItem, answers: Answers) -> bool:
    value = answers[item.key]
    if item.positive_from is not None:
        return isinstance(value, int) and value >= item.positive_from
    return value is True


def score_outlook(instrument: Instrument, answers: Answers) -> OutlookResult | None:
    """The band the answered items reach, or None when no item was answered."""
    answered = [item for item in instrument.items if item.key in answers]
    if not answered:
        return None
    positive = [item for item in answered if _positive(item, answers)]
    subscales: dict[str, int] = {}
    for item in instrument.items:
        for name in item.subscales:
            subscales.setdefault(name, 0)
    for item in positive:
        for name in item.subscales:
            subscales[name] += 1
    total = len(positive)
    band = next(
        b
        for b in instrument.bands
        if total >= b.total_at_least
        and all(subscales[name] >= least for name, least in b.subscale_at_least.items())
    )
    return OutlookResult(
        instrument=instrument.id,
        level=band.level,
        total=total,
        subscales=tuple(sorted(subscales.items())),
        rationale=(*(item.plain for item in positive), band.meaning),
        unanswered=tuple(item.key for item in instrument.items if item.key not in answers),
        validated=instrument.validated,
    )
