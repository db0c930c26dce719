"""The doctor summary: a complete, self-contained page of one or two A4 pages, with charts
that say their trend in words and render the same way every time."""

from __future__ import annotations

import dataclasses
import itertools
import json
import re
from datetime import date, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from backstride.domain.diary import (
    DiaryEntry,
    EntryRef,
    Escalation,
    EscalationReason,
    ExerciseLog,
    StoredAssessment,
    StoredEscalation,
    StoredPlan,
)
from backstride.domain.urgency import Urgency
from backstride.domain.walking import StoredWalkingTest
from backstride.interop import charts
from backstride.interop.report import (
    WEEKLY_AFTER_DAYS,
    ReportData,
    render_report_html,
    report_pdf,
    weekly_averages,
)
from backstride.services.assessments import default_service
from tests.interop.test_handout import Page, page_count

START = date(2025, 4, 22)
TODAY = date(2025, 5, 12)
NOT_LOGGED = frozenset({3, 7, 8, 14})  # day offsets with no check-in
RED_FLAG_OFFSET = 13
SOURCE_NG59 = "NICE NG59 (2016, updated 2020)"
SOURCE_CES = "GIRFT National Suspected CES Pathway (2023)"

RED_FLAG_QUESTIONS: tuple[tuple[str, str], ...] = (
    ("saddle_numbness", "Numbness around the back passage, genitals or inner thighs"),
    ("bladder_change", "New change in bladder control or feeling"),
    ("bowel_incontinence", "New loss of bowel control"),
    ("sexual_dysfunction_new", "New loss of sexual function or genital sensation"),
    ("leg_weakness", "Legs with weakness"),
    ("weakness_progressing", "Weakness or numbness getting worse over hours or days"),
    ("major_trauma", "Recent major trauma"),
    ("fever", "Fever or chills with the back pain"),
    ("unexplained_weight_loss", "Weight lost without trying"),
    ("cancer_history", "Has ever had cancer"),
    ("immunosuppressed", "Immunosuppressed"),
    ("iv_drug_use", "Injects drugs"),
    ("night_pain_unrelieved", "Pain at night not eased by any position or rest"),
    ("constant_progressive_pain", "Constant, progressive pain"),
    ("abdominal_pulsation_or_tearing_pain", "Pulsating belly or sudden tearing pain"),
)

ANSWERS: dict[str, Any] = {
    "age": 74,
    "sex": "female",
    "duration_days": 120,
    "trend": "unchanged",
    "onset": "gradual",
    "pain_now": 3,
    "pain_walking": 6,
    "walking_tolerance_min": 10,
    "leg_pain": "above_knee",
    "leg_pain_sides": "both",
    "leg_numbness_tingling": "both",
    "leg_weakness": "none",
    "weakness_progressing": False,
    "saddle_numbness": False,
    "bladder_change": "none",
    "bowel_incontinence": False,
    "sexual_dysfunction_new": False,
    "major_trauma": False,
    "fever": False,
    "unexplained_weight_loss": False,
    "cancer_history": True,
    "immunosuppressed": False,
    "iv_drug_use": False,
    "constant_progressive_pain": False,
    "abdominal_pulsation_or_tearing_pain": False,
    # Night pain is left unanswered on purpose: the table shows "Not answered".
    "relief_sitting_or_bending_forward": True,
    "worse_standing_or_downhill": True,
}

