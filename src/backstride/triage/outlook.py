"""Scores a recovery-outlook instrument (built in, or a licensed content pack)."""

from __future__ import annotations

from backstride.domain.content import Instrument
from backstride.domain.expressions import MISSING, Answers
from backstride.domain.result import OutlookResult


def score_outlook(instrument: Instrument, answers: Answers) -> OutlookResult | None:
    """The band the answered items reach, or None when no item was answered.

    A yes/no item counts when answered yes; a scale item counts from ``positive_from``.
    """
    subscales = {name: 0 for item in instrument.items for name in item.subscales}
    positive: list[str] = []
    unanswered: list[str] = []
    for item in instrument.items:
        value = answers.get(item.key, MISSING)
        if value is MISSING:
            unanswered.append(item.key)
            continue
        if item.positive_from is None:
            counts = value is True
        else:
            counts = isinstance(value, int) and value >= item.positive_from
        if counts:
            positive.append(item.plain)
            for name in item.subscales:
                subscales[name] += 1
    if len(unanswered) == len(instrument.items):
        return None
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
        rationale=(*positive, band.meaning),
        unanswered=tuple(unanswered),
        validated=instrument.validated,
    )
