"""``backstride``: routes parse input, call one service, render output.

Heavy modules are imported inside commands so that ``backstride assess FILE --json``
starts quickly.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from backstride.domain.diary import DiaryEntry
    from backstride.services.assessments import AssessmentService
    from backstride.services.records import Records

EXIT_CONTENT = 1
EXIT_CONTRACT = 2

app = typer.Typer(
    name="backstride",
    help=(
        "Backstride: decision support for lower back pain when walking. "
        "It is not a diagnosis. In an emergency, call your local emergency number."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _fail(code: int, message: str) -> typer.Exit:
    sys.stderr.write(f"error: {message}\n")
    return typer.Exit(code)


@app.command()
def assess(
    file: Annotated[
        Path | None,
        typer.Argument(
            help="Answers: a .json file (one object) or .jsonl (one object per line).",
            dir_okay=False,
        ),
    ] = None,
    json_output: Annotated[
        bool, typer.Option("--json", help="Print the contract's JSON instead of the report.")
    ] = False,
    interactive: Annotated[
        bool, typer.Option("--interactive", "-i", help="Ask the questions in the terminal.")
    ] = False,
    save: Annotated[
        Path | None,
        typer.Option("--save", help="With --interactive: write the answers to this JSON file."),
    ] = None,
    user: Annotated[
        str | None, typer.Option("--user", help="Store the assessment for this person.")
    ] = None,
) -> None:
    """Assess answers: urgency, reasons with sources, patterns, what is missing, next steps."""
    from backstride.content import ContentError
    from backstride.domain.answers import ContractError

    if interactive == (file is not None):
        raise _fail(EXIT_CONTRACT, "give an answers FILE, or --interactive (not both)")
    try:
        service = _service()
        if interactive:
            from backstride.cli.interactive import run_interactive

            run_interactive(service, save)
            return
        assert file is not None  # noqa: S101 (checked above; narrows the type)
        try:
            results = service.assess_file(file)
        except FileNotFoundError:
            raise _fail(EXIT_CONTRACT, f"{file}: no such file") from None
        if user is not None:
            if len(results) != 1:
                raise _fail(EXIT_CONTRACT, "--user stores one assessment: give a .json file")
            import json

            records = _records()
            answers = json.loads(file.read_text(encoding="utf-8"))
            records.store_assessment(user, answers, results[0])
    except ContractError as exc:
        raise _fail(EXIT_CONTRACT, str(exc)) from None
    except ContentError as exc:
        raise _fail(EXIT_CONTENT, f"content: {exc}") from None
    if json_output:
        import json

        for result in results:
            sys.stdout.write(json.dumps(result.to_contract(), ensure_ascii=False) + "\n")
        return
    from backstride.cli.render import console, render_result

    out = console()
    for result in results:
        render_result(out, result, service.content)


@app.command()
def rules(
    markdown: Annotated[
        bool, typer.Option("--markdown", help="Print the reference page in Markdown.")
    ] = False,
) -> None:
    """Print the catalogue of triage and pattern rules, with levels and sources."""
    from backstride.content import ContentError

    try:
        content = _service().content
    except ContentError as exc:
        raise _fail(EXIT_CONTENT, f"content: {exc}") from None
    if markdown:
        from backstride.cli.catalogue import rules_markdown

        sys.stdout.write(rules_markdown(content))
        return
    from backstride.cli.render import console, render_catalogue

    render_catalogue(console(), content)


@app.command()
def plan(
    file: Annotated[Path, typer.Argument(help="Answers: one .json file.", dir_okay=False)],
    json_output: Annotated[
        bool, typer.Option("--json", help="Print the plan's JSON (docs/reference/plan.md).")
    ] = False,
    minutes: Annotated[
        int | None, typer.Option("--minutes", help="Minutes a day you can give it.")
    ] = None,
    no_floor: Annotated[
        bool, typer.Option("--no-floor", help="Leave out exercises done on the floor.")
    ] = False,
    fitness: Annotated[str, typer.Option(help="low, moderate or high.")] = "moderate",
    eases_with: Annotated[
        str | None,
        typer.Option(help="flexion (bending forward eases it) or extension (arching back does)."),
    ] = None,
    output_format: Annotated[
        str | None,
        typer.Option("--format", help="Write a printable handout: html or pdf (needs -o)."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Where to write the handout.")
    ] = None,
    user: Annotated[
        str | None, typer.Option("--user", help="Store the assessment and the plan for them.")
    ] = None,
) -> None:
    """Build a personal programme: exercises, walking plan, posture, footwear, habits, reading."""
    from backstride.content import ContentError
    from backstride.domain.answers import ContractError
    from backstride.programme.model import Preferences

    if (output_format is None) != (output is None):
        raise _fail(EXIT_CONTRACT, "--format and -o go together")
    if output_format not in (None, "html", "pdf"):
        raise _fail(EXIT_CONTRACT, "format: must be html or pdf")
    preferences = Preferences(minutes, not no_floor, fitness, eases_with)
    try:
        from backstride.services.plans import PlanService

        service = PlanService(_service())
        try:
            result = service.plan_file(file, preferences)
        except FileNotFoundError:
            raise _fail(EXIT_CONTRACT, f"{file}: no such file") from None
        if user is not None:
            import json

            records = _records()
            answers = json.loads(file.read_text(encoding="utf-8"))
            stored = records.store_assessment(user, answers, result.assessment)
            records.store_plan(user, stored.id, service.to_contract(result, animate=False))
    except ContractError as exc:
        raise _fail(EXIT_CONTRACT, str(exc)) from None
    except ContentError as exc:
        raise _fail(EXIT_CONTENT, f"content: {exc}") from None
    if output is not None:
        service.write_handout(result, output, output_format or "html")
        sys.stdout.write(f"wrote {output}\n")
        return
    if json_output:
        import json

        sys.stdout.write(json.dumps(service.to_contract(result), ensure_ascii=False) + "\n")
        return
    from backstride.cli.render import console
    from backstride.cli.render_plan import render_plan

    render_plan(console(), result.programme, service.content)


@app.command()
def footwear(
    answers: Annotated[
        Path | None,
        typer.Option(
            "--answers", help="A JSON file of item id to true/false; without it, asks each one."
        ),
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print the score as JSON.")] = False,
) -> None:
    """Check your walking shoes: a scored checklist with advice (for comfort, not a treatment)."""
    import json

    from backstride.domain.answers import ContractError
    from backstride.services.plans import PlanService

    service = PlanService(_service())
    items = service.content.programme.footwear.items
    try:
        if answers is not None:
            given = json.loads(answers.read_text(encoding="utf-8"))
            if not isinstance(given, dict):
                raise _fail(EXIT_CONTRACT, "footwear answers: must be one JSON object")
        else:
            from rich.prompt import Prompt

            given = {}
            for item in items:
                reply = Prompt.ask(f"{item.question} [dim](y / n / ?)[/dim]", default="?")
                if reply.strip().lower() in ("y", "yes", "n", "no"):
                    given[item.id] = reply.strip().lower().startswith("y")
        result = service.score_footwear(given)
    except (FileNotFoundError, json.JSONDecodeError):
        raise _fail(EXIT_CONTRACT, f"{answers}: not a readable JSON file") from None
    except ContractError as exc:
        raise _fail(EXIT_CONTRACT, str(exc)) from None
    if json_output:
        out = {
            "score": result.score,
            "max_score": result.max_score,
            "verdict": result.verdict,
            "advice": list(result.advice),
            "unanswered": list(result.unanswered),
            "evidence_note": result.evidence_note,
        }
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        return
    from backstride.cli.render import console

    out_console = console()
    out_console.print(
        f"[bold]Your shoes: {result.score} of {result.max_score}[/bold]. {result.verdict}"
    )
    for line in result.advice:
        out_console.print(f" • {line}")
    out_console.print(f"[italic]{result.evidence_note}[/italic]")


@app.command()
def report(
    user: Annotated[str, typer.Option("--user", help="Whose summary.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The PDF file to write.")],
) -> None:
    """Write the doctor summary PDF: assessment, warning signs, charts, programme, escalations."""
    from backstride.domain.answers import ContractError
    from backstride.services.reports import Reports

    try:
        pdf = Reports(_records()).report_pdf(user)
    except ContractError as exc:
        raise _fail(EXIT_CONTRACT, str(exc)) from None
    output.write_bytes(pdf)
    sys.stdout.write(f"wrote {output}\n")


@app.command()
def export(
    kind: Annotated[str, typer.Argument(help="fhir (an R4B Bundle) or csv (the diary).")],
    user: Annotated[str, typer.Option("--user", help="Whose records.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The file to write.")],
) -> None:
    """Export a person's records: FHIR R4B Bundle (JSON) or the diary as CSV."""
    import json

    from backstride.domain.answers import ContractError
    from backstride.services.reports import Reports

    if kind not in ("fhir", "csv"):
        raise _fail(EXIT_CONTRACT, "kind: must be fhir or csv")
    try:
        reports = Reports(_records())
        if kind == "csv":
            output.write_text(reports.diary_csv(user), encoding="utf-8", newline="")
        else:
            bundle = reports.fhir_bundle(user)
            output.write_text(json.dumps(bundle, indent=2, ensure_ascii=False), encoding="utf-8")
    except ContractError as exc:
        raise _fail(EXIT_CONTRACT, str(exc)) from None
    sys.stdout.write(f"wrote {output}\n")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Start the web app: the JSON API under /api/v1, its OpenAPI schema at /openapi.json."""
    import uvicorn

    uvicorn.run("backstride.web.app:create_app", factory=True, host=host, port=port)


db_app = typer.Typer(help="The database: upgrade, back up, restore.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Bring the database to the newest schema (BACKSTRIDE_DATABASE_URL, or the default file)."""
    from backstride.persistence.engine import create_db_engine
    from backstride.services.settings import get_settings
    from backstride.services.store import Store

    Store(create_db_engine(get_settings().database_url)).upgrade()
    sys.stdout.write("database is at the newest schema\n")