RESULT: dict[str, Any] = {
    "contract": 1,
    "urgency": "soon",
    "reasons": [
        {
            "rule": "course.over_7_days_not_improving",
            "level": "soon",
            "message": (
                "Your back pain has lasted more than a week and is not getting better. A doctor "
                "or physiotherapist should check it within the next 1 to 2 weeks."
            ),
            "source": SOURCE_NG59,
        },
        {
            "rule": "neuro.both_legs_longstanding",
            "level": "soon",
            "message": (
                "Numbness, tingling or weakness in both legs that has been there for a while "
                "without changing needs checking within the next 1 to 2 weeks."
            ),
            "source": SOURCE_CES,
        },
    ],
    "patterns": [
        {
            "id": "degenerative",
            "label": "Age-related wear pattern (arthritis and disc changes)",
            "likelihood": "possible",
            "supported_by": ["You are 50 or older", "The pain came on gradually"],
        },
        {
            "id": "neurogenic_claudication",
            "label": "Spinal stenosis pattern (narrowing around the nerves)",
            "likelihood": "likely",
            "supported_by": [
                "Your symptoms ease when you sit or lean forward",
                "You feel it in both legs",
                "It is worse when you stand still or walk downhill",
            ],
        },
    ],
    "missing": ["night_pain_unrelieved"],
    "next_steps": ["Book an appointment with your doctor within the next 1 to 2 weeks."],
}


def _exercise(
    exercise_id: str, name: str, category: str, dose: dict[str, Any], minutes: float
) -> dict[str, Any]:
    return {
        "id": exercise_id,
        "name": name,
        "category": category,
        "dose": {"rest_s": 30, "per_side": False, **dose},
        "minutes_per_day": minutes,
        "why": "It suits the pattern your answers point to.",
        "modification": "",
        "steps": ["Lie on your back.", "Move slowly."],
        "form_cues": [],
        "common_mistakes": [],
        "stop_rules": ["Stop if the pain goes above 5 out of 10 while you are doing it."],
        "sources": [SOURCE_NG59],
    }


def _week(week: int, days: int, minutes: int) -> dict[str, Any]:
    half = minutes / 2
    return {
        "week": week,
        "days": days,
        "minutes_per_session": minutes,
        "intervals": [{"walk_min": half, "rest_min": 2.0}, {"walk_min": half, "rest_min": 0.0}],
        "posture_cue": "Walk tall.",
    }


PLAN: dict[str, Any] = {
    "contract": 1,
    "urgency": "soon",
    "headline": "Book an appointment with a doctor or physiotherapist in the next 1 to 2 weeks",
    "content_version": "2026.11.0",
    "minutes_per_day": 45,
    "patterns": ["neurogenic_claudication", "degenerative"],
    "exercises": [
        _exercise(
            "pelvic_tilt",
            "Pelvic tilt",
            "mobility",
            {"sets": 2, "reps": 8, "hold_s": 2, "times_per_day": 2},
            3.7,
        ),
        _exercise(
            "childs_pose",
            "Child's pose",
            "stretch",
            {"sets": 3, "reps": None, "hold_s": 15, "rest_s": 10, "times_per_day": 2},
            2.2,
        ),
        _exercise(
            "clamshell",
            "Clamshell",
            "core",
            {"sets": 2, "reps": 10, "hold_s": None, "times_per_day": 1, "per_side": True},
            2.5,
        ),
        _exercise(
            "knee_to_chest",
            "Knee-to-chest stretch",
            "stretch",
            {
                "sets": 3,
                "reps": None,
                "hold_s": 15,
                "rest_s": 10,
                "times_per_day": 2,
                "per_side": True,
            },
            3.7,
        ),
    ],
    "walking": {
        "weeks": [_week(1, 3, 15), _week(2, 4, 15), _week(3, 5, 15), _week(4, 5, 18)],
        "rest_position": "Sit down, or lean forward on a rail or a shopping trolley.",
        "target_minutes_per_session": 30,
        "target_days_per_week": 5,
        "budget_limited": False,
        "start_tolerance_min": 10.0,
        "tolerance_known": True,
        "steps": None,
        "illustration": "",
    },
    "posture": [],
    "footwear": [],
    "footwear_evidence": "",
    "lifestyle": [],
    "education": [],
    "safety": ["Book an appointment with a doctor or physiotherapist within 1 to 2 weeks."],
    "disclaimer": "Backstride gives information. It is not a diagnosis.",
}
EXERCISE_IDS = tuple(e["id"] for e in PLAN["exercises"])

