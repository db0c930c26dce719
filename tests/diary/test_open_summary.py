"""The banner's one message for the escalations a person has not read yet."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from backstride.diary.escalation import summarise_open
from backstride.domain.diary import EntryRef, EscalationReason, StoredEscalation
from backstride.domain.urgency import Urgency
from tests.diary.helpers import day

NO_IMPROVEMENT = "diary.no_improvement_7_days"
RED_FLAG = "diary.red_flag"
WORSENING = "diary.sustained_worsening"
T0 = datetime(2026, 3, 9, 9, tzinfo=UTC)


def reason(rule: str, level: Urgency, message: str, *days: int) -> EscalationReason:
    return EscalationReason(
        rule, level, message, "a source", tuple(EntryRef(day(d), "what") for d in days)
    )


def stored(number: int, *reasons: EscalationReason, hours: int = 0) -> StoredEscalation:
    level = max((r.level for r in reasons), key=lambda u: u.rank)
    created = T0 + timedelta(days=number, hours=hours)
    return StoredEscalation(number, 1, level, reasons, created, created, None)


def test_nothing_open_is_no_banner() -> None:
    assert summarise_open([]) is None


def test_the_same_advice_on_later_days_is_said_once_with_the_newest_evidence() -> None:
    week = [
        stored(n, reason(NO_IMPROVEMENT, Urgency.SOON, "See a doctor soon.", 0, 7 + n))
        for n in range(9)
    ]
    summary = summarise_open(list(reversed(week)))  # in any order
    assert summary is not None
    assert summary.level is Urgency.SOON
    (only,) = summary.reasons
    assert only.message == "See a doctor soon."
    assert only.entries[-1].day == day(15)  # the latest escalation's evidence


def test_an_older_emergency_is_not_outranked_by_newer_milder_advice() -> None:
    # An unread emergency (say from a previous episode) and a newer "see a doctor soon":
    # the banner leads with the emergency and states it first.
    summary = summarise_open(
        [
            stored(0, reason(RED_FLAG, Urgency.EMERGENCY, "Call for help now.", 0)),
            stored(3, reason(NO_IMPROVEMENT, Urgency.SOON, "See a doctor soon.", 0, 7)),
        ]
    )
    assert summary is not None
    assert summary.level is Urgency.EMERGENCY
    assert [r.message for r in summary.reasons] == ["Call for help now.", "See a doctor soon."]


def test_for_one_rule_the_most_serious_reason_is_kept() -> None:
    # The red-flag rule's level follows the re-assessment: a later, milder one does not
    # replace an unread emergency; a later one as serious does (newer evidence).
    earlier = reason(RED_FLAG, Urgency.EMERGENCY, "Go to an emergency department.", 1)
    milder = reason(RED_FLAG, Urgency.URGENT, "See a doctor today.", 1, 2)
    summary = summarise_open([stored(1, earlier), stored(2, milder)])
    assert summary is not None
    assert summary.reasons == (earlier,)

    again = reason(RED_FLAG, Urgency.EMERGENCY, "Go to an emergency department.", 1, 2, 3)
    summary = summarise_open([stored(1, earlier), stored(2, milder), stored(3, again)])
    assert summary is not None
    assert summary.reasons == (again,)


def test_reasons_from_several_escalations_are_all_kept_most_serious_first() -> None:
    summary = summarise_open(
        [
            stored(0, reason(NO_IMPROVEMENT, Urgency.SOON, "Not improving.", 0, 7)),
            stored(
                0,
                reason(WORSENING, Urgency.URGENT, "Getting worse.", 5, 6, 7),
                reason(NO_IMPROVEMENT, Urgency.SOON, "Not improving.", 0, 7),
                hours=2,
            ),
        ]
    )
    assert summary is not None
    assert summary.level is Urgency.URGENT
    assert [r.rule for r in summary.reasons] == [WORSENING, NO_IMPROVEMENT]
