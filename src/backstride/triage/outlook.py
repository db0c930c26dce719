"""Scores a recovery-outlook instrument (built in, or a licensed content pack)."""

from __future__ import annotations

from backstride.domain.content import Instrument
from backstride.domain.expressions import MISSING, Answers
from backstride.domain.result import OutlookResult


class OutlookScorer:
    """One instrument, prepared once: a yes/no item counts when answered yes, a scale item
    from its ``positive_from``. Unanswered items count as not positive and are listed, so the
    band is a lower bound until every item is answered."""

    def __init__(self, instrument: Instrument) -> None:
        self.instrument = instrument
        self._names = tuple(sorted({s for item in instrument.items for s in item.subscales}))
        index = {name: i for i, name in enumerate(self._names)}
        self._items = tuple(
            (item.key, item.positive_from, item.plain, tuple(index[s] for s in item.subscales))
            for item in instrument.items
        )
        self._bands = tuple(
            (
                band,
                band.total_at_least,
                tuple((index[name], least) for name, least in band.subscale_at_least.items()),
            )
            for band in instrument.bands
        )

    def score(self, answers: Answers) -> OutlookResult | None:
        """The band the answered items reach, or None when no item was answered."""
        counts = [0] * len(self._names)
        positive: list[str] = []
        unanswered: list[str] = []
        for key, positive_from, plain, subscales in self._items:
            value = answers.get(key, MISSING)
            if value is MISSING:
                unanswered.append(key)
                continue
            if positive_from is None:
                counts_now = value is True
            else:
                counts_now = isinstance(value, int) and value >= positive_from
            if counts_now:
                positive.append(plain)
                for i in subscales:
                    counts[i] += 1
        if len(unanswered) == len(self._items):
            return None
        total = len(positive)
        band = next(  # the loader makes sure the last band always applies
            band
            for band, total_at_least, minimums in self._bands
            if total >= total_at_least and all(counts[i] >= least for i, least in minimums)
        )
        instrument = self.instrument
        return OutlookResult(
            instrument=instrument.id,
            level=band.level,
            total=total,
            subscales=tuple(zip(self._names, counts, strict=True)),
            rationale=(*positive, band.meaning),
            unanswered=tuple(unanswered),
            validated=instrument.validated,
        )


def score_outlook(instrument: Instrument, answers: Answers) -> OutlookResult | None:
    """Score ``answers`` on ``instrument`` (prepares the instrument each call)."""
    return OutlookScorer(instrument).score(answers)