BLADDER_REASON = EscalationReason(
    rule="diary.red_flag",
    level=Urgency.URGENT,
    message="A new change in bladder or bowel control, saddle numbness or weakness was reported.",
    source=SOURCE_CES,
    entries=(EntryRef(START + timedelta(days=RED_FLAG_OFFSET), "red-flag answer: yes"),),
)
WORSENING_REASON = EscalationReason(
    rule="diary.pain_rising",
    level=Urgency.SOON,
    message="Pain when walking has risen over the last week and walking tolerance has fallen.",
    source=SOURCE_NG59,
    entries=(
        EntryRef(TODAY - timedelta(days=2), "pain when walking 6/10"),
        EntryRef(TODAY, "walking tolerance 6 minutes"),
    ),
)


def _tolerance(offset: int) -> float:
    """Better for two and a half weeks, then worse: 8 → 16 minutes, then down to 6."""
    return {17: 12.0, 18: 9.0, 19: 7.0, 20: 6.0}.get(offset, 8.0 + offset / 2)


def _entry(offset: int) -> DiaryEntry:
    day = START + timedelta(days=offset)
    pain_now = max(1, 6 - offset // 4) if offset < 17 else 4
    pain_walking = max(2, 8 - offset // 4) if offset < 17 else 6
    no_limit = offset in {11, 12}
    done_count = 4 if offset % 5 else 2
    return DiaryEntry(
        day=day,
        pain_now=pain_now,
        pain_walking=pain_walking,
        walk_minutes=0.0 if offset == 5 else 12.0 + offset / 2,
        walk_tolerance_min=None if no_limit or offset == 5 else _tolerance(offset),
        walk_no_limit=no_limit,
        steps=4000 + 100 * offset,
        exercises=tuple(
            ExerciseLog(exercise_id, done=i < done_count, pain_during=3 if i < done_count else None)
            for i, exercise_id in enumerate(EXERCISE_IDS)
        ),
        settled_by_morning=offset != 9,
        red_flag=offset == RED_FLAG_OFFSET or (None if offset == 1 else False),
        note={
            2: "Walked to the shops with a trolley, easier leaning on it.",
            RED_FLAG_OFFSET: "Needed to pass water more often, felt odd. Settled next day.",
            19: "<script>alert('x')</script> & bad night",
        }.get(offset, ""),
    )


def _at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0)


ENTRIES = tuple(_entry(n) for n in range(21) if n not in NOT_LOGGED)

ACKNOWLEDGED = StoredEscalation(
    id=1,
    person_id=7,
    level=Urgency.URGENT,
    reasons=(BLADDER_REASON,),
    created_at=_at(START + timedelta(days=RED_FLAG_OFFSET), 19),
    shown_at=_at(START + timedelta(days=RED_FLAG_OFFSET), 19),
    acknowledged_at=_at(START + timedelta(days=RED_FLAG_OFFSET + 1), 8),
)
ACTIVE = StoredEscalation(
    id=2,
    person_id=7,
    level=Urgency.SOON,
    reasons=(WORSENING_REASON,),
    created_at=_at(TODAY, 9),
    shown_at=_at(TODAY, 9),
    acknowledged_at=None,
)


def report_data(**changes: Any) -> ReportData:
    data = ReportData(
        person_name="Margaret O'Brien",
        generated_on=TODAY,
        assessment=StoredAssessment(
            id=3,
            person_id=7,
            created_at=_at(START - timedelta(days=1), 10),
            answers=ANSWERS,
            result=RESULT,
            content_version="2026.11.0",
        ),
        red_flag_questions=RED_FLAG_QUESTIONS,
        entries=ENTRIES,
        plan=StoredPlan(
            id=4,
            person_id=7,
            assessment_id=3,
            created_at=_at(START - timedelta(days=1), 10),
            plan=PLAN,
            current_week=3,
        ),
        escalations=(ACKNOWLEDGED, ACTIVE),
        status=Escalation(level=Urgency.SOON, reasons=(WORSENING_REASON,), reminders=()),
        trend_summary=(
            "Pain and walking tolerance improved over the first two weeks, then worsened "
            "in the last four days."
        ),
    )
    return dataclasses.replace(data, **changes)


@pytest.fixture(scope="module")
def html() -> str:
    return render_report_html(report_data())


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return report_pdf(report_data())


class Strict(HTMLParser):
    """Checks that every element closes in order (void elements aside)."""

    VOID = frozenset({"meta", "br", "hr", "img", "input", "link", "col", "wbr"})
    SVG_EMPTY = frozenset({"path", "use", "rect", "circle", "line", "polyline", "ellipse"})

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.feed(page)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        return

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else ''}>")
            return
        self.stack.pop()


