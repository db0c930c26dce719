"""A clinician's pages: the people linked to them, ordered by need, and their records.

Someone not linked to the signed-in clinician (or nobody at all) is "no page here" (404): a
clinician cannot learn who else uses Backstride.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from backstride.diary import Series
from backstride.domain.answers import ContractError
from backstride.services.clinic import (
    CHANGE_LABELS,
    DOSE_FIELDS,
    DOSE_LABELS,
    NotLinkedError,
    dose_bounds,
)
from backstride.web.deps import (
    ClinicianUser,
    CsrfChecked,
    WebApp,
    attachment,
    refused,
    render,
    slow_lane,
)
from backstride.web.pages.walk_test import STOP_WORDS, tests_chart

router = APIRouter(include_in_schema=False)

#: How each level is named in a badge (the colour only repeats it).
LEVEL_WORDS = {
    "emergency": "Emergency",
    "urgent": "Urgent: today",
    "soon": "See soon",
    "self_care": "Self-care",
}
NOT_FOUND = "There is no page here, or this person is not linked to you."


@router.get("/clinician", response_class=HTMLResponse)
def caseload(request: Request, web: WebApp, user: ClinicianUser, removed: str = "") -> HTMLResponse:
    rows = web.services.clinic.caseload(user)
    notice = "Removed from your list: you can no longer see their records." if removed else None
    return render(
        request,
        "clinician/caseload.html",
        {"title": "My patients", "rows": rows, "level_words": LEVEL_WORDS, "notice": notice},
    )


def _person_page(
    request: Request,
    web: WebApp,
    user: ClinicianUser,
    person_id: int,
    *,
    errors: dict[str, str] | None = None,
    failed: dict[str, str] | None = None,
    notice: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    try:
        view = web.services.clinic.person_view(user, person_id)
    except NotLinkedError:
        raise refused(request, "access_denied", status_code=404, detail=NOT_FOUND) from None
    exercises = view.plan.plan["exercises"] if view.plan is not None else []
    context: dict[str, Any] = {
        "title": view.person.name,
        "view": view,
        "exercises": exercises,
        "charts": _charts(view.status.series),
        "walk_chart": tests_chart(view.walking_tests),
        "stop_words": STOP_WORDS,
        "recent": list(reversed(view.entries[-14:])),
        "today": web.services.records.today(),
        "errors": errors or {},
        "failed": failed or {},
        "notice": notice,
        "level_words": LEVEL_WORDS,
        "dose_fields": DOSE_FIELDS,
        "dose_labels": DOSE_LABELS,
        "change_labels": CHANGE_LABELS,
        "dose_bounds": {f: dose_bounds(f) for f in DOSE_FIELDS},
        "pattern_labels": {p.id: p.label for p in web.services.assessments.content.patterns},
    }
    return render(request, "clinician/person.html", context, status_code=status_code)


@router.get("/clinician/people/{person_id}", response_class=HTMLResponse)
def person(
    request: Request, web: WebApp, user: ClinicianUser, person_id: int, changed: str = ""
) -> HTMLResponse:
    notice = "The programme is changed. The change is in the history below." if changed else None
    return _person_page(request, web, user, person_id, notice=notice)


def _download(
    request: Request, web: WebApp, user: ClinicianUser, person_id: int, what: str
) -> Response:
    """A linked person's records as a file (``Clinic.download``: recorded in their trail)."""
    media_type, name = DOWNLOAD_FILES[what]
    try:
        data = web.services.clinic.download(user, person_id, what)
    except NotLinkedError:
        raise refused(request, "access_denied", status_code=404, detail=NOT_FOUND) from None
    except ContractError:
        raise HTTPException(
            status_code=409,
            detail="There is no doctor summary yet: this person has not stored an assessment.",
        ) from None
    return attachment(data, media_type, name.format(id=person_id))


#: The files a clinician may download about a linked person: media type and file name.
DOWNLOAD_FILES = {
    "report": ("application/pdf", "backstride-summary-{id}.pdf"),
    "fhir": ("application/fhir+json", "backstride-records-{id}.json"),
    "csv": ("text/csv; charset=utf-8", "backstride-diary-{id}.csv"),
}


@router.get("/clinician/people/{person_id}/report.pdf")
@slow_lane
def person_report(request: Request, web: WebApp, user: ClinicianUser, person_id: int) -> Response:
    """The person's doctor summary (409 without an assessment to summarise)."""
    return _download(request, web, user, person_id, "report")


@router.get("/clinician/people/{person_id}/records.json")
@slow_lane
def person_records(request: Request, web: WebApp, user: ClinicianUser, person_id: int) -> Response:
    """Everything stored about the person, as a FHIR bundle."""
    return _download(request, web, user, person_id, "fhir")


@router.get("/clinician/people/{person_id}/diary.csv")
@slow_lane
def person_diary(request: Request, web: WebApp, user: ClinicianUser, person_id: int) -> Response:
    """The person's check-ins, one row a day."""
    return _download(request, web, user, person_id, "csv")


@router.post("/clinician/people/{person_id}/remove", dependencies=[CsrfChecked])
def remove(request: Request, web: WebApp, user: ClinicianUser, person_id: int) -> Response:
    """Take a linked person off one's list: one's access to their records ends."""
    if web.services.accounts.remove_from_list(user, person_id) is None:
        raise refused(request, "access_denied", status_code=404, detail=NOT_FOUND)
    return RedirectResponse("/clinician?removed=1", status_code=303)


@router.post(
    "/clinician/people/{person_id}/plan", response_class=HTMLResponse, dependencies=[CsrfChecked]
)
def change_plan(
    request: Request,
    web: WebApp,
    user: ClinicianUser,
    person_id: int,
    action: Annotated[str, Form(max_length=20)],
    exercise_id: Annotated[str, Form(max_length=60)] = "",
    sets: Annotated[str, Form(max_length=10)] = "",
    reps: Annotated[str, Form(max_length=10)] = "",
    hold_s: Annotated[str, Form(max_length=10)] = "",
    times_per_day: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    change = {
        "action": action,
        "exercise_id": exercise_id,
        "sets": sets,
        "reps": reps,
        "hold_s": hold_s,
        "times_per_day": times_per_day,
    }
    try:
        web.services.clinic.adjust_plan(user, person_id, change)
    except NotLinkedError:
        raise refused(request, "access_denied", status_code=404, detail=NOT_FOUND) from None
    except ContractError as exc:
        errors = {e.field: e.message for e in exc.errors}
        return _person_page(
            request, web, user, person_id, errors=errors, failed=change, status_code=422
        )
    return RedirectResponse(f"/clinician/people/{person_id}?changed=1#programme", status_code=303)


def _charts(series: Series) -> dict[str, Any]:
    """Chart-ready labels and values (the ``line_chart`` macro's arguments)."""
    labels = [day.isoformat() for day, _ in series.pain_now]

    def values(points: tuple[tuple[Any, float | None], ...], scale: float = 1) -> list[Any]:
        return [None if v is None else round(v * scale, 1) for _, v in points]

    return {
        "labels": labels,
        "pain": [
            {"label": "Pain now", "values": values(series.pain_now)},
            {"label": "Pain while walking", "values": values(series.pain_walking)},
        ],
        "tolerance": [
            {
                "label": "Walking before pain stops (min)",
                "values": values(series.walk_tolerance_min),
            }
        ],
        "adherence": [
            {"label": "Exercises done (%)", "values": values(series.exercise_adherence, 100)}
        ],
    }
