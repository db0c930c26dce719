"""Plan use cases: assess the answers, then build, serialise and render the programme."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from backstride.domain.answers import ROOT, ContractError, FieldError
from backstride.domain.result import AssessmentResult
from backstride.illustration import gallery_html, render_svg
from backstride.programme.contract import plan_to_contract
from backstride.programme.footwear import FootwearResult, score_footwear
from backstride.programme.generator import build_programme
from backstride.programme.model import Preferences, Programme
from backstride.services.assessments import AssessmentService

FITNESS = ("low", "moderate", "high")
DIRECTIONS = ("flexion", "extension")
MAX_MINUTES_PER_DAY = 240


@dataclass(frozen=True, slots=True)
class Plan:
    """An assessment and the programme built from it."""

    assessment: AssessmentResult
    programme: Programme


class PlanService:
    """Builds programmes over one content bundle."""

    def __init__(self, assessments: AssessmentService) -> None:
        self.assessments = assessments
        self.content = assessments.content
        self._drawings: dict[tuple[str, bool], str] = {}  # the same content draws the same

    def check_preferences(self, preferences: Preferences) -> Preferences:
        """The preferences, or ``ContractError`` naming the option that is out of range."""
        errors = []
        low = self.content.programme.rules.min_minutes_per_day
        minutes = preferences.minutes_per_day
        if minutes is not None and not low <= minutes <= MAX_MINUTES_PER_DAY:
            errors.append(
                FieldError("minutes", f"must be a whole number from {low} to {MAX_MINUTES_PER_DAY}")
            )
        if preferences.fitness not in FITNESS:
            errors.append(FieldError("fitness", "must be one of " + ", ".join(FITNESS)))
        if preferences.eases_with is not None and preferences.eases_with not in DIRECTIONS:
            errors.append(FieldError("eases_with", "must be one of " + ", ".join(DIRECTIONS)))
        if errors:
            raise ContractError(tuple(errors))
        return preferences

    def plan(self, answers: object, preferences: Preferences) -> Plan:
        """Assess ``answers`` (decoded JSON) and build the programme."""
        self.check_preferences(preferences)
        engine = self.assessments.engine
        valid = engine.validator.validate(answers)
        result = engine.evaluate(valid)
        return Plan(result, build_programme(self.content, result, valid, preferences))

    def plan_file(self, path: Path, preferences: Preferences) -> Plan:
        """The plan for one ``.json`` answers file."""
        if path.suffix.lower() == ".jsonl":
            raise ContractError((FieldError(ROOT, "a plan needs one .json answers file"),))
        try:
            answers = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            message = f"not valid JSON (line {exc.lineno}, column {exc.colno})"
            raise ContractError((FieldError(ROOT, message),)) from None
        except UnicodeDecodeError:
            raise ContractError((FieldError(ROOT, "the file is not UTF-8 text"),)) from None
        return self.plan(answers, preferences)

    def to_contract(self, plan: Plan, *, animate: bool = True) -> dict[str, Any]:
        """The plan's JSON form, with each illustration inline as SVG."""
        return plan_to_contract(
            plan.programme,
            self.content.programme,
            lambda exercise_id: self.illustration(exercise_id, animate=animate),
            self.content.advice[plan.programme.urgency].headline,
            self.content.disclaimer,
        )

    def write_handout(self, plan: Plan, path: Path, output_format: str) -> None:
        """Write the printable handout (``html`` or ``pdf``) with still illustrations."""
        # WeasyPrint is slow to import; only handouts need it (keeps `plan --json` fast).
        from backstride.interop.handout import html_to_pdf, render_handout_html  # noqa: PLC0415

        html = render_handout_html(self.to_contract(plan, animate=False), generated_on=date.today())
        if output_format == "pdf":
            path.write_bytes(html_to_pdf(html))
        else:
            path.write_text(html, encoding="utf-8")

    def score_footwear(self, answers: Mapping[str, object]) -> FootwearResult:
        """The footwear checklist's score, verdict and advice (``ContractError`` if bad)."""
        return score_footwear(self.content.programme.footwear, answers)

    def gallery_html(self) -> str:
        """Every exercise's illustration on one page, for review."""
        exercises = sorted(self.content.programme.exercises.values(), key=lambda e: e.id)
        return gallery_html([(e.id, e.name, self.illustration(e.id)) for e in exercises])

    def illustration(self, exercise_id: str, *, animate: bool = True) -> str:
        """The exercise's illustration as a standalone SVG."""
        key = (exercise_id, animate)
        if key not in self._drawings:
            drawing = self.content.programme.illustrations[exercise_id]
            name = self.content.programme.exercises[exercise_id].name
            self._drawings[key] = render_svg(drawing, animate=animate, title=name)
        return self._drawings[key]
