"""Signing up, in and out, and resetting a password with a code from an admin."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from backstride.domain.answers import ContractError
from backstride.domain.diary import Person, Role
from backstride.services.accounts import MIN_PASSWORD_CHARS, SignInError, TooManyAttemptsError
from backstride.web.deps import (
    CsrfChecked,
    CurrentViewer,
    Web,
    WebApp,
    client_id,
    delete_cookie,
    render,
    set_cookie,
    slow_lane,
)
from backstride.web.pages.assess import keep_draft_assessment
from backstride.web.security import DRAFT_COOKIE, SESSION_COOKIE

router = APIRouter(include_in_schema=False)


def safe_next(value: str | None, default: str) -> str:
    """Only a path on this site (no scheme, no host, no '//'): no open redirects."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return default


def home_for(person: Person) -> str:
    return {Role.PERSON: "/programme", Role.CLINICIAN: "/clinician"}.get(person.role, "/account")


def start_session(web: Web, person: Person, response: Response, old_token: str | None) -> None:
    """A new session on every sign-in (the old token, if any, ends): no session fixation."""
    if old_token:
        web.services.accounts.close_session(old_token)
    token = web.services.accounts.open_session(person, "web")
    max_age = int(web.services.accounts.policy.web_session.total_seconds())
    set_cookie(response, web, SESSION_COOKIE, token, max_age=max_age)


def signed_in_now(
    request: Request, web: Web, person: Person, response: Response, old_token: str | None
) -> Response:
    """After sign-up or sign-in: a new session, and a finished anonymous assessment kept."""
    start_session(web, person, response, old_token)
    if keep_draft_assessment(request, web, person):
        delete_cookie(response, web, DRAFT_COOKIE)
    return response


@router.get("/signup", response_class=HTMLResponse)
def signup_form(request: Request, viewer: CurrentViewer) -> Response:
    if viewer.person is not None:
        return RedirectResponse(home_for(viewer.person), status_code=303)
    return render(
        request,
        "auth/signup.html",
        {"title": "Create an account", "min_password": MIN_PASSWORD_CHARS, "errors": {}},
    )


@router.post("/signup", response_class=HTMLResponse, dependencies=[CsrfChecked])
@slow_lane
def signup(
    request: Request,
    web: WebApp,
    viewer: CurrentViewer,
    username: Annotated[str, Form(max_length=100)],
    password: Annotated[str, Form(max_length=200)],
    password_again: Annotated[str, Form(max_length=200)],
) -> Response:
    errors: dict[str, str] = {}
    if password != password_again:
        errors["password_again"] = "The two passwords are not the same."  # noqa: S105 (a message)
    person = None
    status_code, retry_after = 422, None
    if not errors:
        try:
            person = web.services.accounts.sign_up(username, password, client=client_id(request))
        except ContractError as exc:
            errors = {e.field: e.message for e in exc.errors}
        except TooManyAttemptsError as exc:
            errors = {
                "username": "Too many accounts were tried from here. Please wait 15 minutes "
                "and try again."
            }
            status_code, retry_after = 429, exc.retry_after_s
    if person is None:
        response = render(
            request,
            "auth/signup.html",
            {
                "title": "Create an account",
                "min_password": MIN_PASSWORD_CHARS,
                "errors": errors,
                "username": username,
            },
            status_code=status_code,
        )
        if retry_after is not None:
            response.headers["retry-after"] = str(retry_after)
        return response
    redirect = RedirectResponse("/programme", status_code=303)
    return signed_in_now(request, web, person, redirect, viewer.session_token)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, viewer: CurrentViewer, next: str | None = None) -> Response:  # noqa: A002
    if viewer.person is not None:
        return RedirectResponse(safe_next(next, home_for(viewer.person)), status_code=303)
    return render(
        request, "auth/login.html", {"title": "Sign in", "next": safe_next(next, ""), "error": None}
    )


@router.post("/login", response_class=HTMLResponse, dependencies=[CsrfChecked])
@slow_lane
def login(
    request: Request,
    web: WebApp,
    viewer: CurrentViewer,
    username: Annotated[str, Form(max_length=100)],
    password: Annotated[str, Form(max_length=200)],
    next: Annotated[str, Form(max_length=500)] = "",  # noqa: A002
) -> Response:
    try:
        person = web.services.accounts.sign_in(username, password, client_id(request))
    except SignInError as exc:
        return render(
            request,
            "auth/login.html",
            {
                "title": "Sign in",
                "next": safe_next(next, ""),
                "error": str(exc),
                "username": username,
            },
            status_code=401,
        )
    except TooManyAttemptsError as exc:
        response = render(
            request,
            "auth/login.html",
            {
                "title": "Sign in",
                "next": safe_next(next, ""),
                "error": "Too many attempts. Please wait 15 minutes and try again, or ask for "
                "a reset code.",
                "username": username,
            },
            status_code=429,
        )
        response.headers["retry-after"] = str(exc.retry_after_s)
        return response
    redirect = RedirectResponse(safe_next(next, home_for(person)), status_code=303)
    return signed_in_now(request, web, person, redirect, viewer.session_token)


@router.post("/logout", dependencies=[CsrfChecked])
def logout(web: WebApp, viewer: CurrentViewer) -> Response:
    if viewer.session_token:
        web.services.accounts.close_session(viewer.session_token)
    response = RedirectResponse("/", status_code=303)
    delete_cookie(response, web, SESSION_COOKIE)
    return response


@router.get("/reset", response_class=HTMLResponse)
def reset_form(request: Request) -> HTMLResponse:
    return render(
        request,
        "auth/reset.html",
        {"title": "Set a new password", "min_password": MIN_PASSWORD_CHARS, "errors": {}},
    )


@router.post("/reset", response_class=HTMLResponse, dependencies=[CsrfChecked])
@slow_lane
def reset(
    request: Request,
    web: WebApp,
    username: Annotated[str, Form(max_length=100)],
    code: Annotated[str, Form(max_length=40)],
    password: Annotated[str, Form(max_length=200)],
) -> Response:
    try:
        web.services.accounts.reset_password(username, code, password)
    except ContractError as exc:
        return render(
            request,
            "auth/reset.html",
            {
                "title": "Set a new password",
                "min_password": MIN_PASSWORD_CHARS,
                "errors": {e.field: e.message for e in exc.errors},
                "username": username,
            },
            status_code=422,
        )
    return RedirectResponse("/login?reset=1", status_code=303)
