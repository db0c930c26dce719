"""``backstride``: routes parse input, call one service, render output.

Heavy modules are imported inside commands so that ``backstride assess FILE --json``
starts quickly.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from backstride.cli.common import (
    EXIT_CONTENT,
    EXIT_CONTRACT,
    assessment_service,
    fail,
    open_records,
)
from backstride.cli.gait import gait_app
from backstride.cli.records import db_app, diary_app, user_app

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
        raise fail(EXIT_CONTRACT, "give an answers FILE, or --interactive (not both)")
    try:
        service = assessment_service()
        if interactive:
            from backstride.cli.interactive import run_interactive

            run_interactive(service, save)
            return
        assert file is not None  # noqa: S101 (checked above; narrows the type)
        try:
            results = service.assess_file(file)
        except FileNotFoundError:
            raise fail(EXIT_CONTRACT, f"{file}: no such file") from None
        if user is not None:
            if len(results) != 1:
                raise fail(EXIT_CONTRACT, "--user stores one assessment: give a .json file")
            import json

            records = open_records()
            answers = json.loads(file.read_text(encoding="utf-8"))
            records.store_assessment(user, answers, results[0])
    except ContractError as exc:
        raise fail(EXIT_CONTRACT, str(exc)) from None
    except ContentError as exc:
        raise fail(EXIT_CONTENT, f"content: {exc}") from None
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
        content = assessment_service().content
    except ContentError as exc:
        raise fail(EXIT_CONTENT, f"content: {exc}") from None
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
        raise fail(EXIT_CONTRACT, "--format and -o go together")
    if output_format not in (None, "html", "pdf"):
        raise fail(EXIT_CONTRACT, "format: must be html or pdf")
    preferences = Preferences(minutes, not no_floor, fitness, eases_with)
    try:
        from backstride.services.plans import PlanService

        service = PlanService(assessment_service())
        try:
            result = service.plan_file(file, preferences)
        except FileNotFoundError:
            raise fail(EXIT_CONTRACT, f"{file}: no such file") from None
        if user is not None:
            import json

            records = open_records()
            answers = json.loads(file.read_text(encoding="utf-8"))
            stored = records.store_assessment(user, answers, result.assessment)
            records.store_plan(user, stored.id, service.to_contract(result, animate=False))
    except ContractError as exc:
        raise fail(EXIT_CONTRACT, str(exc)) from None
    except ContentError as exc:
        raise fail(EXIT_CONTENT, f"content: {exc}") from None
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

    service = PlanService(assessment_service())
    items = service.content.programme.footwear.items
    try:
        if answers is not None:
            given = json.loads(answers.read_text(encoding="utf-8"))
            if not isinstance(given, dict):
                raise fail(EXIT_CONTRACT, "footwear answers: must be one JSON object")
        else:
            from rich.prompt import Prompt

            given = {}
            for item in items:
                reply = Prompt.ask(f"{item.question} [dim](y / n / ?)[/dim]", default="?")
                if reply.strip().lower() in ("y", "yes", "n", "no"):
                    given[item.id] = reply.strip().lower().startswith("y")
        result = service.score_footwear(given)
    except (FileNotFoundError, json.JSONDecodeError):
        raise fail(EXIT_CONTRACT, f"{answers}: not a readable JSON file") from None
    except ContractError as exc:
        raise fail(EXIT_CONTRACT, str(exc)) from None
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
        pdf = Reports(open_records()).report_pdf(user)
    except ContractError as exc:
        raise fail(EXIT_CONTRACT, str(exc)) from None
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
        raise fail(EXIT_CONTRACT, "kind: must be fhir or csv")
    try:
        reports = Reports(open_records())
        if kind == "csv":
            output.write_text(reports.diary_csv(user), encoding="utf-8", newline="")
        else:
            bundle = reports.fhir_bundle(user)
            output.write_text(json.dumps(bundle, indent=2, ensure_ascii=False), encoding="utf-8")
    except ContractError as exc:
        raise fail(EXIT_CONTRACT, str(exc)) from None
    sys.stdout.write(f"wrote {output}\n")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    demo: Annotated[
        bool,
        typer.Option(
            "--demo",
            help="Add a demo clinician and a demo person with three weeks of made-up diary "
            "(labelled as demo on every page); allows running without BACKSTRIDE_SECRET_KEY.",
        ),
    ] = False,
    workers: Annotated[int, typer.Option(min=1, max=32, help="Worker processes.")] = 1,
    threads: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=64,
            help="Threads per worker that run requests (BACKSTRIDE_THREADS). By default 1 on "
            "SQLite, which takes one writer at a time, and 4 on PostgreSQL.",
        ),
    ] = None,
    ssl_certfile: Annotated[
        Path | None,
        typer.Option(
            help="Serve HTTPS with this certificate (PEM). Phones share motion sensors "
            "(the walking test) only over HTTPS or on localhost.",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    ssl_keyfile: Annotated[
        Path | None,
        typer.Option(help="The certificate's private key (PEM).", exists=True, dir_okay=False),
    ] = None,
) -> None:
    """Start the web app (pages, and the JSON API under /api/v1 with its schema at
    /openapi.json) on the database BACKSTRIDE_DATABASE_URL names, SQLite by default. Its
    access log names no client address and no record id."""
    import os

    import uvicorn

    from backstride.cli.logs import log_config
    from backstride.cli.render import console
    from backstride.services.container import Services
    from backstride.services.demo import seed_demo
    from backstride.services.settings import ConfigError, WebConfig

    if demo:
        os.environ["BACKSTRIDE_DEMO"] = "1"
    if threads is not None:
        os.environ["BACKSTRIDE_THREADS"] = str(threads)  # read by every worker's app
    if (ssl_certfile is None) != (ssl_keyfile is None):
        raise fail(EXIT_CONTRACT, "--ssl-certfile and --ssl-keyfile go together")
    if ssl_certfile is not None:
        os.environ["BACKSTRIDE_SECURE_COOKIES"] = "1"  # Secure cookies and HSTS over TLS
    try:
        config = WebConfig.from_env()
    except ConfigError as exc:
        raise fail(EXIT_CONTRACT, str(exc)) from None
    # Migrate (and seed the demo) once, before any worker starts.
    services = Services.open(config.settings)
    try:
        if config.demo:
            seed_demo(services)
    finally:
        services.close()
    scheme = "https" if ssl_certfile else "http"
    console().print(f"Backstride is at {scheme}://{host}:{port}/ (Ctrl+C stops it)")
    uvicorn.run(
        "backstride.web.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_config=log_config(),
        ssl_certfile=str(ssl_certfile) if ssl_certfile else None,
        ssl_keyfile=str(ssl_keyfile) if ssl_keyfile else None,
    )


app.add_typer(db_app, name="db")
app.add_typer(user_app, name="user")
app.add_typer(diary_app, name="diary")
app.add_typer(gait_app, name="gait")

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
        service = PlanService(assessment_service())
    except ContentError as exc:
        raise fail(EXIT_CONTENT, f"content: {exc}") from None
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
        raise fail(EXIT_CONTENT, str(exc)) from None
    awaiting = sum(r.review.awaiting_clinical_check for r in content.rules)
    sys.stdout.write(
        f"content {content.version}: {len(content.rules)} rules, {len(content.patterns)} "
        f"patterns, {len(content.questions)} questions, {len(content.sources)} sources; "
        f"{awaiting} rules awaiting clinical sign-off\n"
    )


def run() -> None:
    """Console-script entry point."""
    app()