@db_app.command("backup")
def db_backup(
    output: Annotated[Path, typer.Option("-o", "--output", help="The backup file to write.")],
) -> None:
    """Write a consistent copy of every record (safe while Backstride is in use)."""
    counts = _records().store.backup(output)
    sys.stdout.write(f"wrote {output}: {sum(counts.values())} rows\n")


@db_app.command("restore")
def db_restore(
    file: Annotated[Path, typer.Argument(help="A file written by `backstride db backup`.")],
) -> None:
    """Replace every record with the backup's, all or nothing."""
    from backstride.domain.answers import ContractError

    try:
        counts = _records().store.restore(file)
    except ContractError as exc:
        raise _fail(EXIT_CONTRACT, str(exc)) from None
    sys.stdout.write(f"restored {sum(counts.values())} rows from {file}\n")


user_app = typer.Typer(help="People who use Backstride.", no_args_is_help=True)
app.add_typer(user_app, name="user")


@user_app.command("add")
def user_add(
    name: Annotated[str, typer.Argument(help="A unique name.")],
    role: Annotated[str, typer.Option(help="person, clinician or admin.")] = "person",
) -> None:
    """Add a person, clinician or admin."""
    from backstride.domain.answers import ContractError

    try:
        person = _records().add_user(name, role)
    except ContractError as exc:
        raise _fail(EXIT_CONTRACT, str(exc)) from None
    sys.stdout.write(f"added {person.role.value} #{person.id}\n")


