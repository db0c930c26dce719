"""The walking tolerance test: a page that records the phone's motion sensors through the
browser while the person walks, with "pain started" and "stop" buttons, then uploads the
samples, and the results over the weeks.

The browser needs a secure context for motion sensors: localhost, or HTTPS
(``backstride serve --ssl-certfile ... --ssl-keyfile ...`` or a TLS proxy).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from backstride.domain.answers import ContractError
from backstride.domain.walking import StoredWalkingTest
from backstride.services.walking_tests import TooManyTestsError, WalkingTests
from backstride.web.deps import CsrfHeaderChecked, PersonUser, WebApp, render, slow_lane

router = APIRouter(include_in_schema=False)

#: 15 minutes at 120 Hz of seven numbers as JSON text is about 9 MB.
MAX_UPLOAD_BYTES = 12 * 1024 * 1024

STOP_WORDS = {
    "pain": "Pain made me stop",
    "time_limit": "Reached 15 minutes",
    "other_symptom": "Another symptom (for example breathless or dizzy)",
    "other": "Another reason",
}


#: The analysis's notes on a recording, in a person's words (its own messages are for the
#: command line and the clinician's export). A note without words here is shown as it is.
QUALITY_WORDS = {
    "too_short": "The recording is very short, so these figures may not mean much.",
    "no_walking": "No walking was found in the recording.",
    "low_sampling_rate": "Your phone measured movement slowly, so some steps may be missed.",
    "sampling_gaps": "The phone's readings stopped for moments; steps then are not counted.",
    "no_gravity": "Your phone did not say which way is down, so these figures are less sure.",
    "phone_moved": "The phone seems to have shifted on your belt during the walk, so these "
    "figures may be less accurate. Clip it firmly next time.",
    "height_unknown": "You did not give your height, so distance and speed are not estimated.",
}


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60, 1)


def tests_chart(tests: Sequence[StoredWalkingTest]) -> tuple[list[str], list[dict[str, Any]]]:
    """The walking tests over the weeks (oldest first): labels and the two series (minutes
    to the first pain, minutes walked in all), for the person's page and the clinician's."""
    labels = [t.day.strftime("%d %b") for t in tests]
    series: list[dict[str, Any]] = [
        {
            "label": "Minutes to first pain",
            "values": [_minutes(t.time_to_first_symptom_s) for t in tests],
        },
        {"label": "Minutes walked in all", "values": [_minutes(t.total_time_s) for t in tests]},
    ]
    return labels, series


@router.get("/walk-test", response_class=HTMLResponse)
def walk_test(request: Request, web: WebApp, user: PersonUser) -> HTMLResponse:
    tests = WalkingTests(web.services.records).tests(user)
    labels, series = tests_chart(tests)
    last_height = next(
        (t.detail.get("height_m") for t in reversed(tests) if t.detail.get("height_m")), None
    )
    return render(
        request,
        "walk_test/index.html",
        {
            "title": "Walking test",
            "tests": list(reversed(tests)),
            "labels": labels,
            "series": series,
            "stop_words": STOP_WORDS,
            "height_cm": None if last_height is None else round(last_height * 100),
        },
    )


@router.get("/walk-test/{test_id}", response_class=HTMLResponse)
def walk_test_result(request: Request, web: WebApp, user: PersonUser, test_id: int) -> HTMLResponse:
    test = WalkingTests(web.services.records).test(user, test_id)
    if test is None:
        raise HTTPException(status_code=404, detail="There is no walking test with that number.")
    return render(
        request,
        "walk_test/result.html",
        {
            "title": "Walking test result",
            "test": test,
            "stop_words": STOP_WORDS,
            "quality_words": QUALITY_WORDS,
        },
    )


async def upload_body(request: Request) -> bytes:
    """The request body, refused with 413 beyond ``MAX_UPLOAD_BYTES`` (declared or sent)."""
    declared = request.headers.get("content-length")
    too_large = HTTPException(status_code=413, detail="the recording is too large")
    if declared is not None and declared.isdigit() and int(declared) > MAX_UPLOAD_BYTES:
        raise too_large
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > MAX_UPLOAD_BYTES:
            raise too_large
    return bytes(body)


@router.post("/walk-test", dependencies=[CsrfHeaderChecked])
@slow_lane
def upload(web: WebApp, user: PersonUser, body: Annotated[bytes, Depends(upload_body)]) -> Response:
    """The recording page's upload (JSON). 201 with the new result's address; 413 when too
    large; 422 naming the field or what is wrong with the recording; 429 once the day's
    tests are used up (``MAX_TESTS_PER_DAY``); nothing is stored then.
    A plain function: the analysis runs in FastAPI's thread pool, off the event loop."""
    try:
        raw = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return JSONResponse(
            {"detail": [{"loc": ["body"], "msg": "not valid JSON", "type": "json"}]},
            status_code=422,
        )
    try:
        stored = WalkingTests(web.services.records).record(user, raw)
    except TooManyTestsError as exc:
        return JSONResponse({"detail": str(exc)}, status_code=429)
    except ContractError as exc:
        detail = [
            {"loc": ["body", e.field], "msg": e.message, "type": "contract"} for e in exc.errors
        ]
        return JSONResponse({"detail": detail}, status_code=422)
    return JSONResponse(
        {"id": stored.id, "url": f"/walk-test/{stored.id}"},
        status_code=201,
        headers={"location": f"/walk-test/{stored.id}", "cache-control": "no-store"},
    )
