"""The doctor summary: a person's assessment, red-flag answers, patterns, diary charts,
adherence, walking tests, current programme and escalations on one or two A4 pages (HTML,
then PDF).

Built for a busy GP to read in half a minute: what needs attention first (the current
escalation or urgency, with reasons and their sources), then the answers and the course.
Everything is inline (style sheet and SVG charts), so the page fetches nothing. Text from
the person (name, notes) is autoescaped; nothing here logs or prints it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from functools import cache
from typing import Any, Final

from jinja2 import Environment
from markupsafe import Markup

from backstride.domain.diary import (
    DiaryEntry,
    Escalation,
    EscalationReason,
    StoredAssessment,
    StoredEscalation,
    StoredPlan,
)
from backstride.domain.urgency import Urgency
from backstride.domain.walking import StoredWalkingTest
from backstride.interop import charts, templating
from backstride.interop.handout import (
    LEVEL_LABEL,
    dose_amount,
    dose_frequency,
    html_to_pdf,
    long_date,
    walk_in_words,
)

STOP_REASONS: Final[Mapping[str, str]] = {
    "pain": "pain",
    "time_limit": "the 15-minute limit",
    "other_symptom": "another symptom",
    "other": "another reason",
}
#: Notes from the diary shown on the summary, most recent first, each cut to a length.
MAX_NOTES: Final = 3
NOTE_CHARS: Final = 140
_LIKELIHOOD_ORDER: Final[Mapping[str, int]] = {"likely": 0, "possible": 1}


@dataclass(frozen=True, slots=True)
class ReportData:
    """Everything the summary shows. The caller (a service) gathers it; this module only lays
    it out. ``red_flag_questions`` are (answer key, plain question) pairs in the order to show,
    so interop needs no clinical content; ``status`` is the escalation computed now from the
    diary, ``escalations`` the stored history; ``trend_summary`` is one sentence on the course.
    """

    person_name: str
    generated_on: date
    assessment: StoredAssessment
    red_flag_questions: tuple[tuple[str, str], ...]
    entries: Sequence[DiaryEntry]
    plan: StoredPlan | None
    escalations: Sequence[StoredEscalation]
    status: Escalation
    trend_summary: str
    #: The walking tolerance tests recorded with the phone (any order).
    walking_tests: Sequence[StoredWalkingTest] = ()
    #: The people's time zone, for the calendar day of a stored time (None: this machine's).
    zone: tzinfo | None = None


@dataclass(frozen=True, slots=True)
class _Row:
    question: str
    answer: str
    flagged: bool  # "yes" or "not answered": worth the doctor's eye


@dataclass(frozen=True, slots=True)
class _Adherence:
    days_logged: int
    days_in_range: int
    exercises_done: int
    exercises_planned: int
    walk_days: int
    walk_minutes_mean: float | None
    red_flag_days: tuple[date, ...]
    red_flag_checked: int
    not_settled_days: int
    settled_asked: int


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "n/a"


def _answer_words(value: Any) -> tuple[str, bool]:
    """An assessment answer as the table shows it, and whether it is flagged."""
    if value is True:
        return "Yes", True
    if value is False or value == "none":
        return "No", False
    if isinstance(value, str):
        return "Yes: " + value.replace("_", " "), True
    return str(value), False


_UNANSWERED: Final = object()


def _red_flag_rows(data: ReportData) -> list[_Row]:
    rows = []
    for key, question in data.red_flag_questions:
        value = data.assessment.answers.get(key, _UNANSWERED)
        if value is _UNANSWERED:
            rows.append(_Row(question, "Not answered", flagged=True))
        else:
            answer, flagged = _answer_words(value)
            rows.append(_Row(question, answer, flagged))
    return rows


def _short_note(note: str) -> str:
    """A diary note on one or two lines: cut at a word near ``NOTE_CHARS``, with an ellipsis."""
    text = " ".join(note.split())
    if len(text) <= NOTE_CHARS:
        return text
    cut = text[: NOTE_CHARS - 1]
    if " " in cut[NOTE_CHARS // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.-") + "\u2026"


def _date_range(entries: Sequence[DiaryEntry]) -> list[date]:
    if not entries:
        return []
    first, last = entries[0].day, entries[-1].day
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _day(moment: datetime, zone: tzinfo | None) -> date:
    """The people's calendar day of a stored moment."""
    return moment.astimezone(zone).date()


