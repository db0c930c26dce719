"""The questionnaire as a wizard (no account needed), and its result.

Answers so far live in a signed cookie on the visitor's own device (``bs_draft``), not on
the server, so a reload keeps them and nothing is stored until the person signs up or in.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from backstride.domain.diary import Person, Role
from backstride.web.deps import Web
from backstride.web.security import DRAFT_COOKIE

router = APIRouter(include_in_schema=False)

DRAFT_PURPOSE = "assessment-draft"


def read_draft(request: Request, web: Web) -> dict[str, Any]:
    """The visitor's draft: ``{"answers": {...}, "done": bool}`` (empty when none/invalid)."""
    raw = request.cookies.get(DRAFT_COOKIE)
    value = web.signer.unsign(DRAFT_PURPOSE, raw) if raw else None
    if not isinstance(value, dict) or not isinstance(value.get("answers"), dict):
        return {"answers": {}, "done": False}
    return value


def keep_draft_assessment(request: Request, web: Web, person: Person) -> bool:
    """After sign-up or sign-in: store a finished draft's assessment and programme."""
    draft = read_draft(request, web)
    if person.role is not Role.PERSON or not draft.get("done"):
        return False
    web.services.keep_assessment(person, draft["answers"])
    return True
