"""The diary's escalation engine: which rules the check-ins meet, and the resulting level.

Pure: check-ins and rules in, a ``DiaryStatus`` out. Thresholds and messages come from
``escalation.yaml``; this module only applies them. A missing check-in gives a reminder and
never an escalation.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from backstride.diary.model import DiaryStatus
from backstride.diary.trends import (
    MEASURE_LABELS,
    exact,
    in_order,
    meaningful_improvement,
    pain,
    series,
    tolerance,
    trend,
)
from backstride.domain.diary import (
    DiaryEntry,
    EntryRef,
    Escalation,
    EscalationReason,
    StoredEscalation,
)
from backstride.domain.escalation_rules import (
    EscalationRules,
    MissingCheckInsRule,
    NoImprovementRule,
    RedFlagRule,
    SustainedWorseningRule,
    ToleranceFallRule,
)
from backstride.domain.urgency import Urgency

Entries = tuple[DiaryEntry, ...]


def diary_status(
    entries: Sequence[DiaryEntry],
    rules: EscalationRules,
    today: date,
    red_flag_level: Urgency | None = None,
) -> DiaryStatus:
    """Escalation, trend and chart series for one episode's check-ins (any order).

    ``entries`` are the check-ins since the latest assessment; the first is the baseline.
    ``red_flag_level`` is the level of the re-assessment the caller ran because a check-in
    said yes to the red-flag question. Two check-ins on one day raise ``ValueError``.
    """
    ordered = in_order(entries)
    return DiaryStatus(
        escalation=escalate(ordered, rules, today, red_flag_level),
        trend=trend(ordered, rules),
        days_logged=len(ordered),
        series=series(ordered),
    )


def escalate(
    ordered: Entries,
    rules: EscalationRules,
    today: date,
    red_flag_level: Urgency | None = None,
) -> Escalation:
    """The escalation for check-ins already in day order (see ``diary_status``)."""
    found = [
        no_improvement(ordered, rules.no_improvement),
        sustained_worsening(ordered, rules.sustained_worsening),
        tolerance_fall(ordered, rules.tolerance_fall),
        red_flag(ordered, rules.red_flag, red_flag_level),
    ]
    reasons = sorted((r for r in found if r is not None), key=lambda r: -r.level.rank)
    level = max((r.level for r in reasons), default=None)
    return Escalation(level, tuple(reasons), reminders(ordered, rules.missing_check_ins, today))


def no_improvement(ordered: Entries, rule: NoImprovementRule) -> EscalationReason | None:
    """Latest check-in ``min_days`` or more after the first, without a meaningful fall."""
    if len(ordered) < 2:
        return None
    first, latest = ordered[0], ordered[-1]
    days = (latest.day - first.day).days
    if days < rule.min_days:
        return None
    before, now = pain(first, rule.measure), pain(latest, rule.measure)
    if now <= rule.recovered_at_most or meaningful_improvement(before, now, rule):
        return None
    label = MEASURE_LABELS[rule.measure]
    return _reason(
        rule.text.id,
        rule.level,
        rule.message,
        rule.text.source_text,
        (
            EntryRef(first.day, f"first check-in: {label} {before}/10"),
            EntryRef(latest.day, f"latest check-in, {days} days later: {label} {now}/10"),
        ),
        # Still true the next day, and the next: news once a week, not with every check-in.
        evidence=(first.day.isoformat(), _weeks(first.day, latest.day)),
    )


def sustained_worsening(ordered: Entries, rule: SustainedWorseningRule) -> EscalationReason | None:
    """Runs of ``consecutive_entries`` or more check-ins, each ``points`` above the first.

    Days without a check-in are skipped; a check-in below the threshold ends the run.
    """
    if len(ordered) < 2:
        return None
    notes: dict[date, list[str]] = {}
    runs: set[str] = set()
    for measure in rule.measures:
        baseline = pain(ordered[0], measure)
        run: list[DiaryEntry] = []
        for entry in (*ordered[1:], None):
            if entry is not None and pain(entry, measure) >= baseline + rule.points:
                run.append(entry)
                continue
            if len(run) >= rule.consecutive_entries:
                for e in run:
                    text = f"{MEASURE_LABELS[measure]} {pain(e, measure)}/10 (first {baseline}/10)"
                    notes.setdefault(e.day, []).append(text)
                # A new run is news at once; a run that goes on, once a week.
                runs.add(f"{run[0].day.isoformat()} {_weeks(run[0].day, run[-1].day)}")
            run = []
    if not notes:
        return None
    refs = tuple(EntryRef(day, "; ".join(notes[day])) for day in sorted(notes))
    return _reason(
        rule.text.id,
        rule.level,
        rule.message,
        rule.text.source_text,
        refs,
        evidence=tuple(sorted(runs)),
    )


def tolerance_fall(ordered: Entries, rule: ToleranceFallRule) -> EscalationReason | None:
    """A recorded tolerance at most ``fraction`` of one recorded within ``window_days`` before.

    "No limit" counts as unlimited: never the later side of a fall, and any recorded limit
    after it within the window is one.
    """
    readings = [r for r in map(tolerance, ordered) if r is not None]
    fraction = exact(rule.fraction)
    notes: dict[date, str] = {}
    falls: list[date] = []
    start = 0  # readings are in day order: the window's first reading only moves forward
    for j, later in enumerate(readings):
        while (later.day - readings[start].day).days > rule.window_days:
            start += 1
        if later.minutes is None:
            continue
        window = readings[start:j]
        if not window:
            continue
        # "Halved" only gets likelier as the earlier value grows, so the window's largest
        # earlier value decides whether any earlier one does; most readings stop here.
        top = max(math.inf if r.minutes is None else r.minutes for r in window)
        if not _halved(later.minutes, top, fraction):
            continue
        for earlier in window:  # oldest first, as the reason quotes it
            before = math.inf if earlier.minutes is None else earlier.minutes
            if not _halved(later.minutes, before, fraction):
                continue
            notes.setdefault(earlier.day, _tolerance_text(earlier.minutes))
            was = "no limit" if earlier.minutes is None else f"{earlier.minutes:g} min"
            notes[later.day] = (
                f"{_tolerance_text(later.minutes)}, down from {was} on {earlier.day.isoformat()}"
            )
            falls.append(later.day)
            break
    if not notes:
        return None
    refs = tuple(EntryRef(day, notes[day]) for day in sorted(notes))
    # While the tolerance stays low, each day is "halved" again against the readings still in
    # the window: news once a week from the first fall, not with every check-in.
    weeks = sorted({_weeks(falls[0], day) for day in falls})
    return _reason(
        rule.text.id, rule.level, rule.message, rule.text.source_text, refs, evidence=tuple(weeks)
    )


def _halved(later: float, before: float, fraction: Fraction) -> bool:
    if later >= before:
        return False  # no fall at all (e.g. 0 minutes, then 0 minutes)
    if math.isinf(before):
        return True
    lhs, rhs = later * fraction.denominator, fraction.numerator * before
    if abs(lhs - rhs) > 1e-9 * max(1.0, abs(rhs)):  # clearly one side: floats decide
        return lhs < rhs
    return Fraction(later) <= fraction * Fraction(before)  # at the boundary: exactly


def _tolerance_text(minutes: float | None) -> str:
    if minutes is None:
        return "no walking limit"
    return f"walking tolerance {minutes:g} min"


def red_flag(
    ordered: Entries, rule: RedFlagRule, red_flag_level: Urgency | None
) -> EscalationReason | None:
    """The re-assessment's level for check-ins that said yes to the red-flag question.

    Without a re-assessment level, ``level_when_not_assessed`` applies. A level given
    without any check-in that reported a red flag still applies (the caller knows why).
    """
    reporting = tuple(
        EntryRef(e.day, "answered yes to the warning-sign question")
        for e in ordered
        if e.red_flag is True
    )
    if red_flag_level is None and not reporting:
        return None
    level = red_flag_level if red_flag_level is not None else rule.level_when_not_assessed
    return _reason(rule.text.id, level, rule.messages[level], rule.text.source_text, reporting)


def reminders(ordered: Entries, rule: MissingCheckInsRule, today: date) -> tuple[str, ...]:
    """A reminder to start, or to check in again after ``after_days``; never an escalation."""
    if not ordered:
        return (rule.start_message,)
    if (today - ordered[-1].day).days > rule.after_days:
        return (rule.message,)
    return ()


def _weeks(since: date, day: date) -> str:
    """Which week after ``since`` ``day`` falls in (days 0-6 are week 0)."""
    return f"week {(day - since).days // 7}"


def _reason(
    rule_id: str,
    level: Urgency,
    message: str,
    source: str,
    refs: tuple[EntryRef, ...],
    *,
    evidence: tuple[str, ...] = (),
) -> EscalationReason:
    return EscalationReason(
        rule=rule_id, level=level, message=message, source=source, entries=refs, evidence=evidence
    )


@dataclass(frozen=True, slots=True)
class OpenSummary:
    """What the banner at the top of every page says about the escalations not yet read."""

    #: The most serious level among them.
    level: Urgency
    #: Each rule's reason once, most serious first.
    reasons: tuple[EscalationReason, ...]


def summarise_open(escalations: Sequence[StoredEscalation]) -> OpenSummary | None:
    """The open escalations as one message, or None when there are none.

    A person who has not read the message yet gets a new escalation with each piece of new
    evidence (a warning sign on another day; a state that goes on, once a week). Listed one by one
    they would repeat the same advice day after day, which teaches people to ignore it; here
    each rule's reason appears once. Nothing is under-stated: the level is the most serious
    of all of them, and for each rule the most serious reason is kept (the latest of equals,
    with the newest evidence).
    """
    if not escalations:
        return None
    kept: dict[str, EscalationReason] = {}
    for stored in sorted(escalations, key=lambda e: (e.created_at, e.id)):
        for reason in stored.reasons:
            before = kept.get(reason.rule)
            if before is None or reason.level >= before.level:
                kept[reason.rule] = reason
    reasons = sorted(kept.values(), key=lambda r: -r.level.rank)
    level = max(e.level for e in escalations)
    return OpenSummary(level, tuple(reasons))