def test_page_is_well_formed(html: str) -> None:
    assert html.lstrip().lower().startswith("<!doctype html>")
    strict = Strict(html)
    assert strict.errors == []
    assert strict.stack == []
    page = Page(html)
    assert [attrs for tag, attrs in page.tags if tag == "html"] == [{"lang": "en"}]
    assert page.count("h1") == 1
    for before, after in zip(page.headings, page.headings[1:], strict=False):
        assert after <= before + 1, page.headings


def test_header_says_who_when_and_what_it_is(html: str) -> None:
    text = Page(html).visible()
    assert "Margaret O'Brien" in text
    assert "Diary 22 April 2025 to 12 May 2025 (21 days)" in text
    assert "Generated on 12 May 2025" in text
    assert "Backstride summary: decision support, not a diagnosis" in text
    assert "content version 2026.11.0" in text


def test_each_chart_is_inline_with_its_trend_in_words(html: str) -> None:
    page = Page(html)
    assert page.count("svg") == 3
    titles = re.findall(r'<title id="(\w+)-title">([^<]*)</title>', html)
    assert [prefix for prefix, _ in titles] == ["pain", "tolerance", "adherence"]
    pain, tolerance, adherence = (text for _, text in titles)
    assert pain.startswith("Pain now fell from 6 to 2 by 8 May, then rose to 4 by 12 May;")
    assert "pain when walking fell from 8 to 4 by 8 May, then rose to 6 by 12 May" in pain
    assert tolerance.startswith(
        "Walking tolerance rose from 8 to 16 minutes by 8 May, then fell to 6 minutes by 12 May"
    )
    assert "pain did not stop walking on 2 days" in tolerance
    assert adherence.startswith("Exercises done averaged ")
    text = page.visible()
    for sentence in (pain, tolerance, adherence):  # also printed under each chart
        assert sentence in text


def test_red_flag_table_has_a_row_per_question(html: str) -> None:
    rows = re.findall(
        r'<tr( class="flagged")?><th scope="row">([^<]*)</th><td>([^<]*)</td></tr>', html
    )
    shown = {question: (answer, bool(flagged)) for flagged, question, answer in rows}
    for key, question in RED_FLAG_QUESTIONS:
        assert question in shown, key
    assert shown["New change in bladder control or feeling"] == ("No", False)
    assert shown["Legs with weakness"] == ("No", False)
    assert shown["Has ever had cancer"] == ("Yes", True)
    assert shown["Pain at night not eased by any position or rest"] == ("Not answered", True)
    text = Page(html).visible()
    assert "yes on 5 May" in text  # the diary's red-flag day


def test_reasons_come_with_their_sources(html: str) -> None:
    text = Page(html).visible()
    status = text[text.index("Needs attention") : text.index("Red-flag answers")]
    # One combined sources line, each source once; every reason points to its numbers.
    listed = status[status.index("Sources: ") :]
    assert f"[1] {SOURCE_NG59}" in listed
    assert f"[2] {SOURCE_CES}" in listed
    assert listed.count("NICE NG59") == 1
    assert f"{WORSENING_REASON.message} Diary: " in status
    assert "10 May: pain when walking 6/10" in status
    assert "walking tolerance 6 minutes. Sources [1]" in status
    for reason, cited in zip(RESULT["reasons"], ("[1]", "[2]"), strict=True):
        assert f"{reason['message']} Sources {cited}" in status
    assert "Pain at night not eased by any position or rest" in status  # missing answer


