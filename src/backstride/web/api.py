"""The JSON API, version 1. Routes parse input, call one service, and return its output.

The API is stateless: it is authenticated by bearer tokens only (``POST /api/v1/token``, then
``Authorization: Bearer <token>``). Session cookies are never read here, so a page on another
site cannot make a browser call the API as its user, and no CSRF token is needed.

Protected routes answer 401 without a valid token, 403 for another person's data (an unknown
id is also 403, so ids reveal nothing), and 422 naming each bad field, with nothing written.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, HTTPException, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials

from backstride import __version__
from backstride.domain.answers import ContractError
from backstride.domain.diary import Person, Role
from backstride.services.accounts import SignInError, TooManyAttemptsError
from backstride.services.assessments import AssessmentService
from backstride.services.records import EntryLockedError
from backstride.web.deps import (
    ApiPerson,
    ApiUser,
    WebApp,
    bearer,
    client_id,
    refused,
    slow_lane,
)
from backstride.web.schemas import (
    FORBIDDEN,
    INVALID,
    UNAUTHORISED,
    UNREADABLE,
    Acknowledged,
    CheckIn,
    DiaryEntryIn,
    DiaryEntryOut,
    Health,
    PlanOut,
    Problem,
    StatusOut,
    Token,
    TokenRequest,
)


async def no_store(response: Response) -> None:
    """API answers carry health data: never cached."""
    response.headers["cache-control"] = "no-store"


router = APIRouter(prefix="/api/v1", dependencies=[Depends(no_store)])

Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
STORED_HEADER = "X-Stored-Assessment-Id"
NO_STORE = {"cache-control": "no-store"}


async def assessments(web: WebApp) -> AssessmentService:
    """The assessment service the app was built with."""
    return web.services.assessments


Assessments = Annotated[AssessmentService, Depends(assessments)]


def contract_error(error: ContractError, rename: dict[str, str] | None = None) -> HTTPException:
    """422 with one entry per bad field, shaped like FastAPI's own validation errors
    (``rename`` maps a service's field names to the body's)."""
    names = rename or {}
    detail = [
        {"loc": ["body", names.get(e.field, e.field)], "msg": e.message, "type": "contract"}
        for e in error.errors
    ]
    return HTTPException(status_code=422, detail=detail)


def unauthorised(detail: str) -> HTTPException:
    return HTTPException(status_code=401, detail=detail, headers={"WWW-Authenticate": "Bearer"})


FORBIDDEN_DETAIL = "that is not yours to see"


# -- service ----------------------------------------------------------------------------------


@router.get("/health", tags=["service"])
def health(service: Assessments) -> Health:
    """The app is up, and which code and clinical content answer."""
    return Health(status="ok", version=__version__, content_version=service.content.version)


# -- tokens -----------------------------------------------------------------------------------


@router.post(
    "/token",
    tags=["tokens"],
    responses={
        401: {"model": Problem, "description": "the name and password do not match an account"},
        429: {
            "model": Problem,
            "description": "too many failed sign-ins: wait the seconds in Retry-After",
        },
        **INVALID,
        **UNREADABLE,
    },
)
@slow_lane
def token(web: WebApp, request: Request, body: TokenRequest) -> Token:
    """A bearer token for the API (it lasts ``expires_in`` seconds). Wrong names and wrong
    passwords get the same answer; repeated failures are refused for a while (429)."""
    accounts = web.services.accounts
    try:
        person = accounts.sign_in(body.username, body.password, client_id(request))
    except TooManyAttemptsError as exc:
        raise HTTPException(
            status_code=429,
            detail="too many failed sign-ins: wait and try again",
            headers={"Retry-After": str(exc.retry_after_s)},
        ) from None
    except SignInError:
        raise unauthorised(SignInError.message) from None
    return Token(
        access_token=accounts.open_session(person, "api"),
        expires_in=int(accounts.policy.api_token.total_seconds()),
    )


@router.delete("/token", tags=["tokens"], status_code=204, responses={**UNAUTHORISED})
def revoke_token(web: WebApp, _: ApiUser, credentials: Credentials) -> Response:
    """Revoke the token this request carries (sign out of the API)."""
    if credentials is not None:  # always true once ApiUser has accepted the request
        web.services.accounts.close_session(credentials.credentials)
    return Response(status_code=204, headers=NO_STORE)


# -- assessments ------------------------------------------------------------------------------


@router.post(
    "/assessments",
    tags=["assessment"],
    responses={
        200: {
            "description": "the assessment contract result; when a person's token was sent, "
            f"the assessment and a fresh plan are stored and {STORED_HEADER} gives its id",
            "headers": {
                STORED_HEADER: {
                    "description": "id of the stored assessment (only with a person's token)",
                    "schema": {"type": "integer"},
                }
            },
        },
        401: {"model": Problem, "description": "a token was sent but it is not valid"},
        **INVALID,
        **UNREADABLE,
    },
)
def assess(
    web: WebApp,
    service: Assessments,
    response: Response,
    credentials: Credentials,
    answers: Annotated[
        Any,
        Body(
            description="One answers object of assessment contract v1 (docs/reference/contract.md)",
            examples=[{"age": 45, "saddle_numbness": False, "pain_now": 4}],
        ),
    ],
) -> Any:
    """Assess answers and return the contract result. No account is needed: without a token
    nothing is stored. With a person's token the assessment and a fresh plan are kept (the
    body is the same either way); a clinician's or admin's token stores nothing."""
    person: Person | None = None
    if credentials is not None:
        person = web.services.accounts.session_person(credentials.credentials, "api")
        if person is None:
            raise unauthorised("that token is not valid: get a new one from POST /api/v1/token")
    try:
        result = service.assess(answers).to_contract()
    except ContractError as exc:
        raise contract_error(exc) from None
    if person is not None and person.role is Role.PERSON:
        stored = web.services.keep_assessment(person, answers)
        response.headers[STORED_HEADER] = str(stored)
    return result


# -- the person's own diary -------------------------------------------------------------------


@router.get("/diary", tags=["diary"], responses={**UNAUTHORISED, **FORBIDDEN, **INVALID})
def diary(
    web: WebApp,
    person: ApiPerson,
    since: Annotated[date | None, Query(description="only check-ins on or after this day")] = None,
) -> list[DiaryEntryOut]:
    """Your check-ins, oldest first."""
    return [DiaryEntryOut.of(e) for e in web.services.records.entries(person, since=since)]


@router.post(
    "/diary",
    tags=["diary"],
    status_code=201,
    responses={
        **UNAUTHORISED,
        **FORBIDDEN,
        409: {
            "model": Problem,
            "description": "that day's check-in exists and can be changed only on that day",
        },
        **INVALID,
        **UNREADABLE,
    },
)
def check_in(web: WebApp, person: ApiPerson, body: DiaryEntryIn) -> CheckIn:
    """Store one day's check-in (today's can be replaced today) and return it with the
    diary's status after it. A warning sign is assessed at once: read ``status.escalation``."""
    records = web.services.records
    try:
        entry = records.add_entry(person, body.model_dump())
    except EntryLockedError as exc:
        raise HTTPException(status_code=409, detail=exc.errors[0].message) from None
    except ContractError as exc:
        raise contract_error(exc, {"date": "day"}) from None
    status, stored = records.status(person)
    return CheckIn(
        entry=DiaryEntryOut.of(entry),
        status=StatusOut.of(status, new_escalation=stored is not None),
    )