@user_app.command("link")
def user_link(
    clinician: Annotated[str, typer.Argument(help="The clinician's name.")],
    person: Annotated[str, typer.Argument(help="The person's name.")],
) -> None:
    """Let a clinician see a person's records."""
    from backstride.domain.answers import ContractError

    try:
        _records().link(clinician, person)
    except ContractError as exc:
        raise _fail(EXIT_CONTRACT, str(exc)) from None
    sys.stdout.write("linked\n")


diary_app = typer.Typer(help="The daily check-in diary.", no_args_is_help=True)
app.add_typer(diary_app, name="diary")


@diary_app.command("add")
def diary_add(
    user: Annotated[str, typer.Option("--user", help="Whose diary.")],
    day: Annotated[str, typer.Option("--date", help="YYYY-MM-DD (today or earlier).")],
    pain_now: Annotated[int, typer.Option("--pain-now", help="Back pain now, 0 to 10.")],
    pain_walking: Annotated[
        int, typer.Option("--pain-walking", help="Worst back pain when walking, 0 to 10.")
    ],
    walk_minutes: Annotated[
        float, typer.Option("--walk-minutes", help="Minutes walked in all today.")
    ],
    walk_tolerance_min: Annotated[
        str | None,
        typer.Option(
            "--walk-tolerance-min",
            help="Minutes walked before pain made you stop, or 'none' if it never did.",
        ),
    ] = None,
    steps: Annotated[int | None, typer.Option("--steps", help="Steps today.")] = None,
    exercise: Annotated[
        list[str] | None,
        typer.Option("--exercise", help="ID:done|skipped[:PAIN], e.g. bird_dog:done:3 (repeat)."),
    ] = None,
    settled: Annotated[
        bool | None,
        typer.Option(
            "--settled/--not-settled", help="Yesterday's exercise pain settled by morning?"
        ),
    ] = None,
    red_flag: Annotated[
        bool | None,
        typer.Option(
            "--red-flag/--no-red-flag",
            help="Any new numbness in the saddle area, change in bladder or bowel control, "
            "or weakness?",
        ),
    ] = None,
    note: Annotated[str, typer.Option("--note", help="A free note.")] = "",
) -> None:
    """Add today's (or a missed day's) check-in. One a day; editable that day."""
    from backstride.domain.answers import ContractError

    try:
        raw = _entry_input(day, walk_tolerance_min, exercise or [])
    except ContractError as exc:
        raise _fail(EXIT_CONTRACT, str(exc)) from None
    raw.update(
        pain_now=pain_now,
        pain_walking=pain_walking,
        walk_minutes=walk_minutes,
        steps=steps,
        settled_by_morning=settled,
        red_flag=red_flag,
        note=note,
    )
    try:
        records = _records()
        records.add_entry(user, raw)
        sys.stdout.write("check-in saved\n")
        if red_flag:  # a warning sign runs the assessment at once, and says what to do
            status, _ = records.status(user)
            level = status.escalation.level
            content = records.assessments.content
            headline = content.advice[level].headline if level is not None else ""
            sys.stdout.write(f"You reported a warning sign. {headline}\n")
            for reason in status.escalation.reasons:
                sys.stdout.write(f" - {reason.message}\n")
    except ContractError as exc:
        raise _fail(EXIT_CONTRACT, str(exc)) from None