def test_patterns_likely_first(html: str) -> None:
    text = Page(html).visible()
    likely = text.index("Likely: Spinal stenosis pattern")
    possible = text.index("Possible: Age-related wear pattern")
    assert likely < possible


def test_adherence_and_programme(html: str) -> None:
    text = Page(html).visible()
    assert "Days logged 17 of 21 (81%)" in text
    done = sum(4 if n % 5 else 2 for n in range(21) if n not in NOT_LOGGED)
    assert f"Exercises done {done} of {17 * 4} planned on logged days" in text
    for exercise in PLAN["exercises"]:
        assert exercise["name"] in text
    assert "2 sets of 8, holding each for 2 seconds; rest 30 seconds between sets" in text
    assert "Walking, week 3 of 4: 5 days a week, 15 minutes a session" in text


def test_escalation_history_newest_first_with_shown_and_acknowledged(html: str) -> None:
    text = Page(html).visible()
    history = text[text.index("Escalations Raised") :]
    active, acknowledged = (
        history.index(WORSENING_REASON.message),
        history.index(BLADDER_REASON.message),
    )
    assert active < acknowledged
    assert "12 May 2025 Soon: within 1 to 2 weeks" in history
    assert "Not yet" in history[:acknowledged]
    assert "5 May 2025 Urgent: today" in history
    assert "6 May 2025" in history  # acknowledged the next morning


def test_person_text_is_escaped() -> None:
    entries = (
        *ENTRIES[:-1],
        dataclasses.replace(ENTRIES[-1], note="<script>alert(1)</script> <b>bold</b>"),
    )
    html = render_report_html(
        report_data(person_name="<script>alert('n')</script> Smith", entries=entries)
    )
    page = Page(html)
    assert page.count("script") == 0
    assert page.count("b") == 0
    assert "&lt;script&gt;alert(&#39;n&#39;)&lt;/script&gt; Smith" in html
    assert "<script>alert(1)</script> <b>bold</b>" in page.visible()


def test_page_is_self_contained(html: str) -> None:
    page = Page(html)
    for tag in ("script", "link", "img", "iframe", "object"):
        assert page.count(tag) == 0, tag
    for match in re.finditer(r"https?://", html):
        before = html[max(0, match.start() - 14) : match.start()]
        assert re.search(r'xmlns(:xlink)?="$', before), html[match.start() - 40 : match.end() + 30]
    for tag, attrs in page.tags:
        for name in ("src", "href", "xlink:href"):
            value = attrs.get(name) or ""
            assert value == "" or value.startswith("#"), (tag, name, value)
    assert "@import" not in html
    assert "url(" not in html.replace("url(#", "")


def test_pdf_is_one_or_two_pages(pdf: bytes) -> None:
    assert pdf.startswith(b"%PDF-")
    assert page_count(pdf) in {1, 2}


