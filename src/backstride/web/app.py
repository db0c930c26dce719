"""The app factory. Nothing is built at import: ``create_app`` takes what it needs, or reads
the environment (``BACKSTRIDE_DATABASE_URL``, ``BACKSTRIDE_SECRET_KEY``, ``BACKSTRIDE_DEMO``,
``BACKSTRIDE_SECURE_COOKIES``, ``BACKSTRIDE_EMERGENCY_NUMBER``) when run by uvicorn."""

from __future__ import annotations

import gc
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from importlib import resources

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from backstride import __version__
from backstride.services.container import Services
from backstride.web import api
from backstride.web.config import WebConfig
from backstride.web.deps import LoginRequiredError, Web, render, size_thread_pool, templates
from backstride.web.pages import account, assess, auth, clinician, person, public, walk_test
from backstride.web.security import SecurityHeaders, Signer

PAGE_ERRORS = {
    400: "That request could not be understood.",
    401: "Please sign in first.",
    403: "You do not have access to this page.",
    404: "There is no page here.",
    405: "That action is not allowed here.",
    422: "Some of what was sent could not be used.",
}


def create_app(config: WebConfig | None = None, services: Services | None = None) -> FastAPI:
    """The Backstride web app. Without ``services`` it opens the database the config names
    (bringing a new one to the newest schema) and closes it at shutdown."""
    config = config or WebConfig.from_env()
    config.check()
    owned = services is None
    services = services or Services.open(config.settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        size_thread_pool(config)
        # Everything built so far (modules, content, templates, the engine) lives as long as
        # the process: out of the collector's sight, a full collection scans only what
        # requests made. bench/web.py saw full collections of 110-160 ms stall every request
        # in flight without this, and the p95 of each page fall by a third to a half with it.
        gc.freeze()
        yield
        if owned:
            services.close()

    app = FastAPI(
        title="Backstride",
        version=__version__,
        description=(
            "Decision support for lower back pain when walking. Not a diagnosis: in an "
            "emergency, call your local emergency number."
        ),
        # FastAPI's interactive pages load their scripts from a CDN; nothing may download at
        # run time, so only the schema is served (/openapi.json).
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.web = Web(
        config=config,
        services=services,
        signer=Signer(config.secret_key),
        templates=templates(),
        emergency_number=os.environ.get("BACKSTRIDE_EMERGENCY_NUMBER", "112"),
    )

    # Stored times are UTC; pages show them on the people's clock (BACKSTRIDE_TIMEZONE).
    def local(moment: datetime) -> datetime:
        return services.records.local(moment)

    app.state.web.templates.env.filters["local"] = local
    static = resources.files("backstride.web") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    app.include_router(api.router)
    for pages in (public, assess, auth, account, person, clinician, walk_test):
        app.include_router(pages.router)
    _error_handlers(app)
    app.add_middleware(SecurityHeaders, hsts=config.secure)
    return app


def _is_api(request: Request) -> bool:
    """JSON errors for the API and for a page script's JSON posts; HTML for pages."""
    return request.url.path.startswith("/api/") or request.headers.get(
        "content-type", ""
    ).startswith("application/json")


def _error_handlers(app: FastAPI) -> None:
    @app.exception_handler(LoginRequiredError)
    async def login_required(request: Request, exc: LoginRequiredError) -> Response:
        return RedirectResponse(f"/login?next={exc.next_path}", status_code=303)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if _is_api(request):
            return JSONResponse(
                {"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers
            )
        message = exc.detail if isinstance(exc, HTTPException) and exc.detail else None
        return render(
            request,
            "error.html",
            {
                "status": exc.status_code,
                "message": message or PAGE_ERRORS.get(exc.status_code, "Something went wrong."),
            },
            status_code=exc.status_code,
        )

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        detail = [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in exc.errors()]
        if _is_api(request):
            return JSONResponse({"detail": detail}, status_code=422)
        fields = ", ".join(str(e["loc"][-1]) for e in detail)
        return render(
            request,
            "error.html",
            {"status": 422, "message": f"Please check: {fields}."},
            status_code=422,
        )