def _planned_ids(
    plan: StoredPlan | None, entry: DiaryEntry, zone: tzinfo | None
) -> frozenset[str] | None:
    """The exercises the plan asked for that day, or None before a plan (or without one)."""
    if plan is None or entry.day < _day(plan.created_at, zone):
        return None
    return frozenset(e["id"] for e in plan.plan.get("exercises", ()))


def _exercise_counts(
    plan: StoredPlan | None, entry: DiaryEntry, zone: tzinfo | None
) -> tuple[int, int]:
    """(done, planned) for one logged day: the plan's exercises when a plan was current,
    else the exercises the day's check-in listed."""
    planned_ids = _planned_ids(plan, entry, zone)
    done = {log.exercise_id for log in entry.exercises if log.done}
    if planned_ids is None:
        return len(done), len({log.exercise_id for log in entry.exercises})
    return len(done & planned_ids), len(planned_ids)


def _adherence(data: ReportData, entries: Sequence[DiaryEntry], days: int) -> _Adherence:
    done = planned = 0
    for entry in entries:
        day_done, day_planned = _exercise_counts(data.plan, entry, data.zone)
        done += day_done
        planned += day_planned
    walks = [e.walk_minutes for e in entries if e.walk_minutes > 0]
    return _Adherence(
        days_logged=len(entries),
        days_in_range=days,
        exercises_done=done,
        exercises_planned=planned,
        walk_days=len(walks),
        walk_minutes_mean=sum(walks) / len(walks) if walks else None,
        red_flag_days=tuple(e.day for e in entries if e.red_flag),
        red_flag_checked=sum(1 for e in entries if e.red_flag is not None),
        not_settled_days=sum(1 for e in entries if e.settled_by_morning is False),
        settled_asked=sum(1 for e in entries if e.settled_by_morning is not None),
    )


#: Longer diaries are charted as weekly averages: clearer for a doctor, and a year of daily
#: markers would make the PDF slow to draw.
WEEKLY_AFTER_DAYS = 90
#: A reason naming more diary days than this shows the first two and the latest two.
MAX_REFS_SHOWN = 6


def weekly_averages(
    days: Sequence[date], values: Sequence[float | None]
) -> tuple[list[date], list[float | None]]:
    weeks: dict[date, list[float]] = {}
    for day, value in zip(days, values, strict=True):
        bucket = weeks.setdefault(day - timedelta(days=day.weekday()), [])
        if value is not None:
            bucket.append(value)
    starts = sorted(weeks)
    return starts, [sum(v) / len(v) if v else None for v in (weeks[s] for s in starts)]


def _charts(data: ReportData, entries: Sequence[DiaryEntry]) -> dict[str, Any]:
    days = _date_range(entries)
    by_day = {e.day: e for e in entries}
    logged = [by_day.get(d) for d in days]
    pain_now: list[float | None] = [e.pain_now if e else None for e in logged]
    pain_walking: list[float | None] = [e.pain_walking if e else None for e in logged]
    tolerance = [
        e.walk_tolerance_min if e is not None and not e.walk_no_limit else None for e in logged
    ]
    no_limit = [e.day for e in entries if e.walk_no_limit]
    fraction: list[float | None] = []
    for entry in logged:
        if entry is None:
            fraction.append(None)
            continue
        done, planned = _exercise_counts(data.plan, entry, data.zone)
        fraction.append(done / planned if planned else None)
    weekly = len(days) > WEEKLY_AFTER_DAYS
    if weekly:
        daily = days
        days, pain_now = weekly_averages(daily, pain_now)
        _, pain_walking = weekly_averages(daily, pain_walking)
        _, tolerance = weekly_averages(daily, tolerance)
        _, fraction = weekly_averages(daily, fraction)
        no_limit = sorted({d - timedelta(days=d.weekday()) for d in no_limit})
        pain_now = [None if v is None else round(v, 1) for v in pain_now]
        pain_walking = [None if v is None else round(v, 1) for v in pain_walking]
    return {
        "weekly": weekly,
        "pain": Markup(charts.pain_chart(days, pain_now, pain_walking)),  # noqa: S704 - ours
        "pain_trend": charts.pain_trend(days, pain_now, pain_walking),
        "tolerance": Markup(charts.tolerance_chart(days, tolerance, no_limit)),  # noqa: S704
        "tolerance_trend": charts.tolerance_trend(days, tolerance, no_limit),
        "adherence": Markup(charts.adherence_chart(days, fraction)),  # noqa: S704
        "adherence_trend": charts.adherence_trend(days, fraction),
    }


