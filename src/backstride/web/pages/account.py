"""Everyone's account page: where you are signed in, linking to a clinician, invitation codes,
the record of who saw or changed your data, exporting everything, and deleting the account."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from backstride.domain.answers import ContractError
from backstride.domain.diary import Role
from backstride.services.accounts import SignInError, TooManyAttemptsError
from backstride.web.deps import (
    ClinicianUser,
    CsrfChecked,
    CurrentViewer,
    PersonUser,
    SignedIn,
    WebApp,
    attachment,
    client_id,
    delete_cookie,
    get_viewer,
    render,
    slow_lane,
)
from backstride.web.pages.auth import start_session
from backstride.web.security import SESSION_COOKIE

router = APIRouter(include_in_schema=False)


def _account_page(
    request: Request,
    web: WebApp,
    user: SignedIn,
    *,
    errors: dict[str, str] | None = None,
    notice: str | None = None,
    code: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    viewer = get_viewer(request, web)
    context: dict[str, object] = {
        "title": "Your account",
        "errors": errors or {},
        "notice": notice,
        "code": code,
        "sessions": web.services.accounts.sessions(user, viewer.session_token),
    }
    if user.role is Role.PERSON:
        context["clinicians"] = web.services.records.clinicians_of(user)
        context["audit"] = web.services.accounts.audit_lines(user.id)
    elif user.role is Role.CLINICIAN:
        context["patients"] = web.services.records.linked_people(user.name)
    return render(request, "account.html", context, status_code=status_code)


PASSWORD_CHANGED = "Your password is changed. Everywhere else you were signed in is now signed out."  # noqa: S105 (a message)


@router.get("/account", response_class=HTMLResponse)
def account(request: Request, web: WebApp, user: SignedIn) -> HTMLResponse:
    changed = request.query_params.get("password") == "changed"
    return _account_page(request, web, user, notice=PASSWORD_CHANGED if changed else None)


@router.post("/account/sessions/end", response_class=HTMLResponse, dependencies=[CsrfChecked])
def end_session(
    request: Request, web: WebApp, user: SignedIn, handle: Annotated[str, Form(max_length=40)]
) -> HTMLResponse:
    """Sign out one other browser or API token of one's own."""
    ended = web.services.accounts.end_session(user, handle)
    notice = "Signed out there." if ended else "That was already signed out."
    return _account_page(request, web, user, notice=notice)


@router.post(
    "/account/sessions/end-others", response_class=HTMLResponse, dependencies=[CsrfChecked]
)
def end_other_sessions(request: Request, web: WebApp, user: SignedIn) -> HTMLResponse:
    """Sign out everywhere but this browser."""
    token = get_viewer(request, web).session_token
    ended = web.services.accounts.end_other_sessions(user, token) if token else 0
    if ended:
        notice = f"Signed out everywhere else ({ended} {'place' if ended == 1 else 'places'})."
    else:
        notice = "You were not signed in anywhere else."
    return _account_page(request, web, user, notice=notice)


@router.post("/account/link", response_class=HTMLResponse, dependencies=[CsrfChecked])
def link(
    request: Request, web: WebApp, user: PersonUser, code: Annotated[str, Form(max_length=40)]
) -> HTMLResponse:
    try:
        clinician = web.services.accounts.accept_invitation(user, code)
    except ContractError as exc:
        errors = {e.field: e.message for e in exc.errors}
        return _account_page(request, web, user, errors=errors, status_code=422)
    notice = f"You are now linked to {clinician.name}, who can see your diary and programme."
    return _account_page(request, web, user, notice=notice)


@router.post("/account/unlink", response_class=HTMLResponse, dependencies=[CsrfChecked])
def unlink(
    request: Request, web: WebApp, user: PersonUser, clinician_id: Annotated[int, Form(ge=1)]
) -> HTMLResponse:
    """Stop sharing one's records with a clinician."""
    clinician = web.services.accounts.stop_sharing(user, clinician_id)
    if clinician is None:
        notice = "That clinician could already not see your records."
    else:
        notice = (
            f"{clinician.name} can no longer see your records. To share them again, ask "
            "for a new invitation code."
        )
    return _account_page(request, web, user, notice=notice)


@router.post("/account/invite", response_class=HTMLResponse, dependencies=[CsrfChecked])
def invite(request: Request, web: WebApp, user: ClinicianUser) -> HTMLResponse:
    code = web.services.accounts.invite(user)
    return _account_page(request, web, user, code=code)


@router.post("/account/password", response_class=HTMLResponse, dependencies=[CsrfChecked])
@slow_lane
def change_password(
    request: Request,
    web: WebApp,
    viewer: CurrentViewer,
    user: SignedIn,
    current_password: Annotated[str, Form(max_length=200)],
    new_password: Annotated[str, Form(max_length=200)],
) -> Response:
    """Change one's own password: every other browser and API token is signed out."""
    try:
        web.services.accounts.change_password(
            user, current_password, new_password, client_id(request)
        )
    except (SignInError, TooManyAttemptsError):
        errors = {"current_password": "That is not your current password. Nothing changed."}
        return _account_page(request, web, user, errors=errors, status_code=422)
    except ContractError as exc:
        errors = {e.field: f"New password {e.message}." for e in exc.errors}
        return _account_page(request, web, user, errors=errors, status_code=422)
    # Post, then redirect: a reload does not send the form again, and the page lists the new
    # session of this browser, opened here.
    response = RedirectResponse("/account?password=changed", status_code=303)
    start_session(web, user, response, None)
    return response


@router.get("/account/export.json")
@slow_lane
def export(web: WebApp, user: PersonUser) -> Response:
    """Everything stored about the person: a FHIR R4B bundle (diary, assessments, plan)."""
    data = web.services.reports.export(user, "fhir")
    return attachment(data, "application/fhir+json", "backstride-my-data.json")


@router.post("/account/delete", response_class=HTMLResponse, dependencies=[CsrfChecked])
@slow_lane
def delete(
    request: Request,
    web: WebApp,
    user: SignedIn,
    password: Annotated[str, Form(max_length=200)],
) -> Response:
    """Delete the account and everything stored about it; the password confirms it."""
    try:
        web.services.accounts.sign_in(user.name, password, client_id(request))
    except (SignInError, TooManyAttemptsError):
        errors = {"delete_password": "That password is not right. Nothing was deleted."}
        return _account_page(request, web, user, errors=errors, status_code=422)
    web.services.accounts.delete_account(user)
    response = RedirectResponse("/?deleted=1", status_code=303)
    delete_cookie(response, web, SESSION_COOKIE)
    return response