@router.get("/status", tags=["diary"], responses={**UNAUTHORISED, **FORBIDDEN})
def status(web: WebApp, person: ApiPerson) -> StatusOut:
    """Your diary's status for the current episode: whether to see a doctor, and why, and how
    pain and walking are going. A new escalation is recorded as shown to you."""
    current, stored = web.services.records.status(person)
    return StatusOut.of(current, new_escalation=stored is not None)


@router.post("/status/acknowledge", tags=["diary"], responses={**UNAUTHORISED, **FORBIDDEN})
def acknowledge(web: WebApp, person: ApiPerson) -> Acknowledged:
    """You have read the open escalations (they stop being shown at the top of pages)."""
    return Acknowledged(acknowledged=web.services.records.acknowledge(person))


@router.get(
    "/plans/current",
    tags=["plans"],
    responses={
        **UNAUTHORISED,
        **FORBIDDEN,
        404: {"model": Problem, "description": "no plan yet: store an assessment first"},
    },
)
def current_plan(web: WebApp, person: ApiPerson) -> PlanOut:
    """Your current exercise and walking plan (built from your latest stored assessment)."""
    plan = web.services.records.history(person)[3]
    if plan is None:
        raise HTTPException(status_code=404, detail="no plan yet: store an assessment first")
    return PlanOut.of(plan)