def _patterns(result: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    patterns: list[Mapping[str, Any]] = result.get("patterns", [])
    return sorted(patterns, key=lambda p: _LIKELIHOOD_ORDER.get(p["likelihood"], 2))


def _programme(plan: StoredPlan | None, zone: tzinfo | None) -> dict[str, Any] | None:
    if plan is None:
        return None
    contract = plan.plan
    exercises = [
        {
            "name": e["name"],
            "amount": dose_amount(e["dose"]),
            "frequency": dose_frequency(e["dose"]).lower(),
        }
        for e in contract.get("exercises", ())
    ]
    walking = contract.get("walking")
    week = None
    if walking and walking.get("weeks"):
        weeks = walking["weeks"]
        current = min(max(plan.current_week, 1), len(weeks))
        chosen = next((w for w in weeks if w["week"] == current), weeks[-1])
        week = {
            **chosen,
            "of": len(weeks),
            "how": walk_in_words(chosen["intervals"]),
            "target_minutes": walking["target_minutes_per_session"],
            "target_days": walking["target_days_per_week"],
        }
    return {
        "created": long_date(_day(plan.created_at, zone)),
        "urgency": LEVEL_LABEL.get(contract.get("urgency", ""), ""),
        "minutes_per_day": contract.get("minutes_per_day"),
        "exercises": exercises,
        "walking": week,
        "content_version": contract.get("content_version", ""),
    }


def _entry_refs(reason: EscalationReason) -> str:
    refs = reason.entries
    if len(refs) <= MAX_REFS_SHOWN:
        return "; ".join(f"{charts.short_date(ref.day)}: {ref.what}" for ref in refs)
    # A long run names many days; the first and the latest tell the story on paper (the
    # FHIR export and the app keep every day).
    shown = [*refs[:2], *refs[-2:]]
    text = "; ".join(f"{charts.short_date(ref.day)}: {ref.what}" for ref in shown[:2])
    latest = "; ".join(f"{charts.short_date(ref.day)}: {ref.what}" for ref in shown[2:])
    return f"{text}; … {len(refs) - 4} more days …; {latest} ({len(refs)} days in all)"


class _Citations:
    """Numbers each source once, so the reasons can point to one combined sources line.
    A reason's source is its citations joined by "; " (``domain.content.cite``)."""

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}

    def __call__(self, source: str) -> list[int]:
        cited = []
        for citation in (part.strip() for part in source.split("; ")):
            if citation:
                cited.append(self.numbers.setdefault(citation, len(self.numbers) + 1))
        return cited

    def listed(self) -> list[tuple[int, str]]:
        return [(number, citation) for citation, number in self.numbers.items()]


def _cite(numbers: Sequence[int]) -> Markup:
    """A reason's pointer to the sources line: "[1, 3]" (numbers only, so nothing to escape)."""
    if not numbers:
        return Markup("")
    listed = ", ".join(str(int(number)) for number in numbers)
    return Markup(  # noqa: S704 - integers only
        f'<span class="source"><span class="visually-hidden">Sources </span>[{listed}]</span>'
    )


_SENTENCE_END: Final = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def _first_sentence(message: str) -> str:
    """What a diary rule found, without the advice the person was given after it."""
    return _SENTENCE_END.split(message.strip(), maxsplit=1)[0]


def _duration(seconds: float) -> str:
    """``4 min 05 s``."""
    whole = round(seconds)
    return f"{whole // 60} min {whole % 60:02d} s"


