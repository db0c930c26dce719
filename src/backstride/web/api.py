"""The JSON API, version 1. Routes parse input, call one service, and return its output."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends
from fastapi.responses import JSONResponse

from backstride import __version__
from backstride.domain.answers import ContractError
from backstride.services.assessments import AssessmentService
from backstride.web.deps import WebApp

router = APIRouter(prefix="/api/v1")


def assessments(web: WebApp) -> AssessmentService:
    """The assessment service the app was built with."""
    return web.services.assessments


Assessments = Annotated[AssessmentService, Depends(assessments)]


def contract_error(error: ContractError) -> JSONResponse:
    """422 with one entry per bad field, shaped like FastAPI's own validation errors."""
    detail = [
        {"loc": ["body", e.field], "msg": e.message, "type": "contract"} for e in error.errors
    ]
    return JSONResponse(status_code=422, content={"detail": detail})


@router.get("/health", tags=["service"])
def health(service: Assessments) -> dict[str, str]:
    """The app is up, and which code and clinical content answer."""
    return {"status": "ok", "version": __version__, "content_version": service.content.version}


@router.post(
    "/assessments",
    tags=["assessment"],
    responses={422: {"description": "the answers break the assessment contract"}},
)
def assess(
    service: Assessments,
    answers: Annotated[
        Any,
        Body(
            description="One answers object of assessment contract v1 (docs/reference/contract.md)",
            examples=[{"age": 45, "saddle_numbness": False, "pain_now": 4}],
        ),
    ],
) -> Any:
    """Assess answers (no account needed; nothing is stored) and return the contract result."""
    try:
        return service.assess(answers).to_contract()
    except ContractError as exc:
        return contract_error(exc)