def _entry_input(day: str, tolerance: str | None, exercises: list[str]) -> dict[str, object]:
    from datetime import date

    from backstride.domain.answers import ContractError, FieldError

    try:
        parsed_day = date.fromisoformat(day)
    except ValueError:
        raise ContractError((FieldError("date", "must be a date as YYYY-MM-DD"),)) from None
    raw: dict[str, object] = {"day": parsed_day}
    if tolerance is not None:
        if tolerance.strip().lower() in ("none", "no limit", "nolimit"):
            raw["walk_no_limit"] = True
        else:
            try:
                raw["walk_tolerance_min"] = float(tolerance)
            except ValueError:
                message = "must be minutes, or none"
                raise ContractError((FieldError("walk_tolerance_min", message),)) from None
    logs = []
    for item in exercises:
        parts = item.split(":")
        if len(parts) not in (2, 3) or parts[1] not in ("done", "skipped"):
            raise ContractError((FieldError("exercise", "must be ID:done|skipped[:PAIN]"),))
        log: dict[str, object] = {"exercise_id": parts[0], "done": parts[1] == "done"}
        if len(parts) == 3:
            if not parts[2].isdigit():
                raise ContractError((FieldError("exercise", "PAIN must be 0 to 10"),))
            log["pain_during"] = int(parts[2])
        logs.append(log)
    raw["exercises"] = logs
    return raw