def test_pdf_without_diary_plan_or_escalations(
    caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    data = report_data(
        entries=(),
        plan=None,
        escalations=(),
        status=Escalation(level=None, reasons=(), reminders=()),
        trend_summary="No check-ins yet.",
    )
    html = render_report_html(data)
    text = Page(html).visible()
    assert "No diary entries yet" in text
    assert "nothing to escalate" in text
    assert "No programme has been made." in text
    assert "None shown to the person yet." in text
    assert "Needs attention” above" not in text  # nothing to point to
    with caplog.at_level("DEBUG"):
        pdf = report_pdf(data)
    assert page_count(pdf) == 1
    assert not [r for r in caplog.records if r.name.startswith(("weasyprint", "fontTools"))]
    captured = capsys.readouterr()
    assert captured.out == captured.err == ""


def test_advice_not_yet_shown_is_not_called_none() -> None:
    """The diary advises seeing a doctor, but the person has not opened a page that shows
    it: the history is empty, and says where the current advice is."""
    text = Page(render_report_html(report_data(escalations=()))).visible()
    assert "None shown to the person yet. What the diary says now is under" in text


DAYS = [START + timedelta(days=n) for n in range(14)]


@pytest.mark.parametrize(
    "draw",
    [
        lambda: charts.pain_chart(DAYS, [7, None, 6, 6, 5, None, 5, 5, 4, 4, 5, 4, 4, 4], [8] * 14),
        lambda: charts.tolerance_chart(DAYS, [5.0, *[None] * 12, 9.5], [DAYS[3]]),
        lambda: charts.adherence_chart(DAYS, [0.5, 0.0, None, *[1.0] * 11]),
    ],
)
def test_charts_are_deterministic(draw: Any) -> None:
    first, second = draw(), draw()
    assert first == second
    assert first.startswith("<svg ")
    assert "<metadata" not in first
    assert "<?xml" not in first
    assert "<!DOCTYPE" not in first
    assert "dc:date" not in first
    assert "font-family: 'DejaVu Sans'" in first  # text stays text, in a font we ship


def test_chart_titles_state_the_trend() -> None:
    svg = charts.pain_chart(DAYS, [7, *[None] * 12, 4], [None] * 14)
    assert '<title id="pain-title">Pain now fell from 7 to 4 over 13 days;' in svg
    assert "pain when walking: not recorded" in svg
    svg = charts.tolerance_chart(DAYS, [6.0] * 14, [])
    assert "Walking tolerance stayed at 6 minutes over 13 days." in svg
    wobble = [7, 8, 6, 5, 4, *[None] * 9]  # a one-point rise is no turn
    assert "Pain now fell from 7 to 4 over 4 days;" in charts.pain_chart(DAYS, wobble, wobble)


def test_charts_handle_no_data_and_single_points() -> None:
    nothing = [None] * len(DAYS)
    for svg in (
        charts.pain_chart(DAYS, nothing, nothing),
        charts.tolerance_chart(DAYS, nothing, []),
        charts.adherence_chart(DAYS, nothing),
        charts.pain_chart([], [], []),
    ):
        assert "No data recorded" in svg
        assert "not recorded" in svg
    one = [TODAY]
    svg = charts.pain_chart(one, [5], [7])
    assert "Pain now was 5 on 12 May, the only day recorded" in svg
    assert "<path" in svg  # the marker is drawn
    assert "was 3 minutes on 12 May" in charts.tolerance_chart(one, [3.0], [])
    assert "averaged 100% of those planned over 1 logged day." in charts.adherence_chart(one, [1.0])


def test_chart_ids_do_not_clash(html: str) -> None:
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))


def test_chart_needs_a_value_per_day() -> None:
    with pytest.raises(ValueError, match="one value"):
        charts.pain_chart(DAYS, [1], [1])


# The longest realistic summary: the built-in red-flag questions, the stenosis example with a
# fever (four reasons), three escalations of three reasons each, 28 days of notes, six exercises.
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
LONG_NOTE = (
    "Walked to the post office and back with two rests on the bench by the church; legs "
    "heavy and tingling on the way back, eased after sitting for ten minutes. Slept badly."
)


def _worst_reasons(n: int) -> tuple[EscalationReason, ...]:
    """The three diary rules that can fire together, with their own messages and sources."""
    rules = default_service().content.escalation
    day = TODAY - timedelta(days=n)
    return tuple(
        EscalationReason(
            rule=rule.text.id,
            level=rule.level,
            message=rule.message,
            source=rule.text.source_text,
            entries=(
                EntryRef(day - timedelta(days=2), "pain when walking 7/10"),
                EntryRef(day, "walking tolerance 4 minutes"),
            ),
        )
        for rule in (rules.no_improvement, rules.sustained_worsening, rules.tolerance_fall)
    )


