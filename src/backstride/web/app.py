"""The app factory. Nothing is built at import: ``create_app`` takes what it needs."""

from __future__ import annotations

from fastapi import FastAPI

from backstride import __version__
from backstride.services.assessments import AssessmentService, default_service
from backstride.web import api


def create_app(assessments: AssessmentService | None = None) -> FastAPI:
    """The Backstride web app over ``assessments`` (the built-in content by default)."""
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
    )
    app.state.assessments = assessments or default_service()
    app.include_router(api.router)
    return app
