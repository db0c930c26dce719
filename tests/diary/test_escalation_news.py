"""When a diary escalation is news, and so shown again after the person has read it.

An escalation is stored once per fingerprint (``Records.fingerprint``): a read one comes back
only with new evidence. A warning sign on another day, or a new run of worse days, is news at
once. A state that goes on (a week without improvement is still true the next day, a walking
tolerance that stays low) is news once a week: before content 2026.11.1 every check-in made it
news again, so a person who had read "see a doctor within 1 to 2 weeks" and booked an
appointment was told again each day, which teaches people to stop reading it (HAZ-020).
"""

from __future__ import annotations

from collections.abc import Sequence
from collections.abc import Set as AbstractSet

import pytest

from backstride.diary import diary_status
from backstride.domain.urgency import Urgency
from backstride.services.records import Records
from tests.diary.helpers import Row, entry, rules

NO_IMPROVEMENT = "diary.no_improvement_7_days"
WORSENING = "diary.worsening_3_days"
TOLERANCE = "diary.walking_tolerance_halved"


def _fingerprints(rows: Sequence[Row], red: AbstractSet[int] = frozenset()) -> list[str | None]:
    """The fingerprint of the escalation found on each day of ``rows``, from that day's diary."""
    found: list[str | None] = []
    for n in range(1, len(rows) + 1):
        shown = [entry(*r, red_flag=r[0] in red or None) for r in rows[:n]]
        level = Urgency.URGENT if any(e.red_flag for e in shown) else None
        escalation = diary_status(shown, rules(), shown[-1].day, level).escalation
        found.append(None if escalation.level is None else Records.fingerprint(escalation))
    return found


def _news(fingerprints: list[str | None]) -> list[int]:
    """The days (row indexes) on which a new escalation would be stored."""
    seen: set[str] = set()
    days = []
    for i, fingerprint in enumerate(fingerprints):
        if fingerprint is not None and fingerprint not in seen:
            days.append(i)
            seen.add(fingerprint)
    return days


def test_pain_that_does_not_improve_is_news_once_a_week() -> None:
    rows = [(d, 6, 6, None) for d in range(22)]
    assert _news(_fingerprints(rows)) == [7, 14, 21]


def test_a_new_run_of_worse_days_is_news_at_once_and_a_long_run_weekly() -> None:
    # Worse on days 1-3 (a run), better on day 4, worse again on days 5-7: a second run.
    pains = [3, 6, 6, 6, 3, 6, 6, 6]
    rows = [(d, p, p, None) for d, p in enumerate(pains)]
    assert _news(_fingerprints(rows)) == [3, 7]
    # One run from day 1 that goes on: news on day 3; on day 7, when the week without
    # improvement joins it; on day 8, the run's second week; not on the days in between.
    long_run = [(0, 3, 3, None)] + [(d, 6, 6, None) for d in range(1, 10)]
    assert _news(_fingerprints(long_run)) == [3, 7, 8]


def test_a_walking_tolerance_that_stays_low_is_news_once() -> None:
    # 20 minutes for six days, then 8 minutes each day: halved, and still halved each day
    # against the 20-minute days left in the week's window. (Pain eases from 6 to 3, so the
    # week-without-improvement rule stays out of it.)
    rows = [(0, 6, 6, 20)] + [(d, 3, 3, 20) for d in range(1, 6)]
    rows += [(d, 3, 3, 8) for d in range(6, 12)]
    fingerprints = _fingerprints(rows)
    assert _news(fingerprints) == [6]
    assert fingerprints[6:] == [fingerprints[6]] * 6


def test_each_warning_sign_is_news() -> None:
    rows = [(d, 4, 4, None) for d in range(6)]
    assert _news(_fingerprints(rows, red={2, 4})) == [2, 4]


def test_a_warning_sign_beside_pain_that_does_not_improve_is_news() -> None:
    rows = [(d, 6, 6, None) for d in range(12)]
    assert _news(_fingerprints(rows, red={9})) == [7, 9]


@pytest.mark.parametrize(
    ("rule", "rows"),
    [
        (NO_IMPROVEMENT, [(d, 6, 6, None) for d in range(9)]),
        (WORSENING, [(0, 3, 3, None), (1, 6, 6, None), (2, 6, 6, None), (3, 6, 6, None)]),
        (TOLERANCE, [(0, 4, 4, 20), (1, 4, 4, 8)]),
    ],
)
def test_every_reason_says_what_makes_it_news(rule: str, rows: Sequence[Row]) -> None:
    shown = [entry(*r) for r in rows]
    reasons = diary_status(shown, rules(), shown[-1].day).escalation.reasons
    assert [r.rule for r in reasons] == [rule]
    assert reasons[0].evidence, "a state that goes on says which week it is in"