def worst_case_data() -> ReportData:
    service = default_service()
    answers = json.loads((EXAMPLES / "stenosis-walker.json").read_text(encoding="utf-8"))
    answers["fever"] = True
    result = service.assess(answers).to_contract()
    questions = tuple((q.key, q.text) for q in service.content.questions if q.red_flag)
    start = TODAY - timedelta(days=27)
    entries = tuple(
        dataclasses.replace(
            _entry(n % 21),
            day=start + timedelta(days=n),
            note=f"Day {n}. {LONG_NOTE}",
            red_flag=n in {13, 24},
        )
        for n in range(28)
    )
    exercises = [
        *PLAN["exercises"],
        _exercise(
            "cat_camel",
            "Cat-camel",
            "mobility",
            {"sets": 1, "reps": 8, "hold_s": None, "times_per_day": 2},
            1.5,
        ),
        _exercise(
            "bridge",
            "Bridge",
            "core",
            {"sets": 2, "reps": 10, "hold_s": 3, "times_per_day": 1},
            2.5,
        ),
    ]
    reasons = [_worst_reasons(4 * i) for i in range(3)]
    escalations = tuple(
        StoredEscalation(
            id=i + 1,
            person_id=7,
            level=Urgency.SOON,
            reasons=reasons[i],
            created_at=_at(TODAY - timedelta(days=9 - 4 * i), 9),
            shown_at=_at(TODAY - timedelta(days=9 - 4 * i), 9),
            acknowledged_at=None if i == 2 else _at(TODAY - timedelta(days=8 - 4 * i), 9),
        )
        for i in range(3)
    )
    return report_data(
        assessment=StoredAssessment(
            id=3,
            person_id=7,
            created_at=_at(start - timedelta(days=1), 10),
            answers=answers,
            result=result,
            content_version="2026.11.0",
        ),
        red_flag_questions=questions,
        entries=entries,
        plan=StoredPlan(
            id=4,
            person_id=7,
            assessment_id=3,
            created_at=_at(start - timedelta(days=1), 10),
            plan={**PLAN, "exercises": exercises},
            current_week=4,
        ),
        escalations=escalations,
        status=Escalation(level=Urgency.SOON, reasons=reasons[2], reminders=()),
        walking_tests=tuple(walking_test(n, TODAY - timedelta(days=7 * (5 - n))) for n in range(6)),
    )


def walking_test(n: int, day: date, **changes: Any) -> StoredWalkingTest:
    """The ``n``th weekly walking test: pain after 3 min 20 s, 30 s later each week."""
    test = StoredWalkingTest(
        id=n + 1,
        person_id=7,
        day=day,
        recorded_at=_at(day, 11),
        time_to_first_symptom_s=200.0 + 30 * n,
        distance_to_first_symptom_m=210.0 + 31 * n,
        walking_time_s=320.0 + 40 * n,
        distance_m=333.0 + 41 * n,
        total_time_s=330.0 + 40 * n,
        stop_reason="pain",
        recovery_s=95.0,
        steps=500 + 60 * n,
        cadence_spm=98.0,
        speed_mps=1.05,
        sampling_rate_hz=60.0,
        detail={},
    )
    return dataclasses.replace(test, **changes)


def test_walking_tests_first_and_latest_in_words(worst_html: str) -> None:
    text = " ".join(Page(worst_html).visible().split())
    assert (
        "Walking tests (walk until pain stops them, or 15 minutes): 6 in all. "
        "First, 7 Apr: pain after 3 min 20 s, 5 min 30 s walked in all. "
        "Latest, 12 May: pain after 5 min 50 s, 8 min 50 s walked in all; "
        "stopped because of pain; pain eased 1 min 35 s after sitting."
    ) in text


