"""``backstride assess --interactive``: the questionnaire in a terminal."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.prompt import Prompt

from backstride.cli.render import console, render_result
from backstride.domain.content import Question
from backstride.domain.contract import FieldSpec, Kind
from backstride.domain.expressions import Value
from backstride.services.assessments import AssessmentService
from backstride.services.questionnaire import Questionnaire

DONT_KNOW = frozenset({"?", "dk", "don't know", "dont know", "not sure", "unsure"})
YES = frozenset({"y", "yes"})
NO = frozenset({"n", "no"})
NO_LIMIT = frozenset({"none", "no limit", "unlimited", "nolimit"})


class _Unknown:
    """The person chose "don't know"."""


UNKNOWN = _Unknown()


def parse_reply(spec: FieldSpec, question: Question, reply: str) -> Value | _Unknown:
    """The answer a typed reply stands for; raises ``ValueError`` with a hint when unclear.

    An empty reply is never taken as an answer: a stray Enter must not become "don't know",
    which for a warning sign would mean an emergency result.
    """
    text = reply.strip().lower()
    if text == "":
        raise ValueError("please type an answer, or ? if you don't know")
    if text in DONT_KNOW:
        return UNKNOWN
    if spec.kind is Kind.BOOL:
        if text in YES:
            return True
        if text in NO:
            return False
        raise ValueError("please type y (yes), n (no) or ? (don't know)")
    if spec.kind is Kind.CHOICE:
        return _choice(question, text)
    if spec.nullable and text in NO_LIMIT:
        return None
    return _number(spec, text)


def _choice(question: Question, text: str) -> str:
    labels = [c.value for c in question.choices]
    if text.isdigit() and 1 <= int(text) <= len(labels):
        return labels[int(text) - 1]
    if text in labels:
        return text
    if text in NO and "none" in labels:  # "no" to "which legs?" or "any change?" means none
        return "none"
    raise ValueError(f"please type a number from 1 to {len(labels)}, or ? (don't know)")


def _number(spec: FieldSpec, text: str) -> float:
    try:
        number: float = int(text) if spec.kind is Kind.INT else float(text)
    except ValueError:
        raise ValueError(f"please type {_plain_type(spec)}, or ? (don't know)") from None
    if (spec.minimum is not None and number < spec.minimum) or (
        spec.maximum is not None and number > spec.maximum
    ):
        raise ValueError(f"please type {_plain_type(spec)}")
    return number


def _plain_type(spec: FieldSpec) -> str:
    """The allowed numbers in a person's words (no "null")."""
    text = spec.describe_type().split(", or null")[0]
    return f"{text}, or no limit" if spec.nullable else text


def _hint(spec: FieldSpec) -> str:
    if spec.kind is Kind.BOOL:
        return "y = yes, n = no, ? = don't know"
    if spec.kind is Kind.CHOICE:
        return "type a number, or ? = don't know"
    return f"{_plain_type(spec)}, ? = don't know"


def _show(out: Console, number: int, question: Question) -> None:
    out.print(f"\n[bold]{number}. {question.text}[/bold]")
    if question.help:
        out.print(f"   [dim]{question.help}[/dim]")
    for i, choice in enumerate(question.choices, 1):
        out.print(f"   [bold]{i}[/bold]  {choice.label}")


def ask_questions(out: Console, service: AssessmentService) -> dict[str, Value]:
    """Ask until done (or until an emergency is certain); returns the answers given."""
    flow = Questionnaire(service.engine)
    specs = service.engine.validator.specs
    sections = {s.id: s.title for s in service.content.sections}
    answers: dict[str, Value] = {}
    asked: set[str] = set()
    section = None
    out.print(
        "[bold]Answer each question.[/bold] Type ? if you don't know. "
        "The questions about warning signs come first."
    )
    while (question := flow.next_question(answers, asked)) is not None:
        if question.section != section:
            section = question.section
            out.print(f"\n[bold underline]{sections[section]}[/bold underline]")
        spec = specs[question.key]
        _show(out, len(asked) + 1, question)
        while True:
            reply = Prompt.ask(f"   Your answer [dim]({_hint(spec)})[/dim]", console=out)
            try:
                value = parse_reply(spec, question, reply)
                break
            except ValueError as exc:
                out.print(f"[red]{exc}[/red]")
        asked.add(question.key)
        if not isinstance(value, _Unknown):
            answers[question.key] = value
        if question.red_flag and flow.emergency_certain(answers):
            out.print("\n[bold red]Stop here: this answer means you need help now.[/bold red]\n")
            break
    return answers


def run_interactive(service: AssessmentService, save: Path | None) -> None:
    """Ask, show the result, and save the answers when asked to."""
    out = console()
    try:
        answers = ask_questions(out, service)
    except (EOFError, KeyboardInterrupt):
        out.print("\nStopped before the end: nothing was assessed or saved.")
        raise typer.Exit(130) from None
    result = service.assess(answers)
    out.print()
    render_result(out, result, service.content)
    if save is None:
        try:
            target = Prompt.ask(
                "\nSave your answers to a file? Type a file name, or press Enter to skip",
                console=out,
                default="",
                show_default=False,
            )
        except EOFError:
            target = ""
        save = Path(target) if target.strip() else None
    if save is not None:
        save.write_text(json.dumps(answers, indent=2) + "\n", encoding="utf-8")
        out.print(f"Answers saved to {save}.")