# -- exports ----------------------------------------------------------------------------------


@router.get(
    "/exports/fhir",
    tags=["exports"],
    response_class=JSONResponse,
    responses={
        200: {"content": {"application/fhir+json": {}}, "description": "a FHIR R4 Bundle"},
        **UNAUTHORISED,
        **FORBIDDEN,
    },
)
@slow_lane
def export_fhir(web: WebApp, person: ApiPerson) -> JSONResponse:
    """Everything stored about you as a FHIR R4 Bundle."""
    bundle = web.services.reports.fhir_bundle(person)
    return JSONResponse(bundle, media_type="application/fhir+json", headers=NO_STORE)


@router.get(
    "/exports/csv",
    tags=["exports"],
    response_class=Response,
    responses={
        200: {"content": {"text/csv": {}}, "description": "your check-ins, one row a day"},
        **UNAUTHORISED,
        **FORBIDDEN,
    },
)
@slow_lane
def export_csv(web: WebApp, person: ApiPerson) -> Response:
    """Your diary as CSV (one row a day)."""
    return Response(
        web.services.reports.diary_csv(person),
        media_type="text/csv; charset=utf-8",
        headers={**NO_STORE, "content-disposition": 'attachment; filename="diary.csv"'},
    )


@router.get(
    "/exports/report.pdf",
    tags=["exports"],
    response_class=Response,
    responses={
        200: {"content": {"application/pdf": {}}, "description": "the doctor summary"},
        **UNAUTHORISED,
        **FORBIDDEN,
        404: {"model": Problem, "description": "no stored assessment yet"},
    },
)
@slow_lane
def export_report(web: WebApp, person: ApiPerson) -> Response:
    """The summary to take to a doctor (PDF). Needs a stored assessment."""
    try:
        pdf = web.services.reports.report_pdf(person)
    except ContractError:
        raise HTTPException(
            status_code=404, detail="no report yet: store an assessment first"
        ) from None
    return Response(
        pdf,
        media_type="application/pdf",
        headers={**NO_STORE, "content-disposition": 'attachment; filename="backstride.pdf"'},
    )


# -- a clinician's view of linked people ------------------------------------------------------

PersonId = Annotated[int, Path(description="the person's id", ge=1)]


def subject(request: Request, web: WebApp, viewer: ApiUser, person_id: PersonId) -> Person:
    """The person ``person_id`` when ``viewer`` may see their records (themselves, or a
    clinician linked to them); otherwise 403, also for unknown ids. Clinicians' reads are
    written to the person's audit trail."""
    if viewer.role is Role.PERSON and viewer.id == person_id:
        return viewer
    if viewer.role is Role.CLINICIAN and web.services.records.is_linked(viewer.id, person_id):
        person = web.services.accounts.person(person_id)
        if person is not None:
            return person
    raise refused(
        request, "access_denied", status_code=403, detail=FORBIDDEN_DETAIL, account=viewer
    )


Subject = Annotated[Person, Depends(subject)]


#: How a clinician's API reads are named in the person's audit trail.
API_READS = {
    "diary": "Read your diary (through the API)",
    "status": "Read your diary's status (through the API)",
}


