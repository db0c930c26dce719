"""A signed-in person's pages: programme, check-in, progress and downloads.

Routes parse the form, call one use case of ``services.today.Today`` (or the records and
reports services), and render. Nothing here reads the database directly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from backstride.diary import DiaryStatus
from backstride.diary.model import Direction, Point
from backstride.domain.answers import ContractError
from backstride.domain.diary import Person
from backstride.domain.walking import StoredWalkingTest
from backstride.services.today import CheckinView, Today, dose_text, intervals_text
from backstride.web.deps import (
    CsrfChecked,
    FormFields,
    PersonUser,
    Web,
    WebApp,
    attachment,
    render,
    slow_lane,
)

router = APIRouter(include_in_schema=False)

PAIN_SCALE = range(11)
#: A year; an illustration's URL changes with the content (``?v=``), so it can be kept.
ILLUSTRATION_MAX_AGE_S = 365 * 24 * 3600
#: For an SVG on its own: no script, no loads, only its own <style>. Browsers never run
#: script in an SVG shown by <img> anyway; this also covers someone opening it directly.
ILLUSTRATION_CSP = "default-src 'none'; style-src 'unsafe-inline'"

#: The check-in's fields, in page order, with the element an error links to.
CHECKIN_TARGETS = {
    "pain_now": "pain_now-0",
    "pain_walking": "pain_walking-0",
    "walk_minutes": "walk_minutes",
    "walk_tolerance_min": "walk_tolerance_min",
    "steps": "steps",
    "exercises": "exercises",
    "settled_by_morning": "settled_by_morning-yes",
    "red_flag": "red_flag-yes",
    "note": "note",
}
CHECKIN_MESSAGES = {
    "pain_now": "Pain now: choose a number from 0 to 10",
    "pain_walking": "Pain when walking: choose a number from 0 to 10",
    "walk_minutes": "Minutes walked today: give a number of minutes from 0 to 1440",
    "walk_tolerance_min": (
        "Minutes before pain stopped you: give a number of minutes, or tick "
        "'pain did not stop me', not both"
    ),
    "steps": "Steps: give a whole number, or leave it empty",
    "exercises": "Exercises: pain during an exercise is a number from 0 to 10",
    "settled_by_morning": "Did yesterday's exercise pain settle: choose one answer",
    "red_flag": "Warning signs: please answer yes or no",
    "note": "Note: keep it under 2000 characters",
}


def today_service(web: Web) -> Today:
    return Today(web.services.records, web.services.plans)


# -- the programme ----------------------------------------------------------------------


def _programme_page(
    request: Request,
    web: Web,
    user: Person,
    *,
    errors: Mapping[str, str] | None = None,
    failed: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    today = today_service(web)
    view = today.programme(user)
    if view is None:
        return render(
            request, "person/no_plan.html", {"title": "Your programme"}, status_code=status_code
        )
    plan = view.plan
    return render(
        request,
        "person/programme.html",
        {
            "title": "Your programme",
            "view": view,
            "plan": plan,
            "doses": {e["id"]: dose_text(e["dose"]) for e in plan["exercises"]},
            "alt": today.alt_texts(),
            "week": view.week,
            "intervals": intervals_text(view.week) if view.week else "",
            "urgent": plan["urgency"] in ("emergency", "urgent"),
            "errors": errors or {},
            "failed": failed,
            "scale": PAIN_SCALE,
        },
        status_code=status_code,
    )


@router.get("/programme", response_class=HTMLResponse)
def programme(request: Request, web: WebApp, user: PersonUser) -> HTMLResponse:
    return _programme_page(request, web, user)


@router.post("/programme/done", response_class=HTMLResponse, dependencies=[CsrfChecked])
def done(
    request: Request,
    web: WebApp,
    user: PersonUser,
    exercise_id: Annotated[str, Form(max_length=60)],
    pain_during: Annotated[str, Form(max_length=4)] = "",
) -> Response:
    """Mark one exercise done today, with the pain felt during it."""
    pain = _int(pain_during)
    try:
        today_service(web).mark_done(user, exercise_id, pain)
    except ContractError as exc:
        errors = {e.field: e.message for e in exc.errors}
        return _programme_page(
            request, web, user, errors=errors, failed=exercise_id, status_code=422
        )
    return RedirectResponse(f"/programme?done={exercise_id}#ex-{exercise_id}", status_code=303)


@router.get("/illustrations/{exercise_id}.svg")
def illustration(web: WebApp, exercise_id: str) -> Response:
    """An exercise's animated figure: content, not patient data, so anyone may load it."""
    svg = today_service(web).illustration(exercise_id)
    if svg is None:
        raise HTTPException(status_code=404, detail="There is no illustration with that name.")
    return Response(
        svg,
        media_type="image/svg+xml",
        headers={
            # The SVG styles its own animation with an inline <style>, which the site-wide
            # policy forbids; it is shown through <img>, where no script can ever run.
            "content-security-policy": ILLUSTRATION_CSP,
            "cache-control": f"public, max-age={ILLUSTRATION_MAX_AGE_S}, immutable",
        },
    )