@diary_app.command("list")
def diary_list(
    user: Annotated[str, typer.Option("--user", help="Whose diary.")],
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Every check-in, oldest first."""
    import json

    from backstride.domain.answers import ContractError

    try:
        entries = _records().entries(user)
    except ContractError as exc:
        raise _fail(EXIT_CONTRACT, str(exc)) from None
    rows = [_entry_json(e) for e in entries]
    if json_output:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False) + "\n")
        return
    from rich.table import Table

    from backstride.cli.render import console

    table = Table(title=f"{len(rows)} check-ins")
    for column in (
        "date",
        "pain now",
        "pain walking",
        "walked (min)",
        "before pain (min)",
        "steps",
    ):
        table.add_column(column)
    for row in rows:
        limit = "no limit" if row["walk_no_limit"] else row["walk_tolerance_min"]
        table.add_row(
            row["date"],
            str(row["pain_now"]),
            str(row["pain_walking"]),
            f"{row['walk_minutes']:g}",
            "" if limit is None else str(limit),
            "" if row["steps"] is None else str(row["steps"]),
        )
    console().print(table)


@diary_app.command("status")
def diary_status_command(
    user: Annotated[str, typer.Option("--user", help="Whose diary.")],
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Is it getting better? Trends, and whether to see a doctor (with the reasons)."""
    import json

    from backstride.diary.export import status_to_dict
    from backstride.domain.answers import ContractError

    try:
        status, _ = _records().status(user)
    except ContractError as exc:
        raise _fail(EXIT_CONTRACT, str(exc)) from None
    out = status_to_dict(status)
    if json_output:
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        return
    from rich.panel import Panel

    from backstride.cli.render import STYLE, console

    screen = console()
    escalation = status.escalation
    if escalation.level is not None:
        lines = "\n\n".join(f"{r.message}\n[dim]{r.source}[/dim]" for r in escalation.reasons)
        screen.print(
            Panel(lines, title=" SEE A DOCTOR ", border_style=STYLE[escalation.level].split()[-1])
        )
    else:
        screen.print("[bold]No warning from your diary.[/bold] Keep going, and keep checking in.")
    for reminder in escalation.reminders:
        screen.print(f" • {reminder}")
    pain = out["trend"]["pain"]
    screen.print(
        f"Days logged: {status.days_logged}. Pain ({pain['measure']}): first {pain['first']}, "
        f"latest {pain['latest']}."
    )


@diary_app.command("adjust")
def diary_adjust(user: Annotated[str, typer.Option("--user", help="Whose plan.")]) -> None:
    """Apply last week's check-ins to the plan (pain-monitoring model); once a week."""
    from backstride.domain.answers import ContractError
    from backstride.services.progress import Progress

    try:
        result = Progress(_records()).adjust_last_week(user)
    except ContractError as exc:
        raise _fail(EXIT_CONTRACT, str(exc)) from None
    sys.stdout.write(f"week of {result.week_start.isoformat()}:\n")
    for item in result.decisions["exercises"]:
        moved = f" -> {item['now']}" if item["now"] != item["id"] else ""
        sys.stdout.write(f"  {item['id']}{moved}: {item['operation']}\n")
    walking = result.decisions["walking"]
    if walking is not None:
        sys.stdout.write(
            f"  walking: week {walking['from_week']} -> {walking['to_week']} "
            f"({walking['operation']}): {walking['message']}\n"
        )


@diary_app.command("ack")
def diary_ack(user: Annotated[str, typer.Option("--user", help="Whose diary.")]) -> None:
    """Mark the open escalations as seen and acted on."""
    from backstride.domain.answers import ContractError

    try:
        count = _records().acknowledge(user)
    except ContractError as exc:
        raise _fail(EXIT_CONTRACT, str(exc)) from None
    sys.stdout.write(f"acknowledged {count} escalation(s)\n")


def _entry_json(entry: DiaryEntry) -> dict[str, Any]:
    return {
        "date": entry.day.isoformat(),
        "pain_now": entry.pain_now,
        "pain_walking": entry.pain_walking,
        "walk_minutes": entry.walk_minutes,
        "walk_tolerance_min": entry.walk_tolerance_min,
        "walk_no_limit": entry.walk_no_limit,
        "steps": entry.steps,
        "exercises": [
            {"id": e.exercise_id, "done": e.done, "pain_during": e.pain_during}
            for e in entry.exercises
        ],
        "settled_by_morning": entry.settled_by_morning,
        "red_flag": entry.red_flag,
        "note": entry.note,
    }


content_app = typer.Typer(help="Check and review the clinical content.", no_args_is_help=True)
app.add_typer(content_app, name="content")


@content_app.command("gallery")
def content_gallery(
    output: Annotated[
        Path,
        typer.Option("-o", "--output", help="Folder to write index.html into.", file_okay=False),
    ],
) -> None:
    """Write an HTML page showing every exercise illustration, for clinical review."""
    from backstride.content import ContentError
    from backstride.services.plans import PlanService

    try:
        service = PlanService(_service())
    except ContentError as exc:
        raise _fail(EXIT_CONTENT, f"content: {exc}") from None
    output.mkdir(parents=True, exist_ok=True)
    page = output / "index.html"
    page.write_text(service.gallery_html(), encoding="utf-8")
    sys.stdout.write(f"wrote {page} ({len(service.content.programme.exercises)} illustrations)\n")


@content_app.command("check")
def content_check(
    root: Annotated[
        Path | None,
        typer.Argument(help="A content folder (default: the built-in content).", file_okay=False),
    ] = None,
    pack: Annotated[
        list[Path] | None, typer.Option("--pack", help="A content pack folder to add.")
    ] = None,
    instrument: Annotated[
        str, typer.Option(help="The recovery-outlook instrument to select.")
    ] = "backstride_outlook",
) -> None:
    """Validate content files; errors name the file, the item and the field."""
    from backstride.content import ContentError, load_content

    try:
        content = load_content(root, packs=tuple(pack or ()), instrument=instrument)
    except ContentError as exc:
        raise _fail(EXIT_CONTENT, str(exc)) from None
    awaiting = sum(r.review.awaiting_clinical_check for r in content.rules)
    sys.stdout.write(
        f"content {content.version}: {len(content.rules)} rules, {len(content.patterns)} "
        f"patterns, {len(content.questions)} questions, {len(content.sources)} sources; "
        f"{awaiting} rules awaiting clinical sign-off\n"
    )


def _records() -> Records:
    """The stored records over the configured database (created and migrated if new)."""
    from backstride.services.records import Records
    from backstride.services.settings import get_settings
    from backstride.services.store import Store

    return Records(Store.open(get_settings()), _service())


def _service() -> AssessmentService:
    """The assessment service, imported lazily to keep start-up fast."""
    from backstride.services.assessments import default_service

    return default_service()


def run() -> None:
    """Console-script entry point."""
    app()