def audited(web: WebApp, viewer: ApiUser, person: Subject, request: Request) -> Person:
    if viewer.id != person.id:
        what = request.url.path.rsplit("/", 1)[-1]
        detail = {"summary": API_READS[what]} if what in API_READS else {}
        web.services.accounts.audit(person.id, viewer, f"api:read {what}", detail)
    return person


Audited = Annotated[Person, Depends(audited)]


@router.get(
    "/people/{person_id}/diary",
    tags=["clinician"],
    responses={**UNAUTHORISED, **FORBIDDEN, **INVALID},
)
def person_diary(
    web: WebApp,
    person: Audited,
    since: Annotated[date | None, Query(description="only check-ins on or after this day")] = None,
) -> list[DiaryEntryOut]:
    """A linked person's check-ins, oldest first (clinicians linked to them, or the person)."""
    return [DiaryEntryOut.of(e) for e in web.services.records.entries(person, since=since)]


@router.get(
    "/people/{person_id}/status",
    tags=["clinician"],
    responses={**UNAUTHORISED, **FORBIDDEN, **INVALID},
)
def person_status(web: WebApp, person: Audited) -> StatusOut:
    """A linked person's diary status. Reading it stores nothing: an escalation is recorded
    as shown only when the person sees it."""
    return StatusOut.of(web.services.records.peek_status(person), new_escalation=False)


def _person_export(web: WebApp, viewer: Person, person: Person, what: str) -> bytes:
    """The person's own export, or a linked clinician's download (``Clinic.download``:
    recorded in the person's audit trail). 404 for a summary without an assessment."""
    try:
        if viewer.id != person.id:
            return web.services.clinic.download(viewer, person.id, what)
        return web.services.reports.export(person, what)
    except ContractError:
        raise HTTPException(status_code=404, detail="no report yet: no stored assessment") from None


@router.get(
    "/people/{person_id}/exports/fhir",
    tags=["clinician"],
    response_class=Response,
    responses={
        200: {"content": {"application/fhir+json": {}}, "description": "a FHIR R4 Bundle"},
        **UNAUTHORISED,
        **FORBIDDEN,
        **INVALID,
    },
)
@slow_lane
def person_export_fhir(web: WebApp, viewer: ApiUser, person: Subject) -> Response:
    """A linked person's records as a FHIR R4 Bundle (clinicians linked to them, or the
    person). A clinician's download is listed in the person's audit trail."""
    data = _person_export(web, viewer, person, "fhir")
    return Response(data, media_type="application/fhir+json", headers=NO_STORE)


@router.get(
    "/people/{person_id}/exports/csv",
    tags=["clinician"],
    response_class=Response,
    responses={
        200: {"content": {"text/csv": {}}, "description": "their check-ins, one row a day"},
        **UNAUTHORISED,
        **FORBIDDEN,
        **INVALID,
    },
)
@slow_lane
def person_export_csv(web: WebApp, viewer: ApiUser, person: Subject) -> Response:
    """A linked person's diary as CSV (one row a day); listed in their audit trail."""
    data = _person_export(web, viewer, person, "csv")
    return Response(
        data,
        media_type="text/csv; charset=utf-8",
        headers={**NO_STORE, "content-disposition": 'attachment; filename="diary.csv"'},
    )


@router.get(
    "/people/{person_id}/exports/report.pdf",
    tags=["clinician"],
    response_class=Response,
    responses={
        200: {"content": {"application/pdf": {}}, "description": "the doctor summary"},
        **UNAUTHORISED,
        **FORBIDDEN,
        **INVALID,
        404: {"model": Problem, "description": "no stored assessment yet"},
    },
)
@slow_lane
def person_export_report(web: WebApp, viewer: ApiUser, person: Subject) -> Response:
    """A linked person's doctor summary (PDF); listed in their audit trail."""
    data = _person_export(web, viewer, person, "report")
    return Response(
        data,
        media_type="application/pdf",
        headers={**NO_STORE, "content-disposition": 'attachment; filename="backstride.pdf"'},
    )
