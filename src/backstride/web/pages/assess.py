"""The questionnaire as a wizard (no account needed), and its result.

One topic (content section) per step, red-flag questions first, back and next, "don't know"
always allowed. A follow-up is shown only once the answers it depends on are in and say it
may apply (an unknown parent means it is asked: decision 0001). Answers so far live in a
signed cookie on the visitor's own device (``bs_draft``), not on the server: a reload keeps
them, and nothing is stored until the person signs up or in. Once a warning-sign answer makes
the result an emergency, the wizard stops and shows what to do now.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from backstride.domain.content import Question
from backstride.domain.contract import FieldSpec, Kind
from backstride.domain.diary import Person, Role
from backstride.domain.expressions import Value
from backstride.domain.urgency import Urgency
from backstride.services.questionnaire import Questionnaire
from backstride.web.deps import (
    CsrfChecked,
    CurrentViewer,
    FormFields,
    Web,
    WebApp,
    delete_cookie,
    read_cookie,
    render,
    set_cookie,
    web_of,
)
from backstride.web.security import DRAFT_COOKIE

router = APIRouter(include_in_schema=False)

DRAFT_PURPOSE = "assessment-draft"
DONT_KNOW = "dont_know"
NO_LIMIT = "no_limit"


def read_draft(request: Request, web: Web) -> dict[str, Any]:
    """The visitor's draft: answers given, keys answered "don't know", and whether it is
    finished (and already kept for a signed-in person)."""
    raw = read_cookie(request, web, DRAFT_COOKIE)
    value = web.signer.unsign(DRAFT_PURPOSE, raw) if raw else None
    if (
        not isinstance(value, dict)
        or not isinstance(value.get("answers"), dict)
        or not isinstance(value.get("unknown"), list)
    ):
        return {"answers": {}, "unknown": [], "done": False, "kept": False}
    return value


def write_draft(response: Response, web: Web, draft: dict[str, Any]) -> None:
    # A session cookie: it goes when the browser closes, and never reaches the server's disk.
    set_cookie(response, web, DRAFT_COOKIE, web.signer.sign(DRAFT_PURPOSE, draft), max_age=None)


def keep_draft_assessment(request: Request, web: Web, person: Person) -> bool:
    """After sign-up or sign-in: store a finished draft's assessment and programme."""
    draft = read_draft(request, web)
    if person.role is not Role.PERSON or not draft.get("done") or draft.get("kept"):
        return False
    web.services.keep_assessment(person, draft["answers"])
    return True


@dataclass(frozen=True, slots=True)
class Step:
    """One page of the wizard: a section and the questions to show on it now."""

    number: int
    total: int
    section_id: str
    title: str
    questions: tuple[Question, ...]


class Wizard:
    """Which questions to show, in which order, given the answers so far."""

    def __init__(self, web: Web) -> None:
        content = web.services.assessments.content
        self.flow = Questionnaire(web.services.assessments.engine)
        self.specs: dict[str, FieldSpec] = dict(web.services.assessments.engine.validator.specs)
        self.sections = [
            s for s in content.sections if any(q.section == s.id for q in content.questions)
        ]
        self.by_key = {q.key: q for q in content.questions}

    def asked(self, draft: dict[str, Any]) -> set[str]:
        return set(draft["answers"]) | set(draft["unknown"])

    def shown(self, question: Question, answers: dict[str, Value], asked: set[str]) -> bool:
        """Ask a question unless the answers show it does not apply; wait for its parents."""
        when = question.ask_when
        if when is None:
            return True
        applies = when.evaluate(answers)
        if applies is None and not when.keys() <= asked:
            return False  # its parent is not asked yet: wait for it
        return applies is not False

    def step(self, draft: dict[str, Any], section_id: str) -> Step | None:
        index = next((i for i, s in enumerate(self.sections) if s.id == section_id), None)
        if index is None:
            return None
        section = self.sections[index]
        answers, asked = draft["answers"], self.asked(draft)
        in_section = [q for q in self.flow.questions if q.section == section.id]
        pending = [q for q in in_section if q.key not in asked and self.shown(q, answers, asked)]
        # Revisiting a finished step shows what was answered there (to change it).
        shown = pending or [
            q for q in in_section if q.key in asked and self.shown(q, answers, asked)
        ]
        return Step(index + 1, len(self.sections), section.id, section.title, tuple(shown))

    def next_section(self, draft: dict[str, Any], after: str) -> str | None:
        """The next section with a question still to ask, or None when finished."""
        ids = [s.id for s in self.sections]
        answers, asked = draft["answers"], self.asked(draft)
        for section_id in ids[ids.index(after) :]:
            for q in self.flow.questions:
                if q.section == section_id and q.key not in asked and self.shown(q, answers, asked):
                    return section_id
        return None

    def previous_section(self, section_id: str) -> str | None:
        ids = [s.id for s in self.sections]
        index = ids.index(section_id)
        return ids[index - 1] if index > 0 else None

    def parse(
        self, question: Question, raw: str | None, option: str | None
    ) -> tuple[Value | None, bool, str | None]:
        """(value, unknown, error) from a submitted field and its side option (a "don't
        know" or "no limit" box)."""
        spec = self.specs[question.key]
        text = (raw or "").strip()
        option = (option or "").strip()
        if DONT_KNOW in (option, text):
            return None, True, None
        if spec.kind is Kind.BOOL:
            ok = text in ("yes", "no")
            return (text == "yes" if ok else None), False, None if ok else CHOOSE_BOOL
        if spec.kind is Kind.CHOICE:
            ok = text in spec.choices
            return (text if ok else None), False, None if ok else CHOOSE_ONE
        if spec.nullable and option == NO_LIMIT:
            return None, False, None
        number, error = _number(spec, text)
        return number, False, error