def test_a_single_walking_test_without_pain_or_recovery() -> None:
    test = walking_test(
        0, TODAY, time_to_first_symptom_s=None, recovery_s=None, stop_reason="time_limit"
    )
    data = report_data(walking_tests=(test,))
    text = " ".join(Page(render_report_html(data)).visible().split())
    assert (
        "15 minutes): one, 12 May: no pain, 5 min 30 s walked in all; "
        "stopped because of the 15-minute limit."
    ) in text
    # Without check-ins there is no adherence table to sit beside: the tests stand alone.
    alone = render_report_html(dataclasses.replace(data, entries=()))
    assert '<div class="walking-alone"><p class="walking-tests">' in alone


def test_without_walking_tests_there_is_no_mention(html: str) -> None:
    assert "Walking tests" not in Page(html).visible()


def _page_texts(html: str) -> list[str]:
    """The text laid out on each PDF page, from WeasyPrint's own boxes (no PDF tools needed)."""
    import weasyprint  # type: ignore[import-untyped]  # noqa: PLC0415 - slow
    from weasyprint.formatting_structure import boxes  # type: ignore[import-untyped]  # noqa: PLC0415

    def fetch_nothing(url: str) -> dict[str, Any]:
        raise ValueError(url)

    document = weasyprint.HTML(string=html, url_fetcher=fetch_nothing).render()
    return [
        " ".join(box.text for box in page._page_box.descendants() if isinstance(box, boxes.TextBox))
        for page in document.pages
    ]


@pytest.fixture(scope="module")
def worst_html() -> str:
    return render_report_html(worst_case_data())


def test_worst_realistic_case_is_at_most_two_pages(worst_html: str) -> None:
    text = Page(worst_html).visible()
    assert len(re.findall(r"\b\d+ May: Day \d+\.", text)) == 3  # latest notes only
    assert page_count(report_pdf(worst_case_data())) <= 2


def test_red_flag_table_is_on_the_first_page(html: str, worst_html: str) -> None:
    for page, questions in (
        (html, RED_FLAG_QUESTIONS),
        (worst_html, worst_case_data().red_flag_questions),
    ):
        first = " ".join(_page_texts(page)[0].split())
        assert "Needs attention" in first
        assert "Red-flag answers" in first
        for _, question in questions:
            assert " ".join(question.split()) in first, question


def test_notes_are_the_latest_few_cut_short(worst_html: str) -> None:
    text = Page(worst_html).visible()
    assert "Notes from the diary (latest 3 of 28)" in text
    notes = re.findall(r"\d+ May: (Day \d+\. [^…]*…)", text)
    assert [note.split(".")[0] for note in notes] == ["Day 27", "Day 26", "Day 25"]
    for note in notes:
        assert len(note) <= 140
        assert LONG_NOTE[:60] in note


def test_history_shows_what_each_rule_found(worst_html: str) -> None:
    text = Page(worst_html).visible()
    history = text[text.index("Escalations Raised") :]
    found = "Your pain has lasted more than a week without getting better."
    assert history.count(found) == 3
    assert "take your Backstride summary with you" not in history  # the advice is left out


def test_a_long_diary_is_charted_as_weekly_lines() -> None:
    """A year of check-ins becomes weekly averages drawn as connected lines (not lone dots)."""
    start = date(2025, 1, 6)
    days = [start + timedelta(days=i) for i in range(200)]
    assert len(days) > WEEKLY_AFTER_DAYS
    weeks, means = weekly_averages(days, [float(i % 10) for i in range(200)])
    assert len(weeks) == 29
    assert all((b - a).days == 7 for a, b in itertools.pairwise(weeks))
    svg = charts.pain_chart(weeks, means, means)
    longest = max(len(re.findall(r"L ", d)) for d in re.findall(r'<path d="([^"]+)"', svg))
    assert longest >= len(weeks) - 1, "the weekly points are joined by a line"
