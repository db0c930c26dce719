"""Assessment use cases: read answers (JSON or JSONL), validate them all, evaluate them."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from backstride.content import load_content
from backstride.domain.answers import ROOT, ContractError, FieldError
from backstride.domain.content import ContentBundle
from backstride.domain.result import AssessmentResult
from backstride.triage.engine import Engine


@dataclass(frozen=True, slots=True)
class ContentSettings:
    """Where content comes from; the defaults are the built-in content."""

    root: Path | None = None
    packs: tuple[Path, ...] = ()
    instrument: str = "backstride_outlook"


class AssessmentService:
    """Assess answers against one content bundle."""

    def __init__(self, content: ContentBundle) -> None:
        self.content = content
        self.engine = Engine(content)

    @classmethod
    def from_settings(cls, settings: ContentSettings) -> AssessmentService:
        content = load_content(settings.root, packs=settings.packs, instrument=settings.instrument)
        return cls(content)

    def assess(self, answers: object) -> AssessmentResult:
        """One assessment from decoded JSON; raises ``ContractError`` naming each bad field."""
        return self.engine.assess(answers)

    def assess_text(self, text: str, *, jsonl: bool) -> list[AssessmentResult]:
        """Every assessment in ``text``. All lines are validated before any result is returned."""
        documents = list(_decode_lines(text) if jsonl else [("", _decode(text, ""))])
        answers = [self.engine.validator.validate(doc, where) for where, doc in documents]
        return [self.engine.evaluate(a) for a in answers]

    def assess_file(self, path: Path) -> list[AssessmentResult]:
        """Assessments from a ``.json`` file (one) or a ``.jsonl`` file (one per line)."""
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise ContractError((FieldError(ROOT, "the file is not UTF-8 text"),)) from None
        return self.assess_text(text, jsonl=path.suffix.lower() == ".jsonl")


def _decode(text: str, where: str) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        message = f"not valid JSON (line {exc.lineno}, column {exc.colno})"
        raise ContractError((FieldError(ROOT, message),), where) from None


def _decode_lines(text: str) -> Iterable[tuple[str, object]]:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            where = f"line {number}"
            yield where, _decode(line, where)


@cache
def default_service() -> AssessmentService:
    """The service over the built-in content, built on first use and kept."""
    return AssessmentService.from_settings(ContentSettings())
