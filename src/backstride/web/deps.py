"""What every route needs: the services, who is asking, CSRF checks, and page rendering.

``Annotated`` aliases keep routes short: a route asks for ``SignedIn`` or ``ClinicianUser``
and gets the person, or the visitor is sent to sign in (pages) or answered 401 (API).
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Annotated, Any, ParamSpec, TypeVar

from anyio import CapacityLimiter, to_thread
from anyio.lowlevel import RunVar
from fastapi import Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.templating import Jinja2Templates

from backstride import __version__
from backstride.diary.escalation import summarise_open
from backstride.domain.diary import Person, Role, StoredEscalation
from backstride.services.container import Services
from backstride.web.config import WebConfig
from backstride.web.security import (
    ANON_COOKIE,
    CSRF_FIELD,
    SESSION_COOKIE,
    Signer,
    new_anonymous_id,
)


@dataclass(frozen=True, slots=True)
class Web:
    """Everything the app was built with (``app.state.web``)."""

    config: WebConfig
    services: Services
    signer: Signer
    templates: Jinja2Templates
    emergency_number: str = "112"


#: Threads for slow work (password hashing, PDFs, exports, walking-test analysis), beside the
#: routes' own pool: with one thread there (``WebConfig.thread_count``), a PDF must not hold
#: every page up.
SLOW_LANE_THREADS = 2
_slow_lane: RunVar[CapacityLimiter] = RunVar("backstride_slow_lane")

P = ParamSpec("P")
R = TypeVar("R")


def slow_lane_limiter() -> CapacityLimiter:
    """The slow lane of the running event loop (made on first use, like anyio's own pool)."""
    try:
        return _slow_lane.get()
    except LookupError:
        limiter = CapacityLimiter(SLOW_LANE_THREADS)
        _slow_lane.set(limiter)
        return limiter


def slow_lane(route: Callable[P, R]) -> Callable[P, Awaitable[R]]:
    """A plain route that runs in the slow lane instead of the routes' pool (FastAPI sees the
    route's own parameters: ``functools.wraps``)."""

    @functools.wraps(route)
    async def run(*args: P.args, **kwargs: P.kwargs) -> R:
        work = functools.partial(route, *args, **kwargs)
        return await to_thread.run_sync(work, limiter=slow_lane_limiter())

    return run


def size_thread_pool(config: WebConfig) -> None:
    """Give the running event loop's route pool ``config.thread_count`` threads."""
    to_thread.current_default_thread_limiter().total_tokens = config.thread_count


def templates() -> Jinja2Templates:
    folder = resources.files("backstride.web") / "templates"
    engine = Jinja2Templates(directory=str(folder))
    # Templates ship inside the package and change only with it: no modification-time
    # check of every template a page extends or imports on every request.
    engine.env.auto_reload = False
    engine.env.globals["version"] = __version__
    return engine


def web_of(request: Request) -> Web:
    """What the app was built with (``app.state.web``)."""
    web: Web = request.app.state.web
    return web


async def get_web(request: Request) -> Web:
    return web_of(request)


# Dependencies that do no I/O are ``async``: FastAPI runs plain ones in its thread pool,
# and a hop there per dependency costs more than the work.
WebApp = Annotated[Web, Depends(get_web)]


@dataclass(slots=True)
class Viewer:
    """Who is asking: a signed-in person (web session) or an anonymous visitor."""

    person: Person | None
    session_token: str | None
    anon_id: str
    new_anon: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def binding(self) -> str:
        """What this visitor's CSRF tokens are bound to."""
        return self.session_token or self.anon_id


def get_viewer(request: Request, web: WebApp) -> Viewer:
    cached: Viewer | None = getattr(request.state, "viewer", None)
    if cached is not None:
        return cached
    token = read_cookie(request, web, SESSION_COOKIE)
    person = web.services.accounts.session_person(token, "web") if token else None
    anon = read_cookie(request, web, ANON_COOKIE)
    viewer = Viewer(
        person=person,
        session_token=token if person is not None else None,
        anon_id=anon or new_anonymous_id(),
        new_anon=not anon,
    )
    request.state.viewer = viewer
    return viewer


CurrentViewer = Annotated[Viewer, Depends(get_viewer)]


class LoginRequiredError(Exception):
    """A page needs a signed-in user; the handler redirects to /login?next=..."""

    def __init__(self, next_path: str) -> None:
        super().__init__("sign-in required")
        self.next_path = next_path


async def signed_in(request: Request, viewer: CurrentViewer) -> Person:
    if viewer.person is None:
        raise LoginRequiredError(request.url.path)
    return viewer.person


def _role(role: Role) -> Any:
    async def check(request: Request, person: Annotated[Person, Depends(signed_in)]) -> Person:
        if person.role is not role:
            detail = f"this page is for a {role.value}"
            raise refused(request, "access_denied", status_code=403, detail=detail)
        return person

    return check


SignedIn = Annotated[Person, Depends(signed_in)]
PersonUser = Annotated[Person, Depends(_role(Role.PERSON))]
ClinicianUser = Annotated[Person, Depends(_role(Role.CLINICIAN))]
AdminUser = Annotated[Person, Depends(_role(Role.ADMIN))]


async def check_csrf(request: Request, viewer: CurrentViewer, web: WebApp) -> None:
    """Every form POST carries the token rendered into it; otherwise 403."""
    form = await request.form()
    token = form.get(CSRF_FIELD)
    if not isinstance(token, str) or not web.signer.check_csrf(viewer.binding, token):
        raise refused(
            request,
            "csrf_rejected",
            status_code=403,
            detail="This form has expired or came from another site. Go back, reload the "
            "page and try again.",
        )


CsrfChecked = Depends(check_csrf)


async def form_fields(request: Request) -> dict[str, str]:
    """The posted form's text fields. Read here (async) so that routes can stay plain
    functions: FastAPI runs those in its thread pool, and their database work never blocks
    the event loop."""
    form = await request.form()
    return {key: value for key, value in form.items() if isinstance(value, str)}


FormFields = Annotated[dict[str, str], Depends(form_fields)]

CSRF_HEADER = "x-csrf-token"


async def check_csrf_header(request: Request, viewer: CurrentViewer, web: WebApp) -> None:
    """For a page's script that posts JSON: the same token, sent in the X-CSRF-Token header."""
    token = request.headers.get(CSRF_HEADER, "")
    if not web.signer.check_csrf(viewer.binding, token):
        raise refused(
            request,
            "csrf_rejected",
            status_code=403,
            detail="This page has expired or the request came from another site. Reload it.",
        )


CsrfHeaderChecked = Depends(check_csrf_header)

# -- the JSON API's bearer tokens -------------------------------------------------------------

bearer = HTTPBearer(auto_error=False, description="A token from POST /api/v1/token")


def api_user(
    web: WebApp,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Person:
    person = (
        web.services.accounts.session_person(credentials.credentials, "api")
        if credentials is not None
        else None
    )
    if person is None:
        raise HTTPException(
            status_code=401,
            detail="sign in first: POST /api/v1/token, then send 'Authorization: Bearer <token>'",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return person


ApiUser = Annotated[Person, Depends(api_user)]


async def api_person(request: Request, person: ApiUser) -> Person:
    if person.role is not Role.PERSON:
        detail = "only people keeping a diary have one"
        raise refused(request, "access_denied", status_code=403, detail=detail, account=person)
    return person


ApiPerson = Annotated[Person, Depends(api_person)]

# -- pages -------------------------------------------------------------------------------------


def open_escalations(web: Web, person: Person | None) -> list[StoredEscalation]:
    if person is None or person.role is not Role.PERSON:
        return []
    return web.services.records.open_escalations(person)


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    escalations: Sequence[StoredEscalation] | None = None,
) -> HTMLResponse:
    """A page, with what every page shows: who is signed in, the CSRF token for its forms,
    the emergency note, open escalations and the demo label. ``escalations``: the open
    escalations when the page has just read them (with any it stored), else they are read."""
    web = web_of(request)
    viewer = get_viewer(request, web)
    page = {
        "viewer": viewer,
        "user": viewer.person,
        "csrf_field": CSRF_FIELD,
        "csrf_token": web.signer.csrf_token(viewer.binding),
        "demo": web.config.demo,
        "emergency_number": web.emergency_number,
        # The escalations not yet read, as one message (``summarise_open``).
        "banner": summarise_open(
            open_escalations(web, viewer.person) if escalations is None else escalations
        ),
        "path": request.url.path,
    }
    page.update(context or {})
    response = web.templates.TemplateResponse(request, template, page, status_code=status_code)
    response.headers["cache-control"] = "no-store"  # pages show health data: never cache
    if viewer.new_anon:
        set_cookie(response, web, ANON_COOKIE, viewer.anon_id, max_age=None)
    return response


def attachment(data: bytes | str, media_type: str, filename: str) -> Response:
    """A file to download (``Content-Disposition: attachment``), never cached: every
    download holds health data."""
    return Response(
        data,
        media_type=media_type,
        headers={
            "content-disposition": f'attachment; filename="{filename}"',
            "cache-control": "no-store",
        },
    )


def cookie_name(web: Web, name: str) -> str:
    """A cookie's name: behind TLS with the ``__Host-`` prefix, which browsers accept only
    from a secure origin, for the whole site (``Path=/``) and without a ``Domain``: another
    site under the same domain cannot set or replace it (OWASP ASVS 3.4.4)."""
    return f"__Host-{name}" if web.config.secure else name


def read_cookie(request: Request, web: Web, name: str) -> str | None:
    return request.cookies.get(cookie_name(web, name))


def set_cookie(response: Response, web: Web, name: str, value: str, *, max_age: int | None) -> None:
    response.set_cookie(
        cookie_name(web, name),
        value,
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=web.config.secure,
        path="/",
    )


def delete_cookie(response: Response, web: Web, name: str) -> None:
    response.delete_cookie(
        cookie_name(web, name), path="/", secure=web.config.secure, httponly=True, samesite="lax"
    )


def client_id(request: Request) -> str:
    """Where a request came from, as a keyed pseudonym of the address (``Signer.pseudonym``):
    the rate limit and the security log never hold an address."""
    return web_of(request).signer.pseudonym(request.client.host if request.client else "unknown")


def refused(
    request: Request,
    event: str,
    *,
    status_code: int,
    detail: str,
    account: Person | None = None,
) -> HTTPException:
    """The error for a refused request, written to the security log first (``event``: one of
    ``services.security_log.EVENTS``) with the account, the client and the route's pattern."""
    if account is None:
        viewer: Viewer | None = getattr(request.state, "viewer", None)
        account = viewer.person if viewer is not None else None
    route = request.scope.get("route")
    web_of(request).services.accounts.security.record(
        event,
        account=account.id if account is not None else None,
        client=client_id(request),
        method=request.method,
        route=getattr(route, "path", None),
    )
    return HTTPException(status_code=status_code, detail=detail)