@router.get("/programme.ics")
def calendar(web: WebApp, user: PersonUser) -> Response:
    ics = today_service(web).calendar(user)
    if ics is None:
        raise HTTPException(status_code=404, detail="You have no programme yet.")
    return attachment(ics, "text/calendar", "backstride-programme.ics")


# -- the check-in -----------------------------------------------------------------------


def _int(value: str) -> int | None:
    text = value.strip()
    try:
        return int(text) if text else None
    except ValueError:
        return None


def _values_from_entry(view: CheckinView) -> dict[str, str]:
    """The check-in form's values from today's saved entry (empty before the first save)."""
    entry = view.entry
    values: dict[str, str] = {}
    if entry is not None:
        values = {
            "pain_now": str(entry.pain_now),
            "pain_walking": str(entry.pain_walking),
            "walk_minutes": f"{entry.walk_minutes:g}",
            "walk_tolerance_min": ""
            if entry.walk_tolerance_min is None
            else f"{entry.walk_tolerance_min:g}",
            "walk_no_limit": "yes" if entry.walk_no_limit else "",
            "steps": "" if entry.steps is None else str(entry.steps),
            "settled_by_morning": _yes_no(entry.settled_by_morning),
            "red_flag": _yes_no(entry.red_flag),
            "note": entry.note,
        }
    for item, log in view.exercises:
        values[f"done-{item['id']}"] = "yes" if log.done else ""
        values[f"pain-{item['id']}"] = "" if log.pain_during is None else str(log.pain_during)
    return values


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def _checkin_page(
    request: Request,
    web: Web,
    user: Person,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    view = today_service(web).checkin(user)
    return render(
        request,
        "person/checkin.html",
        {
            "title": "Today's check-in",
            "view": view,
            "values": values if values is not None else _values_from_entry(view),
            "errors": errors or {},
            "targets": CHECKIN_TARGETS,
            "scale": PAIN_SCALE,
        },
        status_code=status_code,
    )


@router.get("/checkin", response_class=HTMLResponse)
def checkin(request: Request, web: WebApp, user: PersonUser) -> HTMLResponse:
    return _checkin_page(request, web, user)


def _number(values: Mapping[str, str], key: str, errors: dict[str, str]) -> float | None:
    text = values.get(key, "").strip().replace(",", ".")
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        errors[key] = CHECKIN_MESSAGES[key]
        return None
    return number


def _choice(values: Mapping[str, str], key: str, errors: dict[str, str]) -> bool | None:
    answer = values.get(key, "")
    if answer not in ("yes", "no", ""):
        errors[key] = CHECKIN_MESSAGES[key]
    return {"yes": True, "no": False}.get(answer)


def parse_checkin(
    values: Mapping[str, str], exercise_ids: list[str]
) -> tuple[dict[str, Any], dict[str, str]]:
    """The diary entry's raw fields from the form, and the fields that could not be read."""
    errors: dict[str, str] = {}
    raw: dict[str, Any] = {}
    for key in ("pain_now", "pain_walking"):
        raw[key] = _int(values.get(key, ""))
        if raw[key] is None:
            errors[key] = CHECKIN_MESSAGES[key]
    raw["walk_minutes"] = _number(values, "walk_minutes", errors)
    if raw["walk_minutes"] is None:
        errors.setdefault("walk_minutes", CHECKIN_MESSAGES["walk_minutes"])
    raw["walk_tolerance_min"] = _number(values, "walk_tolerance_min", errors)
    raw["walk_no_limit"] = values.get("walk_no_limit") == "yes"
    steps = values.get("steps", "").strip()
    raw["steps"] = _int(steps)
    if steps and raw["steps"] is None:
        errors["steps"] = CHECKIN_MESSAGES["steps"]
    exercises = []
    for exercise_id in exercise_ids:
        pain_text = values.get(f"pain-{exercise_id}", "").strip()
        pain = _int(pain_text)
        if pain_text and pain is None:
            errors["exercises"] = CHECKIN_MESSAGES["exercises"]
        # Pain given for an exercise is pain while doing it: done, even if left unticked
        # (dropping the pain without a word would lose what the person told us).
        done_it = values.get(f"done-{exercise_id}") == "yes" or pain is not None
        exercises.append(
            {"exercise_id": exercise_id, "done": done_it, "pain_during": pain if done_it else None}
        )
    raw["exercises"] = exercises
    raw["settled_by_morning"] = _choice(values, "settled_by_morning", errors)
    raw["red_flag"] = _choice(values, "red_flag", errors)
    if raw["red_flag"] is None:
        errors["red_flag"] = CHECKIN_MESSAGES["red_flag"]
    raw["note"] = values.get("note", "").strip()
    return raw, errors


def _contract_errors(exc: ContractError) -> dict[str, str]:
    """Map the diary contract's field names (``exercises.0.pain_during``) to the form's."""
    errors: dict[str, str] = {}
    for error in exc.errors:
        key = error.field.split(".")[0]
        errors[key] = CHECKIN_MESSAGES.get(key, f"{key}: {error.message}")
    return errors


@router.post("/checkin", response_class=HTMLResponse, dependencies=[CsrfChecked])
def save_checkin(request: Request, web: WebApp, user: PersonUser, values: FormFields) -> Response:
    today = today_service(web)
    raw, errors = parse_checkin(values, today.plan_exercise_ids(user))
    if not errors:
        try:
            entry, _, _ = today.save_checkin(user, raw)
        except ContractError as exc:
            errors = _contract_errors(exc)
        else:
            target = "/progress?saved=1"
            if entry.red_flag:
                target += "&warning=1"
            return RedirectResponse(target, status_code=303)
    ordered = {k: errors[k] for k in CHECKIN_TARGETS if k in errors}
    return _checkin_page(request, web, user, values=values, errors=ordered, status_code=422)


@router.post("/escalations/acknowledge", dependencies=[CsrfChecked])
def acknowledge(request: Request, web: WebApp, user: PersonUser) -> Response:
    """The banner's "I have read this": close every open escalation, then go back."""
    web.services.records.acknowledge(user)
    return RedirectResponse(_back(request), status_code=303)


def _back(request: Request) -> str:
    """The page the form was on, if it was on this site; otherwise the programme."""
    referer = urlsplit(request.headers.get("referer", ""))
    same_site = referer.netloc in ("", request.url.netloc) and referer.scheme in (
        "",
        request.url.scheme,
    )
    path = referer.path
    if same_site and path.startswith("/") and not path.startswith("//") and "\\" not in path:
        return path
    return "/programme"


# -- progress and downloads ----------------------------------------------------------------


#: Beyond eight weeks the charts show weekly averages: a daily table of months is too long
#: to read on a phone (the doctor summary does the same).
DAILY_CHART_DAYS = 56


def _week_starts(points: Sequence[Point]) -> list[date]:
    """The Monday of each point's week (the series all share their days: worked out once)."""
    return [day - timedelta(days=day.weekday()) for day, _ in points]


def _weekly(points: Sequence[Point], starts: Sequence[date]) -> list[Point]:
    """One point per calendar week (``_week_starts``): the mean of the days recorded, if any."""
    weeks: dict[date, list[float]] = {}
    for start, (_, value) in zip(starts, points, strict=True):
        bucket = weeks.setdefault(start, [])
        if value is not None:
            bucket.append(value)
    return [(start, sum(v) / len(v) if v else None) for start, v in weeks.items()]


def _label(day: date) -> str:
    return f"{day.day} {day:%b}"


def _values(points: Sequence[Point], scale: float = 1, digits: int = 0) -> list[float | int | None]:
    out: list[float | int | None] = []
    for _, value in points:
        if value is None:
            out.append(None)
        else:
            number = round(value * scale, digits)
            out.append(int(number) if digits == 0 else number)
    return out


def _trend_words(status: DiaryStatus) -> dict[str, str]:
    """The trends in words: one sentence per chart."""
    pain, tolerance = status.trend.pain, status.trend.tolerance
    words = {"trend_pain": "", "trend_tolerance": "", "trend_adherence": ""}
    if pain.first is None or pain.latest is None or status.days_logged < 2:
        words["trend_pain"] = "After a few more check-ins you will see how your pain is changing."
    else:
        how = {
            Direction.IMPROVING: "That is better.",
            Direction.WORSENING: "That is worse.",
        }.get(pain.direction or Direction.UNCHANGED, "That is about the same.")
        words["trend_pain"] = (
            f"Your {pain.measure} went from {pain.first} to {pain.latest} out of 10 over "
            f"{status.days_logged} check-ins. {how}"
        )
    first, latest = tolerance.first, tolerance.latest
    if first is not None and latest is not None:
        start = "no limit" if first.minutes is None else f"{first.minutes:g} minutes"
        now = "pain did not stop you" if latest.minutes is None else f"{latest.minutes:g} minutes"
        words["trend_tolerance"] = (
            f"Walking before pain stopped you: {start} at first; most recently, {now}."
        )
    no_limit_days = sum(1 for _, v in status.series.walk_no_limit if v)
    if no_limit_days:
        words["trend_tolerance"] += (
            f" On {no_limit_days} day{'s' if no_limit_days != 1 else ''} pain did not stop you"
            " walking: the chart leaves those days empty."
        )
    done = [v for _, v in status.series.exercise_adherence[-7:] if v is not None]
    if done:
        percent = round(100 * sum(done) / len(done))
        words["trend_adherence"] = (
            f"In your last 7 days you did {percent}% of the exercises you checked in."
        )
    return words


#: A change in the time to the first pain that the progress page calls better or worse: more
#: than half a minute (the person taps "pain started" by hand; a few seconds mean nothing).
CLEAR_CHANGE_S = 30.0


def _walking_words(tests: Sequence[StoredWalkingTest]) -> str:
    """The walking tests in a sentence or two: the first and the latest, and which way the
    time to the first pain went (later is better; no pain at all is best)."""
    if not tests:
        return ""

    def pain_after(test: StoredWalkingTest) -> str:
        if test.time_to_first_symptom_s is None:
            return "no pain"
        return f"pain after {test.time_to_first_symptom_s / 60:.1f} minutes"

    first, latest = tests[0], tests[-1]
    if len(tests) == 1:
        return (
            f"Your walking test on {_label(latest.day)}: {pain_after(latest)}; you walked "
            f"{latest.total_time_s / 60:.1f} minutes in all."
        )

    # No pain at all counts as later than any pain could start.
    def pain_s(test: StoredWalkingTest) -> float:
        return test.time_to_first_symptom_s if test.time_to_first_symptom_s is not None else 1e9

    change = pain_s(latest) - pain_s(first)
    if change > CLEAR_CHANGE_S:
        how = "Pain came later: that is better."
    elif change < -CLEAR_CHANGE_S:
        how = "Pain came sooner: that is worse."
    else:
        how = "About the same."
    return (
        f"{len(tests)} tests. The first, on {_label(first.day)}: {pain_after(first)}. "
        f"The latest, on {_label(latest.day)}: {pain_after(latest)}. {how}"
    )


@router.get("/progress", response_class=HTMLResponse)
def progress(request: Request, web: WebApp, user: PersonUser) -> HTMLResponse:
    today = today_service(web)
    view = today.progress(user)
    series = view.status.series
    weekly = len(series.pain_now) > DAILY_CHART_DAYS
    starts = _week_starts(series.pain_now) if weekly else []

    def group(points: Sequence[Point]) -> Sequence[Point]:
        return _weekly(points, starts) if weekly else points

    pain_now = group(series.pain_now)
    labels = [f"Week of {_label(day)}" if weekly else _label(day) for day, _ in pain_now]
    charts = {
        "pain": [
            {"label": "Pain now", "values": _values(pain_now, digits=int(weekly))},
            {
                "label": "Pain when walking",
                "values": _values(group(series.pain_walking), digits=int(weekly)),
            },
        ],
        "tolerance": [
            {
                "label": "Minutes before pain stopped you",
                "values": _values(group(series.walk_tolerance_min), digits=1),
            }
        ],
        "adherence": [
            {
                "label": "Exercises done (%)",
                "values": _values(group(series.exercise_adherence), 100),
            }
        ],
    }
    level = view.status.escalation.level
    return render(
        request,
        "person/progress.html",
        {
            "title": "Your progress",
            "view": view,
            "labels": labels,
            "charts": charts,
            "weekly": weekly,
            **_trend_words(view.status),
            "level_headline": today.headline(level) if level is not None else "",
            "saved": request.query_params.get("saved") == "1",
            "warning": request.query_params.get("warning") == "1",
            "walking_words": _walking_words(view.walking_tests),
        },
        escalations=view.open_escalations,
    )


@router.get("/programme.pdf")
@slow_lane
def programme_pdf(request: Request, web: WebApp, user: PersonUser) -> Response:
    """The programme to print: exercises with their figures and doses, the walking plan."""
    pdf = today_service(web).handout_pdf(user)
    if pdf is None:
        return render(
            request,
            "person/no_plan.html",
            {"title": "Your programme", "for_report": False},
            status_code=409,
        )
    return attachment(pdf, "application/pdf", "backstride-programme.pdf")


@router.get("/diary.csv")
@slow_lane
def diary_csv(web: WebApp, user: PersonUser) -> Response:
    """The person's check-ins as CSV, one row a day (for a spreadsheet)."""
    return attachment(
        web.services.reports.diary_csv(user), "text/csv; charset=utf-8", "backstride-diary.csv"
    )


@router.get("/report.pdf")
@slow_lane
def report(request: Request, web: WebApp, user: PersonUser) -> Response:
    """The doctor summary. It needs an assessment to summarise."""
    try:
        pdf = web.services.reports.report_pdf(user)
    except ContractError:
        return render(
            request,
            "person/no_plan.html",
            {"title": "Doctor summary", "for_report": True},
            status_code=409,
        )
    return attachment(pdf, "application/pdf", "backstride-summary.pdf")