CHOOSE_BOOL = "choose Yes, No or Don't know"
CHOOSE_ONE = "choose one answer, or Don't know"


def _number(spec: FieldSpec, text: str) -> tuple[float | None, str | None]:
    if not text:
        return None, "type a number, or choose Don't know"
    try:
        number: float = int(text) if spec.kind is Kind.INT else float(text)
    except ValueError:
        return None, "type a number using digits, for example 20"
    low, high = spec.minimum, spec.maximum
    if (low is not None and number < low) or (high is not None and number > high):
        span = f" from {low:g} to {high:g}" if low is not None and high is not None else ""
        return None, f"type a number{span}"
    return number, None


def _wizard(request: Request) -> Wizard:
    """Built once per app (the content does not change while it runs)."""
    state = request.app.state
    if not hasattr(state, "wizard"):
        state.wizard = Wizard(web_of(request))
    wizard: Wizard = state.wizard
    return wizard


@router.get("/assess", response_class=HTMLResponse)
def start(request: Request, web: WebApp) -> HTMLResponse:
    wizard = _wizard(request)
    draft = read_draft(request, web)
    resume = None if draft["done"] else wizard.next_section(draft, wizard.sections[0].id)
    return render(
        request,
        "assess/start.html",
        {
            "title": "Check my back",
            "first": wizard.sections[0].id,
            "resume": resume if wizard.asked(draft) else None,
            "done": draft["done"],
            "steps": len(wizard.sections),
        },
    )


@router.post("/assess/restart", dependencies=[CsrfChecked])
def restart(request: Request, web: WebApp) -> Response:
    response = RedirectResponse(f"/assess/{_wizard(request).sections[0].id}", status_code=303)
    delete_cookie(response, web, DRAFT_COOKIE)
    return response


def _step_page(
    request: Request,
    web: Web,
    step: Step,
    draft: dict[str, Any],
    *,
    errors: dict[str, str] | None = None,
    submitted: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    wizard = _wizard(request)
    previous = wizard.previous_section(step.section_id)
    return render(
        request,
        "assess/step.html",
        {
            "title": f"{step.title} (step {step.number} of {step.total})",
            "step": step,
            "specs": wizard.specs,
            "answers": draft["answers"],
            "unknown": set(draft["unknown"]),
            "errors": errors or {},
            "submitted": submitted or {},
            "previous": previous,
            "Kind": Kind,
            "DONT_KNOW": DONT_KNOW,
            "NO_LIMIT": NO_LIMIT,
        },
        status_code=status_code,
    )


@router.get("/assess/result", response_class=HTMLResponse)
def result(request: Request, web: WebApp, viewer: CurrentViewer) -> Response:
    draft = read_draft(request, web)
    if not draft["done"]:
        return RedirectResponse("/assess", status_code=303)
    outcome = web.services.assessments.assess(draft["answers"])
    content = web.services.assessments.content
    labels = {q.key: q.text for q in content.questions}
    return render(
        request,
        "assess/result.html",
        {
            "title": "Your result",
            "result": outcome,
            "advice": content.advice[outcome.urgency],
            "missing": [(key, labels.get(key, key)) for key in outcome.missing],
            "emergency": outcome.urgency is Urgency.EMERGENCY,
            "kept": bool(draft.get("kept")),
            "disclaimer": content.disclaimer,
        },
    )


@router.get("/assess/{section_id}", response_class=HTMLResponse)
def show_step(request: Request, web: WebApp, section_id: str) -> HTMLResponse:
    draft = read_draft(request, web)
    step = _wizard(request).step(draft, section_id)
    if step is None:
        raise HTTPException(status_code=404, detail="There is no such step.")
    return _step_page(request, web, step, draft)


@router.post("/assess/{section_id}", response_class=HTMLResponse, dependencies=[CsrfChecked])
def answer_step(
    request: Request, web: WebApp, viewer: CurrentViewer, section_id: str, fields: FormFields
) -> Response:
    wizard = _wizard(request)
    draft = read_draft(request, web)
    step = wizard.step(draft, section_id)
    if step is None:
        raise HTTPException(status_code=404, detail="There is no such step.")
    errors: dict[str, str] = {}
    answers = dict(draft["answers"])
    unknown = set(draft["unknown"])
    for question in step.questions:
        value, is_unknown, error = wizard.parse(
            question, fields.get(question.key), fields.get(f"{question.key}__option")
        )
        if error:
            errors[question.key] = error
            continue
        answers.pop(question.key, None)
        unknown.discard(question.key)
        if is_unknown:
            unknown.add(question.key)
        else:
            answers[question.key] = value
    if errors:
        return _step_page(
            request, web, step, draft, errors=errors, submitted=fields, status_code=422
        )
    # Changing an earlier answer can make a later follow-up irrelevant: forget those.
    asked = set(answers) | unknown
    for key in list(answers) + list(unknown):
        earlier = wizard.by_key.get(key)
        if earlier is not None and not wizard.shown(earlier, answers, asked):
            answers.pop(key, None)
            unknown.discard(key)
    new_draft = {"answers": answers, "unknown": sorted(unknown), "done": False, "kept": False}
    emergency = any(q.red_flag for q in step.questions) and wizard.flow.emergency_certain(answers)
    following = None if emergency else wizard.next_section(new_draft, section_id)
    if following is None:
        new_draft["done"] = True
        person = viewer.person
        if person is not None and person.role is Role.PERSON:
            web.services.keep_assessment(person, answers)
            new_draft["kept"] = True
        response = RedirectResponse("/assess/result", status_code=303)
    else:
        response = RedirectResponse(f"/assess/{following}", status_code=303)
    write_draft(response, web, new_draft)
    return response