def _test_words(test: StoredWalkingTest) -> str:
    """One test in a few words: when pain started and how long they walked in all (from the
    Start and Stop taps, as the person's own result page says; not the steps' time, which
    leaves out pauses and any part the phone did not record)."""
    if test.time_to_first_symptom_s is None:
        pain = "no pain"
    else:
        pain = f"pain after {_duration(test.time_to_first_symptom_s)}"
    return f"{pain}, {_duration(test.total_time_s)} walked in all"


def _walking_tests(tests: Sequence[StoredWalkingTest]) -> str | None:
    """The walking tests in a sentence or two: the first and the latest (the course at a
    glance; time is the phone's most reliable measure), why the latest ended and how soon
    the pain eased. None without tests."""
    if not tests:
        return None
    ordered = sorted(tests, key=lambda t: (t.recorded_at, t.id))
    first, latest = ordered[0], ordered[-1]
    if len(ordered) == 1:
        said = f"one, {charts.short_date(latest.day)}: {_test_words(latest)}"
    else:
        said = (
            f"{len(ordered)} in all. First, {charts.short_date(first.day)}: "
            f"{_test_words(first)}. Latest, {charts.short_date(latest.day)}: "
            f"{_test_words(latest)}"
        )
    said += f"; stopped because of {STOP_REASONS.get(latest.stop_reason, latest.stop_reason)}"
    if latest.recovery_s is not None:
        said += f"; pain eased {_duration(latest.recovery_s)} after sitting"
    return said + "."


def _when(moment: datetime | None, zone: tzinfo | None = None) -> str:
    return long_date(_day(moment, zone)) if moment is not None else ""


def _highest(*levels: Urgency | None) -> Urgency:
    return max((level for level in levels if level is not None), default=Urgency.SELF_CARE)


@cache
def _environment() -> Environment:
    return templating.environment(
        long_date=long_date,
        short_date=charts.short_date,
        when=_when,
        level_label=lambda level: LEVEL_LABEL[level.value if isinstance(level, Urgency) else level],
        entry_refs=_entry_refs,
        first_sentence=_first_sentence,
        cite=_cite,
        percent=_percent,
    )


def render_report_html(data: ReportData) -> str:
    """The summary as one self-contained HTML5 page (A4 print style sheet inline)."""
    entries = sorted(data.entries, key=lambda e: e.day)
    days = _date_range(entries)
    result = data.assessment.result
    assessed_on = _day(data.assessment.created_at, data.zone)
    labels = dict(data.red_flag_questions)
    missing = [labels.get(key, key.replace("_", " ")) for key in result.get("missing", ())]
    history = sorted(data.escalations, key=lambda e: e.created_at, reverse=True)
    notes = [(e.day, _short_note(e.note)) for e in reversed(entries) if e.note.strip()]
    cite = _Citations()
    status_reasons = [(reason, cite(reason.source)) for reason in data.status.reasons]
    reasons = [(reason, cite(reason["source"])) for reason in result.get("reasons", [])]
    template = _environment().get_template("report.html.j2")
    return template.render(
        name=data.person_name,
        zone=data.zone,
        weekly_after_days=WEEKLY_AFTER_DAYS,
        generated_on=long_date(data.generated_on),
        first_day=days[0] if days else None,
        last_day=days[-1] if days else None,
        assessed_on=long_date(assessed_on),
        assessment=data.assessment,
        urgency=data.assessment.urgency,
        reasons=reasons,
        status_reasons=status_reasons,
        sources=cite.listed(),
        missing=missing,
        status=data.status,
        highest=_highest(data.status.level, data.assessment.urgency),
        red_flags=_red_flag_rows(data),
        patterns=_patterns(result),
        charts=_charts(data, entries),
        trend_summary=data.trend_summary,
        adherence=_adherence(data, entries, len(days)),
        programme=_programme(data.plan, data.zone),
        walking=_walking_tests(data.walking_tests),
        history=history,
        notes=notes[:MAX_NOTES],
        notes_total=len(notes),
    )


def report_pdf(data: ReportData) -> bytes:
    """The summary as PDF bytes (WeasyPrint, quiet, fetching nothing)."""
    return html_to_pdf(render_report_html(data))
