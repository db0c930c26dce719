"""Shared answers for the programme tests: complete, benign, and then one change per row."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from backstride.services.assessments import default_service
from backstride.services.plans import PlanService

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def example(name: str, **changes: Any) -> dict[str, Any]:
    answers = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    answers.update(changes)
    return {k: v for k, v in answers.items() if v is not ...}


@pytest.fixture(scope="session")
def plans() -> PlanService:
    return PlanService(default_service())
